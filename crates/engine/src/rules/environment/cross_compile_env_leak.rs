use crate::context::Context;
use crate::declare_rule;
use crate::protocol::Severity;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// `GOOS` / `GOARCH` (from `go env`) that differ from `GOHOSTOS` / `GOHOSTARCH`: a cross-compile
    /// setting left in the global environment, the `go env -w` file, or `go.toolsEnvVars`.
    ///
    /// ## Why it matters
    /// Tools get installed into `bin/<os>_<arch>` and are then "not available"; programs fail with
    /// `fork/exec …: exec format error`, debugging with `could not launch process: not an
    /// executable file` (golang/go#57693; golang/vscode-go#1332, #1090).
    ///
    /// ## Example
    /// `go env -w GOOS=windows` on Linux.
    ///
    /// ## Fix
    /// `go env -u GOOS GOARCH` / remove from settings or profile; set them per command when
    /// cross-compiling (`GOOS=windows go build`).
    pub CROSS_COMPILE_ENV_LEAK {
        code: "GSD507",
        name: "cross-compile-env-leak",
        category: Environment,
        severity: Error,
        summary: "GOOS/GOARCH match the host",
        fix: Sometimes,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    for (var, host_var) in [("GOOS", "GOHOSTOS"), ("GOARCH", "GOHOSTARCH")] {
        let (Some(v), Some(h)) = (cx.go_env_var(var), cx.go_env_var(host_var)) else {
            continue;
        };
        if v == h {
            continue;
        }
        // Only in go.toolsEnvVars: it applies to the go commands the Go extension runs (gopls,
        // builds, tests, tool installs), not to the terminal.
        let settings_only = cx.tools_env_var(var).is_some()
            && cx.env(var).is_none()
            && !cx.snapshot.go_env_file.as_ref().is_some_and(|file| {
                file.text
                    .lines()
                    .any(|l| l.trim_start().starts_with(&format!("{var}=")))
            });
        let (where_, who) = if settings_only {
            (
                "in go.toolsEnvVars",
                "every go command VS Code's Go extension runs (gopls, builds, tests, tool installs) cross-compiles, while your terminal does not",
            )
        } else {
            ("globally", "every go command cross-compiles")
        };
        let f = out.report(
            format!("{var}={v} is set {where_} (host is {h})"),
            format!("{var} is {v} while the host is {h}: {who}. Tools install into bin/{}_{}, binaries fail with \"exec format error\", the debugger with \"not an executable file\".",
                cx.go_env_var("GOOS").unwrap_or(""), cx.go_env_var("GOARCH").unwrap_or("")),
        );
        f.evidence(format!("go env {var}: {v}"));
        f.evidence(format!("go env {host_var}: {h}"));
        if !super::super::common::trace_env_var(cx, var, f) {
            // Seen in go env but not traced: probably set by the VS Code workspace's go.toolsEnvVars
            // in another folder, or a wrapper script. Still wrong, but we cannot point at it.
            f.severity(Severity::Warning);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Action;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_for_goos_windows_from_env_file() {
        // go-outputs/goos-windows-cross.go1.24.4.go-env-json.txt
        let s = snapshot(json!({
            "go": {"env": run_ok(&[GO_BIN, "env", "-json"], "{\"GOEXE\": \".exe\", \"GOHOSTOS\": \"linux\", \"GOOS\": \"windows\", \"GOARCH\": \"amd64\", \"GOHOSTARCH\": \"amd64\"}")},
            "goEnvFile": {"path": "/home/gopher/.config/go/env", "text": "GOOS=windows\n"}}));
        let f = run(&CROSS_COMPILE_ENV_LEAK, &s);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(f[0].title, "GOOS=windows is set globally (host is linux)");
        assert!(f[0].message.contains(": every go command cross-compiles."));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command.ends_with("env -u GOOS"))
        );
    }

    #[test]
    fn fires_for_goos_windows_in_tools_env_vars_and_says_the_terminal_is_not_affected() {
        // The gatherer runs `go env` with go.toolsEnvVars applied.
        let mut s = with_user_settings("{\n  // cross-compiling once\n  \"go.toolsEnvVars\": { \"GOOS\": \"windows\" },\n  \"editor.tabSize\": 4\n}\n");
        s.go = snapshot(json!({"go": {"env": run_ok(&[GO_BIN, "env", "-json"], "{\"GOEXE\": \".exe\", \"GOHOSTOS\": \"linux\", \"GOOS\": \"windows\", \"GOARCH\": \"amd64\", \"GOHOSTARCH\": \"amd64\"}")}})).go;
        let f = run(&CROSS_COMPILE_ENV_LEAK, &s);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].title,
            "GOOS=windows is set in go.toolsEnvVars (host is linux)"
        );
        assert!(f[0]
            .message
            .contains("every go command VS Code's Go extension runs"));
        assert!(f[0].message.contains("while your terminal does not"));
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        let v = parse_jsonc(layer_text(&fixed, USER_SETTINGS));
        assert_eq!(v["go.toolsEnvVars"], json!({}));
        assert_eq!(v["editor.tabSize"], 4);
    }

    #[test]
    fn passes_for_native_build() {
        assert!(run(&CROSS_COMPILE_ENV_LEAK, &snapshot(json!({}))).is_empty());
    }
}
