use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix, ProgramLookup, Severity};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// The C compiler cgo would run: `go env CC` (default `gcc`, `clang` on macOS), looked up on
    /// the PATH the go command gets (or at its path when it is one) without running it, against
    /// the effective `go env CGO_ENABLED`.
    ///
    /// - `CGO_ENABLED=1` and the compiler is missing: warning. Every package with `import "C"`
    ///   fails with `cgo: C compiler "gcc" not found: exec: "gcc": executable file not found in
    ///   $PATH` (a `CC` path: `... stat /x/cc: no such file or directory`). From Go 1.20 the
    ///   standard library is no longer shipped precompiled, so with cgo forced on even a program
    ///   that only imports `net/http` fails in `# runtime/cgo` (observed with Debian's go1.24.4;
    ///   go1.19.8 builds it).
    /// - `CGO_ENABLED=0` that nobody set, on Go ≥ 1.20: information. Go 1.20 turns cgo off by
    ///   itself "when the CGO_ENABLED environment variable is unset, the CC environment variable
    ///   is unset, and the default C compiler (typically clang or gcc) is not found in the path"
    ///   (<https://go.dev/doc/go1.20#cgo>). Packages that use cgo then disappear:
    ///   `build constraints exclude all Go files in …`.
    ///
    /// `-race` with cgo off is GSD312's finding, not this one. Not detected: on macOS
    /// `/usr/bin/clang` is a shim that exists even without the Command Line Tools, and fails
    /// only when run (`xcrun: error: invalid active developer path`); the lookup never runs it.
    ///
    /// ## Why it matters
    /// The editor builds, tests and debugs with this environment: cgo packages show "No packages
    /// found", `go test` from the editor fails, and the message does not say that a C compiler is
    /// what is missing from the PATH VS Code was started with.
    ///
    /// ## Example
    /// `CGO_ENABLED=1` in the profile of a container image without gcc; or `CC=/opt/cross/bin/cc`
    /// left over after the cross toolchain was removed.
    ///
    /// ## Fix
    /// Install a C compiler (Debian/Ubuntu `sudo apt-get install gcc`, Fedora `sudo dnf install
    /// gcc`, Alpine `apk add build-base`, macOS `xcode-select --install`), or turn cgo off with
    /// `go env -w CGO_ENABLED=0` when the project has no cgo code (review: cgo packages are then
    /// skipped). A `CC` that names a removed compiler is removed where it is set.
    pub CGO_NO_COMPILER {
        code: "GSD504",
        name: "cgo-no-compiler",
        category: Environment,
        severity: Warning,
        summary: "cgo has a C compiler",
        fix: Sometimes,
        since: "0.1.0",
    }
}

/// Where `var` is set explicitly (env, go.toolsEnvVars, the go env file), if anywhere.
fn explicitly_set(cx: &Context<'_>, var: &str) -> bool {
    cx.env(var).is_some()
        || cx.tools_env_var(var).is_some()
        || cx.snapshot.go_env_file.as_ref().is_some_and(|f| {
            f.text
                .lines()
                .any(|l| l.trim_start().starts_with(&format!("{var}=")))
        })
}

/// The Go error text for this missing compiler (cmd/go `exec.LookPath` error, as printed by
/// go1.19.8 and go1.24.4; go-outputs/cgo-enabled-1-cc-missing.*). Windows' os/exec says
/// `%PATH%` where Unix says `$PATH`.
fn go_error(cx: &Context<'_>, l: &ProgramLookup) -> String {
    let path_var = if cx.snapshot.host.os == "win32" {
        "%PATH%"
    } else {
        "$PATH"
    };
    if l.program.contains('/') || l.program.contains('\\') {
        format!(
            "cgo: C compiler \"{0}\" not found: exec: \"{0}\": stat {0}: no such file or directory",
            l.program
        )
    } else {
        format!(
            "cgo: C compiler \"{0}\" not found: exec: \"{0}\": executable file not found in {path_var}",
            l.program
        )
    }
}

fn install_fix(cx: &Context<'_>, program: &str) -> Fix {
    let (title, command) = match cx.snapshot.host.os.as_str() {
        "darwin" => (
            "Install the Command Line Tools (clang)".to_string(),
            "xcode-select --install".to_string(),
        ),
        "win32" => (
            "Install a gcc for Windows (MSYS2 mingw-w64, then add its bin directory to PATH)"
                .to_string(),
            "pacman -S mingw-w64-ucrt-x86_64-gcc".to_string(),
        ),
        _ => {
            let pkg = if program.contains("clang") {
                "clang"
            } else {
                "gcc"
            };
            (
                format!("Install {pkg} (Debian/Ubuntu shown; Fedora: sudo dnf install {pkg}, Alpine: apk add build-base), then restart VS Code"),
                format!("sudo apt-get install {pkg}"),
            )
        }
    };
    Fix {
        title,
        applicability: Applicability::DisplayOnly,
        actions: vec![Action::RunShell { command, cwd: None }],
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some(cgo) = cx.go_env_var("CGO_ENABLED") else {
        return;
    };
    let Some(lookup) = cx
        .snapshot
        .program_lookups
        .as_ref()
        .and_then(|ls| ls.iter().find(|l| l.var == "CC"))
    else {
        out.skip("the C compiler was not looked up");
        return;
    };
    if lookup.executable || lookup.program.is_empty() {
        return;
    }
    let go = cx.go_candidate().map(|c| c.path.as_str()).unwrap_or("go");
    let where_ = match &lookup.resolved {
        Some(p) if lookup.exists => format!(
            "{} is {}",
            cx.tilde(p),
            lookup.problem.as_deref().unwrap_or("not executable")
        ),
        Some(p) => format!("{} does not exist", cx.tilde(p)),
        None => format!(
            "no {} in the {} PATH directories the go command searches",
            lookup.program,
            lookup.searched.len()
        ),
    };
    match cgo {
        "1" => {
            let modern = cx.go_version().is_some_and(|v| v.minor() >= 20);
            let f = out.report(
                format!("cgo is on but its C compiler \"{}\" is missing", lookup.program),
                format!(
                    "CGO_ENABLED=1 and CC={} but {where_}: {} fails with `{}`.",
                    lookup.value,
                    if modern {
                        "every build that links cgo code (packages with import \"C\", and with cgo forced on also net, os/user and runtime/cgo)"
                    } else {
                        "every package with import \"C\""
                    },
                    go_error(cx, lookup)
                ),
            );
            f.evidence("go env CGO_ENABLED: 1");
            f.evidence(format!(
                "go env CC: {} (from {})",
                lookup.value, lookup.source
            ));
            f.evidence(format!("lookup of {}: {where_}", lookup.program));
            if let Some(dirs) = Some(&lookup.searched).filter(|d| !d.is_empty()) {
                f.evidence(format!(
                    "searched: {}",
                    dirs.iter()
                        .map(|d| cx.tilde(d))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            let forced = explicitly_set(cx, "CGO_ENABLED");
            if explicitly_set(cx, "CC") {
                // A CC naming a removed compiler: remove it where it is set.
                super::super::common::trace_env_var(cx, "CC", f);
            } else if forced && modern {
                // Go >= 1.20 turns cgo off by itself once CGO_ENABLED is unset and no compiler is
                // found: removing the variable is the fix that keeps the rest working.
                f.evidence("without CGO_ENABLED, this Go turns cgo off by itself when no C compiler is on PATH (https://go.dev/doc/go1.20#cgo)");
            }
            if forced {
                super::super::common::trace_env_var(cx, "CGO_ENABLED", f);
            }
            f.fix(install_fix(cx, &lookup.program));
            // `go env -w` does not override the environment or go.toolsEnvVars.
            if cx.env("CGO_ENABLED").is_none() && cx.tools_env_var("CGO_ENABLED").is_none() {
                f.fix(Fix {
                    title: "Turn cgo off for this user (review: packages that use cgo are then skipped): go env -w CGO_ENABLED=0".to_string(),
                    applicability: Applicability::Unsafe,
                    actions: vec![Action::RunShell {
                        command: format!("{go} env -w CGO_ENABLED=0"),
                        cwd: None,
                    }],
                });
            }
        }
        "0" if !explicitly_set(cx, "CGO_ENABLED")
            && !explicitly_set(cx, "CC")
            && cx.go_version().is_some_and(|v| v.minor() >= 20) =>
        {
            let f = out.report(
                format!("cgo is off because no C compiler \"{}\" was found", lookup.program),
                format!(
                    "Nobody set CGO_ENABLED, but Go ≥ 1.20 turns cgo off when the default C compiler is not on PATH ({where_}). Packages with import \"C\" are skipped (`build constraints exclude all Go files`), and -race does not work."
                ),
            );
            f.severity(Severity::Info);
            f.evidence("go env CGO_ENABLED: 0 (not set in the environment, go.toolsEnvVars or the go env file)");
            f.evidence(format!("go env CC: {} (default)", lookup.value));
            f.evidence(format!("lookup of {}: {where_}", lookup.program));
            f.fix(install_fix(cx, &lookup.program));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    fn go_env(cgo: &str, cc: &str) -> serde_json::Value {
        run_ok(
            &[GO_BIN, "env", "-json"],
            &json!({"GOVERSION": "go1.24.4", "CGO_ENABLED": cgo, "CC": cc, "GOOS": "linux", "GOHOSTOS": "linux"}).to_string(),
        )
    }

    fn missing_gcc() -> serde_json::Value {
        json!([{"var": "CC", "source": "go env", "value": "gcc", "program": "gcc",
            "searched": ["/usr/lib/go-1.24/bin", "/usr/bin", "/bin"], "exists": false, "executable": false}])
    }

    #[test]
    fn fires_for_cgo_forced_on_without_gcc() {
        // go-outputs/cgo-enabled-1-cc-missing.*; the real text is asserted in
        // tests/scenarios/environment.test.ts.
        let s = snapshot(
            json!({"env": {"CGO_ENABLED": "1"}, "go": {"env": go_env("1", "gcc")},
            "programLookups": missing_gcc()}),
        );
        let f = run(&CGO_NO_COMPILER, &s);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(f[0].message.contains("cgo: C compiler \"gcc\" not found: exec: \"gcc\": executable file not found in $PATH"), "{}", f[0].message);
        assert!(f[0].fixes.iter().any(|x| matches!(&x.actions[0], Action::RunShell { command, .. } if command == "sudo apt-get install gcc")));
        // CGO_ENABLED comes from the environment: unsetting it is the first fix; `go env -w`
        // would not override the environment, so it is not offered.
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command == "unset CGO_ENABLED")
        );
        assert!(!f[0].fixes.iter().any(|x| matches!(&x.actions[0], Action::RunShell { command, .. } if command.ends_with("env -w CGO_ENABLED=0"))));
        assert!(
            f[0].message.contains("runtime/cgo) fails with"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn fires_for_cc_path_removed_set_in_tools_env_vars_and_fix_removes_it() {
        let mut s = with_folder_settings(
            "{\n  // cross\n  \"go.toolsEnvVars\": {\"CC\": \"/opt/cross/bin/cc\"}\n}",
        );
        s.go.as_mut().unwrap().env =
            Some(serde_json::from_value(go_env("1", "/opt/cross/bin/cc")).unwrap());
        s.program_lookups = serde_json::from_value(json!([{"var": "CC", "source": "go env", "value": "/opt/cross/bin/cc",
            "program": "/opt/cross/bin/cc", "resolved": "/opt/cross/bin/cc", "exists": false, "executable": false}])).unwrap();
        let f = run(&CGO_NO_COMPILER, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0]
            .message
            .contains("stat /opt/cross/bin/cc: no such file or directory"));
        assert!(f[0].fixes.iter().any(|x| matches!(&x.actions[0], Action::RunShell { command, .. } if command.ends_with("env -w CGO_ENABLED=0"))));
        let fix = f[0]
            .fixes
            .iter()
            .find(|x| x.title.contains("go.toolsEnvVars"))
            .unwrap();
        let fixed = apply_fix(&s, fix);
        assert!(layer_text(&fixed, FOLDER_SETTINGS).contains("// cross"));
        assert_eq!(
            parse_jsonc(layer_text(&fixed, FOLDER_SETTINGS)),
            json!({"go.toolsEnvVars": {}})
        );
    }

    #[test]
    fn fires_for_the_recorded_windows_fyne_build() {
        // tests/fixtures/snapshots/windows-cgo-no-gcc.json: golang/go#75053.
        let s = crate::parse_snapshot(include_str!(
            "../../../../../tests/fixtures/snapshots/windows-cgo-no-gcc.json"
        ))
        .unwrap();
        let f = run(&CGO_NO_COMPILER, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].message.contains("cgo: C compiler \"gcc\" not found: exec: \"gcc\": executable file not found in %PATH%"), "{}", f[0].message);
        assert!(f[0].message.contains("runtime/cgo"), "{}", f[0].message);
        let cmds: Vec<&str> = f[0]
            .fixes
            .iter()
            .flat_map(|x| &x.actions)
            .filter_map(|a| match a {
                Action::RunShell { command, .. } => Some(command.as_str()),
                _ => None,
            })
            .collect();
        // CGO_ENABLED from the Windows environment: removed with PowerShell, not `unset`.
        assert_eq!(
            cmds,
            [
                "[Environment]::SetEnvironmentVariable('CGO_ENABLED', $null, 'User')",
                "Remove-Item Env:CGO_ENABLED",
                "pacman -S mingw-w64-ucrt-x86_64-gcc"
            ]
        );
    }

    #[test]
    fn fires_on_windows_with_its_percent_path_wording() {
        let s = snapshot(
            json!({"host": {"os": "win32"}, "env": {"CGO_ENABLED": "1"}, "go": {"env": go_env("1", "gcc")},
            "programLookups": missing_gcc()}),
        );
        let f = run(&CGO_NO_COMPILER, &s);
        assert!(
            f[0].message
                .contains("exec: \"gcc\": executable file not found in %PATH%"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn fires_as_info_when_go_turned_cgo_off_itself() {
        // go-outputs/cc-missing-on-path.go1.24.4.go-env-json.txt: CGO_ENABLED "0", CC "gcc".
        let s =
            snapshot(json!({"go": {"env": go_env("0", "gcc")}, "programLookups": missing_gcc()}));
        let f = run(&CGO_NO_COMPILER, &s);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Info);
    }

    #[test]
    fn passes_when_gcc_is_found_or_cgo_is_off_on_purpose() {
        let found = json!([{"var": "CC", "source": "go env", "value": "gcc", "program": "gcc",
            "resolved": "/usr/bin/gcc", "searched": ["/usr/bin"], "exists": true, "executable": true}]);
        let s = snapshot(json!({"go": {"env": go_env("1", "gcc")}, "programLookups": found}));
        assert!(run(&CGO_NO_COMPILER, &s).is_empty());
        let off = snapshot(
            json!({"env": {"CGO_ENABLED": "0"}, "go": {"env": go_env("0", "gcc")}, "programLookups": missing_gcc()}),
        );
        assert!(run(&CGO_NO_COMPILER, &off).is_empty());
        // Not looked up (older gatherer): skipped, never a guess.
        let s = snapshot(json!({"go": {"env": go_env("1", "gcc")}}));
        assert!(run(&CGO_NO_COMPILER, &s).is_empty());
    }
}
