use crate::context::Context;
use crate::declare_rule;
use crate::protocol::Applicability;
use crate::rules::common::settings_fix;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// The formatter VS Code uses for Go files: `editor.defaultFormatter` (globally or in a
    /// `"[go]": {...}` block) naming an extension other than `golang.go`, e.g. Prettier, which then
    /// formats Go files instead of gopls — or fails ("There is no formatter for 'go' files
    /// installed"). (A workspace turning `editor.formatOnSave` off for Go while the user has it on
    /// is GSD307.)
    ///
    /// ## Why it matters
    /// "Format on save doesn't run gofmt" and "organize imports stopped working" are, in many
    /// reports, a global `editor.defaultFormatter` set for JavaScript that also captures Go.
    ///
    /// ## Example
    /// ```jsonc
    /// { "editor.defaultFormatter": "esbenp.prettier-vscode" }
    /// ```
    ///
    /// ## Fix
    /// Add `"[go]": {"editor.defaultFormatter": "golang.go"}` to the same settings file (safe: it only
    /// affects Go files).
    pub GO_FORMATTER_OVERRIDDEN {
        code: "GSD313",
        name: "go-formatter-overridden",
        category: Settings,
        severity: Warning,
        summary: "Go files are formatted by the Go extension",
        fix: Sometimes,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    // The effective formatter for Go: the highest layer with [go].editor.defaultFormatter, else
    // the highest with a global editor.defaultFormatter.
    let in_block = cx.layers.iter().rev().find_map(|l| {
        let v = l.doc.as_ref()?.value("[go]")?;
        v.get("editor.defaultFormatter")?
            .as_str()
            .map(|s| (s.to_string(), l, true))
    });
    let global = cx.layers.iter().rev().find_map(|l| {
        l.doc
            .as_ref()?
            .value("editor.defaultFormatter")?
            .as_str()
            .map(|s| (s.to_string(), l, false))
    });
    let Some((formatter, layer, from_block)) = in_block.or(global) else {
        return;
    };
    if formatter.eq_ignore_ascii_case("golang.go")
        || formatter.eq_ignore_ascii_case("golang.go-nightly")
    {
        return;
    }
    let Some(doc) = layer.doc.as_ref() else {
        return;
    };
    let scope = layer.layer.scope.label();
    let where_ = if from_block {
        "\"[go]\": {\"editor.defaultFormatter\"}"
    } else {
        "editor.defaultFormatter"
    };
    let f = out.report(
        format!("Go files are formatted by {formatter}"),
        format!("{where_} is \"{formatter}\" in {scope} settings, so VS Code formats Go files with that extension instead of the Go extension (gopls): no gofmt, no organize imports on save."),
    );
    let prop = if from_block {
        doc.prop("[go]")
    } else {
        doc.prop("editor.defaultFormatter")
    };
    f.at(prop.map(|p| doc.name_location(p)));
    settings_fix(
        f,
        layer,
        doc.set(&["[go]", "editor.defaultFormatter"], &serde_json::json!("golang.go")),
        format!("Use the Go extension for Go files: \"[go]\": {{\"editor.defaultFormatter\": \"golang.go\"}} ({scope} settings)"),
        Applicability::Safe,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_for_global_prettier_and_fix_adds_go_block() {
        let mut s = snapshot(json!({}));
        s.settings[0].text = Some(
            "{\n  // web dev\n  \"editor.defaultFormatter\": \"esbenp.prettier-vscode\"\n}".into(),
        );
        let f = run(&GO_FORMATTER_OVERRIDDEN, &s);
        assert_eq!(f.len(), 1);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        let out = layer_text(&fixed, USER_SETTINGS);
        assert!(out.contains("// web dev"));
        assert_eq!(
            parse_jsonc(out),
            json!({"editor.defaultFormatter": "esbenp.prettier-vscode", "[go]": {"editor.defaultFormatter": "golang.go"}})
        );
        assert!(run(&GO_FORMATTER_OVERRIDDEN, &fixed).is_empty());
    }

    #[test]
    fn fires_for_go_block_pointing_elsewhere() {
        let f = run(
            &GO_FORMATTER_OVERRIDDEN,
            &with_folder_settings(
                "{\"[go]\": {\"editor.defaultFormatter\": \"ms-vscode.cpptools\"}}",
            ),
        );
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn passes_when_go_block_wins() {
        let mut s = snapshot(json!({}));
        s.settings[0].text = Some("{\"editor.defaultFormatter\": \"esbenp.prettier-vscode\", \"[go]\": {\"editor.defaultFormatter\": \"golang.go\"}}".into());
        assert!(run(&GO_FORMATTER_OVERRIDDEN, &s).is_empty());
        assert!(run(&GO_FORMATTER_OVERRIDDEN, &snapshot(json!({}))).is_empty());
    }
}
