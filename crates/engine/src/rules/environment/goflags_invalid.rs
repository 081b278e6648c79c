use crate::context::Context;
use crate::declare_rule;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// The `GOFLAGS` value every go command reads (from `go env`, which merges the environment and the
    /// `go env -w` file): entries that are not flags (`mod=vendor` without the dash) and `-mod` values
    /// Go does not accept. When `go version` / `go env` already failed on GOFLAGS, GSD105 reports the
    /// go command's own words instead (one cause, one finding).
    ///
    /// ## Why it matters
    /// Every go command — builds, tests, gopls's package loading — fails before doing anything:
    /// `go: parsing $GOFLAGS: non-flag "mod=vendor"`, `go: parsing $GOFLAGS: unknown flag -notaflag`,
    /// `-mod=bogus not supported (can be '', 'mod', 'readonly', or 'vendor')` (real outputs of
    /// go1.24.4 in shared/knowledge/go-outputs/goflags-*.txt). `go env` itself still works, so the
    /// value looks fine there.
    ///
    /// ## Example
    /// `go env -w GOFLAGS=mod=vendor`.
    ///
    /// ## Fix
    /// Correct or remove it where it is set: `go env -u GOFLAGS`, the `go.toolsEnvVars` key (edit), or
    /// the shell profile.
    pub GOFLAGS_INVALID {
        code: "GSD503",
        name: "goflags-invalid",
        category: Environment,
        severity: Error,
        summary: "GOFLAGS holds only flags go accepts",
        fix: Sometimes,
        since: "0.1.0",
    }
}

/// What Go would say about this GOFLAGS value, if we can tell statically.
pub(crate) fn static_problem(goflags: &str) -> Option<String> {
    for entry in goflags.split_whitespace() {
        if !entry.starts_with('-') {
            return Some(format!("go: parsing $GOFLAGS: non-flag \"{entry}\""));
        }
        let body = entry.trim_start_matches('-');
        if let Some(v) = body.strip_prefix("mod=") {
            if !matches!(v, "" | "mod" | "readonly" | "vendor") {
                return Some(format!(
                    "-mod={v} not supported (can be '', 'mod', 'readonly', or 'vendor')"
                ));
            }
        }
    }
    None
}

/// Whether `go version` / `go env` already failed on GOFLAGS (then GSD105 reports it).
fn refused_by_go(cx: &Context<'_>) -> bool {
    let Some(go) = cx.snapshot.go.as_ref() else {
        return false;
    };
    [go.version.as_ref(), go.env.as_ref()]
        .into_iter()
        .flatten()
        .any(|r| {
            r.exit_code.is_some_and(|c| c != 0)
                && (r.stderr.contains("$GOFLAGS") || r.stderr.trim_start().starts_with("-mod="))
        })
}

/// The GOFLAGS in effect.
fn goflags(cx: &Context<'_>) -> Option<String> {
    cx.go_env_var("GOFLAGS")
        .map(str::to_string)
        .or_else(|| cx.tools_env_var("GOFLAGS").map(|(v, _)| v))
        .or_else(|| cx.env("GOFLAGS").map(str::to_string))
}

/// Whether an invalid GOFLAGS is reported: by this rule, or by GSD105 in the go command's words.
pub(crate) fn goflags_reported(cx: &Context<'_>) -> bool {
    cx.snapshot.go.is_some()
        && (refused_by_go(cx) || goflags(cx).as_deref().and_then(static_problem).is_some())
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if cx.snapshot.go.is_none() {
        return;
    }
    // When the go command already refused GOFLAGS, GSD105 reports its words (one cause, one finding).
    if refused_by_go(cx) {
        out.skip("the go command refused GOFLAGS: GSD105 go-env-failed reports it in the go command's words");
        return;
    }
    let value = goflags(cx);
    let Some(said) = value.as_deref().and_then(static_problem) else {
        return;
    };
    let f = out.report(
        "GOFLAGS makes every go command fail",
        format!("GOFLAGS is {}. Every go command (builds, tests, gopls loading packages) stops with:\n{said}", value.as_deref().map(|v| format!("\"{v}\"")).unwrap_or_else(|| "set".into())),
    );
    f.evidence(said.clone());
    if !super::super::common::trace_env_var(cx, "GOFLAGS", f) {
        f.evidence(
            "GOFLAGS is not set in the environment, go.toolsEnvVars or the go env file seen here",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Action;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_for_non_flag_from_env_file_with_go_env_u() {
        let s = snapshot(json!({
            "go": {"env": run_ok(&[GO_BIN, "env", "-json"], "{\"GOFLAGS\": \"mod=vendor\"}")},
            "goEnvFile": {"path": "/home/gopher/.config/go/env", "text": "GOFLAGS=mod=vendor\n"}}));
        let f = run(&GOFLAGS_INVALID, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0]
            .message
            .contains("go: parsing $GOFLAGS: non-flag \"mod=vendor\""));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command.ends_with("env -u GOFLAGS"))
        );
    }

    #[test]
    fn passes_when_the_go_command_already_refused_it() {
        // GSD105 reports it with the go command's words.
        let s = snapshot(json!({"env": {"GOFLAGS": "-notaflag"},
            "go": {"version": run_failed(&[GO_BIN, "version"], "go: parsing $GOFLAGS: unknown flag -notaflag\n", 1),
                   "env": run_ok(&[GO_BIN, "env", "-json"], "{\"GOFLAGS\": \"mod=vendor\"}")}}));
        assert!(run(&GOFLAGS_INVALID, &s).is_empty());
        let c = run_status(&GOFLAGS_INVALID, &s);
        assert_eq!(c.status, crate::protocol::CheckStatus::Skipped);
        assert!(c.reason.as_deref().is_some_and(|r| r.contains("GSD105")));
    }

    #[test]
    fn passes_for_valid_goflags() {
        assert!(run(&GOFLAGS_INVALID, &snapshot(json!({"go": {"env": run_ok(&[GO_BIN, "env", "-json"], "{\"GOFLAGS\": \"-mod=mod -trimpath\"}")}}))).is_empty());
        assert_eq!(
            static_problem("-mod=bogus").as_deref(),
            Some("-mod=bogus not supported (can be '', 'mod', 'readonly', or 'vendor')")
        );
    }
}
