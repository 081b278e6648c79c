use jsonc_parser::common::Ranged;

use crate::context::Context;
use crate::declare_rule;
use crate::jsonc::SettingsDoc;
use crate::protocol::{Action, Applicability, Fix, Location};
use crate::rules::host::{self, SandboxKind};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// On Linux, whether the debugger (delve) may use `ptrace` for the Go debug configurations
    /// of the workspace (`.vscode/launch.json` entries with `"type": "go"`):
    /// - Yama `kernel.yama.ptrace_scope` (`/proc/sys/kernel/yama/ptrace_scope`) = 1 blocks attaching
    ///   to a process that is not a child (`"request": "attach"`, `"mode": "local"`); 2 allows
    ///   ptrace only with `CAP_SYS_PTRACE`; 3 blocks every ptrace, launching included;
    /// - a container (`/.dockerenv`, `/run/.containerenv`, a dev-container window) running under a
    ///   seccomp filter without `CAP_SYS_PTRACE` (`CapEff` / `Seccomp` of `/proc/self/status`);
    /// - a Flatpak VS Code without the `devel` permission (its seccomp filter blocks ptrace).
    ///
    /// ## Why it matters
    /// Delve then fails with `Could not attach to pid 32103: this could be caused by a kernel
    /// security setting, try writing "0" to /proc/sys/kernel/yama/ptrace_scope`
    /// (microsoft/vscode#92486, microsoft/vscode-go#3098) or `could not launch process: fork/exec
    /// …: operation not permitted` (flathub/com.visualstudio.code.oss#37, go-delve/delve#2886).
    /// Ubuntu ships `kernel.yama.ptrace_scope = 1` in `/etc/sysctl.d/10-ptrace.conf`.
    ///
    /// ## Example
    /// `ptrace_scope` = 1 and `{"name": "attach to process", "type": "go", "request": "attach",
    /// "mode": "local", "processId": 32103}`.
    ///
    /// ## Fix
    /// Let delve trace without opening the whole system: `sudo setcap cap_sys_ptrace=eip <dlv>`;
    /// or `sudo sysctl kernel.yama.ptrace_scope=0` (until reboot; persistently in
    /// `/etc/sysctl.d/10-ptrace.conf`), knowing that any process of the user may then trace any
    /// other. Scope 3 cannot be lowered without a reboot. Containers: start them with
    /// `--cap-add=SYS_PTRACE --security-opt seccomp=unconfined` (devcontainer.json `runArgs`).
    /// Flatpak: `flatpak override --user --allow=devel com.visualstudio.code`.
    pub PTRACE_BLOCKED {
        code: "GSD607",
        name: "ptrace-blocked",
        category: Platform,
        severity: Warning,
        summary: "the debugger is allowed to ptrace",
        fix: Always,
        since: "0.1.0",
    }
}

const CAP_SYS_PTRACE: u32 = 19;

/// A Go debug configuration and where it is.
struct DebugConfig {
    name: String,
    attach_local: bool,
    location: Option<Location>,
}

fn debug_configs(cx: &Context<'_>) -> Vec<DebugConfig> {
    let mut out = Vec::new();
    for folder in &cx.snapshot.workspace.folders {
        let Some(file) = &folder.launch_json else {
            continue;
        };
        let uri = format!("{}/.vscode/launch.json", folder.uri.trim_end_matches('/'));
        let doc = SettingsDoc::parse(&uri, &file.text, false);
        let Some(configs) = doc.prop("configurations").and_then(|p| p.value.as_array()) else {
            continue;
        };
        for c in configs.elements.iter().filter_map(|v| v.as_object()) {
            let s = |k: &str| c.get_string(k).map(|v| v.value.to_string());
            if s("type").as_deref() != Some("go") {
                continue;
            }
            let request = s("request").unwrap_or_default();
            let mode = s("mode").unwrap_or_else(|| "local".into());
            if mode == "remote" {
                continue; // connects to a dlv server elsewhere: no ptrace here
            }
            out.push(DebugConfig {
                name: s("name").unwrap_or_else(|| "(unnamed)".into()),
                attach_local: request == "attach",
                location: c
                    .get("request")
                    .map(|p| doc.location(p.name.range()))
                    .or_else(|| Some(doc.location(c.range()))),
            });
        }
    }
    out
}

/// (`CapEff` has CAP_SYS_PTRACE, seccomp mode) from the `/proc/self/status` lines.
fn caps(text: &str) -> (Option<bool>, Option<u32>) {
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(str::trim)
    };
    let ptrace = field("CapEff:")
        .and_then(|h| u64::from_str_radix(h, 16).ok())
        .map(|bits| bits & (1 << CAP_SYS_PTRACE) != 0);
    let seccomp = field("Seccomp:").and_then(|v| v.parse().ok());
    (ptrace, seccomp)
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let h = &cx.snapshot.host;
    if h.os != "linux" {
        out.not_applicable("applies to Linux");
        return;
    }
    let configs = debug_configs(cx);
    let dlv = cx.tool("dlv").and_then(|t| t.path.clone());
    if configs.is_empty() && dlv.is_none() {
        return;
    }
    let (has_cap, seccomp) = h.proc_status.as_deref().map(caps).unwrap_or((None, None));
    let scope = host::proc_number(h.ptrace_scope.as_deref());
    let attach = configs.iter().find(|c| c.attach_local);
    let dlv_path = dlv.clone().unwrap_or_else(|| "$(command -v dlv)".into());

    // 1. Yama.
    let yama_blocks = match scope {
        Some(1) => attach.is_some() && has_cap != Some(true),
        Some(2) => !configs.is_empty() && has_cap != Some(true),
        Some(3) => !configs.is_empty() || dlv.is_some(),
        _ => false,
    };
    if let (true, Some(scope)) = (yama_blocks, scope) {
        let what = match scope {
            1 => "only lets a process trace its own children, so delve cannot attach to a running process",
            2 => "lets only processes with CAP_SYS_PTRACE use ptrace, so delve can neither attach nor launch",
            _ => "forbids ptrace entirely until the next reboot, so delve can neither attach nor launch",
        };
        let f = out.report(
            "ptrace is restricted: the debugger cannot attach",
            format!(
                "kernel.yama.ptrace_scope is {scope}: the kernel {what}. Debugging fails with \"Could not attach to pid …: this could be caused by a kernel security setting, try writing \\\"0\\\" to /proc/sys/kernel/yama/ptrace_scope\"."
            ),
        );
        f.evidence(format!("/proc/sys/kernel/yama/ptrace_scope: {scope}"));
        let shown = attach.filter(|_| scope == 1).into_iter().chain(
            configs
                .iter()
                .filter(|c| scope != 1 || c.attach_local)
                .take(3),
        );
        let mut first = true;
        for c in shown {
            f.evidence(format!(
                "launch.json: \"{}\" ({})",
                c.name,
                if c.attach_local {
                    "attach, local process"
                } else {
                    "launch"
                }
            ));
            if first {
                f.at(c.location.clone());
                first = false;
            }
        }
        if let Some(p) = &dlv {
            f.evidence(format!("dlv: {p}"));
        }
        if scope < 3 {
            f.fix(Fix {
                title: "Let only delve trace: give dlv the CAP_SYS_PTRACE capability".into(),
                applicability: Applicability::Unsafe,
                actions: vec![Action::RunShell {
                    command: format!("sudo setcap cap_sys_ptrace=eip {dlv_path}"),
                    cwd: None,
                }],
            });
            f.fix(Fix {
                title: "Or allow ptrace for all your processes until reboot: sudo sysctl kernel.yama.ptrace_scope=0 (persistently: kernel.yama.ptrace_scope = 0 in /etc/sysctl.d/10-ptrace.conf)".into(),
                applicability: Applicability::Unsafe,
                actions: vec![Action::RunShell {
                    command: "sudo sysctl kernel.yama.ptrace_scope=0".into(),
                    cwd: None,
                }],
            });
        } else {
            f.fix(Fix {
                title: "ptrace_scope 3 cannot be lowered at run time: remove kernel.yama.ptrace_scope = 3 from /etc/sysctl.d/ and reboot".into(),
                applicability: Applicability::DisplayOnly,
                actions: vec![Action::RunShell {
                    command: "grep -rn ptrace_scope /etc/sysctl.conf /etc/sysctl.d/".into(),
                    cwd: None,
                }],
            });
        }
        return;
    }
    if configs.is_empty() {
        return;
    }

    // 2. Flatpak without devel.
    if let Some(sb) = host::sandbox(cx).filter(|s| s.kind == SandboxKind::Flatpak) {
        let info = h.flatpak_info.as_deref().unwrap_or("");
        let devel = info.lines().any(|l| {
            let l = l.trim();
            l == "devel=true" || (l.starts_with("features=") && l.contains("devel"))
        });
        if !devel {
            let app = if sb.app == "unknown" {
                "com.visualstudio.code".to_string()
            } else {
                sb.app.clone()
            };
            let f = out.report(
                "The Flatpak sandbox blocks the debugger",
                format!("VS Code runs as the Flatpak {app} without the `devel` permission; its seccomp filter blocks ptrace, so delve fails with \"could not launch process: fork/exec …: operation not permitted\"."),
            );
            for e in &sb.evidence {
                f.evidence(e.clone());
            }
            if let Some(c) = configs.first() {
                f.evidence(format!("launch.json: \"{}\"", c.name));
                f.at(c.location.clone());
            }
            f.fix(Fix {
                title: format!("Allow development tools in the sandbox (run on the host), then restart VS Code: flatpak override --user --allow=devel {app}"),
                applicability: Applicability::Unsafe,
                actions: vec![Action::RunShell {
                    command: format!("flatpak override --user --allow=devel {app}"),
                    cwd: None,
                }],
            });
            return;
        }
    }

    // 3. Container without CAP_SYS_PTRACE under seccomp.
    let remote = cx
        .snapshot
        .vscode
        .as_ref()
        .and_then(|v| v.remote_name.as_deref())
        .unwrap_or("");
    let markers = h.container_markers.clone().unwrap_or_default();
    let in_container = !markers.is_empty()
        || matches!(
            remote,
            "dev-container" | "attached-container" | "codespaces" | "k8s-container"
        );
    if in_container && has_cap == Some(false) && seccomp == Some(2) {
        let f = out.report(
            "The container may not let the debugger ptrace",
            "This container runs under a seccomp filter and without the CAP_SYS_PTRACE capability. If debugging fails with \"could not launch process: fork/exec …: operation not permitted\", start the container with --cap-add=SYS_PTRACE --security-opt seccomp=unconfined.",
        );
        for m in &markers {
            f.evidence(format!("{m} exists"));
        }
        if !remote.is_empty() {
            f.evidence(format!("vscode.env.remoteName: {remote}"));
        }
        if let Some(st) = h.proc_status.as_deref() {
            for l in st.lines() {
                f.evidence(format!("/proc/self/status {}", l.trim()));
            }
        }
        if let Some(c) = configs.first() {
            f.evidence(format!("launch.json: \"{}\"", c.name));
            f.at(c.location.clone());
        }
        f.fix(Fix {
            title: "Add \"runArgs\": [\"--cap-add=SYS_PTRACE\", \"--security-opt\", \"seccomp=unconfined\"] to .devcontainer/devcontainer.json (or pass them to docker run), then rebuild".into(),
            applicability: Applicability::DisplayOnly,
            actions: vec![Action::RunVsCodeCommand {
                command: "remote-containers.rebuildContainer".into(),
                args: vec![],
            }],
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    const LAUNCH: &str = "{\n\"version\": \"0.2.0\",\n    \"configurations\": [\n        {\n            \"name\":\"attach to process\",\n            \"type\": \"go\",\n            \"request\": \"attach\",\n            \"mode\": \"local\",\n            \"processId\": 32103\n        }\n    ]\n}\n";

    fn with(scope: &str, launch: &str) -> crate::Snapshot {
        snapshot(json!({"host": {"ptraceScope": scope},
            "workspace": {"folders": [{"uri": "file:///home/gopher/src/hello", "path": "/home/gopher/src/hello", "goFiles": ["main.go"],
                "launchJson": {"path": "/home/gopher/src/hello/.vscode/launch.json", "text": launch}}]}}))
    }

    #[test]
    fn fires_for_attach_under_yama_scope_1_from_the_recorded_launch_json() {
        let s = crate::parse_snapshot(include_str!(
            "../../../../../tests/fixtures/snapshots/linux-ptrace-attach.json"
        ))
        .unwrap();
        let f = run(&PTRACE_BLOCKED, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].message.starts_with("kernel.yama.ptrace_scope is 1"));
        assert!(f[0]
            .evidence
            .contains(&"launch.json: \"attach to process\" (attach, local process)".to_string()));
        let loc = f[0].location.as_ref().unwrap();
        assert!(loc.uri.ends_with("/.vscode/launch.json"));
        assert_eq!(loc.range.start.line, 7, "the \"request\" key");
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command.starts_with("sudo setcap cap_sys_ptrace=eip "))
        );
        assert!(
            matches!(&f[0].fixes[1].actions[0], Action::RunShell { command, .. } if command == "sudo sysctl kernel.yama.ptrace_scope=0")
        );
    }

    #[test]
    fn fires_for_launch_under_scope_2_and_for_flatpak_and_containers() {
        let launch = LAUNCH.replace("\"attach\"", "\"launch\"");
        assert!(
            run(&PTRACE_BLOCKED, &with("1\n", &launch)).is_empty(),
            "launching is fine at 1"
        );
        assert_eq!(run(&PTRACE_BLOCKED, &with("2\n", &launch)).len(), 1);
        let f = run(&PTRACE_BLOCKED, &with("3\n", &launch));
        assert_eq!(f[0].fixes[0].applicability, Applicability::DisplayOnly);

        let mut s = with("0\n", &launch);
        s.env
            .insert("FLATPAK_ID".into(), "com.visualstudio.code".into());
        s.host.flatpak_info = Some("[Application]\nname=com.visualstudio.code\n".into());
        let f = run(&PTRACE_BLOCKED, &s);
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command == "flatpak override --user --allow=devel com.visualstudio.code")
        );
        s.host.flatpak_info =
            Some("[Application]\nname=com.visualstudio.code\n[Context]\nfeatures=devel;\n".into());
        assert!(run(&PTRACE_BLOCKED, &s).is_empty());

        let mut s = with("0\n", &launch);
        s.host.container_markers = Some(vec!["/.dockerenv".into()]);
        s.host.proc_status = Some("CapEff:\t00000000a80425fb\nSeccomp:\t2\n".into());
        let f = run(&PTRACE_BLOCKED, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0].fixes[0].title.contains("--cap-add=SYS_PTRACE"));
        s.host.proc_status = Some("CapEff:\t00000000a80c25fb\nSeccomp:\t2\n".into()); // + CAP_SYS_PTRACE
        assert!(run(&PTRACE_BLOCKED, &s).is_empty());
    }

    #[test]
    fn passes_without_yama_restriction_or_without_debug_configs() {
        assert!(run(&PTRACE_BLOCKED, &with("0\n", LAUNCH)).is_empty());
        let mut s = with("1\n", LAUNCH);
        s.workspace.folders[0].launch_json = None;
        assert!(run(&PTRACE_BLOCKED, &s).is_empty(), "no config and no dlv");
        // root with CAP_SYS_PTRACE may attach at scope 1.
        let mut s = with("1\n", LAUNCH);
        s.host.proc_status = Some("CapEff:\t000001ffffffffff\nSeccomp:\t0\n".into());
        assert!(run(&PTRACE_BLOCKED, &s).is_empty());
    }
}
