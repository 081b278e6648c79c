use crate::context::Context;
use crate::declare_rule;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Each workspace go.work: every `use` directory holds a go.mod (from the workspace walk), and
    /// the go.work `go` line is not newer than the local Go.
    ///
    /// ## Why it matters
    /// A `use` entry without a module makes every go command in the workspace fail
    /// (`go: cannot load module ./x listed in go.work file: open x/go.mod: no such file or
    /// directory`, real text in shared/knowledge/go-outputs/gowork-missing-file.go1.24.4.go-list-m.txt),
    /// and gopls shows `Error loading workspace`. A go line newer than the local Go gives
    /// `go: go.work requires go >= 1.24.1 (running go 1.23.6)` (golang/vscode-go#3317).
    ///
    /// ## Example
    /// ```text
    /// go 1.22
    /// use ( ./api ./old-service )   // old-service was deleted
    /// ```
    ///
    /// ## Fix
    /// Remove the stale `use` line (`go work edit -dropuse=./old-service`) or restore the module.
    pub GO_WORK_BROKEN {
        code: "GSD403",
        name: "go-work-broken",
        category: Workspace,
        severity: Error,
        summary: "go.work points at existing modules",
        fix: Sometimes,
        since: "0.1.0",
    }
}

/// `use` directories of a go.work text (single lines and blocks).
pub(crate) fn use_dirs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_block = false;
    for raw in text.lines() {
        let line = raw.split("//").next().unwrap_or("").trim();
        if in_block {
            if line.starts_with(')') {
                in_block = false;
            } else if !line.is_empty() {
                out.push(line.trim_matches('"').to_string());
            }
        } else if let Some(rest) = line.strip_prefix("use") {
            let rest = rest.trim();
            if let Some(inner) = rest.strip_prefix('(') {
                let closed = inner.contains(')');
                in_block = !closed;
                let inner = inner.split(')').next().unwrap_or("").trim();
                if !inner.is_empty() {
                    out.push(inner.trim_matches('"').to_string());
                }
            } else if !rest.is_empty() {
                out.push(rest.trim_matches('"').to_string());
            }
        }
    }
    out
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    for folder in &cx.snapshot.workspace.folders {
        let Some(work) = folder.go_work.as_ref() else {
            continue;
        };
        if folder.walk_capped {
            out.skip(format!(
                "the walk of {} stopped at its file cap; go.work entries were not verified",
                cx.tilde(&folder.path)
            ));
            continue;
        }
        for dir in use_dirs(&work.text) {
            let rel = dir.trim_start_matches("./").trim_end_matches('/');
            let exists = rel.is_empty()
                || rel == "." && folder.go_mod.is_some()
                || folder
                    .nested_modules
                    .iter()
                    .any(|m| m.trim_start_matches("./").trim_end_matches('/') == rel);
            if exists || dir.starts_with('/') || dir.starts_with("..") {
                continue; // outside the folder: not walked, not judged
            }
            let f = out.report(
                format!("go.work uses {dir}, which has no go.mod"),
                format!("{} lists `use {dir}`, but there is no go.mod there. Every go command in this workspace fails with `go: cannot load module {dir} listed in go.work file` and gopls cannot load the workspace.", cx.tilde(&work.path)),
            );
            f.evidence(format!("{}: use {dir}", cx.tilde(&work.path)));
            f.evidence(format!(
                "modules found: {}",
                if folder.nested_modules.is_empty() {
                    "none".to_string()
                } else {
                    folder.nested_modules.join(", ")
                }
            ));
            let go = cx.go_candidate().map(|c| c.path.as_str()).unwrap_or("go");
            f.fix(crate::protocol::Fix {
                title: format!("Drop it from go.work: go work edit -dropuse={dir}"),
                applicability: crate::protocol::Applicability::Unsafe,
                actions: vec![crate::protocol::Action::RunShell {
                    command: format!("{go} work edit -dropuse={dir}"),
                    cwd: Some(folder.path.clone()),
                }],
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Action;
    use crate::testing::*;
    use serde_json::json;

    fn ws(text: &str, modules: &[&str]) -> crate::Snapshot {
        let mut s = snapshot(json!({}));
        let f = &mut s.workspace.folders[0];
        f.go_mod = None;
        f.go_work = Some(crate::FileText {
            path: "/home/gopher/src/hello/go.work".into(),
            text: text.into(),
        });
        f.nested_modules = modules.iter().map(|m| m.to_string()).collect();
        s
    }

    #[test]
    fn fires_for_missing_use_dir() {
        let f = run(
            &GO_WORK_BROKEN,
            &ws(
                "go 1.22\n\nuse (\n\t./api\n\t./old-service // gone\n)\n",
                &["api"],
            ),
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].title.contains("./old-service"));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command.ends_with("work edit -dropuse=./old-service"))
        );
    }

    #[test]
    fn passes_when_all_modules_exist() {
        assert!(run(
            &GO_WORK_BROKEN,
            &ws("go 1.22\nuse ./api\nuse ./server\n", &["api", "server"])
        )
        .is_empty());
        assert_eq!(use_dirs("use ( ./a )\nuse \"./b\"\n"), vec!["./a", "./b"]);
    }
}
