use crate::context::Context;
use crate::declare_rule;
use crate::goversion::GoVersion;
use crate::knowledge::gopls;
use crate::protocol::{Action, Applicability, Fix};
use crate::rules::common::install_gopls;
use crate::rules::host::{self, thousands, Limit};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// On Linux and macOS, the open-file limit (`RLIMIT_NOFILE`) of the extension host — from
    /// `/proc/self/limits` (`Max open files`) or `ulimit -Sn` / `ulimit -Hn` — which gopls and `go`
    /// inherit. Programs built with Go 1.19 or newer raise their soft limit to the hard limit at
    /// start-up (Go 1.19 release notes, package os), so for them the hard limit counts; for an older
    /// gopls, or when its build is unknown, the soft limit does. It fires when that limit is below
    /// 1024, or below the number of files in the workspace.
    ///
    /// ## Why it matters
    /// gopls and `go list` open many files at once while loading packages; past the limit they fail
    /// with `too many open files` and packages silently go missing. macOS starts GUI apps with a soft
    /// limit of 256 (`ulimit -S -n` → `256`, `ulimit -H -n` → `unlimited`), which is what gopls
    /// v0.1.3 built with go1.12.7 ran into on terraform-provider-aws (golang/go#33531).
    ///
    /// ## Example
    /// macOS, `ulimit -Sn` 256, gopls built with go1.12.7.
    ///
    /// ## Fix
    /// macOS: `sudo launchctl limit maxfiles 65536 200000` (until reboot; a LaunchDaemon plist makes it
    /// permanent), then restart VS Code. Linux: raise the limit of the session, e.g.
    /// `* soft nofile 65536` / `* hard nofile 524288` in `/etc/security/limits.d/90-nofile.conf` (or
    /// `DefaultLimitNOFILE=` for systemd user sessions), log in again and restart VS Code. Rebuilding
    /// gopls with a current Go makes it raise its own soft limit.
    pub OPEN_FILES_LIMIT_LOW {
        code: "GSD609",
        name: "open-files-limit-low",
        category: Platform,
        severity: Warning,
        summary: "the open-file limit is high enough for gopls",
        fix: Always,
        since: "0.1.0",
    }
}

const FLOOR: u64 = 1024;

/// The Go that built gopls, when `go version -m` said.
fn gopls_built_with(cx: &Context<'_>) -> Option<GoVersion> {
    let path = cx.tool("gopls")?.path.as_deref()?;
    cx.build_info(path)?.go_version.clone()
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let os = cx.snapshot.host.os.as_str();
    if os != "linux" && os != "darwin" {
        return;
    }
    let Some((soft, hard, source)) = host::open_files_limit(cx) else {
        return;
    };
    let built = gopls_built_with(cx);
    let raises = built.as_ref().is_some_and(|v| v.minor() >= 19);
    let (effective, which) = if raises {
        (hard, "hard")
    } else {
        (soft, "soft")
    };
    let size = host::workspace_size(cx);
    let Limit::Value(limit) = effective else {
        return;
    };
    if limit >= FLOOR && limit > size.files {
        return;
    }
    let why = if raises {
        format!(
            "gopls was built with {}, which raises its soft limit to the hard limit, so the hard limit {} is what it gets",
            built.as_ref().map(|v| v.display()).unwrap_or_default(),
            thousands(limit)
        )
    } else {
        format!(
            "gopls {} does not raise its own limit (only programs built with Go 1.19 or newer do), so it runs with the soft limit {}",
            built
                .as_ref()
                .map(|v| format!("built with {}", v.display()))
                .unwrap_or_else(|| "(build unknown)".into()),
            thousands(limit)
        )
    };
    let f = out.report(
        "The open-file limit is low for gopls",
        format!(
            "VS Code's extension host may open only {} files at once ({which} limit), and gopls and go inherit that: {why}. This workspace has {}. When loading packages gopls then fails with \"too many open files\".",
            thousands(limit),
            size.describe()
        ),
    );
    f.evidence(source);
    f.evidence(format!(
        "soft limit {}, hard limit {}",
        soft.label(),
        hard.label()
    ));
    if let Some(v) = &built {
        f.evidence(format!("gopls built with {}", v.display()));
    }
    if os == "darwin" {
        f.fix(Fix {
            title: "Raise the launchd limit for apps started from the Dock (until reboot), then restart VS Code".into(),
            applicability: Applicability::Unsafe,
            actions: vec![Action::RunShell {
                command: "sudo launchctl limit maxfiles 65536 200000".into(),
                cwd: None,
            }],
        });
    } else {
        f.fix(Fix {
            title: "Raise the session limit (log in again afterwards, then restart VS Code)".into(),
            applicability: Applicability::Unsafe,
            actions: vec![Action::RunShell {
                command: "printf '* soft nofile 65536\\n* hard nofile 524288\\n' | sudo tee /etc/security/limits.d/90-nofile.conf".into(),
                cwd: None,
            }],
        });
    }
    if !raises {
        if let (Some(go), Some(_)) = (
            cx.go_version().filter(|v| v.minor() >= 19),
            cx.go_candidate(),
        ) {
            let version = gopls::install_version_for(go.minor());
            let title = format!(
                "Rebuild gopls with {} so that it raises its own soft limit",
                go.display()
            );
            if let Some(fix) = install_gopls(cx, version, title) {
                f.fix(fix);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    fn linux(limits: &str, files: u32) -> crate::Snapshot {
        snapshot(
            json!({"host": {"procLimits": format!("Limit                     Soft Limit           Hard Limit           Units     \nMax open files            {limits}               files     \n")},
            "workspace": {"folders": [{"uri": "file:///home/gopher/src/hello", "path": "/home/gopher/src/hello", "goFiles": ["main.go"], "filesVisited": files, "dirsVisited": 10}]}}),
        )
    }

    #[test]
    fn fires_from_the_recorded_macos_limit() {
        let s = crate::parse_snapshot(include_str!(
            "../../../../../tests/fixtures/snapshots/macos-gopls-open-files-256.json"
        ))
        .unwrap();
        let f = run(&OPEN_FILES_LIMIT_LOW, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].message.contains("only 256 files"), "{}", f[0].message);
        assert!(f[0]
            .evidence
            .contains(&"ulimit -Sn: 256, ulimit -Hn: unlimited".to_string()));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command == "sudo launchctl limit maxfiles 65536 200000")
        );
    }

    #[test]
    fn fires_on_linux_when_the_effective_limit_is_below_the_workspace() {
        // The healthy gopls is built with go1.24.4: the hard limit counts.
        let f = run(
            &OPEN_FILES_LIMIT_LOW,
            &linux("256                  512", 3000),
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("hard limit 512"), "{}", f[0].message);
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command.contains("/etc/security/limits.d/90-nofile.conf"))
        );
    }

    #[test]
    fn passes_with_a_high_hard_limit_for_a_new_gopls() {
        // Soft 1024 is raised to hard 524288 by gopls built with Go >= 1.19.
        assert!(run(
            &OPEN_FILES_LIMIT_LOW,
            &linux("1024                 524288", 50000)
        )
        .is_empty());
        assert!(run(&OPEN_FILES_LIMIT_LOW, &snapshot(json!({}))).is_empty());
        assert!(run(
            &OPEN_FILES_LIMIT_LOW,
            &linux("unlimited            unlimited", 100)
        )
        .is_empty());
    }
}
