use serde_json::json;

use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix, GoSource};
use crate::rules::common::set_in_user_settings;
use crate::rules::shell::{login_shell, LoginShell};
use crate::rules::toolchain::gui_path_differs::desktop_path_fix;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// That the Go extension can find a `go` binary: through `go.alternateTools.go`, `go.goroot`,
    /// `GOROOT`, or `PATH` in the extension host's environment. It also looks in well-known install
    /// directories (`/usr/local/go/bin`, `~/go/bin`, `~/sdk/go*/bin`, `/usr/lib/go-*/bin`,
    /// `/opt/homebrew/bin`, `C:\Program Files\Go\bin`) to tell "not installed" from "installed but
    /// not on PATH".
    ///
    /// ## Why it matters
    /// Without `go`, nothing works: no gopls, no build, no tests. vscode-go says
    /// `Failed to find the "go" binary in either GOROOT() or PATH(...)`. A common cause is a PATH
    /// line that only the interactive shell reads (`~/.bashrc`), while VS Code started from the
    /// desktop gets the login environment (golang/vscode-go#971).
    ///
    /// ## Example
    /// PATH is `/usr/bin:/bin` and Go is installed in `/usr/local/go`.
    ///
    /// When your login shell (the one your terminal runs, see GSD110) finds a working `go`, that
    /// is the Go named and offered: the one you use in the terminal, not whichever install a
    /// directory scan finds first. This is then the one finding for that cause: GSD110
    /// gui-path-differs leaves `go` to it (and reports only other tools VS Code's PATH lacks).
    ///
    /// ## Fix
    /// If your login shell runs a working `go`: set `go.goroot` to the root it reports
    /// (`go env GOROOT` in that shell) in the user settings (review: it changes which Go the
    /// extension uses), and put that go's directory on PATH in the profile the desktop session
    /// reads (the same line as GSD110: `~/.profile` on Linux, then log out and back in; the login
    /// shell's profile on macOS, then restart VS Code). Else, if
    /// a Go installation was found in a well-known directory outside PATH: the same for that
    /// installation. Otherwise, install Go from https://go.dev/dl/.
    pub GO_NOT_FOUND {
        code: "GSD101",
        name: "go-not-found",
        category: Toolchain,
        severity: Error,
        summary: "a go binary is found",
        fix: Sometimes,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if cx.snapshot.go.is_some() {
        return;
    }
    if let Some(reason) = cx.skipped("go") {
        out.skip(reason);
        return;
    }
    let s = cx.snapshot;
    let elsewhere = s
        .go_candidates
        .iter()
        .find(|c| c.source == GoSource::WellKnown && c.executable);
    let path = cx.env("PATH").unwrap_or("");
    if let Some((sh, go, version)) = terminal_go(cx) {
        report_terminal_go(cx, out, &sh, &go, &version, path);
        return;
    }
    let message = match elsewhere {
        Some(c) => format!(
            "VS Code's Go extension finds no `go` on PATH or in its settings, but Go is installed at {}. The extension host's PATH does not include that directory.",
            cx.tilde(&c.path)
        ),
        None => "No `go` binary was found: not on PATH, not through go.alternateTools / go.goroot / GOROOT, and not in the usual install directories.".to_string(),
    };
    let f = out.report("Go is not found", message);
    f.evidence(format!("PATH={}", cx.tilde(path)));
    candidates_evidence(cx, f);
    if let Some(c) = elsewhere {
        let Some(root) = Context::goroot_of_binary(c.real_path.as_deref().unwrap_or(&c.path))
        else {
            return;
        };
        let bin = format!("{root}/bin");
        set_in_user_settings(
            cx,
            f,
            &["go.goroot"],
            &json!(root),
            format!("Set go.goroot to {} in user settings", cx.tilde(&root)),
            Applicability::Unsafe,
        );
        let (file, line) = cx.path_line_for_shell(&bin);
        f.fix(Fix {
            title: format!(
                "Add {} to PATH in {file}, then restart VS Code",
                cx.tilde(&bin)
            ),
            applicability: Applicability::DisplayOnly,
            actions: vec![Action::AppendToProfile { file, line }],
        });
    } else {
        f.fix(Fix {
            title: "Install Go from https://go.dev/dl/".into(),
            applicability: Applicability::DisplayOnly,
            actions: vec![Action::OpenUrl {
                url: "https://go.dev/dl/".into(),
            }],
        });
    }
}

/// Every go the lookup found, where it came from and whether it can run.
fn candidates_evidence(cx: &Context<'_>, f: &mut crate::protocol::Finding) {
    for c in &cx.snapshot.go_candidates {
        let state = if c.executable {
            "executable"
        } else {
            "not executable"
        };
        f.evidence(format!(
            "{} ({}): {state}",
            cx.tilde(&c.path),
            source_label(c.source)
        ));
    }
}

/// Where a go candidate came from, in the user's terms (also GSD102's evidence).
pub(crate) fn source_label(source: GoSource) -> &'static str {
    match source {
        GoSource::AlternateTools => "go.alternateTools.go",
        GoSource::GorootSetting => "go.goroot",
        GoSource::GorootEnv => "$GOROOT/bin",
        GoSource::Path => "on PATH",
        GoSource::WellKnown => "well-known install dir, not on PATH",
    }
}

/// Whether this rule reports the terminal's go (VS Code finds none, the login shell runs one):
/// then GSD110 leaves `go` to this finding, which names the same go, GOROOT and PATH line.
pub(crate) fn reports_terminal_go(cx: &Context<'_>) -> bool {
    cx.snapshot.go.is_none() && cx.skipped("go").is_none() && terminal_go(cx).is_some()
}

/// The login shell's `go` when it works there (`go version` printed a version): the shell, the
/// go's path and the version line.
fn terminal_go(cx: &Context<'_>) -> Option<(LoginShell, String, String)> {
    let sh = login_shell(cx).ok().flatten()?;
    let go = sh.which.get("go")?.clone();
    let version = sh
        .go_version
        .clone()
        .filter(|v| v.starts_with("go version go"))?;
    Some((sh, go, version))
}

fn parent(path: &str) -> &str {
    match path.rfind(['/', '\\']) {
        Some(0) => "/",
        Some(i) => path.get(..i).unwrap_or(path),
        None => path,
    }
}

/// GSD101 when VS Code finds no go but the terminal does: name the terminal's go and offer it
/// (go.goroot and the desktop profile's PATH line, built as GSD110 builds them).
fn report_terminal_go(
    cx: &Context<'_>,
    out: &mut Sink,
    sh: &LoginShell,
    go: &str,
    version: &str,
    path: &str,
) {
    let dir = parent(go);
    let f = out.report(
        "Go is not found",
        format!(
            "VS Code's Go extension finds no `go` on PATH or in its settings, but your terminal has one: your login shell runs {} ({version}). VS Code was started with a PATH that lacks {} (started from the Dock, a desktop launcher, or before your profile changed).",
            cx.tilde(go),
            cx.tilde(dir)
        ),
    );
    f.evidence(format!("PATH={}", cx.tilde(path)));
    f.evidence(format!(
        "login shell ({}): go -> {} ({version})",
        cx.tilde(&sh.describe()),
        cx.tilde(go)
    ));
    if let Some(root) = sh.go_root.as_deref() {
        f.evidence(format!("login shell: go env GOROOT -> {}", cx.tilde(root)));
    }
    candidates_evidence(cx, f);
    if let Some(root) = sh.go_root.as_deref() {
        set_in_user_settings(
            cx,
            f,
            &["go.goroot"],
            &json!(root),
            format!(
                "Use the terminal's Go in VS Code: set go.goroot to {} (user settings)",
                cx.tilde(root)
            ),
            Applicability::Unsafe,
        );
    }
    // The terminal already has the line: what is missing is a profile the desktop session (or a
    // GUI-started VS Code) reads. The same line GSD110 gives.
    if let Some(fix) = desktop_path_fix(cx, sh, &[dir]) {
        f.fix(fix);
        return;
    }
    let (file, line) = cx.path_line_for_shell(dir);
    f.fix(Fix {
        title: format!(
            "Add {} to PATH in {file}, then restart VS Code",
            cx.tilde(dir)
        ),
        applicability: Applicability::DisplayOnly,
        actions: vec![Action::AppendToProfile { file, line }],
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    fn missing_go(extra: serde_json::Value) -> crate::Snapshot {
        let mut s = snapshot(json!({"env": {"PATH": "/usr/bin:/bin"}}));
        s.go = None;
        s.go_candidates.clear();
        let mut v = serde_json::to_value(&s).unwrap_or_default();
        merge(&mut v, extra);
        crate::snapshot_from_value(v).unwrap_or_default()
    }

    #[test]
    fn fires_when_no_go_anywhere() {
        let s = missing_go(json!({}));
        let f = run(&GO_NOT_FOUND, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("No `go` binary was found"));
        assert!(f[0].evidence.iter().any(|e| e == "PATH=/usr/bin:/bin"));
        assert!(matches!(f[0].fixes[0].actions[0], Action::OpenUrl { .. }));
    }

    #[test]
    fn fires_and_points_at_install_outside_path_with_profile_line_and_setting() {
        let s = missing_go(
            json!({"goCandidates": [{"path": "/usr/local/go/bin/go", "source": "wellKnown", "executable": true}],
                                  "host": {"shell": "/usr/bin/zsh"}}),
        );
        let f = run(&GO_NOT_FOUND, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("/usr/local/go/bin/go"));
        assert!(
            f[0].evidence
                .iter()
                .any(|e| e
                    == "/usr/local/go/bin/go (well-known install dir, not on PATH): executable")
        );
        let profile = f[0]
            .fixes
            .iter()
            .flat_map(|x| &x.actions)
            .find_map(|a| match a {
                Action::AppendToProfile { file, line } => Some((file.clone(), line.clone())),
                _ => None,
            });
        assert_eq!(
            profile,
            Some((
                "~/.zprofile".into(),
                "export PATH=\"$PATH:/usr/local/go/bin\"".into()
            ))
        );
        // The settings fix applies to the user settings file and keeps it valid.
        let set = f[0]
            .fixes
            .iter()
            .find(|x| x.title.contains("go.goroot"))
            .cloned()
            .unwrap_or_default();
        assert_eq!(set.applicability, Applicability::Unsafe);
        let fixed = apply_fix(&s, &set);
        let v = parse_jsonc(layer_text(&fixed, USER_SETTINGS));
        assert_eq!(v["go.goroot"], "/usr/local/go");
        assert_eq!(v["editor.tabSize"], 4);
    }

    /// A login shell run as recorded on Debian 12 (bash 5.2; see GSD110's tests).
    fn login_shell(body: &str) -> serde_json::Value {
        use crate::rules::shell::{BEGIN, END};
        json!({"argv": ["/bin/bash", "-i", "-l", "-c", "…"], "cwd": "/home/gopher/src/hello",
               "stdout": format!("{BEGIN}\n{body}{END}\n"),
               "stderr": "bash: cannot set terminal process group (-1): Inappropriate ioctl for device\nbash: no job control in this shell\n",
               "exitCode": 0, "timeoutMs": 3000, "durationMs": 41.0})
    }

    const SDK: &str = "/home/gopher/sdk/go1.24.4";

    /// Started from a desktop launcher: VS Code's PATH has no go, the terminal's profile puts
    /// ~/sdk/go1.24.4/bin on PATH, and an older Go sits in a well-known dir.
    fn launcher_started(shell_body: &str) -> crate::Snapshot {
        missing_go(json!({
            "goCandidates": [{"path": "/usr/lib/go-1.19/bin/go", "source": "wellKnown", "executable": true}],
            "loginShell": login_shell(shell_body)
        }))
    }

    #[test]
    fn fires_and_names_the_terminals_go_gsd110_steps_aside() {
        let s = launcher_started(&format!(
            "env PATH={SDK}/bin:/usr/bin:/bin\nwhich go={SDK}/bin/go\ngo version=go version go1.24.4 linux/amd64\ngo root={SDK}\n"
        ));
        let f = run(&GO_NOT_FOUND, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(
            f[0].message.contains("your terminal has one: your login shell runs ~/sdk/go1.24.4/bin/go (go version go1.24.4 linux/amd64)"),
            "{}",
            f[0].message
        );
        assert!(f[0].message.contains("lacks ~/sdk/go1.24.4/bin"));
        assert!(!f[0].message.contains("go-1.19"));
        assert!(f[0].evidence.iter().any(|e| e
            == "login shell (/bin/bash -i -l): go -> ~/sdk/go1.24.4/bin/go (go version go1.24.4 linux/amd64)"));
        let profile = f[0]
            .fixes
            .iter()
            .flat_map(|x| &x.actions)
            .find_map(|a| match a {
                Action::AppendToProfile { line, .. } => Some(line.clone()),
                _ => None,
            });
        // The same ~/.profile line as GSD110 (the desktop session reads it), not an rc file.
        assert_eq!(
            profile.as_deref(),
            Some("export PATH=\"$HOME/sdk/go1.24.4/bin:$PATH\"")
        );
        // The same go.goroot GSD110 offers (the shell's `go env GOROOT`), applied and re-run.
        let set = f[0]
            .fixes
            .iter()
            .find(|x| x.title.contains("go.goroot"))
            .cloned()
            .unwrap_or_default();
        assert_eq!(set.applicability, Applicability::Unsafe);
        let fixed = apply_fix(&s, &set);
        let v = parse_jsonc(layer_text(&fixed, USER_SETTINGS));
        assert_eq!(v["go.goroot"], SDK);
        assert_eq!(v["editor.tabSize"], 4);
        // GSD110 leaves this go to this finding (its check is skipped, pointing here).
        let gsd110 = run_status(
            &crate::rules::toolchain::gui_path_differs::GUI_PATH_DIFFERS,
            &s,
        );
        assert_eq!(gsd110.status, crate::protocol::CheckStatus::Skipped);
        assert!(gsd110
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("GSD101")));
        assert!(run(
            &crate::rules::toolchain::gui_path_differs::GUI_PATH_DIFFERS,
            &s
        )
        .is_empty());
        // With go.goroot set, the gatherer finds go through it: no finding.
        let mut after = fixed;
        after.go = snapshot(json!({})).go;
        assert!(run(&GO_NOT_FOUND, &after).is_empty());
    }

    #[test]
    fn fires_with_the_well_known_install_when_the_terminals_go_is_broken() {
        // The shell finds a go that does not run (text as bash 5.2 prints it for an arm64 binary on
        // amd64): not offered; the well-known install is.
        let s = launcher_started(&format!(
            "env PATH={SDK}/bin:/usr/bin:/bin\nwhich go={SDK}/bin/go\ngo version=bash: line 1: {SDK}/bin/go: cannot execute binary file: Exec format error\n"
        ));
        let f = run(&GO_NOT_FOUND, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0]
            .message
            .contains("Go is installed at /usr/lib/go-1.19/bin/go"));
        assert!(f[0]
            .fixes
            .iter()
            .any(|x| x.title.contains("/usr/lib/go-1.19")));
        // No go in the shell either: the same fallback.
        let s = launcher_started("env PATH=/usr/bin:/bin\n");
        let f = run(&GO_NOT_FOUND, &s);
        assert!(f[0]
            .message
            .contains("Go is installed at /usr/lib/go-1.19/bin/go"));
    }

    #[test]
    fn passes_when_go_is_found() {
        assert!(run(&GO_NOT_FOUND, &snapshot(json!({}))).is_empty());
    }

    #[test]
    fn skipped_when_probe_not_run() {
        let s = missing_go(
            json!({"skippedProbes": [{"probe": "go", "reason": "untrusted workspace"}]}),
        );
        let c = run_status(&GO_NOT_FOUND, &s);
        assert_eq!(c.status, crate::CheckStatus::Skipped);
        assert_eq!(c.reason.as_deref(), Some("untrusted workspace"));
    }
}
