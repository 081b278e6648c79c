use crate::context::Context;
use crate::declare_rule;
use crate::knowledge::go::goarch_of;
use crate::protocol::{Action, Applicability, Fix};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// That the `go` binary's own architecture (`GOHOSTARCH` from `go env`) matches the machine's
    /// (`uname -m`): an amd64 Go on Apple Silicon runs under Rosetta, a 386 Go on amd64 builds 32-bit
    /// everything.
    ///
    /// ## Why it matters
    /// Everything built and installed is for the wrong architecture and runs translated or not at
    /// all; delve refuses: `could not launch process: can not run under Rosetta, check that the
    /// installed build of Go is right for your CPU architecture` (golang/vscode-go#3466;
    /// `go version go1.16 darwin/amd64` on an M1 in golang/go#44733).
    ///
    /// ## Example
    /// `uname -m` = arm64, `go env GOHOSTARCH` = amd64.
    ///
    /// ## Fix
    /// Install the Go build for the machine's architecture from https://go.dev/dl/.
    pub GO_ARCH_MISMATCH {
        code: "GSD109",
        name: "go-arch-mismatch",
        category: Toolchain,
        severity: Warning,
        summary: "go is built for this machine's architecture",
        fix: Always,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let host = &cx.snapshot.host;
    // Under Rosetta `uname -m` itself says x86_64; the translated flag tells the truth.
    let translated = host
        .proc_translated
        .as_ref()
        .is_some_and(|r| r.succeeded() && r.stdout.trim() == "1");
    let machine = if translated {
        Some("arm64")
    } else {
        host.machine.as_deref().and_then(goarch_of)
    };
    let Some(machine) = machine else { return };
    let Some(go_arch) = cx.go_env_var("GOHOSTARCH") else {
        return;
    };
    if go_arch == machine {
        return;
    }
    let f = out.report(
        format!("Go is built for {go_arch}, this machine is {machine}"),
        format!(
            "The `go` in use is the {go_arch} build, but the machine is {machine}. Everything it builds and installs (gopls, dlv, your programs) is {go_arch}{}.",
            if machine == "arm64" && go_arch == "amd64" { " and runs under Rosetta; the debugger fails with \"can not run under Rosetta\"" } else { "" }
        ),
    );
    f.evidence(format!("go env GOHOSTARCH: {go_arch}"));
    if let Some(m) = &host.machine {
        f.evidence(format!(
            "uname -m: {m}{}",
            if translated {
                " (translated by Rosetta: the hardware is arm64)"
            } else {
                ""
            }
        ));
    }
    if let Some(c) = cx.go_candidate() {
        f.evidence(format!("go: {}", cx.tilde(&c.path)));
    }
    f.fix(Fix {
        title: format!("Install the {machine} build of Go from https://go.dev/dl/"),
        applicability: Applicability::DisplayOnly,
        actions: vec![Action::OpenUrl {
            url: "https://go.dev/dl/".into(),
        }],
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_for_amd64_go_on_apple_silicon_fixture() {
        let s = crate::parse_snapshot(include_str!(
            "../../../../../tests/fixtures/snapshots/macos-rosetta-x64-vscode.json"
        ))
        .unwrap();
        let f = run(&GO_ARCH_MISMATCH, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0]
            .title
            .contains("built for amd64, this machine is arm64"));
        assert!(matches!(&f[0].fixes[0].actions[0], Action::OpenUrl { .. }));
    }

    #[test]
    fn fires_for_386_go_on_amd64() {
        let s = snapshot(
            json!({"go": {"env": run_ok(&[GO_BIN, "env", "-json"], "{\"GOHOSTARCH\": \"386\"}")}}),
        );
        assert_eq!(run(&GO_ARCH_MISMATCH, &s).len(), 1);
    }

    #[test]
    fn passes_for_native_go() {
        assert!(run(&GO_ARCH_MISMATCH, &snapshot(json!({}))).is_empty());
    }
}
