//! GSD4xx: workspace and modules.
pub mod ancestor_module;
pub mod go_work_broken;
pub mod gopath_mode;
pub mod module_graph_out_of_sync;
pub mod nested_modules;
pub mod no_module;
pub mod too_many_files_for_watchers;
pub mod vendor_mismatch;
pub mod wasm_target_imports;
pub mod workspace_on_slow_fs;
