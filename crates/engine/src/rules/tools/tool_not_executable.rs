use crate::context::Context;
use crate::declare_rule;
use crate::knowledge::tools;
use crate::protocol::{Action, Applicability, Fix};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Files the tool lookup met on its way (the `go.alternateTools` path, GOBIN, GOPATH/bin, PATH
    /// — up to the copy that is used, or all of them when none is) that exist but cannot be
    /// executed: no execute permission (mode bits), or an execute bit the kernel refuses because
    /// the file's mount is `noexec` (from `/proc/self/mountinfo`).
    ///
    /// ## Why it matters
    /// vscode-go skips such a file without a word (`executableFileExists`: `stat().isFile()` and
    /// `access(X_OK)`), so the tool you configured or installed is not the one that runs — another
    /// copy further down is used, or the tool counts as missing. Started by hand it fails with
    /// `permission denied` (`spawn … EACCES` from Node): for `noexec`, even as root and with mode
    /// 0755.
    ///
    /// ## Example
    /// `"go.alternateTools": {"dlv": "/opt/tools/dlv"}` where `/opt/tools/dlv` has mode 0644, or
    /// lies on a tmpfs mounted `noexec`.
    ///
    /// ## Fix
    /// Mode bits: `chmod +x` the file. `noexec`: install the tool on a mount that allows execution
    /// (`GOBIN=~/go/bin go install …`), or remount with `exec` if that mount is meant to hold
    /// programs (shown, not run: it changes a system-wide mount).
    pub TOOL_NOT_EXECUTABLE {
        code: "GSD209",
        name: "tool-not-executable",
        category: Tools,
        severity: Error,
        summary: "tool files the lookup finds can be executed",
        fix: Sometimes,
        since: "0.1.0",
    }
}

/// `a file on a noexec mount (/mnt/x; mode 0755)` -> `/mnt/x`.
fn noexec_mount(what: &str) -> Option<&str> {
    let rest = what.strip_prefix("a file on a noexec mount (")?;
    rest.split_once("; ").map(|(m, _)| m)
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let alternates = cx.effective("go.alternateTools").map(|(v, _)| v);
    for tool in &cx.snapshot.tools {
        let Some(unusable) = tool.unusable.as_ref() else {
            continue;
        };
        // GSD201 already explains an unusable gopls when no gopls is found at all.
        if tool.name == "gopls" && tool.path.is_none() {
            continue;
        }
        let configured = alternates
            .as_ref()
            .and_then(|a| a.get(&tool.name))
            .and_then(|v| v.as_str())
            .is_some();
        for (i, file) in tool.searched.iter().enumerate() {
            let Some(what) = unusable.get(file) else {
                continue;
            };
            if !what.starts_with("a file") {
                continue;
            }
            let is_alternate = configured && i == 0;
            let source = if is_alternate {
                format!("go.alternateTools.{}", tool.name)
            } else {
                format!("{} in the tool lookup", tool.name)
            };
            let outcome = match tool.path.as_deref() {
                Some(p) => format!("the Go extension skips it and runs {} instead", cx.tilde(p)),
                None => format!(
                    "the Go extension skips it and finds no other {}, so {} counts as missing",
                    tool.name, tool.name
                ),
            };
            let (title, cause) = match noexec_mount(what) {
                Some(mount) => (
                    format!("{} cannot run: {mount} is mounted noexec", cx.tilde(file)),
                    format!("it lies on {mount}, which is mounted noexec: the kernel refuses to start any program from there (permission denied), whatever its mode"),
                ),
                None => (
                    format!("{} cannot run: {what}", cx.tilde(file)),
                    format!("it is {what}"),
                ),
            };
            let f = out.report(
                title,
                format!(
                    "{} ({source}) exists but cannot be executed: {cause}; {outcome}.",
                    cx.tilde(file)
                ),
            );
            f.evidence(format!("cannot run: {} ({what})", cx.tilde(file)));
            if let Some(lines) = &cx.snapshot.host.mountinfo {
                if let Some(mount) = noexec_mount(what) {
                    for l in lines.iter().filter(|l| l.split(' ').nth(4) == Some(mount)) {
                        f.evidence(format!("/proc/self/mountinfo: {l}"));
                    }
                }
            }
            if let Some(mount) = noexec_mount(what) {
                if let (Some(info), Some(go), Some(gopath)) = (
                    tools::info(&tool.name),
                    cx.go_candidate(),
                    cx.go_env_var("GOPATH").and_then(|p| p.split(':').next()),
                ) {
                    let version = tools::install_version(
                        &tool.name,
                        cx.go_version().map_or(0, |g| g.minor()),
                    );
                    f.fix(Fix {
                        title: format!("Install {} into {gopath}/bin instead", tool.name),
                        applicability: Applicability::Unsafe,
                        actions: vec![Action::RunShell {
                            command: format!(
                                "GOBIN={gopath}/bin {} install {}@{version}",
                                go.path, info.import_path
                            ),
                            cwd: None,
                        }],
                    });
                }
                f.fix(Fix {
                    title: format!("Allow programs on {mount} (changes a system mount)"),
                    applicability: Applicability::DisplayOnly,
                    actions: vec![Action::RunShell {
                        command: format!("sudo mount -o remount,exec {mount}"),
                        cwd: None,
                    }],
                });
            } else if what.starts_with("a file without execute permission") {
                f.fix(Fix {
                    title: format!("Make {} executable", cx.tilde(file)),
                    applicability: Applicability::Unsafe,
                    actions: vec![Action::RunShell {
                        command: format!("chmod +x {}", quote(file)),
                        cwd: None,
                    }],
                });
            }
        }
    }
}

fn quote(s: &str) -> String {
    if s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/._-+:@".contains(&b))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    const ALT: &str = "/opt/tools/dlv";

    fn dlv(what: &str, path: Option<&str>) -> crate::Snapshot {
        let mut tool = json!({"name": "dlv", "searched": [ALT, "/home/gopher/go/bin/dlv"], "unusable": {ALT: what}});
        if let Some(p) = path {
            tool["path"] = json!(p);
        }
        let mut v = serde_json::to_value(snapshot(json!({
            "settings": [{"scope": "user", "uri": USER_SETTINGS, "text": format!("{{\"go.alternateTools\": {{\"dlv\": \"{ALT}\"}}}}")}],
        }))).unwrap_or_default();
        let gopls = v["tools"][0].clone();
        v["tools"] = json!([gopls, tool]);
        crate::snapshot_from_value(v).unwrap_or_default()
    }

    #[test]
    fn fires_for_mode_0644_with_chmod() {
        let f = run(
            &TOOL_NOT_EXECUTABLE,
            &dlv("a file without execute permission (mode 0644)", None),
        );
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("(go.alternateTools.dlv)"),
            "{}",
            f[0].message
        );
        assert!(f[0].message.contains("counts as missing"));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command == "chmod +x /opt/tools/dlv")
        );
    }

    #[test]
    fn fires_for_noexec_with_reinstall_and_remount() {
        let f = run(
            &TOOL_NOT_EXECUTABLE,
            &dlv(
                "a file on a noexec mount (/opt/tools; mode 0755)",
                Some("/usr/bin/dlv"),
            ),
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].title.contains("/opt/tools is mounted noexec"));
        assert!(f[0].message.contains("runs /usr/bin/dlv instead"));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. }
            if command == "GOBIN=/home/gopher/go/bin /usr/lib/go-1.24/bin/go install github.com/go-delve/delve/cmd/dlv@latest")
        );
        assert_eq!(f[0].fixes[1].applicability, Applicability::DisplayOnly);
    }

    #[test]
    fn passes_for_directories_and_healthy_tools() {
        assert!(run(&TOOL_NOT_EXECUTABLE, &dlv("a directory", None)).is_empty());
        assert!(run(&TOOL_NOT_EXECUTABLE, &snapshot(json!({}))).is_empty());
        assert_eq!(quote("/a b"), "'/a b'");
    }
}
