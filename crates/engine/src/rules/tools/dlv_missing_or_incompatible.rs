use crate::context::Context;
use crate::declare_rule;
use crate::goversion::parse_module_version;
use crate::knowledge::delve;
use crate::protocol::{Action, Applicability, Fix};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// That delve (`dlv`) can debug programs built by the local Go: its version (from `dlv
    /// version`, or the module version in `go version -m`) against delve's supported Go window
    /// (`pkg/goversion/compat.go` at each tag). A missing dlv is reported when the workspace has a
    /// `.vscode/launch.json` or the Go extension is installed and debugging is likely.
    ///
    /// ## Why it matters
    /// Debugging stops before it starts: `Version of Delve is too old for Go version 1.24.4
    /// (maximum supported version 1.20, suppress this error with --check-go-version=false)` (real
    /// output of Debian bookworm's dlv 1.20.2 with go1.24.4, shared/knowledge/go-outputs/
    /// dlv-too-old.dlv1.20.2-debugging-go1.24.4-binary.txt), or `Go version 1.17 is too old for
    /// this version of Delve (minimum supported version 1.18, ...)`.
    ///
    /// ## Example
    /// dlv 1.20.2 (Debian bookworm) with go1.24.4.
    ///
    /// ## Fix
    /// `go install github.com/go-delve/delve/cmd/dlv@<version>` with a version whose window
    /// includes the local Go (vscode-go's pins for old Go: v1.20.2 below 1.19, v1.22.1 below 1.21).
    pub DLV_MISSING_OR_INCOMPATIBLE {
        code: "GSD204",
        name: "dlv-missing-or-incompatible",
        category: Tools,
        severity: Warning,
        summary: "delve supports the local Go",
        fix: Sometimes,
        since: "0.1.0",
    }
}

fn dlv_version(cx: &Context<'_>, path: &str) -> Option<semver::Version> {
    let tool = cx.tool("dlv")?;
    let from_cmd = tool
        .version
        .as_ref()
        .filter(|r| r.succeeded())
        .and_then(|r| {
            r.stdout
                .lines()
                .find_map(|l| {
                    l.trim()
                        .strip_prefix("Version:")
                        .map(|v| v.trim().to_string())
                })
                .and_then(|v| parse_module_version(&format!("v{}", v.trim_start_matches('v'))))
        });
    from_cmd.or_else(|| {
        cx.build_info(path)?
            .module_version
            .as_deref()
            .and_then(parse_module_version)
    })
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some(go) = cx.go_version() else { return };
    let Some(candidate) = cx.go_candidate() else {
        return;
    };
    let Some(tool) = cx.tool("dlv") else { return };
    let install = delve::install_version_for(go.minor());
    let fix = Fix {
        title: format!("Install dlv {install} (supports {})", go.display()),
        applicability: Applicability::Unsafe,
        actions: vec![Action::RunShell {
            command: format!(
                "{} install github.com/go-delve/delve/cmd/dlv@{install}",
                candidate.path
            ),
            cwd: None,
        }],
    };
    let Some(path) = tool.path.as_deref() else {
        let debugging = cx.snapshot.vscode.as_ref().is_some_and(|v| {
            v.extensions
                .iter()
                .any(|e| e.id.eq_ignore_ascii_case("golang.go"))
        });
        if !debugging {
            return;
        }
        let f = out.report("dlv is not installed", "The Go extension debugs with delve (dlv), which is not installed: starting a debug session fails.");
        for s in &tool.searched {
            f.evidence(format!("not found: {}", cx.tilde(s)));
        }
        f.fix(fix);
        return;
    };
    let Some(v) = dlv_version(cx, path) else {
        return;
    };
    let Some((lo, hi)) = delve::window(v.minor, v.patch) else {
        return;
    };
    let g = go.minor();
    if (lo..=hi).contains(&g) {
        return;
    }
    let version_text = go.version.to_string();
    let delve_says = if g > hi {
        format!("Version of Delve is too old for Go version {version_text} (maximum supported version 1.{hi}, suppress this error with --check-go-version=false)")
    } else {
        format!("Go version {version_text} is too old for this version of Delve (minimum supported version 1.{lo}, suppress this error with --check-go-version=false)")
    };
    let f = out.report(
        format!("dlv {v} cannot debug {} programs", go.display()),
        format!("dlv {v} at {} supports Go 1.{lo} to 1.{hi}; programs built by {} make it stop with:\n{delve_says}", cx.tilde(path), go.display()),
    );
    f.evidence(format!("dlv: {} ({v})", cx.tilde(path)));
    f.evidence(format!("go: {}", go.display()));
    f.evidence(format!(
        "source: go-delve/delve pkg/goversion/compat.go (checked {})",
        delve::CHECKED_ON
    ));
    f.fix(fix);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    fn with_dlv(version_out: &str) -> crate::Snapshot {
        snapshot(json!({"tools": [
            {"name": "gopls", "path": "/home/gopher/go/bin/gopls", "searched": []},
            {"name": "dlv", "path": "/usr/bin/dlv", "searched": ["/usr/bin/dlv"], "version": run_ok(&["/usr/bin/dlv", "version"], version_out)}
        ]}))
    }

    #[test]
    fn fires_with_delves_own_words_for_bookworm_dlv_and_go_1_24() {
        // go-outputs/dlv-version.debian-bookworm-1.20.2.txt
        let f = run(&DLV_MISSING_OR_INCOMPATIBLE, &with_dlv("Delve Debugger\nVersion: 1.20.2\nBuild: $Id: e0c278ad8e0126a312b553b8e171e81bcbd37f60 $\n"));
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("Version of Delve is too old for Go version 1.24.4 (maximum supported version 1.20, suppress this error with --check-go-version=false)"), "{}", f[0].message);
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command.ends_with("dlv@v1.25.0"))
        );
    }

    #[test]
    fn fires_when_missing_and_go_extension_installed() {
        let s = snapshot(
            json!({"tools": [{"name": "dlv", "searched": ["/home/gopher/go/bin/dlv"]}],
            "vscode": {"version": "1.99.0", "trusted": true, "extensions": [{"id": "golang.go", "version": "0.52.0", "active": true}]}}),
        );
        let f = run(&DLV_MISSING_OR_INCOMPATIBLE, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0].title.contains("not installed"));
    }

    #[test]
    fn passes_for_matching_dlv() {
        assert!(run(
            &DLV_MISSING_OR_INCOMPATIBLE,
            &with_dlv("Delve Debugger\nVersion: 1.24.0\n")
        )
        .is_empty());
        assert!(run(&DLV_MISSING_OR_INCOMPATIBLE, &snapshot(json!({}))).is_empty());
    }
}
