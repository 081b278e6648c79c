use crate::context::Context;
use crate::declare_rule;
use crate::knowledge::go::{goarch_of, goos_of};
use crate::protocol::{Action, Applicability, Fix};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Each tool binary's target (`GOOS`/`GOARCH` from `go version -m`, one process for all tools)
    /// against the host (`process.platform`, and the hardware from `uname -m`).
    ///
    /// ## Why it matters
    /// Starting it fails with `exec format error` (Linux: `cannot execute binary file: Exec format
    /// error` from bash; from Node, whose spawn goes through glibc's `execvp`, the ENOEXEC makes
    /// `/bin/sh` read the binary as a script: `<path>: 1: ELF…: not found`, `Syntax error: ")"
    /// unexpected`, exit 2 — measured by the real arm64 scenario in
    /// tests/scenarios/tool-binaries.test.ts; recorded outputs in
    /// shared/knowledge/go-outputs/arch-mismatch.arm64-gopls-on-amd64.*), or it runs translated. Usual
    /// causes: GOARCH/GOOS left set while running `go install`, a tools directory synced from
    /// another machine, an amd64 Go on Apple Silicon.
    ///
    /// ## Example
    /// `go version -m ~/go/bin/gopls` shows `build GOARCH=arm64` on an amd64 machine.
    ///
    /// ## Fix
    /// Reinstall the tool with the host's architecture (`go install <tool>@<version>` with GOOS and
    /// GOARCH unset).
    pub TOOL_WRONG_ARCH {
        code: "GSD207",
        name: "tool-wrong-arch",
        category: Tools,
        severity: Warning,
        summary: "tools are built for this machine",
        fix: Sometimes,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let host = &cx.snapshot.host;
    let Some(host_os) = goos_of(&host.os) else {
        return;
    };
    let translated = host
        .proc_translated
        .as_ref()
        .is_some_and(|r| r.succeeded() && r.stdout.trim() == "1");
    let Some(host_arch) = (if translated {
        Some("arm64")
    } else {
        host.machine
            .as_deref()
            .and_then(goarch_of)
            .or_else(|| goarch_of(&host.arch))
    }) else {
        return;
    };
    for tool in &cx.snapshot.tools {
        let Some(path) = tool.path.as_deref() else {
            continue;
        };
        let Some(info) = cx.build_info(path) else {
            continue;
        };
        let os = info
            .settings
            .get("GOOS")
            .map(String::as_str)
            .unwrap_or(host_os);
        let Some(arch) = info.settings.get("GOARCH").map(String::as_str) else {
            continue;
        };
        // amd64 binaries run on arm64 macOS through Rosetta, 386 on amd64: still wrong, but a warning
        // either way; only the OS/arch pair matters here.
        if os == host_os && arch == host_arch {
            continue;
        }
        let f = out.report(
            format!("{} is built for {os}/{arch}, this machine is {host_os}/{host_arch}", tool.name),
            format!("{} at {} was built for {os}/{arch}; this machine is {host_os}/{host_arch}, so starting it fails with \"exec format error\" (or it runs translated).", tool.name, cx.tilde(path)),
        );
        f.evidence(format!(
            "go version -m {}: GOOS={os} GOARCH={arch}",
            cx.tilde(path)
        ));
        if let Some(run) = tool.version.as_ref().filter(|r| !r.succeeded()) {
            if let Some(e) = &run.spawn_error {
                f.evidence(format!("starting it: {e}"));
            } else if let Some(sh) = shell_fallback(&run.stderr) {
                f.evidence(format!("starting it: exec format error (execve refused it; /bin/sh then read it as a script: \"{sh}\")"));
            } else if !run.stderr.trim().is_empty() {
                f.evidence(format!(
                    "starting it: {}",
                    run.stderr.trim().lines().next().unwrap_or("")
                ));
            }
        }
        if let (Some(module), Some(candidate)) = (info.module_path.as_deref(), cx.go_candidate()) {
            let version = info.module_version.as_deref().unwrap_or("latest");
            f.fix(Fix {
                title: format!("Reinstall {} for {host_os}/{host_arch}", tool.name),
                applicability: Applicability::Unsafe,
                actions: vec![Action::RunShell {
                    command: format!(
                        "env -u GOOS -u GOARCH {} install {module}@{version}",
                        candidate.path
                    ),
                    cwd: None,
                }],
            });
        }
    }
}

/// glibc's `execvp` (what libuv, so Node, uses) runs a file that `execve` refuses with ENOEXEC
/// through `/bin/sh`; for a foreign ELF binary dash then prints `<path>: 1: ELF…: not found` and
/// `<path>: N: Syntax error: ")" unexpected` (go-outputs/arch-mismatch.arm64-gopls-on-amd64.
/// node-child-process.txt). Returns the shell's last complaint when stderr looks like that.
fn shell_fallback(stderr: &str) -> Option<&str> {
    let first = stderr.lines().next()?;
    if !first.contains(": 1: ") || !first.contains("ELF") {
        return None;
    }
    let last = stderr.lines().rev().find(|l| !l.trim().is_empty())?;
    let (_, tail) = last.split_once(": ")?;
    let (_, msg) = tail.split_once(": ")?;
    Some(msg.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    const GOPLS: &str = "/home/gopher/go/bin/gopls";

    #[test]
    fn fires_for_arm64_gopls_on_amd64() {
        // go-outputs/arch-mismatch.arm64-gopls-on-amd64.go-version-m.txt, path rewritten.
        let s = snapshot(json!({
            "toolsBuildInfo": run_ok(&[GO_BIN, "version", "-m", GOPLS], &format!("{GOPLS}: go1.19.5\n\tpath\tgolang.org/x/tools/gopls\n\tmod\tgolang.org/x/tools/gopls\tv0.16.1\th1:x=\n\tbuild\t-compiler=gc\n\tbuild\tCGO_ENABLED=1\n\tbuild\tGOARCH=arm64\n\tbuild\tGOOS=linux\n")),
            "tools": [{"name": "gopls", "path": GOPLS, "searched": [GOPLS], "version": {"argv": [GOPLS, "version", "-json"], "spawnError": "ENOEXEC: exec format error"}}]
        }));
        let f = run(&TOOL_WRONG_ARCH, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0]
            .title
            .contains("linux/arm64, this machine is linux/amd64"));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command.ends_with("install golang.org/x/tools/gopls@v0.16.1"))
        );
    }

    #[test]
    fn fires_with_the_shell_fallback_text() {
        // go-outputs/arch-mismatch.arm64-gopls-on-amd64.node-child-process.txt
        let stderr = "/opt/arm64-root/usr/bin/gopls: 1: ELF\u{2}\u{1}\u{1}\u{2}\u{fffd}: not found\n/opt/arm64-root/usr/bin/gopls: 3: Syntax error: \")\" unexpected\n";
        let s = snapshot(json!({
            "toolsBuildInfo": run_ok(&[GO_BIN, "version", "-m", GOPLS], &format!("{GOPLS}: go1.22.12\n\tpath\texample.com/gopls\n\tbuild\tGOARCH=arm64\n\tbuild\tGOOS=linux\n")),
            "tools": [{"name": "gopls", "path": GOPLS, "searched": [GOPLS], "version": run_failed(&[GOPLS, "version", "-json"], stderr, 2)}]
        }));
        let f = run(&TOOL_WRONG_ARCH, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0].evidence.contains(&"starting it: exec format error (execve refused it; /bin/sh then read it as a script: \"Syntax error: \")\" unexpected\")".to_string()), "{:?}", f[0].evidence);
        assert_eq!(shell_fallback("gopls: unknown flag"), None);
    }

    #[test]
    fn passes_for_native_tools() {
        assert!(run(&TOOL_WRONG_ARCH, &snapshot(json!({}))).is_empty());
    }
}
