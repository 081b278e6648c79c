use crate::context::Context;
use crate::declare_rule;
use crate::goversion::parse_module_version;
use crate::knowledge::gopls;
use crate::rules::common::install_gopls;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// How far the installed gopls is behind the newest release known to the engine
    /// (`knowledge::gopls::NEWEST_KNOWN`, v0.23.0 of 2026-07-07): more than three minor releases.
    /// Only when the local Go can build a newer gopls (otherwise GSD202 says what to install).
    ///
    /// ## Why it matters
    /// Old gopls releases miss fixes for newer Go language features and crash reports go
    /// unanswered ("you are using an outdated version", vscode-go `goInstallTools.ts`).
    ///
    /// ## Example
    /// gopls v0.16.1 with go1.24.4.
    ///
    /// ## Fix
    /// `go install golang.org/x/tools/gopls@<newest version that the local Go can build>`.
    pub GOPLS_OUTDATED {
        code: "GSD203",
        name: "gopls-outdated",
        category: Tools,
        severity: Info,
        summary: "gopls is reasonably current",
        fix: Always,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some(tool) = cx.tool("gopls") else { return };
    let Some(path) = tool.path.as_deref() else {
        return;
    };
    let Some(version) = cx.gopls_version() else {
        return;
    };
    let Some(newest) = parse_module_version(gopls::NEWEST_KNOWN) else {
        return;
    };
    if version.major != 0 || version.minor + 3 >= newest.minor {
        return;
    }
    let Some(go) = cx.go_version() else { return };
    let target = gopls::install_version_for(go.minor());
    if parse_module_version(target).is_none_or(|t| t <= version) {
        return;
    }
    if cx.go_candidate().is_none() {
        return; // no go to install it with: GSD101's
    }
    let f = out.report(
        format!("gopls v{version} is {} releases behind", newest.minor - version.minor),
        format!("gopls v{version} is installed; the newest release known is {} ({}). {} can build {target}.", gopls::NEWEST_KNOWN, gopls::CHECKED_ON, go.display()),
    );
    f.evidence(format!("gopls: {} (v{version})", cx.tilde(path)));
    if let Some(fix) = install_gopls(cx, target, format!("Update gopls to {target}")) {
        f.fix(fix);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_for_old_gopls_with_new_go() {
        let mut s = snapshot(json!({}));
        s.tools[0].version.as_mut().unwrap().stdout = "{\"Version\": \"v0.16.1\"}".into();
        let f = run(&GOPLS_OUTDATED, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0].fixes[0].title.contains("v0.20.0"));
    }

    #[test]
    fn passes_when_current_or_go_cannot_build_newer() {
        assert!(run(&GOPLS_OUTDATED, &snapshot(json!({}))).is_empty());
        let mut s = snapshot(
            json!({"go": {"version": run_ok(&[GO_BIN, "version"], "go version go1.19.8 linux/amd64\n")}}),
        );
        s.tools[0].version.as_mut().unwrap().stdout = "{\"Version\": \"v0.15.3\"}".into();
        assert!(run(&GOPLS_OUTDATED, &s).is_empty());
    }
}
