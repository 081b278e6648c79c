use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Settings that restate a default (`"go.useLanguageServer": true`, `"go.formatTool":
    /// "default"`) or point at the wrong kind of path: `go.goroot` ending in `/bin` or `/bin/go`
    /// (it must be the installation root), `go.toolsGopath` ending in `/bin` (it is a GOPATH; tools go
    /// to its `bin`), and `go.gopath` / `go.toolsGopath` naming the go binary (`/usr/bin/go`; raised
    /// to a warning: a real GOPATH of `/usr/bin/go` makes go1.24.4 fail `go install` with `mkdir
    /// /usr/bin/go: not a directory`, recorded on this machine with `GOPATH=$(command -v go)`).
    ///
    /// ## Why it matters
    /// Defaults restated in a committed `.vscode/settings.json` override every user's own choice
    /// for no reason. A `go.goroot` of `/usr/local/go/bin` makes vscode-go look for
    /// `/usr/local/go/bin/bin/go` and say `go.goroot setting is ignored. ... is not a valid GOROOT
    /// directory.` (vscode-go `goEnv.ts`).
    ///
    /// ## Example
    /// ```jsonc
    /// { "go.goroot": "/usr/local/go/bin", "go.useLanguageServer": true }
    /// ```
    ///
    /// ## Fix
    /// Remove the default (safe unless a lower-precedence scope sets another value), or cut the path to the installation root / GOPATH (safe: the old
    /// value did not work). A GOPATH naming the go binary is removed (review: the default GOPATH
    /// then applies).
    pub REDUNDANT_OR_MISPLACED_SETTING {
        code: "GSD320",
        name: "redundant-or-misplaced-setting",
        category: Settings,
        severity: Info,
        summary: "no settings that restate defaults or misplace paths",
        fix: Always,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    for layer in &cx.layers {
        let Some(doc) = layer.doc.as_ref() else {
            continue;
        };
        let uri = &layer.layer.uri;
        let scope = layer.layer.scope.label();
        for (key, default) in [
            ("go.useLanguageServer", serde_json::json!(true)),
            ("go.formatTool", serde_json::json!("default")),
        ] {
            let (Some(prop), Some(v)) = (doc.prop(key), doc.value(key)) else {
                continue;
            };
            if v != default {
                continue;
            }
            let why = if matches!(
                layer.layer.scope,
                crate::protocol::Scope::WorkspaceFile | crate::protocol::Scope::WorkspaceFolder
            ) {
                "in a shared workspace settings file it overrides every user's own value"
            } else {
                "the line can go"
            };
            let f = out.report(
                format!("`{key}` restates the default"),
                format!("`{key}`: {v} in {scope} settings is the default; {why}."),
            );
            f.at(Some(doc.name_location(prop)));
            // Removing it keeps behaviour only if no lower-precedence layer sets another value.
            let lower_differs = cx
                .layers
                .iter()
                .take_while(|l| !std::ptr::eq(*l, layer))
                .any(|l| {
                    l.doc
                        .as_ref()
                        .and_then(|d| d.value(key))
                        .is_some_and(|v| v != default)
                });
            let applicability = if lower_differs {
                Applicability::Unsafe
            } else {
                Applicability::Safe
            };
            if let Some(edit) = doc.remove(&[key]) {
                f.fix(Fix {
                    title: format!("Remove `{key}`"),
                    applicability,
                    actions: vec![Action::EditFile {
                        uri: uri.clone(),
                        edits: vec![edit],
                    }],
                });
            }
        }
        for key in ["go.goroot", "go.toolsGopath"] {
            let (Some(prop), Some(v)) = (doc.prop(key), doc.value(key)) else {
                continue;
            };
            let Some(path) = v.as_str() else { continue };
            let norm = path.replace('\\', "/");
            let trimmed = norm.trim_end_matches('/');
            let cut = if key == "go.goroot" {
                trimmed
                    .strip_suffix("/bin/go")
                    .or_else(|| trimmed.strip_suffix("/bin/go.exe"))
                    .or_else(|| trimmed.strip_suffix("/bin"))
            } else {
                trimmed.strip_suffix("/bin")
            };
            let Some(root) = cut.filter(|r| !r.is_empty()) else {
                continue;
            };
            let what = if key == "go.goroot" {
                "the Go installation root (the directory that contains bin/go)"
            } else {
                "a GOPATH (tools are installed into its bin/)"
            };
            let f = out.report(
                format!("`{key}` points inside the installation, not at its root"),
                format!("`{key}` is {path}, but it must be {what}: use {root}."),
            );
            f.at(Some(doc.name_location(prop)));
            if let Some(edit) = doc.set(&[key], &serde_json::json!(root)) {
                f.fix(Fix {
                    title: format!("Set `{key}` to {root}"),
                    applicability: Applicability::Safe,
                    actions: vec![Action::EditFile {
                        uri: uri.clone(),
                        edits: vec![edit],
                    }],
                });
            }
        }
        // A GOPATH that names the go binary: `go install` and module downloads write below it.
        for key in ["go.gopath", "go.toolsGopath"] {
            let (Some(prop), Some(v)) = (doc.prop(key), doc.value(key)) else {
                continue;
            };
            let Some(path) = v.as_str() else { continue };
            let norm = path.replace('\\', "/");
            let lower = norm.trim_end_matches('/').to_ascii_lowercase();
            if !(lower.ends_with("/bin/go") || lower.ends_with("/bin/go.exe")) {
                continue;
            }
            let f = out.report(
                format!("`{key}` points at the go binary, not at a GOPATH"),
                format!("`{key}` is {path}: that is the go command itself, but a GOPATH is a directory that receives `bin/` and `pkg/mod/`. With it, `go install` fails with \"mkdir {path}: not a directory\" and the module cache becomes {path}/pkg/mod, which cannot be created. Remove the setting to use the default GOPATH (`go env GOPATH`, normally ~/go); set `go.alternateTools.go` if the point was to choose the go binary."),
            );
            f.severity(crate::protocol::Severity::Warning);
            f.at(Some(doc.name_location(prop)));
            f.evidence(format!(
                "{scope} settings: {}",
                crate::text::uri_to_path(uri)
            ));
            if let Some(edit) = doc.remove(&[key]) {
                f.fix(Fix {
                    title: format!("Remove `{key}` from {scope} settings"),
                    applicability: Applicability::Unsafe,
                    actions: vec![Action::EditFile {
                        uri: uri.clone(),
                        edits: vec![edit],
                    }],
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_for_default_and_bin_paths_with_fixes() {
        let s = with_folder_settings("{\n  \"go.goroot\": \"/usr/local/go/bin\",\n  \"go.useLanguageServer\": true, // keep LS\n  \"go.toolsGopath\": \"/home/gopher/tools/bin\"\n}");
        let f = run(&REDUNDANT_OR_MISPLACED_SETTING, &s);
        assert_eq!(f.len(), 3);
        let mut cur = s;
        for _ in 0..3 {
            let f = run(&REDUNDANT_OR_MISPLACED_SETTING, &cur);
            cur = apply_fix(&cur, &f[0].fixes[0]);
        }
        assert_eq!(
            parse_jsonc(layer_text(&cur, FOLDER_SETTINGS)),
            json!({"go.goroot": "/usr/local/go", "go.toolsGopath": "/home/gopher/tools"})
        );
        assert!(run(&REDUNDANT_OR_MISPLACED_SETTING, &cur).is_empty());
    }

    #[test]
    fn fires_with_review_when_a_lower_layer_differs() {
        let mut s = with_folder_settings("{\"go.useLanguageServer\": true}");
        s.settings[0].text = Some("{\"go.useLanguageServer\": false}".into());
        let f = run(&REDUNDANT_OR_MISPLACED_SETTING, &s);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].fixes[0].applicability, Applicability::Unsafe);
    }

    #[test]
    fn fires_for_gopath_naming_the_go_binary() {
        // tests/corpus: kimhyunki/sw go/.vscode/settings.json.
        let text = "{\n    \"go.gopath\" : \"/usr/bin/go\",\n    \"go.inferGopath\": true,\n    \"go.toolsGopath\": \"/home/khk/work/khk/go/src\"\n}";
        let s = with_folder_settings(text);
        let f = run(&REDUNDANT_OR_MISPLACED_SETTING, &s);
        assert_eq!(
            f.len(),
            1,
            "{:#?}",
            f.iter().map(|x| &x.title).collect::<Vec<_>>()
        );
        assert_eq!(
            f[0].title,
            "`go.gopath` points at the go binary, not at a GOPATH"
        );
        assert_eq!(f[0].severity, crate::protocol::Severity::Warning);
        assert!(f[0].message.contains("mkdir /usr/bin/go: not a directory"));
        assert_eq!(f[0].fixes[0].applicability, Applicability::Unsafe);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        assert_eq!(
            parse_jsonc(layer_text(&fixed, FOLDER_SETTINGS)),
            json!({"go.inferGopath": true, "go.toolsGopath": "/home/khk/work/khk/go/src"})
        );
        assert!(run(&REDUNDANT_OR_MISPLACED_SETTING, &fixed).is_empty());
        let win =
            with_folder_settings(r#"{"go.toolsGopath": "C:\\Program Files\\Go\\bin\\go.exe"}"#);
        assert_eq!(run(&REDUNDANT_OR_MISPLACED_SETTING, &win).len(), 1);
    }

    #[test]
    fn passes_for_proper_values() {
        assert!(run(
            &REDUNDANT_OR_MISPLACED_SETTING,
            &with_folder_settings(
                "{\"go.goroot\": \"/usr/local/go\", \"go.useLanguageServer\": false, \"go.gopath\": \"/home/gopher/go\"}"
            )
        )
        .is_empty());
    }
}
