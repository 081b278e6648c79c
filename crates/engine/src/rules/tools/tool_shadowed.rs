use std::cmp::Ordering;

use serde_json::json;

use crate::context::{BuildInfo, Context};
use crate::declare_rule;
use crate::goversion::parse_module_version;
use crate::protocol::{Action, Applicability, Fix};
use crate::rules::common::set_in_user_settings;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Every tool the Go extension looks up (gopls, dlv, the `go.formatTool` and `go.lintTool`
    /// binaries) is searched the way vscode-go's `getBinPath` does (go.alternateTools, GOBIN,
    /// go.toolsGopath, each GOPATH/bin, GOROOT/bin, PATH; vscode-go `extension/src/util.ts`,
    /// `extension/src/utils/pathUtils.ts`), and every copy found is identified with one
    /// `go version -m`. The rule fires when the copy that wins the lookup is older than one it
    /// shadows: an older module version, or, when neither records a module version (distribution
    /// builds such as Debian's), built with an older Go.
    ///
    /// ## Why it matters
    /// You update a tool (`go install …@latest` into GOBIN, a package manager into /usr/bin) and
    /// the editor keeps running the old copy, because an earlier directory in the lookup order
    /// still holds it. A terminal may even run the new one (its PATH order differs from the
    /// extension's GOPATH/bin-first order), so the two disagree.
    ///
    /// ## Example
    /// `~/go/bin/revive` is v1.0.0 (built with go1.19.8) and `/opt/tools/bin/revive` on PATH is
    /// v1.2.0: the extension runs `~/go/bin/revive`.
    ///
    /// ## Fix
    /// Remove the older copy (the lookup then reaches the newer one), or point
    /// `go.alternateTools.<tool>` in user settings at the newer copy.
    pub TOOL_SHADOWED {
        code: "GSD208",
        name: "tool-shadowed",
        category: Tools,
        severity: Warning,
        summary: "the tool copy in use is the newest installed",
        fix: Sometimes,
        since: "0.1.0",
    }
}

/// How the winning copy compares with a shadowed one, and the words for it.
fn older(winner: &BuildInfo, other: &BuildInfo) -> Option<(String, String)> {
    let wv = winner.module_version.as_deref();
    let ov = other.module_version.as_deref();
    if let (Some(w), Some(o)) = (wv, ov) {
        let (pw, po) = (parse_module_version(w)?, parse_module_version(o)?);
        return (pw.cmp(&po) == Ordering::Less).then(|| (w.to_string(), o.to_string()));
    }
    if wv.is_some() || ov.is_some() {
        return None;
    }
    let (gw, go) = (winner.go_version.as_ref()?, other.go_version.as_ref()?);
    (gw < go).then(|| {
        (
            format!("built with {}", gw.display()),
            format!("built with {}", go.display()),
        )
    })
}

fn describe(info: &BuildInfo) -> String {
    let go = info
        .go_version
        .as_ref()
        .map(|g| g.display())
        .unwrap_or_else(|| "an unknown Go".to_string());
    match info.module_version.as_deref() {
        Some(v) => format!("{v}, built with {go}"),
        None => format!("no module version, built with {go}"),
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    for tool in &cx.snapshot.tools {
        let (Some(path), Some(others)) = (tool.path.as_deref(), tool.also_found.as_ref()) else {
            continue;
        };
        let Some(winner) = cx.build_info(path) else {
            continue;
        };
        // The newest shadowed copy that is newer than the winner.
        let mut best: Option<(&str, &BuildInfo, String, String)> = None;
        for other in others {
            let Some(info) = cx.build_info(other) else {
                continue;
            };
            let Some((w, o)) = older(winner, info) else {
                continue;
            };
            let newer_than_best = best
                .as_ref()
                .is_none_or(|(_, b, _, _)| older(b, info).is_some());
            if newer_than_best {
                best = Some((other.as_str(), info, w, o));
            }
        }
        let Some((newer, _, w, o)) = best else {
            continue;
        };
        let via = tool.found_via.as_deref().unwrap_or("the lookup");
        let f = out.report(
            format!(
                "{} in use is {} ({w}); {} is newer ({o})",
                tool.name,
                cx.tilde(path),
                cx.tilde(newer)
            ),
            format!(
                "The Go extension runs the first {} it finds: {} (found via {via}, {w}). A newer copy, {} ({o}), comes later in the lookup order and is never used, so updating it changed nothing in the editor.",
                tool.name,
                cx.tilde(path),
                cx.tilde(newer)
            ),
        );
        f.evidence(format!(
            "go version -m {}: {}",
            cx.tilde(path),
            describe(winner)
        ));
        for other in others {
            if let Some(info) = cx.build_info(other) {
                f.evidence(format!(
                    "go version -m {}: {} (shadowed)",
                    cx.tilde(other),
                    describe(info)
                ));
            }
        }
        if let Some(run) = tool.version.as_ref().filter(|r| r.succeeded()) {
            if let Some(line) = run.stdout.lines().map(str::trim).find(|l| !l.is_empty()) {
                f.evidence(format!("{}: {line}", run.argv.join(" ")));
            }
        }
        // Removing the winner only helps when it is not the configured one, and a file under
        // /usr (not /usr/local) or /bin belongs to the system's package manager: no `rm` for it.
        let packaged = (path.starts_with("/usr/") && !path.starts_with("/usr/local/"))
            || path.starts_with("/bin/");
        if packaged {
            f.evidence(format!(
                "{} looks installed by the system package manager: remove it with that, or use the settings fix",
                cx.tilde(path)
            ));
        }
        if tool.found_via.as_deref() != Some("alternateTools") && !packaged {
            f.fix(Fix {
                title: format!(
                    "Remove the older {} so that {} is found",
                    cx.tilde(path),
                    cx.tilde(newer)
                ),
                applicability: Applicability::Unsafe,
                actions: vec![Action::RunShell {
                    command: format!("rm {}", shell_quote(path)),
                    cwd: None,
                }],
            });
        }
        set_in_user_settings(
            cx,
            f,
            &["go.alternateTools", &tool.name],
            &json!(newer),
            format!(
                "Point go.alternateTools.{} at {} in user settings",
                tool.name,
                cx.tilde(newer)
            ),
            Applicability::Safe,
        );
    }
}

/// A POSIX shell word.
fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-+:@".contains(&b))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    const OLD: &str = "/home/gopher/go/bin/revive";
    const NEW: &str = "/opt/tools/bin/revive";

    fn revive(old_ver: &str, new_ver: &str) -> crate::Snapshot {
        snapshot(json!({
            "settings": [{"scope": "user", "uri": USER_SETTINGS, "text": "{\n  // lint\n  \"go.lintTool\": \"revive\"\n}\n"}],
            "tools": [{"name": "revive", "path": OLD, "foundVia": "gopath", "searched": [OLD], "alsoFound": [NEW]}],
            "toolsBuildInfo": run_ok(&[GO_BIN, "version", "-m", OLD, NEW], &format!(
                "{OLD}: go1.19.8\n\tpath\texample.com/revive\n\tmod\texample.com/revive\t{old_ver}\th1:a=\n\tbuild\tGOARCH=amd64\n\tbuild\tGOOS=linux\n{NEW}: go1.24.4\n\tpath\texample.com/revive\n\tmod\texample.com/revive\t{new_ver}\th1:b=\n\tbuild\tGOARCH=amd64\n\tbuild\tGOOS=linux\n")),
        }))
    }

    #[test]
    fn fires_when_the_winner_is_older_and_fix_points_at_the_newer() {
        let s = revive("v1.0.0", "v1.2.0");
        let f = run(&TOOL_SHADOWED, &s);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].title.contains("~/go/bin/revive (v1.0.0)"),
            "{}",
            f[0].title
        );
        assert!(f[0]
            .title
            .contains("/opt/tools/bin/revive is newer (v1.2.0)"));
        assert!(f[0].evidence.contains(
            &"go version -m /opt/tools/bin/revive: v1.2.0, built with go1.24.4 (shadowed)"
                .to_string()
        ));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command == "rm /home/gopher/go/bin/revive")
        );
        let fixed = apply_fix(&s, &f[0].fixes[1]);
        let text = layer_text(&fixed, USER_SETTINGS);
        assert!(text.contains("// lint"), "{text}");
        assert_eq!(
            parse_jsonc(text),
            json!({"go.lintTool": "revive", "go.alternateTools": {"revive": NEW}})
        );
        // Re-diagnosed as the gatherer would see it: the configured copy wins, nothing is shadowed by an older one.
        let mut after = serde_json::to_value(&fixed).unwrap_or_default();
        merge(
            &mut after,
            json!({"tools": [{"name": "revive", "path": NEW, "foundVia": "alternateTools", "searched": [NEW], "alsoFound": [OLD]}]}),
        );
        let after = crate::snapshot_from_value(after).unwrap_or_default();
        assert!(run(&TOOL_SHADOWED, &after).is_empty());
    }

    #[test]
    fn fires_on_go_version_when_no_module_versions() {
        // Debian's gopls packages record no module version (go-outputs/go-version-m.gopls.*).
        let usr = "/usr/bin/gopls";
        let gobin = "/home/gopher/go/bin/gopls";
        let s = snapshot(json!({
            "tools": [{"name": "gopls", "path": gobin, "foundVia": "gopath", "searched": [gobin], "alsoFound": [usr]}],
            "toolsBuildInfo": run_ok(&[GO_BIN, "version", "-m", gobin, usr], &format!(
                "{gobin}: go1.19.5\n\tpath\tgolang.org/x/tools/gopls\n\tbuild\t-compiler=gc\n{usr}: go1.22.6\n\tpath\tgolang.org/x/tools/gopls\n\tbuild\t-compiler=gc\n")),
        }));
        let f = run(&TOOL_SHADOWED, &s);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].title.contains("(built with go1.19.5)"),
            "{}",
            f[0].title
        );
    }

    #[test]
    fn passes_when_the_winner_is_newest_or_alone() {
        assert!(run(&TOOL_SHADOWED, &revive("v1.2.0", "v1.0.0")).is_empty());
        assert!(run(&TOOL_SHADOWED, &revive("v1.2.0", "v1.2.0")).is_empty());
        assert!(run(&TOOL_SHADOWED, &snapshot(json!({}))).is_empty());
    }

    #[test]
    fn fires_without_rm_for_a_packaged_winner() {
        let usr = "/usr/bin/gopls";
        let gobin = "/home/gopher/go/bin/gopls";
        let s = snapshot(json!({
            "tools": [{"name": "gopls", "path": usr, "foundVia": "path", "searched": [gobin, usr], "alsoFound": ["/opt/gopls/gopls"]}],
            "toolsBuildInfo": run_ok(&[GO_BIN, "version", "-m", usr, "/opt/gopls/gopls"],
                "/usr/bin/gopls: go1.19.5\n\tpath\tgolang.org/x/tools/gopls\n/opt/gopls/gopls: go1.22.6\n\tpath\tgolang.org/x/tools/gopls\n"),
        }));
        let f = run(&TOOL_SHADOWED, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0].fixes.iter().all(|x| x
            .actions
            .iter()
            .all(|a| !matches!(a, Action::RunShell { .. }))));
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        assert_eq!(
            parse_jsonc(layer_text(&fixed, USER_SETTINGS)),
            json!({"editor.tabSize": 4, "go.alternateTools": {"gopls": "/opt/gopls/gopls"}})
        );
    }

    #[test]
    fn quotes_odd_paths() {
        assert_eq!(shell_quote("/a b/it's"), "'/a b/it'\\''s'");
    }
}
