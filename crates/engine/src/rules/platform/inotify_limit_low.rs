use crate::context::Context;
use crate::declare_rule;
use crate::rules::host::{self, thousands};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// On Linux, `fs.inotify.max_user_watches` (`/proc/sys/fs/inotify/max_user_watches`, and inside
    /// a user namespace the lower `/proc/sys/user/max_inotify_watches`) against the number of
    /// directories in the workspace: VS Code's file watcher uses one inotify watch per directory,
    /// and the limit is shared by every process of the user (other windows, other tools). It fires
    /// when the workspace alone needs more than half of the limit, or when the walk hit its cap
    /// and the limit is at the old kernel default of 8192. A workspace with at least as many
    /// directories as the limit is GSD407 too-many-files-for-watchers instead: this rule is about a
    /// limit too low to share, that one about a workspace that cannot be watched at all.
    ///
    /// ## Why it matters
    /// Past the limit the watcher fails with `ENOSPC: System limit for number of file watchers
    /// reached` and VS Code shows "Visual Studio Code is unable to watch for file changes in this
    /// large workspace" (error ENOSPC). gopls learns about changes made outside the editor (git
    /// checkout, code generation, `go mod tidy`) through those watches, so it works on stale files.
    /// Kernels before 5.11 default to 8192; newer ones scale the default with RAM, containers and
    /// user namespaces can set their own.
    ///
    /// ## Example
    /// `max_user_watches` = 8192 and a monorepo with 12,000 directories.
    ///
    /// ## Fix
    /// `sudo sysctl fs.inotify.max_user_watches=524288` now, and the line
    /// `fs.inotify.max_user_watches=524288` in `/etc/sysctl.d/60-inotify.conf` so it survives a
    /// reboot (VS Code's Linux setup guide). Inside a container or user namespace the limit is set
    /// by the host (`user.max_inotify_watches`).
    pub INOTIFY_LIMIT_LOW {
        code: "GSD604",
        name: "inotify-limit-low",
        category: Platform,
        severity: Warning,
        summary: "the inotify watch limit is high enough for the workspace",
        fix: Always,
        since: "0.1.0",
    }
}

/// The old kernel default, below which a capped (large) workspace is reported.
const OLD_DEFAULT: u64 = 8192;

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let h = &cx.snapshot.host;
    if h.os != "linux" {
        return;
    }
    let global = host::proc_number(h.inotify_max_user_watches.as_deref());
    let userns = host::proc_number(h.userns_max_inotify_watches.as_deref());
    let (limit, from_userns) = match (global, userns) {
        (Some(g), Some(u)) if u < g => (u, true),
        (Some(g), _) => (g, false),
        (None, Some(u)) => (u, true),
        (None, None) => return,
    };
    let size = host::workspace_size(cx);
    if !size.dirs_known {
        return;
    }
    // The workspace alone needs more watches than the limit: GSD407's.
    if size.dirs >= limit {
        return;
    }
    let too_many = size.dirs.saturating_mul(2) > limit;
    let big_and_default = size.capped && limit <= OLD_DEFAULT;
    if !too_many && !big_and_default {
        return;
    }
    let name = if from_userns {
        "user.max_inotify_watches (this user namespace)"
    } else {
        "fs.inotify.max_user_watches"
    };
    let f = out.report(
        "The inotify watch limit is low for this workspace",
        format!(
            "{name} is {}, and this workspace has {}. VS Code's file watcher needs one inotify watch per directory, shared with every other window and tool of the user; when they run out it reports \"Visual Studio Code is unable to watch for file changes in this large workspace\" (error ENOSPC: System limit for number of file watchers reached), and gopls no longer sees changes made outside the editor.",
            thousands(limit),
            size.describe()
        ),
    );
    if let Some(g) = h.inotify_max_user_watches.as_deref() {
        f.evidence(format!(
            "/proc/sys/fs/inotify/max_user_watches: {}",
            g.trim()
        ));
    }
    if let Some(u) = h.userns_max_inotify_watches.as_deref() {
        f.evidence(format!("/proc/sys/user/max_inotify_watches: {}", u.trim()));
    }
    for folder in &cx.snapshot.workspace.folders {
        f.evidence(format!(
            "{}: {} directories, {} files{}",
            cx.tilde(&folder.path),
            folder.dirs_visited.unwrap_or(0),
            folder.files_visited,
            if folder.walk_capped {
                " (walk stopped at its cap)"
            } else {
                ""
            }
        ));
    }
    for fix in host::inotify_limit_fixes(from_userns) {
        f.fix(fix);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{Action, Applicability};
    use crate::testing::*;
    use serde_json::json;

    fn with(limit: &str, dirs: u32, capped: bool) -> crate::Snapshot {
        snapshot(json!({"host": {"inotifyMaxUserWatches": limit},
            "workspace": {"folders": [{"uri": "file:///home/gopher/src/mono", "path": "/home/gopher/src/mono",
                "goFiles": ["main.go"], "filesVisited": 19000, "dirsVisited": dirs, "walkCapped": capped}]}}))
    }

    #[test]
    fn fires_with_the_sysctl_line_and_the_persistent_file() {
        let f = run(&INOTIFY_LIMIT_LOW, &with("8192\n", 5000, false));
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message
                .contains("fs.inotify.max_user_watches is 8,192"),
            "{}",
            f[0].message
        );
        assert!(f[0].message.contains("5,000 directories"));
        assert!(f[0]
            .evidence
            .contains(&"/proc/sys/fs/inotify/max_user_watches: 8192".to_string()));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command == "sudo sysctl fs.inotify.max_user_watches=524288")
        );
        assert!(
            matches!(&f[0].fixes[1].actions[0], Action::RunShell { command, .. }
            if command.contains("fs.inotify.max_user_watches=524288 | sudo tee /etc/sysctl.d/60-inotify.conf"))
        );
        // A capped walk of a big workspace with the old default.
        assert_eq!(run(&INOTIFY_LIMIT_LOW, &with("8192", 900, true)).len(), 1);
        // At or over the limit it is GSD407's.
        assert!(run(&INOTIFY_LIMIT_LOW, &with("8192", 8192, false)).is_empty());
    }

    #[test]
    fn fires_for_a_lower_user_namespace_limit() {
        let mut s = with("192536\n", 400, false);
        s.host.userns_max_inotify_watches = Some("500\n".into());
        let f = run(&INOTIFY_LIMIT_LOW, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0]
            .message
            .starts_with("user.max_inotify_watches (this user namespace) is 500"));
        assert_eq!(f[0].fixes[0].applicability, Applicability::DisplayOnly);
    }

    #[test]
    fn passes_with_a_high_limit_or_small_workspace_or_no_data() {
        assert!(run(&INOTIFY_LIMIT_LOW, &with("524288", 20000, true)).is_empty());
        assert!(run(&INOTIFY_LIMIT_LOW, &with("8192", 300, false)).is_empty());
        assert!(run(&INOTIFY_LIMIT_LOW, &snapshot(json!({}))).is_empty());
        let mut mac = with("8192", 9000, false);
        mac.host.os = "darwin".into();
        assert!(run(&INOTIFY_LIMIT_LOW, &mac).is_empty());
    }
}
