//! The format and lint tools vscode-go runs for `go.formatTool` / `go.lintTool`: how they are
//! installed, the versions pinned for older Go, and which setting values are gone.
//!
//! Sources (vscode-go@28e27ffd, HEAD 2026-08-21):
//! - `extension/src/goToolsInformation.ts`: import paths and `minimumGoVersion`.
//! - `extension/src/goTools.ts` `getImportPathWithVersion`: the versions vscode-go itself installs
//!   for an older Go (gopls, dlv, staticcheck, gofumpt, golangci-lint) and `defaultVersion`s (gofumpt, revive);
//!   everything else is installed `@latest`, as here.
//! - `extension/package.json` across tags (GO-FACTS.md "settings diff across tags"): `goreturns`
//!   left the `go.formatTool` enum in v0.24.0, `gofumports` in v0.35.0; `goformat` is described as
//!   "(Deprecated due to lack of generics support)"; `golangci-lint-v2` arrived in v0.47.2.
//! - golint is archived and frozen: golang/lint README ("NOTE: Golint is deprecated and frozen.
//!   There's no drop-in replacement for it, but tools such as Staticcheck and `go vet` should be
//!   used instead."), the replacement vscode-go's own default used v0.23.1–v0.51.0 (staticcheck).

/// Date the tables below were last checked against their sources.
pub const CHECKED_ON: &str = "2026-08-21";

#[derive(Debug, Clone, Copy)]
pub struct ToolInfo {
    /// The `go.formatTool` / `go.lintTool` value, which is also the binary's name.
    pub name: &'static str,
    pub import_path: &'static str,
    /// vscode-go's `minimumGoVersion` (minor of Go 1.x), when it has one.
    pub min_go_minor: Option<u64>,
}

const TOOLS: &[ToolInfo] = &[
    ToolInfo {
        name: "goimports",
        import_path: "golang.org/x/tools/cmd/goimports",
        min_go_minor: None,
    },
    ToolInfo {
        name: "gofumpt",
        import_path: "mvdan.cc/gofumpt",
        min_go_minor: None,
    },
    ToolInfo {
        name: "staticcheck",
        import_path: "honnef.co/go/tools/cmd/staticcheck",
        min_go_minor: None,
    },
    ToolInfo {
        name: "golangci-lint",
        import_path: "github.com/golangci/golangci-lint/cmd/golangci-lint",
        min_go_minor: Some(20),
    },
    ToolInfo {
        name: "golangci-lint-v2",
        import_path: "github.com/golangci/golangci-lint/v2/cmd/golangci-lint",
        min_go_minor: Some(23),
    },
    ToolInfo {
        name: "revive",
        import_path: "github.com/mgechev/revive",
        min_go_minor: None,
    },
    ToolInfo {
        name: "gopls",
        import_path: "golang.org/x/tools/gopls",
        min_go_minor: Some(19),
    },
    ToolInfo {
        name: "dlv",
        import_path: "github.com/go-delve/delve/cmd/dlv",
        min_go_minor: Some(18),
    },
    ToolInfo {
        name: "golint",
        import_path: "golang.org/x/lint/golint",
        min_go_minor: Some(9),
    },
];

pub fn info(name: &str) -> Option<&'static ToolInfo> {
    TOOLS.iter().find(|t| t.name == name)
}

/// The version vscode-go installs for `name` when the project's Go is 1.`go_minor`
/// (`getImportPathWithVersion`); `latest` where it has no pin.
pub fn install_version(name: &str, go_minor: u64) -> &'static str {
    match name {
        "staticcheck" if go_minor < 19 => "v0.3.3",
        "staticcheck" if go_minor < 21 => "v0.4.7",
        "gofumpt" if go_minor < 19 => "v0.4.0",
        "gofumpt" if go_minor < 20 => "v0.5.0",
        "gofumpt" if go_minor < 22 => "v0.6.0",
        "gofumpt" if go_minor < 23 => "v0.7.0",
        "gofumpt" if go_minor < 24 => "v0.8.0",
        "gofumpt" if go_minor < 25 => "v0.9.0",
        "gofumpt" => "v0.10.0",
        "golangci-lint" if go_minor < 20 => "v1.53.3",
        "golangci-lint" if go_minor < 21 => "v1.55.2",
        "revive" => "v1.15.0",
        "gopls" if go_minor < 19 => "v0.14.2",
        "gopls" if go_minor < 21 => "v0.15.3",
        "dlv" if go_minor < 19 => "v1.20.2",
        "dlv" if go_minor < 21 => "v1.22.1",
        _ => "latest",
    }
}

/// `go.formatTool` values vscode-go no longer accepts or runs well, with what to use instead.
pub fn format_tool_retired(value: &str) -> Option<(&'static str, &'static str)> {
    match value {
        "goreturns" => Some((
            "removed from go.formatTool in vscode-go v0.24.0",
            "default",
        )),
        "gofumports" => Some((
            "removed from go.formatTool in vscode-go v0.35.0 (gofumpt now does what gofumports did)",
            "gofumpt",
        )),
        "goformat" => Some((
            "deprecated in vscode-go: no generics support",
            "default",
        )),
        _ => None,
    }
}

/// Whether this `go.lintTool` value names a deprecated linter, with the replacement.
pub fn lint_tool_deprecated(value: &str) -> Option<(&'static str, &'static str)> {
    match value {
        "golint" => Some((
            "golint is deprecated and frozen (golang/lint README)",
            "staticcheck",
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_follow_vscode_go() {
        assert_eq!(install_version("staticcheck", 18), "v0.3.3");
        assert_eq!(install_version("staticcheck", 22), "latest");
        assert_eq!(install_version("gofumpt", 22), "v0.7.0");
        assert_eq!(install_version("golangci-lint", 19), "v1.53.3");
        assert_eq!(
            info("golangci-lint-v2").map(|t| t.import_path),
            Some("github.com/golangci/golangci-lint/v2/cmd/golangci-lint")
        );
    }
}
