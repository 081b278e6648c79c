use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{CommandRun, Severity};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// That `go version` and `go env -json` run cleanly: exit status 0, nothing on stderr, and
    /// output Go would print (a wrapper that exits 0 with something else is reported too).
    /// When one fails, the message Go printed is shown verbatim, and the variable it names is
    /// traced to where it is set: the process environment, `go.toolsEnvVars`, or the `go env -w`
    /// file (users rarely know that file exists).
    ///
    /// ## Why it matters
    /// Every tool runs `go`. A bad `GOFLAGS` makes every go command fail before it starts
    /// (`go: parsing $GOFLAGS: unknown flag -notaflag`), a GOROOT that no longer exists gives
    /// `go: cannot find GOROOT directory: ...`, a relative GOPATH gives
    /// `go: GOPATH entry is relative; must be absolute path`. vscode-go only logs
    /// `Failed to run '<go> env'` (shared/knowledge/go-outputs).
    ///
    /// ## Example
    /// `go env -w GOFLAGS=-notaflag`, then every `go version` exits 1.
    ///
    /// ## Fix
    /// Per origin: remove the key from `go.toolsEnvVars` (edit), `go env -u VAR` for the go env
    /// file, or the `export` line in the shell profile.
    pub GO_ENV_FAILED {
        code: "GSD105",
        name: "go-env-failed",
        category: Toolchain,
        severity: Error,
        summary: "go version and go env run cleanly",
        fix: Sometimes,
        since: "0.1.0",
    }
}

/// Variables whose bad values make `go` fail early, in the order we look for them in stderr.
const VARS: &[&str] = &[
    "GOFLAGS",
    "GOROOT",
    "GOPATH",
    "GOTOOLCHAIN",
    "GO111MODULE",
    "GOAMD64",
    "GOARM64",
    "GOARCH",
    "GOOS",
    "GOEXPERIMENT",
    "GOPROXY",
    "GOSUMDB",
    "GOENV",
    "GOWORK",
    "CGO_ENABLED",
    "GOTELEMETRY",
    "GOMODCACHE",
    "GOCACHE",
];

fn failed(run: &CommandRun) -> bool {
    // Timeouts, signals and spawn errors belong to GSD901.
    !run.timed_out
        && run.signal.is_none()
        && run.spawn_error.is_none()
        && (run.exit_code != Some(0) || !run.stderr.trim().is_empty())
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some(go) = cx.snapshot.go.as_ref() else {
        return;
    };
    let runs = [go.version.as_ref(), go.env.as_ref()];
    let Some(run) = runs.into_iter().flatten().find(|r| failed(r)) else {
        garbled(cx, out);
        return;
    };
    if cx.go_candidate().is_none() {
        return;
    }
    // A version-manager shim that fails to pick a Go is GSD111's (with the pin command).
    if crate::rules::toolchain::version_manager_shim::owns_failure(cx) {
        return;
    }
    let stderr = run.stderr.trim();
    let command = run
        .argv
        .iter()
        .map(|a| cx.tilde(a))
        .collect::<Vec<_>>()
        .join(" ");
    let exit_ok = run.exit_code == Some(0);
    let var = VARS.iter().find(|v| stderr.contains(*v)).copied();
    let title = if exit_ok {
        "The go command prints warnings"
    } else {
        "The go command fails"
    };
    let mut message = if exit_ok {
        format!("`{command}` succeeded but wrote to stderr:\n{stderr}")
    } else {
        format!(
            "`{command}` exited with status {}:\n{stderr}",
            run.exit_code.map(|c| c.to_string()).unwrap_or_default()
        )
    };
    if let Some(var) = var {
        message.push_str(&format!("\n\nThe message names {var}."));
    }
    let f = out.report(title, message);
    if exit_ok {
        f.severity(Severity::Warning);
    }
    for line in stderr.lines().take(10) {
        f.evidence(line.to_string());
    }
    let Some(var) = var else { return };
    if !super::super::common::trace_env_var(cx, var, f) {
        f.evidence(format!("{var} is not set in the environment, go.toolsEnvVars or the go env file: check the value Go derives for it"));
    }
}

/// A `go` that exits 0 but prints something that is not what Go prints (a broken wrapper, a
/// binary that is not Go): every tool that reads `go env -json` fails on it the same way.
fn garbled(cx: &Context<'_>, out: &mut Sink) {
    let Some(go) = cx.snapshot.go.as_ref() else {
        return;
    };
    if cx.go_candidate().is_none() {
        return;
    }
    let env = go
        .env
        .as_ref()
        .filter(|r| r.succeeded() && cx.go_env().is_none())
        .map(|r| (r, "is not the JSON object `go env -json` prints"));
    let version = go
        .version
        .as_ref()
        .filter(|r| r.succeeded() && crate::goversion::parse_go_version_output(&r.stdout).is_none())
        .map(|r| (r, "does not say `go version go1.N`"));
    let Some((run, what)) = env.or(version) else {
        return;
    };
    let command = run
        .argv
        .iter()
        .map(|a| cx.tilde(a))
        .collect::<Vec<_>>()
        .join(" ");
    let cut = if run.truncated {
        " (the output was cut at the capture limit)"
    } else {
        ""
    };
    let head: String = run.stdout.trim().chars().take(200).collect();
    let f = out.report(
        "The go command prints something unexpected",
        format!("`{command}` exited 0, but what it printed {what}{cut}. Is this binary a Go toolchain, or a wrapper that prints its own output? The Go extension and gopls cannot read it either."),
    );
    f.evidence(format!("stdout ({} bytes): {head}", run.stdout.len()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Action;
    use crate::testing::*;
    use serde_json::json;

    const GOFLAGS_ERR: &str = "go: parsing $GOFLAGS: unknown flag -notaflag\n"; // go-outputs/goflags-invalid-flag.go1.24.4.go-version.txt

    #[test]
    fn fires_when_go_exits_0_with_output_that_is_not_go_s() {
        let s = snapshot(
            json!({"go": {"env": run_ok(&[GO_BIN, "env", "-json"], "\u{1b}[2J\u{0}garbage")}}),
        );
        let f = run(&GO_ENV_FAILED, &s);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].title, "The go command prints something unexpected");
        assert!(
            f[0].message.contains("is not the JSON object"),
            "{}",
            f[0].message
        );
        let s = snapshot(json!({"go": {"version": run_ok(&[GO_BIN, "version"], "hello\n")}}));
        assert!(run(&GO_ENV_FAILED, &s)[0]
            .message
            .contains("does not say `go version go1.N`"));
    }

    #[test]
    fn fires_with_verbatim_message_and_go_env_file_origin() {
        let s = snapshot(json!({
            "go": {"version": run_failed(&[GO_BIN, "version"], GOFLAGS_ERR, 1)},
            "goEnvFile": {"path": "/home/gopher/.config/go/env", "text": "GOFLAGS=-notaflag\nGOPROXY=off\n"}
        }));
        let f = run(&GO_ENV_FAILED, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0]
            .message
            .contains("go: parsing $GOFLAGS: unknown flag -notaflag"));
        assert!(f[0].message.contains("exited with status 1"));
        assert!(f[0].evidence.iter().any(|e| e.contains("~/.config/go/env")));
        let cmd = f[0]
            .fixes
            .iter()
            .flat_map(|x| &x.actions)
            .find_map(|a| match a {
                Action::RunShell { command, .. } => Some(command.clone()),
                _ => None,
            });
        assert_eq!(
            cmd.as_deref(),
            Some("/usr/lib/go-1.24/bin/go env -u GOFLAGS")
        );
    }

    #[test]
    fn fires_and_fix_removes_var_from_tools_env_vars() {
        let mut s = with_folder_settings(
            "{\n  \"go.toolsEnvVars\": {\"GOFLAGS\": \"-notaflag\"}, // team\n  \"x\": 1\n}",
        );
        s.go.as_mut().unwrap().version =
            serde_json::from_value(run_failed(&[GO_BIN, "version"], GOFLAGS_ERR, 1)).ok();
        let f = run(&GO_ENV_FAILED, &s);
        assert_eq!(f.len(), 1);
        let fix = f[0]
            .fixes
            .iter()
            .find(|x| matches!(x.actions[0], Action::EditFile { .. }))
            .unwrap();
        let out = layer_text(&apply_fix(&s, fix), FOLDER_SETTINGS).to_string();
        assert!(out.contains("// team"));
        assert_eq!(parse_jsonc(&out), json!({"go.toolsEnvVars": {}, "x": 1}));
    }

    #[test]
    fn fires_for_goroot_missing_from_process_env() {
        let s = snapshot(json!({
            "env": {"GOROOT": "/nonexistent/go"},
            "go": {"env": run_failed(&[GO_BIN, "env", "-json"], "go: cannot find GOROOT directory: /nonexistent/go\n", 2)}
        }));
        let f = run(&GO_ENV_FAILED, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0]
            .evidence
            .iter()
            .any(|e| e.contains("GOROOT=/nonexistent/go is set in the environment")));
    }

    #[test]
    fn fires_warning_for_stderr_with_exit_zero_is_a_warning() {
        let s = snapshot(
            json!({"go": {"env": {"argv": [GO_BIN, "env", "-json"], "stdout": "{}", "stderr": "warning: GOPATH set to GOROOT (/home/u/go) has no effect\n", "exitCode": 0}}}),
        );
        let f = run(&GO_ENV_FAILED, &s);
        assert_eq!(f[0].severity, Severity::Warning);
    }

    #[test]
    fn passes_when_clean_and_leaves_timeouts_to_probe_rule() {
        assert!(run(&GO_ENV_FAILED, &snapshot(json!({}))).is_empty());
        let s = snapshot(
            json!({"go": {"env": {"argv": [GO_BIN, "env", "-json"], "timedOut": true, "timeoutMs": 5000}}}),
        );
        assert!(run(&GO_ENV_FAILED, &s).is_empty());
    }
}
