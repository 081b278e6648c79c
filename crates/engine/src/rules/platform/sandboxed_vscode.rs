use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix};
use crate::rules::host::{self, SandboxKind};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Whether VS Code runs inside a Flatpak sandbox (`/.flatpak-info` exists, `FLATPAK_ID` is set,
    /// `/app/bin` leads `PATH`) or as a strictly confined snap (`SNAP`, `SNAP_NAME`), while no usable
    /// `go` was found.
    ///
    /// ## Why it matters
    /// A Flatpak app sees the runtime's `/usr` (the freedesktop SDK) and its own `/app`, not the
    /// host's `/usr/local/go` or distribution packages, so the Go extension reports the go binary
    /// missing although `go` works in a terminal (golang/vscode-go#263, #1400;
    /// flathub/com.vscodium.codium#44). Its PATH looks like
    /// `/app/bin:/usr/bin:/home/u/.var/app/com.visualstudio.code/data/node_modules/bin/`. The
    /// Microsoft `code` snap (and `code-insiders`, `codium`) uses classic confinement and sees the
    /// host, so only other, strictly confined snaps are reported.
    ///
    /// ## Example
    /// `FLATPAK_ID=com.visualstudio.code`, PATH
    /// `/var/home/user/.local/bin:/var/home/user/bin:/app/bin:/usr/bin:…`, no `go` found.
    ///
    /// ## Fix
    /// Install VS Code from Microsoft's `.deb` / `.rpm` (https://code.visualstudio.com/docs/setup/linux),
    /// or give the Flatpak a Go: on the host run
    /// `flatpak install flathub org.freedesktop.Sdk.Extension.golang` and
    /// `flatpak override --user --env=FLATPAK_ENABLE_SDK_EXT=golang com.visualstudio.code`
    /// (the SDK extension's branch must match the app's runtime), then restart VS Code.
    pub SANDBOXED_VSCODE {
        code: "GSD605",
        name: "sandboxed-vscode",
        category: Platform,
        severity: Error,
        summary: "VS Code is not sandboxed away from the Go installation",
        fix: Always,
        since: "0.1.0",
    }
}

/// Snaps of VS Code with classic confinement: they see the host file system.
const CLASSIC_SNAPS: &[&str] = &["code", "code-insiders", "codium"];

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some(sb) = host::sandbox(cx) else {
        out.not_applicable("applies when VS Code runs as a Flatpak or snap");
        return;
    };
    if cx.go_candidate().is_some() || cx.skipped("go").is_some() {
        return;
    }
    if sb.kind == SandboxKind::Snap && CLASSIC_SNAPS.contains(&sb.app.as_str()) {
        return;
    }
    let path = cx.env("PATH").unwrap_or("");
    let f = match sb.kind {
        SandboxKind::Flatpak => out.report(
            "VS Code runs as a Flatpak and cannot see your Go",
            format!(
                "VS Code runs in the Flatpak sandbox {}: it sees the Flatpak runtime's /usr and its own /app, not the Go installed on your system, so the Go extension finds no go on its PATH ({path}).",
                sb.app
            ),
        ),
        SandboxKind::Snap => out.report(
            "VS Code runs as a confined snap and cannot see your Go",
            format!(
                "VS Code runs from the snap `{}`, which is confined: it cannot see the Go installed on your system, so the Go extension finds no go on its PATH ({path}).",
                sb.app
            ),
        ),
    };
    for e in &sb.evidence {
        f.evidence(e.clone());
    }
    for c in &cx.snapshot.go_candidates {
        f.evidence(format!("not usable: {}", c.path));
    }
    f.fix(Fix {
        title:
            "Install VS Code from Microsoft's .deb/.rpm package instead, which sees the system's Go"
                .into(),
        applicability: Applicability::DisplayOnly,
        actions: vec![Action::OpenUrl {
            url: "https://code.visualstudio.com/docs/setup/linux".into(),
        }],
    });
    if sb.kind == SandboxKind::Flatpak {
        let app = if sb.app == "unknown" {
            "com.visualstudio.code"
        } else {
            sb.app.as_str()
        };
        f.fix(Fix {
            title: "Or give the Flatpak its own Go: install the Go SDK extension and enable it for VS Code (run on the host, not in VS Code's terminal), then restart VS Code".into(),
            applicability: Applicability::Unsafe,
            actions: vec![Action::RunShell {
                command: format!("flatpak install flathub org.freedesktop.Sdk.Extension.golang && flatpak override --user --env=FLATPAK_ENABLE_SDK_EXT=golang {app}"),
                cwd: None,
            }],
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_for_the_flatpak_from_a_recorded_path() {
        let s = crate::parse_snapshot(include_str!(
            "../../../../../tests/fixtures/snapshots/flatpak-vscode-no-go.json"
        ))
        .unwrap();
        let f = run(&SANDBOXED_VSCODE, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0]
            .message
            .contains("Flatpak sandbox com.visualstudio.code"));
        assert!(f[0].message.contains("/app/bin:/app/bin:/app/bin:/usr/bin"));
        assert!(f[0]
            .evidence
            .contains(&"FLATPAK_ID=com.visualstudio.code".to_string()));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::OpenUrl { url } if url == "https://code.visualstudio.com/docs/setup/linux")
        );
        assert!(
            matches!(&f[0].fixes[1].actions[0], Action::RunShell { command, .. }
            if command == "flatpak install flathub org.freedesktop.Sdk.Extension.golang && flatpak override --user --env=FLATPAK_ENABLE_SDK_EXT=golang com.visualstudio.code")
        );
    }

    #[test]
    fn fires_for_a_confined_snap_only() {
        let s = snapshot(
            json!({"env": {"SNAP": "/snap/some-editor/12", "SNAP_NAME": "some-editor"}, "goCandidates": [], "go": null}),
        );
        assert_eq!(run(&SANDBOXED_VSCODE, &s).len(), 1);
        let s = snapshot(
            json!({"env": {"SNAP": "/snap/code/190", "SNAP_NAME": "code"}, "goCandidates": [], "go": null}),
        );
        assert!(run(&SANDBOXED_VSCODE, &s).is_empty());
    }

    #[test]
    fn passes_when_the_sandbox_has_a_go_or_there_is_no_sandbox() {
        // The Go SDK extension inside the Flatpak: /usr/lib/sdk/golang/bin/go is found.
        let s = snapshot(json!({"env": {"FLATPAK_ID": "com.visualstudio.code"},
            "goCandidates": [{"path": "/usr/lib/sdk/golang/bin/go", "source": "path", "executable": true}], "go": {"candidate": 0}}));
        assert!(run(&SANDBOXED_VSCODE, &s).is_empty());
        assert!(run(
            &SANDBOXED_VSCODE,
            &snapshot(json!({"goCandidates": [], "go": null}))
        )
        .is_empty());
    }
}
