use crate::context::Context;
use crate::declare_rule;
use crate::knowledge::tools;
use crate::rules::tools::format_tool_missing::{install_fix, lookup_evidence, switch_fix};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// The binary `go.lintTool` names (`staticcheck`, `golangci-lint`, `golangci-lint-v2`,
    /// `revive`, `golint`) is looked up the way vscode-go does; the rule fires when it is not found
    /// while linting on save is on (`go.lintOnSave` not `off`), and when the value is `golint`.
    ///
    /// ## Why it matters
    /// vscode-go runs that binary on save (`diagnostics/goLint.ts`); when it is missing, no lint
    /// results appear and vscode-go says `The "staticcheck" command is not available. Run "go
    /// install -v honnef.co/go/tools/cmd/staticcheck@latest" to install.` (`goInstallTools.ts`
    /// `promptForMissingTool`); with a Go older than the tool needs it says `You are using go1.19.8,
    /// but golangci-lint-v2 requires at least go1.23.`. golint is deprecated and frozen (golang/lint
    /// README: "tools such as Staticcheck and `go vet` should be used instead"). `golangci-lint-v2`
    /// is installed by vscode-go as a binary named `golangci-lint-v2` (built into a temporary
    /// GOBIN and copied, `goInstallTools.ts`), so a `golangci-lint` v2 on PATH does not count.
    ///
    /// ## Example
    /// ```jsonc
    /// { "go.lintTool": "staticcheck" }   // and no staticcheck in GOBIN, GOPATH/bin or PATH
    /// ```
    ///
    /// ## Fix
    /// Install the tool with the version vscode-go installs for the local Go
    /// (`getImportPathWithVersion`: staticcheck v0.3.3 before go1.19, v0.4.7 before go1.21,
    /// golangci-lint v1.53.3 / v1.55.2 before go1.20 / go1.21), or, for golint, switch
    /// `go.lintTool` to `staticcheck` where it is set.
    pub LINT_TOOL_MISSING {
        code: "GSD206",
        name: "lint-tool-missing",
        category: Tools,
        severity: Warning,
        summary: "the lint tool is installed and maintained",
        fix: Sometimes,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some((value, layer)) = cx.effective("go.lintTool") else {
        return;
    };
    let Some(value) = value.as_str().filter(|v| !v.is_empty()) else {
        return;
    };
    let scope = layer.layer.scope.label();
    let location = layer
        .doc
        .as_ref()
        .and_then(|d| d.prop("go.lintTool").map(|p| d.name_location(p)));
    if let Some((why, instead)) = tools::lint_tool_deprecated(value) {
        let f = out.report(
            format!("go.lintTool is {value}: {why}"),
            format!("go.lintTool is \"{value}\" ({scope} settings). {why}: it gets no fixes and misses checks for current Go; staticcheck covers its checks and more."),
        );
        f.at(location);
        if let Some(path) = cx.tool(value).and_then(|t| t.path.as_deref()) {
            f.evidence(format!("{value} in use: {}", cx.tilde(path)));
        }
        if let Some(fix) = switch_fix("go.lintTool", layer, instead, "") {
            f.fix(fix);
        }
        return;
    }
    let lint_on_save_off = cx
        .effective("go.lintOnSave")
        .is_some_and(|(v, _)| v.as_str() == Some("off"));
    if lint_on_save_off {
        return;
    }
    if let Some(reason) = cx.skipped("tools") {
        out.skip(reason);
        return;
    }
    let Some(tool) = cx.tool(value) else { return };
    if tool.path.is_some() {
        return;
    }
    let f = out.report(
        format!("go.lintTool is {value}, but {value} is not installed"),
        format!("go.lintTool is \"{value}\" ({scope} settings), and no {value} binary was found: linting on save reports nothing. The extension says: The \"{value}\" command is not available."),
    );
    f.at(location);
    for e in lookup_evidence(cx, tool) {
        f.evidence(e);
    }
    let min = tools::info(value).and_then(|i| i.min_go_minor);
    match (min, cx.go_version()) {
        (Some(m), Some(go)) if go.minor() < m => {
            f.evidence(format!(
                "You are using {}, but {value} requires at least go1.{m}.",
                go.display()
            ));
        }
        _ => {
            if let Some(fix) = install_fix(cx, value) {
                f.fix(fix);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Action;
    use crate::testing::*;
    use serde_json::json;

    fn with_lint(settings: &str, tool: serde_json::Value, go: &str) -> crate::Snapshot {
        let mut v = serde_json::to_value(with_folder_settings(settings)).unwrap_or_default();
        let gopls = v["tools"][0].clone();
        v["tools"] = json!([gopls, tool]);
        let out = format!("go version {go} linux/amd64\n");
        v["goCandidates"][0]["version"]["stdout"] = json!(out);
        v["go"]["version"]["stdout"] = json!(out);
        crate::snapshot_from_value(v).unwrap_or_default()
    }

    #[test]
    fn fires_for_missing_staticcheck_pinned_for_go_1_19() {
        let s = with_lint(
            "{\"go.lintTool\": \"staticcheck\"}",
            json!({"name": "staticcheck", "searched": ["/home/gopher/go/bin/staticcheck"]}),
            "go1.19.8",
        );
        let f = run(&LINT_TOOL_MISSING, &s);
        assert_eq!(f.len(), 1);
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. }
            if command == "/usr/lib/go-1.24/bin/go install -v honnef.co/go/tools/cmd/staticcheck@v0.4.7")
        );
    }

    #[test]
    fn fires_for_golangci_lint_v2_with_copy_and_go_too_old() {
        let tool = json!({"name": "golangci-lint-v2", "searched": ["/home/gopher/go/bin/golangci-lint-v2"]});
        let s = with_lint(
            "{\"go.lintTool\": \"golangci-lint-v2\"}",
            tool.clone(),
            "go1.24.4",
        );
        let f = run(&LINT_TOOL_MISSING, &s);
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. }
            if command.contains("install -v github.com/golangci/golangci-lint/v2/cmd/golangci-lint@latest")
               && command.contains("cp \"$tmp/golangci-lint\" /home/gopher/go/bin/golangci-lint-v2")),
            "{:?}",
            f[0].fixes
        );
        let old = with_lint("{\"go.lintTool\": \"golangci-lint-v2\"}", tool, "go1.22.12");
        let f = run(&LINT_TOOL_MISSING, &old);
        assert!(f[0].fixes.is_empty());
        assert!(f[0].evidence.contains(
            &"You are using go1.22.12, but golangci-lint-v2 requires at least go1.23.".to_string()
        ));
    }

    #[test]
    fn fires_for_golint_and_fix_switches_to_staticcheck() {
        let s = with_lint(
            "{\n  \"go.lintTool\": \"golint\", // old\n  \"go.lintOnSave\": \"package\"\n}",
            json!({"name": "golint", "path": "/home/gopher/go/bin/golint", "searched": ["/home/gopher/go/bin/golint"]}),
            "go1.24.4",
        );
        let f = run(&LINT_TOOL_MISSING, &s);
        assert_eq!(f.len(), 1);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        let text = layer_text(&fixed, FOLDER_SETTINGS);
        assert!(text.contains("// old"));
        assert_eq!(
            parse_jsonc(text),
            json!({"go.lintTool": "staticcheck", "go.lintOnSave": "package"})
        );
    }

    #[test]
    fn passes_when_installed_unset_or_lint_on_save_off() {
        let found = json!({"name": "revive", "path": "/home/gopher/go/bin/revive", "searched": ["/home/gopher/go/bin/revive"]});
        assert!(run(
            &LINT_TOOL_MISSING,
            &with_lint("{\"go.lintTool\": \"revive\"}", found, "go1.24.4")
        )
        .is_empty());
        assert!(run(&LINT_TOOL_MISSING, &snapshot(json!({}))).is_empty());
        let missing = json!({"name": "revive", "searched": ["/home/gopher/go/bin/revive"]});
        assert!(run(
            &LINT_TOOL_MISSING,
            &with_lint(
                "{\"go.lintTool\": \"revive\", \"go.lintOnSave\": \"off\"}",
                missing,
                "go1.24.4"
            )
        )
        .is_empty());
    }
}
