//! GSD6xx: platform and remote.
pub mod inotify_limit_low;
pub mod macos_debug_prereqs;
pub mod open_files_limit_low;
pub mod ptrace_blocked;
pub mod remote_tools_missing;
pub mod rosetta_translated;
pub mod sandboxed_vscode;
pub mod wsl_unc_path;
pub mod wsl_windows_go;
