use crate::context::Context;
use crate::declare_rule;
use crate::knowledge::go as goknow;
use crate::protocol::{Action, Applicability, Fix};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// That the Go in use is not older than what vscode-go supports: its minimum is the newest
    /// stable Go minor minus 3 (vscode-go `goEnvironmentStatus.ts`; with Go 1.26 the newest
    /// stable release known to this engine, that is Go 1.23). gopls itself only supports the two
    /// newest Go releases at run time.
    ///
    /// ## Why it matters
    /// vscode-go shows `The minimum supported Go version is 1.23.0. Please update your Go to ensure
    /// the extension functions correctly.`; tool installs pin old gopls/dlv versions and new
    /// language features in dependencies stop compiling.
    ///
    /// ## Example
    /// `go version go1.19.8 linux/amd64`.
    ///
    /// ## Fix
    /// Install a current Go from https://go.dev/dl/ (or your package manager).
    pub GO_UNSUPPORTED {
        code: "GSD104",
        name: "go-unsupported",
        category: Toolchain,
        severity: Warning,
        summary: "the Go version is still supported",
        fix: Always,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some(go) = cx.go_version() else { return };
    let min = goknow::vscode_go_minimum_minor();
    if go.version.major != 1 || go.minor() >= min {
        return;
    }
    let f = out.report(
        format!("{} is older than vscode-go supports", go.display()),
        format!(
            "The Go in use is {}. vscode-go supports Go 1.{min} and newer (the newest stable Go known here is 1.{} and the extension supports the last three minors before it); gopls supports only the two newest releases.",
            go.display(),
            goknow::NEWEST_STABLE_MINOR
        ),
    );
    if let Some(c) = cx.go_candidate() {
        f.evidence(format!("go: {} ({})", cx.tilde(&c.path), go.display()));
    }
    f.evidence(format!(
        "source: vscode-go goEnvironmentStatus.ts, golang/tools gopls/doc/index.md (checked {})",
        goknow::CHECKED_ON
    ));
    f.fix(Fix {
        title: "Install a current Go from https://go.dev/dl/".into(),
        applicability: Applicability::DisplayOnly,
        actions: vec![Action::OpenUrl {
            url: "https://go.dev/dl/".into(),
        }],
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_for_go_1_19() {
        let s = snapshot(
            json!({"go": {"version": run_ok(&[GO_BIN, "version"], "go version go1.19.8 linux/amd64\n")}}),
        );
        let f = run(&GO_UNSUPPORTED, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("Go 1.23 and newer"));
        assert!(matches!(&f[0].fixes[0].actions[0], Action::OpenUrl { .. }));
    }

    #[test]
    fn passes_for_current_go() {
        assert!(run(&GO_UNSUPPORTED, &snapshot(json!({}))).is_empty());
    }
}
