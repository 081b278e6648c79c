use crate::context::Context;
use crate::declare_rule;
use crate::rules::workspace::gopath_mode::reports_module_mode_off;
use crate::sink::Sink;

declare_rule! {
    /// ## What it checks
    /// `GO111MODULE` set to `off` or `auto` anywhere: the process environment, `go.toolsEnvVars`, or
    /// the `go env -w` file. This rule is about the variable, wherever it is set; when `off` breaks
    /// a workspace folder (a go.mod ignored, a folder outside GOPATH), GSD404 gopath-mode reports
    /// that, with the same fix, and this check is shown as skipped, pointing at it: one cause, one
    /// finding.
    ///
    /// ## Why it matters
    /// Modules are the default since Go 1.16. `off` puts every tool into GOPATH mode: gopls says
    /// `You are outside of a module and outside of $GOPATH/src` or cannot find dependencies
    /// (golang/go#54193); `auto` flips behaviour with the directory. Leftovers from 2019 tutorials.
    ///
    /// ## Example
    /// `export GO111MODULE=auto` in `~/.bashrc`.
    ///
    /// ## Fix
    /// Remove it where it is set (settings edit, `go env -u GO111MODULE`, or the profile line).
    pub GO111MODULE_LEGACY {
        code: "GSD501",
        name: "go111module-legacy",
        category: Environment,
        severity: Warning,
        summary: "GO111MODULE is not off/auto",
        fix: Sometimes,
        since: "0.1.0",
    }
}

/// `off` or `auto` when that is the GO111MODULE in effect (then this rule or GSD404 reports it).
pub(crate) fn leftover_value(cx: &Context<'_>) -> Option<String> {
    cx.go_env_var("GO111MODULE")
        .map(str::to_string)
        .or_else(|| cx.tools_env_var("GO111MODULE").map(|(v, _)| v))
        .or_else(|| cx.env("GO111MODULE").map(str::to_string))
        .filter(|v| v == "off" || v == "auto")
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some(value) = leftover_value(cx) else {
        return;
    };
    if value == "off" && reports_module_mode_off(cx) {
        out.skip("GO111MODULE=off breaks this workspace: GSD404 gopath-mode reports it, with the same fix");
        return;
    }
    let f = out.report(
        format!("GO111MODULE={value} is set"),
        format!(
            "GO111MODULE={value} {}. Modules are the default since Go 1.16; the variable is a leftover.",
            if value == "off" { "turns module mode off: gopls and go commands ignore go.mod and use GOPATH" } else { "makes module mode depend on the directory" }
        ),
    );
    super::super::common::trace_env_var(cx, "GO111MODULE", f);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Action;
    use crate::testing::*;
    use serde_json::json;

    /// Classic GOPATH code (no go.mod, under GOPATH/src): GO111MODULE=off does not break it, so
    /// GSD404 stays quiet and the variable is this rule's.
    fn gopath_code() -> serde_json::Value {
        json!({"folders": [{"uri": "file:///home/gopher/go/src/example.com/hello",
            "path": "/home/gopher/go/src/example.com/hello", "goFiles": ["main.go"], "filesVisited": 1}]})
    }

    #[test]
    fn fires_for_env_file_and_offers_go_env_u() {
        let s = snapshot(json!({
            "go": {"env": run_ok(&[GO_BIN, "env", "-json"], "{\"GO111MODULE\": \"off\", \"GOPATH\": \"/home/gopher/go\"}")},
            "goEnvFile": {"path": "/home/gopher/.config/go/env", "text": "GO111MODULE=off\n"},
            "workspace": gopath_code()}));
        let f = run(&GO111MODULE_LEGACY, &s);
        assert_eq!(f.len(), 1);
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command.ends_with("env -u GO111MODULE"))
        );
    }

    #[test]
    fn fires_for_tools_env_vars_with_edit() {
        let s = with_folder_settings(
            "{\"go.toolsEnvVars\": {\"GO111MODULE\": \"auto\", \"GOFLAGS\": \"-mod=mod\"}}",
        );
        let f = run(&GO111MODULE_LEGACY, &s);
        assert_eq!(f.len(), 1);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        assert_eq!(
            parse_jsonc(layer_text(&fixed, FOLDER_SETTINGS)),
            json!({"go.toolsEnvVars": {"GOFLAGS": "-mod=mod"}})
        );
    }

    fn shell_commands(f: &crate::protocol::Finding) -> Vec<String> {
        f.fixes
            .iter()
            .flat_map(|x| &x.actions)
            .filter_map(|a| match a {
                Action::RunShell { command, .. } => Some(command.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn fires_for_the_process_env_with_the_unset_line_on_unix() {
        let s = snapshot(json!({"env": {"GO111MODULE": "auto"}}));
        let f = run(&GO111MODULE_LEGACY, &s);
        assert_eq!(f.len(), 1);
        assert_eq!(shell_commands(&f[0]), ["unset GO111MODULE"]);
    }

    #[test]
    fn fires_for_the_process_env_with_powershell_commands_on_windows() {
        // A user environment variable (System Properties > Environment Variables) on Windows:
        // no `unset` there; the persistent user variable and the current session, in PowerShell.
        let s = snapshot(
            json!({"host": {"os": "win32"}, "env": {"GO111MODULE": "off"}, "workspace": gopath_code()}),
        );
        let f = run(&GO111MODULE_LEGACY, &s);
        assert_eq!(f.len(), 1);
        assert_eq!(
            shell_commands(&f[0]),
            [
                "[Environment]::SetEnvironmentVariable('GO111MODULE', $null, 'User')",
                "Remove-Item Env:GO111MODULE"
            ]
        );
        assert!(f[0].fixes[0].title.contains("restart VS Code"));
        assert!(f[0].fixes[0].title.contains("system variable"));
        assert!(f[0].fixes[1]
            .title
            .contains("current PowerShell session only"));
        assert!(f[0]
            .fixes
            .iter()
            .all(|x| x.applicability == crate::protocol::Applicability::DisplayOnly));
        // Removed (VS Code restarted without it): no finding.
        let mut after = s;
        after.env.remove("GO111MODULE");
        assert!(run(&GO111MODULE_LEGACY, &after).is_empty());
    }

    #[test]
    fn steps_aside_for_gsd404_when_off_breaks_a_module() {
        // The healthy snapshot's folder is a module: GO111MODULE=off makes its go.mod ignored.
        // GSD404 reports that, with the same `go env -u` fix; this check says so instead of a
        // second finding for one cause.
        let s = snapshot(json!({
            "go": {"env": run_ok(&[GO_BIN, "env", "-json"], "{\"GO111MODULE\": \"off\", \"GOPATH\": \"/home/gopher/go\"}")},
            "goEnvFile": {"path": "/home/gopher/.config/go/env", "text": "GO111MODULE=off\n"}}));
        assert!(run(&GO111MODULE_LEGACY, &s).is_empty());
        let check = run_status(&GO111MODULE_LEGACY, &s);
        assert_eq!(check.status, crate::protocol::CheckStatus::Skipped);
        assert!(
            check
                .reason
                .as_deref()
                .is_some_and(|r| r.contains("GSD404")),
            "{:?}",
            check.reason
        );
        let gsd404 = run(&crate::rules::workspace::gopath_mode::GOPATH_MODE, &s);
        assert_eq!(gsd404.len(), 1);
        assert!(shell_commands(&gsd404[0])
            .iter()
            .any(|c| c.ends_with("env -u GO111MODULE")));
        // `auto` does not break a module: still this rule's.
        let auto = snapshot(json!({"env": {"GO111MODULE": "auto"}}));
        assert_eq!(run(&GO111MODULE_LEGACY, &auto).len(), 1);
    }

    #[test]
    fn passes_when_unset_or_on() {
        assert!(run(&GO111MODULE_LEGACY, &snapshot(json!({}))).is_empty());
        assert!(run(
            &GO111MODULE_LEGACY,
            &snapshot(json!({"env": {"GO111MODULE": "on"}}))
        )
        .is_empty());
    }
}
