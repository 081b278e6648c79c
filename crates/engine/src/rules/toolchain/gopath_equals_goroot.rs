use crate::context::Context;
use crate::declare_rule;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// That no GOPATH entry is GOROOT or inside it.
    ///
    /// ## Why it matters
    /// Go warns `warning: both GOPATH and GOROOT are the same directory (...); see
    /// https://go.dev/wiki/InstallTroubleshooting` (go1.24.4, shared/knowledge/go-outputs/
    /// gopath-equals-goroot.go1.24.4.go-env.txt) and vscode-go reports "Failed to run" for the
    /// stderr; `go install` writes tools into the Go distribution and the module cache lands
    /// inside it. The classic cause: Go extracted into `~/go`, which is the default GOPATH
    /// (golang/go#65656).
    ///
    /// ## Example
    /// GOROOT=/home/me/go and GOPATH unset (defaults to /home/me/go).
    ///
    /// ## Fix
    /// Move the Go installation (e.g. to /usr/local/go) or set GOPATH elsewhere where it is set.
    pub GOPATH_EQUALS_GOROOT {
        code: "GSD107",
        name: "gopath-equals-goroot",
        category: Toolchain,
        severity: Error,
        summary: "GOPATH is not inside GOROOT",
        fix: Sometimes,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let (Some(goroot), Some(gopath)) = (cx.go_env_var("GOROOT"), cx.go_env_var("GOPATH")) else {
        return;
    };
    let sep = if cx.snapshot.host.os == "win32" {
        ';'
    } else {
        ':'
    };
    let root = goroot.trim_end_matches(['/', '\\']);
    for entry in gopath.split(sep).filter(|e| !e.is_empty()) {
        let e = entry.trim_end_matches(['/', '\\']);
        let inside = cx.same_path(e, root) || {
            let (a, b) = (
                e.replace('\\', "/"),
                format!("{}/", root.replace('\\', "/")),
            );
            if cx.snapshot.host.os == "linux" {
                a.starts_with(&b)
            } else {
                a.to_lowercase().starts_with(&b.to_lowercase())
            }
        };
        if !inside {
            continue;
        }
        let f = out.report(
            "GOPATH is inside GOROOT",
            format!(
                "GOPATH entry {} is the Go installation itself (GOROOT {}). `go install` would write tools into the distribution, and Go prints a warning that tools treat as a failure.",
                cx.tilde(entry),
                cx.tilde(goroot)
            ),
        );
        f.evidence(format!("go env GOROOT: {}", cx.tilde(goroot)));
        f.evidence(format!("go env GOPATH: {}", cx.tilde(gopath)));
        if !super::super::common::trace_env_var(cx, "GOPATH", f) {
            f.evidence("GOPATH is not set anywhere: it defaults to ~/go, where this Go is installed; move the installation (e.g. to /usr/local/go)");
        }
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    fn env(goroot: &str, gopath: &str) -> crate::Snapshot {
        snapshot(
            json!({"go": {"env": run_ok(&[GO_BIN, "env", "-json"], &json!({"GOROOT": goroot, "GOPATH": gopath, "GOVERSION": "go1.24.4"}).to_string())}}),
        )
    }

    #[test]
    fn fires_when_go_is_unpacked_into_default_gopath() {
        let f = run(
            &GOPATH_EQUALS_GOROOT,
            &env("/home/gopher/go", "/home/gopher/go"),
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].evidence.iter().any(|e| e.contains("defaults to ~/go")));
    }

    #[test]
    fn fires_with_fix_from_tools_env_vars() {
        let mut s = env("/usr/lib/go-1.24", "/usr/lib/go-1.24/gopath");
        s.settings[1].text = Some(
            "{\n  // x\n  \"go.toolsEnvVars\": {\"GOPATH\": \"/usr/lib/go-1.24/gopath\"}\n}".into(),
        );
        let f = run(&GOPATH_EQUALS_GOROOT, &s);
        assert_eq!(f.len(), 1);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        assert_eq!(
            parse_jsonc(layer_text(&fixed, FOLDER_SETTINGS)),
            json!({"go.toolsEnvVars": {}})
        );
    }

    #[test]
    fn passes_when_separate() {
        assert!(run(
            &GOPATH_EQUALS_GOROOT,
            &env("/usr/lib/go-1.24", "/home/gopher/go")
        )
        .is_empty());
        assert!(run(
            &GOPATH_EQUALS_GOROOT,
            &env("/usr/lib/go", "/usr/lib/go-1.24-paths")
        )
        .is_empty());
    }
}
