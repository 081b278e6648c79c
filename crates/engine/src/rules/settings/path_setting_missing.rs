use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Applicability, GoSource};
use crate::rules::common::point_at_and_remove;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// `go.alternateTools.go` and `go.goroot` (the paths that choose the `go` binary) and
    /// `go.alternateTools.<tool>` for gopls/dlv: the file they point at exists and is executable
    /// (observed by the gatherer; in an untrusted workspace, workspace values are not looked at).
    ///
    /// ## Why it matters
    /// vscode-go silently falls back to PATH, or says `go.goroot setting is ignored. <dir> is not a
    /// valid GOROOT directory.` (vscode-go `goEnv.ts`) / `Cannot find the alternate tool <x>
    /// configured for gopls. Please install it and reload this VS Code window.`
    /// (`goLanguageServer.ts`), typically after a Homebrew upgrade removed the old Cellar directory
    /// (golang/vscode-go#2012).
    ///
    /// ## Example
    /// ```jsonc
    /// { "go.goroot": "/usr/local/Cellar/go/1.16.3/libexec" }
    /// ```
    ///
    /// ## Fix
    /// Remove the setting so the Go on PATH is used (review: it changes which Go the extension uses).
    pub PATH_SETTING_MISSING {
        code: "GSD309",
        name: "path-setting-missing",
        category: Settings,
        severity: Error,
        summary: "paths in Go settings exist",
        fix: Sometimes,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    for c in &cx.snapshot.go_candidates {
        let (key, path): (&[&str], String) = match c.source {
            GoSource::AlternateTools => (&["go.alternateTools", "go"], c.path.clone()),
            GoSource::GorootSetting => (
                &["go.goroot"],
                Context::goroot_of_binary(&c.path).unwrap_or_else(|| c.path.clone()),
            ),
            _ => continue,
        };
        if c.executable {
            continue;
        }
        if c.source == GoSource::GorootSetting
            && crate::rules::environment::packages_driver_broken::is_bazel_external(&c.path)
        {
            continue; // GSD510 names the Bazel cause
        }
        let shown = key.join(".");
        let Some((_, layer)) = cx.effective(key.first().copied().unwrap_or("")) else {
            continue;
        };
        let f = out.report(
            format!("`{shown}` points at a missing go"),
            format!("`{shown}` is {} but there is no executable {} there: the Go extension ignores the setting and falls back to PATH{}.",
                cx.tilde(&path), cx.tilde(&c.path),
                if cx.snapshot.go.is_some() { "" } else { ", where no go was found either" }),
        );
        f.evidence(format!(
            "{} ({:?}): not an executable file",
            cx.tilde(&c.path),
            c.source
        ));
        point_at_and_remove(
            f,
            layer,
            key,
            format!(
                "Remove `{shown}` from {} settings",
                layer.layer.scope.label()
            ),
            Applicability::Unsafe,
        );
    }
    for tool in &cx.snapshot.tools {
        if tool.path.is_some() || tool.found_via.is_some() {
            continue;
        }
        let Some((alt, layer)) = cx.effective("go.alternateTools") else {
            continue;
        };
        let Some(configured) = alt.get(&tool.name).and_then(|v| v.as_str()) else {
            continue;
        };
        if !(configured.starts_with('/') || configured.contains('\\')) {
            continue;
        }
        if tool
            .unusable
            .as_ref()
            .is_some_and(|u| u.keys().any(|p| cx.same_path(p, configured)))
        {
            continue; // the file is there but cannot run: GSD209 names why
        }
        let f = out.report(
            format!("`go.alternateTools.{}` points at a missing file", tool.name),
            format!("Cannot find the alternate tool {configured} configured for {}. Please install it and reload this VS Code window.", tool.name),
        );
        point_at_and_remove(
            f,
            layer,
            &["go.alternateTools", &tool.name],
            format!(
                "Remove go.alternateTools.{} ({} settings)",
                tool.name,
                layer.layer.scope.label()
            ),
            Applicability::Unsafe,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_for_removed_cellar_goroot() {
        let mut s = with_folder_settings(
            "{\n  // brew\n  \"go.goroot\": \"/usr/local/Cellar/go/1.16.3/libexec\"\n}",
        );
        s.go_candidates.insert(
            0,
            crate::GoCandidate {
                path: "/usr/local/Cellar/go/1.16.3/libexec/bin/go".into(),
                source: GoSource::GorootSetting,
                executable: false,
                ..Default::default()
            },
        );
        s.go.as_mut().unwrap().candidate = 1;
        let f = run(&PATH_SETTING_MISSING, &s);
        assert_eq!(f.len(), 1);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        assert_eq!(parse_jsonc(layer_text(&fixed, FOLDER_SETTINGS)), json!({}));
    }

    #[test]
    fn fires_for_missing_alternate_gopls() {
        let mut s =
            with_folder_settings("{\"go.alternateTools\": {\"gopls\": \"/opt/gopls-old/gopls\"}}");
        s.tools[0].path = None;
        s.tools[0].found_via = None;
        let f = run(&PATH_SETTING_MISSING, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0]
            .message
            .contains("Cannot find the alternate tool /opt/gopls-old/gopls configured for gopls"));
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        assert_eq!(
            parse_jsonc(layer_text(&fixed, FOLDER_SETTINGS)),
            json!({"go.alternateTools": {}})
        );
    }

    #[test]
    fn passes_when_the_alternate_tool_exists_but_cannot_run() {
        // mode 0644: the lookup records why it skipped the file; GSD209 reports it, not this rule.
        let mut s =
            with_folder_settings("{\"go.alternateTools\": {\"gopls\": \"/opt/gopls/gopls\"}}");
        let gopls = &mut s.tools[0];
        gopls.path = None;
        gopls.found_via = None;
        gopls.unusable = Some(
            [(
                "/opt/gopls/gopls".to_string(),
                "not executable (mode 0644)".to_string(),
            )]
            .into_iter()
            .collect(),
        );
        assert!(run(&PATH_SETTING_MISSING, &s).is_empty());
    }

    #[test]
    fn passes_when_paths_exist() {
        assert!(run(&PATH_SETTING_MISSING, &snapshot(json!({}))).is_empty());
    }
}
