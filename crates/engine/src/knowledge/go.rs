//! Go release facts.
//!
//! Source: shared/knowledge/GO-FACTS.md §3a/§3c: gopls v0.23.0 (2026-07-07) was released "for Go
//! 1.27 RC", so Go 1.26 is the newest stable minor known; vscode-go's minimum is "latest stable
//! minor − 3" (vscode-go@28e27ffd `extension/src/goEnvironmentStatus.ts`), and gopls supports
//! the two most recent major Go releases at run time (golang/tools `gopls/doc/index.md`).

pub const CHECKED_ON: &str = "2026-08-21";

/// Newest stable Go minor known to the engine (Go 1.26).
pub const NEWEST_STABLE_MINOR: u64 = 26;

/// vscode-go notifies below this minor: `The minimum supported Go version is 1.X.0.`
pub const fn vscode_go_minimum_minor() -> u64 {
    NEWEST_STABLE_MINOR - 3
}

/// Map Node's / uname's architecture names to GOARCH.
pub fn goarch_of(arch: &str) -> Option<&'static str> {
    match arch {
        "x64" | "x86_64" | "amd64" => Some("amd64"),
        "arm64" | "aarch64" => Some("arm64"),
        "ia32" | "i386" | "i686" | "x86" | "386" => Some("386"),
        "arm" | "armv7l" | "armv6l" => Some("arm"),
        "riscv64" => Some("riscv64"),
        "ppc64" | "ppc64le" => Some("ppc64le"),
        "s390x" => Some("s390x"),
        "loong64" | "loongarch64" => Some("loong64"),
        _ => None,
    }
}

/// Map Node's `process.platform` to GOOS.
pub fn goos_of(os: &str) -> Option<&'static str> {
    match os {
        "linux" => Some("linux"),
        "darwin" => Some("darwin"),
        "win32" | "windows" => Some("windows"),
        "freebsd" => Some("freebsd"),
        "openbsd" => Some("openbsd"),
        _ => None,
    }
}
