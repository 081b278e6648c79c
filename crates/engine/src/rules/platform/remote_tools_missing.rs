use crate::context::Context;
use crate::declare_rule;
use crate::knowledge::gopls;
use crate::protocol::{Action, Applicability, Fix};
use crate::rules::common::install_gopls;
use crate::rules::host;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// In a remote window (`vscode.env.remoteName`: `ssh-remote`, `wsl`, `dev-container`,
    /// `attached-container`, `codespaces`, `tunnel`, ...), whether `go` and — with the language
    /// server on — `gopls` were found on the remote side, where the Go extension runs.
    ///
    /// ## Why it matters
    /// In a remote window VS Code runs the Go extension on the remote machine, with the remote's
    /// `PATH`: the Go installed on the local machine is not used. Users who have Go locally see
    /// `Failed to run "go env" to find GOPATH as the "go" binary cannot be found in either
    /// GOROOT(undefined) or PATH(/home/balaji/.vscode-server/bin/c47d…/bin:…)` and are puzzled
    /// because `go` works in their terminal (microsoft/vscode-remote-release#2474, Remote - SSH;
    /// #1815 and #3376, Remote - WSL). The finding says where Go is missing in those words.
    ///
    /// ## Example
    /// Remote - SSH window, remote PATH
    /// `/home/balaji/.vscode-server/bin/c47d83b293181d9be64f27ff093689e8e7aed054/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    /// Go installed in `/opt/go/bin` but only added to PATH by the interactive fish config.
    ///
    /// ## Fix
    /// Install Go on the remote (in this window's terminal, which runs there) and put it on the
    /// PATH of login shells (`~/.profile`), then reload the window; for dev containers add the Go
    /// feature `"ghcr.io/devcontainers/features/go:1": {}` to `devcontainer.json` and rebuild.
    /// Then install gopls there with `go install golang.org/x/tools/gopls@<version>`.
    pub REMOTE_TOOLS_MISSING {
        code: "GSD603",
        name: "remote-tools-missing",
        category: Platform,
        severity: Error,
        summary: "Go and gopls are installed on the remote side",
        fix: Always,
        since: "0.1.0",
    }
}

/// How the remote side is called in messages, and whether it is a container.
fn remote_words(cx: &Context<'_>, name: &str) -> (String, bool) {
    match name {
        "ssh-remote" => ("the SSH host (Remote - SSH)".into(), false),
        "wsl" => {
            let distro = cx
                .env("WSL_DISTRO_NAME")
                .map(|d| format!(" distribution {d}"))
                .unwrap_or_default();
            (format!("the WSL{distro} (Remote - WSL)"), false)
        }
        "dev-container" | "attached-container" => ("the dev container".into(), true),
        "codespaces" => ("the codespace".into(), true),
        "tunnel" => (
            "the machine behind the tunnel (Remote - Tunnels)".into(),
            false,
        ),
        "k8s-container" => ("the Kubernetes container".into(), true),
        other => (format!("the remote side (`{other}`)"), false),
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some(name) = cx
        .snapshot
        .vscode
        .as_ref()
        .and_then(|v| v.remote_name.as_deref())
        .filter(|n| !n.is_empty())
    else {
        out.not_applicable("applies to remote windows (SSH, WSL, dev containers, Codespaces)");
        return;
    };
    if cx.skipped("go").is_some() {
        return; // untrusted workspace: the go was not run, not missing
    }
    let go_missing = cx.go_candidate().is_none();
    let gopls = cx.tool("gopls");
    let gopls_missing = cx.language_server_enabled() && gopls.is_some_and(|t| t.path.is_none());
    if !go_missing && !gopls_missing {
        return;
    }
    let (remote, container) = remote_words(cx, name);
    let missing = match (go_missing, gopls_missing) {
        (true, true) => "Go and gopls are",
        (true, false) => "Go is",
        _ => "gopls is",
    };
    let path = cx.env("PATH").unwrap_or("");
    let f = out.report(
        format!("{missing} not installed on {remote}"),
        format!(
            "This window is connected to {remote}. VS Code runs the Go extension there, with that machine's PATH, so {} has to be installed there: a Go installed on your local machine is not used. {missing} not found on {remote}.",
            if gopls_missing && !go_missing { "gopls" } else { "Go" }
        ),
    );
    f.evidence(format!("vscode.env.remoteName: {name}"));
    if go_missing {
        f.evidence(format!("no go on the remote PATH: {path}"));
        for c in &cx.snapshot.go_candidates {
            f.evidence(format!("not usable: {}", c.path));
        }
    }
    if gopls_missing {
        if let Some(t) = gopls {
            for s in t.searched.iter().take(6) {
                f.evidence(format!("gopls not found: {s}"));
            }
        }
    }
    if go_missing {
        if container {
            f.fix(Fix {
                title: "Add the Go feature to .devcontainer/devcontainer.json (\"features\": {\"ghcr.io/devcontainers/features/go:1\": {}}), then rebuild the container".into(),
                applicability: Applicability::DisplayOnly,
                actions: vec![Action::RunVsCodeCommand {
                    command: "remote-containers.rebuildContainer".into(),
                    args: vec![],
                }],
            });
        } else {
            f.fix(Fix {
                title: format!(
                    "Install Go on {remote} (run in this window's terminal, which runs there)"
                ),
                applicability: Applicability::Unsafe,
                actions: vec![Action::RunShell {
                    command: host::linux_go_install_command(cx),
                    cwd: None,
                }],
            });
            f.fix(Fix {
                title: "Put Go on the PATH of login shells there (the Go extension does not read ~/.bashrc or fish config), then reload the window".into(),
                applicability: Applicability::Unsafe,
                actions: vec![Action::AppendToProfile {
                    file: "~/.profile".into(),
                    line: "export PATH=$PATH:/usr/local/go/bin:$HOME/go/bin".into(),
                }],
            });
        }
    } else if let Some(go) = cx.go_version() {
        let version = gopls::install_version_for(go.minor());
        if let Some(fix) =
            install_gopls(cx, version, format!("Install gopls {version} on {remote}"))
        {
            f.fix(fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_on_ssh_remote_without_go_in_those_words() {
        let s = crate::parse_snapshot(include_str!(
            "../../../../../tests/fixtures/snapshots/ssh-remote-go-missing.json"
        ))
        .unwrap();
        let f = run(&REMOTE_TOOLS_MISSING, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(
            f[0].title,
            "Go and gopls are not installed on the SSH host (Remote - SSH)"
        );
        assert!(f[0]
            .message
            .contains("a Go installed on your local machine is not used"));
        assert!(f[0].evidence.iter().any(|e| e.contains(
            "/home/balaji/.vscode-server/bin/c47d83b293181d9be64f27ff093689e8e7aed054/bin"
        )));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command.contains("go.dev/dl/"))
        );
        assert!(
            matches!(&f[0].fixes[1].actions[0], Action::AppendToProfile { file, .. } if file == "~/.profile")
        );
    }

    #[test]
    fn fires_in_wsl_and_containers_with_their_own_fix() {
        let s = crate::parse_snapshot(include_str!(
            "../../../../../tests/fixtures/snapshots/wsl-remote-windows-go-on-path.json"
        ))
        .unwrap();
        let f = run(&REMOTE_TOOLS_MISSING, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0].title.contains("the WSL"), "{}", f[0].title);
        let s = snapshot(
            json!({"vscode": {"version": "1.90.0", "trusted": true, "remoteName": "dev-container", "extensions": []},
            "goCandidates": [], "go": null}),
        );
        let f = run(&REMOTE_TOOLS_MISSING, &s);
        assert_eq!(f[0].title, "Go is not installed on the dev container");
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunVsCodeCommand { command, .. } if command == "remote-containers.rebuildContainer")
        );
        assert!(f[0].fixes[0]
            .title
            .contains("ghcr.io/devcontainers/features/go:1"));
    }

    #[test]
    fn fires_for_gopls_only_with_a_pinned_install() {
        let s = snapshot(
            json!({"vscode": {"version": "1.90.0", "trusted": true, "remoteName": "ssh-remote", "extensions": []},
            "tools": [{"name": "gopls", "searched": ["/home/gopher/go/bin/gopls"]}]}),
        );
        let f = run(&REMOTE_TOOLS_MISSING, &s);
        assert_eq!(
            f[0].title,
            "gopls is not installed on the SSH host (Remote - SSH)"
        );
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. }
            if command.starts_with("/usr/lib/go-1.24/bin/go install golang.org/x/tools/gopls@v"))
        );
    }

    #[test]
    fn passes_locally_and_when_the_remote_has_go() {
        assert!(run(
            &REMOTE_TOOLS_MISSING,
            &snapshot(json!({"goCandidates": [], "go": null}))
        )
        .is_empty());
        let s = snapshot(
            json!({"vscode": {"version": "1.90.0", "trusted": true, "remoteName": "ssh-remote", "extensions": []}}),
        );
        assert!(run(&REMOTE_TOOLS_MISSING, &s).is_empty());
    }
}
