use serde_json::json;

use crate::context::Context;
use crate::declare_rule;
use crate::protocol::Applicability;
use crate::rules::common::settings_fix;
use crate::rules::environment::go111module_legacy::leftover_value;
use crate::rules::environment::goflags_invalid::goflags_reported;
use crate::rules::shell::{login_shell, substitute_env, terminal_var};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Each of `GOROOT`, `GOPATH`, `GOFLAGS`, `GO111MODULE`, `GOTOOLCHAIN` and `PATH` that
    /// `go.toolsEnvVars` sets, against the value the integrated terminal gets: the
    /// `terminal.integrated.env.<os>` setting when it sets the variable, else your login shell's
    /// value (`$SHELL -i -l -c`, the probe of GSD110), else the go env file (`go env -w`), which
    /// go reads when the variable is not in its environment. Values are compared after `${env:NAME}`
    /// substitution (vscode-go resolves it with the extension host's environment). An unset
    /// `GOFLAGS`/`GO111MODULE` counts as empty and an unset `GOTOOLCHAIN` as `auto` (Go's
    /// defaults); an unset `GOPATH` as `~/go`; an unset `GOROOT` as the root of the terminal's
    /// `go` (`go env GOROOT` in the login shell); an unset `GO111MODULE` as `on` (Go 1.16 release
    /// notes, go.dev/doc/go1.16: it "now defaults to on"). For `PATH`, the directories the setting itself adds (not its `${env:PATH}`,
    /// the extension host's PATH, which GSD110 compares) that the terminal's PATH lacks.
    ///
    /// The probe starts the shell with VS Code's own environment plus your profiles, which is what
    /// a terminal with the default `terminal.integrated.inheritEnv: true` gets (with `false`, a
    /// variable that only VS Code's environment has would be missing in the terminal).
    ///
    /// A value that is wrong in itself is reported by the rule for it, not here, so one cause is
    /// reported once (the check then shows as skipped, naming that rule): a `GOROOT` that is not
    /// the root of the `go` VS Code runs (GSD103 goroot-mismatch), `GO111MODULE=off`/`auto`
    /// (GSD404 gopath-mode or GSD501 go111module-legacy), a `GOFLAGS` no go command accepts
    /// (GSD503 goflags-invalid, or GSD105 go-env-failed in the go command's words).
    ///
    /// ## Why it matters
    /// vscode-go runs `go`, gopls, dlv and the test runner with `go.toolsEnvVars` on top of its
    /// environment (vscode-go `toolExecutionEnvironment`); the terminal never sees that setting.
    /// A different `GOFLAGS=-mod=vendor`, `GOTOOLCHAIN=local` or `GOPATH` gives the editor
    /// different builds, tests and diagnostics than `go build` / `go test` in the terminal.
    ///
    /// ## Example
    /// User settings `"go.toolsEnvVars": {"GOFLAGS": "-mod=vendor"}`, `~/.profile` exports
    /// `GOFLAGS=-mod=mod`.
    ///
    /// ## Fix
    /// Edit `go.toolsEnvVars` in the settings file that sets it: take the terminal's value, or
    /// remove the key so both use the same environment. Both change what the editor does: review.
    pub TOOLS_ENV_CONFLICT {
        code: "GSD310",
        name: "tools-env-conflict",
        category: Settings,
        severity: Warning,
        summary: "go.toolsEnvVars agrees with the terminal's environment",
        fix: Sometimes,
        since: "0.1.0",
    }
}

const VARS: &[&str] = &[
    "GOROOT",
    "GOPATH",
    "GOFLAGS",
    "GO111MODULE",
    "GOTOOLCHAIN",
    "PATH",
];

/// `VAR=value` from the go env file (`go env -w`), with the file's path for messages.
fn go_env_file_value(cx: &Context<'_>, var: &str) -> Option<(String, String)> {
    let file = cx.snapshot.go_env_file.as_ref()?;
    file.text.lines().find_map(|l| {
        let v = l.trim().strip_prefix(var)?.strip_prefix('=')?;
        Some((v.trim().to_string(), cx.tilde(&file.path)))
    })
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if !VARS.iter().any(|v| cx.tools_env_var(v).is_some()) {
        return;
    }
    let sh = match login_shell(cx) {
        Ok(Some(sh)) => sh,
        Ok(None) => return,
        Err(why) => {
            out.skip(why);
            return;
        }
    };
    let windows = cx.snapshot.host.os == "win32";
    let sep = if windows { ';' } else { ':' };
    for var in VARS {
        let Some((raw, layer)) = cx.tools_env_var(var) else {
            continue;
        };
        let value = substitute_env(cx, &raw);
        let (term, mut term_where) = terminal_var(cx, &sh, var);
        // Unset in the terminal's environment: go reads the go env file (`go env -w`) next.
        let term = match term {
            Some(t) => Some(t),
            None => match go_env_file_value(cx, var) {
                Some((v, file)) => {
                    term_where = format!("the go env file {file}");
                    Some(v)
                }
                None => None,
            },
        };
        // PATH: only the entries the setting adds itself; `${env:PATH}` is the extension host's
        // PATH, whose difference from the login shell's is GSD110's.
        let marked = substitute_env(
            cx,
            &raw.replace("${env:PATH}", "\u{1}")
                .replace("${env:Path}", "\u{1}"),
        );
        let own_dirs: Vec<String> = marked
            .split(sep)
            .filter(|d| !d.is_empty() && !d.contains('\u{1}'))
            .map(str::to_string)
            .collect();
        let scope = layer.layer.scope.label();
        let differs = match *var {
            "GOROOT" => {
                // GSD103 owns a GOROOT that does not belong to the go VS Code runs.
                let own = cx
                    .go_candidate()
                    .map(|c| c.real_path.as_deref().unwrap_or(&c.path))
                    .and_then(Context::goroot_of_binary);
                if own.is_some_and(|o| !cx.same_path(&o, &value)) {
                    out.skip(format!("{var} in go.toolsEnvVars belongs to another Go: GSD103 goroot-mismatch reports it"));
                    continue;
                }
                match term.as_deref().or(sh.go_root.as_deref()) {
                    Some(t) => !cx.same_path(t, &value),
                    None => false,
                }
            }
            "GOPATH" => {
                let default = cx.snapshot.host.home.as_deref().map(|h| format!("{h}/go"));
                match term.as_deref().or(default.as_deref()) {
                    Some(t) => {
                        let a: Vec<&str> = t.split(sep).filter(|s| !s.is_empty()).collect();
                        let b: Vec<&str> = value.split(sep).filter(|s| !s.is_empty()).collect();
                        a.len() != b.len() || a.iter().zip(&b).any(|(x, y)| !cx.same_path(x, y))
                    }
                    None => false,
                }
            }
            "PATH" => {
                let t = term.clone().unwrap_or_default();
                let tdirs: Vec<&str> = t.split(sep).filter(|s| !s.is_empty()).collect();
                own_dirs
                    .iter()
                    .any(|d| !tdirs.iter().any(|x| cx.same_path(x, d)))
            }
            "GOTOOLCHAIN" => {
                term.as_deref()
                    .filter(|t| !t.is_empty())
                    .unwrap_or("auto")
                    .trim()
                    != value.trim()
            }
            "GO111MODULE" if leftover_value(cx).is_some() => {
                // Wrong in itself, terminal or not: GSD404 (when it breaks a folder) or GSD501
                // reports it, with the same removal.
                out.skip(format!("{var}={} is a leftover: GSD404 gopath-mode or GSD501 go111module-legacy reports it", leftover_value(cx).unwrap_or_default()));
                continue;
            }
            "GOFLAGS" if goflags_reported(cx) => {
                // Every go command fails on it: GSD503 (or GSD105, in the go command's words).
                out.skip(format!(
                    "{var} is not valid: GSD503 goflags-invalid or GSD105 go-env-failed reports it"
                ));
                continue;
            }
            "GO111MODULE" => {
                // Unset means on since Go 1.16 (go.dev/doc/go1.16: "GO111MODULE ... now defaults to on").
                let norm = |v: &str| match v.trim() {
                    "" => "on".to_string(),
                    v => v.to_string(),
                };
                norm(term.as_deref().unwrap_or("")) != norm(&value)
            }
            _ => term.as_deref().unwrap_or("").trim() != value.trim(),
        };
        if !differs {
            continue;
        }
        let term_shown = match (&term, *var) {
            (Some(t), _) => format!("{var}={}", cx.tilde(t)),
            (None, "GOROOT") => match &sh.go_root {
                Some(r) => format!("no GOROOT (its go uses {})", cx.tilde(r)),
                None => "no GOROOT".into(),
            },
            (None, "GOPATH") => "no GOPATH (Go's default ~/go)".into(),
            (None, "GOTOOLCHAIN") => "no GOTOOLCHAIN (Go's default auto)".into(),
            (None, _) => format!("no {var}"),
        };
        let doc = layer.doc.as_ref();
        let (title, message) = if *var == "PATH" {
            let tdirs: Vec<String> = term
                .clone()
                .unwrap_or_default()
                .split(sep)
                .map(str::to_string)
                .collect();
            let only: Vec<String> = own_dirs
                .iter()
                .filter(|d| !tdirs.iter().any(|x| cx.same_path(x, d)))
                .map(|d| cx.tilde(d))
                .collect();
            (
                format!("go.toolsEnvVars PATH has {} that the terminal's PATH lacks", only.join(", ")),
                format!(
                    "VS Code runs go and the tools with the PATH from go.toolsEnvVars ({scope} settings), which has {} that {term_where} does not have: the editor and the terminal can run different `go` and tools.",
                    only.join(", ")
                ),
            )
        } else {
            (
                format!("go.toolsEnvVars sets {var}={} but the terminal has {term_shown}", cx.tilde(&value)),
                format!(
                    "VS Code runs go, gopls and dlv with {var}={} (go.toolsEnvVars in {scope} settings), but the integrated terminal gets {term_shown} from {term_where}: `go build` and `go test` in the terminal behave differently from the editor.",
                    cx.tilde(&value)
                ),
            )
        };
        let f = out.report(title, message);
        f.evidence(format!(
            "go.toolsEnvVars.{var} = {} ({scope} settings{})",
            serde_json::Value::String(raw.clone()),
            if raw != value {
                format!(", resolves to {}", cx.tilde(&value))
            } else {
                String::new()
            }
        ));
        f.evidence(format!("terminal: {term_shown} ({term_where})"));
        f.at(doc.and_then(|d| d.prop("go.toolsEnvVars").map(|p| d.name_location(p))));
        if let (Some(t), Some(d)) = (&term, doc) {
            if *var != "PATH" {
                settings_fix(
                    f,
                    layer,
                    d.set(&["go.toolsEnvVars", var], &json!(t)),
                    format!(
                        "Use the terminal's value in go.toolsEnvVars: {var}={} ({scope} settings)",
                        cx.tilde(t)
                    ),
                    Applicability::Unsafe,
                );
            }
        }
        settings_fix(
            f,
            layer,
            doc.and_then(|d| d.remove(&["go.toolsEnvVars", var])),
            format!("Remove {var} from go.toolsEnvVars ({scope} settings)"),
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

    fn with_shell(body: &str, user_settings: &str) -> crate::Snapshot {
        let mut s = snapshot(
            json!({"loginShell": {"argv": ["/bin/bash", "-i", "-l", "-c", "…"],
            "stdout": format!("{BEGIN}\n{body}{END}\n"), "stderr": "", "exitCode": 0, "timeoutMs": 3000, "durationMs": 40.0}}),
        );
        set_layer_text(&mut s, USER_SETTINGS, user_settings);
        s
    }

    const SHELL: &str = "env PATH=/usr/lib/go-1.24/bin:/home/gopher/go/bin:/usr/bin:/bin\nenv GOFLAGS=-mod=mod\nwhich go=/usr/lib/go-1.24/bin/go\ngo root=/usr/lib/go-1.24\n";

    #[test]
    fn fires_on_goflags_and_fix_aligns_it() {
        let settings = "{\n  // vendored builds in the editor\n  \"go.toolsEnvVars\": {\"GOFLAGS\": \"-mod=vendor\", \"CGO_ENABLED\": \"0\"},\n  \"editor.tabSize\": 4\n}\n";
        let s = with_shell(SHELL, settings);
        let f = run(&TOOLS_ENV_CONFLICT, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(
            f[0].title,
            "go.toolsEnvVars sets GOFLAGS=-mod=vendor but the terminal has GOFLAGS=-mod=mod"
        );
        assert!(f[0]
            .evidence
            .iter()
            .any(|e| e == "terminal: GOFLAGS=-mod=mod (the login shell (/bin/bash -i -l))"));
        assert!(f[0].location.is_some());
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        let text = layer_text(&fixed, USER_SETTINGS);
        assert!(text.contains("// vendored builds in the editor"));
        assert_eq!(
            parse_jsonc(text)["go.toolsEnvVars"],
            json!({"GOFLAGS": "-mod=mod", "CGO_ENABLED": "0"})
        );
        assert!(run(&TOOLS_ENV_CONFLICT, &fixed).is_empty());
        let removed = apply_fix(&s, &f[0].fixes[1]);
        assert_eq!(
            parse_jsonc(layer_text(&removed, USER_SETTINGS))["go.toolsEnvVars"],
            json!({"CGO_ENABLED": "0"})
        );
    }

    #[test]
    fn fires_on_path_dirs_and_gotoolchain_unset_in_terminal() {
        let settings = "{\"go.toolsEnvVars\": {\"PATH\": \"/opt/go1.19/bin:${env:PATH}\", \"GOTOOLCHAIN\": \"local\"}}";
        let s = with_shell(SHELL, settings);
        let f = run(&TOOLS_ENV_CONFLICT, &s);
        assert_eq!(f.len(), 2, "{f:#?}");
        assert!(f.iter().any(|x| x.title == "go.toolsEnvVars sets GOTOOLCHAIN=local but the terminal has no GOTOOLCHAIN (Go's default auto)"));
        assert!(f.iter().any(|x| x.title
            == "go.toolsEnvVars PATH has /opt/go1.19/bin that the terminal's PATH lacks"));
    }

    #[test]
    fn fires_against_the_go_env_file_when_the_shell_has_no_value() {
        let mut s = with_shell(
            "env PATH=/usr/lib/go-1.24/bin:/usr/bin:/bin\n",
            "{\"go.toolsEnvVars\": {\"GOTOOLCHAIN\": \"local\", \"GO111MODULE\": \"on\", \"PATH\": \"${env:PATH}:${env:HOME}/go/bin\"}}",
        );
        s.go_env_file = Some(crate::FileText {
            path: "/home/gopher/.config/go/env".into(),
            text: "GOTOOLCHAIN=go1.24.4+auto\n".into(),
        });
        let f = run(&TOOLS_ENV_CONFLICT, &s);
        // GO111MODULE=on is the default; ${env:PATH} is not compared; ~/go/bin is not on the
        // login shell's PATH, so that one is reported.
        assert_eq!(f.len(), 2, "{f:#?}");
        assert!(f.iter().any(|x| x.title == "go.toolsEnvVars sets GOTOOLCHAIN=local but the terminal has GOTOOLCHAIN=go1.24.4+auto"));
        assert!(
            f.iter()
                .any(|x| x.title
                    == "go.toolsEnvVars PATH has ~/go/bin that the terminal's PATH lacks")
        );
    }

    #[test]
    fn terminal_integrated_env_wins_over_the_login_shell() {
        let settings = "{\"go.toolsEnvVars\": {\"GOFLAGS\": \"-mod=vendor\"}, \"terminal.integrated.env.linux\": {\"GOFLAGS\": \"-mod=vendor\"}}";
        assert!(run(&TOOLS_ENV_CONFLICT, &with_shell(SHELL, settings)).is_empty());
    }

    #[test]
    fn passes_when_equal_or_left_to_gsd103() {
        let settings = "{\"go.toolsEnvVars\": {\"GOFLAGS\": \"-mod=mod\", \"GOPATH\": \"${env:HOME}/go\", \"GOROOT\": \"/usr/lib/go-1.24\"}}";
        assert!(run(&TOOLS_ENV_CONFLICT, &with_shell(SHELL, settings)).is_empty());
        // GOROOT of another install: GSD103's error, not this warning.
        let settings = "{\"go.toolsEnvVars\": {\"GOROOT\": \"/usr/lib/go-1.19\"}}";
        assert!(run(&TOOLS_ENV_CONFLICT, &with_shell(SHELL, settings)).is_empty());
        let c = run_status(&TOOLS_ENV_CONFLICT, &with_shell(SHELL, settings));
        assert!(
            c.reason.as_deref().is_some_and(|r| r.contains("GSD103")),
            "{c:?}"
        );
        // Values wrong in themselves differ from the terminal too, but their own rules report
        // them (one cause, one finding): GO111MODULE=off/auto, a GOFLAGS no go accepts.
        for (settings, code) in [
            (
                "{\"go.toolsEnvVars\": {\"GO111MODULE\": \"off\"}}",
                "GSD404",
            ),
            (
                "{\"go.toolsEnvVars\": {\"GO111MODULE\": \"auto\"}}",
                "GSD501",
            ),
            (
                "{\"go.toolsEnvVars\": {\"GOFLAGS\": \"mod=vendor\"}}",
                "GSD503",
            ),
        ] {
            let s = with_shell(SHELL, settings);
            assert!(run(&TOOLS_ENV_CONFLICT, &s).is_empty(), "{settings}");
            let c = run_status(&TOOLS_ENV_CONFLICT, &s);
            assert_eq!(c.status, crate::protocol::CheckStatus::Skipped);
            assert!(
                c.reason.as_deref().is_some_and(|r| r.contains(code)),
                "{c:?}"
            );
        }
        // No login shell observed: nothing to compare with.
        let mut s = with_shell(SHELL, "{\"go.toolsEnvVars\": {\"GOFLAGS\": \"-x\"}}");
        s.login_shell = None;
        assert!(run(&TOOLS_ENV_CONFLICT, &s).is_empty());
    }
}
