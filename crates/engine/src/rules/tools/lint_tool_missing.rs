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
    /// For golangci-lint it also compares the major version vscode-go runs with the folder's
    /// `.golangci.*` config: vscode-go passes v2 flags for `golangci-lint-v2` and for a
    /// `golangci-lint` whose `go version -m` module version is not v1, v1 flags otherwise
    /// (`diagnostics/goLint.ts`), while a v2 config starts with `version: "2"`.
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
    /// A v1 binary with a v2 config fails with `Error: you are using a configuration file for
    /// golangci-lint v2 with golangci-lint v1: please use golangci-lint v2`; a v2 binary with a
    /// v1 config with `Error: can't load config: unsupported version of the configuration: ""
    /// See https://golangci-lint.run/product/migration-guide for migration instructions`
    /// (rancher/security-scan#450) — either way lint on save shows nothing.
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
    /// `go.lintTool` to `staticcheck` where it is set. golangci-lint v1 with a v2 config: switch
    /// `go.lintTool` to `golangci-lint-v2` (and install it); v2 with a v1 config: `golangci-lint
    /// migrate` in that folder (v2's own converter; it drops comments, so review the result).
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
    if let Some(path) = tool.path.as_deref() {
        if value.starts_with("golangci-lint") {
            check_golangci_config(cx, out, value, path, layer);
        }
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

/// The major golangci-lint version vscode-go assumes for this lintTool and binary
/// (`diagnostics/goLint.ts`: `golangci-lint-v2` is 2; else the `go version -m` module version,
/// none or `v1…` is 1, anything else 2).
fn golangci_major(cx: &Context<'_>, value: &str, path: &str) -> u64 {
    if value == "golangci-lint-v2" {
        return 2;
    }
    match cx
        .build_info(path)
        .and_then(|b| b.module_version.as_deref())
    {
        Some(v) if !v.starts_with("v1") => 2,
        _ => 1,
    }
}

/// `2` when the config declares `version: "2"` (YAML), `version = "2"` (TOML) or `"version": "2"`
/// (JSON) at top level; v1 configs have no `version` key.
fn config_major(text: &str) -> u64 {
    if let Ok(serde_json::Value::Object(o)) = serde_json::from_str::<serde_json::Value>(text) {
        let v = match o.get("version") {
            Some(serde_json::Value::String(s)) => s.split('.').next().and_then(|n| n.parse().ok()),
            Some(serde_json::Value::Number(n)) => n.as_u64(),
            _ => None,
        };
        return v.unwrap_or(1);
    }
    for line in text.lines() {
        if line.starts_with(' ') || line.starts_with('\t') {
            continue;
        }
        let l = line.trim().trim_start_matches('{').trim();
        let Some(rest) = l
            .strip_prefix("version")
            .or_else(|| l.strip_prefix("\"version\""))
        else {
            continue;
        };
        let v = rest
            .trim_start()
            .trim_start_matches([':', '='])
            .trim()
            .trim_end_matches(',')
            .trim_matches(['"', '\'', ' ']);
        if let Some(n) = v.split('.').next().and_then(|n| n.parse::<u64>().ok()) {
            return n;
        }
    }
    1
}

fn check_golangci_config(
    cx: &Context<'_>,
    out: &mut Sink,
    value: &str,
    path: &str,
    layer: &crate::context::Layer<'_>,
) {
    let binary = golangci_major(cx, value, path);
    for folder in &cx.snapshot.workspace.folders {
        let Some(config) = folder.golangci_config.as_ref() else {
            continue;
        };
        let wanted = config_major(&config.text);
        if wanted == binary {
            continue;
        }
        let (error, title) = if wanted == 2 {
            (
                "Error: you are using a configuration file for golangci-lint v2 with golangci-lint v1: please use golangci-lint v2".to_string(),
                format!("{} is v2 but go.lintTool runs golangci-lint v1", cx.tilde(&config.path)),
            )
        } else {
            (
                "Error: can't load config: unsupported version of the configuration: \"\" See https://golangci-lint.run/product/migration-guide for migration instructions".to_string(),
                format!("{} is a v1 config but go.lintTool runs golangci-lint v2", cx.tilde(&config.path)),
            )
        };
        let f = out.report(
            title,
            format!(
                "go.lintTool \"{value}\" runs {} as golangci-lint v{binary}, and {} is written for v{wanted}: every lint run stops with `{error}`, so no lint results appear.",
                cx.tilde(path),
                cx.tilde(&config.path)
            ),
        );
        f.evidence(format!(
            "{}: {}",
            cx.tilde(&config.path),
            if wanted == 2 {
                "version: \"2\""
            } else {
                "no version key (v1 format)"
            }
        ));
        if let Some(info) = cx.build_info(path) {
            f.evidence(format!(
                "go version -m {}: {} {}",
                cx.tilde(path),
                info.module_path.as_deref().unwrap_or("?"),
                info.module_version
                    .as_deref()
                    .unwrap_or("(no module version)")
            ));
        }
        if wanted == 2 {
            if let Some(fix) = switch_fix(
                "go.lintTool",
                layer,
                "golangci-lint-v2",
                " (the Go extension runs it with v2 flags)",
            ) {
                f.fix(fix);
            }
            if cx
                .tool("golangci-lint-v2")
                .and_then(|t| t.path.as_ref())
                .is_none()
            {
                if let Some(fix) = install_fix(cx, "golangci-lint-v2") {
                    f.fix(fix);
                }
            }
        } else {
            f.fix(crate::protocol::Fix {
                title: format!(
                    "Convert {} to the v2 format (golangci-lint migrate; drops comments)",
                    cx.tilde(&config.path)
                ),
                applicability: crate::protocol::Applicability::Unsafe,
                actions: vec![crate::protocol::Action::RunShell {
                    command: format!("{path} migrate"),
                    cwd: Some(folder.path.clone()),
                }],
            });
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

    fn golangci(value: &str, module: &str, version: &str, config: &str) -> crate::Snapshot {
        let bin = "/home/gopher/go/bin/golangci-lint";
        let mut v = serde_json::to_value(with_lint(
            &format!("{{\n  // lint\n  \"go.lintTool\": \"{value}\"\n}}"),
            json!({"name": value, "path": bin, "searched": [bin]}),
            "go1.24.4",
        ))
        .unwrap_or_default();
        v["toolsBuildInfo"] = run_ok(&[GO_BIN, "version", "-m", bin], &format!(
            "{bin}: go1.24.4\n\tpath\t{module}/cmd/golangci-lint\n\tmod\t{module}\t{version}\th1:x=\n"));
        v["workspace"]["folders"][0]["golangciConfig"] =
            json!({"path": "/home/gopher/src/hello/.golangci.yml", "text": config});
        crate::snapshot_from_value(v).unwrap_or_default()
    }

    const V2_CONFIG: &str = "version: \"2\"\nlinters:\n  default: standard\n";
    const V1_CONFIG: &str = "linters:\n  disable-all: true\n  enable:\n    - govet\n";

    #[test]
    fn fires_for_v1_binary_with_v2_config_and_switches_to_golangci_lint_v2() {
        let s = golangci(
            "golangci-lint",
            "github.com/golangci/golangci-lint",
            "v1.64.8",
            V2_CONFIG,
        );
        let f = run(&LINT_TOOL_MISSING, &s);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains(
                "you are using a configuration file for golangci-lint v2 with golangci-lint v1"
            ),
            "{}",
            f[0].message
        );
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        let text = layer_text(&fixed, FOLDER_SETTINGS);
        assert!(text.contains("// lint"));
        assert_eq!(
            parse_jsonc(text),
            json!({"go.lintTool": "golangci-lint-v2"})
        );
        assert!(
            matches!(&f[0].fixes[1].actions[0], Action::RunShell { command, .. } if command.contains("golangci-lint/v2/cmd/golangci-lint@latest"))
        );
    }

    #[test]
    fn fires_for_v2_binary_with_v1_config_and_offers_migrate() {
        let s = golangci(
            "golangci-lint",
            "github.com/golangci/golangci-lint/v2",
            "v2.1.6",
            V1_CONFIG,
        );
        let f = run(&LINT_TOOL_MISSING, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0]
            .message
            .contains("unsupported version of the configuration"));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, cwd }
            if command == "/home/gopher/go/bin/golangci-lint migrate" && cwd.as_deref() == Some("/home/gopher/src/hello"))
        );
    }

    #[test]
    fn passes_when_golangci_versions_agree() {
        assert!(run(
            &LINT_TOOL_MISSING,
            &golangci(
                "golangci-lint",
                "github.com/golangci/golangci-lint",
                "v1.64.8",
                V1_CONFIG
            )
        )
        .is_empty());
        assert!(run(
            &LINT_TOOL_MISSING,
            &golangci(
                "golangci-lint-v2",
                "github.com/golangci/golangci-lint/v2",
                "v2.1.6",
                V2_CONFIG
            )
        )
        .is_empty());
        assert_eq!(
            config_major("{\n  \"version\": \"2\",\n  \"linters\": {}\n}"),
            2
        );
        assert_eq!(config_major("version = \"2\"\n"), 2);
        assert_eq!(config_major("linters:\n  version: 3\n"), 1);
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
