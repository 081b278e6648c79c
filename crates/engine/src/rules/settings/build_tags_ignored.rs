use serde_json::{json, Value};

use crate::context::Context;
use crate::declare_rule;
use crate::jsonc::Op;
use crate::protocol::{Action, Applicability, Fix};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// `go.buildTags` set while the language server is on, and gopls's `build.buildFlags` set in
    /// some settings layer without `-tags`. vscode-go passes `go.buildTags` (and `go.buildFlags`)
    /// to gopls as `build.buildFlags` itself, but only when no layer sets gopls
    /// `build.buildFlags` ("If gopls.build.buildFlags is set, don't touch it", vscode-go
    /// `extension/src/language/goLanguageServer.ts` `passGoConfigToGoplsConfigValues`). So
    /// `go.buildTags` alone is fine; it is lost only next to an explicit `build.buildFlags`.
    ///
    /// ## Why it matters
    /// Files behind those tags are invisible to gopls: `No packages found for open file ...
    /// This file may be excluded due to its build tags; try adding "-tags=<build tag>" to your
    /// gopls "buildFlags" configuration` (golang/tools `gopls/internal/cache/snapshot.go`). Hover
    /// and definition are dead in exactly those files.
    ///
    /// ## Example
    /// ```jsonc
    /// { "go.buildTags": "integration", "gopls": { "build.buildFlags": ["-mod=mod"] } }
    /// ```
    ///
    /// ## Fix
    /// Add `-tags=<tags>` to gopls `build.buildFlags` in the settings file that sets it.
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
    // The gopls `build.buildFlags` that wins (VS Code merges the "gopls" objects of all layers
    // key by key), with the layer and the key spelling that set it.
    let winner = cx.gopls_setting("build.buildFlags", |v| v.as_array().cloned());
    // Without an explicit build.buildFlags, vscode-go hands go.buildTags to gopls itself.
    let Some((flags, flags_layer, flags_key)) = winner else {
        return;
    };
    let has_tags_flag = flags.iter().any(|f| {
        f.as_str()
            .is_some_and(|s| s.starts_with("-tags") || s.starts_with("--tags"))
    });
    if has_tags_flag {
        return;
    }
    let Some(doc) = layer.doc.as_ref() else {
        return;
    };
    let scope = layer.layer.scope.label();
    let flags_scope = flags_layer.layer.scope.label();
    let flag = format!("-tags={}", tags.replace(' ', ","));
    let f = out.report(
        "gopls ignores go.buildTags",
        format!("`go.buildTags` is \"{tags}\" in {scope} settings, but gopls `{flags_key}` is set in {flags_scope} settings without `-tags`, so vscode-go does not pass the tags to gopls: files that need these tags show \"No packages found\" and have no hover or go-to-definition. gopls needs `{flag}` in its build.buildFlags."),
    );
    f.at(doc.prop("go.buildTags").map(|p| doc.name_location(p)));
    f.evidence("vscode-go passes go.buildTags to gopls only when gopls build.buildFlags is not set (extension/src/language/goLanguageServer.ts passGoConfigToGoplsConfigValues)");
    // Append to the build.buildFlags that wins, in the file that sets it.
    let Some(flags_doc) = flags_layer.doc.as_ref() else {
        return;
    };
    let mut new_flags = flags;
    new_flags.push(json!(flag));
    if let Some(edit) = flags_doc.apply(&[Op::Set(&["gopls", flags_key], Value::Array(new_flags))])
    {
        f.fix(Fix {
            title: format!("Add \"{flag}\" to gopls {flags_key} ({flags_scope} settings)"),
            applicability: Applicability::Safe,
            actions: vec![Action::EditFile {
                uri: flags_layer.layer.uri.clone(),
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

    /// Corpus false positive: woodpecker-ci/woodpecker `.vscode/settings.json` (2bda1902) and
    /// pulumi/pulumi `.vscode/settings.json` set `go.buildTags` with no gopls `build.buildFlags`;
    /// vscode-go then passes `-tags <tags>` to gopls itself (passGoConfigToGoplsConfigValues).
    #[test]
    fn passes_when_vscode_go_passes_the_tags_itself() {
        let woodpecker = "{\n  \"go.lintTool\": \"golangci-lint\",\n  \"go.lintFlags\": [\"--fast\"],\n  \"go.buildTags\": \"test\",\n  // Auto fix\n  \"editor.codeActionsOnSave\": {\n    \"source.fixAll.eslint\": \"explicit\",\n    \"source.organizeImports\": \"never\"\n  }\n}\n";
        assert!(run(&BUILD_TAGS_IGNORED, &with_folder_settings(woodpecker)).is_empty());
        let pulumi = "{\n    \"go.buildTags\": \"all\",\n    \"gopls\": {\n        // Uses https://github.com/mvdan/gofumpt for formatting.\n        \"formatting.gofumpt\": true,\n    },\n}";
        assert!(run(&BUILD_TAGS_IGNORED, &with_folder_settings(pulumi)).is_empty());
    }

    #[test]
    fn fires_when_build_flags_come_from_another_layer_and_fixes_that_layer() {
        let mut s = with_folder_settings("{\"go.buildTags\": \"test\"}");
        s.settings[0].text = Some("{\"gopls\": {\"build.buildFlags\": [\"-mod=mod\"]}}".into());
        let f = run(&BUILD_TAGS_IGNORED, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("user settings"), "{}", f[0].message);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        assert_eq!(
            parse_jsonc(layer_text(&fixed, USER_SETTINGS))["gopls"]["build.buildFlags"],
            json!(["-mod=mod", "-tags=test"])
        );
        assert!(run(&BUILD_TAGS_IGNORED, &fixed).is_empty());
    }
}
