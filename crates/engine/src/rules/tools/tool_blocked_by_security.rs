use crate::context::Context;
use crate::declare_rule;
use crate::knowledge::go::{goarch_of, goos_of};
use crate::protocol::{Action, Applicability, Fix};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// (Windows, macOS) A tool that was found and passes the executable check, yet starting it
    /// (`gopls version -json`, `dlv version`) fails in the OS, not in the tool: on Windows `spawn
    /// UNKNOWN` (errno -4094) or `spawn EPERM`/`EACCES` ("Access is denied"); on macOS `spawn
    /// EPERM`/`EACCES`, or the process killed before it prints anything. A binary built for
    /// another OS/arch is GSD207's.
    ///
    /// ## Why it matters
    /// The usual causes are security software, not the tool: Windows Smart App Control blocks
    /// unsigned binaries such as the ones `go install` builds (`Error: spawn UNKNOWN`, errno -4094:
    /// google-labs-code/jules-awesome-list#95; a terminal says `An Application Control policy has
    /// blocked this file`: entireio/cli#1505), antivirus quarantines or locks them ("Usual culprits
    /// are virus scanners", golang/vscode-go#2578; `Error: spawn EPERM`, microsoft/vscode-go#2420),
    /// AppLocker / Software Restriction Policies ("This program is blocked by group policy. For more
    /// information, contact your system administrator.", NativeScript/nativescript-cli#2109); on
    /// macOS, Gatekeeper refuses a downloaded (quarantined) binary ("cannot be opened because the
    /// developer cannot be verified", justjanne/powerline-go#160; EPERM for a child exec,
    /// dzcorp/FerrisScope#99). gopls never starts, so the Go extension shows no language features.
    ///
    /// ## Example
    /// `C:\Users\gopher\go\bin\gopls.exe version -json` fails with `spawn UNKNOWN` on Windows 11
    /// with Smart App Control on.
    ///
    /// ## Fix
    /// macOS: remove the quarantine attribute (`xattr -d com.apple.quarantine <file>`), or rebuild
    /// it locally with `go install` (locally built files are not quarantined). Windows: allow the
    /// file in the antivirus (Defender: `Add-MpPreference -ExclusionPath <dir>` from an elevated
    /// PowerShell — shown, not run: it weakens protection); Smart App Control and group policy
    /// take no per-file exceptions, so that is for whoever manages the machine.
    pub TOOL_BLOCKED_BY_SECURITY {
        code: "GSD210",
        name: "tool-blocked-by-security",
        category: Tools,
        severity: Warning,
        summary: "the OS lets the tools start",
        fix: Sometimes,
        since: "0.1.0",
    }
}

/// The error code at the start of a recorded spawn error (`UNKNOWN: spawn UNKNOWN` -> `UNKNOWN`).
fn spawn_code(e: &str) -> &str {
    e.split(':').next().unwrap_or("").trim()
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let os = cx.snapshot.host.os.as_str();
    if os != "win32" && os != "darwin" {
        out.not_applicable("applies to Windows and macOS");
        return;
    }
    for tool in &cx.snapshot.tools {
        let (Some(path), Some(run)) = (tool.path.as_deref(), tool.version.as_ref()) else {
            continue;
        };
        if run.succeeded() || run.timed_out {
            continue;
        }
        // Built for another OS/arch: GSD207 explains that failure.
        if let Some(info) = cx.build_info(path) {
            let host_os = goos_of(os);
            let host_arch = cx
                .snapshot
                .host
                .machine
                .as_deref()
                .and_then(goarch_of)
                .or_else(|| goarch_of(&cx.snapshot.host.arch));
            let foreign_os = info.settings.get("GOOS").map(String::as_str) != host_os;
            let foreign_arch = info.settings.get("GOARCH").map(String::as_str) != host_arch;
            if info.settings.contains_key("GOOS") && (foreign_os || foreign_arch) {
                continue;
            }
        }
        let code = run.spawn_error.as_deref().map(spawn_code).unwrap_or("");
        let killed = run.spawn_error.is_none()
            && run.signal.as_deref() == Some("SIGKILL")
            && run.stdout.is_empty()
            && run.stderr.is_empty();
        // Node gets no text from Windows for a policy block (libuv reports errors it does not
        // map as UNKNOWN); the texts a terminal shows are named so the user recognises them.
        let cause = match (os, code) {
            ("win32", "UNKNOWN") => "Windows refused to start it without a reason (spawn UNKNOWN, errno -4094): the usual cause is Smart App Control or App Control / AppLocker blocking an unsigned binary, as every `go install` build is (a terminal says \"An Application Control policy has blocked this file\" or \"This program is blocked by group policy\"), or an antivirus",
            ("win32", "EPERM" | "EACCES") => "Windows denied access to it (\"Access is denied\"): the usual cause is an antivirus (Microsoft Defender or another) quarantining or locking Go-built binaries",
            ("darwin", "EPERM" | "EACCES") => "macOS refused to run it (operation not permitted): Gatekeeper blocks a downloaded binary that carries the com.apple.quarantine attribute (\"cannot be opened because the developer cannot be verified\"), or privacy protection guards its folder",
            ("darwin", _) if killed => "macOS killed it as it started (SIGKILL): Gatekeeper or code-signing enforcement rejected the binary",
            _ => continue,
        };
        let f = out.report(
            format!("{} is blocked from running: {}", tool.name, cx.tilde(path)),
            format!(
                "{} was found and looks executable, but starting it fails: {cause}. Until it can run, the Go extension cannot use it.",
                cx.tilde(path)
            ),
        );
        let shown = run
            .spawn_error
            .clone()
            .or_else(|| run.signal.clone().map(|s| format!("killed by {s}")))
            .or_else(|| run.stderr.lines().next().map(str::to_string))
            .unwrap_or_default();
        f.evidence(format!("{}: {shown}", run.argv.join(" ")));
        let dir = path
            .rfind(['/', '\\'])
            .map_or(path, |i| path.get(..i).unwrap_or(path));
        if os == "darwin" {
            f.fix(Fix {
                title: format!("Remove the quarantine attribute from {}", cx.tilde(path)),
                applicability: Applicability::Unsafe,
                actions: vec![Action::RunShell {
                    command: format!(
                        "xattr -d com.apple.quarantine '{}'",
                        path.replace('\'', "'\\''")
                    ),
                    cwd: None,
                }],
            });
        } else if code != "UNKNOWN" {
            f.fix(Fix {
                title: format!("Exclude {dir} from Microsoft Defender scanning (elevated PowerShell; weakens protection)"),
                applicability: Applicability::DisplayOnly,
                actions: vec![Action::RunShell {
                    command: format!("Add-MpPreference -ExclusionPath '{}'", dir.replace('\'', "''")),
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

    fn fixture(name: &str) -> crate::Snapshot {
        let text = match name {
            "win" => include_str!(
                "../../../../../tests/fixtures/snapshots/windows-gopls-blocked-smart-app-control.json"
            ),
            _ => include_str!("../../../../../tests/fixtures/snapshots/macos-dlv-quarantined.json"),
        };
        match crate::parse_snapshot(text) {
            Ok(s) => s,
            Err(e) => unreachable!("{e}"),
        }
    }

    #[test]
    fn fires_for_smart_app_control_spawn_unknown() {
        let f = run(&TOOL_BLOCKED_BY_SECURITY, &fixture("win"));
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("Smart App Control"),
            "{}",
            f[0].message
        );
        assert_eq!(
            f[0].evidence,
            vec![
                "C:\\Users\\gopher\\go\\bin\\gopls.exe version -json: UNKNOWN: spawn UNKNOWN"
                    .to_string()
            ]
        );
        // No per-file exception exists for Smart App Control: no fix offered.
        assert!(f[0].fixes.is_empty());
    }

    #[test]
    fn fires_for_access_denied_with_defender_exclusion_shown() {
        let mut s = fixture("win");
        if let Some(run) = s.tools.get_mut(0).and_then(|t| t.version.as_mut()) {
            run.spawn_error = Some("EPERM: spawn EPERM".to_string());
        }
        let f = run(&TOOL_BLOCKED_BY_SECURITY, &s);
        assert!(f[0].message.contains("Access is denied"));
        assert_eq!(f[0].fixes[0].applicability, Applicability::DisplayOnly);
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. }
            if command == "Add-MpPreference -ExclusionPath 'C:\\Users\\gopher\\go\\bin'")
        );
    }

    #[test]
    fn fires_for_quarantined_dlv_on_macos_with_xattr() {
        let f = run(&TOOL_BLOCKED_BY_SECURITY, &fixture("mac"));
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("com.apple.quarantine"));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. }
            if command == "xattr -d com.apple.quarantine '/Users/gopher/bin/dlv'")
        );
    }

    #[test]
    fn passes_on_linux_when_it_runs_or_for_foreign_arch() {
        // The same failure on Linux is GSD209's / GSD207's.
        let mut linux = fixture("mac");
        linux.host.os = "linux".to_string();
        assert!(run(&TOOL_BLOCKED_BY_SECURITY, &linux).is_empty());
        let mut ok = fixture("mac");
        if let Some(run) = ok.tools.get_mut(0).and_then(|t| t.version.as_mut()) {
            run.spawn_error = None;
            run.exit_code = Some(0);
        }
        assert!(run(&TOOL_BLOCKED_BY_SECURITY, &ok).is_empty());
        let mut v = serde_json::to_value(fixture("mac")).unwrap_or_default();
        v["toolsBuildInfo"] = run_ok(&["/usr/local/go/bin/go", "version", "-m", "/Users/gopher/bin/dlv"],
            "/Users/gopher/bin/dlv: go1.22.0\n\tpath\tgithub.com/go-delve/delve/cmd/dlv\n\tbuild\tGOARCH=amd64\n\tbuild\tGOOS=linux\n");
        let foreign = crate::snapshot_from_value(v).unwrap_or_default();
        assert!(run(&TOOL_BLOCKED_BY_SECURITY, &foreign).is_empty());
    }
}
