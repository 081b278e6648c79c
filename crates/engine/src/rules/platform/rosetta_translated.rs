use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// On macOS, whether VS Code's extension host runs translated by Rosetta 2: the x64 build of
    /// VS Code on Apple Silicon. Observed with `sysctl -n sysctl.proc_translated` run by the
    /// extension host (`1` = translated, `0` = native; Apple's "About the Rosetta translation
    /// environment") together with `process.arch`.
    ///
    /// ## Why it matters
    /// Everything the extension starts inherits the x64 world: `go env GOARCH` says amd64,
    /// `go install` builds amd64 gopls/dlv, and debugging fails with
    /// `could not launch process: can not run under Rosetta, check that the installed build of Go
    /// is right for your CPU architecture` (golang/vscode-go#3466, #1669, #2495; delve
    /// `pkg/proc/macutil/rosetta_darwin.go`).
    ///
    /// ## Example
    /// `process.arch` = `x64`, `sysctl.proc_translated` = `1`.
    ///
    /// ## Fix
    /// Install the Apple Silicon (or Universal) build of VS Code from
    /// https://code.visualstudio.com/download, then reinstall the Go tools.
    pub ROSETTA_TRANSLATED {
        code: "GSD601",
        name: "rosetta-translated",
        category: Platform,
        severity: Warning,
        summary: "VS Code runs natively (not under Rosetta)",
        fix: Always,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let host = &cx.snapshot.host;
    if host.os != "darwin" {
        out.not_applicable("applies to macOS");
        return;
    }
    let Some(run) = host.proc_translated.as_ref() else {
        return;
    };
    if !run.succeeded() || run.stdout.trim() != "1" {
        return;
    }
    let f = out.report(
        "VS Code runs under Rosetta",
        format!(
            "VS Code's extension host is an {} process translated by Rosetta on Apple Silicon. Go, gopls and dlv started from it run as amd64, tools get installed for amd64, and the debugger fails with \"can not run under Rosetta\".",
            host.arch
        ),
    );
    f.evidence(format!("process.arch: {}", host.arch));
    f.evidence(format!(
        "sysctl -n sysctl.proc_translated: {}",
        run.stdout.trim()
    ));
    if let Some(m) = &host.machine {
        f.evidence(format!("uname -m: {m}"));
    }
    f.fix(Fix {
        title: "Install the Apple Silicon build of VS Code, then run \"Go: Install/Update Tools\""
            .into(),
        applicability: Applicability::DisplayOnly,
        actions: vec![Action::OpenUrl {
            url: "https://code.visualstudio.com/download".into(),
        }],
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn fires_from_recorded_macos_snapshot() {
        let s = crate::parse_snapshot(include_str!(
            "../../../../../tests/fixtures/snapshots/macos-rosetta-x64-vscode.json"
        ))
        .unwrap();
        let f = run(&ROSETTA_TRANSLATED, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0]
            .evidence
            .contains(&"sysctl -n sysctl.proc_translated: 1".to_string()));
        assert_eq!(f[0].fixes[0].applicability, Applicability::DisplayOnly);
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::OpenUrl { url } if url == "https://code.visualstudio.com/download")
        );
    }

    #[test]
    fn passes_natively_and_on_linux() {
        let s = crate::parse_snapshot(include_str!(
            "../../../../../tests/fixtures/snapshots/macos-arm64-native.json"
        ))
        .unwrap();
        assert!(run(&ROSETTA_TRANSLATED, &s).is_empty());
        assert_eq!(
            crate::testing::run_status(&ROSETTA_TRANSLATED, &s).status,
            crate::protocol::CheckStatus::Passed
        );
        let linux = snapshot(serde_json::json!({}));
        assert!(run(&ROSETTA_TRANSLATED, &linux).is_empty());
        // On Linux the check is not applicable: the report must not claim it passed.
        let c = crate::testing::run_status(&ROSETTA_TRANSLATED, &linux);
        assert_eq!(c.status, crate::protocol::CheckStatus::NotApplicable);
        assert_eq!(c.reason.as_deref(), Some("applies to macOS"));
    }
}
