use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix, Severity};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// A workspace folder that is not itself a module (no go.mod / go.work at its root or above)
    /// but holds modules in subdirectories.
    ///
    /// ## Why it matters
    /// gopls before v0.15 shows `gopls was not able to find modules in your workspace` and loads
    /// nothing (golang/vscode-go#2534); v0.15 and later load each module on demand ("zero-config
    /// gopls") but cross-module references and renames need a go.work, and files of a module not
    /// in the active build show `This file is within module "<dir>", which is not included in your
    /// workspace` (golang/tools `gopls/internal/cache/snapshot.go`). Warning with an old gopls,
    /// information otherwise.
    ///
    /// ## Example
    /// `repo/` with `repo/api/go.mod` and `repo/server/go.mod`, no `repo/go.work`.
    ///
    /// ## Fix
    /// `go work init ./api ./server` in the folder (review: it adds a go.work file; some teams
    /// keep it out of version control).
    pub NESTED_MODULES {
        code: "GSD402",
        name: "nested-modules",
        category: Workspace,
        severity: Info,
        summary: "folders with several modules have a go.work",
        fix: Always,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let old_gopls = cx
        .gopls_version()
        .is_some_and(|v| v.major == 0 && v.minor < 15);
    for folder in &cx.snapshot.workspace.folders {
        if folder.go_mod.is_some()
            || folder.go_work.is_some()
            || folder.ancestor_go_work.is_some()
            || folder.ancestor_go_mod.is_some()
        {
            continue;
        }
        if folder.nested_modules.is_empty() {
            if let Some(why) = super::no_module::walk_incomplete(cx, folder) {
                out.skip(why);
            }
            continue;
        }
        let dirs: Vec<String> = folder
            .nested_modules
            .iter()
            .map(|d| format!("./{}", d.trim_start_matches("./")))
            .collect();
        let f = out.report(
            format!("{} modules under {} and no go.work", dirs.len(), cx.tilde(&folder.path)),
            format!(
                "{} is not a module itself but contains {} ({}). Without a go.work, gopls treats them as unrelated: references and renames stop at module boundaries{}.",
                cx.tilde(&folder.path),
                if dirs.len() == 1 { "a module".to_string() } else { format!("{} modules", dirs.len()) },
                dirs.iter().take(5).cloned().collect::<Vec<_>>().join(", "),
                if old_gopls { ", and this gopls (older than v0.15) loads none of them" } else { "" }
            ),
        );
        if old_gopls {
            f.severity(Severity::Warning);
        }
        for d in dirs.iter().take(10) {
            f.evidence(format!("module: {d}/go.mod"));
        }
        let go = cx.go_candidate().map(|c| c.path.as_str()).unwrap_or("go");
        f.fix(Fix {
            title: format!(
                "Create a go.work using {}",
                if dirs.len() == 1 {
                    "it".to_string()
                } else {
                    format!("all {}", dirs.len())
                }
            ),
            applicability: Applicability::Unsafe,
            actions: vec![Action::RunShell {
                command: format!("{go} work init {}", dirs.join(" ")),
                cwd: Some(folder.path.clone()),
            }],
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    fn repo() -> crate::Snapshot {
        let mut s = snapshot(json!({}));
        let f = &mut s.workspace.folders[0];
        f.go_mod = None;
        f.nested_modules = vec!["api".into(), "server".into()];
        s
    }

    #[test]
    fn fires_with_go_work_init_command() {
        let f = run(&NESTED_MODULES, &repo());
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Info);
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, cwd } if command.ends_with("work init ./api ./server") && cwd.as_deref() == Some("/home/gopher/src/hello"))
        );
    }

    #[test]
    fn fires_warning_with_old_gopls() {
        let mut s = repo();
        s.tools[0].version.as_mut().unwrap().stdout = "{\"Version\": \"v0.14.2\"}".into();
        assert_eq!(run(&NESTED_MODULES, &s)[0].severity, Severity::Warning);
    }

    #[test]
    fn skipped_when_the_walk_was_capped() {
        let mut s = repo();
        s.workspace.folders[0].nested_modules.clear();
        s.workspace.folders[0].walk_capped = true;
        let c = run_status(&NESTED_MODULES, &s);
        assert_eq!(c.status, crate::protocol::CheckStatus::Skipped);
        assert!(c
            .reason
            .as_deref()
            .unwrap_or("")
            .contains("stopped at its cap"));
    }

    #[test]
    fn passes_with_go_work_or_module_root() {
        assert!(run(&NESTED_MODULES, &snapshot(json!({}))).is_empty());
        let mut s = repo();
        s.workspace.folders[0].go_work = Some(crate::FileText {
            path: "/home/gopher/src/hello/go.work".into(),
            text: "go 1.24\nuse ./api\n".into(),
        });
        assert!(run(&NESTED_MODULES, &s).is_empty());
    }
}
