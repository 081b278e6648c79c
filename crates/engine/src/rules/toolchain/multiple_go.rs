use serde_json::json;

use crate::context::Context;
use crate::declare_rule;
use crate::goversion::parse_go_version_output;
use crate::protocol::{Applicability, GoSource};
use crate::rules::common::set_in_user_settings;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Whether several different Go installations are reachable through PATH and the Go
    /// settings (`go.alternateTools.go`, `go.goroot`, `GOROOT`), with different versions: then
    /// which one a program gets depends on who asks. vscode-go uses the first in its own order;
    /// gopls and dlv resolve `go` from PATH (golang/vscode-go#776, #713, #707).
    ///
    /// ## Why it matters
    /// Builds in the terminal and diagnostics in the editor disagree ("works in the terminal, not
    /// in the editor"), gopls reports errors for a Go version you are not using.
    ///
    /// ## Example
    /// `/usr/local/go/bin/go` (go1.22.5) first on PATH, `~/sdk/go1.24.4/bin/go` later, and
    /// `go.goroot` pointing at the second.
    ///
    /// ## Fix
    /// Keep one Go first on PATH for everything. To make VS Code use the newest one found, set
    /// `go.goroot` (review: it changes which Go the extension uses).
    pub MULTIPLE_GO {
        code: "GSD102",
        name: "multiple-go",
        category: Toolchain,
        severity: Warning,
        summary: "one Go installation is in use everywhere",
        fix: Sometimes,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some(used) = cx.go_candidate() else {
        return;
    };
    let mut seen: Vec<(String, &crate::GoCandidate, crate::goversion::GoVersion)> = Vec::new();
    for c in cx
        .snapshot
        .go_candidates
        .iter()
        .filter(|c| c.executable && c.source != GoSource::WellKnown)
    {
        let real = c.real_path.clone().unwrap_or_else(|| c.path.clone());
        let Some((v, _)) = c
            .version
            .as_ref()
            .filter(|r| r.succeeded())
            .and_then(|r| parse_go_version_output(&r.stdout))
        else {
            continue;
        };
        if seen.iter().any(|(r, _, _)| cx.same_path(r, &real)) {
            continue;
        }
        seen.push((real, c, v));
    }
    let distinct_versions = {
        let mut vs: Vec<String> = seen.iter().map(|(_, _, v)| v.display()).collect();
        vs.sort();
        vs.dedup();
        vs.len()
    };
    if seen.len() < 2 || distinct_versions < 2 {
        return;
    }
    let used_version = seen
        .iter()
        .find(|(_, c, _)| std::ptr::eq(*c, used))
        .map(|(_, _, v)| v.display())
        .unwrap_or_else(|| "?".into());
    let f = out.report(
        format!("{} different Go installations are reachable", seen.len()),
        format!(
            "VS Code's Go extension uses {} ({used_version}), but other Go versions are also reachable through PATH or settings. gopls, dlv and the terminal may pick a different one.",
            cx.tilde(&used.path)
        ),
    );
    for (real, c, v) in &seen {
        let marker = if std::ptr::eq(*c, used) {
            " <- used by VS Code"
        } else {
            ""
        };
        f.evidence(format!(
            "{} ({}) -> {}: {}{marker}",
            cx.tilde(&c.path),
            crate::rules::toolchain::go_not_found::source_label(c.source),
            cx.tilde(real),
            v.display()
        ));
    }
    // What the terminal gets: the login shell's `go` (GSD110 reports it when VS Code's PATH
    // lacks its directory).
    if let Ok(Some(sh)) = crate::rules::shell::login_shell(cx) {
        if let Some(p) = sh.which.get("go") {
            f.evidence(format!(
                "login shell ({}): go -> {}{} <- used by the terminal",
                cx.tilde(&sh.describe()),
                cx.tilde(p),
                sh.go_version
                    .as_deref()
                    .and_then(parse_go_version_output)
                    .map(|(v, _)| format!(": {}", v.display()))
                    .unwrap_or_default()
            ));
        }
    }
    let Some((newest_real, _, newest)) = seen.iter().max_by(|a, b| a.2.cmp(&b.2)) else {
        return;
    };
    if newest.display() == used_version {
        return;
    }
    let Some(root) = Context::goroot_of_binary(newest_real) else {
        return;
    };
    set_in_user_settings(
        cx,
        f,
        &["go.goroot"],
        &json!(root),
        format!(
            "Use {} in VS Code: set go.goroot to {}",
            newest.display(),
            cx.tilde(&root)
        ),
        Applicability::Unsafe,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    fn two_gos() -> crate::Snapshot {
        snapshot(json!({"goCandidates": [
            {"path": "/usr/lib/go-1.22/bin/go", "realPath": "/usr/lib/go-1.22/bin/go", "source": "path", "executable": true,
             "version": run_ok(&["/usr/lib/go-1.22/bin/go", "version"], "go version go1.22.12 linux/amd64\n")},
            {"path": GO_BIN, "realPath": GO_BIN, "source": "path", "executable": true,
             "version": run_ok(&[GO_BIN, "version"], "go version go1.24.4 linux/amd64\n")}
        ], "go": {"version": run_ok(&["/usr/lib/go-1.22/bin/go", "version"], "go version go1.22.12 linux/amd64\n")}}))
    }

    #[test]
    fn fires_and_offers_newest_as_go_goroot() {
        let s = two_gos();
        let f = run(&MULTIPLE_GO, &s);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].evidence[0],
            "/usr/lib/go-1.22/bin/go (on PATH) -> /usr/lib/go-1.22/bin/go: go1.22.12 <- used by VS Code"
        );
        assert!(!f[0].evidence.iter().any(|e| e.starts_with("login shell")));
        // With the login shell observed, the terminal's go is named too.
        let mut with_shell = s.clone();
        with_shell.login_shell = serde_json::from_value(json!({"argv": ["/bin/zsh", "-i", "-l", "-c", "…"],
            "stdout": "@@gsd-login-shell-begin@@\nenv PATH=/usr/lib/go-1.24/bin:/usr/bin\nwhich go=/usr/lib/go-1.24/bin/go\ngo version=go version go1.24.4 linux/amd64\n@@gsd-login-shell-end@@\n",
            "exitCode": 0, "timeoutMs": 3000})).ok();
        let g = run(&MULTIPLE_GO, &with_shell);
        assert!(g[0].evidence.iter().any(|e| e == "login shell (/bin/zsh -i -l): go -> /usr/lib/go-1.24/bin/go: go1.24.4 <- used by the terminal"), "{:?}", g[0].evidence);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        assert_eq!(
            parse_jsonc(layer_text(&fixed, USER_SETTINGS))["go.goroot"],
            "/usr/lib/go-1.24"
        );
    }

    #[test]
    fn passes_with_one_go_or_symlinks_to_it() {
        assert!(run(&MULTIPLE_GO, &snapshot(json!({}))).is_empty());
        let s = snapshot(json!({"goCandidates": [
            {"path": "/usr/bin/go", "realPath": GO_BIN, "source": "path", "executable": true, "version": run_ok(&["/usr/bin/go", "version"], "go version go1.24.4 linux/amd64\n")},
            {"path": GO_BIN, "realPath": GO_BIN, "source": "path", "executable": true, "version": run_ok(&[GO_BIN, "version"], "go version go1.24.4 linux/amd64\n")}
        ]}));
        assert!(run(&MULTIPLE_GO, &s).is_empty());
    }
}
