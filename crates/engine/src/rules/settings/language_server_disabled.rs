use crate::context::Context;
use crate::declare_rule;
use crate::protocol::Applicability;
use crate::rules::common::point_at_and_remove;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// `"go.useLanguageServer": false` in any settings layer that wins.
    ///
    /// ## Why it matters
    /// Since vscode-go v0.40.0 the legacy (non-gopls) providers are gone: with the language server
    /// off there is no completion, no go-to-definition, no hover and no diagnostics at all
    /// (vscode-go CHANGELOG v0.40.0). The setting survives from old tutorials and team settings.
    ///
    /// ## Example
    /// ```jsonc
    /// { "go.useLanguageServer": false }
    /// ```
    ///
    /// ## Fix
    /// Remove the key (default `true`). Needs review: it turns gopls on.
    pub LANGUAGE_SERVER_DISABLED {
        code: "GSD308",
        name: "language-server-disabled",
        category: Settings,
        severity: Warning,
        summary: "the Go language server is enabled",
        fix: Always,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if cx.language_server_enabled() {
        return;
    }
    let Some((_, layer)) = cx.effective("go.useLanguageServer") else {
        return;
    };
    if layer.doc.is_none() {
        return;
    }
    let scope = layer.layer.scope.label();
    let f = out.report(
        "The Go language server is turned off",
        format!("`go.useLanguageServer` is false in {scope} settings. Since vscode-go v0.40.0 that means no completion, navigation, hover or diagnostics for Go."),
    );
    f.evidence(format!(
        "{scope} settings: {}",
        crate::text::uri_to_path(&layer.layer.uri)
    ));
    point_at_and_remove(
        f,
        layer,
        &["go.useLanguageServer"],
        format!("Remove go.useLanguageServer from {scope} settings (turns gopls on)"),
        Applicability::Unsafe,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_and_fix_removes_the_key() {
        let s = with_folder_settings("{\n  // old team setting\n  \"go.useLanguageServer\": false,\n  \"go.lintTool\": \"revive\"\n}");
        let f = run(&LANGUAGE_SERVER_DISABLED, &s);
        assert_eq!(f.len(), 1);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        let out = layer_text(&fixed, FOLDER_SETTINGS);
        assert!(out.contains("// old team setting"));
        assert_eq!(parse_jsonc(out), json!({"go.lintTool": "revive"}));
        assert!(run(&LANGUAGE_SERVER_DISABLED, &fixed).is_empty());
    }

    #[test]
    fn passes_when_on_or_overridden_on() {
        assert!(run(&LANGUAGE_SERVER_DISABLED, &snapshot(json!({}))).is_empty());
        let mut s = with_folder_settings("{\"go.useLanguageServer\": true}");
        s.settings[0].text = Some("{\"go.useLanguageServer\": false}".into());
        assert!(run(&LANGUAGE_SERVER_DISABLED, &s).is_empty());
    }
}
