use crate::context::Context;
use crate::declare_rule;
use crate::jsonc::{Op, SettingsDoc};
use crate::protocol::{Applicability, FileText, Scope};
use crate::rules::common::settings_fix;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Go files that import `syscall/js` without being limited to the js/wasm target: no
    /// `//go:build` (or `// +build`) line naming `js` or `wasm`, and no `_js.go`, `_wasm.go` or
    /// `_js_wasm.go` file name (cmd/go `go help buildconstraint`), while gopls builds for the host:
    /// gopls's `build.env` does not set `GOOS=js` and `go env GOOS` is not `js`. The gatherer reads
    /// the head of the first 1,000 `.go` files of each folder (8 KiB each) and keeps the ones that
    /// mention `"syscall/js"`.
    ///
    /// ## Why it matters
    /// `syscall/js` only exists for `GOOS=js GOARCH=wasm`. gopls type-checks for the host, so
    /// every such file is full of errors and has no completion for `js.` (real output of gopls
    /// v0.16.1 with go1.22.12, recorded by `tests/scenarios/modules.test.ts`):
    /// ```text
    /// main.go:3:8-20: could not import syscall/js (no required module provides package "syscall/js")
    /// main.go:3:8-20: error while importing syscall/js: build constraints exclude all Go files in /usr/lib/go-1.22/src/syscall/js
    /// ```
    /// and `go build` says `imports syscall/js: build constraints exclude all Go files in …`
    /// (golang/vscode-go#1386, golang/go#33306).
    ///
    /// ## Example
    /// A WebAssembly front end `main.go` with `import "syscall/js"`, built with
    /// `GOOS=js GOARCH=wasm go build`, opened in VS Code on Linux.
    ///
    /// ## Fix
    /// Tell gopls to build this folder for js/wasm: `"gopls": {"build.env": {"GOOS": "js",
    /// "GOARCH": "wasm"}}` in the folder's `.vscode/settings.json` (review: the whole folder is then
    /// checked for js/wasm, so host-only files get the opposite errors). For a module that mixes
    /// both, put `//go:build js && wasm` on the wasm files instead.
    pub WASM_TARGET_IMPORTS {
        code: "GSD410",
        name: "wasm-target-imports",
        category: Workspace,
        severity: Info,
        summary: "syscall/js importers are built for js/wasm",
        fix: Sometimes,
        since: "0.1.0",
    }
}

fn basename(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The file is built only for js or wasm (by file name or a build constraint naming them).
fn constrained_to_wasm(file: &FileText) -> bool {
    let name = basename(&file.path)
        .trim_end_matches(".go")
        .trim_end_matches("_test");
    if name.ends_with("_js") || name.ends_with("_wasm") {
        return true;
    }
    for line in file.text.lines() {
        let l = line.trim();
        if l.starts_with("package ") {
            break;
        }
        let expr = l
            .strip_prefix("//go:build")
            .or_else(|| l.strip_prefix("// +build"));
        let Some(expr) = expr else { continue };
        let tokens: Vec<&str> = expr
            .split(|c: char| !(c.is_alphanumeric() || c == '!' || c == '_' || c == '.'))
            .filter(|t| !t.is_empty())
            .collect();
        if tokens
            .iter()
            .any(|t| matches!(t.trim_start_matches('!'), "js" | "wasm"))
        {
            // `!js` also counts: such a file is never built for js, the import is deliberate.
            return true;
        }
    }
    false
}

/// The `import "syscall/js"` line of a file head, for evidence.
fn import_line(text: &str) -> Option<(usize, &str)> {
    text.lines()
        .enumerate()
        .find(|(_, l)| l.contains("\"syscall/js\"") && !l.trim_start().starts_with("//"))
        .map(|(i, l)| (i + 1, l.trim()))
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let gopls_goos = cx
        .gopls_setting("build.env", |v| v.get("GOOS")?.as_str().map(str::to_string))
        .map(|(v, _, _)| v);
    if gopls_goos.as_deref() == Some("js") || cx.go_env_var("GOOS") == Some("js") {
        return;
    }
    for folder in &cx.snapshot.workspace.folders {
        let files: Vec<&FileText> = folder
            .syscall_js_files
            .iter()
            .flatten()
            .filter(|f| import_line(&f.text).is_some() && !constrained_to_wasm(f))
            .collect();
        if files.is_empty() {
            continue;
        }
        let base = folder.path.trim_end_matches(['/', '\\']);
        let rel = |p: &str| -> String {
            p.strip_prefix(base)
                .map(|r| r.trim_start_matches(['/', '\\']).to_string())
                .unwrap_or_else(|| p.to_string())
        };
        let shown: Vec<String> = files.iter().take(3).map(|f| rel(&f.path)).collect();
        let goos = gopls_goos
            .clone()
            .or_else(|| cx.go_env_var("GOOS").map(str::to_string))
            .unwrap_or_else(|| "the host's".into());
        let f = out.report(
            "syscall/js imported while gopls builds for the host",
            format!(
                "{} import{} syscall/js with no js/wasm build constraint, but gopls type-checks {} for GOOS={goos}: it reports \"could not import syscall/js\" and offers no completion for js.*.",
                shown.join(", "),
                if files.len() == 1 { "s" } else { "" },
                cx.tilde(&folder.path)
            ),
        );
        for file in files.iter().take(5) {
            if let Some((n, line)) = import_line(&file.text) {
                f.evidence(format!("{}:{n}: {line}", rel(&file.path)));
            }
        }
        if files.len() > 5 {
            f.evidence(format!("... and {} more files", files.len() - 5));
        }
        f.evidence(format!(
            "gopls build.env GOOS: {}",
            gopls_goos.as_deref().unwrap_or("not set")
        ));
        if let Some(n) = folder.go_files_scanned {
            f.evidence(format!(
                "import scan: {n} .go file{} of the folder read (at most the first 1,000)",
                if n == 1 { "" } else { "s" }
            ));
        }
        let Some(layer) = cx.layers.iter().find(|l| {
            l.layer.scope == Scope::WorkspaceFolder
                && l.layer.folder.as_deref() == Some(folder.uri.as_str())
        }) else {
            continue;
        };
        // A folder without .vscode/settings.json gets one (the shell creates missing files).
        let empty;
        let doc = match &layer.doc {
            Some(d) => d,
            None => {
                empty = SettingsDoc::parse(&layer.layer.uri, "", false);
                &empty
            }
        };
        let goos = serde_json::json!("js");
        let goarch = serde_json::json!("wasm");
        let edit = doc.apply(&[
            Op::Set(&["gopls", "build.env", "GOOS"], goos),
            Op::Set(&["gopls", "build.env", "GOARCH"], goarch),
        ]);
        settings_fix(
            f,
            layer,
            edit,
            "Make gopls build this folder for js/wasm: gopls build.env GOOS=js GOARCH=wasm in the folder's settings",
            Applicability::Unsafe,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Action;
    use crate::testing::*;
    use serde_json::json;

    const MAIN: &str = "package main\n\nimport (\n\t\"fmt\"\n\t\"syscall/js\"\n)\n\n";

    fn with_files(s: &mut crate::Snapshot, files: &[(&str, &str)]) {
        s.workspace.folders[0].go_files_scanned = Some(12);
        s.workspace.folders[0].syscall_js_files = Some(
            files
                .iter()
                .map(|(p, t)| FileText {
                    path: format!("/home/gopher/src/hello/{p}"),
                    text: (*t).to_string(),
                })
                .collect(),
        );
    }

    #[test]
    fn fires_with_a_build_env_edit_that_keeps_the_file() {
        let mut s = with_folder_settings(
            "{\n  // wasm front end\n  \"gopls\": {\"build.env\": {\"CGO_ENABLED\": \"0\"}}\n}\n",
        );
        with_files(&mut s, &[("web/main.go", MAIN)]);
        let f = run(&WASM_TARGET_IMPORTS, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, crate::protocol::Severity::Info);
        assert!(f[0].message.starts_with("web/main.go imports syscall/js with no js/wasm build constraint, but gopls type-checks ~/src/hello for GOOS=linux"), "{}", f[0].message);
        assert!(
            f[0].evidence
                .contains(&"web/main.go:5: \"syscall/js\"".to_string()),
            "{:#?}",
            f[0].evidence
        );
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        let text = layer_text(&fixed, FOLDER_SETTINGS);
        assert!(text.contains("// wasm front end"));
        assert_eq!(
            parse_jsonc(text),
            json!({"gopls": {"build.env": {"CGO_ENABLED": "0", "GOOS": "js", "GOARCH": "wasm"}}})
        );
        assert!(run(&WASM_TARGET_IMPORTS, &fixed).is_empty());
    }

    #[test]
    fn fires_and_creates_the_folder_settings_when_missing() {
        let mut s = snapshot(json!({}));
        with_files(
            &mut s,
            &[("main.go", "package main\n\nimport \"syscall/js\"\n")],
        );
        let f = run(&WASM_TARGET_IMPORTS, &s);
        let Action::EditFile { uri, edits } = &f[0].fixes[0].actions[0] else {
            panic!("{:?}", f[0].fixes)
        };
        assert_eq!(uri, FOLDER_SETTINGS);
        let text = crate::jsonc::apply_edits("", edits);
        assert_eq!(
            parse_jsonc(&text),
            json!({"gopls": {"build.env": {"GOOS": "js", "GOARCH": "wasm"}}})
        );
    }

    #[test]
    fn passes_for_constrained_files_or_a_js_build_env() {
        let mut s = snapshot(json!({}));
        with_files(
            &mut s,
            &[
                ("a_js.go", MAIN),
                ("b_js_wasm_test.go", MAIN),
                ("c.go", &format!("//go:build js && wasm\n\n{MAIN}")),
                ("d.go", &format!("// +build js,wasm\n\n{MAIN}")),
                ("e.go", "package e\n\n// see \"syscall/js\" docs\n"),
            ],
        );
        assert!(run(&WASM_TARGET_IMPORTS, &s).is_empty());
        let mut s = with_folder_settings(
            "{\"gopls\": {\"build.env\": {\"GOOS\": \"js\", \"GOARCH\": \"wasm\"}}}",
        );
        with_files(&mut s, &[("main.go", MAIN)]);
        assert!(run(&WASM_TARGET_IMPORTS, &s).is_empty());
        assert!(run(&WASM_TARGET_IMPORTS, &snapshot(json!({}))).is_empty());
    }
}
