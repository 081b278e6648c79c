//! GSD4xx: workspace and modules.
pub mod no_module;
