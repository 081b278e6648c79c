use crate::context::Context;
use crate::declare_rule;
use crate::knowledge::gopls;
use crate::protocol::{Action, Applicability, Fix, Severity};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Keys inside `"gopls": { ... }` that gopls deprecated or removed. gopls uses only the last
    /// segment of a dotted key (`build.experimentalWorkspaceModule` → `experimentalWorkspaceModule`),
    /// so that is what is matched (golang/tools `gopls/internal/settings/settings.go`).
    ///
    /// ## Why it matters
    /// gopls answers with a pop-up `Invalid settings: setting option "experimentalWorkspaceModule":
    /// this setting is deprecated` on every start, and the setting does nothing. A few are worse:
    /// `tempModfile` is rejected as an unexpected setting since v0.15.0 (an error).
    ///
    /// ## Example
    /// ```jsonc
    /// { "gopls": { "build.experimentalWorkspaceModule": true } }
    /// ```
    ///
    /// ## Fix
    /// Rename to the replacement when it takes the same value (`codelens` → `codelenses`,
    /// `experimentalDiagnosticsDelay` → `diagnosticsDelay`), otherwise remove the key. Removing a
    /// key that has no effect is safe; removing one that still works needs review.
    pub GOPLS_DEPRECATED_SETTING {
        code: "GSD303",
        name: "gopls-deprecated-setting",
        category: Settings,
        severity: Warning,
        summary: "no deprecated gopls settings",
        fix: Always,
        since: "0.1.0",
    }
}

/// Replacements that take exactly the same value.
fn same_shape(leaf: &str) -> bool {
    matches!(leaf, "codelens" | "experimentalDiagnosticsDelay")
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    for layer in &cx.layers {
        let Some(doc) = layer.doc.as_ref() else {
            continue;
        };
        let Some(gopls_prop) = doc.prop("gopls") else {
            continue;
        };
        let Some(obj) = gopls_prop.value.as_object() else {
            continue;
        };
        for prop in &obj.properties {
            let key = prop.name.as_str();
            let leaf = key.rsplit('.').next().unwrap_or(key);
            let Some(dep) = gopls::deprecated_setting(leaf) else {
                continue;
            };
            let title = if dep.error {
                format!("gopls rejects the setting `{key}`")
            } else {
                format!("gopls setting `{key}` is deprecated")
            };
            let mut message = format!("gopls: `{leaf}` {}.", dep.note);
            if let Some(r) = dep.replacement {
                message.push_str(&format!(" Replacement: `{r}`."));
            }
            if dep.no_op && !dep.note.contains("no effect") {
                message.push_str(" It has no effect.");
            }
            let f = out.report(title, message);
            if dep.error {
                f.severity(Severity::Error);
            }
            f.at(Some(doc.name_location(prop)));
            f.evidence(format!(
                "{} settings: {}",
                layer.layer.scope.label(),
                crate::text::uri_to_path(&layer.layer.uri)
            ));
            f.evidence(format!("source: golang/tools gopls/internal/settings/settings.go setOne, per tag (checked {})", gopls::CHECKED_ON));
            let uri = layer.layer.uri.clone();
            let fix = match dep.replacement {
                Some(r) if same_shape(leaf) => {
                    let new_key = match key.rsplit_once('.') {
                        Some((prefix, _)) => format!("{prefix}.{r}"),
                        None => r.to_string(),
                    };
                    doc.rename(&["gopls", key], &new_key)
                        .map(|e| (format!("Rename to `{new_key}`"), e, Applicability::Safe))
                }
                _ => {
                    let applicability = if dep.no_op {
                        Applicability::Safe
                    } else {
                        Applicability::Unsafe
                    };
                    doc.remove(&["gopls", key])
                        .map(|e| (format!("Remove `{key}` from \"gopls\""), e, applicability))
                }
            };
            if let Some((title, edit, applicability)) = fix {
                f.fix(Fix {
                    title,
                    applicability,
                    actions: vec![Action::EditFile {
                        uri,
                        edits: vec![edit],
                    }],
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    const TEXT: &str = r#"{
  "gopls": {
    // from a 2022 blog post
    "build.experimentalWorkspaceModule": true,
    "ui.codelens": {"gc_details": true},
    "tempModfile": true,
    "ui.semanticTokens": true, // keep
  },
}
"#;

    #[test]
    fn fires_per_key_with_fixes_that_keep_the_rest() {
        let s = with_folder_settings(TEXT);
        let f = run(&GOPLS_DEPRECATED_SETTING, &s);
        assert_eq!(
            f.len(),
            3,
            "{:#?}",
            f.iter().map(|x| &x.title).collect::<Vec<_>>()
        );
        // Errors sort first: tempModfile (line 5), then the warnings in file order.
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(f[0].location.as_ref().unwrap().range.start.line, 5);
        assert_eq!(f[1].location.as_ref().unwrap().range.start.line, 3);
        // Apply all three fixes one after another, re-diagnosing in between.
        let mut cur = s;
        for _ in 0..3 {
            let f = run(&GOPLS_DEPRECATED_SETTING, &cur);
            cur = apply_fix(&cur, &f[0].fixes[0]);
        }
        let out = layer_text(&cur, FOLDER_SETTINGS);
        assert!(out.contains("// keep"));
        assert_eq!(
            parse_jsonc(out),
            json!({"gopls": {"ui.codelenses": {"gc_details": true}, "ui.semanticTokens": true}})
        );
        assert!(run(&GOPLS_DEPRECATED_SETTING, &cur).is_empty());
    }

    #[test]
    fn passes_on_current_gopls_settings() {
        let s = with_folder_settings(
            r#"{"gopls": {"ui.semanticTokens": true, "build.directoryFilters": ["-node_modules"]}}"#,
        );
        assert!(run(&GOPLS_DEPRECATED_SETTING, &s).is_empty());
    }
}
