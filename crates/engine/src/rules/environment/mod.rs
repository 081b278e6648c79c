//! GSD5xx: environment variables.
pub mod cache_not_writable;
pub mod cgo_no_compiler;
pub mod credentials_in_env;
pub mod cross_compile_env_leak;
pub mod go111module_legacy;
pub mod goflags_invalid;
pub mod packages_driver_broken;
pub mod private_module_access;
pub mod proxy_settings;
pub mod tools_network_unreachable;
