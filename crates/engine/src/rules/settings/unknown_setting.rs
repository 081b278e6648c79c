use crate::context::Context;
use crate::declare_rule;
use crate::knowledge::schema::{self, did_you_mean};
use crate::knowledge::settings as legacy;
use crate::protocol::{Action, Applicability, Fix, Severity};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// `go.*` keys that vscode-go does not define (and never did: removed keys are GSD302), and
    /// keys inside `"gopls": {...}` that gopls does not know, with "did you mean" for typos
    /// (Damerau-Levenshtein distance from the `strsim` crate against the 67 vscode-go settings and
    /// gopls's documented settings). Also looks inside `"[go]": {...}` blocks, and reports a
    /// nested `"go": {"testTags": ...}` object, which is the unknown setting `go`, not
    /// `go.testTags`.
    ///
    /// ## Why it matters
    /// A misspelled key is silently ignored by VS Code (greyed out only while the file is open);
    /// an unknown gopls key makes gopls answer `Invalid settings: setting option "X": unexpected
    /// setting` on every start (golang/tools `settings.go`). gopls keys are reported only when
    /// close to a known one: gopls accepts undocumented internal keys. Nested objects are honoured
    /// only inconsistently by VS Code (microsoft/vscode#189113; "Dotted representation is only
    /// supported for settings keys", microsoft/vscode#120634).
    ///
    /// ## Example
    /// ```jsonc
    /// { "go.formattool": "gofumpt", "gopls": { "ui.semanticToken": true } }
    /// ```
    ///
    /// ## Fix
    /// Rename to the suggested key (safe: the misspelled key had no effect). A nested `"go"`
    /// object is rewritten as dotted keys (review; not offered when it holds comments or a dotted
    /// key of the same name exists).
    pub UNKNOWN_SETTING {
        code: "GSD304",
        name: "unknown-setting",
        category: Settings,
        severity: Warning,
        summary: "every go.* and gopls key exists",
        fix: Sometimes,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    for layer in &cx.layers {
        let Some(doc) = layer.doc.as_ref() else {
            continue;
        };
        let scope = layer.layer.scope.label();
        let mut props: Vec<(Vec<String>, &jsonc_parser::ast::ObjectProp<'_>)> = doc
            .props()
            .map(|p| (vec![p.name.as_str().to_string()], p))
            .collect();
        for block in doc.props().filter(|p| p.name.as_str() == "[go]") {
            if let Some(obj) = block.value.as_object() {
                props.extend(
                    obj.properties
                        .iter()
                        .map(|p| (vec!["[go]".to_string(), p.name.as_str().to_string()], p)),
                );
            }
        }
        for (path, prop) in props {
            let key = prop.name.as_str();
            if key.starts_with("go.")
                && schema::go_setting(key).is_none()
                && legacy::lookup(key).is_none()
            {
                let suggestion = did_you_mean(key, schema::GO_SETTINGS.iter().map(|s| s.key));
                report(
                    cx,
                    out,
                    doc,
                    &layer.layer.uri,
                    scope,
                    &path,
                    prop,
                    suggestion,
                    false,
                );
            }
            if key == "go" && path.len() == 1 {
                if let Some(obj) = prop.value.as_object() {
                    nested_go_block(out, doc, &layer.layer.uri, scope, prop, obj);
                }
            }
            if key == "gopls" && path.len() == 1 {
                let Some(obj) = prop.value.as_object() else {
                    continue;
                };
                for inner in &obj.properties {
                    let k = inner.name.as_str();
                    if schema::gopls_knows(k) {
                        continue;
                    }
                    let Some(suggestion) =
                        did_you_mean(k, schema::GOPLS_SETTINGS.iter().map(|s| s.key))
                    else {
                        continue;
                    };
                    report(
                        cx,
                        out,
                        doc,
                        &layer.layer.uri,
                        scope,
                        &["gopls".to_string(), k.to_string()],
                        inner,
                        Some(suggestion),
                        true,
                    );
                }
            }
        }
    }
}

/// `"go": {"testTags": "x"}`: VS Code settings are dotted keys; this object is the unknown
/// setting `go`, and its values are read only by accident (microsoft/vscode#189113).
fn nested_go_block(
    out: &mut Sink,
    doc: &crate::jsonc::SettingsDoc<'_>,
    uri: &str,
    scope: &str,
    prop: &jsonc_parser::ast::ObjectProp<'_>,
    obj: &jsonc_parser::ast::Object<'_>,
) {
    use jsonc_parser::common::Ranged;
    let inner: Vec<(String, serde_json::Value)> = obj
        .properties
        .iter()
        .map(|p| (format!("go.{}", p.name.as_str()), p.value.clone().into()))
        .collect();
    let keys: Vec<&str> = inner.iter().map(|(k, _)| k.as_str()).collect();
    let shown = if keys.is_empty() {
        "nothing".to_string()
    } else {
        keys.iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let f = out.report(
        "`\"go\": {...}` is not a setting: VS Code settings are dotted keys",
        format!("VS Code has no setting `go`; a nested object is not how settings are written (\"Dotted representation is only supported for settings keys\", microsoft/vscode#120634). VS Code marks `go` as an unknown configuration setting and honours nested keys only inconsistently (microsoft/vscode#189113), and tools that read settings.json by key do not see them. It holds {shown}: write them as top-level dotted keys."),
    );
    f.at(Some(doc.name_location(prop)));
    f.evidence(format!(
        "{scope} settings: {}",
        crate::text::uri_to_path(uri)
    ));
    // No edit if it would drop comments inside the block or overwrite a dotted key already set.
    let range = prop.range();
    let body = doc.text.get(range.start..range.end).unwrap_or("");
    if inner.is_empty()
        || body.contains("//")
        || body.contains("/*")
        || keys.iter().any(|k| doc.prop(k).is_some())
    {
        return;
    }
    let paths: Vec<[&str; 1]> = keys.iter().map(|k| [*k]).collect();
    let mut ops = vec![crate::jsonc::Op::Remove(&["go"])];
    ops.extend(
        paths
            .iter()
            .zip(&inner)
            .map(|(p, (_, v))| crate::jsonc::Op::Set(p, v.clone())),
    );
    if let Some(edit) = doc.apply(&ops) {
        f.fix(Fix {
            title: format!("Rewrite as {shown}"),
            applicability: Applicability::Unsafe,
            actions: vec![Action::EditFile {
                uri: uri.to_string(),
                edits: vec![edit],
            }],
        });
    }
}

#[allow(clippy::too_many_arguments)]
fn report(
    _cx: &Context<'_>,
    out: &mut Sink,
    doc: &crate::jsonc::SettingsDoc<'_>,
    uri: &str,
    scope: &str,
    path: &[String],
    prop: &jsonc_parser::ast::ObjectProp<'_>,
    suggestion: Option<&str>,
    gopls: bool,
) {
    let key = prop.name.as_str();
    let shown = path.join(" › ");
    let mut message = if gopls {
        format!("gopls has no setting `{key}`: it answers `Invalid settings: setting option \"{}\": unexpected setting` and ignores it.", key.rsplit('.').next().unwrap_or(key))
    } else {
        format!("vscode-go has no setting `{key}`; VS Code ignores it.")
    };
    if let Some(s) = suggestion {
        message.push_str(&format!(" Did you mean `{s}`?"));
    }
    let f = out.report(format!("Unknown setting `{shown}`"), message);
    if gopls {
        f.severity(Severity::Error);
    }
    f.at(Some(doc.name_location(prop)));
    f.evidence(format!(
        "{scope} settings: {}",
        crate::text::uri_to_path(uri)
    ));
    f.evidence(format!(
        "source: vscode-go package.json / gopls api.json (checked {})",
        schema::CHECKED_ON
    ));
    let Some(s) = suggestion else { return };
    let refs: Vec<&str> = path.iter().map(String::as_str).collect();
    if let Some(edit) = doc.rename(&refs, s) {
        f.fix(Fix {
            title: format!("Rename to `{s}`"),
            applicability: Applicability::Safe,
            actions: vec![Action::EditFile {
                uri: uri.to_string(),
                edits: vec![edit],
            }],
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_with_did_you_mean_and_rename_fix() {
        let s = with_folder_settings("{\n  // format\n  \"go.formattool\": \"gofumpt\",\n  \"gopls\": {\"ui.semanticToken\": true, \"internalThing\": 1}\n}");
        let f = run(&UNKNOWN_SETTING, &s);
        assert_eq!(
            f.len(),
            2,
            "{:#?}",
            f.iter().map(|x| &x.title).collect::<Vec<_>>()
        );
        let go = f
            .iter()
            .find(|x| x.title.contains("go.formattool"))
            .unwrap();
        assert!(go.message.contains("Did you mean `go.formatTool`?"));
        let fixed = apply_fix(&s, &go.fixes[0]);
        let gopls = run(&UNKNOWN_SETTING, &fixed);
        let fixed = apply_fix(&fixed, &gopls[0].fixes[0]);
        let out = layer_text(&fixed, FOLDER_SETTINGS);
        assert!(out.contains("// format"));
        assert_eq!(
            parse_jsonc(out),
            json!({"go.formatTool": "gofumpt", "gopls": {"ui.semanticTokens": true, "internalThing": 1}})
        );
        assert!(run(&UNKNOWN_SETTING, &fixed).is_empty());
    }

    #[test]
    fn fires_for_a_nested_go_object() {
        // tests/corpus: ory/hydra .vscode/settings.json.
        let text = "{\n  // \"[go]\": {\n  //   \"editor.formatOnSave\": false,\n  // },\n  \"go\": {\n    \"testTags\": \"sqlite\"\n  }\n}\n";
        let s = with_folder_settings(text);
        let f = run(&UNKNOWN_SETTING, &s);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("It holds `go.testTags`"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].fixes[0].applicability, Applicability::Unsafe);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        let out = layer_text(&fixed, FOLDER_SETTINGS);
        assert!(
            out.contains("//   \"editor.formatOnSave\": false,"),
            "{out}"
        );
        assert_eq!(parse_jsonc(out), json!({"go.testTags": "sqlite"}));
        assert!(run(&UNKNOWN_SETTING, &fixed).is_empty());
        // The flattened keys become visible to every other rule.
        let cx = crate::context::Context::new(&fixed);
        assert_eq!(
            cx.effective("go.testTags").map(|(v, _)| v),
            Some(json!("sqlite"))
        );
        // No edit when a comment sits inside or the dotted key already exists.
        for text in [
            "{\"go\": {\n // why\n \"testTags\": \"x\"}}",
            "{\"go.testTags\": \"y\", \"go\": {\"testTags\": \"x\"}}",
        ] {
            let f = run(&UNKNOWN_SETTING, &with_folder_settings(text));
            assert_eq!(f.len(), 1);
            assert!(f[0].fixes.is_empty());
        }
    }

    #[test]
    fn passes_for_dotted_go_keys() {
        let s = with_folder_settings(
            "{\"go.testTags\": \"sqlite\", \"[go]\": {\"editor.tabSize\": 4}}",
        );
        assert!(run(&UNKNOWN_SETTING, &s).is_empty());
    }

    #[test]
    fn fires_inside_go_language_block() {
        let s = with_folder_settings(
            "{\"[go]\": {\"go.lintToool\": \"revive\", \"editor.formatOnSave\": true}}",
        );
        let f = run(&UNKNOWN_SETTING, &s);
        assert_eq!(f.len(), 1);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        assert_eq!(
            parse_jsonc(layer_text(&fixed, FOLDER_SETTINGS)),
            json!({"[go]": {"go.lintTool": "revive", "editor.formatOnSave": true}})
        );
    }

    #[test]
    fn passes_on_known_removed_and_internal_keys() {
        let s = with_folder_settings("{\"go.formatTool\": \"gofumpt\", \"go.gocodeAutoBuild\": true, \"gopls\": {\"build.experimentalWorkspaceModule\": true, \"verboseWorkDoneProgress\": true}}");
        assert!(run(&UNKNOWN_SETTING, &s).is_empty());
    }
}
