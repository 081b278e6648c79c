//! Settings files as JSONC: parsing with ranges (dprint's `jsonc-parser` AST) and fixes as text
//! edits computed from its concrete syntax tree, so comments, order, trailing commas and
//! unrelated keys survive.

use jsonc_parser::ast::{self, ObjectProp, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::cst::{CstInputValue, CstNode, CstObject, CstObjectProp, CstRootNode};
use jsonc_parser::{CollectOptions, ParseOptions};

use crate::protocol::{Location, TextEdit};
use crate::text::LineIndex;

/// What VS Code's own settings parser accepts without complaint: comments and trailing commas,
/// nothing looser.
pub fn vscode_parse_options() -> ParseOptions {
    ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        ..ParseOptions::default()
    }
}

/// A parse error with 1-based line and column for display.
#[derive(Debug, Clone)]
pub struct JsoncError {
    pub message: String,
    pub line: usize,
    pub column: usize,
    pub start: usize,
    pub end: usize,
}

/// One settings file, parsed.
pub struct SettingsDoc<'a> {
    pub uri: &'a str,
    pub text: &'a str,
    pub lines: LineIndex<'a>,
    root: Option<Value<'a>>,
    pub error: Option<JsoncError>,
    /// `*.code-workspace`: settings live under the top-level `settings` key.
    workspace_file: bool,
}

impl<'a> SettingsDoc<'a> {
    pub fn parse(uri: &'a str, text: &'a str, workspace_file: bool) -> Self {
        let lines = LineIndex::new(text);
        let (root, error) = match jsonc_parser::parse_to_ast(
            text,
            &CollectOptions::default(),
            &vscode_parse_options(),
        ) {
            Ok(result) => (result.value, None),
            Err(e) => {
                let range = e.range();
                (
                    None,
                    Some(JsoncError {
                        message: e.kind().to_string(),
                        line: e.line_display(),
                        column: e.column_display(),
                        start: range.start,
                        end: range.end,
                    }),
                )
            }
        };
        SettingsDoc {
            uri,
            text,
            lines,
            root,
            error,
            workspace_file,
        }
    }

    /// The object holding the settings (the root, or `settings` of a workspace file).
    pub fn settings(&self) -> Option<&ast::Object<'a>> {
        let root = self.root.as_ref()?.as_object()?;
        if self.workspace_file {
            root.get_object("settings")
        } else {
            Some(root)
        }
    }

    /// Path from the root to the settings object, for edits.
    fn base_path(&self) -> &'static [&'static str] {
        if self.workspace_file {
            &["settings"]
        } else {
            &[]
        }
    }

    /// Top-level settings properties, in file order.
    pub fn props(&self) -> impl Iterator<Item = &ObjectProp<'a>> {
        self.settings()
            .into_iter()
            .flat_map(|o| o.properties.iter())
    }

    /// The top-level property with this exact key (the last one wins, as in VS Code).
    pub fn prop(&self, key: &str) -> Option<&ObjectProp<'a>> {
        self.props().filter(|p| p.name.as_str() == key).last()
    }

    /// The value of `key`, as JSON.
    pub fn value(&self, key: &str) -> Option<serde_json::Value> {
        self.prop(key).map(|p| p.value.clone().into())
    }

    /// Location of a node (e.g. a property name) in this file.
    pub fn location(&self, range: jsonc_parser::common::Range) -> Location {
        Location {
            uri: self.uri.to_string(),
            range: self.lines.range(range.start, range.end),
        }
    }

    /// Location of a property's name.
    pub fn name_location(&self, prop: &ObjectProp<'_>) -> Location {
        self.location(prop.name.range())
    }

    /// An edit removing `path` (relative to the settings object). `None` if nothing changes.
    pub fn remove(&self, path: &[&str]) -> Option<TextEdit> {
        self.apply(&[Op::Remove(path)])
    }

    /// An edit setting `path` (relative to the settings object) to `value`, creating
    /// intermediate objects as needed.
    pub fn set(&self, path: &[&str], value: &serde_json::Value) -> Option<TextEdit> {
        self.apply(&[Op::Set(path, value.clone())])
    }

    /// An edit renaming the property at `path` to `new_key`, keeping its value in place.
    pub fn rename(&self, path: &[&str], new_key: &str) -> Option<TextEdit> {
        self.apply(&[Op::Rename(path, new_key)])
    }

    /// An edit removing element `index` of the array at `path`.
    pub fn remove_array_element(&self, path: &[&str], index: usize) -> Option<TextEdit> {
        self.apply(&[Op::RemoveElement(path, index)])
    }

    /// Several operations on this file as ONE edit (edits of one fix must not overlap).
    /// `None` if any operation does not apply or nothing changes.
    pub fn apply(&self, ops: &[Op<'_>]) -> Option<TextEdit> {
        self.edit(|root| {
            for op in ops {
                match op {
                    Op::Remove(path) => {
                        // Every duplicate: VS Code reads the last one, so removing only one
                        // would bring an earlier one back into effect.
                        let full = self.full_path(path);
                        let obj = walk(root, &full)?;
                        let props = props_named(&obj, full.last()?);
                        if props.is_empty()
                            || props.iter().any(|p| {
                                comments_before_late_comma(
                                    p.next_siblings(),
                                    p.trailing_comma().is_some(),
                                )
                            })
                        {
                            return None;
                        }
                        props.into_iter().for_each(|p| p.remove());
                    }
                    Op::Set(path, value) => {
                        let full = self.full_path(path);
                        let (last, parents) = full.split_last()?;
                        let mut obj = root.object_value_or_create()?;
                        for p in parents {
                            obj = match props_named(&obj, p).pop() {
                                Some(prop) => prop.value()?.as_object()?,
                                None => obj.object_value_or_create(p)?,
                            };
                        }
                        match props_named(&obj, last).pop() {
                            Some(prop) => prop.set_value(to_cst(value)),
                            None => {
                                obj.append(last, to_cst(value));
                            }
                        }
                    }
                    Op::Rename(path, new_key) => {
                        // Only the key changes: the value, its comments and formatting stay.
                        // Earlier duplicates are dead (VS Code reads the last) and would come
                        // back into effect under the old name: they go.
                        let full = self.full_path(path);
                        let obj = walk(root, &full)?;
                        let mut props = props_named(&obj, full.last()?);
                        let prop = props.pop()?;
                        let name = serde_json::to_string(new_key).ok()?;
                        prop.name()?.as_string_lit()?.set_raw_value(name);
                        props.into_iter().for_each(|p| p.remove());
                    }
                    Op::RemoveElement(path, index) => {
                        let full = self.full_path(path);
                        let obj = walk(root, &full)?;
                        let arr = props_named(&obj, full.last()?).pop()?.array_value()?;
                        let el = arr.elements().into_iter().nth(*index)?;
                        if comments_before_late_comma(
                            el.next_siblings(),
                            el.trailing_comma().is_some(),
                        ) {
                            return None;
                        }
                        el.remove();
                    }
                }
            }
            Some(())
        })
    }

    fn full_path<'p>(&self, path: &[&'p str]) -> Vec<&'p str> {
        let mut v: Vec<&'p str> = self.base_path().to_vec();
        v.extend_from_slice(path);
        v
    }

    /// Apply `f` to a fresh CST and express the change as one minimal text edit.
    fn edit(&self, f: impl FnOnce(&CstRootNode) -> Option<()>) -> Option<TextEdit> {
        if self.error.is_some() {
            return None; // never edit a file we could not parse
        }
        let root = CstRootNode::parse(self.text, &vscode_parse_options()).ok()?;
        f(&root)?;
        let new_text = root.to_string();
        // The result must still parse; otherwise offer no edit rather than a broken file.
        jsonc_parser::parse_to_ast(
            &new_text,
            &CollectOptions::default(),
            &vscode_parse_options(),
        )
        .ok()?;
        minimal_edit(self.text, &new_text, &self.lines)
    }
}

/// One change to a settings file; paths are relative to the settings object.
#[derive(Debug, Clone)]
pub enum Op<'p> {
    Remove(&'p [&'p str]),
    Set(&'p [&'p str], serde_json::Value),
    Rename(&'p [&'p str], &'p str),
    RemoveElement(&'p [&'p str], usize),
}

/// The object that holds the last segment of `full` (walks all but the last segment, through
/// the last of duplicate keys, as VS Code reads them).
fn walk(root: &CstRootNode, full: &[&str]) -> Option<CstObject> {
    let (_, parents) = full.split_last()?;
    let mut obj = root.object_value()?;
    for p in parents {
        obj = props_named(&obj, p).pop()?.value()?.as_object()?;
    }
    Some(obj)
}

/// Removing a node removes everything up to its trailing comma. When that comma stands on a later
/// line, comments in between (a commented-out block) would go too: then offer no edit.
pub(crate) fn comments_before_late_comma(
    siblings: impl Iterator<Item = CstNode>,
    has_comma: bool,
) -> bool {
    if !has_comma {
        return false;
    }
    let mut newline = false;
    for s in siblings {
        if s.is_comma() {
            return false;
        }
        newline |= s.is_newline();
        if newline && s.is_comment() {
            return true;
        }
    }
    false
}

/// Every property of `obj` named `name`, in file order (`CstObject::get` finds only the first).
pub(crate) fn props_named(obj: &CstObject, name: &str) -> Vec<CstObjectProp> {
    obj.properties()
        .into_iter()
        .filter(|p| p.decoded_name().as_deref() == Some(name))
        .collect()
}

pub(crate) fn to_cst(value: &serde_json::Value) -> CstInputValue {
    match value {
        serde_json::Value::Null => CstInputValue::Null,
        serde_json::Value::Bool(b) => CstInputValue::Bool(*b),
        serde_json::Value::Number(n) => CstInputValue::Number(n.to_string()),
        serde_json::Value::String(s) => CstInputValue::String(s.clone()),
        serde_json::Value::Array(a) => CstInputValue::Array(a.iter().map(to_cst).collect()),
        serde_json::Value::Object(o) => {
            CstInputValue::Object(o.iter().map(|(k, v)| (k.clone(), to_cst(v))).collect())
        }
    }
}

/// One replacement covering the changed middle of `old` → `new`.
pub(crate) fn minimal_edit(old: &str, new: &str, lines: &LineIndex<'_>) -> Option<TextEdit> {
    if old == new {
        return None;
    }
    let mut prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    let new_text = new.get(prefix..new.len() - suffix)?.to_string();
    Some(TextEdit {
        range: lines.range(prefix, old.len() - suffix),
        new_text,
    })
}

/// Parse JSONC (VS Code's leniency) to a JSON value; `Null` for an empty document.
pub fn parse_value(text: &str) -> Result<serde_json::Value, String> {
    match jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &vscode_parse_options()) {
        Ok(r) => Ok(r
            .value
            .map(serde_json::Value::from)
            .unwrap_or(serde_json::Value::Null)),
        Err(e) => Err(e.to_string()),
    }
}

/// Apply edits (UTF-16 offsets) to a text; used by tests and the native CLI's `--fix`.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    let mut units: Vec<u16> = text.encode_utf16().collect();
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| std::cmp::Reverse(e.range.start_offset));
    for e in sorted {
        let start = (e.range.start_offset as usize).min(units.len());
        let end = (e.range.end_offset as usize).clamp(start, units.len());
        units.splice(start..end, e.new_text.encode_utf16());
    }
    String::from_utf16_lossy(&units)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"{
    // my Go setup
    "go.buildOnSave": "package", // legacy
    "editor.tabSize": 4,
    "gopls": {
        "build.experimentalWorkspaceModule": true,
        "ui.semanticTokens": true,
    },
    "go.languageServerFlags": ["-rpc.trace", "--memory-limit=4G"],
}
"#;

    fn doc() -> SettingsDoc<'static> {
        SettingsDoc::parse("file:///s.json", TEXT, false)
    }

    fn reparse(text: &str) -> serde_json::Value {
        parse_value(text).unwrap_or(serde_json::Value::Null)
    }

    #[test]
    fn remove_keeps_comments_and_other_keys() {
        let d = doc();
        let e = d.remove(&["go.buildOnSave"]);
        assert!(e.is_some());
        let out = apply_edits(TEXT, &e.into_iter().collect::<Vec<_>>());
        assert!(out.contains("// my Go setup"), "{out}");
        assert!(!out.contains("go.buildOnSave"));
        let v = reparse(&out);
        assert_eq!(v["editor.tabSize"], 4);
        assert_eq!(v["gopls"]["ui.semanticTokens"], true);
    }

    #[test]
    fn remove_nested_and_array_element() {
        let d = doc();
        let e1 = d.remove(&["gopls", "build.experimentalWorkspaceModule"]);
        let out = apply_edits(TEXT, &e1.into_iter().collect::<Vec<_>>());
        let v = reparse(&out);
        assert_eq!(v["gopls"], serde_json::json!({"ui.semanticTokens": true}));
        let d2 = SettingsDoc::parse("file:///s.json", &out, false);
        let e2 = d2.remove_array_element(&["go.languageServerFlags"], 1);
        let out2 = apply_edits(&out, &e2.into_iter().collect::<Vec<_>>());
        assert_eq!(
            reparse(&out2)["go.languageServerFlags"],
            serde_json::json!(["-rpc.trace"])
        );
        assert!(out2.contains("// legacy"));
    }

    #[test]
    fn set_creates_and_replaces() {
        let d = doc();
        let e = d.set(
            &["go.toolsManagement.checkForUpdates"],
            &serde_json::json!("local"),
        );
        let out = apply_edits(TEXT, &e.into_iter().collect::<Vec<_>>());
        assert_eq!(reparse(&out)["go.toolsManagement.checkForUpdates"], "local");
        assert!(out.contains("// my Go setup"));
    }

    #[test]
    fn rename_keeps_value() {
        let d = doc();
        let e = d.rename(&["go.buildOnSave"], "go.vetOnSave");
        let out = apply_edits(TEXT, &e.into_iter().collect::<Vec<_>>());
        let v = reparse(&out);
        assert_eq!(v["go.vetOnSave"], "package");
        assert!(v.get("go.buildOnSave").is_none());
    }

    /// Fuzz (settings_fix): a rename re-created the property from its value, dropping the
    /// comments inside and after it and reformatting the value.
    #[test]
    fn fuzz_rename_keeps_comments_and_formatting_of_the_value() {
        let text = "{\n  // ok\n  \"go.lintTool\": \"revive\", /* ok */\n  \"ui.codelens\": {\"gc_details\": true /* slow */},\n}\n";
        let d = SettingsDoc::parse("file:///s.json", text, false);
        // Renaming to the same name changes nothing (before: the trailing comment was lost).
        assert!(d.rename(&["go.lintTool"], "go.lintTool").is_none());
        let e = d.rename(&["ui.codelens"], "ui.codelenses");
        let out = apply_edits(text, &e.into_iter().collect::<Vec<_>>());
        assert_eq!(
            out,
            "{\n  // ok\n  \"go.lintTool\": \"revive\", /* ok */\n  \"ui.codelenses\": {\"gc_details\": true /* slow */},\n}\n"
        );
        let e = d.rename(&["go.lintTool"], "a\"b");
        let out = apply_edits(text, &e.into_iter().collect::<Vec<_>>());
        assert_eq!(reparse(&out)["a\"b"], "revive");
        assert!(out.contains("\"revive\", /* ok */"), "{out}");
    }

    /// Fuzz (settings_fix): the comma after a value stood on a later line, below a commented-out
    /// block; removing the property removed everything up to that comma, the block included.
    #[test]
    fn fuzz_remove_keeps_comments_before_a_late_comma() {
        let text = "{\n  // old team setting\n  \"go.buildOnSave\": \"off\" // t\n// \"go.lintTool\": \"revive\",\n// \"go.vetOnSave\": \"off\"\n, \"go.x\": [1 // one\n// two\n, 2]\n}\n";
        let d = SettingsDoc::parse("file:///s.json", text, false);
        assert!(d.error.is_none());
        // No edit rather than one that deletes the commented-out lines.
        assert!(d.remove(&["go.buildOnSave"]).is_none());
        assert!(d.remove_array_element(&["go.x"], 0).is_none());
        // Elsewhere removal works as before.
        let out = apply_edits(text, &d.remove(&["go.x"]).into_iter().collect::<Vec<_>>());
        assert!(out.contains("// \"go.vetOnSave\": \"off\""), "{out}");
        assert_eq!(reparse(&out), serde_json::json!({"go.buildOnSave": "off"}));
    }

    /// Fuzz (settings_fix): with duplicate keys VS Code reads the last one, but the edits went to
    /// the first: a "set" that changed nothing VS Code reads, a "remove" that brought the other
    /// value into effect.
    #[test]
    fn fuzz_duplicate_keys_edit_what_vscode_reads() {
        let text = "{\"go.buildOnSave\": \"package\", \"go.buildOnSave\": \"off\"}";
        let d = SettingsDoc::parse("file:///s.json", text, false);
        let out = apply_edits(
            text,
            &d.remove(&["go.buildOnSave"])
                .into_iter()
                .collect::<Vec<_>>(),
        );
        assert_eq!(reparse(&out), serde_json::json!({}));
        let out = apply_edits(
            text,
            &d.rename(&["go.buildOnSave"], "go.vetOnSave")
                .into_iter()
                .collect::<Vec<_>>(),
        );
        assert_eq!(reparse(&out), serde_json::json!({"go.vetOnSave": "off"}));
        let text = "{\"gopls\": {\"tempModfile\": true}, \"gopls\": {\"x\": [1, 2]}}";
        let d = SettingsDoc::parse("file:///s.json", text, false);
        let set = d.set(
            &["gopls", "build.buildFlags"],
            &serde_json::json!(["-tags=x"]),
        );
        let out = apply_edits(text, &set.into_iter().collect::<Vec<_>>());
        assert_eq!(
            reparse(&out)["gopls"],
            serde_json::json!({"x": [1, 2], "build.buildFlags": ["-tags=x"]})
        );
        let rm = d.remove_array_element(&["gopls", "x"], 0);
        let out = apply_edits(text, &rm.into_iter().collect::<Vec<_>>());
        assert_eq!(reparse(&out)["gopls"], serde_json::json!({"x": [2]}));
    }

    #[test]
    fn workspace_file_edits_under_settings() {
        let text = "{\n  \"folders\": [{\"path\": \".\"}],\n  // s\n  \"settings\": {\"go.buildOnSave\": \"off\", \"x\": 1}\n}\n";
        let d = SettingsDoc::parse("file:///w.code-workspace", text, true);
        assert!(d.prop("go.buildOnSave").is_some());
        let out = apply_edits(
            text,
            &d.remove(&["go.buildOnSave"])
                .into_iter()
                .collect::<Vec<_>>(),
        );
        let v = reparse(&out);
        assert_eq!(v["settings"], serde_json::json!({"x": 1}));
        assert_eq!(v["folders"], serde_json::json!([{"path": "."}]));
    }

    #[test]
    fn malformed_text_reports_position_and_refuses_edits() {
        let text = "{\n  \"go.goroot\": \"/x\"\n  \"go.gopath\": 1\n}";
        let d = SettingsDoc::parse("file:///s.json", text, false);
        let err = d.error.as_ref().map(|e| (e.line, e.column));
        // The comma is expected right after `"/x"`: line 2, column 20 (1-based).
        assert_eq!(err, Some((2, 20)));
        assert!(d.remove(&["go.goroot"]).is_none());
    }

    #[test]
    fn non_ascii_before_key_gives_utf16_columns() {
        let text = "{ \"🦀\": 1, \"go.x\": 2 }";
        let d = SettingsDoc::parse("file:///s.json", text, false);
        let loc = d.prop("go.x").map(|p| d.name_location(p));
        // `{ "🦀": 1, ` = 2 + 1 + 2 (surrogate pair) + 1 + 5 = 11 UTF-16 units
        assert_eq!(loc.map(|l| l.range.start.character), Some(11));
    }
}
