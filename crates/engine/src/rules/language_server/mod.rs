//! GSD8xx: the language server at run time (running gopls processes).
pub mod gopls_heavy;
pub mod gopls_killed;
pub mod gopls_not_running;
pub mod gopls_stale_binary;
