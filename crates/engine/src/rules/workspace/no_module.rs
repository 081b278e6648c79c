use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix, Folder};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Each workspace folder that holds `.go` files has a `go.mod` (or a `go.work`) in the folder
    /// or one of its ancestors, unless GOPATH mode is on (`GO111MODULE=off`) or the folder is
    /// inside `GOPATH/src`.
    ///
    /// ## Why it matters
    /// Outside a module gopls cannot load packages: `go: cannot find main module` /
    /// `You are outside of a module and outside of $GOPATH/src` (golang/go#54193,
    /// golang/vscode-go#463). Hover may still work on open files while go-to-definition,
    /// references and imports fail.
    ///
    /// ## Example
    /// A folder with `main.go` and no `go.mod` anywhere above it.
    ///
    /// ## Fix
    /// `go mod init <module path>` in the folder (review: choose the module path; the suggestion
    /// uses the folder name).
    pub NO_MODULE {
        code: "GSD401",
        name: "no-module",
        category: Workspace,
        severity: Warning,
        summary: "Go files belong to a module",
        fix: Sometimes,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let gopath_mode = cx
        .go_env_var("GO111MODULE")
        .or_else(|| cx.env("GO111MODULE"))
        == Some("off");
    if gopath_mode {
        return;
    }
    let gopaths: Vec<String> = cx
        .go_env_var("GOPATH")
        .map(|p| {
            p.split([':', ';'])
                .filter(|s| !s.is_empty())
                .map(|s| format!("{}/src/", s.trim_end_matches('/')))
                .collect()
        })
        .unwrap_or_default();
    for folder in &cx.snapshot.workspace.folders {
        if folder.go_files.is_empty() && folder.nested_modules.is_empty() {
            // Nothing seen; if the walk did not see everything, say so instead of passing.
            let has_module = folder.go_mod.is_some()
                || folder.go_work.is_some()
                || folder.ancestor_go_mod.is_some()
                || folder.ancestor_go_work.is_some();
            if let Some(why) = walk_incomplete(cx, folder).filter(|_| !has_module) {
                out.skip(why);
            }
        }
        if folder.go_files.is_empty()
            || folder.go_mod.is_some()
            || folder.go_work.is_some()
            || folder.ancestor_go_mod.is_some()
            || folder.ancestor_go_work.is_some()
            || !folder.nested_modules.is_empty()
        {
            continue;
        }
        if gopaths
            .iter()
            .any(|g| format!("{}/", folder.path.trim_end_matches('/')).starts_with(g.as_str()))
        {
            continue;
        }
        let name = folder
            .path
            .trim_end_matches(['/', '\\'])
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or("app");
        let shown: Vec<&str> = folder.go_files.iter().take(3).map(String::as_str).collect();
        let f = out.report(
            "Go files without a go.mod",
            format!(
                "{} has Go files ({}{}) but no go.mod in it or any parent directory, so gopls cannot load its packages.",
                cx.tilde(&folder.path),
                shown.join(", "),
                if folder.go_files.len() > 3 { ", ..." } else { "" }
            ),
        );
        f.evidence(format!("folder: {}", cx.tilde(&folder.path)));
        f.evidence("go.mod: not found in the folder or its ancestors".to_string());
        if let Some(gp) = cx.go_env_var("GOPATH") {
            f.evidence(format!(
                "GOPATH={} (folder is not under GOPATH/src)",
                cx.tilde(gp)
            ));
        }
        let go = cx
            .go_candidate()
            .map(|c| c.path.clone())
            .unwrap_or_else(|| "go".into());
        f.fix(Fix {
            title: format!("Create a module: go mod init example.com/{name}"),
            applicability: Applicability::Unsafe,
            actions: vec![Action::RunShell {
                command: format!("{go} mod init example.com/{name}"),
                cwd: Some(folder.path.clone()),
            }],
        });
    }
}

/// Why the workspace walk of `folder` may have missed Go files and modules: it stopped at its
/// cap, or the gatherer could not read some directories (its `workspaceWalk` note). `None` when
/// it saw everything.
pub(crate) fn walk_incomplete(cx: &Context<'_>, folder: &Folder) -> Option<String> {
    if folder.walk_capped {
        return Some(format!(
            "the scan of {} stopped at its cap after {} files; Go files and modules beyond that were not seen",
            cx.tilde(&folder.path),
            folder.files_visited
        ));
    }
    cx.snapshot
        .skipped_probes
        .iter()
        .find(|p| p.probe == "workspaceWalk" && p.reason.contains(folder.path.as_str()))
        .map(|p| p.reason.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    fn no_mod() -> crate::Snapshot {
        let mut s = snapshot(json!({}));
        s.workspace.folders[0].go_mod = None;
        s.workspace.folders[0].go_files = vec!["main.go".into(), "util.go".into()];
        s
    }

    #[test]
    fn fires_with_go_mod_init_in_the_folder() {
        let f = run(&NO_MODULE, &no_mod());
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message
                .contains("~/src/hello has Go files (main.go, util.go)"),
            "{}",
            f[0].message
        );
        match &f[0].fixes[0].actions[0] {
            Action::RunShell { command, cwd } => {
                assert_eq!(
                    command,
                    "/usr/lib/go-1.24/bin/go mod init example.com/hello"
                );
                assert_eq!(cwd.as_deref(), Some("/home/gopher/src/hello"));
            }
            a => panic!("{a:?}"),
        }
    }

    #[test]
    fn skipped_when_the_walk_was_capped_or_blocked() {
        let mut s = no_mod();
        s.workspace.folders[0].go_files.clear();
        s.workspace.folders[0].walk_capped = true;
        s.workspace.folders[0].files_visited = 19_990;
        let c = run_status(&NO_MODULE, &s);
        assert_eq!(c.status, crate::protocol::CheckStatus::Skipped);
        assert!(
            c.reason
                .as_deref()
                .unwrap_or("")
                .contains("the scan of ~/src/hello stopped at its cap after 19990 files"),
            "{:?}",
            c.reason
        );
        s.workspace.folders[0].walk_capped = false;
        s.skipped_probes.push(crate::protocol::SkippedProbe {
            probe: "workspaceWalk".into(),
            reason: "Could not read a directory in /home/gopher/src/hello: secret (EACCES).".into(),
        });
        let c = run_status(&NO_MODULE, &s);
        assert_eq!(c.status, crate::protocol::CheckStatus::Skipped);
        // A folder with a go.mod needs no walk to pass.
        s.workspace.folders[0].go_mod = snapshot(json!({})).workspace.folders[0].go_mod.clone();
        assert_eq!(
            run_status(&NO_MODULE, &s).status,
            crate::protocol::CheckStatus::Passed
        );
    }

    #[test]
    fn passes_with_module_ancestor_or_gopath_mode() {
        assert!(run(&NO_MODULE, &snapshot(json!({}))).is_empty());
        let mut s = no_mod();
        s.workspace.folders[0].ancestor_go_mod = Some("/home/gopher/src/go.mod".into());
        assert!(run(&NO_MODULE, &s).is_empty());
        let mut s = no_mod();
        s.env.insert("GO111MODULE".into(), "off".into());
        assert!(run(&NO_MODULE, &s).is_empty());
        let mut s = no_mod();
        s.workspace.folders[0].path = "/home/gopher/go/src/github.com/x/y".into();
        assert!(run(&NO_MODULE, &s).is_empty());
    }
}
