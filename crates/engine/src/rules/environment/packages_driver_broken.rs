use crate::context::{Context, Layer};
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix, GoSource, ProgramLookup};
use crate::rules::common::settings_fix;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// - `GOPACKAGESDRIVER` (from the environment VS Code was started with, `go.toolsEnvVars`, or
    ///   gopls `build.env`) naming a program that does not exist or cannot be executed, looked up
    ///   without running it: a path as written (relative to the workspace folder), a bare name on
    ///   PATH. `off` is valid (it turns the driver lookup off); unset is fine (then go/packages
    ///   only uses a `gopackagesdriver` found on PATH, else `go list`).
    /// - `go.goroot` pointing into a Bazel output tree (`…/bazel-<workspace>/external/go_sdk`, as
    ///   the rules_go editor setup suggests) that does not exist: Bazel creates that directory on
    ///   the first build, and removes it with `bazel clean --expunge`.
    ///
    /// ## Why it matters
    /// go/packages runs the driver for every package load (golang.org/x/tools
    /// `go/packages/external.go` `findExternalDriver`), so gopls loads nothing:
    /// `initial workspace load failed: packages.Load error: /x/driver: fork/exec /x/driver: no such
    /// file or directory` (`... permission denied` for a file without execute permission) —
    /// both recorded from gopls v0.16.1 in tests/scenarios/environment.test.ts. With go.goroot
    /// missing, the Go extension ignores it and falls back to another Go (GSD309 reports the
    /// plain missing path; this rule names the Bazel cause).
    ///
    /// ## Example
    /// ```jsonc
    /// { "gopls": { "build.env": { "GOPACKAGESDRIVER": "${workspaceFolder}/tools/gopackagesdriver.sh" } } }
    /// ```
    /// in a checkout where `tools/gopackagesdriver.sh` was not created (or lost its `x` bit).
    ///
    /// ## Fix
    /// Create or `chmod +x` the driver, or remove the setting where it is set. For go.goroot: run
    /// `bazel build //...` once in the workspace so `bazel-<workspace>/external/go_sdk` exists.
    /// Sources: rules_go wiki "Editor setup"
    /// (<https://github.com/bazelbuild/rules_go/wiki/Editor-setup>).
    pub PACKAGES_DRIVER_BROKEN {
        code: "GSD510",
        name: "packages-driver-broken",
        category: Environment,
        severity: Error,
        summary: "GOPACKAGESDRIVER (and a Bazel go.goroot) can be run",
        fix: Sometimes,
        since: "0.1.0",
    }
}

/// A go.goroot (or its go binary) inside a Bazel output tree's `external/` directory.
pub(crate) fn is_bazel_external(path: &str) -> bool {
    let p = path.replace('\\', "/");
    p.split('/').any(|seg| seg.starts_with("bazel-")) && p.contains("/external/")
}

/// The gopls `build.env` object of a layer (dotted `build.env` or leaf `env`), with its key path.
fn gopls_env(layer: &Layer<'_>) -> Option<(serde_json::Value, [&'static str; 3])> {
    let g = layer.doc.as_ref()?.value("gopls")?;
    ["build.env", "env"].into_iter().find_map(|k| {
        let v = g.get(k)?.get("GOPACKAGESDRIVER")?.clone();
        Some((v, ["gopls", k, "GOPACKAGESDRIVER"]))
    })
}

fn go_error(cx: &Context<'_>, l: &ProgramLookup) -> String {
    let p = l.resolved.as_deref().unwrap_or(&l.program);
    if l.program.contains('/') || l.program.contains('\\') {
        if l.exists {
            format!("packages.Load error: {p}: fork/exec {p}: permission denied")
        } else {
            format!("packages.Load error: {p}: fork/exec {p}: no such file or directory")
        }
    } else {
        format!(
            "packages.Load error: exec: \"{}\": executable file not found in {}",
            l.program,
            if cx.snapshot.host.os == "win32" {
                "%PATH%"
            } else {
                "$PATH"
            }
        )
    }
}

fn check_driver(cx: &Context<'_>, l: &ProgramLookup, out: &mut Sink) {
    let value = l.value.trim();
    if l.var != "GOPACKAGESDRIVER" || value.is_empty() || value == "off" || l.executable {
        return;
    }
    let what = match (&l.resolved, l.exists) {
        (Some(p), true) => format!(
            "{} is {}",
            cx.tilde(p),
            l.problem.as_deref().unwrap_or("not executable")
        ),
        (Some(p), false) => format!("{} does not exist", cx.tilde(p)),
        (None, _) => format!("there is no {} on PATH", l.program),
    };
    let f = out.report(
        format!("GOPACKAGESDRIVER names a program that cannot run ({})", l.program),
        format!(
            "GOPACKAGESDRIVER={} (from {}) but {what}: gopls runs it for every package load and loads nothing (`{}`).",
            l.value, l.source, go_error(cx, l)
        ),
    );
    f.evidence(format!("GOPACKAGESDRIVER={} ({})", l.value, l.source));
    f.evidence(format!("lookup: {what}"));
    if let (Some(p), true) = (&l.resolved, l.exists) {
        if l.problem
            .as_deref()
            .is_some_and(|x| x.contains("permission"))
        {
            f.fix(Fix {
                title: format!("Make {} executable", cx.tilde(p)),
                applicability: Applicability::Unsafe,
                actions: vec![Action::RunShell {
                    command: format!("chmod +x {p}"),
                    cwd: None,
                }],
            });
        }
    }
    if l.source.starts_with("gopls") {
        for layer in cx.layers.iter().rev() {
            let Some((v, path)) = gopls_env(layer) else {
                continue;
            };
            if v.as_str() != Some(l.value.as_str()) {
                continue;
            }
            let Some(doc) = layer.doc.as_ref() else {
                continue;
            };
            f.at(doc.prop("gopls").map(|p| doc.name_location(p)));
            settings_fix(
                f,
                layer,
                doc.remove(&path),
                format!(
                    "Remove GOPACKAGESDRIVER from gopls {} ({} settings): gopls then uses go list",
                    path.get(1).copied().unwrap_or("build.env"),
                    layer.layer.scope.label()
                ),
                Applicability::Unsafe,
            );
            break;
        }
    } else {
        super::super::common::trace_env_var(cx, "GOPACKAGESDRIVER", f);
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    for l in cx.snapshot.program_lookups.iter().flatten() {
        check_driver(cx, l, out);
    }
    for c in &cx.snapshot.go_candidates {
        if c.source != GoSource::GorootSetting || c.executable || !is_bazel_external(&c.path) {
            continue;
        }
        let root = Context::goroot_of_binary(&c.path).unwrap_or_else(|| c.path.clone());
        let f = out.report(
            "go.goroot points into a Bazel output tree that does not exist",
            format!(
                "go.goroot is {} (Bazel's downloaded Go SDK), but there is no {} yet: Bazel creates `bazel-<workspace>/external/…` on the first build and `bazel clean --expunge` removes it. Until then the Go extension ignores go.goroot and uses another Go.",
                cx.tilde(&root),
                cx.tilde(&c.path)
            ),
        );
        f.evidence(format!("{}: not an executable file", cx.tilde(&c.path)));
        if let Some((_, layer)) = cx.effective("go.goroot") {
            if let Some(doc) = layer.doc.as_ref() {
                f.at(doc.prop("go.goroot").map(|p| doc.name_location(p)));
            }
        }
        let cwd = cx
            .snapshot
            .workspace
            .folders
            .first()
            .map(|f| f.path.clone());
        f.fix(Fix {
            title: "Build once with Bazel so it downloads its Go SDK, then reload the window"
                .to_string(),
            applicability: Applicability::DisplayOnly,
            actions: vec![Action::RunShell {
                command: "bazel build //...".to_string(),
                cwd,
            }],
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    const DRIVER: &str = "/home/gopher/src/hello/tools/gopackagesdriver.sh";

    fn lookup(source: &str, exists: bool, problem: Option<&str>) -> serde_json::Value {
        json!([{"var": "GOPACKAGESDRIVER", "source": source, "value": "${workspaceFolder}/tools/gopackagesdriver.sh",
            "program": DRIVER, "resolved": DRIVER, "exists": exists, "executable": false, "problem": problem}])
    }

    #[test]
    fn fires_for_missing_driver_in_gopls_build_env_and_fix_removes_it() {
        let mut s = with_folder_settings("{\n  // bazel\n  \"gopls\": {\n    \"build.env\": {\"GOPACKAGESDRIVER\": \"${workspaceFolder}/tools/gopackagesdriver.sh\"},\n    \"ui.semanticTokens\": true\n  }\n}\n");
        s.program_lookups = serde_json::from_value(lookup(
            "gopls build.env (workspace folder settings)",
            false,
            None,
        ))
        .unwrap();
        let f = run(&PACKAGES_DRIVER_BROKEN, &s);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message
                .contains(&format!("fork/exec {DRIVER}: no such file or directory")),
            "{}",
            f[0].message
        );
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        assert!(layer_text(&fixed, FOLDER_SETTINGS).contains("// bazel"));
        assert_eq!(
            parse_jsonc(layer_text(&fixed, FOLDER_SETTINGS)),
            json!({"gopls": {"build.env": {}, "ui.semanticTokens": true}})
        );
    }

    #[test]
    fn fires_for_driver_without_x_bit_from_env() {
        let s = snapshot(json!({"env": {"GOPACKAGESDRIVER": DRIVER},
            "programLookups": lookup("env", true, Some("a file without execute permission (mode 0644)"))}));
        let f = run(&PACKAGES_DRIVER_BROKEN, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("permission denied"));
        assert!(f[0].fixes.iter().any(|x| matches!(&x.actions[0], Action::RunShell { command, .. } if command == &format!("chmod +x {DRIVER}"))));
        assert!(f[0].fixes.iter().any(|x| matches!(&x.actions[0], Action::RunShell { command, .. } if command == "unset GOPACKAGESDRIVER")));
    }

    #[test]
    fn fires_for_bazel_goroot_not_built_yet() {
        let root = "/home/gopher/src/hello/bazel-hello/external/go_sdk";
        let s = snapshot(json!({"goCandidates": [
            {"path": format!("{root}/bin/go"), "source": "gorootSetting", "executable": false},
            {"path": GO_BIN, "realPath": GO_BIN, "source": "path", "executable": true}],
            "go": {"candidate": 1}}));
        let f = run(&PACKAGES_DRIVER_BROKEN, &s);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message
                .contains("~/src/hello/bazel-hello/external/go_sdk"),
            "{}",
            f[0].message
        );
        assert!(is_bazel_external(root));
        assert!(!is_bazel_external("/usr/local/go"));
    }

    #[test]
    fn passes_for_off_and_working_driver() {
        let off = snapshot(
            json!({"env": {"GOPACKAGESDRIVER": "off"}, "programLookups": [
            {"var": "GOPACKAGESDRIVER", "source": "env", "value": "off", "program": "off", "exists": false, "executable": false}]}),
        );
        assert!(run(&PACKAGES_DRIVER_BROKEN, &off).is_empty());
        let ok = snapshot(
            json!({"programLookups": [{"var": "GOPACKAGESDRIVER", "source": "env", "value": DRIVER,
            "program": DRIVER, "resolved": DRIVER, "exists": true, "executable": true}]}),
        );
        assert!(run(&PACKAGES_DRIVER_BROKEN, &ok).is_empty());
        assert!(run(&PACKAGES_DRIVER_BROKEN, &snapshot(json!({}))).is_empty());
    }
}
