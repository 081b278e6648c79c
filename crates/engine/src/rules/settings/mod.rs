//! GSD3xx: VS Code settings.
pub mod build_tags_ignored;
pub mod deprecated_setting;
pub mod format_twice;
pub mod go_formatter_overridden;
pub mod gopls_deprecated_setting;
pub mod invalid_gopls_flag;
pub mod invalid_value;
pub mod language_server_disabled;
pub mod launch_config_outdated;
pub mod launch_target_invalid;
pub mod path_setting_missing;
pub mod race_without_cgo;
pub mod redundant_or_misplaced_setting;
pub mod removed_setting;
pub mod settings_parse_error;
pub mod staticcheck_twice;
pub mod tools_env_conflict;
pub mod unknown_setting;
pub mod workspace_executes_code;
pub mod workspace_overrides_user;
pub mod wrong_scope_setting;

use crate::context::Context;
use crate::knowledge::settings::{self as known, Replacement, Status};
use crate::protocol::{Action, Applicability, Fix};
use crate::sink::{FindingExt, Sink};

/// Shared by GSD301 (deprecated) and GSD302 (removed): every `go.*` key of every layer that
/// the vscode-go table lists with `status`.
pub(crate) fn check_go_settings(cx: &Context<'_>, out: &mut Sink, status: Status) {
    for layer in &cx.layers {
        let Some(doc) = layer.doc.as_ref() else {
            continue;
        };
        for prop in doc.props() {
            let key = prop.name.as_str();
            let Some(known) = known::lookup(key).filter(|k| k.status == status) else {
                continue;
            };
            let scope = layer.layer.scope.label();
            let (title, what) = match status {
                Status::Deprecated => (
                    format!("`{key}` is deprecated"),
                    format!("vscode-go deprecated `{key}` in {}", known.since),
                ),
                Status::Removed => (
                    format!("`{key}` no longer exists"),
                    format!(
                        "vscode-go removed `{key}` in {}; it has no effect",
                        known.since
                    ),
                ),
            };
            let advice = match known.replacement {
                Replacement::None => String::new(),
                Replacement::Key(k) => format!(" Use `{k}` instead."),
                Replacement::GoplsKey(k) => {
                    format!(" Use the gopls setting `\"gopls\": {{\"{k}\": ...}}` instead.")
                }
                Replacement::Advice(a) => format!(" Instead: {a}."),
            };
            let f = out.report(title, format!("{what} ({}).{advice}", known.message));
            f.at(Some(doc.name_location(prop)));
            f.evidence(format!(
                "{scope} settings: {}",
                crate::text::uri_to_path(&layer.layer.uri)
            ));
            f.evidence(format!(
                "source: vscode-go extension/package.json across release tags (checked {})",
                known::CHECKED_ON
            ));
            let uri = layer.layer.uri.clone();
            let value: serde_json::Value = prop.value.clone().into();
            let fix = match known.replacement {
                Replacement::Key(k) => doc
                    .rename(&[key], k)
                    .map(|e| (format!("Rename to `{k}`"), e, Applicability::Safe)),
                Replacement::GoplsKey(k) => doc
                    .apply(&[
                        crate::jsonc::Op::Remove(&[key]),
                        crate::jsonc::Op::Set(&["gopls", k], value),
                    ])
                    .map(|e| {
                        (
                            format!("Move to `\"gopls\": {{\"{k}\"}}`"),
                            e,
                            Applicability::Safe,
                        )
                    }),
                _ => {
                    // Removing a key that has no effect keeps behaviour; a deprecated key may still
                    // do something (go.buildOnSave with the language server off).
                    let applicability = if status == Status::Removed
                        || (key == "go.buildOnSave" && cx.language_server_enabled())
                    {
                        Applicability::Safe
                    } else {
                        Applicability::Unsafe
                    };
                    doc.remove(&[key]).map(|e| {
                        (
                            format!("Remove `{key}` from {scope} settings"),
                            e,
                            applicability,
                        )
                    })
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
