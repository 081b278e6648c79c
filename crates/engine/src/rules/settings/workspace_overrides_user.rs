use serde_json::Value;

use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Applicability, Scope, Severity};
use crate::rules::common::settings_fix;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// `go.*`, `gopls` and `[go]` settings that a workspace file or a folder's
    /// `.vscode/settings.json` sets to a different value than the user settings. VS Code's
    /// precedence is default < user < remote < workspace file < folder; only objects merge
    /// (`WorkspaceConfiguration` docs), so a workspace `"gopls": {...}` replaces keys of the user's.
    ///
    /// ## Why it matters
    /// A repository's committed `.vscode/settings.json` silently wins over what the user set, and
    /// the Settings UI does not show both values side by side. It is a warning when the override
    /// turns something off (`false`, `"off"`, the language server), information otherwise.
    ///
    /// ## Example
    /// User: `"go.useLanguageServer": true`; folder: `"go.useLanguageServer": false`.
    ///
    /// ## Fix
    /// Both places are linked. Removing the workspace value (so the user's applies) needs review:
    /// the repository may need it.
    pub WORKSPACE_OVERRIDES_USER {
        code: "GSD307",
        name: "workspace-overrides-user",
        category: Settings,
        severity: Info,
        summary: "workspace settings agree with user settings",
        fix: Always,
        since: "0.1.0",
    }
}

fn relevant(key: &str) -> bool {
    key.starts_with("go.") || key == "gopls" || key == "[go]" || key == "[go.mod]"
}

fn disables(v: &Value) -> bool {
    matches!(v, Value::Bool(false)) || v.as_str() == Some("off")
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some(user) = cx.layers.iter().find(|l| l.layer.scope == Scope::User) else {
        return;
    };
    let Some(user_doc) = user.doc.as_ref() else {
        return;
    };
    for layer in cx
        .layers
        .iter()
        .filter(|l| matches!(l.layer.scope, Scope::WorkspaceFile | Scope::WorkspaceFolder))
    {
        let Some(doc) = layer.doc.as_ref() else {
            continue;
        };
        for prop in doc.props() {
            let key = prop.name.as_str();
            if !relevant(key) {
                continue;
            }
            let Some(user_prop) = user_doc.prop(key) else {
                continue;
            };
            let ws_value: Value = prop.value.clone().into();
            let user_value: Value = user_prop.value.clone().into();
            if ws_value == user_value {
                continue;
            }
            // For objects, VS Code merges: only keys that differ are overridden.
            let (shown_ws, shown_user, turns_off) = match (&ws_value, &user_value) {
                (Value::Object(w), Value::Object(u)) => {
                    let diff: Vec<&String> = w
                        .keys()
                        .filter(|k| u.get(*k).is_some_and(|uv| Some(uv) != w.get(*k)))
                        .collect();
                    if diff.is_empty() {
                        continue;
                    }
                    let off = diff.iter().any(|k| w.get(*k).is_some_and(disables));
                    let pick = |m: &serde_json::Map<String, Value>| {
                        Value::Object(
                            diff.iter()
                                .filter_map(|k| m.get(*k).map(|v| ((*k).clone(), v.clone())))
                                .collect(),
                        )
                    };
                    (pick(w), pick(u), off)
                }
                _ => (
                    ws_value.clone(),
                    user_value.clone(),
                    disables(&ws_value) && !disables(&user_value),
                ),
            };
            let where_ws = format!(
                "{} settings ({})",
                layer.layer.scope.label(),
                crate::text::uri_to_path(&layer.layer.uri)
            );
            let f = out.report(
                format!("`{key}` in {} settings overrides your user setting", layer.layer.scope.label()),
                format!(
                    "Your user settings say `{key}`: {}, but the {where_ws} say {}. The workspace value wins in this workspace.",
                    short(&shown_user),
                    short(&shown_ws)
                ),
            );
            if turns_off {
                f.severity(Severity::Warning);
            }
            f.at(Some(doc.name_location(prop)));
            f.related(
                format!("user value: {}", short(&shown_user)),
                Some(user_doc.name_location(user_prop)),
            );
            f.evidence(format!("user: {}", short(&shown_user)));
            f.evidence(format!(
                "{}: {}",
                layer.layer.scope.label(),
                short(&shown_ws)
            ));
            settings_fix(
                f,
                layer,
                doc.remove(&[key]),
                format!(
                    "Remove `{key}` from {} settings so your user value applies",
                    layer.layer.scope.label()
                ),
                Applicability::Unsafe,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    fn both(user: &str, folder: &str) -> crate::Snapshot {
        let mut s = with_folder_settings(folder);
        s.settings[0].text = Some(user.into());
        s
    }

    #[test]
    fn fires_warning_when_workspace_turns_off_the_language_server() {
        let s = both("{\"go.useLanguageServer\": true}", "{\n  // repo policy\n  \"go.useLanguageServer\": false,\n  \"go.lintTool\": \"revive\"\n}");
        let f = run(&WORKSPACE_OVERRIDES_USER, &s);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(f[0].message.contains("true") && f[0].message.contains("false"));
        assert_eq!(f[0].related[0].location.uri, USER_SETTINGS);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        let out = layer_text(&fixed, FOLDER_SETTINGS);
        assert!(out.contains("// repo policy"));
        assert_eq!(parse_jsonc(out), json!({"go.lintTool": "revive"}));
        assert!(run(&WORKSPACE_OVERRIDES_USER, &fixed).is_empty());
    }

    #[test]
    fn fires_per_key_for_objects() {
        let s = both(
            r#"{"gopls": {"ui.semanticTokens": true, "formatting.gofumpt": true}}"#,
            r#"{"gopls": {"formatting.gofumpt": false, "build.buildFlags": ["-tags=x"]}}"#,
        );
        let f = run(&WORKSPACE_OVERRIDES_USER, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("formatting.gofumpt"));
        assert!(!f[0].message.contains("semanticTokens"));
    }

    #[test]
    fn passes_when_values_agree_or_user_unset() {
        assert!(run(
            &WORKSPACE_OVERRIDES_USER,
            &both(
                "{\"go.lintTool\": \"revive\"}",
                "{\"go.lintTool\": \"revive\"}"
            )
        )
        .is_empty());
        assert!(run(
            &WORKSPACE_OVERRIDES_USER,
            &both("{}", "{\"go.lintTool\": \"revive\"}")
        )
        .is_empty());
        assert!(run(
            &WORKSPACE_OVERRIDES_USER,
            &both(r#"{"gopls": {"a": 1}}"#, r#"{"gopls": {"b": 1}}"#)
        )
        .is_empty());
    }
}
