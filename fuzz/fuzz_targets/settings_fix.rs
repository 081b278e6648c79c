//! Settings fixes on arbitrary JSONC text.
//!
//! For the text as a settings.json and as a `*.code-workspace` (settings under `settings`), and for
//! a set of paths (every key that is there, a level deep, array elements, plus fixed ones that are
//! usually absent), each of `remove`, `set`, `rename`, `remove_array_element` must give an edit that
//! - leaves a file that parses (whenever the input parsed; an input that does not parse gets no
//!   edit at all),
//! - does what it says on the value VS Code reads (the last of duplicate keys wins) and nothing
//!   else: the rest of the document's value is unchanged,
//! - keeps every comment outside the edited property (comments inside a removed or replaced value,
//!   and those on its own lines, may go with it).
//!
//! Then the whole engine runs on a snapshot holding the text (folder settings and workspace file);
//! every EditFile fix of every finding is applied and the result must parse.
#![no_main]

use std::collections::BTreeMap;

use gsd_engine::jsonc::{apply_edits, parse_value, vscode_parse_options, SettingsDoc};
use gsd_engine::*;
use jsonc_parser::ast::{Object, Value as Ast};
use jsonc_parser::common::Ranged;
use jsonc_parser::tokens::Token;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

const URI: &str = "file:///home/gopher/src/hello/.vscode/settings.json";
const WS_URI: &str = "file:///home/gopher/src/all.code-workspace";

/// Comments of a text: (byte start, byte end, text).
fn comments(text: &str) -> Vec<(usize, usize, String)> {
    let opts = CollectOptions {
        comments: CommentCollectionStrategy::AsTokens,
        tokens: true,
    };
    let Ok(r) = jsonc_parser::parse_to_ast(text, &opts, &vscode_parse_options()) else {
        return Vec::new();
    };
    r.tokens
        .unwrap_or_default()
        .into_iter()
        .filter_map(|t| match t.token {
            Token::CommentLine(_) | Token::CommentBlock(_) => Some((
                t.range.start,
                t.range.end,
                text.get(t.range.start..t.range.end)?.to_string(),
            )),
            _ => None,
        })
        .collect()
}

/// After a node ending at `end`: is its trailing comma on a later line, below a comment? Then the
/// engine offers no removal (it would take the comment along).
fn late_comma_comment(text: &str, comments: &[(usize, usize, String)], end: usize) -> bool {
    let bytes = text.as_bytes();
    let (mut i, mut newline, mut commented) = (end, false, false);
    while let Some(b) = bytes.get(i) {
        if let Some((_, ce, _)) = comments.iter().find(|(cs, _, _)| *cs == i) {
            commented |= newline;
            i = *ce;
            continue;
        }
        match b {
            b'\n' => newline = true,
            b' ' | b'\t' | b'\r' => {}
            b',' => return commented,
            _ => return false,
        }
        i += 1;
    }
    false
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()
        .iter()
        .take(offset)
        .filter(|b| **b == b'\n')
        .count()
}

/// The value VS Code reads at `path` (objects only; the last duplicate wins).
fn get<'v>(v: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter()
        .try_fold(v, |cur, seg| cur.as_object()?.get(*seg))
}

fn get_mut<'v>(v: &'v mut Value, path: &[&str]) -> Option<&'v mut Value> {
    path.iter()
        .try_fold(v, |cur, seg| cur.as_object_mut()?.get_mut(*seg))
}

/// The AST object holding the last segment of `full`, and the last property named so in it.
fn ast_parent<'a, 'b>(root: &'b Ast<'a>, full: &[&str]) -> Option<&'b Object<'a>> {
    let (_, parents) = full.split_last()?;
    let mut obj = root.as_object()?;
    for p in parents {
        obj = obj
            .properties
            .iter()
            .filter(|x| x.name.as_str() == *p)
            .last()?
            .value
            .as_object()?;
    }
    Some(obj)
}

/// Byte ranges a change of the property/element at `index` of a container may touch:
/// (region start, target start, target end, region end). The region spans from the end of the
/// previous sibling (or the open bracket) to the start of the next one (or the close bracket).
fn region(
    container: (usize, usize),
    siblings: &[(usize, usize)],
    index: usize,
) -> Option<(usize, usize, usize, usize)> {
    let (s, e) = *siblings.get(index)?;
    let before = if index == 0 {
        container.0 + 1
    } else {
        siblings.get(index - 1)?.1
    };
    let after = siblings
        .get(index + 1)
        .map(|x| x.0)
        .unwrap_or(container.1.saturating_sub(1));
    Some((before, s, e, after))
}

/// Comments that must survive a change confined to `region`: those outside it, the trailing
/// comment of the previous sibling (on its last line, before the target's first line), and leading
/// comments of the next sibling (on lines after the target's last line).
fn protected(
    text: &str,
    all: &[(usize, usize, String)],
    region: Option<(usize, usize, usize, usize)>,
) -> Vec<String> {
    all.iter()
        .filter(|(cs, ce, _)| match region {
            None => true,
            Some((rs, ts, te, re)) => {
                if *ce <= rs || *cs >= re {
                    return true;
                }
                let (rs_line, ts_line, te_line) =
                    (line_of(text, rs), line_of(text, ts), line_of(text, te));
                let c_line = line_of(text, *cs);
                (*ce <= ts && c_line == rs_line && c_line < ts_line)
                    || (*cs >= te && c_line > te_line)
            }
        })
        .map(|(_, _, t)| t.clone())
        .collect()
}

fn assert_comments_kept(what: &str, before: &str, after: &str, keep: &[String]) {
    let mut have: BTreeMap<&str, usize> = BTreeMap::new();
    let after_comments = comments(after);
    for (_, _, t) in &after_comments {
        *have.entry(t.as_str()).or_default() += 1;
    }
    let mut need: BTreeMap<&str, usize> = BTreeMap::new();
    for t in keep {
        *need.entry(t.as_str()).or_default() += 1;
    }
    for (t, n) in need {
        let got = have.get(t).copied().unwrap_or(0);
        assert!(
            got >= n,
            "{what}: lost the comment {t:?}\n--- before\n{before}\n--- after\n{after}"
        );
    }
}

struct Case<'t> {
    text: &'t str,
    ws: bool,
    doc: SettingsDoc<'t>,
    value: Value,
    root: Option<Ast<'t>>,
    comments: Vec<(usize, usize, String)>,
}

impl<'t> Case<'t> {
    fn full<'p>(&self, path: &[&'p str]) -> Vec<&'p str> {
        let mut v: Vec<&'p str> = if self.ws { vec!["settings"] } else { vec![] };
        v.extend_from_slice(path);
        v
    }

    /// Apply `edit`, check that it parses, return the new text and its value.
    fn applied(&self, what: &str, edit: &TextEdit) -> (String, Value) {
        let len = self.text.encode_utf16().count() as u32;
        assert!(
            edit.range.start_offset <= edit.range.end_offset && edit.range.end_offset <= len,
            "{what}: bad range"
        );
        let out = apply_edits(self.text, std::slice::from_ref(edit));
        match parse_value(&out) {
            Ok(v) => (out, v),
            Err(e) => panic!(
                "{what}: the result does not parse: {e}\n--- before\n{}\n--- after\n{out}",
                self.text
            ),
        }
    }

    /// How many properties named like the last segment the parent has (duplicates).
    fn count(&self, full: &[&str]) -> usize {
        let (Some(root), Some(last)) = (self.root.as_ref(), full.last()) else {
            return 0;
        };
        ast_parent(root, full)
            .map(|o| {
                o.properties
                    .iter()
                    .filter(|p| p.name.as_str() == *last)
                    .count()
            })
            .unwrap_or(0)
    }

    /// The comment-protection region of the (last) property at `full`.
    fn prop_region(&self, full: &[&str]) -> Option<(usize, usize, usize, usize)> {
        let root = self.root.as_ref()?;
        let obj = ast_parent(root, full)?;
        let last = full.last()?;
        let sibs: Vec<(usize, usize)> = obj
            .properties
            .iter()
            .map(|p| (p.range().start, p.range().end))
            .collect();
        let index = obj
            .properties
            .iter()
            .rposition(|p| p.name.as_str() == *last)?;
        region((obj.range().start, obj.range().end), &sibs, index)
    }

    fn remove(&self, path: &[&str]) {
        let full = self.full(path);
        let what = format!("remove {path:?} (ws={})", self.ws);
        let existed = get(&self.value, &full).is_some();
        let Some(edit) = self.doc.remove(path) else {
            let refused = self
                .root
                .as_ref()
                .and_then(|root| ast_parent(root, &full))
                .is_some_and(|o| {
                    o.properties
                        .iter()
                        .filter(|p| Some(&p.name.as_str()) == full.last())
                        .any(|p| late_comma_comment(self.text, &self.comments, p.range().end))
                });
            assert!(
                !existed || refused,
                "{what}: no edit for a key that is there\n{}",
                self.text
            );
            return;
        };
        let (out, after) = self.applied(&what, &edit);
        let mut expected = self.value.clone();
        if let Some((last, parents)) = full.split_last() {
            if let Some(o) = get_mut(&mut expected, parents).and_then(Value::as_object_mut) {
                o.remove(*last);
            }
        }
        assert_eq!(
            after, expected,
            "{what}: wrong result\n--- before\n{}\n--- after\n{out}",
            self.text
        );
        if self.count(&full) == 1 {
            let keep = protected(self.text, &self.comments, self.prop_region(&full));
            assert_comments_kept(&what, self.text, &out, &keep);
        }
    }

    fn set(&self, path: &[&str], v: &Value) {
        let full = self.full(path);
        let what = format!("set {path:?} = {v} (ws={})", self.ws);
        let Some(edit) = self.doc.set(path, v) else {
            return; // a parent is not an object, or the value is already there
        };
        let (out, after) = self.applied(&what, &edit);
        assert_eq!(
            get(&after, &full),
            Some(v),
            "{what}: VS Code does not read the new value\n--- before\n{}\n--- after\n{out}",
            self.text
        );
        let mut expected = self.value.clone();
        if expected.is_null() {
            expected = json!({});
        }
        let mut cur = &mut expected;
        if let Some((last, parents)) = full.split_last() {
            for p in parents {
                let Some(o) = cur.as_object_mut() else { return };
                cur = o.entry(p.to_string()).or_insert_with(|| json!({}));
            }
            if let Some(o) = cur.as_object_mut() {
                o.insert(last.to_string(), v.clone());
            }
        }
        assert_eq!(
            after, expected,
            "{what}: wrong result\n--- before\n{}\n--- after\n{out}",
            self.text
        );
        // Comments inside a replaced value may go; everything else stays.
        let region = self
            .prop_region(&full)
            .filter(|_| self.count(&full) > 0)
            .map(|(_, s, e, _)| (s, s, e, e));
        if self.count(&full) <= 1 {
            let keep = protected(self.text, &self.comments, region);
            assert_comments_kept(&what, self.text, &out, &keep);
        }
    }

    fn rename(&self, path: &[&str], new_key: &str) {
        let full = self.full(path);
        let what = format!("rename {path:?} -> {new_key:?} (ws={})", self.ws);
        let old = get(&self.value, &full).cloned();
        let Some(edit) = self.doc.rename(path, new_key) else {
            return;
        };
        let (out, after) = self.applied(&what, &edit);
        let Some((last, parents)) = full.split_last() else {
            return;
        };
        let mut new_full: Vec<&str> = parents.to_vec();
        new_full.push(new_key);
        let collides = *last != new_key && get(&self.value, &new_full).is_some();
        if !collides {
            assert_eq!(
                get(&after, &new_full),
                old.as_ref(),
                "{what}: value not kept\n--- before\n{}\n--- after\n{out}",
                self.text
            );
            if *last != new_key {
                let mut expected = self.value.clone();
                if let Some(o) = get_mut(&mut expected, parents).and_then(Value::as_object_mut) {
                    o.remove(*last);
                    if let Some(v) = old.clone() {
                        o.insert(new_key.to_string(), v);
                    }
                }
                assert_eq!(
                    after, expected,
                    "{what}: wrong result\n--- before\n{}\n--- after\n{out}",
                    self.text
                );
            }
        }
        // A rename touches the key only: every comment stays.
        if self.count(&full) == 1 {
            assert_comments_kept(
                &what,
                self.text,
                &out,
                &protected(self.text, &self.comments, None),
            );
        }
    }

    fn remove_element(&self, path: &[&str], index: usize) {
        let full = self.full(path);
        let what = format!("remove_array_element {path:?}[{index}] (ws={})", self.ws);
        let arr = get(&self.value, &full).and_then(Value::as_array).cloned();
        let Some(edit) = self.doc.remove_array_element(path, index) else {
            let refused = self.root.as_ref().and_then(|root| {
                let obj = ast_parent(root, &full)?;
                let last = full.last()?;
                let a = obj
                    .properties
                    .iter()
                    .filter(|p| p.name.as_str() == *last)
                    .last()?
                    .value
                    .as_array()?;
                Some(late_comma_comment(
                    self.text,
                    &self.comments,
                    a.elements.get(index)?.range().end,
                ))
            });
            assert!(
                arr.as_ref().map_or(true, |a| index >= a.len()) || refused == Some(true),
                "{what}: no edit for an element that is there\n{}",
                self.text
            );
            return;
        };
        let (out, after) = self.applied(&what, &edit);
        let Some(mut arr) = arr else {
            panic!(
                "{what}: an edit for an array that is not there\n{}",
                self.text
            )
        };
        arr.remove(index);
        let mut expected = self.value.clone();
        if let Some(slot) = get_mut(&mut expected, &full) {
            *slot = Value::Array(arr);
        }
        assert_eq!(
            after, expected,
            "{what}: wrong result\n--- before\n{}\n--- after\n{out}",
            self.text
        );
        if self.count(&full) == 1 {
            let region = self.root.as_ref().and_then(|root| {
                let obj = ast_parent(root, &full)?;
                let last = full.last()?;
                let a = obj
                    .properties
                    .iter()
                    .filter(|p| p.name.as_str() == *last)
                    .last()?
                    .value
                    .as_array()?;
                let sibs: Vec<(usize, usize)> = a
                    .elements
                    .iter()
                    .map(|e| (e.range().start, e.range().end))
                    .collect();
                region((a.range().start, a.range().end), &sibs, index)
            });
            let keep = protected(self.text, &self.comments, region);
            assert_comments_kept(&what, self.text, &out, &keep);
        }
    }
}

/// Paths to try: what is there (bounded) and what usually is not.
fn paths(settings: Option<&Value>) -> (Vec<Vec<String>>, Vec<(Vec<String>, usize)>) {
    let mut keys: Vec<Vec<String>> = [
        vec!["go.buildOnSave"],
        vec!["gopls", "build.buildFlags"],
        vec!["gopls"],
        vec!["a", "b", "c"],
        vec![""],
    ]
    .into_iter()
    .map(|p| p.into_iter().map(String::from).collect())
    .collect();
    let mut arrays = Vec::new();
    if let Some(obj) = settings.and_then(Value::as_object) {
        for (k, v) in obj.iter().take(6) {
            keys.push(vec![k.clone()]);
            if let Some(inner) = v.as_object() {
                for (k2, v2) in inner.iter().take(3) {
                    keys.push(vec![k.clone(), k2.clone()]);
                    if let Some(a) = v2.as_array() {
                        arrays.push((vec![k.clone(), k2.clone()], a.len().saturating_sub(1)));
                    }
                }
            }
            if let Some(a) = v.as_array() {
                for i in [0, a.len() / 2, a.len().saturating_sub(1), a.len()] {
                    arrays.push((vec![k.clone()], i));
                }
            }
        }
    }
    (keys, arrays)
}

fn fix_each_finding(text: &str) {
    let layer = |scope, uri: &str, t: String| SettingsLayer {
        scope,
        uri: uri.to_string(),
        text: Some(t),
        ..Default::default()
    };
    let snapshot = Snapshot {
        schema: SCHEMA_VERSION,
        host: Host {
            os: "linux".into(),
            home: Some("/home/gopher".into()),
            ..Default::default()
        },
        settings: vec![
            layer(Scope::WorkspaceFile, WS_URI, text.to_string()),
            layer(Scope::WorkspaceFolder, URI, text.to_string()),
        ],
        ..Default::default()
    };
    let report = check(&snapshot);
    for f in &report.findings {
        for fix in &f.fixes {
            for action in &fix.actions {
                let Action::EditFile { uri, edits } = action else {
                    continue;
                };
                let Some(l) = snapshot.settings.iter().find(|l| &l.uri == uri) else {
                    panic!("{}: edit of an unknown file {uri}", f.code)
                };
                let before = l.text.as_deref().unwrap_or("");
                if SettingsDoc::parse(uri, before, l.scope == Scope::WorkspaceFile)
                    .error
                    .is_some()
                {
                    panic!(
                        "{}: fix {:?} offered for a file that does not parse",
                        f.code, fix.title
                    );
                }
                // Edits of one fix must not overlap.
                let mut ranges: Vec<(u32, u32)> = edits
                    .iter()
                    .map(|e| (e.range.start_offset, e.range.end_offset))
                    .collect();
                ranges.sort();
                for w in ranges.windows(2) {
                    if let [a, b] = w {
                        assert!(a.1 <= b.0, "{}: overlapping edits", f.code);
                    }
                }
                let out = apply_edits(before, edits);
                if let Err(e) = parse_value(&out) {
                    panic!(
                        "{} fix {:?} broke the file: {e}\n--- before\n{before}\n--- after\n{out}",
                        f.code, fix.title
                    );
                }
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for ws in [false, true] {
        let doc = SettingsDoc::parse(URI, text, ws);
        if doc.error.is_some() {
            // Never edit a file that does not parse.
            assert!(doc.remove(&["go.buildOnSave"]).is_none());
            assert!(doc.set(&["gopls", "x"], &json!(1)).is_none());
            continue;
        }
        let value = parse_value(text).unwrap_or(Value::Null);
        let root =
            jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &vscode_parse_options())
                .ok()
                .and_then(|r| r.value);
        let case = Case {
            text,
            ws,
            doc,
            comments: comments(text),
            value,
            root,
        };
        let settings = if ws {
            get(&case.value, &["settings"])
        } else {
            Some(&case.value)
        };
        let (keys, arrays) = paths(settings);
        let values = [
            json!("local"),
            json!(["-tags=integration,e2e"]),
            json!({"gc_details": true, "n": [1, null, {"x": "y"}]}),
            json!("q\"uote\\ \u{2028} 🦀"),
        ];
        for (i, k) in keys.iter().enumerate() {
            let p: Vec<&str> = k.iter().map(String::as_str).collect();
            case.remove(&p);
            case.set(&p, &values[i % values.len()]);
            let new_key = match i % 4 {
                0 => "go.vetOnSave",
                1 => p.last().copied().unwrap_or(""),
                2 => "gopls",
                _ => "ü\"\\🦀",
            };
            case.rename(&p, new_key);
        }
        for (k, i) in &arrays {
            let p: Vec<&str> = k.iter().map(String::as_str).collect();
            case.remove_element(&p, *i);
        }
    }
    fix_each_finding(text);
});
