//! What the Go extension (golang.go) needs from gopls.
//!
//! Source: vscode-go@28e27ffd `CHANGELOG.md`, v0.23.2 (12 Mar 2021): "Updated the gopls version
//! requirement. v0.23.1 requires v0.6.6+." ([golang/vscode-go#1300]). With an older gopls the
//! client fails at start-up: `Starting client failed ... JSON RPC parse error: json: cannot
//! unmarshal number into Go struct field
//! RenameClientCapabilities.capabilities.textDocument.rename.prepareSupportDefaultBehavior of type
//! bool` (#1300). This is the only hard minimum the changelog states: later entries only name the
//! gopls a *feature* needs ("Go: Add Imports" gopls v0.7.0, vulncheck v0.11.0), and
//! #1328 (postmortem) says "There is no minimum required tool version enforcement" in the code.
//!
//! [golang/vscode-go#1300]: https://github.com/golang/vscode-go/issues/1300

/// Date the table was last checked against its source.
pub const CHECKED_ON: &str = "2026-08-21";

/// (first golang.go version, the oldest gopls it works with, where that is stated).
pub const GOPLS_MINIMUM: &[(&str, &str, &str)] = &[(
    "0.23.1",
    "0.6.6",
    "vscode-go CHANGELOG v0.23.2: \"v0.23.1 requires v0.6.6+\" (golang/vscode-go#1300)",
)];

/// The error the LSP client shows with a gopls older than v0.6.6 (golang/vscode-go#1300).
pub const OLD_GOPLS_ERROR: &str = "JSON RPC parse error: json: cannot unmarshal number into Go struct field RenameClientCapabilities.capabilities.textDocument.rename.prepareSupportDefaultBehavior of type bool";

/// The oldest gopls `extension` (a golang.go version) works with, and the source of that fact.
pub fn gopls_minimum(extension: &semver::Version) -> Option<(semver::Version, &'static str)> {
    GOPLS_MINIMUM
        .iter()
        .rev()
        .filter_map(|(ext, gopls, src)| {
            let e = semver::Version::parse(ext).ok()?;
            let g = semver::Version::parse(gopls).ok()?;
            Some((e, g, *src))
        })
        .find(|(e, _, _)| extension >= e)
        .map(|(_, g, src)| (g, src))
}
