//! GSD2xx: tools (gopls, dlv, linters, formatters).
pub mod dlv_missing_or_incompatible;
pub mod format_tool_missing;
pub mod gopls_go_incompatible;
pub mod gopls_missing;
pub mod gopls_outdated;
pub mod lint_tool_missing;
pub mod tool_blocked_by_security;
pub mod tool_not_executable;
pub mod tool_shadowed;
pub mod tool_wrong_arch;
