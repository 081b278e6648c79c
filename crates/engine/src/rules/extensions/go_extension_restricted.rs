use crate::context::Context;
use crate::declare_rule;
use crate::goversion::parse_module_version;
use crate::protocol::{Action, Applicability, Fix};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// An untrusted workspace (Restricted Mode) with vscode-go v0.52.0 or newer installed: since
    /// v0.52.0 the Go extension declares `untrustedWorkspaces.supported: false` and is disabled
    /// entirely in Restricted Mode (CVE-2025-68120, GO-2025-4249; vscode-go package.json
    /// `capabilities` by tag, shared/knowledge/GO-FACTS.md §1d).
    ///
    /// ## Why it matters
    /// Nothing Go-related works and nothing says why, except the shield in the status bar.
    ///
    /// ## Example
    /// A freshly cloned repository opened without trusting it.
    ///
    /// ## Fix
    /// Trust the folder if you trust its settings (`workbench.trust.manage`); review its
    /// `.vscode/settings.json` first: settings like `go.buildFlags: ["-toolexec=..."]` run code.
    pub GO_EXTENSION_RESTRICTED {
        code: "GSD703",
        name: "go-extension-restricted",
        category: Extensions,
        severity: Info,
        summary: "the Go extension is not disabled by Restricted Mode",
        fix: Always,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some(vscode) = cx.snapshot.vscode.as_ref() else {
        out.skip("needs VS Code's trust state (not available to the headless command)");
        return;
    };
    if vscode.trusted {
        return;
    }
    let Some(go) = vscode
        .extensions
        .iter()
        .find(|e| e.id.eq_ignore_ascii_case("golang.go"))
    else {
        return;
    };
    let Some(v) = parse_module_version(&format!("v{}", go.version.trim_start_matches('v'))) else {
        return;
    };
    if v < semver::Version::new(0, 52, 0) {
        return;
    }
    let f = out.report(
        "The Go extension is disabled in Restricted Mode",
        format!("This workspace is not trusted, and golang.go {} (v0.52.0 and newer) does not run at all in Restricted Mode: no gopls, no debugging.", go.version),
    );
    f.evidence("vscode.workspace.isTrusted: false");
    f.evidence(format!("golang.go {}", go.version));
    f.fix(Fix {
        title: "Manage Workspace Trust (review .vscode/settings.json first)".into(),
        applicability: Applicability::Safe,
        actions: vec![Action::RunVsCodeCommand {
            command: "workbench.trust.manage".into(),
            args: vec![],
        }],
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_when_untrusted_with_new_extension() {
        let s = snapshot(
            json!({"vscode": {"version": "1.99.0", "trusted": false, "extensions": [{"id": "golang.go", "version": "0.52.1", "active": false}]}}),
        );
        let f = run(&GO_EXTENSION_RESTRICTED, &s);
        assert_eq!(f.len(), 1);
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunVsCodeCommand { command, .. } if command == "workbench.trust.manage")
        );
    }

    #[test]
    fn passes_when_trusted_or_old_extension() {
        let s = snapshot(
            json!({"vscode": {"version": "1.99.0", "trusted": true, "extensions": [{"id": "golang.go", "version": "0.52.1", "active": true}]}}),
        );
        assert!(run(&GO_EXTENSION_RESTRICTED, &s).is_empty());
        let s = snapshot(
            json!({"vscode": {"version": "1.99.0", "trusted": false, "extensions": [{"id": "golang.go", "version": "0.51.0", "active": true}]}}),
        );
        assert!(run(&GO_EXTENSION_RESTRICTED, &s).is_empty());
    }
}
