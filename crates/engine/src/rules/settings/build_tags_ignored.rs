use serde_json::{json, Value};

use crate::context::Context;
use crate::declare_rule;
use crate::jsonc::Op;
use crate::protocol::{Action, Applicability, Fix};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// `go.buildTags` set while the language server is on and gopls's `build.buildFlags` has no
    /// `-tags`: gopls does not read `go.buildTags` (it is used by vscode-go's own build/test
    /// commands only).
    ///
    /// ## Why it matters
    /// Files behind those tags are invisible to gopls: `No packages found for open file ...
    /// This file may be excluded due to its build tags; try adding "-tags=<build tag>" to your
    /// gopls "buildFlags" configuration` (golang/tools `gopls/internal/cache/snapshot.go`). Hover
    /// and definition are dead in exactly those files.
    ///
    /// ## Example
    /// ```jsonc
    /// { "go.buildTags": "integration" }
    /// ```
    ///
    /// ## Fix
    /// Add `-tags=<tags>` to `"gopls": {"build.buildFlags": [...]}` in the same settings file.
    /// Safe: it makes gopls see what `go.buildTags` already asked for.
    pub BUILD_TAGS_IGNORED {
        code: "GSD319",
        name: "build-tags-ignored",
        category: Settings,
        severity: Warning,
        summary: "gopls sees the configured build tags",
        fix: Always,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if !cx.language_server_enabled() {
        return;
    }
    let Some((tags, layer)) = cx.effective("go.buildTags") else {
        return;
    };
    let Some(tags) = tags.as_str().map(str::trim).filter(|t| !t.is_empty()) else {
        return;
    };
    let has_tags_flag = cx.layers.iter().rev().find_map(|l| {
        let g = l.doc.as_ref()?.value("gopls")?;
        let flags = g
            .get("build.buildFlags")
            .or_else(|| g.get("buildFlags"))?
            .as_array()?
            .clone();
        Some(flags.iter().any(|f| {
            f.as_str()
                .is_some_and(|s| s.starts_with("-tags") || s.starts_with("--tags"))
        }))
    });
    if has_tags_flag == Some(true) {
        return;
    }
    let Some(doc) = layer.doc.as_ref() else {
        return;
    };
    let scope = layer.layer.scope.label();
    let flag = format!("-tags={}", tags.replace(' ', ","));
    let f = out.report(
        "gopls ignores go.buildTags",
        format!("`go.buildTags` is \"{tags}\" in {scope} settings, but gopls does not read it: files that need these tags show \"No packages found\" and have no hover or go-to-definition. gopls needs `{flag}` in its build.buildFlags."),
    );
    f.at(doc.prop("go.buildTags").map(|p| doc.name_location(p)));
    // Append to an existing gopls build.buildFlags array in this file, or create it.
    let existing: Vec<Value> = doc
        .value("gopls")
        .and_then(|g| {
            g.get("build.buildFlags")
                .and_then(|v| v.as_array().cloned())
        })
        .unwrap_or_default();
    let mut flags = existing;
    flags.push(json!(flag));
    if let Some(edit) = doc.apply(&[Op::Set(&["gopls", "build.buildFlags"], Value::Array(flags))]) {
        f.fix(Fix {
            title: format!("Add \"{flag}\" to gopls build.buildFlags ({scope} settings)"),
            applicability: Applicability::Safe,
            actions: vec![Action::EditFile {
                uri: layer.layer.uri.clone(),
                edits: vec![edit],
            }],
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn fires_and_fix_adds_tags_flag_to_gopls() {
        let s = with_folder_settings("{\n  \"go.buildTags\": \"integration e2e\", // CI\n  \"gopls\": {\"build.buildFlags\": [\"-mod=mod\"]}\n}");
        let f = run(&BUILD_TAGS_IGNORED, &s);
        assert_eq!(f.len(), 1);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        let out = layer_text(&fixed, FOLDER_SETTINGS);
        assert!(out.contains("// CI"));
        assert_eq!(
            parse_jsonc(out)["gopls"]["build.buildFlags"],
            json!(["-mod=mod", "-tags=integration,e2e"])
        );
        assert!(run(&BUILD_TAGS_IGNORED, &fixed).is_empty());
    }

    #[test]
    fn passes_when_gopls_has_tags() {
        assert!(run(
            &BUILD_TAGS_IGNORED,
            &with_folder_settings(
                "{\"go.buildTags\": \"x\", \"gopls\": {\"build.buildFlags\": [\"-tags=x\"]}}"
            )
        )
        .is_empty());
        assert!(run(&BUILD_TAGS_IGNORED, &snapshot(json!({}))).is_empty());
    }
}
