use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix};
use crate::rules::host;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Inside WSL (seen in `/proc/version` — `…-microsoft-standard-WSL2`, `…-Microsoft` for WSL 1 —,
    /// `WSL_DISTRO_NAME`, the `WSLInterop` binfmt entry, or a Remote - WSL window), whether the `go`
    /// VS Code uses is the Windows toolchain reached through the drive automount: a `go.exe`, or a
    /// binary on a `/mnt/<drive>` DrvFs / 9P (`aname=drvfs`) mount. When no Linux `go` was found at
    /// all, whether the only Go directory on `PATH` is a Windows one: WSL appends the Windows `PATH`
    /// by default, so `/mnt/c/Go/bin` or `/mnt/c/Program Files/Go/bin` shows up there.
    ///
    /// ## Why it matters
    /// A Linux process cannot use the Windows Go: `go.exe` (run through WSL interop) reports
    /// `GOOS=windows`, thinks in `C:\` paths and does not see the Linux file system the workspace is
    /// on. In a Remote - WSL window vscode-go then says `Failed to run "go env" to find GOPATH as the
    /// "go" binary cannot be found in either GOROOT(undefined) or PATH(…:/mnt/c/Go/bin:…)`
    /// (microsoft/vscode-remote-release#1815), or breaks on the Windows go's output
    /// (`Unexpected end of JSON input`, golang/vscode-go#3160: `/mnt/c/eplatform/tools/go/bin/go`
    /// was used instead of `/usr/local/go/bin/go`).
    ///
    /// ## Example
    /// A Remote - WSL window whose PATH is
    /// `/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:…:/mnt/c/Go/bin:…` and no `go`
    /// installed in the distribution.
    ///
    /// ## Fix
    /// Install the Linux build of Go inside WSL (https://go.dev/doc/install, Linux tab:
    /// `sudo rm -rf /usr/local/go && curl -fsSL https://go.dev/dl/go1.N.0.linux-amd64.tar.gz | sudo tar -C /usr/local -xz`)
    /// and add `export PATH=$PATH:/usr/local/go/bin` to `~/.profile`. To keep Windows tools off the
    /// WSL `PATH` altogether, set `appendWindowsPath = false` under `[interop]` in `/etc/wsl.conf`.
    pub WSL_WINDOWS_GO {
        code: "GSD602",
        name: "wsl-windows-go",
        category: Platform,
        severity: Error,
        summary: "inside WSL the Linux Go is used, not the Windows go.exe",
        fix: Always,
        since: "0.1.0",
    }
}

fn is_windows_go(cx: &Context<'_>, path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".exe") || host::is_windows_mount_path(cx, path)
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some(wsl) = host::wsl(cx) else {
        out.not_applicable("applies inside WSL");
        return;
    };
    let where_ = wsl.label();
    let f = if let Some(c) = cx.go_candidate() {
        let real = c.real_path.as_deref().unwrap_or(&c.path);
        if !is_windows_go(cx, &c.path) && !is_windows_go(cx, real) {
            return;
        }
        let f = out.report(
            "VS Code in WSL uses the Windows Go",
            format!(
                "Inside {where_}, the go that VS Code uses is {}, the Windows toolchain on a Windows drive. A Linux process cannot use it: it reports GOOS=windows, works with C:\\ paths and does not see the Linux files of this workspace, so gopls and the Go extension fail.",
                c.path
            ),
        );
        f.evidence(format!("go in use: {}", c.path));
        if real != c.path {
            f.evidence(format!("resolves to: {real}"));
        }
        if let Some(m) = host::mount_for(cx, real) {
            f.evidence(format!("mount of {}: {}", m.mount_point, m.line));
        }
        f
    } else {
        if cx.snapshot.go_candidates.iter().any(|c| c.executable) {
            return;
        }
        let path = cx.env("PATH").unwrap_or("");
        let windows_go_dirs: Vec<&str> = path
            .split(':')
            .filter(|d| {
                let l = d.trim_end_matches('/').to_ascii_lowercase();
                // GOROOT\bin (C:\Go\bin, C:\Program Files\Go\bin), not a user's GOPATH\bin.
                (l.ends_with("/go/bin") || l.ends_with("/golang/bin"))
                    && !l.contains("/users/")
                    && host::is_windows_mount_path(cx, d)
            })
            .collect();
        if windows_go_dirs.is_empty() {
            return;
        }
        let f = out.report(
            "Only the Windows Go is on PATH in WSL",
            format!(
                "Inside {where_}, no Linux go is installed; the only Go directory on PATH is {}, which WSL appended from the Windows PATH. It holds go.exe, a Windows program that the Go extension cannot use from Linux, so it reports the go binary as missing.",
                windows_go_dirs.join(", ")
            ),
        );
        for d in &windows_go_dirs {
            f.evidence(format!("Windows Go directory on PATH: {d}"));
        }
        f.evidence(format!("PATH={path}"));
        f
    };
    for e in &wsl.evidence {
        f.evidence(e.clone());
    }
    f.fix(Fix {
        title: "Install the Linux build of Go inside WSL (run in a WSL terminal)".into(),
        applicability: Applicability::Unsafe,
        actions: vec![Action::RunShell {
            command: host::linux_go_install_command(cx),
            cwd: None,
        }],
    });
    f.fix(Fix {
        title: "Put the Linux Go on PATH: add this line to ~/.profile, then reopen the WSL window"
            .into(),
        applicability: Applicability::Unsafe,
        actions: vec![Action::AppendToProfile {
            file: "~/.profile".into(),
            line: "export PATH=$PATH:/usr/local/go/bin".into(),
        }],
    });
    f.fix(Fix {
        title: "Optional: keep Windows programs off the WSL PATH: add `[interop]` `appendWindowsPath = false` to /etc/wsl.conf, then `wsl --shutdown`".into(),
        applicability: Applicability::DisplayOnly,
        actions: vec![Action::RunShell {
            command: "printf '[interop]\\nappendWindowsPath = false\\n' | sudo tee -a /etc/wsl.conf".into(),
            cwd: None,
        }],
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    fn fixture() -> crate::Snapshot {
        crate::parse_snapshot(include_str!(
            "../../../../../tests/fixtures/snapshots/wsl-remote-windows-go-on-path.json"
        ))
        .unwrap()
    }

    #[test]
    fn fires_when_only_the_windows_go_is_on_the_wsl_path() {
        let f = run(&WSL_WINDOWS_GO, &fixture());
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].message.contains("/mnt/c/Go/bin"), "{}", f[0].message);
        assert!(f[0]
            .evidence
            .contains(&"Windows Go directory on PATH: /mnt/c/Go/bin".to_string()));
        assert!(f[0].evidence.iter().any(|e| e.contains("remote `wsl`")));
        assert!(matches!(&f[0].fixes[0].actions[0],
            Action::RunShell { command, .. } if command.contains("https://go.dev/dl/go1.") && command.contains("linux-amd64.tar.gz") && command.contains("sudo tar -C /usr/local -xz")));
        assert!(matches!(&f[0].fixes[1].actions[0],
            Action::AppendToProfile { file, line } if file == "~/.profile" && line == "export PATH=$PATH:/usr/local/go/bin"));
    }

    #[test]
    fn fires_when_the_go_in_use_lives_on_the_windows_drive() {
        // golang/vscode-go#3160: `/mnt/c/eplatform/tools/go/bin/go` used instead of
        // `/usr/local/go/bin/go`. /proc/version as recorded in leoheck/kiri#28 (WSL 2).
        let go = "/mnt/c/eplatform/tools/go/bin/go";
        let s = snapshot(json!({
            "host": {"procVersion": "Linux version 5.4.72-microsoft-standard-WSL2 (oe-user@oe-host) (gcc version 8.2.0 (GCC)) #1 SMP Wed Oct 28 23:40:43 UTC 2020\n"},
            "goCandidates": [{"path": go, "source": "path", "executable": true}],
            "go": {"candidate": 0}
        }));
        let f = run(&WSL_WINDOWS_GO, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0].title.contains("uses the Windows Go"));
        assert!(f[0]
            .evidence
            .iter()
            .any(|e| e.starts_with("/proc/version: Linux version 5.4.72-microsoft-standard-WSL2")));
    }

    #[test]
    fn passes_with_a_linux_go_in_wsl_and_outside_wsl() {
        // The WSL 2 fixture uses /usr/local/go/bin/go.
        let s = crate::parse_snapshot(include_str!(
            "../../../../../tests/fixtures/snapshots/wsl2-workspace-on-mnt-c.json"
        ))
        .unwrap();
        assert!(run(&WSL_WINDOWS_GO, &s).is_empty());
        // /mnt/c/Go/bin on PATH but not WSL: nothing to say.
        let s = snapshot(
            json!({"env": {"PATH": "/usr/bin:/mnt/c/Go/bin"}, "goCandidates": [], "go": null}),
        );
        assert!(run(&WSL_WINDOWS_GO, &s).is_empty());
    }
}
