use crate::context::Context;
use crate::declare_rule;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Module-privacy variables that cannot do what they are meant to: entries of `GOPRIVATE`,
    /// `GONOPROXY`, `GONOSUMDB` or `GOINSECURE` written as URLs (`https://git.corp.com/...`) — they are
    /// glob patterns of module path prefixes (`go help private`), so a URL never matches — and
    /// `GOINSECURE` hosts that the checksum database is still asked about (not covered by
    /// `GONOSUMDB`/`GOPRIVATE`).
    ///
    /// ## Why it matters
    /// The private modules still go through the public proxy and checksum database: `410 Gone`,
    /// `verifying module: ... reading https://sum.golang.org/lookup/...: 404 Not Found`, or endless
    /// git credential prompts (golang/go#39569, #38383; golang/vscode-go#297).
    ///
    /// ## Example
    /// `GOPRIVATE=https://git.corp.example.com/team`.
    ///
    /// ## Fix
    /// Write module path patterns: `GOPRIVATE=git.corp.example.com/team` (where the variable is set).
    pub PROXY_SETTINGS {
        code: "GSD502",
        name: "proxy-settings",
        category: Environment,
        severity: Warning,
        summary: "GOPRIVATE and friends are module path patterns",
        fix: Sometimes,
        since: "0.1.0",
    }
}

const PATTERN_VARS: &[&str] = &["GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOINSECURE"];

fn value(cx: &Context<'_>, var: &str) -> Option<String> {
    cx.go_env_var(var)
        .map(str::to_string)
        .or_else(|| cx.tools_env_var(var).map(|(v, _)| v))
        .or_else(|| cx.env(var).map(str::to_string))
        .filter(|v| !v.is_empty())
}

/// Whether some pattern in `patterns` covers the host of `insecure` (GOINSECURE entries are
/// host/path globs; checksum lookups are skipped per module path, so the host is what matters).
fn host_covered(patterns: &str, insecure: &str) -> bool {
    let host = insecure.split('/').next().unwrap_or(insecure);
    patterns
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .any(|p| {
            let ph = p.split('/').next().unwrap_or(p);
            ph == host
                || ph == "*"
                || ph
                    .strip_prefix("*.")
                    .is_some_and(|suffix| host.ends_with(&format!(".{suffix}")) || host == suffix)
        })
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    for var in PATTERN_VARS {
        let Some(v) = value(cx, var) else { continue };
        let urls: Vec<&str> = v
            .split(',')
            .map(str::trim)
            .filter(|p| p.contains("://"))
            .collect();
        if urls.is_empty() {
            continue;
        }
        let cleaned: Vec<String> = v
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                let rest = p.split_once("://").map(|(_, r)| r).unwrap_or(p);
                let rest = rest.rsplit_once('@').map(|(_, h)| h).unwrap_or(rest);
                rest.trim_end_matches('/').to_string()
            })
            .collect();
        let f = out.report(
            format!("{var} contains URLs, not module path patterns"),
            format!("{var} has {} written as a URL; Go matches module paths like `git.corp.example.com/team`, so these entries never match. Use {var}={}.", urls.len(), cleaned.join(",")),
        );
        f.evidence(format!(
            "{var}: {} URL-style entr{}",
            urls.len(),
            if urls.len() == 1 { "y" } else { "ies" }
        ));
        super::super::common::trace_env_var(cx, var, f);
    }
    if let Some(insecure) = value(cx, "GOINSECURE") {
        let nosum = [value(cx, "GONOSUMDB"), value(cx, "GOPRIVATE")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(",");
        let uncovered: Vec<&str> = insecure
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty() && !p.contains("://") && !host_covered(&nosum, p))
            .collect();
        if !uncovered.is_empty() && cx.go_env_var("GOSUMDB") != Some("off") {
            let f = out.report(
                "GOINSECURE hosts are still checked against the checksum database",
                format!("GOINSECURE lets Go fetch {} without TLS, but they are not in GONOSUMDB or GOPRIVATE: Go still asks the public checksum database about them, which fails for private modules. Add them to GOPRIVATE (or GONOSUMDB).", uncovered.join(", ")),
            );
            f.evidence(format!("GOINSECURE={insecure}"));
            f.evidence(format!(
                "GONOSUMDB/GOPRIVATE={}",
                if nosum.is_empty() { "(unset)" } else { &nosum }
            ));
            super::super::common::trace_env_var(cx, "GOINSECURE", f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_for_url_in_goprivate_from_tools_env_vars() {
        let s = with_folder_settings(
            "{\"go.toolsEnvVars\": {\"GOPRIVATE\": \"https://git.corp.example.com/team/\"}}",
        );
        let f = run(&PROXY_SETTINGS, &s);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message
                .contains("Use GOPRIVATE=git.corp.example.com/team."),
            "{}",
            f[0].message
        );
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        assert_eq!(
            parse_jsonc(layer_text(&fixed, FOLDER_SETTINGS)),
            json!({"go.toolsEnvVars": {}})
        );
    }

    #[test]
    fn fires_for_goinsecure_without_gonosumdb() {
        let f = run(
            &PROXY_SETTINGS,
            &snapshot(json!({"env": {"GOINSECURE": "git.corp.example.com"}})),
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].title.contains("checksum database"));
    }

    #[test]
    fn passes_for_patterns_and_covered_insecure() {
        assert!(run(&PROXY_SETTINGS, &snapshot(json!({"env": {"GOPRIVATE": "git.corp.example.com/*,*.internal", "GOINSECURE": "git.corp.example.com"}}))).is_empty());
    }
}
