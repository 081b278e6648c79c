use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix};
use crate::rules::host;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Whether a workspace folder lives on a slow file system: on Linux the mount that holds it
    /// (the longest matching mount point of `/proc/self/mountinfo`) is a Windows drive seen from
    /// WSL (`9p` with `aname=drvfs`, `drvfs`), NFS, SMB/CIFS, SSHFS or another FUSE file system; on
    /// Windows the folder is on a `\\server\share` network path.
    ///
    /// ## Why it matters
    /// `go list`, `go build` and gopls read thousands of files; on these file systems every read is a
    /// round trip. WSL 2 reaches `/mnt/c` through 9P, many times slower than the Linux disk
    /// (microsoft/WSL#4197: a build taking 32 s on Windows took 27 min on `/mnt/d`, #4706), and gopls
    /// requests then time out with `context deadline exceeded` (golang/go#49475).
    ///
    /// ## Example
    /// WSL 2, workspace `/mnt/c/Users/XXXX/go/src/github.com/terraform-providers/terraform-provider-azurerm`
    /// on `90 29 0:40 / /mnt/c rw,noatime - 9p C:\134 rw,dirsync,aname=drvfs;path=C:\;…`.
    ///
    /// ## Fix
    /// Keep the code on the Linux file system (`~/src/...` inside WSL) or a local disk, and open it
    /// from there (`code ~/src/project` in WSL).
    pub WORKSPACE_ON_SLOW_FS {
        code: "GSD406",
        name: "workspace-on-slow-fs",
        category: Workspace,
        severity: Warning,
        summary: "the workspace is on a local file system",
        fix: Always,
        since: "0.1.0",
    }
}

fn basename(path: &str) -> &str {
    path.trim_end_matches(['/', '\\'])
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(path)
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let os = cx.snapshot.host.os.as_str();
    for folder in &cx.snapshot.workspace.folders {
        if os == "win32" {
            let p = folder.path.replace('/', "\\");
            let lower = p.to_ascii_lowercase();
            // \\wsl$ shares are GSD606's.
            if !lower.starts_with("\\\\")
                || lower.starts_with("\\\\wsl$\\")
                || lower.starts_with("\\\\wsl.localhost\\")
                || lower.starts_with("\\\\?\\")
                || lower.starts_with("\\\\.\\")
            {
                continue;
            }
            let f = out.report(
                "The workspace is on a network share",
                format!("{} is on a Windows network share: go list, go build and gopls read every file over the network, so loading packages is slow and gopls requests can time out.", folder.path),
            );
            f.evidence(format!("workspace folder: {}", folder.path));
            f.fix(Fix {
                title: format!("Copy the module to a local disk (e.g. %USERPROFILE%\\src\\{}) and open it from there", basename(&folder.path)),
                applicability: Applicability::DisplayOnly,
                actions: vec![Action::RunShell {
                    command: format!("robocopy \"{}\" \"%USERPROFILE%\\src\\{}\" /E", folder.path, basename(&folder.path)),
                    cwd: None,
                }],
            });
            continue;
        }
        if os != "linux" {
            continue;
        }
        let Some(m) = host::mount_for(cx, &folder.path) else {
            continue;
        };
        let Some(kind) = m.slow_kind() else { continue };
        let wsl = host::wsl(cx);
        let windows = m.is_windows_drive();
        let f = out.report(
            if windows {
                "The workspace is on the Windows drive, not the WSL file system"
            } else {
                "The workspace is on a network or FUSE file system"
            },
            if windows {
                format!(
                    "{} is on {kind} ({} mounted at {}){}: every file access crosses from the Linux VM to Windows, so go list, go build and gopls are many times slower than on the Linux file system, and gopls requests can fail with \"context deadline exceeded\".",
                    folder.path,
                    m.source,
                    m.mount_point,
                    wsl.as_ref().map(|w| format!(" in {}", w.label())).unwrap_or_default()
                )
            } else {
                format!(
                    "{} is on {kind} ({} of type {}, mounted at {}): every file go list, go build and gopls read is a round trip, so loading packages is slow and gopls requests can time out.",
                    folder.path, m.source, m.fstype, m.mount_point
                )
            },
        );
        f.evidence(format!("workspace folder: {}", folder.path));
        f.evidence(format!("/proc/self/mountinfo: {}", m.line));
        if let Some(w) = &wsl {
            for e in &w.evidence {
                f.evidence(e.clone());
            }
        }
        let name = basename(&folder.path);
        if windows {
            f.fix(Fix {
                title: format!(
                    "Move the code into the WSL file system (~/src/{name}) and open it from there"
                ),
                applicability: Applicability::Unsafe,
                actions: vec![Action::RunShell {
                    command: format!(
                        "mkdir -p ~/src && cp -a '{}' ~/src/ && code ~/src/{name}",
                        folder.path
                    ),
                    cwd: None,
                }],
            });
        } else {
            f.fix(Fix {
                title: format!("Work on a local clone (e.g. ~/src/{name}) and open that"),
                applicability: Applicability::DisplayOnly,
                actions: vec![Action::RunShell {
                    command: format!(
                        "mkdir -p ~/src && cp -a '{}' ~/src/ && code ~/src/{name}",
                        folder.path
                    ),
                    cwd: None,
                }],
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_for_the_recorded_wsl2_mnt_c_workspace() {
        let s = crate::parse_snapshot(include_str!(
            "../../../../../tests/fixtures/snapshots/wsl2-workspace-on-mnt-c.json"
        ))
        .unwrap();
        let f = run(&WORKSPACE_ON_SLOW_FS, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(
            f[0].message
                .contains("a Windows drive mounted into WSL (9P/DrvFs)"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].message.contains("C:\\ mounted at /mnt/c"),
            "{}",
            f[0].message
        );
        assert!(f[0]
            .evidence
            .iter()
            .any(|e| e.contains("- 9p C:\\134 rw,dirsync,aname=drvfs")));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. }
            if command == "mkdir -p ~/src && cp -a '/mnt/c/Users/XXXX/go/src/github.com/terraform-providers/terraform-provider-azurerm' ~/src/ && code ~/src/terraform-provider-azurerm")
        );
    }

    #[test]
    fn fires_for_nfs_sshfs_and_windows_shares() {
        let s = snapshot(json!({"host": {"mountinfo": [
            "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
            "25 22 0:45 / /home rw,relatime shared:31 - nfs4 nas:/export/home rw,vers=4.2"]}}));
        let f = run(&WORKSPACE_ON_SLOW_FS, &s);
        assert!(f[0]
            .message
            .contains("an NFS network share (nas:/export/home of type nfs4, mounted at /home)"));
        let s = snapshot(json!({"host": {"os": "win32"}, "workspace": {"folders": [
            {"uri": "file://fileserver/share/proj", "path": "\\\\fileserver\\share\\proj", "goFiles": ["a.go"]}]}}));
        assert_eq!(
            run(&WORKSPACE_ON_SLOW_FS, &s)[0].title,
            "The workspace is on a network share"
        );
    }

    #[test]
    fn passes_on_a_local_disk_and_without_mount_data() {
        let s = snapshot(
            json!({"host": {"mountinfo": ["22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw"]}}),
        );
        assert!(run(&WORKSPACE_ON_SLOW_FS, &s).is_empty());
        assert!(run(&WORKSPACE_ON_SLOW_FS, &snapshot(json!({}))).is_empty());
        let s = snapshot(json!({"host": {"os": "win32"}, "workspace": {"folders": [
            {"uri": "file://wsl%24/Ubuntu/home/u/p", "path": "\\\\wsl$\\Ubuntu\\home\\u\\p", "goFiles": []}]}}));
        assert!(
            run(&WORKSPACE_ON_SLOW_FS, &s).is_empty(),
            "\\\\wsl$ is GSD606's"
        );
    }
}
