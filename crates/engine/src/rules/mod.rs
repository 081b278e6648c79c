//! One rule per file, grouped by area (the first digit of the code).
pub(crate) mod common;
pub mod environment;
pub mod extensions;
pub(crate) mod host;
pub mod language_server;
pub mod platform;
pub mod probes;
pub mod settings;
pub(crate) mod shell;
pub mod toolchain;
pub mod tools;
pub mod workspace;
