//! gopls facts: supported Go versions, the Go needed to build each release, valid command-line
//! flags and deprecated settings.
//!
//! Source: shared/knowledge/GO-FACTS.md §2c, §2d, §3a, read from golang/tools@8f0f8c7b
//! (HEAD 2026-08-20): `gopls/internal/util/goversion/goversion.go` (`Supported`),
//! `gopls/go.mod` at each `gopls/v0.N.0` tag, `gopls/internal/cmd/cmd.go` + `serve.go`,
//! `gopls/internal/settings/settings.go` (`setOne`); vscode-go@28e27ffd `extension/src/goTools.ts`.

/// Date the tables below were last checked against their sources.
pub const CHECKED_ON: &str = "2026-08-20";

/// Newest gopls release known to this engine (GT tag `gopls/v0.23.0`, 2026-07-07).
pub const NEWEST_KNOWN: &str = "v0.23.0";

/// One row of gopls's `goversion.Supported` table: for a `go` command at or below `go_minor`,
/// gopls shows a message. With `deprecated_in` set it is a warning ("will be unsupported by
/// gopls vX"); without, an error ("not supported by this version of gopls").
#[derive(Debug, Clone, Copy)]
pub struct SupportRow {
    pub go_minor: u64,
    pub deprecated_in: Option<&'static str>,
    pub install: &'static str,
}

/// `Supported` table per gopls minor (GT goversion.go at each tag; GO-FACTS §3a).
pub fn support_table(gopls_minor: u64) -> &'static [SupportRow] {
    const V11: &[SupportRow] = &[
        SupportRow {
            go_minor: 12,
            deprecated_in: None,
            install: "v0.7.5",
        },
        SupportRow {
            go_minor: 15,
            deprecated_in: Some("v0.11.0"),
            install: "v0.9.5",
        },
    ];
    const V12: &[SupportRow] = &[
        SupportRow {
            go_minor: 15,
            deprecated_in: None,
            install: "v0.9.5",
        },
        SupportRow {
            go_minor: 17,
            deprecated_in: Some("v0.13.0"),
            install: "v0.11.0",
        },
    ];
    const V15: &[SupportRow] = &[
        SupportRow {
            go_minor: 17,
            deprecated_in: None,
            install: "v0.11.0",
        },
        SupportRow {
            go_minor: 18,
            deprecated_in: Some("v0.16.0"),
            install: "v0.14.2",
        },
    ];
    const V16: &[SupportRow] = &[
        SupportRow {
            go_minor: 18,
            deprecated_in: None,
            install: "v0.14.2",
        },
        SupportRow {
            go_minor: 20,
            deprecated_in: Some("v0.17.0"),
            install: "v0.15.3",
        },
    ];
    match gopls_minor {
        0..=10 => &[],
        11 => V11,
        12..=14 => V12,
        15 => V15,
        _ => V16, // v0.16 through HEAD: table unchanged (GO-FACTS §3a)
    }
}

/// The Go minor needed to *build* each gopls release (its go.mod `go` line), newest first.
/// Used to pin an install command that works with the local Go without a toolchain download.
/// Patch versions are the ones named in the sources (vscode-go pins v0.14.2 and v0.15.3;
/// Debian trixie ships v0.16.1; tags v0.20.0, v0.22.0, v0.23.0).
pub const BUILD_REQUIREMENTS: &[(&str, u64)] = &[
    ("v0.23.0", 26),
    ("v0.20.0", 24),
    ("v0.16.1", 19),
    ("v0.15.3", 18),
    ("v0.14.2", 18),
];

/// The gopls version to install for a local Go minor: the newest release that both builds with
/// that Go and supports it at run time without an error. vscode-go's own pins
/// (goTools.ts: go<1.19 -> v0.14.2, go<1.21 -> v0.15.3) win where they apply.
pub fn install_version_for(go_minor: u64) -> &'static str {
    if go_minor < 18 {
        return match go_minor {
            0..=12 => "v0.7.5",
            13..=15 => "v0.9.5",
            _ => "v0.11.0",
        };
    }
    if go_minor < 19 {
        return "v0.14.2";
    }
    if go_minor < 21 {
        return "v0.15.3";
    }
    BUILD_REQUIREMENTS
        .iter()
        .find(|(_, needs)| *needs <= go_minor)
        .map(|(v, _)| *v)
        .unwrap_or("v0.15.3")
}

/// A gopls command-line flag. `since`/`removed` are gopls minors (None = always / never).
#[derive(Debug, Clone, Copy)]
pub struct Flag {
    pub name: &'static str,
    pub takes_value: bool,
    pub since_minor: Option<u64>,
    pub removed_minor: Option<u64>,
}

const fn flag(name: &'static str, takes_value: bool) -> Flag {
    Flag {
        name,
        takes_value,
        since_minor: None,
        removed_minor: None,
    }
}

/// Flags `gopls` (serve) accepts (GT cmd.go, serve.go; GO-FACTS §2d).
pub const FLAGS: &[Flag] = &[
    flag("v", false),
    flag("verbose", false),
    flag("vv", false),
    flag("veryverbose", false),
    Flag {
        name: "otel",
        takes_value: true,
        since_minor: Some(22),
        removed_minor: None,
    },
    flag("profile.cpu", true),
    flag("profile.mem", true),
    Flag {
        name: "profile.alloc",
        takes_value: true,
        since_minor: Some(13),
        removed_minor: None,
    },
    flag("profile.trace", true),
    Flag {
        name: "profile.block",
        takes_value: true,
        since_minor: Some(17),
        removed_minor: None,
    },
    flag("remote", true),
    flag("remote.debug", true),
    flag("remote.listen.timeout", true),
    flag("remote.logfile", true),
    flag("rpc.trace", false),
    flag("logfile", true),
    flag("debug", true),
    flag("listen", true),
    flag("listen.timeout", true),
    Flag {
        name: "mcp.listen",
        takes_value: true,
        since_minor: Some(20),
        removed_minor: None,
    },
    Flag {
        name: "mcp-listen",
        takes_value: true,
        since_minor: Some(19),
        removed_minor: Some(20),
    },
    flag("mode", true),
    Flag {
        name: "ocagent",
        takes_value: true,
        since_minor: Some(11),
        removed_minor: Some(19),
    },
    Flag {
        name: "port",
        takes_value: true,
        since_minor: None,
        removed_minor: Some(22),
    },
];

/// Advice for flags people invent or that were removed.
pub fn flag_advice(name: &str) -> Option<&'static str> {
    match name {
        "memory-limit" | "memorylimit" | "memoryLimit" => Some(
            "gopls has no memory-limit flag. Set the environment variable GOMEMLIMIT (e.g. in go.toolsEnvVars), or the `memoryLimit` gopls setting (gopls v0.24+, bytes, no suffixes).",
        ),
        "ocagent" => Some("`-ocagent` was removed in gopls v0.19.0 (golang/tools commit 1cc80ad52)."),
        "port" => Some("`-port` was removed in gopls v0.22.0 (golang/tools commit 90abdab4c); use `-debug=localhost:PORT`."),
        _ => None,
    }
}

/// A deprecated or removed gopls setting (the *leaf* name; gopls ignores the dotted prefix).
#[derive(Debug, Clone, Copy)]
pub struct DeprecatedSetting {
    pub leaf: &'static str,
    /// Replacement leaf, when there is one.
    pub replacement: Option<&'static str>,
    /// `true` when the setting has no effect any more.
    pub no_op: bool,
    /// `true` when gopls rejects it as an unexpected setting (hard error).
    pub error: bool,
    pub note: &'static str,
}

const fn dep(
    leaf: &'static str,
    replacement: Option<&'static str>,
    no_op: bool,
    note: &'static str,
) -> DeprecatedSetting {
    DeprecatedSetting {
        leaf,
        replacement,
        no_op,
        error: false,
        note,
    }
}

/// GO-FACTS §2c (GT `setOne` at every tag).
pub const DEPRECATED_SETTINGS: &[DeprecatedSetting] = &[
    dep("experimentalDisabledAnalyses", Some("analyses"), false, "deprecated by v0.8.0"),
    dep("disableDeepCompletion", Some("deepCompletion"), false, "deprecated by v0.8.0"),
    dep("disableFuzzyMatching", Some("matcher"), false, "deprecated by v0.8.0"),
    dep("wantCompletionDocumentation", Some("completionDocumentation"), false, "deprecated by v0.8.0"),
    dep("wantUnimportedCompletions", Some("completeUnimported"), false, "deprecated by v0.8.0"),
    dep("fuzzyMatching", Some("matcher"), false, "deprecated by v0.8.0"),
    dep("caseSensitiveCompletion", Some("matcher"), false, "deprecated by v0.8.0"),
    dep("experimentalDiagnosticsDelay", Some("diagnosticsDelay"), true, "deprecated v0.8.0, no effect since v0.10.0"),
    dep("codelens", Some("codelenses"), false, "deprecated by v0.7.5"),
    dep("wantSuggestedFixes", None, true, "no effect since v0.8.0"),
    dep("noIncrementalSync", None, true, "no effect since v0.8.0"),
    dep("watchFileChanges", None, true, "no effect since v0.8.0"),
    dep("go-diff", None, true, "no effect since v0.8.0"),
    dep("experimentalTemplateSupport", Some("templateExtensions"), true, "no effect since v0.7.4"),
    dep("experimentalWorkspaceModule", None, true, "replaced by go.work files (go.dev/issue/55331); no effect since v0.12.0"),
    dep("experimentalWatchedFileDelay", None, true, "no effect since v0.12.0 (go.dev/issue/55332)"),
    dep("experimentalPackageCacheKey", None, true, "no effect since v0.12.0"),
    dep("experimentalUseInvalidMetadata", None, true, "no effect since v0.11.0 (golang/go#55333)"),
    DeprecatedSetting {
        leaf: "tempModfile",
        replacement: None,
        no_op: true,
        error: true,
        note: "deprecated in v0.14.0 (go.dev/issue/63537); since v0.15.0 gopls rejects it: `setting option \"tempModfile\": unexpected setting`",
    },
    dep("memoryMode", None, true, "no effect since v0.15.0"),
    dep("newDiff", None, true, "no effect since v0.15.0"),
    dep("allowModfileModifications", None, true, "no effect since v0.16.0 (go.dev/issue/65546)"),
    dep("allowImplicitNetworkAccess", None, true, "removed in v0.17.0 (go.dev/issue/66861)"),
    dep("noSemanticString", Some("semanticTokenTypes"), false, "deprecated in v0.18.0 (golang/vscode-go#3632): use `semanticTokenTypes: {\"string\": false}`"),
    dep("noSemanticNumber", Some("semanticTokenTypes"), false, "deprecated in v0.18.0 (golang/vscode-go#3632): use `semanticTokenTypes: {\"number\": false}`"),
    dep("importsSource", None, true, "deprecated in v0.22.0, removed in v0.23.0"),
];

pub fn deprecated_setting(leaf: &str) -> Option<&'static DeprecatedSetting> {
    DEPRECATED_SETTINGS.iter().find(|d| d.leaf == leaf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn install_pins_follow_vscode_go_and_build_requirements() {
        assert_eq!(install_version_for(17), "v0.11.0");
        assert_eq!(install_version_for(18), "v0.14.2");
        assert_eq!(install_version_for(19), "v0.15.3");
        assert_eq!(install_version_for(20), "v0.15.3");
        assert_eq!(install_version_for(21), "v0.16.1");
        assert_eq!(install_version_for(23), "v0.16.1");
        assert_eq!(install_version_for(24), "v0.20.0");
        assert_eq!(install_version_for(26), NEWEST_KNOWN);
    }

    #[test]
    fn support_rows() {
        assert!(support_table(5).is_empty());
        assert_eq!(support_table(16).get(1).map(|r| r.go_minor), Some(20));
    }
}
