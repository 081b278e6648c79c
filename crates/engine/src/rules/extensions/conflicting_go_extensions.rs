use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Whether `golang.go` is installed together with another Go language client: its nightly
    /// build `golang.go-nightly`, or the old Microsoft `ms-vscode.go` (the same extension before the
    /// Go team took it over).
    ///
    /// ## Why it matters
    /// Two clients start two gopls processes on the same files: duplicate diagnostics, duplicate
    /// completions, formatting that fights itself (the vscode-go README asks to keep only one;
    /// microsoft/vscode#163616 shows both `go` and `go-nightly` installed in a failing setup).
    ///
    /// ## Example
    /// Extensions: golang.go 0.35.2 and golang.go-nightly 2022.9.1320.
    ///
    /// ## Fix
    /// Disable or uninstall one of them (opens the Extensions view on it).
    pub CONFLICTING_GO_EXTENSIONS {
        code: "GSD702",
        name: "conflicting-go-extensions",
        category: Extensions,
        severity: Warning,
        summary: "only one Go language client is installed",
        fix: Always,
        since: "0.1.0",
    }
}

const OTHERS: &[&str] = &["golang.go-nightly", "ms-vscode.go", "lukehoban.go"];

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some(vscode) = cx.snapshot.vscode.as_ref() else {
        out.skip("needs VS Code's extension list (not available to the headless command)");
        return;
    };
    let found: Vec<&crate::ExtensionInfo> = vscode
        .extensions
        .iter()
        .filter(|e| {
            e.id.eq_ignore_ascii_case("golang.go")
                || OTHERS.iter().any(|o| e.id.eq_ignore_ascii_case(o))
        })
        .collect();
    if found.len() < 2 {
        return;
    }
    let names: Vec<String> = found
        .iter()
        .map(|e| format!("{} {}", e.id, e.version))
        .collect();
    let f = out.report(
        "Several Go extensions are installed",
        format!("{} are all installed. Each starts its own gopls: diagnostics and completions appear twice and formatting fights itself.", names.join(", ")),
    );
    for e in &found {
        f.evidence(format!(
            "{} {} ({})",
            e.id,
            e.version,
            if e.active { "active" } else { "inactive" }
        ));
    }
    if let Some(other) = found
        .iter()
        .find(|e| !e.id.eq_ignore_ascii_case("golang.go"))
    {
        f.fix(Fix {
            title: format!("Show {} in the Extensions view to disable it", other.id),
            applicability: Applicability::Safe,
            actions: vec![Action::RunVsCodeCommand {
                command: "workbench.extensions.search".into(),
                args: vec![format!("@installed {}", other.id)],
            }],
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_for_stable_and_nightly() {
        let s = snapshot(
            json!({"vscode": {"version": "1.72.1", "trusted": true, "extensions": [
            {"id": "golang.go", "version": "0.35.2", "active": true}, {"id": "golang.go-nightly", "version": "2022.9.1320", "active": true}]}}),
        );
        let f = run(&CONFLICTING_GO_EXTENSIONS, &s);
        assert_eq!(f.len(), 1);
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunVsCodeCommand { args, .. } if args[0].contains("golang.go-nightly"))
        );
    }

    #[test]
    fn passes_with_one() {
        let s = snapshot(
            json!({"vscode": {"version": "1.99.0", "trusted": true, "extensions": [{"id": "golang.go", "version": "0.52.0", "active": true}]}}),
        );
        assert!(run(&CONFLICTING_GO_EXTENSIONS, &s).is_empty());
    }
}
