//! GSD2xx: tools (gopls, dlv, linters, formatters).
pub mod gopls_go_incompatible;
pub mod gopls_missing;
