//! THE code table. Codes are permanent: never renumber or reuse (a rename adds a redirect).

use crate::context::Context;
use crate::protocol::{Category, RuleInfo, Severity};
use crate::sink::Sink;

/// Whether a rule's findings carry fixes (ruff's `FixAvailability`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

impl FixAvailability {
    pub fn label(self) -> &'static str {
        match self {
            FixAvailability::None => "none",
            FixAvailability::Sometimes => "sometimes",
            FixAvailability::Always => "always",
        }
    }
}

/// Rule metadata, captured by [`declare_rule!`] with the doc comment and source location.
#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// What is checked, in a few words, for the list of passing checks.
    pub summary: &'static str,
    pub fix: FixAvailability,
    pub since: &'static str,
    pub docs: &'static str,
    pub file: &'static str,
    pub line: u32,
}

impl RuleMeta {
    pub fn doc_path(&self) -> String {
        format!("docs/rules/{}-{}.md", self.code, self.name)
    }

    pub fn info(&self) -> RuleInfo {
        RuleInfo {
            code: self.code.to_string(),
            name: self.name.to_string(),
            category: self.category,
            default_severity: self.severity,
            summary: self.summary.to_string(),
            fix: self.fix.label().to_string(),
            since: self.since.to_string(),
            doc: self.doc_path(),
            docs_markdown: self.docs.to_string(),
            source: format!("{}#L{}", self.file, self.line),
        }
    }
}

/// Declares a rule's metadata; the doc comment becomes its documentation.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub $id:ident {
            code: $code:literal,
            name: $name:literal,
            category: $cat:ident,
            severity: $sev:ident,
            summary: $summary:literal,
            fix: $fix:ident,
            since: $since:literal $(,)?
        }
    ) => {
        pub static $id: $crate::registry::RuleMeta = $crate::registry::RuleMeta {
            code: $code,
            name: $name,
            category: $crate::protocol::Category::$cat,
            severity: $crate::protocol::Severity::$sev,
            summary: $summary,
            fix: $crate::registry::FixAvailability::$fix,
            since: $since,
            docs: concat!($($doc, "\n"),*),
            file: file!(),
            line: line!(),
        };
    };
}

pub type CheckFn = fn(&Context<'_>, &mut Sink);

pub struct Rule {
    pub meta: &'static RuleMeta,
    pub check: CheckFn,
}

macro_rules! rules {
    ($($area:ident :: $module:ident => $meta:ident),* $(,)?) => {
        pub static RULES: &[Rule] = &[
            $(Rule { meta: &crate::rules::$area::$module::$meta, check: crate::rules::$area::$module::check }),*
        ];
    };
}

rules! {
    toolchain::go_not_found => GO_NOT_FOUND,
    toolchain::multiple_go => MULTIPLE_GO,
    toolchain::goroot_mismatch => GOROOT_MISMATCH,
    toolchain::go_unsupported => GO_UNSUPPORTED,
    toolchain::go_env_failed => GO_ENV_FAILED,
    toolchain::toolchain_too_old_for_module => TOOLCHAIN_TOO_OLD_FOR_MODULE,
    toolchain::gopath_equals_goroot => GOPATH_EQUALS_GOROOT,
    toolchain::gobin_not_on_path => GOBIN_NOT_ON_PATH,
    toolchain::go_arch_mismatch => GO_ARCH_MISMATCH,
    toolchain::gui_path_differs => GUI_PATH_DIFFERS,
    toolchain::version_manager_shim => VERSION_MANAGER_SHIM,
    tools::gopls_missing => GOPLS_MISSING,
    tools::gopls_go_incompatible => GOPLS_GO_INCOMPATIBLE,
    tools::gopls_outdated => GOPLS_OUTDATED,
    tools::dlv_missing_or_incompatible => DLV_MISSING_OR_INCOMPATIBLE,
    tools::format_tool_missing => FORMAT_TOOL_MISSING,
    tools::lint_tool_missing => LINT_TOOL_MISSING,
    tools::tool_wrong_arch => TOOL_WRONG_ARCH,
    tools::tool_shadowed => TOOL_SHADOWED,
    tools::tool_not_executable => TOOL_NOT_EXECUTABLE,
    tools::tool_blocked_by_security => TOOL_BLOCKED_BY_SECURITY,
    settings::deprecated_setting => DEPRECATED_SETTING,
    settings::removed_setting => REMOVED_SETTING,
    settings::gopls_deprecated_setting => GOPLS_DEPRECATED_SETTING,
    settings::unknown_setting => UNKNOWN_SETTING,
    settings::invalid_value => INVALID_VALUE,
    settings::invalid_gopls_flag => INVALID_GOPLS_FLAG,
    settings::workspace_overrides_user => WORKSPACE_OVERRIDES_USER,
    settings::language_server_disabled => LANGUAGE_SERVER_DISABLED,
    settings::path_setting_missing => PATH_SETTING_MISSING,
    settings::tools_env_conflict => TOOLS_ENV_CONFLICT,
    settings::settings_parse_error => SETTINGS_PARSE_ERROR,
    settings::race_without_cgo => RACE_WITHOUT_CGO,
    settings::go_formatter_overridden => GO_FORMATTER_OVERRIDDEN,
    settings::wrong_scope_setting => WRONG_SCOPE_SETTING,
    settings::staticcheck_twice => STATICCHECK_TWICE,
    settings::format_twice => FORMAT_TWICE,
    settings::launch_config_outdated => LAUNCH_CONFIG_OUTDATED,
    settings::workspace_executes_code => WORKSPACE_EXECUTES_CODE,
    settings::build_tags_ignored => BUILD_TAGS_IGNORED,
    settings::redundant_or_misplaced_setting => REDUNDANT_OR_MISPLACED_SETTING,
    settings::launch_target_invalid => LAUNCH_TARGET_INVALID,
    workspace::no_module => NO_MODULE,
    workspace::nested_modules => NESTED_MODULES,
    workspace::go_work_broken => GO_WORK_BROKEN,
    workspace::gopath_mode => GOPATH_MODE,
    workspace::vendor_mismatch => VENDOR_MISMATCH,
    workspace::workspace_on_slow_fs => WORKSPACE_ON_SLOW_FS,
    workspace::too_many_files_for_watchers => TOO_MANY_FILES_FOR_WATCHERS,
    workspace::ancestor_module => ANCESTOR_MODULE,
    workspace::module_graph_out_of_sync => MODULE_GRAPH_OUT_OF_SYNC,
    workspace::wasm_target_imports => WASM_TARGET_IMPORTS,
    environment::go111module_legacy => GO111MODULE_LEGACY,
    environment::proxy_settings => PROXY_SETTINGS,
    environment::goflags_invalid => GOFLAGS_INVALID,
    environment::cgo_no_compiler => CGO_NO_COMPILER,
    environment::cache_not_writable => CACHE_NOT_WRITABLE,
    environment::credentials_in_env => CREDENTIALS_IN_ENV,
    environment::cross_compile_env_leak => CROSS_COMPILE_ENV_LEAK,
    environment::tools_network_unreachable => TOOLS_NETWORK_UNREACHABLE,
    environment::private_module_access => PRIVATE_MODULE_ACCESS,
    environment::packages_driver_broken => PACKAGES_DRIVER_BROKEN,
    platform::rosetta_translated => ROSETTA_TRANSLATED,
    platform::wsl_windows_go => WSL_WINDOWS_GO,
    platform::remote_tools_missing => REMOTE_TOOLS_MISSING,
    platform::inotify_limit_low => INOTIFY_LIMIT_LOW,
    platform::sandboxed_vscode => SANDBOXED_VSCODE,
    platform::wsl_unc_path => WSL_UNC_PATH,
    platform::ptrace_blocked => PTRACE_BLOCKED,
    platform::macos_debug_prereqs => MACOS_DEBUG_PREREQS,
    platform::open_files_limit_low => OPEN_FILES_LIMIT_LOW,
    extensions::go_extension_missing => GO_EXTENSION_MISSING,
    extensions::conflicting_go_extensions => CONFLICTING_GO_EXTENSIONS,
    extensions::go_extension_restricted => GO_EXTENSION_RESTRICTED,
    extensions::gopls_too_old_for_extension => GOPLS_TOO_OLD_FOR_EXTENSION,
    language_server::gopls_not_running => GOPLS_NOT_RUNNING,
    language_server::gopls_heavy => GOPLS_HEAVY,
    language_server::gopls_stale_binary => GOPLS_STALE_BINARY,
    language_server::gopls_killed => GOPLS_KILLED,
    probes::probe_failed => PROBE_FAILED,
    probes::probe_skipped => PROBE_SKIPPED,
}

pub fn find(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.meta.code == code)
}
