use crate::context::Context;
use crate::declare_rule;
use crate::protocol::Location;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// That every settings file (user, remote, `*.code-workspace`, each folder's
    /// `.vscode/settings.json`) is valid JSONC as VS Code reads it: comments and trailing commas
    /// are fine; missing commas, single quotes and unquoted keys are not. Files that exist but
    /// cannot be read (permissions) are reported too.
    ///
    /// ## Why it matters
    /// VS Code ignores what follows a syntax error, silently: settings below it simply do not
    /// apply. The Problems panel only shows it while the file is open.
    ///
    /// ## Example
    /// ```jsonc
    /// {
    ///   "go.goroot": "/usr/local/go"
    ///   "go.gopath": "/home/me/go"
    /// }
    /// ```
    /// (missing comma after line 2)
    ///
    /// ## Fix
    /// None automatic: the finding points at the line and column. The other files are still
    /// checked; this file's other checks are skipped.
    pub SETTINGS_PARSE_ERROR {
        code: "GSD311",
        name: "settings-parse-error",
        category: Settings,
        severity: Error,
        summary: "settings files are valid JSONC",
        fix: None,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    for layer in &cx.layers {
        let path = crate::text::uri_to_path(&layer.layer.uri);
        if let Some(err) = &layer.layer.read_error {
            let f = out.report(
                format!("Cannot read {} settings", layer.layer.scope.label()),
                format!(
                    "{path} exists but could not be read: {err}. VS Code cannot apply it either."
                ),
            );
            f.evidence(err.clone());
            continue;
        }
        let Some(doc) = layer.doc.as_ref() else {
            continue;
        };
        let Some(e) = &doc.error else { continue };
        let f = out.report(
            format!("Syntax error in {} settings", layer.layer.scope.label()),
            format!(
                "{path}:{}:{}: {}. VS Code ignores the settings after this point, and Go Setup Doctor could not check this file.",
                e.line, e.column, e.message
            ),
        );
        f.at(Some(Location {
            uri: layer.layer.uri.clone(),
            range: doc.lines.range(e.start, e.end),
        }));
        f.evidence(format!(
            "line {}, column {}: {}",
            e.line, e.column, e.message
        ));
        if let Some(line) = doc.text.lines().nth(e.line.saturating_sub(1)) {
            f.evidence(format!(
                "{:>4} | {}",
                e.line,
                line.chars().take(120).collect::<String>()
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_with_line_and_column() {
        let s = with_folder_settings(
            "{\n  \"go.goroot\": \"/usr/local/go\"\n  \"go.gopath\": \"/home/me/go\"\n}\n",
        );
        let f = run(&SETTINGS_PARSE_ERROR, &s);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("settings.json:2:31: Expected comma"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].location.as_ref().unwrap().range.start.line, 1);
        assert!(f[0].fixes.is_empty());
    }

    #[test]
    fn fires_for_unreadable_file() {
        let mut s = snapshot(json!({}));
        s.settings[0].text = None;
        s.settings[0].read_error = Some("EACCES: permission denied".into());
        let f = run(&SETTINGS_PARSE_ERROR, &s);
        assert!(f[0].message.contains("permission denied"));
    }

    #[test]
    fn passes_on_comments_and_trailing_commas() {
        let s = with_folder_settings("{\n  // ok\n  \"go.lintTool\": \"revive\", /* ok */\n}\n");
        assert!(run(&SETTINGS_PARSE_ERROR, &s).is_empty());
    }
}
