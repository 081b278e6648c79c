use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// On macOS, with dlv installed, what delve needs to launch or attach to a program:
    /// - an active developer directory: `xcode-select -p` succeeds (it fails with
    ///   `xcode-select: error: unable to get active developer directory, …` when neither Xcode nor
    ///   the Command Line Tools are installed);
    /// - `debugserver` where delve looks for it (`pkg/proc/gdbserial/gdbserver.go`
    ///   `debugserverExecutablePaths`): the Command Line Tools'
    ///   `/Library/Developer/CommandLineTools/Library/PrivateFrameworks/LLDB.framework/Versions/A/Resources/debugserver`,
    ///   or `SharedFrameworks/LLDB.framework/Versions/A/Resources/debugserver` next to the
    ///   directory `xcode-select -p` prints;
    /// - developer mode: `/usr/sbin/DevToolsSecurity -status` says `Developer mode is currently
    ///   enabled.`, not `… disabled.`
    ///
    /// ## Why it matters
    /// On macOS delve debugs through Apple's debugserver. Without it delve has no backend
    /// (`could not launch process: backend unavailable`, delve `ErrBackendUnavailable`); without
    /// developer mode debugserver may not control the program and delve reports
    /// `could not launch process: stub exited while waiting for connection: exit status 0`
    /// (go-delve/delve#1534, #1707, #3102: `error: failed to launch process …/debugserver: failed
    /// to get the task for process 15543`).
    ///
    /// ## Example
    /// `xcode-select -p` exits 2 with `xcode-select: error: unable to get active developer
    /// directory, …`, no debugserver, and `Developer mode is currently disabled.`
    ///
    /// ## Fix
    /// `xcode-select --install` (installs the Command Line Tools, which ship debugserver);
    /// `sudo /usr/sbin/DevToolsSecurity -enable` (go-delve/delve#1534), and, for a user who is
    /// not an administrator, `sudo dscl . append /Groups/_developer GroupMembership $USER`
    /// (go-delve/delve#1707).
    pub MACOS_DEBUG_PREREQS {
        code: "GSD608",
        name: "macos-debug-prereqs",
        category: Platform,
        severity: Warning,
        summary: "macOS has what delve needs to debug",
        fix: Always,
        since: "0.1.0",
    }
}

fn install_clt(f: &mut crate::protocol::Finding) {
    f.fix(Fix {
        title: "Install the Command Line Tools (they ship debugserver)".into(),
        applicability: Applicability::Unsafe,
        actions: vec![Action::RunShell {
            command: "xcode-select --install".into(),
            cwd: None,
        }],
    });
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let host = &cx.snapshot.host;
    if host.os != "darwin" {
        out.not_applicable("applies to macOS");
        return;
    }
    let Some(dlv) = cx.tool("dlv").and_then(|t| t.path.as_deref()) else {
        return; // nothing to debug with: GSD205's
    };
    let dlv = cx.tilde(dlv);
    let found: Vec<&str> = host
        .debugservers
        .iter()
        .flatten()
        .filter(|d| d.exists)
        .map(|d| d.path.as_str())
        .collect();

    if let Some(xs) = host.xcode_select.as_ref() {
        let ran = xs.spawn_error.is_none() && !xs.timed_out && xs.signal.is_none();
        if ran && xs.exit_code != Some(0) && found.is_empty() {
            let err = xs.stderr.lines().next().unwrap_or("").trim().to_string();
            let f = out.report(
                "No Xcode or Command Line Tools: delve cannot debug",
                format!(
                    "`xcode-select -p` fails, so neither Xcode nor the Command Line Tools are selected, and delve's debugserver is missing. {dlv} then fails with \"could not launch process: backend unavailable\"."
                ),
            );
            f.evidence(format!(
                "xcode-select -p: exit {}: {err}",
                xs.exit_code.map(|c| c.to_string()).unwrap_or_default()
            ));
            for d in host.debugservers.iter().flatten() {
                f.evidence(format!("{}: missing", d.path));
            }
            install_clt(f);
        } else if xs.succeeded() && found.is_empty() && host.debugservers.is_some() {
            let dev = xs.stdout.trim();
            let f = out.report(
                "debugserver is missing: delve cannot debug",
                format!(
                    "The active developer directory is {dev} (xcode-select -p), but debugserver is not at any place delve looks for it. {dlv} then fails with \"could not launch process: backend unavailable\"."
                ),
            );
            f.evidence(format!("xcode-select -p: {dev}"));
            for d in host.debugservers.iter().flatten() {
                f.evidence(format!("{}: missing", d.path));
            }
            install_clt(f);
        }
    }

    if let Some(dts) = host.dev_tools_security.as_ref() {
        if dts.succeeded() && dts.stdout.contains("Developer mode is currently disabled.") {
            let f = out.report(
                "Developer mode is disabled: delve may not control the program",
                format!(
                    "DevToolsSecurity says developer mode is disabled, so debugserver needs an administrator's approval to control a process and {dlv} fails with \"could not launch process: stub exited while waiting for connection: exit status 0\" where nobody can approve it (VS Code, ssh)."
                ),
            );
            f.evidence(format!(
                "/usr/sbin/DevToolsSecurity -status: {}",
                dts.stdout.trim()
            ));
            f.fix(Fix {
                title: "Enable developer mode".into(),
                applicability: Applicability::Unsafe,
                actions: vec![Action::RunShell {
                    command: "sudo /usr/sbin/DevToolsSecurity -enable".into(),
                    cwd: None,
                }],
            });
            f.fix(Fix {
                title: "Let this user debug without an administrator (the _developer group)".into(),
                applicability: Applicability::Unsafe,
                actions: vec![Action::RunShell {
                    command: "sudo dscl . append /Groups/_developer GroupMembership $USER".into(),
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

    fn fixture() -> crate::protocol::Snapshot {
        crate::parse_snapshot(include_str!(
            "../../../../../tests/fixtures/snapshots/macos-debug-no-clt.json"
        ))
        .unwrap()
    }

    #[test]
    fn fires_from_the_recorded_mac_without_command_line_tools_and_developer_mode() {
        let s = fixture();
        let f = run(&MACOS_DEBUG_PREREQS, &s);
        assert_eq!(f.len(), 2, "{f:#?}");
        assert_eq!(
            f[0].title,
            "No Xcode or Command Line Tools: delve cannot debug"
        );
        assert!(f[0].evidence[0].starts_with(
            "xcode-select -p: exit 2: xcode-select: error: unable to get active developer directory"
        ));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command == "xcode-select --install")
        );
        assert_eq!(
            f[1].evidence,
            vec!["/usr/sbin/DevToolsSecurity -status: Developer mode is currently disabled."]
        );
        assert!(
            matches!(&f[1].fixes[0].actions[0], Action::RunShell { command, .. } if command == "sudo /usr/sbin/DevToolsSecurity -enable")
        );
    }

    #[test]
    fn fires_when_xcode_is_selected_but_debugserver_is_missing() {
        let mut s = fixture();
        s.host.xcode_select = Some(
            serde_json::from_value(run_ok(
                &["/usr/bin/xcode-select", "-p"],
                "/Applications/Xcode.app/Contents/Developer\n",
            ))
            .unwrap(),
        );
        s.host.dev_tools_security = None;
        let f = run(&MACOS_DEBUG_PREREQS, &s);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].title, "debugserver is missing: delve cannot debug");
    }

    /// What the fixes change, as the next snapshot of the same Mac shows it: `xcode-select -p`
    /// prints the Command Line Tools (go-delve/delve#1707), debugserver is there, developer mode
    /// is enabled.
    fn after_fixes(mut s: crate::protocol::Snapshot) -> crate::protocol::Snapshot {
        s.host.xcode_select = Some(
            serde_json::from_value(run_ok(
                &["/usr/bin/xcode-select", "-p"],
                "/Library/Developer/CommandLineTools\n",
            ))
            .unwrap(),
        );
        s.host.dev_tools_security = Some(
            serde_json::from_value(run_ok(
                &["/usr/sbin/DevToolsSecurity", "-status"],
                "Developer mode is currently enabled.\n",
            ))
            .unwrap(),
        );
        for d in s.host.debugservers.iter_mut().flatten() {
            d.exists = true;
        }
        s
    }

    #[test]
    fn passes_after_the_fixes_and_off_macos() {
        let s = fixture();
        let f = run(&MACOS_DEBUG_PREREQS, &s);
        // The fixes are shell commands for the user; applying them is a no-op on the snapshot
        // (no file edit), the next snapshot shows their effect.
        for fix in f.iter().flat_map(|f| &f.fixes) {
            assert_eq!(apply_fix(&s, fix), s);
        }
        assert!(run(&MACOS_DEBUG_PREREQS, &after_fixes(s.clone())).is_empty());
        // Linux, and a Mac without dlv, are not this rule's business.
        let mut linux = s.clone();
        linux.host.os = "linux".into();
        assert!(run(&MACOS_DEBUG_PREREQS, &linux).is_empty());
        let mut no_dlv = s;
        no_dlv.tools.retain(|t| t.name != "dlv");
        assert!(run(&MACOS_DEBUG_PREREQS, &no_dlv).is_empty());
        assert!(run(&MACOS_DEBUG_PREREQS, &snapshot(json!({}))).is_empty());
    }

    #[test]
    fn passes_when_xcode_select_could_not_run() {
        let mut s = fixture();
        s.host.xcode_select = Some(
            serde_json::from_value(
                json!({"argv": ["/usr/bin/xcode-select", "-p"], "stdout": "", "stderr": "",
                "timedOut": true, "timeoutMs": 3000, "truncated": false, "durationMs": 3000.0}),
            )
            .unwrap(),
        );
        s.host.dev_tools_security = None;
        assert!(run(&MACOS_DEBUG_PREREQS, &s).is_empty());
    }
}
