//! What the user's login shell sees: the parsed `loginShell` run of the Snapshot, and the
//! integrated terminal's view of it (`terminal.integrated.env.<os>` on top). Shared by GSD110,
//! GSD111 and GSD310.
//!
//! The probe runs `$SHELL -i -l -c <script>` as VS Code itself does to resolve the shell
//! environment when it is not started from a terminal (microsoft/vscode
//! `src/vs/platform/shell/node/shellEnv.ts`, `getUnixShellEnvironment`: `-i -l -c`, output
//! between markers because profiles print banners).

use std::collections::BTreeMap;

use crate::context::Context;

pub(crate) const BEGIN: &str = "@@gsd-login-shell-begin@@";
pub(crate) const END: &str = "@@gsd-login-shell-end@@";

/// The Go tools whose resolution the probe prints with `command -v`.
pub(crate) const TOOLS: &[&str] = &[
    "go",
    "gopls",
    "dlv",
    "staticcheck",
    "golangci-lint",
    "goimports",
    "gofumpt",
];

#[derive(Debug, Default)]
pub(crate) struct LoginShell {
    /// The shell binary (argv[0]).
    pub shell: String,
    /// `env NAME=value` lines: the variables set in the shell.
    pub env: BTreeMap<String, String>,
    /// `which tool=/abs/path` lines (absolute paths only; aliases and functions are dropped).
    pub which: BTreeMap<String, String>,
    /// First line of `GOTOOLCHAIN=local go version 2>&1` in the shell.
    pub go_version: Option<String>,
    /// `GOTOOLCHAIN=local go env GOROOT` in the shell (absent when it failed or printed nothing).
    pub go_root: Option<String>,
}

impl LoginShell {
    pub fn path_dirs(&self, windows: bool) -> Vec<&str> {
        let sep = if windows { ';' } else { ':' };
        self.env
            .get("PATH")
            .map(|p| p.split(sep).filter(|d| !d.is_empty()).collect())
            .unwrap_or_default()
    }

    /// How the shell was run, for evidence: `/bin/bash -i -l`.
    pub fn describe(&self) -> String {
        format!("{} -i -l", self.shell)
    }
}

/// Parse the text between the markers (the last begin marker, then the first end after it).
pub(crate) struct Parsed {
    pub env: BTreeMap<String, String>,
    pub which: BTreeMap<String, String>,
    pub go_version: Option<String>,
    pub go_root: Option<String>,
}

pub(crate) fn parse(stdout: &str) -> Option<Parsed> {
    let start = stdout.rfind(BEGIN)? + BEGIN.len();
    let rest = stdout.get(start..)?;
    let body = rest.get(..rest.find(END)?)?;
    let mut env = BTreeMap::new();
    let mut which = BTreeMap::new();
    let mut go_version = None;
    let mut go_root = None;
    for line in body.lines() {
        let line = line.trim_end_matches('\r');
        if let Some(kv) = line.strip_prefix("env ") {
            if let Some((k, v)) = kv.split_once('=') {
                env.insert(k.to_string(), v.to_string());
            }
        } else if let Some(kv) = line.strip_prefix("which ") {
            if let Some((k, v)) = kv.split_once('=') {
                let v = v.trim();
                if v.starts_with('/') || v.get(1..3) == Some(":\\") {
                    which.insert(k.to_string(), v.to_string());
                }
            }
        } else if let Some(v) = line.strip_prefix("go version=") {
            go_version = Some(v.trim().to_string()).filter(|v| !v.is_empty());
        } else if let Some(v) = line.strip_prefix("go root=") {
            go_root = Some(v.trim().to_string())
                .filter(|v| v.starts_with('/') || v.get(1..3) == Some(":\\"));
        }
    }
    Some(Parsed {
        env,
        which,
        go_version,
        go_root,
    })
}

/// The login shell's view, `Ok(None)` when the probe did not run, `Err(why)` when it ran but
/// gave nothing usable (timed out, crashed, or the profile exited before the script ran).
pub(crate) fn login_shell<'a>(cx: &Context<'a>) -> Result<Option<LoginShell>, String> {
    let Some(run) = cx.snapshot.login_shell.as_ref() else {
        return Ok(None);
    };
    let shell = run.argv.first().cloned().unwrap_or_default();
    if run.timed_out || run.signal.is_some() || run.spawn_error.is_some() {
        return Err(format!(
            "the login shell `{}` did not complete (see GSD901)",
            cx.tilde(&shell)
        ));
    }
    let Some(Parsed {
        env,
        which,
        go_version,
        go_root,
    }) = parse(&run.stdout)
    else {
        let code = run
            .exit_code
            .map(|c| format!("exit code {c}"))
            .unwrap_or_else(|| "no exit code".into());
        return Err(format!(
            "the login shell `{}` printed no result ({code}); its profile may exit early",
            cx.tilde(&shell)
        ));
    };
    if !env.contains_key("PATH") {
        return Err(format!(
            "the login shell `{}` printed no PATH",
            cx.tilde(&shell)
        ));
    }
    Ok(Some(LoginShell {
        shell,
        env,
        which,
        go_version,
        go_root,
    }))
}

/// The `terminal.integrated.env.<os>` key for the host OS.
pub(crate) fn terminal_env_key(os: &str) -> &'static str {
    match os {
        "darwin" => "terminal.integrated.env.osx",
        "win32" => "terminal.integrated.env.windows",
        _ => "terminal.integrated.env.linux",
    }
}

/// `${env:NAME}` replaced by the host environment's value (VS Code's variable resolver, also
/// used by vscode-go for `go.toolsEnvVars`).
pub(crate) fn substitute_env(cx: &Context<'_>, value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(i) = rest.find("${env:") {
        out.push_str(rest.get(..i).unwrap_or(""));
        let after = rest.get(i + 6..).unwrap_or("");
        match after.find('}') {
            Some(j) => {
                let name = after.get(..j).unwrap_or("").trim();
                out.push_str(cx.env(name).unwrap_or(""));
                rest = after.get(j + 1..).unwrap_or("");
            }
            None => {
                out.push_str(rest.get(i..).unwrap_or(""));
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A variable as the integrated terminal gets it: `terminal.integrated.env.<os>` when set there
/// (with the settings scope), else the login shell's value. `Some((None, _))` = unset.
pub(crate) fn terminal_var(
    cx: &Context<'_>,
    shell: &LoginShell,
    var: &str,
) -> (Option<String>, String) {
    let key = terminal_env_key(&cx.snapshot.host.os);
    let from_setting = cx.layers.iter().rev().find_map(|l| {
        let v = l.doc.as_ref()?.value(key)?;
        let v = v.get(var)?;
        Some((v.clone(), l.layer.scope.label()))
    });
    match from_setting {
        Some((serde_json::Value::Null, scope)) => (None, format!("{key} ({scope} settings)")),
        Some((serde_json::Value::String(s), scope)) => (
            Some(substitute_env(cx, &s)),
            format!("{key} ({scope} settings)"),
        ),
        _ => (
            shell.env.get(var).cloned(),
            format!("the login shell ({})", shell.describe()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_between_markers_after_a_banner() {
        let out = format!("Welcome!\n{BEGIN}\nbanner\n{BEGIN}\nenv PATH=/a:/b\nenv GOFLAGS=\nwhich go=/a/go\nwhich ll=alias ll='ls -l'\ngo version=go version go1.24.4 linux/amd64\ngo root=/a\n{END}\nbye\n");
        let Some(Parsed {
            env,
            which,
            go_version: v,
            ..
        }) = parse(&out)
        else {
            unreachable!("markers are there")
        };
        assert_eq!(env.get("PATH").map(String::as_str), Some("/a:/b"));
        assert_eq!(env.get("GOFLAGS").map(String::as_str), Some(""));
        assert_eq!(which.get("go").map(String::as_str), Some("/a/go"));
        assert!(!which.contains_key("ll"));
        assert_eq!(v.as_deref(), Some("go version go1.24.4 linux/amd64"));
        assert!(parse("no markers").is_none());
        // End before begin, a begin without an end, garbage lines, a huge PATH: no panic.
        assert!(parse(&format!("{END}\n{BEGIN}\n")).is_none());
        let huge = format!(
            "{BEGIN}\nenv PATH={}\nenv\nwhich\nwhich =\ngo root=relative\n{END}",
            "/x:".repeat(100_000)
        );
        let Some(p) = parse(&huge) else {
            unreachable!("markers are there")
        };
        assert_eq!(p.env.get("PATH").map(|v| v.len()), Some(300_000));
        assert!(p.which.is_empty() && p.go_root.is_none());
        assert!(parse(&format!("{BEGIN}\nenv PATH=/x\n")).is_none());
    }
}
