//! Helpers shared by several rules.

use crate::context::{Context, Layer};
use crate::protocol::{Action, Applicability, Finding, Fix, Scope, TextEdit};
use crate::sink::FindingExt;

/// Trace where the environment variable `var` is set (go.toolsEnvVars in a settings layer, the
/// `go env -w` file, the process environment), add that as evidence, point the finding at the
/// settings key, and offer the fix for each place. Returns whether any origin was found.
pub(crate) fn trace_env_var(cx: &Context<'_>, var: &str, f: &mut Finding) -> bool {
    let mut located = false;
    if let Some((value, layer)) = cx.tools_env_var(var) {
        located = true;
        let scope = layer.layer.scope.label();
        f.evidence(format!(
            "{var}={value} is set by go.toolsEnvVars in {scope} settings"
        ));
        point_at_and_remove(
            f,
            layer,
            &["go.toolsEnvVars", var],
            format!("Remove {var} from go.toolsEnvVars ({scope} settings)"),
            Applicability::Unsafe,
        );
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
        if cx.snapshot.host.os == "win32" {
            windows_env_fixes(var, f);
            return located;
        }
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

/// Removing an environment variable on Windows, in PowerShell (the integrated terminal's default
/// shell there). A variable VS Code inherits on Windows is normally a persistent user or system
/// variable (registry), so the first fix removes the user variable:
/// `[Environment]::SetEnvironmentVariable(name, $null, 'User')` deletes it from the current user's
/// registry key (learn.microsoft.com/dotnet/api/system.environment.setenvironmentvariable:
/// "Creates, modifies, or deletes an environment variable stored in the current process or in the
/// Windows operating system registry key reserved for the current user or local machine"; a null
/// value deletes). `Remove-Item Env:NAME` deletes it from the current PowerShell session only
/// (learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_environment_variables:
/// changes through the Env: drive affect the current session only).
fn windows_env_fixes(var: &str, f: &mut Finding) {
    f.fix(Fix {
        title: format!(
            "Remove the user environment variable {var} (PowerShell), then quit and restart VS Code; if it is a system variable, remove it as an administrator in System Properties > Environment Variables"
        ),
        applicability: Applicability::DisplayOnly,
        actions: vec![Action::RunShell {
            command: format!("[Environment]::SetEnvironmentVariable('{var}', $null, 'User')"),
            cwd: None,
        }],
    });
    f.fix(Fix {
        title: format!("Remove {var} from the current PowerShell session only"),
        applicability: Applicability::DisplayOnly,
        actions: vec![Action::RunShell {
            command: format!("Remove-Item Env:{var}"),
            cwd: None,
        }],
    });
}

/// Offer `edit` (when the settings document could compute it) as a fix that edits `layer`'s
/// settings file.
pub(crate) fn settings_fix(
    f: &mut Finding,
    layer: &Layer<'_>,
    edit: Option<TextEdit>,
    title: impl Into<String>,
    applicability: Applicability,
) {
    if let Some(edit) = edit {
        f.fix(Fix {
            title: title.into(),
            applicability,
            actions: vec![Action::EditFile {
                uri: layer.layer.uri.clone(),
                edits: vec![edit],
            }],
        });
    }
}

/// Offer setting `path` to `value` in the user settings.json (nothing when there is no user layer
/// or its text does not parse).
pub(crate) fn set_in_user_settings(
    cx: &Context<'_>,
    f: &mut Finding,
    path: &[&str],
    value: &serde_json::Value,
    title: impl Into<String>,
    applicability: Applicability,
) {
    let Some(user) = cx.layers.iter().find(|l| l.layer.scope == Scope::User) else {
        return;
    };
    let edit = user.doc.as_ref().and_then(|d| d.set(path, value));
    settings_fix(f, user, edit, title, applicability);
}

/// Point the finding at the top-level key of `path` in `layer` and offer removing `path` there.
pub(crate) fn point_at_and_remove(
    f: &mut Finding,
    layer: &Layer<'_>,
    path: &[&str],
    title: impl Into<String>,
    applicability: Applicability,
) {
    let doc = layer.doc.as_ref();
    f.at(doc.and_then(|d| {
        path.first()
            .and_then(|key| d.prop(key))
            .map(|p| d.name_location(p))
    }));
    settings_fix(
        f,
        layer,
        doc.and_then(|d| d.remove(path)),
        title,
        applicability,
    );
}

/// The fix that installs gopls `version` with the go VS Code uses:
/// `<go> install golang.org/x/tools/gopls@<version>` (what vscode-go's "Go: Install/Update Tools"
/// runs). `None` when no go was found to run it.
pub(crate) fn install_gopls(cx: &Context<'_>, version: &str, title: String) -> Option<Fix> {
    let go = cx.go_candidate()?;
    Some(Fix {
        title,
        applicability: Applicability::Unsafe,
        actions: vec![Action::RunShell {
            command: format!("{} install golang.org/x/tools/gopls@{version}", go.path),
            cwd: None,
        }],
    })
}
