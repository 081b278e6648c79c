//! Go debug configurations: `.vscode/launch.json` of each folder, the `launch` block of an open
//! `*.code-workspace` and of the user settings (VS Code's global launch configurations), parsed with ranges (the same JSONC parser as settings), and JSONC edits
//! inside one configuration that keep comments, order and unrelated keys.

use jsonc_parser::ast::{Object, ObjectProp};
use jsonc_parser::cst::CstRootNode;
use jsonc_parser::CollectOptions;

use crate::context::Context;
use crate::jsonc::{self, SettingsDoc};
use crate::protocol::{Folder, Scope, TextEdit};

/// One file holding debug configurations.
pub struct LaunchFile<'a> {
    pub uri: String,
    pub text: &'a str,
    /// Configurations live under the top-level `launch` key (a `*.code-workspace` or the user
    /// settings.json).
    pub under_launch_key: bool,
    /// The folder `${workspaceFolder}` and relative paths stand for; `None` when a workspace file
    /// has several folders (VS Code then needs `${workspaceFolder:name}`), and for the user
    /// settings.
    pub folder: Option<&'a Folder>,
}

impl LaunchFile<'_> {
    pub fn label(&self) -> String {
        crate::text::uri_to_path(&self.uri)
    }
}

/// Every launch.json of the workspace folders, then the `launch` blocks of the open workspace file
/// and of the user settings (VS Code: "Global launch configuration", code.visualstudio.com/docs/
/// debugtest/debugging-configuration; shown in every window, so checked in every window).
pub fn launch_files<'a>(cx: &Context<'a>) -> Vec<LaunchFile<'a>> {
    let s = cx.snapshot;
    let mut out: Vec<LaunchFile<'a>> = s
        .workspace
        .folders
        .iter()
        .filter_map(|folder| {
            let file = folder.launch_json.as_ref()?;
            Some(LaunchFile {
                uri: format!("{}/.vscode/launch.json", folder.uri.trim_end_matches('/')),
                text: &file.text,
                under_launch_key: false,
                folder: Some(folder),
            })
        })
        .collect();
    let single = match s.workspace.folders.as_slice() {
        [one] => Some(one),
        _ => None,
    };
    for scope in [Scope::WorkspaceFile, Scope::User] {
        for layer in s.settings.iter().filter(|l| l.scope == scope) {
            let Some(text) = layer.text.as_deref() else {
                continue;
            };
            // Most user settings have no `launch` block: skip them without parsing twice.
            if scope == Scope::User && !text.contains("\"launch\"") {
                continue;
            }
            out.push(LaunchFile {
                uri: layer.uri.clone(),
                text,
                under_launch_key: true,
                // The user's global configurations are offered in every workspace: what their
                // paths resolve to depends on where they are picked, so they have no folder.
                folder: if scope == Scope::User { None } else { single },
            });
        }
    }
    out
}

/// The `configurations` array's objects with their index (non-objects keep their index slot).
pub fn configurations<'d>(
    doc: &'d SettingsDoc<'_>,
    under_launch_key: bool,
) -> Vec<(usize, &'d Object<'d>)> {
    let holder: Option<&Object<'_>> = if under_launch_key {
        doc.prop("launch").and_then(|p| p.value.as_object())
    } else {
        doc.settings()
    };
    let Some(arr) = holder
        .and_then(|o| {
            o.properties
                .iter()
                .rfind(|p| p.name.as_str() == "configurations")
        })
        .and_then(|p| p.value.as_array())
    else {
        return Vec::new();
    };
    arr.elements
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.as_object().map(|o| (i, o)))
        .collect()
}

/// The last property named `key` (VS Code reads the last duplicate).
pub fn prop<'o>(obj: &'o Object<'_>, key: &str) -> Option<&'o ObjectProp<'o>> {
    obj.properties.iter().rfind(|p| p.name.as_str() == key)
}

/// A string attribute.
pub fn string(obj: &Object<'_>, key: &str) -> Option<String> {
    prop(obj, key)
        .and_then(|p| p.value.as_string_lit())
        .map(|s| s.value.to_string())
}

/// Whether a configuration is for the Go debugger.
pub fn is_go(obj: &Object<'_>) -> bool {
    string(obj, "type").as_deref() == Some("go")
}

/// One change inside one configuration.
#[derive(Debug, Clone)]
pub enum ConfigOp<'p> {
    Remove(&'p str),
    /// Rename a key, keeping its value; refused when the new key already exists.
    Rename(&'p str, &'p str),
    Set(&'p str, serde_json::Value),
}

/// The edits of `ops` on configuration `index` as ONE text edit; `None` when an operation does
/// not apply, would drop comments, or the result does not parse.
pub fn edit_config(
    doc: &SettingsDoc<'_>,
    under_launch_key: bool,
    index: usize,
    ops: &[ConfigOp<'_>],
) -> Option<TextEdit> {
    if doc.error.is_some() {
        return None;
    }
    let root = CstRootNode::parse(doc.text, &jsonc::vscode_parse_options()).ok()?;
    let mut holder = root.object_value()?;
    if under_launch_key {
        holder = jsonc::props_named(&holder, "launch")
            .pop()?
            .object_value()?;
    }
    let arr = jsonc::props_named(&holder, "configurations")
        .pop()?
        .array_value()?;
    let cfg = arr.elements().into_iter().nth(index)?.as_object()?;
    for op in ops {
        match op {
            ConfigOp::Remove(key) => {
                let props = jsonc::props_named(&cfg, key);
                if props.is_empty()
                    || props.iter().any(|p| {
                        jsonc::comments_before_late_comma(
                            p.next_siblings(),
                            p.trailing_comma().is_some(),
                        )
                    })
                {
                    return None;
                }
                props.into_iter().for_each(|p| p.remove());
            }
            ConfigOp::Rename(key, new_key) => {
                if !jsonc::props_named(&cfg, new_key).is_empty() {
                    return None;
                }
                let mut props = jsonc::props_named(&cfg, key);
                let last = props.pop()?;
                let name = serde_json::to_string(new_key).ok()?;
                last.name()?.as_string_lit()?.set_raw_value(name);
                props.into_iter().for_each(|p| p.remove());
            }
            ConfigOp::Set(key, value) => match jsonc::props_named(&cfg, key).pop() {
                Some(p) => p.set_value(jsonc::to_cst(value)),
                None => {
                    cfg.append(key, jsonc::to_cst(value));
                }
            },
        }
    }
    let new_text = root.to_string();
    jsonc_parser::parse_to_ast(
        &new_text,
        &CollectOptions::default(),
        &jsonc::vscode_parse_options(),
    )
    .ok()?;
    jsonc::minimal_edit(doc.text, &new_text, &doc.lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "{\n  // debug\n  \"configurations\": [\n    {\"name\": \"a\", \"type\": \"node\"},\n    {\n      \"name\": \"b\", // keep\n      \"type\": \"go\",\n      \"dlvLoadConfig\": {\"maxStringLen\": 1000},\n      \"remotePath\": \"/src\",\n    }\n  ]\n}\n";

    #[test]
    fn edits_one_configuration_and_keeps_comments() {
        let doc = SettingsDoc::parse("file:///l.json", TEXT, false);
        let cfgs = configurations(&doc, false);
        assert_eq!(cfgs.len(), 2);
        assert!(is_go(cfgs[1].1) && !is_go(cfgs[0].1));
        let e = edit_config(
            &doc,
            false,
            1,
            &[
                ConfigOp::Remove("dlvLoadConfig"),
                ConfigOp::Rename("remotePath", "cwd"),
                ConfigOp::Set("request", serde_json::json!("attach")),
            ],
        )
        .unwrap();
        let out = jsonc::apply_edits(TEXT, &[e]);
        assert!(out.contains("// keep") && out.contains("// debug"), "{out}");
        let v = jsonc::parse_value(&out).unwrap();
        assert_eq!(
            v["configurations"][1],
            serde_json::json!({"name": "b", "type": "go", "cwd": "/src", "request": "attach"})
        );
        assert!(edit_config(&doc, false, 1, &[ConfigOp::Rename("name", "type")]).is_none());
        assert!(edit_config(&doc, false, 7, &[ConfigOp::Remove("name")]).is_none());
    }

    #[test]
    fn workspace_file_launch_block() {
        let text = "{\"folders\": [{\"path\": \".\"}], \"launch\": {\"configurations\": [{\"type\": \"go\", \"apiVersion\": 2}]}}";
        let doc = SettingsDoc::parse("file:///w.code-workspace", text, false);
        assert_eq!(configurations(&doc, true).len(), 1);
        let e = edit_config(&doc, true, 0, &[ConfigOp::Remove("apiVersion")]).unwrap();
        let v = jsonc::parse_value(&jsonc::apply_edits(text, &[e])).unwrap();
        assert_eq!(
            v["launch"]["configurations"][0],
            serde_json::json!({"type": "go"})
        );
    }
}
