use crate::context::Context;
use crate::declare_rule;
use crate::protocol::Applicability;
use crate::rules::common::point_at_and_remove;
use crate::sink::Sink;

declare_rule! {
    /// ## What it checks
    /// `go.lintTool` is `staticcheck` while gopls runs staticcheck too
    /// (`"gopls": {"ui.diagnostic.staticcheck": true}`) and the language server is on.
    ///
    /// ## Why it matters
    /// Every staticcheck diagnostic appears twice, once from each. vscode-go itself warns:
    /// `Warning: staticcheck is configured to run both client side (go.lintTool=staticcheck) and
    /// server side (gopls.ui.diagnostic.staticcheck=true). This will result in duplicate
    /// diagnostics.` (vscode-go `config.ts`). vscode-go also warns when the gopls key is unset;
    /// gopls's default is off, so this rule only fires when it is explicitly on.
    ///
    /// ## Example
    /// ```jsonc
    /// { "go.lintTool": "staticcheck", "gopls": { "ui.diagnostic.staticcheck": true } }
    /// ```
    ///
    /// ## Fix
    /// Remove `go.lintTool` where it is set (keeps gopls's staticcheck, which runs as you type).
    pub STATICCHECK_TWICE {
        code: "GSD315",
        name: "staticcheck-twice",
        category: Settings,
        severity: Warning,
        summary: "staticcheck runs once",
        fix: Always,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if !cx.language_server_enabled() {
        return;
    }
    let Some((lint, layer)) = cx.effective("go.lintTool") else {
        return;
    };
    if lint.as_str() != Some("staticcheck") {
        return;
    }
    let gopls_on = cx
        .gopls_setting("ui.diagnostic.staticcheck", |v| v.as_bool())
        .map(|(v, _, _)| v);
    if gopls_on != Some(true) {
        return;
    }
    if layer.doc.is_none() {
        return;
    }
    let scope = layer.layer.scope.label();
    let f = out.report(
        "staticcheck runs twice",
        "staticcheck is configured to run both client side (go.lintTool=staticcheck) and server side (gopls ui.diagnostic.staticcheck=true). Every staticcheck finding is reported twice.",
    );
    point_at_and_remove(
        f,
        layer,
        &["go.lintTool"],
        format!("Remove go.lintTool from {scope} settings (gopls keeps running staticcheck)"),
        Applicability::Safe,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_and_fix_keeps_gopls_staticcheck() {
        let s = with_folder_settings("{\"go.lintTool\": \"staticcheck\", // lint\n \"gopls\": {\"ui.diagnostic.staticcheck\": true}}");
        let f = run(&STATICCHECK_TWICE, &s);
        assert_eq!(f.len(), 1);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        assert_eq!(
            parse_jsonc(layer_text(&fixed, FOLDER_SETTINGS)),
            json!({"gopls": {"ui.diagnostic.staticcheck": true}})
        );
    }

    #[test]
    fn passes_when_gopls_staticcheck_is_off_or_unset() {
        assert!(run(
            &STATICCHECK_TWICE,
            &with_folder_settings("{\"go.lintTool\": \"staticcheck\"}")
        )
        .is_empty());
        assert!(run(
            &STATICCHECK_TWICE,
            &with_folder_settings(
                "{\"go.lintTool\": \"revive\", \"gopls\": {\"ui.diagnostic.staticcheck\": true}}"
            )
        )
        .is_empty());
    }
}
