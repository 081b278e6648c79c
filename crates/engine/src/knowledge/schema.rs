//! The settings vscode-go and gopls define today, with types and enum values.
//!
//! Source: shared/knowledge/GO-FACTS.md §1a (vscode-go@28e27ffd `extension/package.json`
//! `contributes.configuration.properties`, 67 properties, HEAD 2026-08-21) and §2b (golang/tools
//! @8f0f8c7b `gopls/internal/doc/api.json` `Options.User`, 45 entries, HEAD 2026-08-20).

pub const CHECKED_ON: &str = "2026-08-21";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bool,
    String,
    /// `string` or `null`.
    StringOrNull,
    Array,
    Object,
    Enum(&'static [&'static str]),
    /// Several JSON types are fine.
    Any,
}

pub struct Setting {
    pub key: &'static str,
    pub kind: Kind,
}

/// VS Code configuration scope of a `go.*` setting (package.json `scope`; absent = window).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingScope {
    /// Can differ per folder.
    Resource,
    /// Machine-scoped, but a workspace may override it.
    MachineOverridable,
    /// One value per window: in a multi-root workspace, a folder's value is ignored.
    Window,
}

/// Scope of a known `go.*` key (GO-FACTS §1a "scope" column).
pub fn go_scope(key: &str) -> SettingScope {
    const RESOURCE: &[&str] = &[
        "go.buildOnSave",
        "go.buildFlags",
        "go.buildTags",
        "go.testTags",
        "go.disableConcurrentTests",
        "go.installDependenciesWhenBuilding",
        "go.lintOnSave",
        "go.lintTool",
        "go.lintFlags",
        "go.vetOnSave",
        "go.vetFlags",
        "go.formatTool",
        "go.formatFlags",
        "go.inferGopath",
        "go.testOnSave",
        "go.coverOnSave",
        "go.coverMode",
        "go.coverShowCounts",
        "go.coverageOptions",
        "go.coverageDecorator",
        "go.testTimeout",
        "go.testEnvVars",
        "go.testEnvFile",
        "go.testFlags",
        "go.testExplorer.packageDisplayMode",
        "go.testExplorer.alwaysRunBenchmarks",
        "go.testExplorer.concatenateMessages",
        "go.testExplorer.showDynamicSubtestsInEditor",
        "go.generateTestsFlags",
        "go.toolsEnvVars",
        "go.toolsManagement.autoUpdate",
        "go.enableCodeLens",
        "go.addTags",
        "go.removeTags",
        "go.editorContextMenuCommands",
        "go.delveConfig",
        "go.alternateTools",
        "go.terminal.activateEnvironment",
        "go.diagnostic.vulncheck",
    ];
    const MACHINE_OVERRIDABLE: &[&str] = &[
        "go.gopath",
        "go.toolsGopath",
        "go.goroot",
        "go.logging.level",
        "go.toolsManagement.go",
    ];
    if RESOURCE.contains(&key) {
        SettingScope::Resource
    } else if MACHINE_OVERRIDABLE.contains(&key) {
        SettingScope::MachineOverridable
    } else {
        SettingScope::Window
    }
}

const fn s(key: &'static str, kind: Kind) -> Setting {
    Setting { key, kind }
}

use Kind::*;

/// vscode-go's `go.*` settings at HEAD (the 67th property, `gopls`, is [`GOPLS_SETTINGS`]).
pub const GO_SETTINGS: &[Setting] = &[
    s("go.showWelcome", Bool),
    s("go.buildOnSave", Enum(&["package", "workspace", "off"])),
    s("go.buildFlags", Array),
    s("go.buildTags", String),
    s("go.testTags", StringOrNull),
    s("go.disableConcurrentTests", Bool),
    s("go.installDependenciesWhenBuilding", Bool),
    s(
        "go.lintOnSave",
        Enum(&["file", "package", "workspace", "off"]),
    ),
    s(
        "go.lintTool",
        Enum(&[
            "staticcheck",
            "golint",
            "golangci-lint",
            "golangci-lint-v2",
            "revive",
        ]),
    ),
    s("go.lintFlags", Array),
    s("go.vetOnSave", Enum(&["package", "workspace", "off"])),
    s("go.vetFlags", Array),
    s(
        "go.formatTool",
        Enum(&[
            "default",
            "gofmt",
            "goimports",
            "goformat",
            "gofumpt",
            "custom",
        ]),
    ),
    s("go.formatFlags", Array),
    s("go.inferGopath", Bool),
    s("go.gopath", StringOrNull),
    s("go.toolsGopath", StringOrNull),
    s("go.goroot", StringOrNull),
    s("go.testOnSave", Bool),
    s("go.coverOnSave", Bool),
    s("go.coverOnTestPackage", Bool),
    s("go.coverOnSingleTest", Bool),
    s("go.coverOnSingleTestFile", Bool),
    s("go.coverMode", Enum(&["default", "set", "count", "atomic"])),
    s("go.coverShowCounts", Bool),
    s(
        "go.coverageOptions",
        Enum(&[
            "showCoveredCodeOnly",
            "showUncoveredCodeOnly",
            "showBothCoveredAndUncoveredCode",
        ]),
    ),
    s("go.coverageDecorator", Object),
    s("go.testTimeout", String),
    s("go.testEnvVars", Object),
    s("go.testEnvFile", StringOrNull),
    s("go.testFlags", Any),
    s("go.testExplorer.enable", Bool),
    s(
        "go.testExplorer.packageDisplayMode",
        Enum(&["flat", "nested"]),
    ),
    s("go.testExplorer.alwaysRunBenchmarks", Bool),
    s("go.testExplorer.concatenateMessages", Bool),
    s("go.testExplorer.showDynamicSubtestsInEditor", Bool),
    s("go.testExplorer.showOutput", Bool),
    s("go.experiments", Object),
    s("go.generateTestsFlags", Array),
    s("go.toolsEnvVars", Object),
    s("go.useLanguageServer", Bool),
    s("go.languageServerFlags", Array),
    s("go.trace.server", Enum(&["off", "messages", "verbose"])),
    s("go.logging.level", Any),
    s("go.toolsManagement.go", String),
    s(
        "go.toolsManagement.checkForUpdates",
        Enum(&["proxy", "local", "off"]),
    ),
    s("go.toolsManagement.autoUpdate", Bool),
    s("go.enableCodeLens", Object),
    s("go.addTags", Object),
    s("go.removeTags", Object),
    s("go.playground", Object),
    s("go.survey.prompt", Bool),
    s("go.editorContextMenuCommands", Object),
    s("go.delveConfig", Object),
    s("go.alternateTools", Object),
    s("go.tasks.provideDefault", Bool),
    s("go.terminal.activateEnvironment", Bool),
    s(
        "go.diagnostic.vulncheck",
        Enum(&["Imports", "Off", "Prompt"]),
    ),
    s("go.inlayHints.assignVariableTypes", Bool),
    s("go.inlayHints.compositeLiteralFields", Bool),
    s("go.inlayHints.compositeLiteralTypes", Bool),
    s("go.inlayHints.constantValues", Bool),
    s("go.inlayHints.functionTypeParameters", Bool),
    s("go.inlayHints.parameterNames", Bool),
    s("go.inlayHints.rangeVariableTypes", Bool),
    s("go.inlayHints.ignoredError", Bool),
];

/// Documented gopls settings (the `"gopls": {...}` keys as VS Code spells them).
pub const GOPLS_SETTINGS: &[Setting] = &[
    s("build.buildFlags", Array),
    s("build.env", Object),
    s("build.directoryFilters", Array),
    s("build.templateExtensions", Array),
    s("build.memoryMode", Any),
    s("build.expandWorkspaceToModule", Bool),
    s("build.standaloneTags", Array),
    s("build.workspaceFiles", Array),
    s(
        "ui.documentation.hoverKind",
        Enum(&[
            "FullDocumentation",
            "NoDocumentation",
            "SingleLine",
            "Structured",
            "SynopsisDocumentation",
        ]),
    ),
    s("ui.documentation.linkTarget", String),
    s("ui.documentation.linksInHover", Any),
    s("ui.completion.usePlaceholders", Bool),
    s("ui.completion.completionBudget", String),
    s(
        "ui.completion.matcher",
        Enum(&["CaseInsensitive", "CaseSensitive", "Fuzzy"]),
    ),
    s("ui.completion.experimentalPostfixCompletions", Bool),
    s("ui.completion.completeFunctionCalls", Bool),
    s(
        "ui.navigation.importShortcut",
        Enum(&["Both", "Definition", "Link"]),
    ),
    s(
        "ui.navigation.symbolMatcher",
        Enum(&["CaseInsensitive", "CaseSensitive", "FastFuzzy", "Fuzzy"]),
    ),
    s(
        "ui.navigation.symbolStyle",
        Enum(&["Dynamic", "Full", "Package"]),
    ),
    s("ui.navigation.symbolScope", Enum(&["all", "workspace"])),
    s("ui.diagnostic.analyses", Object),
    s("ui.diagnostic.staticcheck", Bool),
    s("ui.diagnostic.staticcheckProvided", Bool),
    s("ui.diagnostic.annotations", Object),
    s(
        "ui.diagnostic.vulncheck",
        Enum(&["Imports", "Off", "Prompt"]),
    ),
    s("ui.diagnostic.diagnosticsDelay", String),
    s("ui.diagnostic.diagnosticsTrigger", Enum(&["Edit", "Save"])),
    s("ui.diagnostic.analysisProgressReporting", Bool),
    s("ui.inlayhint.hints", Object),
    s("ui.codelenses", Object),
    s("ui.semanticTokens", Bool),
    s("ui.noSemanticString", Bool),
    s("ui.noSemanticNumber", Bool),
    s("ui.semanticTokenTypes", Object),
    s("ui.semanticTokenModifiers", Object),
    s("ui.newGoFileHeader", Bool),
    s("ui.renameMovesSubpackages", Bool),
    s("ui.moveType", Bool),
    s("ui.moveDeclaration", Bool),
    s("formatting.local", String),
    s("formatting.gofumpt", Bool),
    s("fileWatcher", Enum(&["fsnotify", "off", "poll"])),
    s("maxFileCacheBytes", Any),
    s("memoryLimit", Any),
    s("verboseOutput", Bool),
];

/// Leaves gopls accepts without documenting them for users (internal, debug, or added after
/// the documented list): never reported as unknown (GO-FACTS §2b notes; `setOne` cases).
pub const GOPLS_HIDDEN_LEAVES: &[&str] = &[
    "completionDocumentation",
    "deepCompletion",
    "completeUnimported",
    "matcher",
    "hoverKind",
    "linkTarget",
    "linksInHover",
    "usePlaceholders",
    "analyses",
    "codelenses",
    "staticcheck",
    "gofumpt",
    "local",
    "env",
    "buildFlags",
    "directoryFilters",
    "pullDiagnostics",
    "telemetryPrompt",
    "linkifyShowMessage",
    "includeReplaceInWorkspace",
    "zeroConfig",
    "mcpTools",
    "reportAnalysisProgressAfter",
    "subdirWatchPatterns",
    "allExperiments",
    "verboseWorkDoneProgress",
    "experimentalPostfixCompletions",
    "semanticTokens",
    "hints",
    "annotations",
    "vulncheck",
    "diagnosticsDelay",
    "diagnosticsTrigger",
    "importsSource",
    "noIncrementalSync",
    "importShortcut",
    "symbolMatcher",
    "symbolStyle",
    "symbolScope",
    "standaloneTags",
    "workspaceFiles",
];

pub fn go_setting(key: &str) -> Option<&'static Setting> {
    GO_SETTINGS.iter().find(|s| s.key == key)
}

pub fn gopls_setting(key: &str) -> Option<&'static Setting> {
    GOPLS_SETTINGS.iter().find(|s| s.key == key)
}

/// Whether gopls knows this key: documented dotted key, or any known leaf (gopls ignores the
/// dotted prefix, golang/tools `settings.go` `Options.Set`).
pub fn gopls_knows(key: &str) -> bool {
    let leaf = key.rsplit('.').next().unwrap_or(key);
    gopls_setting(key).is_some()
        || GOPLS_SETTINGS
            .iter()
            .any(|s| s.key.rsplit('.').next() == Some(leaf))
        || GOPLS_HIDDEN_LEAVES.contains(&leaf)
        || super::gopls::deprecated_setting(leaf).is_some()
}

/// The closest candidate by Damerau-Levenshtein distance (strsim), if close enough to be a typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let max = (word.chars().count() / 4).clamp(1, 4);
    candidates
        .map(|c| (c, strsim::damerau_levenshtein(&lower, &c.to_lowercase())))
        .filter(|(_, d)| *d <= max)
        .min_by_key(|(_, d)| *d)
        .map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixty_seven_go_settings() {
        // 66 `go.*` keys + the `gopls` object = vscode-go's 67 properties (GO-FACTS §1a).
        assert_eq!(GO_SETTINGS.len(), 66);
        assert_eq!(GOPLS_SETTINGS.len(), 45);
    }

    #[test]
    fn did_you_mean_finds_typos() {
        assert_eq!(
            did_you_mean("go.formattool", GO_SETTINGS.iter().map(|s| s.key)),
            Some("go.formatTool")
        );
        assert_eq!(
            did_you_mean("go.useLanguageSever", GO_SETTINGS.iter().map(|s| s.key)),
            Some("go.useLanguageServer")
        );
        assert_eq!(
            did_you_mean("go.zzzzzzzzzzzz", GO_SETTINGS.iter().map(|s| s.key)),
            None
        );
        assert_eq!(
            did_you_mean("goimport", ["goimports", "gofmt"].into_iter()),
            Some("goimports")
        );
    }

    #[test]
    fn gopls_leaf_matching() {
        assert!(gopls_knows("ui.semanticTokens"));
        assert!(gopls_knows("semanticTokens"));
        assert!(gopls_knows("build.experimentalWorkspaceModule"));
        assert!(!gopls_knows("ui.semanticToken"));
    }
}
