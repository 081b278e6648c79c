use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// In VS Code: whether the Go extension (`golang.go`, or its nightly `golang.go-nightly`) is
    /// installed. Skipped in the headless command, which cannot see extensions.
    ///
    /// ## Why it matters
    /// Without it there is no gopls client, no debugging, no test explorer: the rest of this
    /// report is about a setup nothing uses.
    ///
    /// ## Example
    /// A fresh VS Code with only this extension installed.
    ///
    /// ## Fix
    /// Install `golang.go` (opens the extension in the Extensions view).
    pub GO_EXTENSION_MISSING {
        code: "GSD701",
        name: "go-extension-missing",
        category: Extensions,
        severity: Warning,
        summary: "the Go extension is installed",
        fix: Always,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some(vscode) = cx.snapshot.vscode.as_ref() else {
        out.skip("needs VS Code's extension list (not available to the headless command)");
        return;
    };
    let ids = |id: &str| {
        vscode
            .extensions
            .iter()
            .any(|e| e.id.eq_ignore_ascii_case(id))
    };
    if ids("golang.go") || ids("golang.go-nightly") {
        return;
    }
    let f = out.report("The Go extension is not installed", "The Go extension (golang.go) is not installed: no language server client, debugger or test integration.");
    f.fix(Fix {
        title: "Install the Go extension (golang.go)".into(),
        applicability: Applicability::Safe,
        actions: vec![Action::RunVsCodeCommand {
            command: "workbench.extensions.installExtension".into(),
            args: vec!["golang.go".into()],
        }],
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_without_golang_go() {
        let s = snapshot(
            json!({"vscode": {"version": "1.99.0", "trusted": true, "extensions": [{"id": "ms-python.python", "version": "1", "active": true}]}}),
        );
        let f = run(&GO_EXTENSION_MISSING, &s);
        assert_eq!(f.len(), 1);
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunVsCodeCommand { args, .. } if args == &vec!["golang.go".to_string()])
        );
    }

    #[test]
    fn passes_with_it_and_skips_headless() {
        let s = snapshot(
            json!({"vscode": {"version": "1.99.0", "trusted": true, "extensions": [{"id": "golang.Go", "version": "0.52.0", "active": true}]}}),
        );
        assert!(run(&GO_EXTENSION_MISSING, &s).is_empty());
        assert_eq!(
            run_status(&GO_EXTENSION_MISSING, &snapshot(json!({}))).status,
            crate::CheckStatus::Skipped
        );
    }
}
