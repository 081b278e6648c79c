//! vscode-go's debug configuration schema (`"type": "go"` in launch.json) and what the dlv-dap
//! adapter ignores.
//!
//! Sources (read 2026-11-26):
//! - golang/vscode-go@28e27ffd (v0.57.x, HEAD 2026-08-21) `extension/package.json`
//!   `contributes.debuggers[type=go].configurationAttributes` (39 launch, 28 attach attributes);
//!   shared/knowledge/GO-FACTS.md §1c lists the same.
//! - same commit, `extension/src/goDebugConfiguration.ts` (`resolveDebugConfiguration`): the
//!   warnings it shows, `removeGcflags`, the `debugAdapter` default (`dlv-dap`; for
//!   `mode: remote` without `debugAdapter` it falls back to `legacy` when
//!   `dlv substitute-path-guess-helper` fails).
//! - same commit, `docs/debugging.md` (attribute table: `remotePath` "(Deprecated) Use
//!   `substitutePath` instead ... Not supported with `dlv-dap`"; "Where is the `dlvLoadConfig`
//!   setting?").
//! - go-delve/delve `pkg/gobuild/gobuild.go` `goBuildArgs`: delve passes `-gcflags all=-N -l`
//!   first and the user's build flags after it, so a user `-gcflags` wins for the packages it
//!   matches (`go help build`: "the latest match on the command line wins").

pub const SOURCE: &str =
    "vscode-go@28e27ffd extension/package.json debuggers + src/goDebugConfiguration.ts";

/// Attributes of `"request": "launch"`.
#[rustfmt::skip]
pub const LAUNCH_ATTRIBUTES: &[&str] = &[
    "debugAdapter", "program", "mode", "traceDirPath", "coreFilePath", "stopOnEntry", "args",
    "showLog", "cwd", "env", "substitutePath", "buildFlags", "dlvFlags", "port", "host", "trace",
    "envFile", "backend", "output", "logOutput", "logDest", "dlvLoadConfig", "apiVersion",
    "stackTraceDepth", "maxStringLen", "maxArrayValues", "showGlobalVariables", "showRegisters",
    "hideSystemGoroutines", "console", "asRoot", "outputMode", "stdinFrom", "stdoutTo",
    "stderrTo", "goroutineFilters", "showPprofLabels", "followExec", "followExecRegex",
];

/// Attributes of `"request": "attach"`.
#[rustfmt::skip]
pub const ATTACH_ATTRIBUTES: &[&str] = &[
    "debugAdapter", "processId", "mode", "stopOnEntry", "dlvFlags", "showLog", "cwd",
    "remotePath", "port", "host", "substitutePath", "trace", "backend", "logOutput", "logDest",
    "dlvLoadConfig", "apiVersion", "stackTraceDepth", "maxStringLen", "maxArrayValues",
    "showGlobalVariables", "showRegisters", "hideSystemGoroutines", "console", "asRoot",
    "waitFor", "goroutineFilters", "showPprofLabels",
];

/// Attributes VS Code itself defines for every debug configuration (launch.json schema of
/// microsoft/vscode `debugSchemas` / `debugger.ts`), plus `serverReadyAction` of the built-in
/// debug-server-ready extension, and the keys vscode-go reads without declaring them
/// (`useApiV1`, `noDebug`).
#[rustfmt::skip]
pub const COMMON_ATTRIBUTES: &[&str] = &[
    "name", "type", "request", "preLaunchTask", "postDebugTask", "internalConsoleOptions",
    "debugServer", "suppressMultipleSessionWarning", "presentation", "windows", "osx", "linux",
    "serverReadyAction", "useApiV1", "noDebug",
];
