use serde_json::json;

use crate::context::{Context, Layer};
use crate::declare_rule;
use crate::knowledge::tools;
use crate::protocol::{Action, Applicability, Fix, ToolLookup};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// The binary `go.formatTool` names (`gofmt`, `goimports`, `gofumpt`, `goformat`, or
    /// `go.alternateTools.customFormatter` for `custom`) is looked up the way vscode-go does; the
    /// rule fires when it is not found, and when the value is `goformat`, which vscode-go marks
    /// "(Deprecated due to lack of generics support)" (vscode-go `extension/package.json`).
    /// Values no longer in the enum (`goreturns`, `gofumports`) are GSD305's; `custom` without
    /// `go.alternateTools.customFormatter` is GSD316's.
    ///
    /// ## Why it matters
    /// Any value other than `default` takes formatting away from gopls and runs that binary
    /// (vscode-go `language/legacy/goFormat.ts`). When it is missing, format-on-save does nothing
    /// and vscode-go says `The "goimports" command is not available. Run "go install -v
    /// golang.org/x/tools/cmd/goimports@latest" to install.` (vscode-go `goInstallTools.ts`
    /// `promptForMissingTool`).
    ///
    /// ## Example
    /// ```jsonc
    /// { "go.formatTool": "goimports" }   // and no goimports in GOBIN, GOPATH/bin or PATH
    /// ```
    ///
    /// ## Fix
    /// Install the tool with the version vscode-go itself installs for the local Go
    /// (`getImportPathWithVersion`), or set `go.formatTool` to `default` where it is set (gopls
    /// formats, and organizes imports on save like goimports).
    pub FORMAT_TOOL_MISSING {
        code: "GSD205",
        name: "format-tool-missing",
        category: Tools,
        severity: Warning,
        summary: "the format tool is installed",
        fix: Sometimes,
        since: "0.1.0",
    }
}

/// The install command for `name` with the go in use, pinned as vscode-go pins it; a `-vN` tool is
/// built in a temporary GOBIN and copied under its versioned name, as vscode-go does
/// (`goInstallTools.ts`: "v2, v3... of the tools are installed with the same name as v1").
pub(crate) fn install_fix(cx: &Context<'_>, name: &str) -> Option<Fix> {
    let info = tools::info(name)?;
    let go = cx.go_version()?;
    let candidate = cx.go_candidate()?;
    if info.min_go_minor.is_some_and(|m| go.minor() < m) {
        return None;
    }
    let version = tools::install_version(name, go.minor());
    let target = format!("{}@{version}", info.import_path);
    let command = match name.rsplit_once("-v") {
        Some((base, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            let gobin = cx.go_env_var("GOBIN").map(str::to_string).or_else(|| {
                cx.go_env_var("GOPATH")
                    .and_then(|p| p.split(':').next())
                    .map(|p| format!("{p}/bin"))
            })?;
            format!(
                "tmp=$(mktemp -d) && GOBIN=\"$tmp\" {} install -v {target} && cp \"$tmp/{base}\" {gobin}/{name} && rm -r \"$tmp\"",
                candidate.path
            )
        }
        _ => format!("{} install -v {target}", candidate.path),
    };
    Some(Fix {
        title: format!(
            "Install {name} {version} (what the Go extension installs for {})",
            go.display()
        ),
        applicability: Applicability::Unsafe,
        actions: vec![Action::RunShell { command, cwd: None }],
    })
}

/// `key` set to `value` in the layer that sets it now, keeping everything else.
pub(crate) fn switch_fix(key: &str, layer: &Layer<'_>, value: &str, why: &str) -> Option<Fix> {
    let edit = layer.doc.as_ref()?.set(&[key], &json!(value))?;
    Some(Fix {
        title: format!(
            "Set {key} to \"{value}\" in {} settings{why}",
            layer.layer.scope.label()
        ),
        applicability: Applicability::Safe,
        actions: vec![Action::EditFile {
            uri: layer.layer.uri.clone(),
            edits: vec![edit],
        }],
    })
}

/// Evidence lines for a lookup that found nothing.
pub(crate) fn lookup_evidence(cx: &Context<'_>, tool: &ToolLookup) -> Vec<String> {
    let unusable = tool.unusable.clone().unwrap_or_default();
    tool.searched
        .iter()
        .map(|s| match unusable.get(s) {
            Some(what) => format!("cannot run: {} ({what})", cx.tilde(s)),
            None => format!("not found: {}", cx.tilde(s)),
        })
        .collect()
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some((value, layer)) = cx.effective("go.formatTool") else {
        return;
    };
    let Some(value) = value.as_str() else { return };
    if value == "default" || (tools::format_tool_retired(value).is_some() && value != "goformat") {
        return;
    }
    // `custom` without go.alternateTools.customFormatter is GSD316's (format-twice): there is
    // no binary name to look for.
    let custom_set = cx
        .effective("go.alternateTools")
        .and_then(|(v, _)| {
            v.get("customFormatter")
                .and_then(|c| c.as_str())
                .map(str::to_string)
        })
        .is_some_and(|c| !c.is_empty());
    if value == "custom" && !custom_set {
        return;
    }
    let scope = layer.layer.scope.label();
    let binary = if value == "custom" {
        "customFormatter"
    } else {
        value
    };
    if let Some(reason) = cx.skipped("tools") {
        out.skip(reason);
        return;
    }
    let Some(tool) = cx.tool(binary) else { return };
    let location = layer
        .doc
        .as_ref()
        .and_then(|d| d.prop("go.formatTool").map(|p| d.name_location(p)));
    if tool.path.is_none() {
        let f = out.report(
            format!("go.formatTool is {value}, but {binary} is not installed"),
            format!(
                "go.formatTool is \"{value}\" ({scope} settings), so the Go extension formats with {binary} instead of gopls, and {binary} was not found: formatting does nothing. The extension says: The \"{binary}\" command is not available."
            ),
        );
        f.at(location.clone());
        for e in lookup_evidence(cx, tool) {
            f.evidence(e);
        }
        if let Some(fix) = install_fix(cx, binary) {
            f.fix(fix);
        }
        if let Some(fix) = switch_fix("go.formatTool", layer, "default", " (gopls formats)") {
            f.fix(fix);
        }
        return;
    }
    if let Some((why, instead)) = tools::format_tool_retired(value) {
        let f = out.report(
            format!("go.formatTool is {value}, which is {why}"),
            format!("go.formatTool is \"{value}\" ({scope} settings): {why}, so files using generics are not formatted. gopls formats them (go.formatTool \"default\")."),
        );
        f.at(location);
        if let Some(path) = tool.path.as_deref() {
            f.evidence(format!("{value} in use: {}", cx.tilde(path)));
        }
        if let Some(fix) = switch_fix("go.formatTool", layer, instead, " (gopls formats)") {
            f.fix(fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    fn with_tools(settings: &str, tools: serde_json::Value) -> crate::Snapshot {
        let mut s = with_folder_settings(settings);
        let mut v = serde_json::to_value(&s).unwrap_or_default();
        let gopls = v["tools"][0].clone();
        let mut list = vec![gopls];
        if let serde_json::Value::Array(t) = tools {
            list.extend(t);
        }
        v["tools"] = serde_json::Value::Array(list);
        s = crate::snapshot_from_value(v).unwrap_or_default();
        s
    }

    const MISSING: &str = "{\n  // format\n  \"go.formatTool\": \"goimports\"\n}";

    #[test]
    fn fires_when_goimports_is_missing_with_install_and_switch() {
        let s = with_tools(
            MISSING,
            json!([{"name": "goimports", "searched": ["/home/gopher/go/bin/goimports", "/usr/bin/goimports"]}]),
        );
        let f = run(&FORMAT_TOOL_MISSING, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0]
            .evidence
            .contains(&"not found: ~/go/bin/goimports".to_string()));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. }
            if command == "/usr/lib/go-1.24/bin/go install -v golang.org/x/tools/cmd/goimports@latest")
        );
        let fixed = apply_fix(&s, &f[0].fixes[1]);
        let text = layer_text(&fixed, FOLDER_SETTINGS);
        assert!(text.contains("// format"));
        assert_eq!(parse_jsonc(text), json!({"go.formatTool": "default"}));
        assert!(run(&FORMAT_TOOL_MISSING, &fixed).is_empty());
    }

    #[test]
    fn fires_for_goformat_even_when_installed() {
        let s = with_tools(
            "{\"go.formatTool\": \"goformat\"}",
            json!([{"name": "goformat", "path": "/home/gopher/go/bin/goformat", "searched": ["/home/gopher/go/bin/goformat"]}]),
        );
        let f = run(&FORMAT_TOOL_MISSING, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0].title.contains("no generics support"), "{}", f[0].title);
    }

    #[test]
    fn gofumpt_pinned_for_go_1_22() {
        let s = with_tools(
            "{\"go.formatTool\": \"gofumpt\"}",
            json!([{"name": "gofumpt", "searched": ["/home/gopher/go/bin/gofumpt"]}]),
        );
        let mut v = serde_json::to_value(&s).unwrap_or_default();
        v["goCandidates"][0]["version"]["stdout"] = json!("go version go1.22.12 linux/amd64\n");
        v["go"]["version"]["stdout"] = json!("go version go1.22.12 linux/amd64\n");
        let s = crate::snapshot_from_value(v).unwrap_or_default();
        let f = run(&FORMAT_TOOL_MISSING, &s);
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command.ends_with("install -v mvdan.cc/gofumpt@v0.7.0")),
            "{:?}",
            f[0].fixes
        );
    }

    #[test]
    fn passes_when_installed_default_or_retired_value() {
        let found = json!([{"name": "goimports", "path": "/home/gopher/go/bin/goimports", "searched": ["/home/gopher/go/bin/goimports"]}]);
        assert!(run(&FORMAT_TOOL_MISSING, &with_tools(MISSING, found)).is_empty());
        assert!(run(
            &FORMAT_TOOL_MISSING,
            &with_folder_settings("{\"go.formatTool\": \"default\"}")
        )
        .is_empty());
        // GSD316 owns `custom` without a customFormatter path.
        let custom = json!([{"name": "customFormatter", "searched": ["/home/gopher/go/bin/customFormatter"]}]);
        assert!(run(
            &FORMAT_TOOL_MISSING,
            &with_tools("{\"go.formatTool\": \"custom\"}", custom)
        )
        .is_empty());
        // GSD305 owns values that left the enum.
        let gone = json!([{"name": "goreturns", "searched": ["/home/gopher/go/bin/goreturns"]}]);
        assert!(run(
            &FORMAT_TOOL_MISSING,
            &with_tools("{\"go.formatTool\": \"goreturns\"}", gone)
        )
        .is_empty());
    }
}
