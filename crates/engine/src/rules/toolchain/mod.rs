//! GSD1xx: the Go toolchain.
pub mod go_env_failed;
pub mod go_not_found;
pub mod goroot_mismatch;
