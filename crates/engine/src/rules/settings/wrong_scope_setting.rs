use crate::context::Context;
use crate::declare_rule;
use crate::knowledge::schema::{self, SettingScope};
use crate::protocol::{Action, Applicability, Fix, Scope};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Window-scoped `go.*` settings (no `scope` in vscode-go's package.json: e.g.
    /// `go.useLanguageServer`, `go.languageServerFlags`, `go.trace.server`) placed in a folder's
    /// `.vscode/settings.json` of a multi-root workspace.
    ///
    /// ## Why it matters
    /// VS Code ignores them there ("This setting cannot be applied in this workspace. It will be
    /// applied when you open the containing workspace folder directly."): only the `.code-workspace`
    /// file's settings apply to window-scoped keys.
    ///
    /// ## Example
    /// `app.code-workspace` with folders `api` and `web`; `api/.vscode/settings.json` sets
    /// `go.languageServerFlags`.
    ///
    /// ## Fix
    /// Move the key to the `.code-workspace` file's `settings` (review: it then applies to all
    /// folders).
    pub WRONG_SCOPE_SETTING {
        code: "GSD314",
        name: "wrong-scope-setting",
        category: Settings,
        severity: Warning,
        summary: "settings sit in a scope where VS Code applies them",
        fix: Sometimes,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if cx.snapshot.workspace.workspace_file.is_none() {
        return;
    }
    let ws_layer = cx
        .layers
        .iter()
        .find(|l| l.layer.scope == Scope::WorkspaceFile);
    for layer in cx
        .layers
        .iter()
        .filter(|l| l.layer.scope == Scope::WorkspaceFolder)
    {
        let Some(doc) = layer.doc.as_ref() else {
            continue;
        };
        for prop in doc.props() {
            let key = prop.name.as_str();
            if schema::go_setting(key).is_none() || schema::go_scope(key) != SettingScope::Window {
                continue;
            }
            let f = out.report(
                format!("`{key}` is ignored in a folder of a multi-root workspace"),
                format!("`{key}` is a window setting; in a multi-root workspace VS Code ignores it in {} and only applies the .code-workspace file's value.", crate::text::uri_to_path(&layer.layer.uri)),
            );
            f.at(Some(doc.name_location(prop)));
            let (Some(ws), Some(value)) = (
                ws_layer.and_then(|l| l.doc.as_ref().map(|d| (l, d))),
                doc.value(key),
            ) else {
                continue;
            };
            let (ws_l, ws_doc) = ws;
            let (Some(add), Some(remove)) = (ws_doc.set(&[key], &value), doc.remove(&[key])) else {
                continue;
            };
            f.fix(Fix {
                title: format!("Move `{key}` to the workspace file's settings"),
                applicability: Applicability::Unsafe,
                actions: vec![
                    Action::EditFile {
                        uri: ws_l.layer.uri.clone(),
                        edits: vec![add],
                    },
                    Action::EditFile {
                        uri: layer.layer.uri.clone(),
                        edits: vec![remove],
                    },
                ],
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    const WS: &str = "file:///home/gopher/src/app.code-workspace";

    fn multi_root(folder: &str) -> crate::Snapshot {
        let mut s = with_folder_settings(folder);
        s.workspace.workspace_file = Some("/home/gopher/src/app.code-workspace".into());
        s.settings.push(crate::SettingsLayer { scope: Scope::WorkspaceFile, uri: WS.into(), text: Some("{\n  \"folders\": [{\"path\": \"hello\"}],\n  // shared\n  \"settings\": {\"editor.tabSize\": 4}\n}".into()), ..Default::default() });
        s
    }

    #[test]
    fn fires_and_moves_to_workspace_file() {
        let s = multi_root(
            "{\"go.languageServerFlags\": [\"-rpc.trace\"], \"go.lintTool\": \"revive\"}",
        );
        let f = run(&WRONG_SCOPE_SETTING, &s);
        assert_eq!(f.len(), 1);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        assert_eq!(
            parse_jsonc(layer_text(&fixed, FOLDER_SETTINGS)),
            json!({"go.lintTool": "revive"})
        );
        let ws = layer_text(&fixed, WS);
        assert!(ws.contains("// shared"));
        assert_eq!(
            parse_jsonc(ws)["settings"],
            json!({"editor.tabSize": 4, "go.languageServerFlags": ["-rpc.trace"]})
        );
        assert!(run(&WRONG_SCOPE_SETTING, &fixed).is_empty());
    }

    #[test]
    fn passes_in_single_folder_or_for_resource_settings() {
        assert!(run(
            &WRONG_SCOPE_SETTING,
            &with_folder_settings("{\"go.languageServerFlags\": []}")
        )
        .is_empty());
        assert!(run(
            &WRONG_SCOPE_SETTING,
            &multi_root("{\"go.lintTool\": \"revive\"}")
        )
        .is_empty());
    }
}
