use crate::context::Context;
use crate::declare_rule;
use crate::protocol::Applicability;
use crate::rules::common::point_at_and_remove;
use crate::sink::Sink;

declare_rule! {
    /// ## What it checks
    /// Two formatters for Go: a client-side `go.formatTool` (gofumpt, goimports, gofmt, ...)
    /// together with gopls's own gofumpt formatting (`"gopls": {"formatting.gofumpt": true}`); or
    /// `go.formatTool: "custom"` without `go.alternateTools.customFormatter`.
    ///
    /// ## Why it matters
    /// vscode-go warns `Warning: formatter is configured to run from both client side
    /// (go.formatTool=<x>) and server side (gopls.formatting.gofumpt=true). This may result in double
    /// formatting.`, and for custom: `Error: formatter is configured to custom (go.formatTool=custom)
    /// but custom formatter path is not provided in go.alternateTools['customFormatter']` — then
    /// nothing formats (vscode-go `config.ts`).
    ///
    /// ## Example
    /// ```jsonc
    /// { "go.formatTool": "gofumpt", "gopls": { "formatting.gofumpt": true } }
    /// ```
    ///
    /// ## Fix
    /// Remove `go.formatTool` so gopls formats (it already applies gofumpt). Safe: the result is the
    /// same gofumpt formatting, done once.
    pub FORMAT_TWICE {
        code: "GSD316",
        name: "format-twice",
        category: Settings,
        severity: Warning,
        summary: "Go code is formatted by one formatter",
        fix: Sometimes,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some((tool, layer)) = cx.effective("go.formatTool") else {
        return;
    };
    let Some(tool) = tool.as_str() else { return };
    if layer.doc.is_none() {
        return;
    }
    let scope = layer.layer.scope.label();
    if tool == "custom" {
        let has_custom = cx
            .effective("go.alternateTools")
            .and_then(|(v, _)| {
                v.get("customFormatter")
                    .and_then(|c| c.as_str())
                    .map(|s| !s.is_empty())
            })
            .unwrap_or(false);
        if has_custom {
            return;
        }
        let f = out.report(
            "go.formatTool is custom but no custom formatter is set",
            "formatter is configured to custom (go.formatTool=custom) but custom formatter path is not provided in go.alternateTools['customFormatter']: Go files are not formatted at all.",
        );
        point_at_and_remove(
            f,
            layer,
            &["go.formatTool"],
            format!("Remove go.formatTool from {scope} settings (gopls formats)"),
            Applicability::Unsafe,
        );
        return;
    }
    if tool == "default" || !cx.language_server_enabled() {
        return;
    }
    let gofumpt = cx
        .gopls_setting("formatting.gofumpt", |v| v.as_bool())
        .map(|(v, _, _)| v);
    if gofumpt != Some(true) {
        return;
    }
    let f = out.report(
        "Go files are formatted twice",
        format!("formatter is configured to run from both client side (go.formatTool={tool}) and server side (gopls formatting.gofumpt=true). This may result in double formatting."),
    );
    point_at_and_remove(
        f,
        layer,
        &["go.formatTool"],
        format!("Remove go.formatTool from {scope} settings (gopls keeps formatting with gofumpt)"),
        if tool == "gofumpt" {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_for_gofumpt_twice_and_fix_leaves_gopls() {
        let s = with_folder_settings("{\n  \"go.formatTool\": \"gofumpt\", // team\n  \"gopls\": {\"formatting.gofumpt\": true}\n}");
        let f = run(&FORMAT_TWICE, &s);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].fixes[0].applicability, Applicability::Safe);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        assert_eq!(
            parse_jsonc(layer_text(&fixed, FOLDER_SETTINGS)),
            json!({"gopls": {"formatting.gofumpt": true}})
        );
        assert!(run(&FORMAT_TWICE, &fixed).is_empty());
    }

    #[test]
    fn fires_for_custom_without_path() {
        let f = run(
            &FORMAT_TWICE,
            &with_folder_settings("{\"go.formatTool\": \"custom\"}"),
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("customFormatter"));
        assert_eq!(f[0].fixes[0].applicability, Applicability::Unsafe);
    }

    #[test]
    fn passes_with_one_formatter() {
        assert!(run(
            &FORMAT_TWICE,
            &with_folder_settings("{\"go.formatTool\": \"gofumpt\"}")
        )
        .is_empty());
        assert!(run(&FORMAT_TWICE, &with_folder_settings("{\"go.formatTool\": \"custom\", \"go.alternateTools\": {\"customFormatter\": \"/x/fmt\"}}")).is_empty());
    }
}
