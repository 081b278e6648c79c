use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix};
use crate::rules::common::point_at_and_remove;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// That `GOROOT`, when it is set explicitly (process environment, `go.toolsEnvVars`,
    /// `go.goroot`, or the `go env -w` file), is the root of the `go` binary that runs.
    ///
    /// ## Why it matters
    /// A `go` from one installation with the standard library and compiler of another breaks
    /// every build: `compile: version "go1.19.8" does not match go tool version "go1.24.4"`
    /// (golang/go#34214), or `go: cannot find GOROOT directory: ...` after an upgrade removed the
    /// old tree (golang/vscode-go#2012). `go env` itself still succeeds, so nothing says why.
    /// A GOROOT inside the module cache (`golang.org/toolchain@v0.0.1-go1.N...`) is a toolchain
    /// that `GOTOOLCHAIN` switched to, not a mismatch.
    ///
    /// ## Example
    /// `GOROOT=/usr/lib/go-1.19` in the environment, `go` on PATH is `/usr/lib/go-1.24/bin/go`.
    ///
    /// ## Fix
    /// Remove the override where it lives: the `go.toolsEnvVars.GOROOT` or `go.goroot` setting
    /// (edit), the `go env -w` file (`go env -u GOROOT`), or the shell profile (`unset GOROOT`).
    /// Go finds its own root; GOROOT rarely needs to be set.
    pub GOROOT_MISMATCH {
        code: "GSD103",
        name: "goroot-mismatch",
        category: Toolchain,
        severity: Error,
        summary: "GOROOT belongs to the go binary in use",
        fix: Sometimes,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some(candidate) = cx.go_candidate() else {
        return;
    };
    let Some(goroot) = cx.go_env_var("GOROOT") else {
        return;
    };
    let binary = candidate.real_path.as_deref().unwrap_or(&candidate.path);
    let Some(own_root) = Context::goroot_of_binary(binary) else {
        return;
    };
    if cx.same_path(goroot, &own_root)
        || goroot
            .replace('\\', "/")
            .contains("/pkg/mod/golang.org/toolchain@")
    {
        return;
    }
    // Where does the GOROOT come from? Only an explicit setting can be wrong.
    let from_tools_env = cx
        .tools_env_var("GOROOT")
        .filter(|(v, _)| cx.same_path(v, goroot));
    let from_setting = cx
        .effective("go.goroot")
        .filter(|(v, _)| v.as_str().is_some_and(|v| cx.same_path(v, goroot)));
    let from_env = cx.env("GOROOT").filter(|v| cx.same_path(v, goroot));
    let from_file = cx.snapshot.go_env_file.as_ref().filter(|f| {
        f.text.lines().any(|l| {
            l.trim()
                .strip_prefix("GOROOT=")
                .is_some_and(|v| cx.same_path(v.trim(), goroot))
        })
    });
    if from_tools_env.is_none()
        && from_setting.is_none()
        && from_env.is_none()
        && from_file.is_none()
    {
        return;
    }
    let version = cx
        .go_version()
        .map(|v| v.display())
        .unwrap_or_else(|| "?".into());
    let f = out.report(
        "GOROOT points at another Go installation",
        format!(
            "The `go` in use is {} ({version}), whose own root is {}, but GOROOT is {}. Builds mix this go command with another installation's compiler and standard library and fail with errors like `compile: version \"goX\" does not match go tool version \"{version}\"`.",
            cx.tilde(&candidate.path),
            cx.tilde(&own_root),
            cx.tilde(goroot)
        ),
    );
    if binary == candidate.path {
        f.evidence(format!("go binary: {}", cx.tilde(binary)));
    } else {
        f.evidence(format!(
            "go binary: {} -> {}",
            cx.tilde(&candidate.path),
            cx.tilde(binary)
        ));
    }
    f.evidence(format!("go env GOROOT: {}", cx.tilde(goroot)));
    if let Some(tooldir) = cx.go_env_var("GOTOOLDIR") {
        f.evidence(format!("go env GOTOOLDIR: {}", cx.tilde(tooldir)));
    }
    if let Some((_, layer)) = from_tools_env {
        f.evidence(format!(
            "set by go.toolsEnvVars.GOROOT in {} settings",
            layer.layer.scope.label()
        ));
        point_at_and_remove(
            f,
            layer,
            &["go.toolsEnvVars", "GOROOT"],
            format!(
                "Remove go.toolsEnvVars.GOROOT from {} settings",
                layer.layer.scope.label()
            ),
            Applicability::Unsafe,
        );
    }
    if let Some((_, layer)) = from_setting {
        f.evidence(format!(
            "set by go.goroot in {} settings",
            layer.layer.scope.label()
        ));
        point_at_and_remove(
            f,
            layer,
            &["go.goroot"],
            format!(
                "Remove go.goroot from {} settings",
                layer.layer.scope.label()
            ),
            Applicability::Unsafe,
        );
    }
    if let Some(file) = from_file {
        f.evidence(format!("set in the go env file {}", cx.tilde(&file.path)));
        f.fix(Fix {
            title: "Remove GOROOT from the go env file: go env -u GOROOT".into(),
            applicability: Applicability::Unsafe,
            actions: vec![Action::RunShell {
                command: format!("{} env -u GOROOT", candidate.path),
                cwd: None,
            }],
        });
    }
    if from_env.is_some() && from_tools_env.is_none() && from_setting.is_none() {
        f.evidence("set in the environment VS Code was started with (GOROOT)");
        f.fix(Fix {
            title: "Remove `export GOROOT=...` from your shell profile, run `unset GOROOT`, and restart VS Code".into(),
            applicability: Applicability::DisplayOnly,
            actions: vec![Action::RunShell { command: "unset GOROOT".into(), cwd: None }],
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    fn with_goroot(goroot: &str, extra: serde_json::Value) -> crate::Snapshot {
        let env = json!({"GOROOT": goroot, "GOPATH": "/home/gopher/go", "GOVERSION": "go1.24.4", "GOTOOLDIR": format!("{goroot}/pkg/tool/linux_amd64")});
        let mut v = json!({"go": {"env": run_ok(&[GO_BIN, "env", "-json"], &env.to_string())}});
        merge(&mut v, extra);
        snapshot(v)
    }

    #[test]
    fn fires_for_goroot_from_process_env() {
        let s = with_goroot(
            "/usr/lib/go-1.19",
            json!({"env": {"GOROOT": "/usr/lib/go-1.19"}}),
        );
        let f = run(&GOROOT_MISMATCH, &s);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("/usr/lib/go-1.24"),
            "{}",
            f[0].message
        );
        assert!(f[0].evidence.iter().any(|e| e.contains("environment")));
        assert_eq!(f[0].fixes[0].applicability, Applicability::DisplayOnly);
    }

    #[test]
    fn fires_and_fix_removes_tools_env_var_keeping_comments() {
        let text = "{\n  // pinned by the team\n  \"go.toolsEnvVars\": {\n    \"GOROOT\": \"/usr/lib/go-1.19\", // old\n    \"GOFLAGS\": \"-mod=mod\"\n  }\n}\n";
        let mut s = with_goroot("/usr/lib/go-1.19", json!({}));
        set_layer_text(&mut s, FOLDER_SETTINGS, text);
        let f = run(&GOROOT_MISMATCH, &s);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].location.as_ref().map(|l| l.range.start.line), Some(2));
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        let out = layer_text(&fixed, FOLDER_SETTINGS);
        assert!(out.contains("// pinned by the team"));
        assert_eq!(
            parse_jsonc(out)["go.toolsEnvVars"],
            json!({"GOFLAGS": "-mod=mod"})
        );
    }

    #[test]
    fn passes_when_goroot_is_the_binarys_own() {
        assert!(run(&GOROOT_MISMATCH, &snapshot(json!({}))).is_empty());
        // Explicitly set but correct.
        let s = with_goroot(
            "/usr/lib/go-1.24",
            json!({"env": {"GOROOT": "/usr/lib/go-1.24/"}}),
        );
        assert!(run(&GOROOT_MISMATCH, &s).is_empty());
    }

    #[test]
    fn passes_for_auto_switched_toolchain() {
        let root = "/home/gopher/go/pkg/mod/golang.org/toolchain@v0.0.1-go1.25.0.linux-amd64";
        let s = with_goroot(root, json!({"env": {"GOROOT": root}}));
        assert!(run(&GOROOT_MISMATCH, &s).is_empty());
    }
}
