//! GSD1xx: the Go toolchain.
pub mod go_arch_mismatch;
pub mod go_env_failed;
pub mod go_not_found;
pub mod go_unsupported;
pub mod gobin_not_on_path;
pub mod gopath_equals_goroot;
pub mod goroot_mismatch;
pub mod gui_path_differs;
pub mod multiple_go;
pub mod toolchain_too_old_for_module;
pub mod version_manager_shim;
