use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Finding, Fix, Severity};
use crate::rules::common::trace_env_var;
use crate::rules::host;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// The directories the go command writes to and runs from:
    /// - its work directory (`GOTMPDIR`, else `TMPDIR`, else `/tmp`), where `go test` and `go run`
    ///   link the binaries they then execute, and `TMPDIR`, where delve writes `__debug_bin…`: on a
    ///   `noexec` mount (from the mount options of the `/proc/self/mountinfo` line holding them);
    /// - `GOMODCACHE` on a `noexec` mount: toolchain switching (`GOTOOLCHAIN`) runs `bin/go` from
    ///   `golang.org/toolchain@…` in the module cache;
    /// - `GOCACHE`, `GOMODCACHE`, `GOTMPDIR`, `TMPDIR` that cannot be written (`access(W_OK)` of the
    ///   directory, or of its nearest existing parent when Go would create it), or a `GOTMPDIR` that
    ///   does not exist (Go does not create it).
    ///
    /// A `noexec` `GOCACHE` is harmless (checked with go1.24.4: `go run`, `go test`, `go tool` still
    /// work) and is not reported.
    ///
    /// ## Why it matters
    /// With a `noexec` work directory `go test` prints
    /// `fork/exec /tmp/go-build481934718/b001/m.test: permission denied` and `go run`
    /// `fork/exec /tmp/go-build4111607623/b001/exe/m: permission denied`; the test explorer, code
    /// lenses and debugging fail the same way. An unwritable `GOCACHE` stops every build:
    /// `failed to initialize build cache at /x: mkdir /x: read-only file system`; an unwritable or
    /// missing work directory: `go: creating work dir: mkdir /x/go-build…: read-only file system`,
    /// `go: creating work dir: stat /x: no such file or directory` (all recorded with go1.19.8 and
    /// go1.24.4 on Linux).
    ///
    /// ## Example
    /// `/tmp` mounted `rw,nosuid,nodev,noexec` (hardened servers, some CI images).
    ///
    /// ## Fix
    /// Point Go's work directory somewhere executable: `mkdir -p ~/.cache/go-tmp && go env -w
    /// GOTMPDIR=$HOME/.cache/go-tmp`; for an unwritable cache `go env -w GOCACHE=$HOME/.cache/go-build`
    /// (or fix the variable where it is set).
    pub CACHE_NOT_WRITABLE {
        code: "GSD505",
        name: "cache-not-writable",
        category: Environment,
        severity: Error,
        summary: "Go's cache and temporary directories are writable and executable",
        fix: Always,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let os = cx.snapshot.host.os.as_str();
    if os == "win32" {
        return;
    }
    let go = cx
        .go_candidate()
        .map(|c| c.path.clone())
        .unwrap_or_else(|| "go".into());
    let gotmpdir = cx.go_env_var("GOTMPDIR").map(str::to_string);
    let tmpdir = cx
        .env("TMPDIR")
        .filter(|s| !s.is_empty())
        .unwrap_or("/tmp")
        .to_string();
    let (workdir, workvar) = match &gotmpdir {
        Some(d) => (d.clone(), "GOTMPDIR"),
        None => (
            tmpdir.clone(),
            if cx.env("TMPDIR").is_some() {
                "TMPDIR"
            } else {
                "the default temporary directory"
            },
        ),
    };
    let fix_workdir = |f: &mut Finding| {
        f.fix(shell_fix(
            "Let go build into an executable directory: go env -w GOTMPDIR=$HOME/.cache/go-tmp",
            format!(
                "mkdir -p \"$HOME/.cache/go-tmp\" && {go} env -w GOTMPDIR=\"$HOME/.cache/go-tmp\""
            ),
        ));
    };

    // 1. noexec mounts.
    let mut reported_noexec = Vec::new();
    if let Some(m) = host::mount_for(cx, &workdir).filter(|m| m.has_option("noexec")) {
        let f = report_noexec(
            out,
            &m,
            "go test and go run cannot execute what they build",
            format!(
                "The go command links test binaries and go run programs in {workdir} ({workvar}), which is on a noexec mount ({} on {}, type {}). Running them fails: \"fork/exec {workdir}/go-build…/b001/<package>.test: permission denied\" for go test, and the same for go run, the test explorer and debugging.",
                m.source, m.mount_point, m.fstype
            ),
        );
        f.evidence(format!("{workvar}: {workdir}"));
        if gotmpdir.is_some() {
            trace_env_var(cx, "GOTMPDIR", f);
        }
        fix_workdir(f);
        reported_noexec.push(m.mount_point.clone());
    }
    if gotmpdir.is_some() {
        if let Some(m) = host::mount_for(cx, &tmpdir)
            .filter(|m| m.has_option("noexec") && !reported_noexec.contains(&m.mount_point))
        {
            let f = report_noexec(
                out,
                &m,
                "The debugger cannot run what it builds in TMPDIR",
                format!(
                    "GOTMPDIR is set, so go test and go run are fine, but TMPDIR ({tmpdir}) is on a noexec mount ({} on {}): delve builds __debug_bin… there, and debugging fails with \"fork/exec {tmpdir}/__debug_bin…: permission denied\".",
                    m.source, m.mount_point
                ),
            );
            f.severity(Severity::Warning);
            f.fix(Fix {
                title: "Give VS Code an executable TMPDIR (e.g. export TMPDIR=$HOME/.cache/tmp in ~/.profile, then restart VS Code)".into(),
                applicability: Applicability::Unsafe,
                actions: vec![Action::AppendToProfile {
                    file: "~/.profile".into(),
                    line: "mkdir -p \"$HOME/.cache/tmp\" && export TMPDIR=\"$HOME/.cache/tmp\"".into(),
                }],
            });
        }
    }
    if let Some(modcache) = cx.go_env_var("GOMODCACHE") {
        if let Some(m) = host::mount_for(cx, modcache).filter(|m| m.has_option("noexec")) {
            let f = report_noexec(
                out,
                &m,
                "Toolchain switching cannot run Go from the module cache",
                format!(
                    "GOMODCACHE ({modcache}) is on a noexec mount ({} on {}). When go.mod asks for a newer Go, the go command downloads golang.org/toolchain into the module cache and runs its bin/go from there, which then fails with \"permission denied\".",
                    m.source, m.mount_point
                ),
            );
            f.severity(Severity::Warning);
            f.evidence(format!("GOMODCACHE: {modcache}"));
            f.fix(shell_fix(
                "Move the module cache to an executable file system: go env -w GOMODCACHE=$HOME/go/pkg/mod",
                format!("{go} env -w GOMODCACHE=\"$HOME/go/pkg/mod\""),
            ));
        }
    }

    // 2. Not writable / missing.
    for d in cx.snapshot.host.dir_access.iter().flatten() {
        let missing_gotmpdir = d.var == "GOTMPDIR" && !d.exists;
        if d.writable && !missing_gotmpdir {
            continue;
        }
        let err = d.error.as_deref().unwrap_or("not writable");
        let (title, text) = match d.var.as_str() {
            "GOCACHE" => (
                "The Go build cache cannot be written",
                format!("GOCACHE ({}) cannot be written ({err}). Every build, test and gopls load fails with \"failed to initialize build cache at {}: mkdir …\".", d.path, d.path),
            ),
            "GOMODCACHE" => (
                "The module cache cannot be written",
                format!("GOMODCACHE ({}) cannot be written ({err}). Downloading modules (go mod download, go get, gopls loading a new dependency) fails.", d.path),
            ),
            _ if missing_gotmpdir => (
                "GOTMPDIR does not exist",
                format!("GOTMPDIR ({}) does not exist, and go does not create it: every build fails with \"go: creating work dir: stat {}: no such file or directory\".", d.path, d.path),
            ),
            var => (
                "Go's temporary directory cannot be written",
                format!("{var} ({}) cannot be written ({err}). Every build fails with \"go: creating work dir: mkdir {}/go-build…: {}\".", d.path, d.path, err.split(", ").next().unwrap_or(err)),
            ),
        };
        let f = out.report(title, text);
        f.evidence(format!(
            "{}={} exists: {}, checked {}: {}",
            d.var,
            d.path,
            d.exists,
            d.checked,
            if d.writable { "writable" } else { err }
        ));
        if d.var != "TMPDIR" {
            trace_env_var(cx, &d.var, f);
        }
        match d.var.as_str() {
            "GOCACHE" => {
                f.fix(shell_fix(
                    "Use a writable build cache: go env -w GOCACHE=$HOME/.cache/go-build",
                    format!("{go} env -w GOCACHE=\"$HOME/.cache/go-build\""),
                ));
            }
            "GOMODCACHE" => {
                f.fix(shell_fix(
                    "Use a writable module cache: go env -w GOMODCACHE=$HOME/go/pkg/mod",
                    format!("{go} env -w GOMODCACHE=\"$HOME/go/pkg/mod\""),
                ));
            }
            _ => fix_workdir(f),
        }
    }
}

/// A noexec-mount finding, with the mount's /proc/self/mountinfo line as its first evidence.
fn report_noexec<'s>(
    out: &'s mut Sink,
    m: &host::Mount<'_>,
    title: &str,
    message: String,
) -> &'s mut Finding {
    let f = out.report(title, message);
    f.evidence(format!("/proc/self/mountinfo: {}", m.line));
    f
}

/// A shell command the user reviews before running (a `go env -w`, mostly).
fn shell_fix(title: &str, command: String) -> Fix {
    Fix {
        title: title.into(),
        applicability: Applicability::Unsafe,
        actions: vec![Action::RunShell { command, cwd: None }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    const ROOT: &str = "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw";
    // Recorded on this machine in a private mount namespace (unshare -m; mount -t tmpfs -o noexec).
    const NOEXEC_TMP: &str = "63 43 0:39 / /tmp rw,noexec,relatime - tmpfs tmpfs rw,size=65536k";

    #[test]
    fn fires_for_a_noexec_tmp_and_the_fix_sets_gotmpdir() {
        let s = snapshot(json!({"host": {"mountinfo": [ROOT, NOEXEC_TMP]}}));
        let f = run(&CACHE_NOT_WRITABLE, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Error);
        assert!(f[0].message.contains("in /tmp (the default temporary directory), which is on a noexec mount (tmpfs on /tmp, type tmpfs)"), "{}", f[0].message);
        assert!(f[0]
            .message
            .contains("fork/exec /tmp/go-build…/b001/<package>.test: permission denied"));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. }
            if command == "mkdir -p \"$HOME/.cache/go-tmp\" && /usr/lib/go-1.24/bin/go env -w GOTMPDIR=\"$HOME/.cache/go-tmp\"")
        );
        // With GOTMPDIR elsewhere only the debugger's TMPDIR remains, as a warning.
        let mut s = s;
        if let Some(g) = s.go.as_mut().and_then(|g| g.env.as_mut()) {
            g.stdout = g
                .stdout
                .replacen("{", "{\"GOTMPDIR\": \"/home/gopher/.cache/go-tmp\",", 1);
        }
        let f = run(&CACHE_NOT_WRITABLE, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(f[0].title.contains("debugger"));
    }

    #[test]
    fn fires_for_an_unwritable_cache_a_missing_gotmpdir_and_a_noexec_modcache() {
        let s = snapshot(json!({"host": {"dirAccess": [
            {"var": "GOCACHE", "path": "/ro/c", "exists": false, "checked": "/ro", "writable": false, "error": "EROFS: read-only file system, access '/ro'"},
            {"var": "GOTMPDIR", "path": "/nonexistent/x", "exists": false, "checked": "/", "writable": true}]}}));
        let f = run(&CACHE_NOT_WRITABLE, &s);
        assert_eq!(f.len(), 2, "{f:#?}");
        assert!(f[0]
            .message
            .contains("failed to initialize build cache at /ro/c"));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command.ends_with("env -w GOCACHE=\"$HOME/.cache/go-build\""))
        );
        assert!(f[1]
            .message
            .contains("go: creating work dir: stat /nonexistent/x: no such file or directory"));
        let s = snapshot(
            json!({"host": {"mountinfo": [ROOT, "70 22 0:50 / /home/gopher/go rw,nosuid,noexec - tmpfs tmpfs rw"]}}),
        );
        let mut s = s;
        if let Some(g) = s.go.as_mut().and_then(|g| g.env.as_mut()) {
            g.stdout = g
                .stdout
                .replacen("{", "{\"GOMODCACHE\": \"/home/gopher/go/pkg/mod\",", 1);
        }
        let f = run(&CACHE_NOT_WRITABLE, &s);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(f[0].message.contains("golang.org/toolchain"));
    }

    #[test]
    fn passes_for_executable_writable_dirs_and_a_noexec_gocache() {
        let s = snapshot(
            json!({"host": {"mountinfo": [ROOT, "71 22 0:51 / /home/gopher/.cache rw,noexec - tmpfs tmpfs rw"],
            "dirAccess": [{"var": "GOCACHE", "path": "/home/gopher/.cache/go-build", "exists": true, "checked": "/home/gopher/.cache/go-build", "writable": true}]}}),
        );
        assert!(run(&CACHE_NOT_WRITABLE, &s).is_empty());
        assert!(run(&CACHE_NOT_WRITABLE, &snapshot(json!({}))).is_empty());
    }
}
