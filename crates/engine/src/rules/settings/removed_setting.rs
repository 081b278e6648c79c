use crate::context::Context;
use crate::declare_rule;
use crate::knowledge::settings::Status;
use crate::sink::Sink;

declare_rule! {
    /// ## What it checks
    /// `go.*` settings that vscode-go removed: VS Code shows them greyed out as "Unknown
    /// Configuration Setting" and nothing reads them. The table covers every key removed
    /// between vscode-go v0.14.4 and v0.57.2 (the legacy language features removed in v0.40.0,
    /// `go.useGoProxyToCheckForToolUpdates`, `go.overwriteGoplsMiddleware`,
    /// `go.languageServerExperimentalFeatures`, `go.formatOnSave`, ...).
    ///
    /// ## Why it matters
    /// People keep copying them from old blog posts and believe they configure something.
    /// Where a replacement exists (`go.useCodeSnippetsOnFunctionSuggest` →
    /// gopls `ui.completion.usePlaceholders`) the intended behaviour is silently lost.
    ///
    /// ## Example
    /// ```jsonc
    /// { "go.useCodeSnippetsOnFunctionSuggest": true, "go.gocodeAutoBuild": false }
    /// ```
    ///
    /// ## Fix
    /// Move the value to its replacement when there is a direct one, otherwise remove the key.
    /// Both keep behaviour (the key had no effect), so both are safe.
    pub REMOVED_SETTING {
        code: "GSD302",
        name: "removed-setting",
        category: Settings,
        severity: Warning,
        summary: "no removed go.* settings",
        fix: Always,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    super::check_go_settings(cx, out, Status::Removed);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_and_moves_value_to_gopls_setting() {
        let s = with_folder_settings("{\n  // completion\n  \"go.useCodeSnippetsOnFunctionSuggest\": true,\n  \"gopls\": {\"ui.semanticTokens\": true}\n}\n");
        let f = run(&REMOVED_SETTING, &s);
        assert_eq!(f.len(), 1);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        let out = layer_text(&fixed, FOLDER_SETTINGS);
        assert!(out.contains("// completion"));
        assert_eq!(
            parse_jsonc(out),
            json!({"gopls": {"ui.semanticTokens": true, "ui.completion.usePlaceholders": true}})
        );
        assert!(run(&REMOVED_SETTING, &fixed).is_empty());
    }

    #[test]
    fn fires_and_removes_key_without_replacement_in_user_settings() {
        let mut s = snapshot(json!({}));
        s.settings[0].text = Some("{\"go.gocodeAutoBuild\": false, \"editor.tabSize\": 2}".into());
        let f = run(&REMOVED_SETTING, &s);
        assert_eq!(f.len(), 1);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        assert_eq!(
            parse_jsonc(layer_text(&fixed, USER_SETTINGS)),
            json!({"editor.tabSize": 2})
        );
    }

    #[test]
    fn passes_without_removed_keys() {
        assert!(run(
            &REMOVED_SETTING,
            &with_folder_settings("{\"go.buildOnSave\": \"off\"}")
        )
        .is_empty());
    }
}
