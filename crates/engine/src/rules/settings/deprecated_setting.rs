use crate::context::Context;
use crate::declare_rule;
use crate::knowledge::settings::Status;
use crate::sink::Sink;

declare_rule! {
    /// ## What it checks
    /// `go.*` settings that vscode-go marks deprecated but still defines: `go.buildOnSave`
    /// (deprecated in v0.39.0: ignored while the language server is on) and `go.logging.level`
    /// (v0.41.0: use "Developer: Set Log Level..."). Every settings layer is checked: user,
    /// remote, workspace file and each folder.
    ///
    /// ## Why it matters
    /// They do nothing useful any more and mislead whoever reads the file ("we build on save"),
    /// and they are removed in a later release.
    ///
    /// ## Example
    /// ```jsonc
    /// { "go.buildOnSave": "package" }
    /// ```
    ///
    /// ## Fix
    /// Remove the key (a text edit that keeps comments and other keys). Safe for
    /// `go.buildOnSave` while the language server is on (it is ignored then); otherwise review.
    pub DEPRECATED_SETTING {
        code: "GSD301",
        name: "deprecated-setting",
        category: Settings,
        severity: Warning,
        summary: "no deprecated go.* settings",
        fix: Always,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    super::check_go_settings(cx, out, Status::Deprecated);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Applicability;
    use crate::testing::*;
    use serde_json::json;

    const TEXT: &str = "{\n  // build settings\n  \"go.buildOnSave\": \"package\", /* legacy */\n  \"go.lintTool\": \"staticcheck\",\n}\n";

    #[test]
    fn fires_at_the_key_and_fix_keeps_comments() {
        let s = with_folder_settings(TEXT);
        let f = run(&DEPRECATED_SETTING, &s);
        assert_eq!(f.len(), 1);
        let loc = f[0].location.as_ref().unwrap();
        assert_eq!(
            (
                loc.uri.as_str(),
                loc.range.start.line,
                loc.range.start.character
            ),
            (FOLDER_SETTINGS, 2, 2)
        );
        assert_eq!(f[0].fixes[0].applicability, Applicability::Safe);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        let out = layer_text(&fixed, FOLDER_SETTINGS);
        assert!(out.contains("// build settings"));
        assert_eq!(parse_jsonc(out), json!({"go.lintTool": "staticcheck"}));
        // Re-diagnosis finds nothing, so there is nothing to apply twice.
        assert!(run(&DEPRECATED_SETTING, &fixed).is_empty());
    }

    #[test]
    fn passes_on_current_settings() {
        assert!(run(
            &DEPRECATED_SETTING,
            &with_folder_settings("{\"go.lintTool\": \"staticcheck\"}")
        )
        .is_empty());
    }
}
