//! The Snapshot: raw observations of one machine and workspace at one moment.
//!
//! API boundary. Versioned by [`SCHEMA_VERSION`]; every change is reviewed. It holds what the
//! gather layer *saw* (command outputs, file texts, env values, paths), never conclusions: those
//! belong to rules, so every rule can be tested from a JSON file alone.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Current version of the Snapshot schema.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct Snapshot {
    /// Schema version; the engine refuses unknown versions at the boundary.
    pub schema: u32,
    /// Where this snapshot came from (`vscode`, `headless`, `fixture: <origin>`); informational.
    pub origin: String,
    pub host: Host,
    /// Present when gathered inside VS Code.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vscode: Option<VsCode>,
    /// The environment the extension host (or the headless command) runs with. Allow-listed
    /// variables only (PATH, GO*, CGO*, CC, HOME, SHELL, proxies, ...).
    #[cfg_attr(test, ts(type = "Record<string, string>"))]
    pub env: BTreeMap<String, String>,
    /// Every settings layer, lowest precedence first.
    pub settings: Vec<SettingsLayer>,
    /// Every `go` binary found, in the order the Go extension would consider them.
    pub go_candidates: Vec<GoCandidate>,
    /// Probes of the `go` that will be used (the first usable candidate).
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub go: Option<GoProbe>,
    /// Tool binaries (gopls, dlv, ...) looked for.
    pub tools: Vec<ToolLookup>,
    /// ONE `go version -m <all tool binaries>` run.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tools_build_info: Option<CommandRun>,
    pub workspace: Workspace,
    /// Text of the `go env -w` file (GOENV), if it exists.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub go_env_file: Option<FileText>,
    /// Probes the gatherer decided not to run, and why (e.g. untrusted workspace).
    pub skipped_probes: Vec<SkippedProbe>,
    /// Running gopls processes (Linux: from /proc; macOS: from `ps`). Absent when the process
    /// table was not looked at (Windows, or the probe failed); empty when no gopls runs.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub processes: Option<Vec<ProcessInfo>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct Host {
    /// Node's `process.platform`: `linux`, `darwin`, `win32`.
    pub os: String,
    /// Node's `process.arch` of the extension host: `x64`, `arm64`, ...
    pub arch: String,
    /// `uname -m` (or equivalent) of the machine, if observed.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub machine: Option<String>,
    /// macOS only: `sysctl -n sysctl.proc_translated` run by the extension host
    /// (stdout `1` = translated by Rosetta, `0` = native).
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proc_translated: Option<CommandRun>,
    /// The user's login shell (from `$SHELL` / passwd), e.g. `/bin/zsh`.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shell: Option<String>,
    /// The home directory, for display and redaction.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub home: Option<String>,
    /// Process id of the process that gathered (the extension host inside VS Code, else the CLI).
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
    /// Linux: text of `/proc/version` (WSL kernels say `microsoft`).
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proc_version: Option<String>,
    /// Linux: whether `/proc/sys/fs/binfmt_misc/WSLInterop` exists (WSL runs Windows `.exe` files).
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wsl_interop: Option<bool>,
    /// Text of `/.flatpak-info`, which exists only inside a Flatpak sandbox.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flatpak_info: Option<String>,
    /// Container marker files that exist: `/.dockerenv` (Docker), `/run/.containerenv` (Podman).
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_markers: Option<Vec<String>>,
    /// Linux: text of `/proc/sys/fs/inotify/max_user_watches`.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inotify_max_user_watches: Option<String>,
    /// Linux: text of `/proc/sys/user/max_inotify_watches`, the limit of this user namespace
    /// (lower than the one above inside some containers).
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub userns_max_inotify_watches: Option<String>,
    /// Linux: text of `/proc/sys/kernel/yama/ptrace_scope` (absent without the Yama LSM).
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ptrace_scope: Option<String>,
    /// Linux: the `CapEff:` and `Seccomp:` lines of `/proc/self/status` of the gathering process.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proc_status: Option<String>,
    /// Linux: text of `/proc/self/limits` of the gathering process (`Max open files` is RLIMIT_NOFILE).
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proc_limits: Option<String>,
    /// macOS: `/bin/sh -c 'ulimit -Sn; ulimit -Hn'` run by the gathering process (its children
    /// inherit the same open-file limits).
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ulimit_nofile: Option<CommandRun>,
    /// Linux: the lines of `/proc/self/mountinfo` whose mount point is a prefix of a path rules
    /// ask about (TMPDIR, GOTMPDIR, GOCACHE, GOMODCACHE, workspace folders), in file order. The
    /// mount of a path is the longest matching mount point (the last one when stacked).
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mountinfo: Option<Vec<String>>,
    /// Writability of the directories Go writes to (GOCACHE, GOMODCACHE, GOTMPDIR, TMPDIR).
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dir_access: Option<Vec<DirAccess>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct VsCode {
    pub version: String,
    /// `vscode.workspace.isTrusted`.
    pub trusted: bool,
    /// `vscode.env.remoteName` (`ssh-remote`, `wsl`, `dev-container`, ...).
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_name: Option<String>,
    pub extensions: Vec<ExtensionInfo>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct ExtensionInfo {
    pub id: String,
    pub version: String,
    pub active: bool,
}

/// Settings scopes, lowest precedence first (VS Code: default < user < remote < workspace file
/// < workspace folder).
#[derive(
    Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum Scope {
    Default,
    #[default]
    User,
    Remote,
    /// The `settings` object of a `*.code-workspace` file.
    WorkspaceFile,
    /// A folder's `.vscode/settings.json`.
    WorkspaceFolder,
}

impl Scope {
    pub fn label(self) -> &'static str {
        match self {
            Scope::Default => "default",
            Scope::User => "user",
            Scope::Remote => "remote",
            Scope::WorkspaceFile => "workspace file",
            Scope::WorkspaceFolder => "folder",
        }
    }
}

/// One settings file as raw JSONC text.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct SettingsLayer {
    pub scope: Scope,
    /// `file:///...` URI of the file.
    pub uri: String,
    /// For `workspaceFolder` layers: the folder's URI.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folder: Option<String>,
    /// Raw JSONC text; absent when the file does not exist or could not be read.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Why the file could not be read (e.g. `EACCES: permission denied`); absent if it does
    /// not exist or was read.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_error: Option<String>,
}

/// Where a `go` candidate came from, in the Go extension's lookup order.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum GoSource {
    /// `go.alternateTools.go`.
    AlternateTools,
    /// `<go.goroot>/bin/go`.
    GorootSetting,
    /// `$GOROOT/bin/go` from the process environment.
    GorootEnv,
    /// A `PATH` entry.
    #[default]
    Path,
    /// A well-known install directory not on PATH (/usr/local/go/bin, ~/sdk/go*/bin, ...).
    WellKnown,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct GoCandidate {
    /// Path as found (may be a symlink).
    pub path: String,
    /// `realpath` of `path`, when it resolves.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub real_path: Option<String>,
    pub source: GoSource,
    /// Whether the file exists and is executable.
    pub executable: bool,
    /// `go version` of this candidate, when it was run.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<CommandRun>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct GoProbe {
    /// Index into `goCandidates` of the `go` that will be used.
    pub candidate: u32,
    /// `go version`.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<CommandRun>,
    /// `go env -json`, run in the first workspace folder with the tools env.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env: Option<CommandRun>,
}

/// One run of an external command, exactly as observed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct CommandRun {
    pub argv: Vec<String>,
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
    /// Variables set or changed relative to the host environment for this run.
    #[cfg_attr(test, ts(type = "Record<string, string>"))]
    pub env_overrides: BTreeMap<String, String>,
    pub stdout: String,
    pub stderr: String,
    /// Exit code; absent when killed by a signal, timed out, or never started.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    /// Signal name when killed by one (`SIGSEGV`, `SIGKILL`, ...).
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signal: Option<String>,
    pub timed_out: bool,
    /// The timeout that applied, in milliseconds.
    pub timeout_ms: u32,
    /// Spawn failure (`ENOENT`, `EACCES`, `ENOEXEC`, ...) with its message.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spawn_error: Option<String>,
    /// Output beyond the capture limit was dropped.
    pub truncated: bool,
    pub duration_ms: f64,
    /// Reused from an earlier identical run (same binary, arguments, environment, module
    /// files) instead of being run again; every other field is that run's, `durationMs` too.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cached: Option<bool>,
}

impl CommandRun {
    /// Ran to completion with exit code 0.
    pub fn succeeded(&self) -> bool {
        self.exit_code == Some(0) && !self.timed_out && self.spawn_error.is_none()
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct ToolLookup {
    /// `gopls`, `dlv`, ...
    pub name: String,
    /// The binary that will be used, if any.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// How it was found: `alternateTools`, `gobin`, `gopath`, `goroot`, `path`.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found_via: Option<String>,
    /// Every place looked at, in order.
    pub searched: Vec<String>,
    /// Places in `searched` where something exists that cannot be run, and what it is (`a
    /// directory`, `a file without execute permission (mode 0644)`); skipped, as vscode-go does.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unusable: Option<BTreeMap<String, String>>,
    /// The tool's own version command (`gopls version -json`, `dlv version`), when run.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<CommandRun>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct FileText {
    pub path: String,
    pub text: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct Workspace {
    /// The `*.code-workspace` file, if one is open.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace_file: Option<String>,
    pub folders: Vec<Folder>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct Folder {
    pub uri: String,
    pub path: String,
    /// go.mod of the folder itself.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub go_mod: Option<FileText>,
    /// go.work of the folder itself.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub go_work: Option<FileText>,
    /// The nearest go.mod / go.work found in an ancestor directory.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ancestor_go_mod: Option<String>,
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ancestor_go_work: Option<String>,
    /// Relative paths of some .go files found (capped).
    pub go_files: Vec<String>,
    /// Relative directories holding a go.mod below the folder.
    pub nested_modules: Vec<String>,
    /// Files visited by the walk.
    pub files_visited: u32,
    /// The walk stopped at its cap.
    pub walk_capped: bool,
    /// Directories visited by the walk (below the folder; `.git`, `node_modules`, `vendor` not entered).
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dirs_visited: Option<u32>,
    /// `.vscode/launch.json` of the folder, as raw JSONC.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub launch_json: Option<FileText>,
    /// Whether the folder has a `vendor` directory; absent when not looked at.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor_dir: Option<bool>,
    /// `vendor/modules.txt` of the folder (at most its first 512 KiB), when it exists.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor_modules_txt: Option<FileText>,
    /// The top-level subdirectories holding the most directories (the walk's count below each,
    /// itself included), largest first, at most 5; absent when not counted.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub largest_dirs: Option<Vec<DirCount>>,
    /// `go list -mod=readonly -m all` run in the folder (only when it has its own go.mod) with
    /// GOPROXY=off and GOTOOLCHAIN=local: offline, writes nothing, runs no other toolchain.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module_check: Option<CommandRun>,
    /// How many `.go` files the import scan read (the first ones the walk met, capped); absent when
    /// not scanned.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub go_files_scanned: Option<u32>,
    /// Of those, the files whose head (build constraints, package clause, imports; at most 4 KiB)
    /// mentions `"syscall/js"`, with that head as text.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub syscall_js_files: Option<Vec<FileText>>,
}

/// A directory of a workspace folder and how many directories the walk counted in it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct DirCount {
    /// Relative to the folder, `/`-separated.
    pub path: String,
    pub dirs: u32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct SkippedProbe {
    pub probe: String,
    pub reason: String,
}

/// Whether a directory can be written, as the gathering process found it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct DirAccess {
    /// Which variable the path comes from: `GOCACHE`, `GOMODCACHE`, `GOTMPDIR`, `TMPDIR`.
    pub var: String,
    pub path: String,
    pub exists: bool,
    /// The path checked with `access(W_OK)`: the path itself, or its nearest existing ancestor
    /// when it does not exist yet (Go creates it).
    pub checked: String,
    pub writable: bool,
    /// The error of the check (`EROFS: read-only file system, access '/x'`), when not writable.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One running gopls process.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct ProcessInfo {
    pub pid: u32,
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ppid: Option<u32>,
    /// Parent, grandparent, ... up to pid 1: whether the process descends from `host.pid`.
    pub ancestors: Vec<u32>,
    /// Linux: `readlink /proc/<pid>/exe` verbatim; the kernel appends ` (deleted)` when the file
    /// was removed or replaced since the process started. macOS: the executable path from `ps`.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exe: Option<String>,
    pub cmdline: Vec<String>,
    /// Resident memory in KiB (Linux: `VmRSS` of /proc/<pid>/status; macOS: `ps -o rss`).
    #[cfg_attr(test, ts(optional, type = "number"))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rss_kib: Option<u64>,
    /// When the process started, in ms since the Unix epoch.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time_ms: Option<f64>,
    /// Modification time of the file now at the exe path (without ` (deleted)`), in ms since the
    /// Unix epoch; absent when no file is there.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exe_mtime_ms: Option<f64>,
}
