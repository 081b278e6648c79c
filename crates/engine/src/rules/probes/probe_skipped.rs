use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Probes the gatherer deliberately did not run, with its reason: above all, in an untrusted
    /// workspace (Restricted Mode), any binary chosen by workspace-level settings
    /// (`go.alternateTools.*`, `go.goroot`, `go.toolsEnvVars`, `go.toolsGopath`) is never executed.
    ///
    /// ## Why it matters
    /// A report that silently leaves checks out would read as "all fine". Each skipped probe is
    /// listed with what was not looked at and why, so the picture is honest: "go.alternateTools.go
    /// from the folder settings was not run: the workspace is not trusted".
    ///
    /// ## Example
    /// An untrusted folder whose `.vscode/settings.json` sets `go.alternateTools.go` to a script.
    ///
    /// ## Fix
    /// When the reason is Workspace Trust: review the folder's settings, then trust it
    /// (`workbench.trust.manage`) if you want those settings used.
    pub PROBE_SKIPPED {
        code: "GSD902",
        name: "probe-skipped",
        category: Probes,
        severity: Info,
        summary: "every probe was run",
        fix: Sometimes,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let untrusted = cx.snapshot.vscode.as_ref().is_some_and(|v| !v.trusted);
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for p in &cx.snapshot.skipped_probes {
        if seen.contains(&(p.probe.as_str(), p.reason.as_str())) {
            continue;
        }
        seen.push((p.probe.as_str(), p.reason.as_str()));
        let f = out.report(format!("Not run: {}", p.probe), p.reason.clone());
        f.evidence(format!("probe: {}", p.probe));
        if untrusted && p.reason.contains("not trusted") {
            f.fix(Fix {
                title: "Review the workspace settings, then manage Workspace Trust".into(),
                applicability: Applicability::Safe,
                actions: vec![Action::RunVsCodeCommand {
                    command: "workbench.trust.manage".into(),
                    args: vec![],
                }],
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_per_skipped_probe_with_trust_fix() {
        let s = snapshot(json!({
        "vscode": {"version": "1.100.3", "trusted": false, "extensions": []},
        "skippedProbes": [
            {"probe": "go.alternateTools.go", "reason": "Workspace is not trusted: ignored go.alternateTools.go = \"/tmp/trap\" from the folder settings."},
            {"probe": "go.alternateTools.go", "reason": "Workspace is not trusted: ignored go.alternateTools.go = \"/tmp/trap\" from the folder settings."}
        ]}));
        let f = run(&PROBE_SKIPPED, &s);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].title, "Not run: go.alternateTools.go");
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunVsCodeCommand { command, .. } if command == "workbench.trust.manage")
        );
    }

    #[test]
    fn passes_when_everything_ran() {
        assert!(run(&PROBE_SKIPPED, &snapshot(json!({}))).is_empty());
    }
}
