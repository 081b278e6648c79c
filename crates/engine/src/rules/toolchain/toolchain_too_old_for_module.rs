use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix, Severity};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Whether a workspace go.mod / go.work asks for a newer Go (its `go` or `toolchain` line)
    /// than the local one while Go cannot switch toolchains: `GOTOOLCHAIN=local`, `GOPROXY=off`,
    /// or a local Go older than 1.21 (which cannot switch at all).
    ///
    /// ## Why it matters
    /// Every go command in the module fails: `go: go.mod requires go >= 1.25.0 (running go 1.23.5;
    /// GOTOOLCHAIN=local)` (go1.23.5, shared/knowledge/go-outputs/
    /// gotoolchain-local.go1.23.5.gomod-requires-1.25.go-list-m.txt), and gopls shows
    /// `Error loading workspace: ... go: go.work requires go >= 1.24.1 (running go 1.23.6)`
    /// (golang/vscode-go#3317). A Go older than 1.21 says `invalid go version '1.25.0': must
    /// match format 1.23` for a three-part go line.
    ///
    /// ## Example
    /// go.mod `go 1.25.0`, local go1.23.5, `GOTOOLCHAIN=local` (Fedora's default).
    ///
    /// ## Fix
    /// Allow switching (`go env -w GOTOOLCHAIN=auto`, review: it downloads toolchains) or install
    /// the Go version the module needs.
    pub TOOLCHAIN_TOO_OLD_FOR_MODULE {
        code: "GSD106",
        name: "toolchain-too-old-for-module",
        category: Toolchain,
        severity: Error,
        summary: "the local Go can build the workspace's modules",
        fix: Sometimes,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some(local) = cx.go_version() else { return };
    let toolchain = cx.go_env_var("GOTOOLCHAIN").unwrap_or("auto");
    let proxy_off = cx.go_env_var("GOPROXY") == Some("off");
    let pre_switching = local.minor() < 21;
    let blocked_by = if pre_switching {
        Some(format!(
            "{} predates toolchain switching (Go 1.21)",
            local.display()
        ))
    } else if toolchain == "local" {
        Some("GOTOOLCHAIN=local".to_string())
    } else if proxy_off {
        Some("GOPROXY=off (the toolchain cannot be downloaded)".to_string())
    } else {
        None
    };
    let Some(blocked_by) = blocked_by else { return };
    for folder in &cx.snapshot.workspace.folders {
        for file in [folder.go_mod.as_ref(), folder.go_work.as_ref()]
            .into_iter()
            .flatten()
        {
            let Some(needed) = Context::go_directive(&file.text) else {
                continue;
            };
            // Compare as Go does: 1.25 < 1.25rc1 < 1.25.0; a bare `go 1.25` needs 1.25.0 or an rc.
            if needed.version.major != 1 || local.version >= needed.version {
                continue;
            }
            let three_part = needed.raw.matches('.').count() >= 2;
            let base = file.path.rsplit(['/', '\\']).next().unwrap_or("go.mod");
            let go_text = if pre_switching && three_part {
                // go1.19.8 names the line: `/x/go.mod:3: invalid go version ...` (go-outputs/
                // gotoolchain-unset.go1.19.8.gomod-requires-1.25.go-list-m.txt).
                let line = file
                    .text
                    .lines()
                    .position(|l| l.trim_start().starts_with("go "))
                    .map(|i| format!(":{}", i + 1))
                    .unwrap_or_default();
                format!("go: errors parsing {base}:\n{}{line}: invalid go version '{}': must match format 1.23", file.path, needed.raw)
            } else {
                format!(
                    "go: {base} requires go >= {} (running go {}; {})",
                    needed.version,
                    local.display().trim_start_matches("go"),
                    if toolchain == "local" {
                        "GOTOOLCHAIN=local".to_string()
                    } else {
                        format!("GOTOOLCHAIN={toolchain}")
                    }
                )
            };
            let f = out.report(
                format!("{base} needs go {} but {} is installed", needed.raw, local.display()),
                format!("{} says `go {}`, newer than the local {}, and Go cannot switch to a newer toolchain: {blocked_by}. Go commands fail with:\n{go_text}", cx.tilde(&file.path), needed.raw, local.display()),
            );
            if pre_switching && !three_part {
                // Before 1.21 the go line is advisory: builds only fail on newer language features.
                f.severity(Severity::Warning);
            }
            f.evidence(format!("{}: go {}", cx.tilde(&file.path), needed.raw));
            f.evidence(format!("local go: {}", local.display()));
            f.evidence(format!("GOTOOLCHAIN={toolchain}"));
            if proxy_off {
                f.evidence("GOPROXY=off");
            }
            if !pre_switching && toolchain == "local" {
                let go = cx.go_candidate().map(|c| c.path.as_str()).unwrap_or("go");
                f.fix(Fix {
                    title:
                        "Let Go download the toolchain the module needs: go env -w GOTOOLCHAIN=auto"
                            .into(),
                    applicability: Applicability::Unsafe,
                    actions: vec![Action::RunShell {
                        command: format!("{go} env -w GOTOOLCHAIN=auto"),
                        cwd: None,
                    }],
                });
            }
            f.fix(Fix {
                title: format!("Install Go {} or newer from https://go.dev/dl/", needed.raw),
                applicability: Applicability::DisplayOnly,
                actions: vec![Action::OpenUrl {
                    url: "https://go.dev/dl/".into(),
                }],
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    fn setup(go: &str, toolchain: &str, line: &str) -> crate::Snapshot {
        let mut s = snapshot(json!({"go": {
            "version": run_ok(&[GO_BIN, "version"], &format!("go version {go} linux/amd64\n")),
            "env": run_ok(&[GO_BIN, "env", "-json"], &json!({"GOTOOLCHAIN": toolchain, "GOVERSION": go}).to_string())}}));
        s.workspace.folders[0].go_mod.as_mut().unwrap().text = format!("module x\n\ngo {line}\n");
        s
    }

    #[test]
    fn fires_with_gos_own_words_for_gotoolchain_local() {
        let f = run(
            &TOOLCHAIN_TOO_OLD_FOR_MODULE,
            &setup("go1.23.5", "local", "1.25.0"),
        );
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains(
                "go: go.mod requires go >= 1.25.0 (running go 1.23.5; GOTOOLCHAIN=local)"
            ),
            "{}",
            f[0].message
        );
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command.ends_with("env -w GOTOOLCHAIN=auto"))
        );
    }

    #[test]
    fn fires_for_go_before_1_21_with_three_part_line() {
        let f = run(
            &TOOLCHAIN_TOO_OLD_FOR_MODULE,
            &setup("go1.19.8", "", "1.25.0"),
        );
        assert_eq!(f[0].severity, Severity::Error);
        assert!(f[0]
            .message
            .contains("go.mod:3: invalid go version '1.25.0': must match format 1.23"));
    }

    #[test]
    fn passes_when_switching_is_allowed_or_go_is_new_enough() {
        assert!(run(
            &TOOLCHAIN_TOO_OLD_FOR_MODULE,
            &setup("go1.23.5", "auto", "1.25.0")
        )
        .is_empty());
        assert!(run(
            &TOOLCHAIN_TOO_OLD_FOR_MODULE,
            &setup("go1.24.4", "local", "1.24")
        )
        .is_empty());
        assert!(run(
            &TOOLCHAIN_TOO_OLD_FOR_MODULE,
            &setup("go1.24.4", "local", "1.24.4")
        )
        .is_empty());
    }
}
