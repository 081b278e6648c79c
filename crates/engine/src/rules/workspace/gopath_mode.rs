use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix, Folder};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Whether a workspace folder with Go files is loaded in the mode its layout needs:
    /// - `GO111MODULE=off` in effect (as `go env` reports it, so the environment, the `go env -w`
    ///   file and `go.toolsEnvVars` all count) while the folder has a go.mod (its own or one above
    ///   it): the go.mod is ignored;
    /// - `GO111MODULE=off` while the folder is outside every `GOPATH/src`: in GOPATH mode nothing
    ///   outside GOPATH can be imported;
    /// - module mode (the default since Go 1.16) while the folder sits in `GOPATH/src/<import path>`
    ///   with no go.mod or go.work anywhere above it: code laid out for GOPATH mode.
    ///
    /// This rule is about the *workspace* being in the wrong mode. When `GO111MODULE=off` breaks a
    /// folder, this is the one finding for it (with the fix that removes the variable) and GSD501
    /// go111module-legacy is shown as skipped, pointing here; GSD501 reports the variable when it
    /// breaks nothing here (classic GOPATH code) or is `auto`.
    ///
    /// ## Why it matters
    /// With `GO111MODULE=off` the go command and gopls resolve imports in GOROOT and GOPATH only:
    /// `main.go:3:8: cannot find package "example.com/app/util" in any of:` followed by the
    /// `(from $GOROOT)` and `(from $GOPATH)` directories, for a package of the module itself
    /// (go1.22.12 and go1.24.4, recorded by `tests/scenarios/modules.test.ts`); gopls reports
    /// `You are outside of a module and outside of $GOPATH/src` (golang/go#54193). The other way
    /// round, GOPATH-style code without a go.mod fails in module mode with
    /// `go: go.mod file not found in current directory or any parent directory; see 'go help modules'`
    /// (same test), and GSD401 no-module stays quiet because the folder is under GOPATH/src.
    ///
    /// ## Example
    /// `export GO111MODULE=off` in `~/.profile` and a module in `~/src/app`; or
    /// `~/go/src/github.com/acme/tool/main.go` with no go.mod and GO111MODULE unset.
    ///
    /// ## Fix
    /// For `GO111MODULE=off`: remove it where it is set (settings edit, `go env -u GO111MODULE`,
    /// or the profile line). For GOPATH-style code: `go mod init <import path>` in the folder, with
    /// the import path its place under `GOPATH/src` gives it (then `go mod tidy`).
    pub GOPATH_MODE {
        code: "GSD404",
        name: "gopath-mode",
        category: Workspace,
        severity: Warning,
        summary: "the workspace is loaded in module mode when it has a go.mod",
        fix: Always,
        since: "0.1.0",
    }
}

fn norm(p: &str) -> String {
    p.replace('\\', "/").trim_end_matches('/').to_string()
}

/// The import path a folder has in GOPATH mode: its path below the first `GOPATH/src` holding it.
fn gopath_import_path(folder: &str, gopath: &str) -> Option<(String, String)> {
    let f = norm(folder);
    gopath
        .split([':', ';'])
        .filter(|s| !s.is_empty())
        .find_map(|g| {
            let src = format!("{}/src/", norm(g));
            let rel = f.strip_prefix(&src)?;
            (!rel.is_empty()).then(|| (rel.to_string(), g.to_string()))
        })
}

fn has_module(folder: &Folder) -> Option<&str> {
    folder
        .go_mod
        .as_ref()
        .map(|m| m.path.as_str())
        .or(folder.ancestor_go_mod.as_deref())
}

/// `GO111MODULE` as the go command sees it, and GOPATH.
fn mode_env<'a>(cx: &'a Context<'_>) -> (&'a str, &'a str) {
    let value = cx
        .go_env_var("GO111MODULE")
        .or_else(|| cx.env("GO111MODULE"))
        .unwrap_or("");
    let gopath = cx
        .go_env_var("GOPATH")
        .or_else(|| cx.env("GOPATH"))
        .unwrap_or("");
    (value, gopath)
}

/// What `GO111MODULE=off` breaks in `folder`: a title and a message, or None when the folder
/// works in GOPATH mode (classic GOPATH code, which GSD501 reports through the variable).
fn broken_by_off(
    cx: &Context<'_>,
    folder: &Folder,
    gopath: &str,
) -> Option<(&'static str, String)> {
    if folder.go_files.is_empty() {
        return None;
    }
    if let Some(go_mod) = has_module(folder) {
        return Some((
            "GO111MODULE=off: the go.mod is ignored",
            format!(
                "GO111MODULE=off puts the go command and gopls into GOPATH mode, so {} is ignored: imports of the module's own packages and of its requirements are looked up in GOROOT and GOPATH only (\"cannot find package ... in any of\").",
                cx.tilde(go_mod)
            ),
        ));
    }
    if gopath_import_path(&folder.path, gopath).is_none() {
        return Some((
            "GO111MODULE=off and the folder is outside GOPATH",
            format!(
                "GO111MODULE=off puts the go command and gopls into GOPATH mode, but {} is not under GOPATH/src ({}): its packages cannot be imported, and gopls says \"You are outside of a module and outside of $GOPATH/src\".",
                cx.tilde(&folder.path),
                cx.tilde(gopath)
            ),
        ));
    }
    None
}

/// Whether this rule reports `GO111MODULE=off` for a folder it breaks (then GSD501 leaves the
/// variable to this finding: one cause, one finding).
pub(crate) fn reports_module_mode_off(cx: &Context<'_>) -> bool {
    let (value, gopath) = mode_env(cx);
    value == "off"
        && cx
            .snapshot
            .workspace
            .folders
            .iter()
            .any(|f| broken_by_off(cx, f, gopath).is_some())
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let (value, gopath) = mode_env(cx);
    let off = value == "off";
    let go = cx
        .go_candidate()
        .map(|c| c.path.clone())
        .unwrap_or_else(|| "go".into());
    for folder in &cx.snapshot.workspace.folders {
        if folder.go_files.is_empty() {
            continue;
        }
        let in_gopath = gopath_import_path(&folder.path, gopath);
        if off {
            // Classic GOPATH code that works in GOPATH mode: GSD501 reports the variable.
            let Some((title, message)) = broken_by_off(cx, folder, gopath) else {
                continue;
            };
            let f = out.report(title, message);
            f.evidence(format!("folder: {}", cx.tilde(&folder.path)));
            f.evidence("go env GO111MODULE: off".to_string());
            if !gopath.is_empty() {
                f.evidence(format!("GOPATH={}", cx.tilde(gopath)));
            }
            super::super::common::trace_env_var(cx, "GO111MODULE", f);
            continue;
        }
        if has_module(folder).is_some()
            || folder.go_work.is_some()
            || folder.ancestor_go_work.is_some()
            || !folder.nested_modules.is_empty()
        {
            continue;
        }
        let Some((import_path, root)) = in_gopath else {
            continue;
        };
        let f = out.report(
            "GOPATH-style code without a go.mod",
            format!(
                "{} is laid out for GOPATH mode (under {}/src, import path {import_path}) but has no go.mod, and module mode is on{}: go build says \"go.mod file not found in current directory or any parent directory\" and gopls cannot load its packages.",
                cx.tilde(&folder.path),
                cx.tilde(&root),
                if value.is_empty() { " (the default since Go 1.16)".to_string() } else { format!(" (GO111MODULE={value})") }
            ),
        );
        f.evidence(format!("folder: {}", cx.tilde(&folder.path)));
        f.evidence(format!("GOPATH={}", cx.tilde(gopath)));
        f.evidence("go.mod: none in the folder or above it".to_string());
        f.fix(Fix {
            title: format!("Make it a module with its GOPATH import path: go mod init {import_path} (then go mod tidy)"),
            applicability: Applicability::Unsafe,
            actions: vec![Action::RunShell {
                command: format!("{go} mod init {import_path}"),
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

    fn env_json(extra: &str) -> serde_json::Value {
        json!({"go": {"env": run_ok(&[GO_BIN, "env", "-json"], &format!("{{\"GOPATH\": \"/home/gopher/go\", \"GOMOD\": \"\"{extra}}}"))}})
    }

    #[test]
    fn fires_when_go111module_off_hides_the_go_mod_and_offers_removal() {
        let mut s = snapshot(env_json(", \"GO111MODULE\": \"off\""));
        s.env.insert("GO111MODULE".into(), "off".into());
        let f = run(&GOPATH_MODE, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].title, "GO111MODULE=off: the go.mod is ignored");
        assert!(
            f[0].message.contains("so ~/src/hello/go.mod is ignored"),
            "{}",
            f[0].message
        );
        assert!(f[0].evidence.contains(
            &"GO111MODULE=off is set in the environment VS Code was started with".to_string()
        ));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command == "unset GO111MODULE")
        );
        // Set in go.toolsEnvVars: the fix is an edit, and after it the rule passes.
        let mut s = with_folder_settings(
            "{\n  // GOPATH days\n  \"go.toolsEnvVars\": {\"GO111MODULE\": \"off\"}\n}\n",
        );
        s.go = snapshot(env_json(", \"GO111MODULE\": \"off\"")).go;
        let f = run(&GOPATH_MODE, &s);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        assert_eq!(
            parse_jsonc(layer_text(&fixed, FOLDER_SETTINGS)),
            json!({"go.toolsEnvVars": {}})
        );
        let mut fixed = fixed;
        fixed.go = snapshot(env_json("")).go;
        assert!(run(&GOPATH_MODE, &fixed).is_empty());
    }

    #[test]
    fn fires_off_outside_gopath_and_for_gopath_code_in_module_mode() {
        let mut s = snapshot(env_json(", \"GO111MODULE\": \"off\""));
        s.workspace.folders[0].go_mod = None;
        let f = run(&GOPATH_MODE, &s);
        assert_eq!(
            f[0].title,
            "GO111MODULE=off and the folder is outside GOPATH"
        );
        let s = snapshot(
            json!({"go": env_json("")["go"].clone(), "workspace": {"folders": [{
            "uri": "file:///home/gopher/go/src/github.com/acme/tool", "path": "/home/gopher/go/src/github.com/acme/tool",
            "goFiles": ["main.go"], "filesVisited": 1}]}}),
        );
        let f = run(&GOPATH_MODE, &s);
        assert_eq!(f[0].title, "GOPATH-style code without a go.mod");
        assert!(
            f[0].message
                .contains("(under ~/go/src, import path github.com/acme/tool)"),
            "{}",
            f[0].message
        );
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, cwd }
            if command == "/usr/lib/go-1.24/bin/go mod init github.com/acme/tool" && cwd.as_deref() == Some("/home/gopher/go/src/github.com/acme/tool"))
        );
        // After go mod init the folder has a go.mod.
        let mut fixed = s.clone();
        fixed.workspace.folders[0].go_mod = Some(crate::protocol::FileText {
            path: "/home/gopher/go/src/github.com/acme/tool/go.mod".into(),
            text: "module github.com/acme/tool\n\ngo 1.24\n".into(),
        });
        assert!(run(&GOPATH_MODE, &fixed).is_empty());
    }

    #[test]
    fn passes_in_module_mode_with_go_mod_and_in_working_gopath_mode() {
        assert!(run(&GOPATH_MODE, &snapshot(json!({}))).is_empty());
        // GO111MODULE=off inside GOPATH/src without a go.mod: classic GOPATH mode (GSD501's).
        let s = snapshot(
            json!({"go": env_json(", \"GO111MODULE\": \"off\"")["go"].clone(), "workspace": {"folders": [{
            "uri": "file:///home/gopher/go/src/old", "path": "/home/gopher/go/src/old", "goFiles": ["main.go"]}]}}),
        );
        assert!(run(&GOPATH_MODE, &s).is_empty());
        // No Go files: nothing to load.
        let mut s = snapshot(env_json(", \"GO111MODULE\": \"off\""));
        s.workspace.folders[0].go_files.clear();
        assert!(run(&GOPATH_MODE, &s).is_empty());
    }
}
