use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{CommandRun, Severity};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Whether a probe command itself misbehaved: did not finish within its timeout (it was
    /// stopped, with its whole process group), was killed by a signal (`SIGSEGV`, ...), or could
    /// not be started (`EACCES`, `ENOEXEC`, ...).
    ///
    /// ## Why it matters
    /// A `go` that hangs or crashes here hangs or crashes for gopls and every tool too. Other
    /// rules stay quiet about the facts they could not observe, so one cause is reported once.
    ///
    /// ## Example
    /// A `go` wrapper script that waits on a network mount: `go env -json` did not finish in 5 s.
    ///
    /// ## Fix
    /// None automatic: the finding names the command, its path and what happened.
    pub PROBE_FAILED {
        code: "GSD901",
        name: "probe-failed",
        category: Probes,
        severity: Warning,
        summary: "every probe ran to completion",
        fix: None,
        since: "0.1.0",
    }
}

fn what_happened(run: &CommandRun) -> Option<String> {
    if run.timed_out {
        Some(format!(
            "did not finish within {} ms and was stopped (its process group was killed)",
            run.timeout_ms
        ))
    } else if let Some(sig) = &run.signal {
        Some(format!("was killed by {sig}"))
    } else {
        run.spawn_error
            .as_ref()
            .map(|e| format!("could not be started: {e}"))
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let s = cx.snapshot;
    let mut runs: Vec<(&CommandRun, bool)> = Vec::new();
    if let Some(go) = &s.go {
        runs.extend(go.version.iter().chain(go.env.iter()).map(|r| (r, true)));
    }
    runs.extend(
        s.go_candidates
            .iter()
            .filter_map(|c| c.version.as_ref())
            .map(|r| (r, false)),
    );
    runs.extend(
        s.tools
            .iter()
            .filter_map(|t| t.version.as_ref())
            .map(|r| (r, false)),
    );
    runs.extend(s.tools_build_info.iter().map(|r| (r, false)));
    runs.extend(s.host.proc_translated.iter().map(|r| (r, false)));
    runs.extend(s.login_shell.iter().map(|r| (r, false)));
    let mut seen: Vec<&Vec<String>> = Vec::new();
    for (run, is_go_in_use) in runs {
        let Some(what) = what_happened(run) else {
            continue;
        };
        if seen.contains(&&run.argv) {
            continue;
        }
        seen.push(&run.argv);
        let command = run
            .argv
            .iter()
            .map(|a| cx.tilde(a))
            .collect::<Vec<_>>()
            .join(" ");
        let f = out.report(format!("`{command}` {what}"), format!("The probe `{command}` {what}. Tools that run the same command will fail the same way."));
        if is_go_in_use {
            f.severity(Severity::Error);
        }
        f.evidence(format!("duration: {:.0} ms", run.duration_ms));
        if !run.stderr.trim().is_empty() {
            for line in run.stderr.trim().lines().take(5) {
                f.evidence(format!("stderr: {line}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_on_timeout_and_signal() {
        let s = snapshot(json!({"go": {
            "version": {"argv": [GO_BIN, "version"], "timedOut": true, "timeoutMs": 5000, "durationMs": 5003.0},
            "env": {"argv": [GO_BIN, "env", "-json"], "signal": "SIGSEGV", "stderr": "SIGSEGV: segmentation violation"}
        }}));
        let f = run(&PROBE_FAILED, &s);
        assert_eq!(f.len(), 2);
        assert!(f
            .iter()
            .any(|x| x.title.contains("did not finish within 5000 ms")));
        assert!(f.iter().any(|x| x.title.contains("killed by SIGSEGV")));
        assert!(f.iter().all(|x| x.severity == Severity::Error));
    }

    #[test]
    fn passes_when_probes_complete() {
        assert!(run(&PROBE_FAILED, &snapshot(json!({}))).is_empty());
    }
}
