use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// On Windows, whether a workspace folder is a WSL file-system share: `\\wsl$\<distro>\…` or
    /// `\\wsl.localhost\<distro>\…` (URIs `file://wsl$/…`, `file://wsl.localhost/…`), opened by the
    /// Windows VS Code instead of through the WSL remote.
    ///
    /// ## Why it matters
    /// The Windows `go` and gopls then work on a 9P network share and cannot use the Linux module
    /// layout, GOPATH or toolchain: gopls answers `Error loading workspace folders (expected 1,
    /// got 0) failed to load view for file:///wsl$/Ubuntu/home/jake/…: invalid workspace
    /// configuration: The system cannot find the path specified.` and no Go feature works
    /// (golang/vscode-go#1485, #1574; older gopls panicked on `file://wsl$/…`, #801).
    ///
    /// ## Example
    /// File > Open Folder `\\wsl$\Ubuntu\home\jake\c\src\github.com\golang\vscode-go`.
    ///
    /// ## Fix
    /// Reopen the folder in WSL: from a Windows terminal
    /// `code --remote wsl+<distro> /home/<user>/…`, or `code .` from a WSL terminal in that folder
    /// (https://code.visualstudio.com/docs/remote/wsl). VS Code then runs the Go extension, Go and
    /// gopls inside the distribution.
    pub WSL_UNC_PATH {
        code: "GSD606",
        name: "wsl-unc-path",
        category: Platform,
        severity: Error,
        summary: "no workspace folder is a \\\\wsl$ share opened from Windows",
        fix: Always,
        since: "0.1.0",
    }
}

/// (distro, Linux path) of a `\\wsl$\Distro\dir` or `\\wsl.localhost\Distro\dir` path or its URI.
pub(crate) fn wsl_share(path: &str, uri: &str) -> Option<(String, String)> {
    let p = path.replace('/', "\\");
    let lower = p.to_ascii_lowercase();
    let rest = ["\\\\wsl$\\", "\\\\wsl.localhost\\"]
        .iter()
        .find_map(|pre| lower.starts_with(pre).then(|| p.get(pre.len()..)))
        .flatten()
        .map(|r| r.replace('\\', "/"))
        .or_else(|| {
            let u = uri.to_ascii_lowercase();
            ["file://wsl$/", "file://wsl%24/", "file://wsl.localhost/"]
                .iter()
                .find_map(|pre| u.starts_with(pre).then(|| uri.get(pre.len()..)))
                .flatten()
                .map(str::to_string)
        })?;
    let mut parts = rest.splitn(2, '/');
    let distro = parts.next().filter(|d| !d.is_empty())?.to_string();
    let linux = format!("/{}", parts.next().unwrap_or("").trim_end_matches('/'));
    Some((distro, linux))
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if cx.snapshot.host.os != "win32" {
        out.not_applicable("applies to VS Code on Windows");
        return;
    }
    for folder in &cx.snapshot.workspace.folders {
        let Some((distro, linux)) = wsl_share(&folder.path, &folder.uri) else {
            continue;
        };
        let f = out.report(
            "The workspace is a \\\\wsl$ share opened by Windows VS Code",
            format!(
                "{} is a folder of the WSL distribution {distro}, opened through the Windows network share. The Windows go and gopls cannot work there: gopls fails with \"Error loading workspace folders (expected 1, got 0) … invalid workspace configuration: The system cannot find the path specified.\" Reopen the folder in WSL so that VS Code runs the Go extension, Go and gopls inside {distro}.",
                folder.path
            ),
        );
        f.evidence(format!("workspace folder: {}", folder.path));
        f.evidence(format!("folder URI: {}", folder.uri));
        f.evidence(format!("host.os: win32; Linux path in {distro}: {linux}"));
        f.fix(Fix {
            title: format!("Reopen the folder in WSL: code --remote wsl+{distro} {linux}"),
            applicability: Applicability::Unsafe,
            actions: vec![Action::RunShell {
                command: format!("code --remote wsl+{distro} {linux}"),
                cwd: None,
            }],
        });
        f.fix(Fix {
            title:
                "How to develop in WSL with VS Code (install Go and the Go extension inside WSL)"
                    .into(),
            applicability: Applicability::DisplayOnly,
            actions: vec![Action::OpenUrl {
                url: "https://code.visualstudio.com/docs/remote/wsl".into(),
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
    fn fires_for_the_recorded_wsl_share() {
        let s = crate::parse_snapshot(include_str!(
            "../../../../../tests/fixtures/snapshots/windows-wsl-unc-workspace.json"
        ))
        .unwrap();
        let f = run(&WSL_UNC_PATH, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].message.contains("WSL distribution Ubuntu"));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. }
            if command == "code --remote wsl+Ubuntu /home/dominic/VS/laerdal/magellan-streaming-broker")
        );
        // golang/vscode-go#1485's folder, as a path only.
        assert_eq!(
            wsl_share(
                r"\\wsl$\Ubuntu\home\jake\c\src\github.com\golang\vscode-go",
                ""
            ),
            Some((
                "Ubuntu".into(),
                "/home/jake/c/src/github.com/golang/vscode-go".into()
            ))
        );
    }

    #[test]
    fn recognises_both_share_names_and_uris() {
        assert_eq!(
            wsl_share(r"\\wsl.localhost\Ubuntu-22.04\home\u\p", ""),
            Some(("Ubuntu-22.04".into(), "/home/u/p".into()))
        );
        assert_eq!(
            wsl_share("", "file://wsl%24/Debian/root/x/"),
            Some(("Debian".into(), "/root/x".into()))
        );
        assert_eq!(
            wsl_share(r"C:\Users\u\go\src\x", "file:///c%3A/Users/u/go/src/x"),
            None
        );
    }

    #[test]
    fn passes_for_local_windows_folders_and_inside_wsl() {
        let s = snapshot(json!({"host": {"os": "win32"}, "workspace": {"folders": [
            {"uri": "file:///c%3A/Users/vivek/go_test", "path": "C:\\users\\vivek\\go_test", "goFiles": []}]}}));
        assert!(run(&WSL_UNC_PATH, &s).is_empty());
        assert!(run(&WSL_UNC_PATH, &snapshot(json!({}))).is_empty());
    }
}
