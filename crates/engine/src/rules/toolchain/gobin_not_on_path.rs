use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// That the directory `go install` writes to (GOBIN, or the first GOPATH entry's `bin`) is on
    /// the PATH of the extension host.
    ///
    /// ## Why it matters
    /// Tools installed with `go install` (gopls, dlv, staticcheck) are then invisible to the
    /// terminal, to tasks and to other tools that look them up on PATH; vscode-go finds them only
    /// because it also searches GOPATH/bin (vscode-go `util.ts` lookup order), so "it works in the
    /// editor but `gopls` is not found in the terminal".
    ///
    /// ## Example
    /// GOPATH=/home/me/go, PATH=/usr/local/go/bin:/usr/bin:/bin.
    ///
    /// ## Fix
    /// Add the directory to PATH in the login shell's profile (the exact line for your shell).
    pub GOBIN_NOT_ON_PATH {
        code: "GSD108",
        name: "gobin-not-on-path",
        category: Toolchain,
        severity: Warning,
        summary: "go install's bin directory is on PATH",
        fix: Always,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let windows = cx.snapshot.host.os == "win32";
    let sep = if windows { ';' } else { ':' };
    let bin = match cx.go_env_var("GOBIN") {
        Some(b) => b.to_string(),
        None => {
            let Some(gopath) = cx.go_env_var("GOPATH") else {
                return;
            };
            let Some(first) = gopath.split(sep).find(|e| !e.is_empty()) else {
                return;
            };
            format!(
                "{}{}bin",
                first.trim_end_matches(['/', '\\']),
                if windows { '\\' } else { '/' }
            )
        }
    };
    let Some(path) = cx.env("PATH").or_else(|| cx.env("Path")) else {
        return;
    };
    if path.split(sep).any(|p| cx.same_path(p, &bin)) {
        return;
    }
    let (file, line) = cx.path_line_for_shell(&bin);
    let f = out.report(
        "go install's bin directory is not on PATH",
        format!("Tools installed with `go install` go to {}, which is not on PATH: the terminal and other tools will not find them.", cx.tilde(&bin)),
    );
    f.evidence(format!("install dir: {}", cx.tilde(&bin)));
    f.evidence(format!("PATH={}", cx.tilde(path)));
    f.fix(Fix {
        title: format!("Add {} to PATH in {file}", cx.tilde(&bin)),
        applicability: Applicability::DisplayOnly,
        actions: vec![Action::AppendToProfile { file, line }],
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_with_profile_line() {
        let s = snapshot(json!({"env": {"PATH": "/usr/lib/go-1.24/bin:/usr/bin:/bin"}}));
        let f = run(&GOBIN_NOT_ON_PATH, &s);
        assert_eq!(f.len(), 1);
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::AppendToProfile { file, line } if file == "~/.profile" && line == "export PATH=\"$PATH:$HOME/go/bin\"")
        );
    }

    #[test]
    fn passes_when_on_path() {
        assert!(run(&GOBIN_NOT_ON_PATH, &snapshot(json!({}))).is_empty());
    }
}
