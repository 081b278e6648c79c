//! The Report: what the engine concluded. API boundary, versioned with the Snapshot schema.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct Report {
    pub schema: u32,
    pub engine_version: String,
    pub findings: Vec<Finding>,
    /// Every rule, with whether it passed, found something, or was skipped (and why).
    pub checks: Vec<Check>,
    pub summary: Summary,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct Summary {
    pub errors: u32,
    pub warnings: u32,
    pub infos: u32,
    pub passed: u32,
    pub skipped: u32,
    /// Checks that do not apply to this machine (`notApplicable`).
    pub not_applicable: u32,
}

#[derive(
    Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    Error,
    #[default]
    Warning,
    Info,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

#[derive(
    Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum Category {
    #[default]
    Toolchain,
    Tools,
    Settings,
    Workspace,
    Environment,
    Platform,
    Extensions,
    LanguageServer,
    Probes,
}

impl Category {
    pub fn title(self) -> &'static str {
        match self {
            Category::Toolchain => "Go toolchain",
            Category::Tools => "Tools",
            Category::Settings => "VS Code settings",
            Category::Workspace => "Workspace and modules",
            Category::Environment => "Environment",
            Category::Platform => "Platform and remote",
            Category::Extensions => "Extensions",
            Category::LanguageServer => "Language server",
            Category::Probes => "Probes",
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct Finding {
    /// `GSD103`.
    pub code: String,
    /// `goroot-mismatch`.
    pub name: String,
    pub category: Category,
    pub severity: Severity,
    /// One line, plain words.
    pub title: String,
    /// The explanation, with the paths and versions that prove it.
    pub message: String,
    /// Raw facts the finding rests on (`GOROOT=/usr/lib/go-1.24 (process env)`, an stderr line, ...).
    pub evidence: Vec<String>,
    /// Where it lives in a file (e.g. the key in settings.json), when it does.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Other places that matter (e.g. the user value a workspace value overrides).
    pub related: Vec<Related>,
    pub fixes: Vec<Fix>,
    /// Relative path of the rule's doc, e.g. `docs/rules/GSD103-goroot-mismatch.md`.
    pub doc: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct Related {
    pub message: String,
    pub location: Location,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct Location {
    pub uri: String,
    pub range: Range,
}

/// A range in UTF-16 code units (as VS Code and JavaScript strings count), with the
/// equivalent absolute offsets into the text (also UTF-16 code units).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct Range {
    pub start: Position,
    pub end: Position,
    pub start_offset: u32,
    pub end_offset: u32,
}

/// Zero-based line and UTF-16 character.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct Position {
    pub line: u32,
    pub character: u32,
}

/// ruff's meanings: `safe` keeps meaning and may be applied by "fix all"; `unsafe` may change
/// behaviour and needs review; `displayOnly` is shown, never applied.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum Applicability {
    #[default]
    Safe,
    Unsafe,
    DisplayOnly,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub actions: Vec<Action>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Action {
    /// Text edits on one file, computed from its syntax tree (comments and order survive).
    #[serde(rename_all = "camelCase")]
    EditFile { uri: String, edits: Vec<TextEdit> },
    /// A shell command for the user to run (shown, or sent to a terminal on request).
    #[serde(rename_all = "camelCase")]
    RunShell {
        command: String,
        #[cfg_attr(test, ts(optional))]
        #[serde(skip_serializing_if = "Option::is_none")]
        cwd: Option<String>,
    },
    /// A line to add to a shell profile file.
    #[serde(rename_all = "camelCase")]
    AppendToProfile { file: String, line: String },
    /// A VS Code command.
    #[serde(rename_all = "camelCase")]
    RunVsCodeCommand { command: String, args: Vec<String> },
    #[serde(rename_all = "camelCase")]
    OpenUrl { url: String },
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct TextEdit {
    pub range: Range,
    pub new_text: String,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum CheckStatus {
    #[default]
    Passed,
    Failed,
    Skipped,
    /// The check is about a platform or setup this machine is not (a macOS-only check on Linux,
    /// a WSL check outside WSL): nothing was checked, and nothing is claimed.
    NotApplicable,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct Check {
    pub code: String,
    pub name: String,
    pub category: Category,
    /// What the rule checks, in a few words (`GOROOT matches the go binary`).
    pub summary: String,
    pub status: CheckStatus,
    /// Why it was skipped.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Metadata of one rule, for docs and tooltips.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct RuleInfo {
    pub code: String,
    pub name: String,
    pub category: Category,
    pub default_severity: Severity,
    pub summary: String,
    pub fix: String,
    pub since: String,
    pub doc: String,
    pub docs_markdown: String,
    pub source: String,
}
