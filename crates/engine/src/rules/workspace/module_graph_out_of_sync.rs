use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// For each workspace folder with its own go.mod, the result of
    /// `go list -mod=readonly -m all` run there by the gatherer with `GOPROXY=off` and
    /// `GOTOOLCHAIN=local` (offline, writes no file, runs no other toolchain). It fires when go
    /// refuses because go.mod or go.sum is stale:
    /// - `go: updates to go.mod needed, disabled by -mod=readonly; to update it:` (a requirement
    ///   lower than the module graph selects, a missing `go` line, ...);
    /// - `missing go.sum entry for go.mod file` / `missing go.sum entry for module providing
    ///   package` (go.sum lost lines, e.g. after a merge or a hand edit of go.mod);
    /// - `updates to go.sum needed`.
    ///
    /// Other failures of the run (a module not in the cache while GOPROXY=off, a timeout) are not
    /// staleness and are ignored here.
    ///
    /// ## Why it matters
    /// Since Go 1.16 build commands run with `-mod=readonly` by default (`go help modules`), so
    /// `go build`, `go test` and gopls stop with these errors instead of fixing go.mod/go.sum, and
    /// gopls reports them as `go.sum is out of sync with go.mod` / `Error loading workspace`
    /// (gopls `internal/cache/mod.go`). The texts above are real output of go1.19.8, go1.22.12 and
    /// go1.24.4, recorded by `tests/scenarios/modules.test.ts`.
    ///
    /// ## Example
    /// go.mod requires `example.com/other v1.0.0` while a dependency requires `v1.1.0`:
    /// ```text
    /// go: updates to go.mod needed, disabled by -mod=readonly; to update it:
    /// 	go mod tidy
    /// ```
    ///
    /// ## Fix
    /// `go mod tidy` in the module (adds missing requirements and go.sum lines, drops unused
    /// ones; may download modules, so it needs the network or a filled module cache: review).
    pub MODULE_GRAPH_OUT_OF_SYNC {
        code: "GSD409",
        name: "module-graph-out-of-sync",
        category: Workspace,
        severity: Error,
        summary: "go.mod and go.sum are in sync with the module graph",
        fix: Always,
        since: "0.1.0",
    }
}

/// Stderr lines that say go.mod / go.sum are stale.
const STALE: &[&str] = &[
    "updates to go.mod needed",
    "missing go.sum entry",
    "updates to go.sum needed",
];

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    for folder in &cx.snapshot.workspace.folders {
        let Some(run) = &folder.module_check else {
            continue;
        };
        if run.timed_out || run.spawn_error.is_some() || run.signal.is_some() || run.succeeded() {
            continue;
        }
        let lines: Vec<&str> = run.stderr.lines().collect();
        let Some(first) = lines
            .iter()
            .position(|l| STALE.iter().any(|s| l.contains(s)))
        else {
            continue;
        };
        let what: Vec<&str> = STALE
            .iter()
            .filter(|s| run.stderr.contains(**s))
            .copied()
            .collect();
        let go_mod = folder
            .go_mod
            .as_ref()
            .map(|m| m.path.clone())
            .unwrap_or_else(|| format!("{}/go.mod", folder.path.trim_end_matches('/')));
        let f = out.report(
            "go.mod / go.sum are out of sync",
            format!(
                "{}: go refuses to use the module graph as it is ({}): go build, go test and gopls fail the same way until go.mod and go.sum are updated.",
                cx.tilde(&go_mod),
                what.join(", ")
            ),
        );
        f.evidence(format!(
            "$ {} (in {}, {})",
            run.argv.join(" "),
            cx.tilde(&folder.path),
            run.env_overrides
                .iter()
                .filter(|(k, _)| *k == "GOPROXY" || *k == "GOTOOLCHAIN")
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" ")
        ));
        // The error and its "to update/add it" hint lines, as go printed them.
        for l in lines.iter().skip(first).take(8) {
            f.evidence((*l).to_string());
        }
        if let Some(code) = run.exit_code {
            f.evidence(format!("exit status {code}"));
        }
        let go = cx
            .go_candidate()
            .map(|c| c.path.clone())
            .unwrap_or_else(|| "go".into());
        f.fix(Fix {
            title: "Bring go.mod and go.sum up to date: go mod tidy".to_string(),
            applicability: Applicability::Unsafe,
            actions: vec![Action::RunShell {
                command: format!("{go} mod tidy"),
                cwd: Some(folder.path.clone()),
            }],
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    const ARGV: &[&str] = &[GO_BIN, "list", "-mod=readonly", "-m", "all"];

    fn with_check(run: serde_json::Value) -> crate::Snapshot {
        let mut r = run;
        r["cwd"] = json!("/home/gopher/src/hello");
        r["envOverrides"] = json!({"GOPROXY": "off", "GOTOOLCHAIN": "local"});
        snapshot(
            json!({"workspace": {"folders": [{"uri": "file:///home/gopher/src/hello", "path": "/home/gopher/src/hello",
            "goMod": {"path": "/home/gopher/src/hello/go.mod", "text": "module example.com/app\n\ngo 1.21\n"},
            "goFiles": ["main.go"], "moduleCheck": r}]}}),
        )
    }

    #[test]
    fn fires_for_updates_to_go_mod_needed_with_go_mod_tidy() {
        // go1.22.12, recorded by tests/scenarios/modules.test.ts.
        let s = with_check(run_failed(
            ARGV,
            "go: updates to go.mod needed, disabled by -mod=readonly; to update it:\n\tgo mod tidy\n",
            1,
        ));
        let f = run(&MODULE_GRAPH_OUT_OF_SYNC, &s);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, crate::protocol::Severity::Error);
        assert!(f[0].message.starts_with("~/src/hello/go.mod: go refuses to use the module graph as it is (updates to go.mod needed)"), "{}", f[0].message);
        assert!(f[0].evidence.contains(
            &"go: updates to go.mod needed, disabled by -mod=readonly; to update it:".to_string()
        ));
        assert!(f[0].evidence.contains(&"$ /usr/lib/go-1.24/bin/go list -mod=readonly -m all (in ~/src/hello, GOPROXY=off GOTOOLCHAIN=local)".to_string()), "{:#?}", f[0].evidence);
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, cwd }
            if command == "/usr/lib/go-1.24/bin/go mod tidy" && cwd.as_deref() == Some("/home/gopher/src/hello"))
        );
        // After go mod tidy the check succeeds.
        let fixed = with_check(run_ok(
            ARGV,
            "example.com/app\nexample.com/other v1.1.0 => ../other\n",
        ));
        assert!(run(&MODULE_GRAPH_OUT_OF_SYNC, &fixed).is_empty());
    }

    #[test]
    fn fires_for_missing_go_sum_entries() {
        let s = with_check(run_failed(ARGV, "go: module lookup disabled by GOPROXY=off\ngo: example.com/lib@v1.0.0: missing go.sum entry for go.mod file; to add it:\n\tgo mod download example.com/lib\n", 1));
        let f = run(&MODULE_GRAPH_OUT_OF_SYNC, &s);
        assert!(f[0].message.contains("(missing go.sum entry)"));
        assert_eq!(
            f[0].evidence[1],
            "go: example.com/lib@v1.0.0: missing go.sum entry for go.mod file; to add it:"
        );
    }

    #[test]
    fn passes_when_in_sync_not_run_or_failing_for_other_reasons() {
        assert!(run(&MODULE_GRAPH_OUT_OF_SYNC, &snapshot(json!({}))).is_empty());
        assert!(run(
            &MODULE_GRAPH_OUT_OF_SYNC,
            &with_check(run_ok(ARGV, "example.com/app\n"))
        )
        .is_empty());
        // Not in the module cache and GOPROXY=off: not staleness.
        let s = with_check(run_failed(
            ARGV,
            "go: example.com/lib@v1.0.0: module lookup disabled by GOPROXY=off\n",
            1,
        ));
        assert!(run(&MODULE_GRAPH_OUT_OF_SYNC, &s).is_empty());
        let mut t = run_failed(ARGV, "missing go.sum entry", 1);
        t["timedOut"] = json!(true);
        assert!(run(&MODULE_GRAPH_OUT_OF_SYNC, &with_check(t)).is_empty());
    }
}
