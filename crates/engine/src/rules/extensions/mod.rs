//! GSD7xx: VS Code extensions.
pub mod conflicting_go_extensions;
pub mod go_extension_missing;
pub mod go_extension_restricted;
pub mod gopls_too_old_for_extension;
