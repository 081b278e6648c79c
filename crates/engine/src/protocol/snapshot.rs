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
    /// The user's own shell (`$SHELL`, else the passwd entry; never a path from settings) run
    /// the way VS Code resolves the shell environment: `<shell> -i -l -c 'eval
    /// "$GSD_LOGIN_SHELL_SCRIPT"'` (fish, zsh, bash, dash, sh; the script is in `envOverrides`),
    /// stdin closed. Between the lines `@@gsd-login-shell-begin@@` and
    /// `@@gsd-login-shell-end@@` the script prints `env NAME=value` (PATH, GOROOT, GOPATH, GOBIN,
    /// GOFLAGS, GO111MODULE, GOTOOLCHAIN, when set), `which <tool>=<path>` (`command -v` of go,
    /// gopls, dlv, ...) and `go version=<first line of GOTOOLCHAIN=local go version 2>&1>`.
    /// Absent when not run (Windows, an unsupported shell; see `skippedProbes`).
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login_shell: Option<CommandRun>,
    /// Version-manager pin files (`.tool-versions`, `.go-version`, `mise.toml`, `.mise.toml`)
    /// found in the first workspace folder and its parents up to the home directory (capped).
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_files: Option<Vec<FileText>>,
    /// Programs named by variables or settings, looked up on disk but never run: `CC` / `CXX`
    /// as `go env` reports them, `GOPACKAGESDRIVER` from the environment, `go.toolsEnvVars` and
    /// gopls `build.env`. Absent when nothing was looked up.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub program_lookups: Option<Vec<ProgramLookup>>,
    /// The end of the language server's output channels that VS Code wrote to disk for this
    /// window, newest first: `<n>-gopls (server).log` and `<n>-gopls.log` in the
    /// `output_logging_<stamp>` dirs next to our own log dir (`context.logUri`): desktop
    /// `<logs>/<session>/window<N>/exthost/`, remote hosts and code-server
    /// `<logs>/<session>/exthost<N>/`. Absent outside VS Code.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language_server_logs: Option<Vec<LogTail>>,
}

/// The last bytes of a log file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct LogTail {
    pub path: String,
    /// The last bytes of the file (at most 64 KiB), starting at a line boundary.
    pub text: String,
    /// Size of the whole file in bytes.
    #[cfg_attr(test, ts(type = "number"))]
    pub size: u64,
    /// Modification time in ms since the Unix epoch.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mtime_ms: Option<f64>,
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
    /// Linux: text of `/proc/self/cgroup` of the gathering process (cgroup v2: `0::/path`; v1:
    /// one `N:controllers:/path` line per hierarchy). gopls, started by the extension host, is in
    /// the same cgroup unless something moved it.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cgroup: Option<String>,
    /// Linux: the memory files of that cgroup that could be read, with their paths: v2
    /// `memory.max`, `memory.events`, `memory.peak`; v1 `memory.limit_in_bytes`,
    /// `memory.oom_control`, `memory.max_usage_in_bytes`.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cgroup_memory: Option<Vec<FileText>>,
    /// Linux: `dmesg` run by the gathering process. `stdout` keeps only the OOM killer's lines
    /// (`oom-kill:`, `Killed process`, `Out of memory`), the last 200 of them; a refusal
    /// (`dmesg: read kernel buffer failed: Operation not permitted`) is kept as it was.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kernel_log: Option<CommandRun>,
    /// Linux: text of `/proc/uptime` (the kernel log stamps are seconds since boot).
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uptime: Option<String>,
    /// macOS: `/usr/bin/xcode-select -p` (the active developer directory: Xcode or the Command
    /// Line Tools).
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub xcode_select: Option<CommandRun>,
    /// macOS: `/usr/sbin/DevToolsSecurity -status` (whether developer mode lets non-admin
    /// users debug).
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dev_tools_security: Option<CommandRun>,
    /// macOS: delve's `debugserver` locations (Command Line Tools, and the Xcode one next to
    /// `xcode-select -p`), each with whether a file is there.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub debugservers: Option<Vec<PathExists>>,
}

/// Whether something exists at a path, as the gathering process found it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct PathExists {
    pub path: String,
    pub exists: bool,
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
    /// Other executable copies of the tool further down the lookup order, shadowed by `path`
    /// (a symlink to the same binary is not a copy). `go version -m` covers them too.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub also_found: Option<Vec<String>>,
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
    /// The folder's golangci-lint config (`.golangci.yml`, `.yaml`, `.toml`, `.json`: the first that
    /// exists, in the order golangci-lint's docs list them), for the v1/v2 `version` check of GSD206.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub golangci_config: Option<FileText>,
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
    /// What the `program` of each Go launch configuration points at (this folder's launch.json
    /// and, when it is the only folder, the workspace file's `launch` block). Programs holding
    /// variables other than `${workspaceFolder}` are not resolved and not listed.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub launch_targets: Option<Vec<LaunchTarget>>,
}

/// The file system at a launch configuration's `program` (stat, first bytes, package clauses;
/// nothing is run).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct LaunchTarget {
    /// `program` as written in the configuration.
    pub program: String,
    /// The absolute path it resolves to (`${workspaceFolder}` and relative paths: the folder).
    pub path: String,
    /// `dir`, `file`, `missing` or `other`.
    pub kind: String,
    /// The stat error code when missing (`ENOENT`, `ENOTDIR`, `EACCES`).
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// A file's first bytes (up to 4), hex: `7f454c46` is ELF.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub magic: Option<String>,
    /// A file's permission bits (`st_mode & 0o777`).
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<u32>,
    /// The `.go` files of the directory (or the `.go` file itself), sorted, capped.
    pub go_files: Vec<GoFileHead>,
    /// More `.go` files than listed.
    pub go_files_capped: bool,
}

/// What the head (first 2 KB) of a `.go` file says.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct GoFileHead {
    /// File name.
    pub name: String,
    /// The package clause's name; absent when none was found in the head.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    /// The `//go:build` expression before the package clause, if any.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build: Option<String>,
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

/// A program named by a variable, looked up the way its user would (a path is taken as is, a
/// bare name is searched on PATH), without executing it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", default)]
pub struct ProgramLookup {
    /// The variable: `CC`, `CXX`, `GOPACKAGESDRIVER`.
    pub var: String,
    /// Where the value was read: `go env`, `env`, `go.toolsEnvVars (folder settings)`,
    /// `gopls build.env (user settings)`.
    pub source: String,
    /// The value as written (`gcc`, `clang -m64`, `${workspaceFolder}/tools/driver.sh`).
    pub value: String,
    /// The program looked up: the first word of a CC/CXX value, the value otherwise, with
    /// `~` / `${workspaceFolder}` / `${env:X}` expanded.
    pub program: String,
    /// Absolute path of what was found, or of what was looked at for a path value.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<String>,
    /// Directories searched for a bare name (PATH order).
    pub searched: Vec<String>,
    /// Something exists at `resolved`.
    pub exists: bool,
    /// It is a file with execute permission for this user.
    pub executable: bool,
    /// What is there when it is not executable (`a directory`, `a file without execute
    /// permission (mode 0644)`).
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}
