use serde_json::json;

use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix, GoSource, Scope};
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
    /// ## Fix
    /// If a Go installation was found outside PATH: set `go.goroot` to it in the user settings
    /// (review: it changes which Go the extension uses), and add its `bin` directory to PATH in the
    /// login shell's profile (the line for your shell is shown). Otherwise, install Go from
    /// https://go.dev/dl/.
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
    let message = match elsewhere {
        Some(c) => format!(
            "VS Code's Go extension finds no `go` on PATH or in its settings, but Go is installed at {}. The extension host's PATH does not include that directory.",
            cx.tilde(&c.path)
        ),
        None => "No `go` binary was found: not on PATH, not through go.alternateTools / go.goroot / GOROOT, and not in the usual install directories.".to_string(),
    };
    let f = out.report("Go is not found", message);
    f.evidence(format!("PATH={}", cx.tilde(path)));
    for c in &s.go_candidates {
        let state = if c.executable {
            "executable"
        } else {
            "not executable"
        };
        f.evidence(format!("{} ({:?}): {state}", cx.tilde(&c.path), c.source));
    }
    if let Some(c) = elsewhere {
        let Some(root) = Context::goroot_of_binary(c.real_path.as_deref().unwrap_or(&c.path))
        else {
            return;
        };
        let bin = format!("{root}/bin");
        if let Some(user) = cx.layers.iter().find(|l| l.layer.scope == Scope::User) {
            if let Some(edit) = user
                .doc
                .as_ref()
                .and_then(|d| d.set(&["go.goroot"], &json!(root)))
            {
                f.fix(Fix {
                    title: format!("Set go.goroot to {} in user settings", cx.tilde(&root)),
                    applicability: Applicability::Unsafe,
                    actions: vec![Action::EditFile {
                        uri: user.layer.uri.clone(),
                        edits: vec![edit],
                    }],
                });
            }
        }
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
