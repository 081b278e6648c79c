use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix};
use crate::rules::host::{self, format_epoch_ms};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Whether a running gopls still executes a binary that is no longer the one on disk: on Linux
    /// the kernel appends ` (deleted)` to `/proc/<pid>/exe` when the file was removed or replaced
    /// (`go install` writes a new file), and on any OS the file now at that path was modified after
    /// the process started (more than a second later).
    ///
    /// ## Why it matters
    /// Updating gopls ("Go: Install/Update Tools", `go install golang.org/x/tools/gopls@latest`)
    /// does not touch the running server: fixes and new settings of the new version are not in use,
    /// and errors keep coming from the old one until the language server restarts. The same happens
    /// when Go itself is upgraded while VS Code runs: the extension does not re-resolve `go`.
    ///
    /// ## Example
    /// `/proc/4711/exe -> /home/u/go/bin/gopls (deleted)` after `go install
    /// golang.org/x/tools/gopls@latest`.
    ///
    /// ## Fix
    /// "Go: Restart Language Server" (`go.languageserver.restart`), or reload the window.
    pub GOPLS_STALE_BINARY {
        code: "GSD803",
        name: "gopls-stale-binary",
        category: LanguageServer,
        severity: Info,
        summary: "the running gopls is the one on disk",
        fix: Always,
        since: "0.1.0",
    }
}

/// Slack for file systems that round modification times.
const SLACK_MS: f64 = 1000.0;

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some(processes) = &cx.snapshot.processes else {
        return;
    };
    for p in processes {
        let Some((path, deleted)) = host::exe_path(p) else {
            continue;
        };
        let newer = match (p.exe_mtime_ms, p.start_time_ms) {
            (Some(m), Some(s)) => m > s + SLACK_MS,
            _ => false,
        };
        if !deleted && !newer {
            continue;
        }
        let ours = host::started_by_host(cx, p);
        // The version of the gopls now at that path: `gopls version -json`, else `go version -m`.
        let installed = cx
            .tool("gopls")
            .filter(|t| t.path.as_deref() == Some(path))
            .and_then(|t| {
                t.version
                    .as_ref()
                    .filter(|r| r.succeeded())
                    .and_then(|r| serde_json::from_str::<serde_json::Value>(&r.stdout).ok())
                    .and_then(|v| v.get("Version")?.as_str().map(str::to_string))
                    .or_else(|| {
                        cx.build_info(t.path.as_deref()?)
                            .and_then(|b| b.module_version.clone())
                    })
            });
        let what = if deleted && p.exe_mtime_ms.is_some() {
            format!("the file at {path} has been replaced since it started")
        } else if deleted {
            format!("{path} has been deleted since it started")
        } else {
            format!("{path} was modified after it started")
        };
        let f = out.report(
            "The running gopls is outdated: restart the language server",
            format!(
                "gopls (pid {}{}) still runs the binary it was started from, but {what}{}. Until the language server restarts, the old gopls keeps serving this workspace.",
                p.pid,
                if ours { ", started by this window" } else { "" },
                installed
                    .map(|v| format!(" (now installed: gopls {v})"))
                    .unwrap_or_default()
            ),
        );
        if let Some(exe) = &p.exe {
            f.evidence(format!("/proc/{}/exe -> {exe}", p.pid));
        }
        if let Some(s) = p.start_time_ms {
            f.evidence(format!("process started: {}", format_epoch_ms(s)));
        }
        match p.exe_mtime_ms {
            Some(m) => f.evidence(format!("{path} modified: {}", format_epoch_ms(m))),
            None => f.evidence(format!("{path}: no file there now")),
        };
        f.fix(Fix {
            title: if ours {
                "Restart the language server (Go: Restart Language Server)".into()
            } else {
                "Restart the language server in the window that runs it (Go: Restart Language Server)".into()
            },
            applicability: Applicability::Safe,
            actions: vec![Action::RunVsCodeCommand {
                command: "go.languageserver.restart".into(),
                args: vec![],
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
    fn fires_for_a_deleted_exe_and_for_a_newer_file() {
        // The healthy snapshot's gopls at /home/gopher/go/bin/gopls answers `gopls version -json`: v0.20.0.
        let s = snapshot(json!({"host": {"pid": 4000}, "processes": [
            {"pid": 4711, "ppid": 4000, "ancestors": [4000, 1], "exe": "/home/gopher/go/bin/gopls (deleted)",
             "cmdline": ["/home/gopher/go/bin/gopls", "-mode=stdio"], "startTimeMs": 1_700_000_000_000.0_f64, "exeMtimeMs": 1_700_000_600_000.0_f64}]}));
        let f = run(&GOPLS_STALE_BINARY, &s);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("pid 4711, started by this window"),
            "{}",
            f[0].message
        );
        assert!(f[0].message.contains("has been replaced"));
        assert!(
            f[0].message.contains("(now installed: gopls v0.20.0)"),
            "{}",
            f[0].message
        );
        assert!(f[0]
            .evidence
            .contains(&"process started: 2023-11-14 22:13:20 UTC".to_string()));
        assert!(f[0]
            .evidence
            .contains(&"/home/gopher/go/bin/gopls modified: 2023-11-14 22:23:20 UTC".to_string()));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunVsCodeCommand { command, .. } if command == "go.languageserver.restart")
        );

        let s = snapshot(
            json!({"processes": [{"pid": 5, "exe": "/usr/local/bin/gopls", "cmdline": ["gopls"],
            "startTimeMs": 1000.0, "exeMtimeMs": 5000.0}]}),
        );
        let f = run(&GOPLS_STALE_BINARY, &s);
        assert!(f[0].message.contains("was modified after it started"));
        assert!(f[0].fixes[0].title.contains("in the window that runs it"));
    }

    #[test]
    fn passes_for_a_current_binary() {
        let s = snapshot(
            json!({"processes": [{"pid": 5, "exe": "/usr/local/bin/gopls", "cmdline": ["gopls"],
            "startTimeMs": 5000.0, "exeMtimeMs": 1000.0}]}),
        );
        assert!(run(&GOPLS_STALE_BINARY, &s).is_empty());
        // Same second (file systems that round mtimes).
        let s = snapshot(
            json!({"processes": [{"pid": 5, "exe": "/usr/local/bin/gopls", "startTimeMs": 5000.0, "exeMtimeMs": 5500.0}]}),
        );
        assert!(run(&GOPLS_STALE_BINARY, &s).is_empty());
        assert!(run(&GOPLS_STALE_BINARY, &snapshot(json!({}))).is_empty());
    }
}
