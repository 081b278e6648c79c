use crate::context::Context;
use crate::declare_rule;
use crate::knowledge::schema::{self, did_you_mean, Kind};
use crate::knowledge::{gopls, settings as known};
use crate::protocol::Applicability;
use crate::rules::common::settings_fix;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Values of known `go.*` settings and `"gopls": {...}` keys against their type and enum
    /// (vscode-go package.json, gopls api.json): e.g. `go.formatTool: "goreturns"` (dropped from
    /// the enum in vscode-go v0.24.0), `go.lintOnSave: true` (a string enum since the Microsoft era),
    /// `ui.completion.matcher: "fuzzy"`. Deprecated and removed keys are left to GSD301, GSD302 and
    /// GSD303, whose fix drops or renames them.
    ///
    /// ## Why it matters
    /// VS Code only greys it out while the file is open; vscode-go reads the value as it is and
    /// ignores or misreads it, or — for `go.formatTool` — tries
    /// to run a binary of that name and formatting moves away from gopls (GO-FACTS errata:
    /// "Any non-default go.formatTool (including removed goreturns, gofumports) ... runs that
    /// binary"). gopls rejects a bad enum with `Invalid settings`.
    ///
    /// ## Example
    /// ```jsonc
    /// { "go.formatTool": "goreturns", "go.lintOnSave": true }
    /// ```
    ///
    /// ## Fix
    /// Replace with the closest valid value when one is close enough (review: it changes what
    /// runs), otherwise the finding lists the valid values.
    pub INVALID_VALUE {
        code: "GSD305",
        name: "invalid-value",
        category: Settings,
        severity: Warning,
        summary: "setting values have the right type and enum value",
        fix: Sometimes,
        since: "0.1.0",
    }
}

fn type_ok(kind: Kind, v: &serde_json::Value) -> Result<(), String> {
    use serde_json::Value as V;
    let ok = match (kind, v) {
        (Kind::Any, _) => true,
        (Kind::Bool, V::Bool(_)) => true,
        (Kind::String, V::String(_)) => true,
        (Kind::StringOrNull, V::String(_) | V::Null) => true,
        (Kind::Array, V::Array(_)) => true,
        (Kind::Object, V::Object(_)) => true,
        // Otherwise the expectation below: "one of ...".
        (Kind::Enum(values), V::String(s)) => values.contains(&s.as_str()),
        _ => false,
    };
    if ok {
        return Ok(());
    }
    Err(match kind {
        Kind::Bool => "true or false".into(),
        Kind::String => "a string".into(),
        Kind::StringOrNull => "a string or null".into(),
        Kind::Array => "an array".into(),
        Kind::Object => "an object".into(),
        Kind::Enum(values) => format!(
            "one of {}",
            values
                .iter()
                .map(|v| format!("\"{v}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Kind::Any => String::new(),
    })
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    for layer in &cx.layers {
        let Some(doc) = layer.doc.as_ref() else {
            continue;
        };
        let mut entries: Vec<(Vec<&str>, &jsonc_parser::ast::ObjectProp<'_>, Kind)> = Vec::new();
        for p in doc.props() {
            // A deprecated or removed key is GSD301/302's: the fix is to drop it, not to correct
            // its value (one cause, one finding).
            if let Some(s) = schema::go_setting(p.name.as_str())
                .filter(|_| known::lookup(p.name.as_str()).is_none())
            {
                entries.push((vec![p.name.as_str()], p, s.kind));
            }
            if p.name.as_str() == "gopls" {
                if let Some(obj) = p.value.as_object() {
                    for inner in &obj.properties {
                        let leaf = inner.name.as_str().rsplit('.').next().unwrap_or_default();
                        if gopls::deprecated_setting(leaf).is_some() {
                            continue; // GSD303's
                        }
                        if let Some(s) = schema::gopls_setting(inner.name.as_str()) {
                            entries.push((vec!["gopls", inner.name.as_str()], inner, s.kind));
                        }
                    }
                }
            }
        }
        for (path, prop, kind) in entries {
            let value: serde_json::Value = prop.value.clone().into();
            let Err(expected) = type_ok(kind, &value) else {
                continue;
            };
            let key = path.join(" › ");
            let f = out.report(
                format!("Invalid value for `{key}`"),
                format!("`{key}` is {value}, but it must be {expected}. VS Code flags it as invalid and vscode-go may ignore it or misbehave{}.", if path.first() == Some(&"go.formatTool") { "; vscode-go tries to run a formatter binary of that name" } else { "" }),
            );
            f.at(Some(
                doc.location(jsonc_parser::common::Ranged::range(&prop.value)),
            ));
            f.evidence(format!(
                "{} settings: {}",
                layer.layer.scope.label(),
                crate::text::uri_to_path(&layer.layer.uri)
            ));
            let Kind::Enum(values) = kind else { continue };
            let Some(raw) = value.as_str() else { continue };
            let Some(best) = did_you_mean(raw, values.iter().copied()) else {
                continue;
            };
            settings_fix(
                f,
                layer,
                doc.set(&path, &serde_json::json!(best)),
                format!("Change to \"{best}\""),
                Applicability::Unsafe,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn fires_for_wrong_enum_and_type() {
        let s = with_folder_settings("{\n  \"go.formatTool\": \"goreturns\",\n  \"go.lintOnSave\": true,\n  \"gopls\": {\"ui.completion.matcher\": \"fuzzy\"}\n}");
        let f = run(&INVALID_VALUE, &s);
        assert_eq!(
            f.len(),
            3,
            "{:#?}",
            f.iter().map(|x| &x.title).collect::<Vec<_>>()
        );
        assert!(f
            .iter()
            .any(|x| x.title.contains("go.lintOnSave") && x.message.contains("\"package\"")));
        let matcher = f.iter().find(|x| x.title.contains("matcher")).unwrap();
        // A string outside the enum and a non-string both say which values are allowed.
        assert!(
            matcher
                .message
                .contains("is \"fuzzy\", but it must be one of ")
                && matcher.message.contains("\"Fuzzy\""),
            "{}",
            matcher.message
        );
        assert!(f.iter().any(|x| x.title.contains("go.lintOnSave")
            && x.message.contains("is true, but it must be one of ")));
        let fixed = apply_fix(&s, &matcher.fixes[0]);
        assert_eq!(
            parse_jsonc(layer_text(&fixed, FOLDER_SETTINGS))["gopls"]["ui.completion.matcher"],
            "Fuzzy"
        );
    }

    #[test]
    fn passes_on_valid_values() {
        let s = with_folder_settings("{\"go.formatTool\": \"gofumpt\", \"go.lintOnSave\": \"package\", \"go.goroot\": null, \"gopls\": {\"ui.completion.matcher\": \"Fuzzy\"}}");
        assert!(run(&INVALID_VALUE, &s).is_empty());
    }

    #[test]
    fn passes_on_deprecated_keys_gsd301_reports() {
        // rise-worlds/RiseWorlds (tests/corpus): `"go.buildOnSave": true` is both deprecated and
        // of the old boolean type; GSD301 reports it with the fix that removes it.
        let s = with_folder_settings("{\n  \"go.buildOnSave\": true\n}\n");
        assert!(run(&INVALID_VALUE, &s).is_empty());
        let dep = run(
            &crate::rules::settings::deprecated_setting::DEPRECATED_SETTING,
            &s,
        );
        assert_eq!(dep.len(), 1);
        // A deprecated gopls key with a bad value: GSD303's.
        let s = with_folder_settings("{\"gopls\": {\"experimentalWorkspaceModule\": \"yes\"}}");
        assert!(run(&INVALID_VALUE, &s).is_empty());
    }
}
