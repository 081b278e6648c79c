//! GSD5xx: environment variables.
pub mod cache_not_writable;
pub mod credentials_in_env;
pub mod cross_compile_env_leak;
pub mod go111module_legacy;
pub mod goflags_invalid;
pub mod proxy_settings;
