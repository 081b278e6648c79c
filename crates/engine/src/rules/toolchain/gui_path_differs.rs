use serde_json::json;

use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix};
use crate::rules::common::set_in_user_settings;
use crate::rules::shell::{login_shell, LoginShell, TOOLS};
use crate::rules::toolchain::go_not_found::reports_terminal_go;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Runs your own shell (`$SHELL`, never a path from settings) the way VS Code resolves the
    /// shell environment (`$SHELL -i -l -c ...`, as in microsoft/vscode
    /// `src/vs/platform/shell/node/shellEnv.ts`) and asks it where `go`, `gopls`, `dlv`,
    /// `staticcheck`, `golangci-lint`, `goimports` and `gofumpt` are (`command -v`). A tool the
    /// login shell finds in a directory that is not on the extension host's PATH, and that VS Code
    /// does not find at the same path some other way, is reported, with both PATHs. When VS Code
    /// finds no `go` at all and the login shell runs one, GSD101 go-not-found reports that `go`
    /// (naming the same go, GOROOT and PATH line) and this rule reports only the other tools, or
    /// is shown as skipped, pointing there: one cause, one finding.
    ///
    /// ## Why it matters
    /// VS Code started from the Dock, Finder, a desktop launcher or a session that predates your
    /// last profile change inherits the desktop session's environment, not your shell's. The
    /// editor then runs another `go` than the terminal, or none: `unable to locate "go" binary in
    /// GOROOT () or PATH (/usr/bin:/bin:/usr/sbin:/sbin)` after launching from the Dock, fine
    /// when started with `code` from a terminal (microsoft/vscode#108003, golang/vscode-go#1823);
    /// on Linux from a GNOME launcher, fixed by exporting in `~/.profile`, which the desktop
    /// session reads, instead of `~/.bashrc`/`~/.zshrc` (microsoft/vscode-go#10,
    /// microsoft/vscode-go#1133; help.ubuntu.com/community/EnvironmentVariables). VS Code
    /// initialises its environment like a login shell (`~/.profile`, `~/.bash_profile`,
    /// `~/.zprofile`), while the terminal's interactive shell also reads the rc files
    /// (golang/vscode-go#713).
    ///
    /// ## Example
    /// `~/.profile` has `export PATH="$HOME/sdk/go1.24.4/bin:$PATH"`; VS Code's PATH is
    /// `/usr/local/bin:/usr/bin:/bin`: the terminal runs go1.24.4, VS Code finds no `go`.
    ///
    /// ## Fix
    /// Linux: put the PATH line in `~/.profile` (POSIX syntax, read by the desktop session for
    /// every login shell), then log out and back in. macOS: put it in the profile your login shell
    /// reads (`~/.zprofile` for zsh, `~/.bash_profile` for bash) and restart VS Code, or start it
    /// from a terminal with `code .`. Quick fix in VS Code (review: it changes which Go the
    /// extension uses): `go.goroot` pointing at the terminal's Go, or `go.alternateTools.<tool>` at
    /// the terminal's tool, in user settings.
    pub GUI_PATH_DIFFERS {
        code: "GSD110",
        name: "gui-path-differs",
        category: Toolchain,
        severity: Warning,
        summary: "VS Code's PATH has the Go tools the login shell has",
        fix: Sometimes,
        since: "0.1.0",
    }
}

/// Where the extension host finds `tool`, if at all.
fn host_path<'a>(cx: &Context<'a>, tool: &str) -> Option<&'a str> {
    if tool == "go" {
        cx.go_candidate().map(|c| c.path.as_str())
    } else {
        cx.tool(tool).and_then(|t| t.path.as_deref())
    }
}

fn parent(path: &str) -> &str {
    match path.rfind(['/', '\\']) {
        Some(0) => "/",
        Some(i) => path.get(..i).unwrap_or(path),
        None => path,
    }
}

/// Whether `root` (the login shell go's GOROOT) is the root of the go VS Code uses.
fn same_go_root(cx: &Context<'_>, root: Option<&str>) -> bool {
    let Some(root) = root else {
        return false;
    };
    let Some(c) = cx.go_candidate() else {
        return false;
    };
    let own = Context::goroot_of_binary(c.real_path.as_deref().unwrap_or(&c.path));
    own.is_some_and(|o| cx.same_path(&o, root))
}

/// The profile file a macOS login shell reads, and the PATH line for it.
fn macos_profile(shell: &str, dirs: &str) -> (String, String) {
    match shell.rsplit('/').next().unwrap_or(shell) {
        "zsh" => (
            "~/.zprofile".into(),
            format!("export PATH=\"{dirs}:$PATH\""),
        ),
        "bash" => (
            "~/.bash_profile".into(),
            format!("export PATH=\"{dirs}:$PATH\""),
        ),
        "fish" => (
            "~/.config/fish/config.fish".into(),
            format!("fish_add_path {}", dirs.replace(':', " ")),
        ),
        _ => ("~/.profile".into(), format!("export PATH=\"{dirs}:$PATH\"")),
    }
}

/// The PATH line for the profile the desktop session (Linux) or a GUI-started VS Code (macOS)
/// reads, for the login shell's `dirs`: shared with GSD101 so both name the same line.
pub(crate) fn desktop_path_fix(cx: &Context<'_>, sh: &LoginShell, dirs: &[&str]) -> Option<Fix> {
    let os = cx.snapshot.host.os.as_str();
    let dirs_shown: Vec<String> = dirs.iter().map(|d| cx.tilde(d)).collect();
    let home = cx.snapshot.host.home.as_deref().filter(|h| h.len() > 1);
    let line_dirs = dirs
        .iter()
        .map(|d| match home.and_then(|h| d.strip_prefix(h)) {
            Some(rest) if rest.starts_with('/') => format!("$HOME{rest}"),
            _ => d.to_string(),
        })
        .collect::<Vec<_>>()
        .join(":");
    match os {
        "darwin" => {
            let (file, line) = macos_profile(&sh.shell, &line_dirs);
            Some(Fix {
                title: format!(
                    "Add {} to PATH in {file}, then quit and restart VS Code (or start it from a terminal with `code .`)",
                    dirs_shown.join(", ")
                ),
                applicability: Applicability::DisplayOnly,
                actions: vec![Action::AppendToProfile { file, line }],
            })
        }
        "linux" => Some(Fix {
                title: format!(
                    "Put the PATH line for {} in ~/.profile (not ~/.bashrc or ~/.zshrc: the desktop session reads only ~/.profile), then log out and back in",
                    dirs_shown.join(", ")
                ),
                applicability: Applicability::DisplayOnly,
                actions: vec![Action::AppendToProfile {
                    file: "~/.profile".into(),
                    line: format!("export PATH=\"{line_dirs}:$PATH\""),
                }],
        }),
        _ => None,
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let sh: LoginShell = match login_shell(cx) {
        Ok(Some(sh)) => sh,
        Ok(None) => return,
        Err(why) => {
            out.skip(why);
            return;
        }
    };
    let os = cx.snapshot.host.os.as_str();
    let windows = os == "win32";
    let sep = if windows { ';' } else { ':' };
    let host_path_var = cx.env("PATH").unwrap_or("");
    let host_dirs: Vec<&str> = host_path_var.split(sep).filter(|d| !d.is_empty()).collect();
    let shell_dirs = sh.path_dirs(windows);

    // (tool, login shell's path, dir, extension host's path)
    let mut differing: Vec<(&str, &str, &str, Option<&str>)> = Vec::new();
    for tool in TOOLS {
        let Some(p) = sh.which.get(*tool) else {
            continue;
        };
        let dir = parent(p);
        if host_dirs.iter().any(|d| cx.same_path(d, dir)) {
            continue;
        }
        let host = host_path(cx, tool);
        if host.is_some_and(|h| cx.same_path(h, p)) {
            continue;
        }
        // The same Go reached through another link (/usr/local/bin/go -> /usr/local/go/bin/go):
        // the terminal's `go env GOROOT` is the root of the go VS Code runs.
        if *tool == "go" && same_go_root(cx, sh.go_root.as_deref()) {
            continue;
        }
        differing.push((tool, p.as_str(), dir, host));
    }
    // VS Code finds no go and the terminal has one: GSD101 go-not-found reports exactly that, with
    // the same go.goroot and PATH line (one cause, one finding); the other tools stay here.
    let go_left_to_gsd101 = differing.iter().any(|(t, ..)| *t == "go") && reports_terminal_go(cx);
    if go_left_to_gsd101 {
        differing.retain(|(t, ..)| *t != "go");
    }
    if differing.is_empty() {
        if go_left_to_gsd101 {
            out.skip("VS Code finds no go but your login shell does: GSD101 go-not-found reports it, with the same fixes");
        }
        return;
    }
    let mut dirs: Vec<&str> = Vec::new();
    for (_, _, d, _) in &differing {
        if !dirs.iter().any(|x| cx.same_path(x, d)) {
            dirs.push(d);
        }
    }
    // Keep the login shell's order, so the line puts them first in the same order.
    dirs.sort_by_key(|d| {
        shell_dirs
            .iter()
            .position(|s| cx.same_path(s, d))
            .unwrap_or(usize::MAX)
    });
    let tools: Vec<&str> = differing.iter().map(|(t, _, _, _)| *t).collect();
    let dirs_shown: Vec<String> = dirs.iter().map(|d| cx.tilde(d)).collect();
    let go_part = differing
        .iter()
        .find(|(t, _, _, _)| *t == "go")
        .map(|(_, p, _, host)| match host {
            Some(h) => format!(
                " The terminal runs {}, VS Code runs {}.",
                cx.tilde(p),
                cx.tilde(h)
            ),
            None => format!(
                " The terminal runs {}, VS Code finds no go at all.",
                cx.tilde(p)
            ),
        })
        .unwrap_or_default();
    let f = out.report(
        format!(
            "VS Code's PATH lacks {} that your login shell has",
            dirs_shown.join(", ")
        ),
        format!(
            "Your login shell finds {} in {}, which is not on the PATH VS Code was started with (started from the Dock, a desktop launcher, or before your profile changed), so the editor and its tools see a different setup than the terminal.{go_part}",
            tools.join(", "),
            dirs_shown.join(", ")
        ),
    );
    for (tool, p, _, host) in &differing {
        let version = if *tool == "go" {
            sh.go_version
                .as_deref()
                .map(|v| format!(" ({v})"))
                .unwrap_or_default()
        } else {
            String::new()
        };
        f.evidence(format!(
            "login shell ({}): {tool} -> {}{version}",
            cx.tilde(&sh.describe()),
            cx.tilde(p)
        ));
        f.evidence(match host {
            Some(h) => format!("VS Code: {tool} -> {}", cx.tilde(h)),
            None => format!("VS Code: {tool} not found"),
        });
    }
    f.evidence(format!(
        "login shell PATH={}",
        cx.tilde(sh.env.get("PATH").map(String::as_str).unwrap_or(""))
    ));
    f.evidence(format!("VS Code PATH={}", cx.tilde(host_path_var)));

    if let Some(fix) = desktop_path_fix(cx, &sh, &dirs) {
        f.fix(fix);
    }

    // Quick fixes in user settings: point VS Code at what the terminal uses.
    for (tool, p, _, _) in &differing {
        let (key, value, what) = if *tool == "go" {
            // The root the terminal's go reports (`go env GOROOT`): for Homebrew's
            // /opt/homebrew/bin/go symlink or a version-manager shim that is the real tree.
            let Some(root) = sh.go_root.clone() else {
                continue;
            };
            (
                "go.goroot".to_string(),
                root,
                "the terminal's Go".to_string(),
            )
        } else {
            (
                format!("go.alternateTools.{tool}"),
                p.to_string(),
                format!("the terminal's {tool}"),
            )
        };
        let path: Vec<&str> = if *tool == "go" {
            vec!["go.goroot"]
        } else {
            vec!["go.alternateTools", tool]
        };
        set_in_user_settings(
            cx,
            f,
            &path,
            &json!(value),
            format!(
                "Use {what} in VS Code: set {key} to {} (user settings)",
                cx.tilde(&value)
            ),
            Applicability::Unsafe,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::shell::{BEGIN, END};
    use crate::testing::*;
    use serde_json::json;

    /// The shape of a real run (recorded on Debian 12 with bash 5.2: `bash -i -l -c` without a
    /// terminal prints the two job-control lines on stderr).
    fn shell_run(body: &str) -> serde_json::Value {
        json!({"argv": ["/bin/bash", "-i", "-l", "-c", "…"], "cwd": "/home/gopher/src/hello",
               "stdout": format!("{BEGIN}\n{body}{END}\n"),
               "stderr": "bash: cannot set terminal process group (-1): Inappropriate ioctl for device\nbash: no job control in this shell\n",
               "exitCode": 0, "timeoutMs": 3000, "durationMs": 41.0})
    }

    const SDK: &str = "/home/gopher/sdk/go1.24.4/bin";

    fn gui_started() -> crate::Snapshot {
        snapshot(json!({
            "env": {"PATH": "/usr/local/bin:/usr/bin:/bin"},
            "goCandidates": [],
            "loginShell": shell_run(&format!("env PATH={SDK}:/home/gopher/go/bin:/usr/local/bin:/usr/bin:/bin\nwhich go={SDK}/go\nwhich gopls=/home/gopher/go/bin/gopls\ngo version=go version go1.24.4 linux/amd64\ngo root=/home/gopher/sdk/go1.24.4\n"))
        }))
    }

    /// VS Code, started from a launcher, runs Debian's go from /usr/lib/go-1.24 (through a PATH
    /// entry the session has); the terminal runs ~/sdk/go1.24.4.
    fn gui_started_with_other_go() -> crate::Snapshot {
        let mut s = gui_started();
        s.go_candidates = snapshot(json!({})).go_candidates;
        s
    }

    #[test]
    fn fires_when_the_desktop_session_lacks_the_sdk_dir() {
        let s = gui_started_with_other_go();
        let f = run(&GUI_PATH_DIFFERS, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        // gopls is found by VS Code at the same path through GOPATH/bin: not reported.
        assert_eq!(
            f[0].title,
            "VS Code's PATH lacks ~/sdk/go1.24.4/bin that your login shell has"
        );
        assert!(
            f[0].message.contains(
                "The terminal runs ~/sdk/go1.24.4/bin/go, VS Code runs /usr/lib/go-1.24/bin/go."
            ),
            "{}",
            f[0].message
        );
        assert!(f[0].evidence.iter().any(|e| e
            == "login shell (/bin/bash -i -l): go -> ~/sdk/go1.24.4/bin/go (go version go1.24.4 linux/amd64)"));
        assert!(f[0]
            .evidence
            .iter()
            .any(|e| e == "VS Code: go -> /usr/lib/go-1.24/bin/go"));
        assert!(matches!(&f[0].fixes[0].actions[0],
            Action::AppendToProfile { file, line } if file == "~/.profile" && line == "export PATH=\"$HOME/sdk/go1.24.4/bin:$PATH\""));
        // The settings quick fix: go.goroot to the terminal's Go; after it, VS Code uses that go
        // (vscode-go puts <go.goroot>/bin first on PATH for the tools it runs).
        let fix = f[0]
            .fixes
            .iter()
            .find(|x| x.title.contains("go.goroot"))
            .unwrap_or_else(|| unreachable!());
        let fixed = apply_fix(&s, fix);
        assert_eq!(
            parse_jsonc(layer_text(&fixed, USER_SETTINGS))["go.goroot"],
            "/home/gopher/sdk/go1.24.4"
        );
        assert_eq!(
            parse_jsonc(layer_text(&fixed, USER_SETTINGS))["editor.tabSize"],
            4
        );
        let mut after = fixed;
        after
            .env
            .insert("PATH".into(), format!("{SDK}:/usr/local/bin:/usr/bin:/bin"));
        assert!(run(&GUI_PATH_DIFFERS, &after).is_empty());
    }

    #[test]
    fn leaves_go_to_gsd101_when_vs_code_finds_none() {
        // VS Code finds no go at all: GSD101 names the terminal's go with the same PATH line and
        // go.goroot; this check is skipped and says so (one cause, one finding).
        let mut s = gui_started();
        s.go = None;
        assert!(run(&GUI_PATH_DIFFERS, &s).is_empty());
        let c = run_status(&GUI_PATH_DIFFERS, &s);
        assert_eq!(c.status, crate::protocol::CheckStatus::Skipped);
        assert!(
            c.reason.as_deref().is_some_and(|r| r.contains("GSD101")),
            "{:?}",
            c.reason
        );
        let g = run(&crate::rules::toolchain::go_not_found::GO_NOT_FOUND, &s);
        assert_eq!(g.len(), 1);
        assert!(g[0].fixes.iter().any(|x| x.actions.iter().any(|a| matches!(a,
            Action::AppendToProfile { file, line } if file == "~/.profile" && line == "export PATH=\"$HOME/sdk/go1.24.4/bin:$PATH\""))));
        assert!(g[0].fixes.iter().any(|x| x.title.contains("go.goroot")));

        // A tool VS Code lacks too (gopls only in the shell's ~/go/bin): reported here, go is not.
        s.env.insert("PATH".into(), "/usr/bin:/bin".into());
        s.tools.clear();
        let f = run(&GUI_PATH_DIFFERS, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(
            f[0].title,
            "VS Code's PATH lacks ~/go/bin that your login shell has"
        );
        assert!(
            !f[0].evidence.iter().any(|e| e.contains(": go ->")),
            "{:#?}",
            f[0].evidence
        );
        assert!(!f[0].fixes.iter().any(|x| x.title.contains("go.goroot")));
    }

    #[test]
    fn fires_on_macos_with_the_zprofile_line() {
        let mut s = gui_started();
        s.host.os = "darwin".into();
        s.host.home = Some("/Users/gopher".into());
        s.login_shell = serde_json::from_value(shell_run(
            "env PATH=/opt/homebrew/bin:/usr/bin:/bin\nwhich go=/opt/homebrew/bin/go\n",
        ))
        .ok();
        if let Some(r) = s.login_shell.as_mut() {
            r.argv[0] = "/bin/zsh".into();
        }
        let f = run(&GUI_PATH_DIFFERS, &s);
        assert_eq!(f.len(), 1);
        assert!(matches!(&f[0].fixes[0].actions[0],
            Action::AppendToProfile { file, line } if file == "~/.zprofile" && line == "export PATH=\"/opt/homebrew/bin:$PATH\""));
        // /opt/homebrew/bin/go is Homebrew's symlink; without the shell's `go env GOROOT`
        // there is no go.goroot to offer (never /opt/homebrew).
        assert!(!f[0].fixes.iter().any(|x| x.title.contains("go.goroot")));
        assert!(f[0].evidence.iter().any(|e| e == "VS Code: go not found"));
    }

    #[test]
    fn passes_when_paths_agree_or_the_probe_did_not_run() {
        assert!(run(&GUI_PATH_DIFFERS, &snapshot(json!({}))).is_empty());
        let s = snapshot(json!({"loginShell": shell_run(
            "env PATH=/usr/lib/go-1.24/bin:/home/gopher/go/bin:/usr/bin:/bin\nwhich go=/usr/lib/go-1.24/bin/go\nwhich gopls=/home/gopher/go/bin/gopls\n")}));
        assert!(run(&GUI_PATH_DIFFERS, &s).is_empty());
        // The same go through a symlink in a dir VS Code's PATH lacks: same GOROOT, quiet.
        let s = snapshot(json!({"loginShell": shell_run(
            "env PATH=/usr/local/bin:/usr/bin:/bin\nwhich go=/usr/local/bin/go\ngo root=/usr/lib/go-1.24\n")}));
        assert!(run(&GUI_PATH_DIFFERS, &s).is_empty());
        // A shim dir not on PATH, but nothing Go in it: quiet.
        let s = snapshot(json!({"loginShell": shell_run(
            "env PATH=/home/gopher/.cargo/bin:/usr/lib/go-1.24/bin:/usr/bin:/bin\nwhich go=/usr/lib/go-1.24/bin/go\n")}));
        assert!(run(&GUI_PATH_DIFFERS, &s).is_empty());
    }

    #[test]
    fn passes_and_says_why_when_the_profile_exits_early() {
        let s = snapshot(
            json!({"loginShell": {"argv": ["/bin/bash", "-i", "-l", "-c", "…"], "stdout": "", "stderr": "",
            "exitCode": 1, "timeoutMs": 3000, "durationMs": 5.0}}),
        );
        assert!(run(&GUI_PATH_DIFFERS, &s).is_empty());
        let c = run_status(&GUI_PATH_DIFFERS, &s);
        assert!(c
            .reason
            .unwrap_or_default()
            .contains("printed no result (exit code 1)"));
    }
}
