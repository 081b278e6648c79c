use serde_json::{json, Value};

use crate::context::Context;
use crate::declare_rule;
use crate::jsonc::Op;
use crate::protocol::{Action, Applicability, Fix};
use crate::rules::common::settings_fix;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// `go.buildTags` set while the language server is on, and gopls's `build.buildFlags` set in
    /// some settings layer without `-tags`. vscode-go passes `go.buildTags` (and `go.buildFlags`)
    /// to gopls as `build.buildFlags` itself, but only when no layer sets gopls
    /// `build.buildFlags` ("If gopls.build.buildFlags is set, don't touch it", vscode-go
    /// `extension/src/language/goLanguageServer.ts` `passGoConfigToGoplsConfigValues`). So
    /// `go.buildTags` alone is fine; it is lost only next to an explicit `build.buildFlags`.
    ///
    /// ## Why it matters
    /// Files behind those tags are invisible to gopls: `No packages found for open file ...
    /// This file may be excluded due to its build tags; try adding "-tags=<build tag>" to your
    /// gopls "buildFlags" configuration` (golang/tools `gopls/internal/cache/snapshot.go`). Hover
    /// and definition are dead in exactly those files.
    ///
    /// ## Example
    /// ```jsonc
    /// { "go.buildTags": "integration", "gopls": { "build.buildFlags": ["-mod=mod"] } }
    /// ```
    ///
    /// ## Fix
    /// Add `-tags=<tags>` to gopls `build.buildFlags` in the settings file that sets it.
    /// Safe: it makes gopls see what `go.buildTags` already asked for. A quoted `-tags` value is
    /// rewritten as `-tags=a,b` (review: gopls then builds the files behind those tags).
    pub BUILD_TAGS_IGNORED {
        code: "GSD319",
        name: "build-tags-ignored",
        category: Settings,
        severity: Warning,
        summary: "gopls sees the configured build tags",
        fix: Always,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    check_quoted_tags(cx, out);
    check_build_tags(cx, out);
}

/// The build tags `go` reads from a `-tags` value: cmd/go/internal/work/build.go `tagsFlag.Set`
/// splits on commas, except that a value with a space or a single quote goes through
/// cmd/internal/quoted `Split` (whitespace-separated fields; a field *starting* with ' or " runs
/// to the matching quote, which is dropped). `None`: an unterminated quote (go refuses it).
pub(crate) fn go_tags(v: &str) -> Option<Vec<String>> {
    if !(v.contains(' ') || v.contains('\'')) {
        return Some(
            v.split(',')
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect(),
        );
    }
    let mut out = Vec::new();
    let mut rest = v;
    loop {
        rest = rest.trim_start_matches([' ', '\t', '\n', '\r']);
        let Some(first) = rest.chars().next() else {
            break;
        };
        if first == '\'' || first == '"' {
            let body = rest.get(1..)?;
            let end = body.find(first)?;
            out.push(body.get(..end)?.to_string());
            rest = body.get(end + 1..)?;
        } else {
            let end = rest.find([' ', '\t', '\n', '\r']).unwrap_or(rest.len());
            out.push(rest.get(..end)?.to_string());
            rest = rest.get(end..)?;
        }
    }
    Some(out)
}

/// A tag that can appear in a `//go:build` line (letters, digits, `_`, `.`).
fn valid_tag(t: &str) -> bool {
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
}

/// `-tags` values in flag lists passed to `go` as argv (no shell strips the quotes): gopls
/// `build.buildFlags`, `go.buildFlags`, `go.testFlags`. A tag that keeps a quote or a comma never
/// matches a `//go:build` line.
fn check_quoted_tags(cx: &Context<'_>, out: &mut Sink) {
    for layer in &cx.layers {
        let Some(doc) = layer.doc.as_ref() else {
            continue;
        };
        let scope = layer.layer.scope.label();
        let mut lists: Vec<(Vec<&str>, Vec<Value>)> = Vec::new();
        for key in ["go.buildFlags", "go.testFlags"] {
            if let Some(Value::Array(a)) = doc.value(key) {
                lists.push((vec![key], a));
            }
        }
        if let Some(g) = doc.value("gopls") {
            for key in ["build.buildFlags", "buildFlags"] {
                if let Some(Value::Array(a)) = g.get(key) {
                    lists.push((vec!["gopls", key], a.clone()));
                }
            }
        }
        for (path, flags) in lists {
            let strs: Vec<Option<&str>> = flags.iter().map(Value::as_str).collect();
            for (i, flag) in strs.iter().enumerate() {
                let Some(flag) = flag else { continue };
                let (value, value_index) = match flag
                    .strip_prefix("--tags")
                    .or_else(|| flag.strip_prefix("-tags"))
                {
                    Some(rest) if rest.starts_with('=') => (rest.get(1..).unwrap_or(""), i),
                    Some("") => match strs.get(i + 1).copied().flatten() {
                        Some(v) => (v, i + 1),
                        None => continue,
                    },
                    _ => continue,
                };
                let parsed = go_tags(value);
                let bad: Vec<String> = match &parsed {
                    Some(tags) => tags.iter().filter(|t| !valid_tag(t)).cloned().collect(),
                    None => vec![value.to_string()],
                };
                if bad.is_empty() {
                    continue;
                }
                let meant: Vec<String> = value
                    .split(|c: char| c == ',' || c.is_whitespace() || c == '\'' || c == '"')
                    .filter(|t| valid_tag(t))
                    .map(str::to_string)
                    .collect();
                let shown = path.join(" › ");
                let got = match &parsed {
                    Some(tags) => format!(
                        "the tags {}",
                        tags.iter()
                            .map(|t| format!("«{t}»"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    None => "an unterminated quote, which go rejects".into(),
                };
                let flag_text = if value_index == i {
                    flag.to_string()
                } else {
                    format!("{flag} {value}")
                };
                let f = out.report(
                    format!("Quoted build tags in `{shown}` never match"),
                    format!("`{flag_text}` in {scope} settings reaches go as an argument, with no shell to remove the quotes: go reads {got}, so files behind `//go:build {}` stay excluded (gopls: \"No packages found for open file\"). Write `-tags={}`.",
                        meant.first().map(String::as_str).unwrap_or("…"),
                        meant.join(",")),
                );
                f.at(doc
                    .prop(path.first().copied().unwrap_or(""))
                    .map(|p| doc.name_location(p)));
                f.evidence(format!(
                    "{scope} settings: {}",
                    crate::text::uri_to_path(&layer.layer.uri)
                ));
                f.evidence("recorded with go1.19.8 and go1.24.4: `go list -tags=\"test\"` and `-tags='a,test'` leave out a `//go:build test` file; `--tags='test'` and `-tags=a,test` keep it (cmd/go/internal/work/build.go tagsFlag.Set)");
                if meant.is_empty() {
                    continue;
                }
                let mut new_flags = flags.clone();
                let replacement = json!(format!("-tags={}", meant.join(",")));
                if value_index == i {
                    if let Some(slot) = new_flags.get_mut(i) {
                        *slot = replacement;
                    }
                } else {
                    new_flags.splice(i..=value_index, [replacement]);
                }
                settings_fix(
                    f,
                    layer,
                    doc.apply(&[Op::Set(&path, Value::Array(new_flags))]),
                    format!("Write `-tags={}` in `{shown}`", meant.join(",")),
                    Applicability::Unsafe,
                );
            }
        }
    }
}

fn check_build_tags(cx: &Context<'_>, out: &mut Sink) {
    if !cx.language_server_enabled() {
        return;
    }
    let Some((tags, layer)) = cx.effective("go.buildTags") else {
        return;
    };
    let Some(tags) = tags.as_str().map(str::trim).filter(|t| !t.is_empty()) else {
        return;
    };
    // The gopls `build.buildFlags` that wins (VS Code merges the "gopls" objects of all layers
    // key by key), with the layer and the key spelling that set it.
    let winner = cx.gopls_setting("build.buildFlags", |v| v.as_array().cloned());
    // Without an explicit build.buildFlags, vscode-go hands go.buildTags to gopls itself.
    let Some((flags, flags_layer, flags_key)) = winner else {
        return;
    };
    let has_tags_flag = flags.iter().any(|f| {
        f.as_str()
            .is_some_and(|s| s.starts_with("-tags") || s.starts_with("--tags"))
    });
    if has_tags_flag {
        return;
    }
    let Some(doc) = layer.doc.as_ref() else {
        return;
    };
    let scope = layer.layer.scope.label();
    let flags_scope = flags_layer.layer.scope.label();
    let flag = format!("-tags={}", tags.replace(' ', ","));
    let f = out.report(
        "gopls ignores go.buildTags",
        format!("`go.buildTags` is \"{tags}\" in {scope} settings, but gopls `{flags_key}` is set in {flags_scope} settings without `-tags`, so vscode-go does not pass the tags to gopls: files that need these tags show \"No packages found\" and have no hover or go-to-definition. gopls needs `{flag}` in its build.buildFlags."),
    );
    f.at(doc.prop("go.buildTags").map(|p| doc.name_location(p)));
    f.evidence("vscode-go passes go.buildTags to gopls only when gopls build.buildFlags is not set (extension/src/language/goLanguageServer.ts passGoConfigToGoplsConfigValues)");
    // Append to the build.buildFlags that wins, in the file that sets it.
    let Some(flags_doc) = flags_layer.doc.as_ref() else {
        return;
    };
    let mut new_flags = flags;
    new_flags.push(json!(flag));
    if let Some(edit) = flags_doc.apply(&[Op::Set(&["gopls", flags_key], Value::Array(new_flags))])
    {
        f.fix(Fix {
            title: format!("Add \"{flag}\" to gopls {flags_key} ({flags_scope} settings)"),
            applicability: Applicability::Safe,
            actions: vec![Action::EditFile {
                uri: flags_layer.layer.uri.clone(),
                edits: vec![edit],
            }],
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn go_tags_like_cmd_go() {
        // Each case checked with `go list` on go1.19.8 and go1.24.4 (see the evidence line).
        let t = |v: &str| go_tags(v).map(|x| x.join("|"));
        assert_eq!(t("'test'").as_deref(), Some("test"));
        assert_eq!(t("\"test\"").as_deref(), Some("\"test\""));
        assert_eq!(t("'a,test'").as_deref(), Some("a,test"));
        assert_eq!(t("\"a test\"").as_deref(), Some("a test"));
        assert_eq!(t("a,test").as_deref(), Some("a|test"));
        assert_eq!(t("a b").as_deref(), Some("a|b"));
        assert_eq!(t("'open"), None);
    }

    #[test]
    fn fires_for_quoted_tags_in_gopls_build_flags() {
        let s = with_folder_settings("{\n  \"gopls\": {\n    // integration tests\n    \"build.buildFlags\": [\"-tags=\\\"integration\\\"\", \"-mod=mod\"]\n  },\n  \"go.testFlags\": [\"-v\", \"-tags\", \"'a,b'\"]\n}");
        let f = run(&BUILD_TAGS_IGNORED, &s);
        assert_eq!(
            f.len(),
            2,
            "{:#?}",
            f.iter().map(|x| &x.message).collect::<Vec<_>>()
        );
        assert!(f
            .iter()
            .any(|x| x.message.contains("go reads the tags «\"integration\"»")));
        assert!(f
            .iter()
            .any(|x| x.message.contains("`-tags 'a,b'` in folder settings")
                && x.message.contains("go reads the tags «a,b»")));
        let mut cur = s;
        for _ in 0..2 {
            let f = run(&BUILD_TAGS_IGNORED, &cur);
            cur = apply_fix(&cur, &f[0].fixes[0]);
        }
        let out = layer_text(&cur, FOLDER_SETTINGS);
        assert!(out.contains("// integration tests"));
        assert_eq!(
            parse_jsonc(out),
            json!({"gopls": {"build.buildFlags": ["-tags=integration", "-mod=mod"]}, "go.testFlags": ["-v", "-tags=a,b"]})
        );
        assert!(run(&BUILD_TAGS_IGNORED, &cur).is_empty());
    }

    #[test]
    fn passes_for_single_quoted_single_tag_as_in_avalanchego() {
        // tests/corpus: ava-labs/avalanchego .vscode/settings.json — `--tags='test'` works: go
        // drops the quotes of a single quoted field.
        let s = with_folder_settings("{\n    \"gopls\": {\n        \"build.buildFlags\": [\n            \"--tags='test'\",\n        ],\n    },\n    \"go.testTags\": \"test\",\n}");
        assert!(run(&BUILD_TAGS_IGNORED, &s).is_empty());
    }

    #[test]
    fn fires_and_fix_adds_tags_flag_to_gopls() {
        let s = with_folder_settings("{\n  \"go.buildTags\": \"integration e2e\", // CI\n  \"gopls\": {\"build.buildFlags\": [\"-mod=mod\"]}\n}");
        let f = run(&BUILD_TAGS_IGNORED, &s);
        assert_eq!(f.len(), 1);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        let out = layer_text(&fixed, FOLDER_SETTINGS);
        assert!(out.contains("// CI"));
        assert_eq!(
            parse_jsonc(out)["gopls"]["build.buildFlags"],
            json!(["-mod=mod", "-tags=integration,e2e"])
        );
        assert!(run(&BUILD_TAGS_IGNORED, &fixed).is_empty());
    }

    #[test]
    fn passes_when_gopls_has_tags() {
        assert!(run(
            &BUILD_TAGS_IGNORED,
            &with_folder_settings(
                "{\"go.buildTags\": \"x\", \"gopls\": {\"build.buildFlags\": [\"-tags=x\"]}}"
            )
        )
        .is_empty());
        assert!(run(&BUILD_TAGS_IGNORED, &snapshot(json!({}))).is_empty());
    }

    /// Corpus false positive: woodpecker-ci/woodpecker `.vscode/settings.json` (2bda1902) and
    /// pulumi/pulumi `.vscode/settings.json` set `go.buildTags` with no gopls `build.buildFlags`;
    /// vscode-go then passes `-tags <tags>` to gopls itself (passGoConfigToGoplsConfigValues).
    #[test]
    fn passes_when_vscode_go_passes_the_tags_itself() {
        let woodpecker = "{\n  \"go.lintTool\": \"golangci-lint\",\n  \"go.lintFlags\": [\"--fast\"],\n  \"go.buildTags\": \"test\",\n  // Auto fix\n  \"editor.codeActionsOnSave\": {\n    \"source.fixAll.eslint\": \"explicit\",\n    \"source.organizeImports\": \"never\"\n  }\n}\n";
        assert!(run(&BUILD_TAGS_IGNORED, &with_folder_settings(woodpecker)).is_empty());
        let pulumi = "{\n    \"go.buildTags\": \"all\",\n    \"gopls\": {\n        // Uses https://github.com/mvdan/gofumpt for formatting.\n        \"formatting.gofumpt\": true,\n    },\n}";
        assert!(run(&BUILD_TAGS_IGNORED, &with_folder_settings(pulumi)).is_empty());
    }

    #[test]
    fn fires_when_build_flags_come_from_another_layer_and_fixes_that_layer() {
        let mut s = with_folder_settings("{\"go.buildTags\": \"test\"}");
        s.settings[0].text = Some("{\"gopls\": {\"build.buildFlags\": [\"-mod=mod\"]}}".into());
        let f = run(&BUILD_TAGS_IGNORED, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("user settings"), "{}", f[0].message);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        assert_eq!(
            parse_jsonc(layer_text(&fixed, USER_SETTINGS))["gopls"]["build.buildFlags"],
            json!(["-mod=mod", "-tags=test"])
        );
        assert!(run(&BUILD_TAGS_IGNORED, &fixed).is_empty());
    }
}
