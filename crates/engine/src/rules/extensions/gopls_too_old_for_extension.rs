use crate::context::Context;
use crate::declare_rule;
use crate::goversion::parse_module_version;
use crate::knowledge::{gopls, vscode_go};
use crate::rules::common::install_gopls;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// The installed Go extension's version (golang.go, from VS Code) against the oldest gopls its
    /// language client works with, and the gopls in use (`gopls version -json`, else `go version
    /// -m`). The one stated minimum: golang.go v0.23.1 and newer need gopls v0.6.6 or newer
    /// (vscode-go CHANGELOG v0.23.2, golang/vscode-go#1300). Later releases state no new hard
    /// minimum, only per-feature ones, so nothing else is claimed here.
    ///
    /// ## Why it matters
    /// The language client fails to start: `Starting client failed ... JSON RPC parse error:
    /// json: cannot unmarshal number into Go struct field
    /// RenameClientCapabilities.capabilities.textDocument.rename.prepareSupportDefaultBehavior of
    /// type bool` (#1300), and nothing gopls does works. vscode-go does not enforce the minimum
    /// itself (#1328 postmortem: "There is no minimum required tool version enforcement").
    ///
    /// ## Example
    /// golang.go 0.52.0 with a gopls v0.6.4 in `~/go/bin`.
    ///
    /// ## Fix
    /// Install the gopls that supports the local Go (the same pin GSD201 uses).
    pub GOPLS_TOO_OLD_FOR_EXTENSION {
        code: "GSD704",
        name: "gopls-too-old-for-extension",
        category: Extensions,
        severity: Error,
        summary: "gopls is new enough for the Go extension",
        fix: Sometimes,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some(vscode) = cx.snapshot.vscode.as_ref() else {
        out.skip("needs the Go extension's version (not available to the headless command)");
        return;
    };
    if !cx.language_server_enabled() {
        return;
    }
    let Some(ext) = vscode
        .extensions
        .iter()
        .find(|e| e.id.eq_ignore_ascii_case("golang.go"))
    else {
        return;
    };
    let Some(ext_version) =
        parse_module_version(&format!("v{}", ext.version.trim_start_matches('v')))
    else {
        return;
    };
    let Some((minimum, source)) = vscode_go::gopls_minimum(&ext_version) else {
        return;
    };
    let Some(tool) = cx.tool("gopls") else { return };
    let Some(path) = tool.path.as_deref() else {
        return;
    };
    // Debian's builds say "master": no release version to compare (GSD202 looks at those).
    let Some(installed) = cx.gopls_version() else {
        return;
    };
    if installed >= minimum {
        return;
    }
    let f = out.report(
        format!("gopls v{installed} is too old for golang.go {}", ext.version),
        format!(
            "The Go extension {} needs gopls v{minimum} or newer, but {} is v{installed}: its language client fails to start (\"{}\"), so there is no completion, navigation or diagnostics.",
            ext.version,
            cx.tilde(path),
            vscode_go::OLD_GOPLS_ERROR
        ),
    );
    f.evidence(format!("golang.go {}", ext.version));
    f.evidence(format!("gopls: {} (v{installed})", cx.tilde(path)));
    f.evidence(format!("minimum: gopls v{minimum} ({source})"));
    let Some(go) = cx.go_version() else { return };
    let version = gopls::install_version_for(go.minor());
    let title = format!("Install gopls {version} (works with {})", go.display());
    if let Some(fix) = install_gopls(cx, version, title) {
        f.fix(fix);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Action;
    use crate::testing::*;
    use serde_json::json;

    const GOPLS: &str = "/home/gopher/go/bin/gopls";

    fn with(ext: &str, gopls_version: &str) -> crate::Snapshot {
        snapshot(json!({
            "vscode": {"version": "1.95.0", "trusted": true, "extensions": [{"id": "golang.go", "version": ext, "active": true}]},
            "tools": [{"name": "gopls", "path": GOPLS, "foundVia": "gopath", "searched": [GOPLS],
                "version": run_ok(&[GOPLS, "version", "-json"], &format!("{{\"GoVersion\": \"go1.15.8\", \"Path\": \"golang.org/x/tools/gopls\", \"Version\": \"{gopls_version}\"}}"))}],
            "toolsBuildInfo": run_ok(&[GO_BIN, "version", "-m", GOPLS], &format!("{GOPLS}: go1.15.8\n\tpath\tgolang.org/x/tools/gopls\n\tmod\tgolang.org/x/tools/gopls\t{gopls_version}\th1:x=\n"))
        }))
    }

    #[test]
    fn fires_for_gopls_0_6_4_with_extension_0_23_1_and_newer() {
        // The combination from golang/vscode-go#1300 / #1328 (users were on gopls v0.6.4).
        for ext in ["0.23.1", "0.52.0"] {
            let f = run(&GOPLS_TOO_OLD_FOR_EXTENSION, &with(ext, "v0.6.4"));
            assert_eq!(f.len(), 1, "{ext}");
            assert_eq!(
                f[0].title,
                format!("gopls v0.6.4 is too old for golang.go {ext}")
            );
            assert!(f[0]
                .message
                .contains("prepareSupportDefaultBehavior of type bool"));
            let want = format!(
                "/usr/lib/go-1.24/bin/go install golang.org/x/tools/gopls@{}",
                gopls::install_version_for(24)
            );
            assert!(
                matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if *command == want)
            );
        }
    }

    #[test]
    fn passes_when_new_enough_older_extension_or_headless() {
        assert!(run(&GOPLS_TOO_OLD_FOR_EXTENSION, &with("0.52.0", "v0.6.6")).is_empty());
        assert!(run(&GOPLS_TOO_OLD_FOR_EXTENSION, &with("0.23.0", "v0.6.4")).is_empty());
        let headless = snapshot(json!({}));
        assert!(run(&GOPLS_TOO_OLD_FOR_EXTENSION, &headless).is_empty());
        assert_eq!(
            run_status(&GOPLS_TOO_OLD_FOR_EXTENSION, &headless).status,
            crate::protocol::CheckStatus::Skipped
        );
    }
}
