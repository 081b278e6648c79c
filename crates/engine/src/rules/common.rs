//! Helpers shared by several rules.

use crate::context::Context;
use crate::protocol::{Action, Applicability, Finding, Fix};
use crate::sink::FindingExt;

/// Trace where the environment variable `var` is set (go.toolsEnvVars in a settings layer, the
/// `go env -w` file, the process environment), add that as evidence, point the finding at the
/// settings key, and offer the fix for each place. Returns whether any origin was found.
pub(crate) fn trace_env_var(cx: &Context<'_>, var: &str, f: &mut Finding) -> bool {
    let mut located = false;
    if let Some((value, layer)) = cx.tools_env_var(var) {
        located = true;
        let doc = layer.doc.as_ref();
        let scope = layer.layer.scope.label();
        f.evidence(format!(
            "{var}={value} is set by go.toolsEnvVars in {scope} settings"
        ));
        f.at(doc.and_then(|d| d.prop("go.toolsEnvVars").map(|p| d.name_location(p))));
        if let Some(edit) = doc.and_then(|d| d.remove(&["go.toolsEnvVars", var])) {
            f.fix(Fix {
                title: format!("Remove {var} from go.toolsEnvVars ({scope} settings)"),
                applicability: Applicability::Unsafe,
                actions: vec![Action::EditFile {
                    uri: layer.layer.uri.clone(),
                    edits: vec![edit],
                }],
            });
        }
    }
    if let Some(file) = cx.snapshot.go_env_file.as_ref() {
        if let Some(line) = file
            .text
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{var}=")))
        {
            located = true;
            f.evidence(format!(
                "`{}` is in the go env file {} (written by `go env -w`)",
                line.trim(),
                cx.tilde(&file.path)
            ));
            let go = cx.go_candidate().map(|c| c.path.as_str()).unwrap_or("go");
            f.fix(Fix {
                title: format!("Remove {var} from the go env file: go env -u {var}"),
                applicability: Applicability::Unsafe,
                actions: vec![Action::RunShell {
                    command: format!("{go} env -u {var}"),
                    cwd: None,
                }],
            });
        }
    }
    if let Some(value) = cx.env(var) {
        located = true;
        f.evidence(format!(
            "{var}={value} is set in the environment VS Code was started with"
        ));
        f.fix(Fix {
            title: format!(
                "Remove the `export {var}=...` line from your shell profile and restart VS Code"
            ),
            applicability: Applicability::DisplayOnly,
            actions: vec![Action::RunShell {
                command: format!("unset {var}"),
                cwd: None,
            }],
        });
    }
    located
}
