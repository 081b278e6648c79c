//! vscode-go settings that were deprecated or removed.
//!
//! Source: shared/knowledge/GO-FACTS.md §1a/§1b, computed there by diffing
//! golang/vscode-go `extension/package.json` at every release tag v0.14.4 → v0.57.2, and
//! vscode-go@28e27ffd `CHANGELOG.md` (HEAD 2026-08-21, 0.58.0-dev).

pub const CHECKED_ON: &str = "2026-08-21";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Still in package.json, marked deprecated: it may still do something.
    Deprecated,
    /// Gone from package.json: VS Code shows "Unknown Configuration Setting"; no effect.
    Removed,
}

/// How to replace a setting, when there is a direct replacement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replacement {
    None,
    /// Another `go.*` key with the same value.
    Key(&'static str),
    /// A gopls setting inside `"gopls": {...}` with the same value.
    GoplsKey(&'static str),
    /// Something that is not a setting (a command, a different feature): text only.
    Advice(&'static str),
}

#[derive(Debug, Clone, Copy)]
pub struct GoSetting {
    pub key: &'static str,
    pub status: Status,
    /// vscode-go version where it was deprecated / removed.
    pub since: &'static str,
    pub replacement: Replacement,
    pub message: &'static str,
}

const LS: &str =
    "It belonged to the legacy (non-gopls) language features, which vscode-go removed in v0.40.0.";

const fn removed(
    key: &'static str,
    since: &'static str,
    replacement: Replacement,
    message: &'static str,
) -> GoSetting {
    GoSetting {
        key,
        status: Status::Removed,
        since,
        replacement,
        message,
    }
}

pub const GO_SETTINGS: &[GoSetting] = &[
    GoSetting {
        key: "go.buildOnSave",
        status: Status::Deprecated,
        since: "v0.39.0",
        replacement: Replacement::Advice("gopls reports compile errors as you type; the setting is ignored while go.useLanguageServer is true"),
        message: "package.json: \"Enable the Go language server (`#go.useLanguageServer#`) to diagnose compile errors.\"",
    },
    GoSetting {
        key: "go.logging.level",
        status: Status::Deprecated,
        since: "v0.41.0",
        replacement: Replacement::Advice("use the command 'Developer: Set Log Level...'"),
        message: "package.json: \"This setting is deprecated. Use 'Developer: Set Log Level...' command to control logging level instead.\"",
    },
    removed("go.useGoProxyToCheckForToolUpdates", "v0.40.0", Replacement::Advice("use `go.toolsManagement.checkForUpdates` (\"proxy\" | \"local\" | \"off\")"), "deprecated in v0.20.0, removed in v0.40.0"),
    removed("go.overwriteGoplsMiddleware", "v0.24.0", Replacement::None, "deprecated in v0.20.0, removed in v0.24.0"),
    removed("go.languageServerExperimentalFeatures", "v0.39.0", Replacement::Advice("its documentLink option is gopls `ui.navigation.importShortcut`"), "deprecated in v0.21.0, removed in v0.39.0"),
    removed("go.autocompleteUnimportedPackages", "v0.40.0", Replacement::None, LS),
    removed("go.docsTool", "v0.40.0", Replacement::None, LS),
    removed("go.gocodeAutoBuild", "v0.40.0", Replacement::None, LS),
    removed("go.gocodeFlags", "v0.40.0", Replacement::None, LS),
    removed("go.gocodePackageLookupMode", "v0.40.0", Replacement::None, LS),
    removed("go.gotoSymbol.ignoreFolders", "v0.40.0", Replacement::None, LS),
    removed("go.gotoSymbol.includeGoroot", "v0.40.0", Replacement::None, LS),
    removed("go.gotoSymbol.includeImports", "v0.40.0", Replacement::None, LS),
    removed("go.liveErrors", "v0.40.0", Replacement::None, LS),
    removed("go.useCodeSnippetsOnFunctionSuggest", "v0.40.0", Replacement::GoplsKey("ui.completion.usePlaceholders"), LS),
    removed("go.useCodeSnippetsOnFunctionSuggestWithoutType", "v0.40.0", Replacement::GoplsKey("ui.completion.usePlaceholders"), LS),
    removed("go.formatOnSave", "(Microsoft era)", Replacement::Advice("use `\"[go]\": {\"editor.formatOnSave\": true}`"), "replaced by editor.formatOnSave (VG CHANGELOG)"),
    removed("go.referencesCodeLens.enabled", "(Microsoft era)", Replacement::Advice("use `go.enableCodeLens`"), "replaced by go.enableCodeLens (VG CHANGELOG)"),
];

pub fn lookup(key: &str) -> Option<&'static GoSetting> {
    GO_SETTINGS.iter().find(|s| s.key == key)
}
