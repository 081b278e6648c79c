use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Applicability, Scope};
use crate::rules::common::settings_fix;
use crate::rules::host::{self, thousands};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// On Linux, whether the workspace has at least as many directories as the inotify watch limit
    /// allows: the walk's directory count (a lower bound when the walk stopped at its cap) against
    /// `fs.inotify.max_user_watches`, or the lower `user.max_inotify_watches` of the user namespace
    /// VS Code runs in. VS Code's file watcher needs one watch per directory, so such a workspace
    /// cannot be watched even with nothing else running. (GSD604 inotify-limit-low covers the
    /// milder case: a workspace that needs more than half of a limit it shares with every other
    /// window and tool.)
    ///
    /// ## Why it matters
    /// The watcher fails with `ENOSPC: System limit for number of file watchers reached` (the real
    /// text `fs.watch` gives at the limit, see `tests/scenarios/platform.test.ts`), and VS Code
    /// shows "Visual Studio Code is unable to watch for file changes in this large workspace"
    /// (error ENOSPC). Changes made outside the editor (git checkout, code generation,
    /// `go mod tidy`) then reach neither the explorer nor gopls, which keeps working on stale files.
    ///
    /// ## Example
    /// `max_user_watches` = 8192 (the default before Linux 5.11) and a monorepo whose `third_party/`
    /// alone has 9,000 directories.
    ///
    /// ## Fix
    /// Raise the limit (VS Code's Linux setup guide,
    /// code.visualstudio.com/docs/setup/linux#_visual-studio-code-is-unable-to-watch-for-file-changes-in-this-large-workspace-error-enospc):
    /// `sudo sysctl fs.inotify.max_user_watches=524288` now, plus the line
    /// `fs.inotify.max_user_watches=524288` in `/etc/sysctl.d/60-inotify.conf` so it survives a
    /// reboot; or keep the largest directory out of the watcher with `files.watcherExclude` in the
    /// folder's settings (needs review: changes there are then not seen). Inside a container or
    /// user namespace, the limit is the host's to raise (`user.max_inotify_watches`).
    pub TOO_MANY_FILES_FOR_WATCHERS {
        code: "GSD407",
        name: "too-many-files-for-watchers",
        category: Workspace,
        severity: Warning,
        summary: "the workspace has fewer directories than the inotify watch limit",
        fix: Always,
        since: "0.1.0",
    }
}

/// Whether `files.watcherExclude` pattern `p` (set to true) excludes the top-level directory `dir`
/// (only the shapes `**/dir/**`, `dir/**`, `**/dir`, `dir` are recognised).
fn excludes(p: &str, dir: &str) -> bool {
    let p = p.trim_start_matches("./");
    [
        format!("**/{dir}/**"),
        format!("{dir}/**"),
        format!("**/{dir}"),
        dir.to_string(),
    ]
    .iter()
    .any(|x| x == p)
}

/// Directories counted by the walk that `files.watcherExclude` (VS Code merges the object over
/// all scopes) keeps out of the watcher, from the per-folder largest directories.
fn excluded_dirs(cx: &Context<'_>) -> u64 {
    let mut merged = serde_json::Map::new();
    for (_, v) in cx.layers_setting("files.watcherExclude") {
        if let serde_json::Value::Object(o) = v {
            merged.extend(o);
        }
    }
    let patterns: Vec<&str> = merged
        .iter()
        .filter(|(_, v)| v.as_bool() == Some(true))
        .map(|(k, _)| k.as_str())
        .collect();
    cx.snapshot
        .workspace
        .folders
        .iter()
        .flat_map(|f| f.largest_dirs.iter().flatten())
        .filter(|d| patterns.iter().any(|p| excludes(p, &d.path)))
        .map(|d| u64::from(d.dirs))
        .sum()
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if cx.snapshot.host.os != "linux" {
        return;
    }
    let Some((limit, from_userns)) = host::inotify_limit(cx) else {
        return;
    };
    let size = host::workspace_size(cx);
    let excluded = excluded_dirs(cx);
    let watched = size.dirs.saturating_sub(excluded);
    if !size.dirs_known || watched < limit {
        return;
    }
    let name = if from_userns {
        "user.max_inotify_watches (this user namespace)"
    } else {
        "fs.inotify.max_user_watches"
    };
    let biggest = cx
        .snapshot
        .workspace
        .folders
        .iter()
        .flat_map(|f| f.largest_dirs.iter().flatten().take(1).map(move |d| (f, d)))
        .max_by_key(|(_, d)| d.dirs);
    let f = out.report(
        "The workspace has more directories than the inotify watch limit",
        format!(
            "This workspace has {}{} watched directories, and {name} is {}: VS Code's file watcher needs one inotify watch per directory, so it cannot watch this workspace even with nothing else running. It fails with \"ENOSPC: System limit for number of file watchers reached\", and changes made outside the editor (git checkout, go generate, go mod tidy) reach neither VS Code nor gopls.",
            if size.capped { "at least " } else { "" },
            thousands(watched),
            thousands(limit)
        ),
    );
    if excluded > 0 {
        f.evidence(format!(
            "{} directories are already excluded by files.watcherExclude",
            thousands(excluded)
        ));
    }
    if let Some(g) = cx.snapshot.host.inotify_max_user_watches.as_deref() {
        f.evidence(format!(
            "/proc/sys/fs/inotify/max_user_watches: {}",
            g.trim()
        ));
    }
    if let Some(u) = cx.snapshot.host.userns_max_inotify_watches.as_deref() {
        f.evidence(format!("/proc/sys/user/max_inotify_watches: {}", u.trim()));
    }
    for folder in &cx.snapshot.workspace.folders {
        f.evidence(format!(
            "{}: {}{} directories{}",
            cx.tilde(&folder.path),
            if folder.walk_capped { "at least " } else { "" },
            thousands(u64::from(folder.dirs_visited.unwrap_or(0))),
            if folder.walk_capped {
                format!(
                    " (the walk stopped at its cap after {} files)",
                    thousands(u64::from(folder.files_visited))
                )
            } else {
                String::new()
            }
        ));
        let shown: Vec<String> = folder
            .largest_dirs
            .iter()
            .flatten()
            .map(|d| format!("{}/ {}", d.path, thousands(u64::from(d.dirs))))
            .collect();
        if !shown.is_empty() {
            f.evidence(format!("largest: {}", shown.join(", ")));
        }
    }
    for fix in host::inotify_limit_fixes(from_userns) {
        f.fix(fix);
    }
    // files.watcherExclude for the largest top-level directory, in that folder's settings.
    let Some((folder, dir)) = biggest else { return };
    let Some(layer) = cx.layers.iter().find(|l| {
        l.layer.scope == Scope::WorkspaceFolder && l.layer.folder.as_deref() == Some(&folder.uri)
    }) else {
        return;
    };
    let pattern = format!("**/{}/**", dir.path);
    let edit = layer.doc.as_ref().and_then(|d| {
        d.set(
            &["files.watcherExclude", &pattern],
            &serde_json::json!(true),
        )
    });
    settings_fix(
        f,
        layer,
        edit,
        format!(
            "Stop watching {}/ ({} directories): files.watcherExclude \"{pattern}\" in the folder's settings (changes there are then not seen)",
            dir.path,
            thousands(u64::from(dir.dirs))
        ),
        Applicability::Unsafe,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Action;
    use crate::testing::*;
    use serde_json::json;

    fn with(limit: &str, dirs: u32, capped: bool) -> crate::Snapshot {
        let mut s = with_folder_settings("{\n  // keep\n  \"editor.tabSize\": 2\n}\n");
        s.host.inotify_max_user_watches = Some(limit.into());
        let f = &mut s.workspace.folders[0];
        f.dirs_visited = Some(dirs);
        f.files_visited = 19_990;
        f.walk_capped = capped;
        f.largest_dirs = Some(vec![
            crate::protocol::DirCount {
                path: "third_party".into(),
                dirs: dirs.saturating_sub(40),
            },
            crate::protocol::DirCount {
                path: "pkg".into(),
                dirs: 39,
            },
        ]);
        s
    }

    #[test]
    fn fires_with_sysctl_lines_and_a_watcher_exclude_edit() {
        let s = with("8192\n", 9000, false);
        let f = run(&TOO_MANY_FILES_FOR_WATCHERS, &s);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.starts_with(
                "This workspace has 9,000 watched directories, and fs.inotify.max_user_watches is 8,192"
            ),
            "{}",
            f[0].message
        );
        assert!(f[0]
            .evidence
            .contains(&"largest: third_party/ 8,960, pkg/ 39".to_string()));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command == "sudo sysctl fs.inotify.max_user_watches=524288")
        );
        assert!(
            matches!(&f[0].fixes[1].actions[0], Action::RunShell { command, .. } if command.starts_with("echo fs.inotify.max_user_watches=524288 | sudo tee /etc/sysctl.d/60-inotify.conf"))
        );
        let fixed = apply_fix(&s, &f[0].fixes[2]);
        let text = layer_text(&fixed, FOLDER_SETTINGS);
        assert!(text.contains("// keep"), "{text}");
        assert_eq!(
            parse_jsonc(text),
            json!({"editor.tabSize": 2, "files.watcherExclude": {"**/third_party/**": true}})
        );
        // Re-diagnosed with the edit: 40 watched directories are left.
        assert!(run(&TOO_MANY_FILES_FOR_WATCHERS, &fixed).is_empty());
        // A capped walk: a lower bound, said so.
        let f = run(&TOO_MANY_FILES_FOR_WATCHERS, &with("8192", 8200, true));
        assert!(f[0]
            .message
            .starts_with("This workspace has at least 8,200 watched directories"));
        assert!(f[0].evidence.iter().any(|e| e.ends_with(
            "at least 8,200 directories (the walk stopped at its cap after 19,990 files)"
        )));
    }

    #[test]
    fn fires_for_a_user_namespace_limit_with_display_only_fix() {
        let mut s = with("524288", 601, false);
        s.host.userns_max_inotify_watches = Some("500\n".into());
        let f = run(&TOO_MANY_FILES_FOR_WATCHERS, &s);
        assert!(f[0]
            .message
            .contains("and user.max_inotify_watches (this user namespace) is 500"));
        assert_eq!(f[0].fixes[0].applicability, Applicability::DisplayOnly);
    }

    #[test]
    fn passes_below_the_limit_or_off_linux_or_without_counts() {
        assert!(run(&TOO_MANY_FILES_FOR_WATCHERS, &with("8192", 8191, false)).is_empty());
        assert!(run(&TOO_MANY_FILES_FOR_WATCHERS, &with("garbage", 9000, false)).is_empty());
        let mut mac = with("8192", 9000, false);
        mac.host.os = "darwin".into();
        assert!(run(&TOO_MANY_FILES_FOR_WATCHERS, &mac).is_empty());
        let mut s = with("8192", 9000, false);
        s.workspace.folders[0].dirs_visited = None;
        assert!(run(&TOO_MANY_FILES_FOR_WATCHERS, &s).is_empty());
        assert!(run(&TOO_MANY_FILES_FOR_WATCHERS, &snapshot(json!({}))).is_empty());
    }
}
