use serde_json::json;

use crate::context::Context;
use crate::declare_rule;
use crate::goversion::{parse_go_version_output, GoVersion};
use crate::protocol::{Action, Applicability, FileText, Fix, GoCandidate, Severity};
use crate::rules::common::set_in_user_settings;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Whether the `go` VS Code uses is a version manager's shim (asdf: `~/.asdf/shims/go`, a
    /// script; mise: `~/.local/share/mise/shims/go`, a symlink to the `mise` binary; goenv:
    /// `~/.goenv/shims/go`) and the shim, run in the workspace folder with the extension host's
    /// environment, either fails (`go version` exits non-zero) or picks another Go version than
    /// the pin file that applies there (`.tool-versions`, `.go-version`, `mise.toml`,
    /// `.mise.toml`, nearest first from the folder up to the home directory). gvm is not covered:
    /// it puts a real `~/.gvm/gos/<version>/bin` on PATH, no shim (GSD110 sees that one).
    ///
    /// ## Why it matters
    /// A shim decides at run time which Go to run, from files and variables of the directory and
    /// environment it is started in. Without a pin it fails, and every tool that runs `go` fails
    /// with it. The real messages:
    /// asdf `No version is set for command go` / `Consider adding one of the following versions in
    /// your config file at …/.tool-versions` (asdf-community/asdf-golang#132,
    /// ubicloud/ubicloud#2913); mise `mise ERROR No version is set for shim: go` / `Set a global
    /// default version with one of the following:` / `mise use -g go@1.26.6` (compozy/compozy#433);
    /// goenv `goenv: version '1.17.2' is not installed (set by …/.go-version)`
    /// (aws/amazon-genomics-cli#232, go-nv/goenv#281).
    ///
    /// A failing shim is reported as an error (Go tooling is broken) and GSD105 (go-env-failed)
    /// leaves that case to this rule, which knows the pin command; a shim that runs another
    /// version than the pin is a warning.
    ///
    /// ## Example
    /// `go` on VS Code's PATH is `~/.asdf/shims/go`; the workspace has no `.tool-versions` and
    /// there is no global default: `go version` prints `No version is set for command go`.
    ///
    /// ## Fix
    /// Pin a version with the manager's own command, run in the workspace folder: `asdf set
    /// golang <v>` (asdf 0.16+; `asdf local golang <v>` before: asdf-vm.com
    /// guide/upgrading-to-v0-16.html, "asdf global and asdf local commands have been replaced with
    /// asdf set"), `mise use go@<v>` (writes `mise.toml` in the folder; shown working in
    /// tests/scenarios/shell.test.ts), `goenv local <v>` (go-nv/goenv#117); or install the pinned version (`asdf install golang <v>`, `mise install go@<v>`,
    /// `goenv install <v>`). Or point `go.alternateTools.go` at a real Go binary found on this
    /// machine (user settings; review: it changes which Go VS Code uses).
    pub VERSION_MANAGER_SHIM {
        code: "GSD111",
        name: "version-manager-shim",
        category: Toolchain,
        severity: Warning,
        summary: "a version-manager shim for go resolves in the workspace",
        fix: Sometimes,
        since: "0.1.0",
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Manager {
    Asdf,
    Mise,
    Goenv,
}

impl Manager {
    fn name(self) -> &'static str {
        match self {
            Manager::Asdf => "asdf",
            Manager::Mise => "mise",
            Manager::Goenv => "goenv",
        }
    }
    fn pin(self, v: &str) -> String {
        match self {
            Manager::Asdf => format!("asdf set golang {v}"),
            Manager::Mise => format!("mise use go@{v}"),
            Manager::Goenv => format!("goenv local {v}"),
        }
    }
    fn install(self, v: &str) -> String {
        match self {
            Manager::Asdf => format!("asdf install golang {v}"),
            Manager::Mise => format!("mise install go@{v}"),
            Manager::Goenv => format!("goenv install {v}"),
        }
    }
    /// Variables that override the pin files for this manager (asdf: `ASDF_${TOOL}_VERSION`,
    /// asdf-vm.com "Configuration"; mise: `MISE_<TOOL>_VERSION`, mise.jdx.dev "Environment
    /// variables", seen working in tests/scenarios/shell.test.ts; goenv: `GOENV_VERSION`,
    /// go-nv/goenv ENVIRONMENT_VARIABLES.md).
    fn env_overrides(self) -> &'static [&'static str] {
        match self {
            Manager::Asdf => &["ASDF_GOLANG_VERSION"],
            Manager::Mise => &["MISE_GO_VERSION"],
            Manager::Goenv => &["GOENV_VERSION"],
        }
    }
}

fn file_name(p: &str) -> &str {
    p.rsplit(['/', '\\']).next().unwrap_or(p)
}

fn detect(c: &GoCandidate) -> Option<Manager> {
    let path = c.path.replace('\\', "/");
    let real = c.real_path.as_deref().map(|r| r.replace('\\', "/"));
    let real_name = real.as_deref().map(file_name).unwrap_or("");
    if matches!(real_name, "mise" | "mise.exe") || path.contains("/mise/shims/") {
        Some(Manager::Mise)
    } else if path.contains("/.asdf/shims/") || path.contains("/asdf/shims/") {
        Some(Manager::Asdf)
    } else if path.contains("/.goenv/shims/") || path.contains("/goenv/shims/") {
        Some(Manager::Goenv)
    } else {
        None
    }
}

/// Whether manager `m` reads a pin file of this name.
fn reads(m: Manager, name: &str) -> bool {
    match m {
        Manager::Asdf => name == ".tool-versions",
        Manager::Mise => matches!(
            name,
            ".tool-versions" | ".go-version" | "mise.toml" | ".mise.toml"
        ),
        Manager::Goenv => name == ".go-version",
    }
}

/// The Go version a pin file sets for `m`, if it is one that manager reads.
fn pin_in(m: Manager, f: &FileText) -> Option<String> {
    let name = file_name(&f.path);
    let tool_line = |names: &[&str]| {
        f.text.lines().find_map(|l| {
            let l = l.split('#').next().unwrap_or("");
            let mut w = l.split_whitespace();
            let tool = w.next()?;
            if names.contains(&tool) {
                w.next().map(str::to_string)
            } else {
                None
            }
        })
    };
    match (m, name) {
        (Manager::Asdf, ".tool-versions") => tool_line(&["golang"]),
        (Manager::Mise, ".tool-versions") => tool_line(&["go", "golang"]),
        (Manager::Mise | Manager::Goenv, ".go-version") => f
            .text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string),
        (Manager::Mise, "mise.toml" | ".mise.toml") => mise_toml_go(&f.text),
        _ => None,
    }
}

/// `go = "1.24"`, `go = ["1.24", "1.23"]` or `go = { version = "1.24" }` in the `[tools]` table.
fn mise_toml_go(text: &str) -> Option<String> {
    let mut in_tools = false;
    for line in text.lines() {
        let l = line.split('#').next().unwrap_or("").trim();
        if l.starts_with('[') {
            in_tools = l == "[tools]";
            continue;
        }
        if !in_tools {
            continue;
        }
        let Some((k, v)) = l.split_once('=') else {
            continue;
        };
        let k = k.trim().trim_matches('"');
        if k != "go" && k != "golang" {
            continue;
        }
        let v = v.trim();
        let v = v.split_once("version").map(|(_, r)| r).unwrap_or(v);
        let start = v.find('"')? + 1;
        let rest = v.get(start..)?;
        return rest.get(..rest.find('"')?).map(str::to_string);
    }
    None
}

/// Whether `v` satisfies the pin (`1.24` any 1.24.x, `1.24.4` exactly). `None`: cannot tell
/// (`latest`, `system`, `ref:…`, `path:…`, prefixes).
fn satisfies(pin: &str, v: &GoVersion) -> Option<bool> {
    let p = GoVersion::parse(pin.trim_start_matches("go"))?;
    let parts = pin.trim_start_matches("go").split('.').count();
    Some(if parts >= 3 {
        p.version == v.version
    } else {
        p.version.major == v.version.major && p.version.minor == v.version.minor
    })
}

/// A version to pin when none is: the ones the manager's message suggests (last = newest in
/// their listings), else the go.mod `go` line.
fn suggested(stderr: &str, cx: &Context<'_>) -> Option<String> {
    let from_msg = stderr.lines().rev().find_map(|l| {
        let l = l.trim();
        l.strip_prefix("golang ")
            .or_else(|| l.strip_prefix("mise use -g go@"))
            .filter(|v| GoVersion::parse(v).is_some())
            .map(str::to_string)
    });
    from_msg.or_else(|| {
        let folder = cx.snapshot.workspace.folders.first()?;
        let v = Context::go_directive(&folder.go_mod.as_ref()?.text)?;
        Some(v.display().trim_start_matches("go").to_string())
    })
}

/// Whether the `go` in use is a version-manager shim whose `go version` failed on its own exit:
/// then this rule reports it (as an error) and GSD105 stays quiet.
pub(crate) fn owns_failure(cx: &Context<'_>) -> bool {
    let Some(c) = cx.go_candidate() else {
        return false;
    };
    detect(c).is_some()
        && c.version
            .as_ref()
            .or_else(|| cx.snapshot.go.as_ref().and_then(|g| g.version.as_ref()))
            .is_some_and(|r| {
                !r.succeeded() && !r.timed_out && r.signal.is_none() && r.spawn_error.is_none()
            })
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some(c) = cx.go_candidate() else {
        return;
    };
    let Some(m) = detect(c) else {
        return;
    };
    let Some(run) = c
        .version
        .as_ref()
        .or_else(|| cx.snapshot.go.as_ref().and_then(|g| g.version.as_ref()))
    else {
        return;
    };
    // A hang, a crash, a spawn failure: GSD901 reports the probe.
    if run.timed_out || run.signal.is_some() || run.spawn_error.is_some() {
        return;
    }
    let folder = cx.snapshot.workspace.folders.first();
    let cwd = run.cwd.clone().or_else(|| folder.map(|f| f.path.clone()));
    let pin = cx
        .snapshot
        .version_files
        .iter()
        .flatten()
        .find_map(|f| pin_in(m, f).map(|v| (v, f)));
    let where_ = cwd
        .as_deref()
        .map(|d| format!(" in {}", cx.tilde(d)))
        .unwrap_or_default();
    let shim = cx.tilde(&c.path);
    let real = c
        .real_path
        .as_deref()
        .filter(|r| *r != c.path)
        .map(|r| format!(" -> {}", cx.tilde(r)))
        .unwrap_or_default();

    let f = if run.succeeded() {
        let Some((v, _)) = parse_go_version_output(&run.stdout) else {
            return;
        };
        let Some((pinned, file)) = &pin else {
            return;
        };
        if satisfies(pinned, &v) != Some(false) {
            return;
        }
        // GOTOOLCHAIN switching to the go.mod's newer toolchain is not the shim's doing.
        let gomod = folder
            .and_then(|f| f.go_mod.as_ref())
            .and_then(|g| Context::go_directive(&g.text));
        if gomod.is_some_and(|g| {
            g.minor() == v.minor()
                && v.version
                    > GoVersion::parse(pinned)
                        .map(|p| p.version)
                        .unwrap_or(v.version.clone())
        }) {
            return;
        }
        let f = out.report(
            format!("{} shim runs {} but {} pins {pinned}", m.name(), v.display(), file_name(&file.path)),
            format!(
                "VS Code's `go` is the {} shim {shim}; run{where_} with VS Code's environment it runs {}, while {} pins {pinned}. The terminal may run a different Go than the editor and its tools.",
                m.name(),
                v.display(),
                cx.tilde(&file.path)
            ),
        );
        f.evidence(format!("`{shim} version`{where_}: {}", run.stdout.trim()));
        f.evidence(format!("{}: {}", cx.tilde(&file.path), file.text.trim()));
        f
    } else {
        let first = run
            .stderr
            .lines()
            .chain(run.stdout.lines())
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("(no output)");
        let f = out.report(
            format!("The {} shim for go fails{where_}", m.name()),
            format!(
                "VS Code's `go` is the {} shim {shim}, and run{where_} with VS Code's environment it fails: {first}. gopls, the debugger and every Go command VS Code runs fail the same way.",
                m.name()
            ),
        );
        // Go tooling is broken, not merely inconsistent (GSD105 leaves this case to this rule).
        f.severity(Severity::Error);
        let code = run
            .exit_code
            .map(|c| format!("exit code {c}"))
            .unwrap_or_default();
        f.evidence(format!("`{shim} version`{where_} ({code}):"));
        for l in run.stderr.lines().filter(|l| !l.trim().is_empty()).take(8) {
            f.evidence(format!("  {l}"));
        }
        match &pin {
            Some((pinned, file)) => {
                f.evidence(format!("{} pins go {pinned}", cx.tilde(&file.path)));
            }
            None => {
                for file in cx.snapshot.version_files.iter().flatten() {
                    if reads(m, file_name(&file.path)) {
                        f.evidence(format!("{} sets no Go version", cx.tilde(&file.path)));
                    }
                }
                f.evidence(format!(
                    "no pin file for {} in {} or its parents up to ~ ({})",
                    m.name(),
                    cwd.as_deref().map(|d| cx.tilde(d)).unwrap_or_default(),
                    match m {
                        Manager::Asdf => ".tool-versions",
                        Manager::Mise => "mise.toml, .mise.toml, .tool-versions, .go-version",
                        Manager::Goenv => ".go-version",
                    }
                ));
            }
        }
        f
    };
    f.evidence(format!("go in use: {shim}{real} ({})", m.name()));
    let mut overridden = false;
    for var in m.env_overrides() {
        if let Some(v) = cx.env(var) {
            overridden = true;
            f.evidence(format!(
                "{var}={v} is set in VS Code's environment and overrides the pin files"
            ));
            f.fix(Fix {
                title: format!("Remove `export {var}=...` from your shell profile (or unset it where VS Code is started), then restart VS Code"),
                applicability: Applicability::DisplayOnly,
                actions: vec![Action::RunShell {
                    command: format!("unset {var}"),
                    cwd: None,
                }],
            });
        }
    }

    // Fixes: the manager's own command, in the folder.
    let failing = !run.succeeded();
    let (title, command) = match (&pin, failing) {
        (Some((pinned, file)), true) => (
            format!(
                "Install the pinned version: {} ({} pins it)",
                m.install(pinned),
                file_name(&file.path)
            ),
            m.install(pinned),
        ),
        (Some(_), false) if overridden => (String::new(), String::new()),
        (Some((pinned, _)), false) => (
            format!("Pin it again in the workspace: {}", m.pin(pinned)),
            m.pin(pinned),
        ),
        (None, _) => match suggested(&run.stderr, cx) {
            Some(v) => {
                let extra = if m == Manager::Asdf {
                    format!(" (asdf before 0.16: asdf local golang {v})")
                } else {
                    String::new()
                };
                (
                    format!("Pin a Go version for this workspace: {}{extra}", m.pin(&v)),
                    m.pin(&v),
                )
            }
            None => (String::new(), String::new()),
        },
    };
    if !command.is_empty() {
        f.fix(Fix {
            title,
            applicability: Applicability::Unsafe,
            actions: vec![Action::RunShell {
                command,
                cwd: cwd.clone(),
            }],
        });
    }
    // Or: a real Go binary found on this machine, preferably the pinned version.
    let real_gos: Vec<(&GoCandidate, GoVersion)> = cx
        .snapshot
        .go_candidates
        .iter()
        .filter(|o| o.executable && detect(o).is_none())
        .filter_map(|o| {
            let (v, _) = o
                .version
                .as_ref()
                .filter(|r| r.succeeded())
                .and_then(|r| parse_go_version_output(&r.stdout))?;
            Some((o, v))
        })
        .collect();
    let pick = real_gos
        .iter()
        .find(|(_, v)| {
            pin.as_ref()
                .is_some_and(|(p, _)| satisfies(p, v) == Some(true))
        })
        .or_else(|| real_gos.iter().max_by(|a, b| a.1.cmp(&b.1)));
    let Some((other, v)) = pick else {
        return;
    };
    set_in_user_settings(
        cx,
        f,
        &["go.alternateTools", "go"],
        &json!(other.path),
        format!(
            "Bypass the shim in VS Code: set go.alternateTools.go to {} ({}) in user settings",
            cx.tilde(&other.path),
            v.display()
        ),
        Applicability::Unsafe,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    const ASDF: &str = "/home/gopher/.asdf/shims/go";
    const FOLDER: &str = "/home/gopher/src/hello";

    /// asdf's real message (ubicloud/ubicloud#2913, asdf-community/asdf-golang#132).
    const ASDF_NO_VERSION: &str = "No version is set for command go\nConsider adding one of the following versions in your config file at /home/gopher/src/hello/.tool-versions\ngolang 1.22.5\ngolang 1.24.0\n";

    fn asdf_failing() -> crate::Snapshot {
        let failed = json!({"argv": [ASDF, "version"], "cwd": FOLDER, "stdout": "", "stderr": ASDF_NO_VERSION,
            "exitCode": 126, "timeoutMs": 5000, "durationMs": 80.0});
        snapshot(json!({
            "goCandidates": [
                {"path": ASDF, "realPath": ASDF, "source": "path", "executable": true, "version": failed},
                {"path": GO_BIN, "realPath": GO_BIN, "source": "wellKnown", "executable": true,
                 "version": run_ok(&[GO_BIN, "version"], "go version go1.24.4 linux/amd64\n")}
            ],
            "go": {"candidate": 0, "version": failed, "env": failed}
        }))
    }

    #[test]
    fn fires_when_asdf_has_no_version_set() {
        let s = asdf_failing();
        let f = run(&VERSION_MANAGER_SHIM, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].title, "The asdf shim for go fails in ~/src/hello");
        assert_eq!(f[0].severity, Severity::Error);
        // GSD105 leaves the failing shim to this rule.
        assert!(run(&crate::rules::toolchain::go_env_failed::GO_ENV_FAILED, &s).is_empty());
        assert!(f[0]
            .message
            .contains("it fails: No version is set for command go."));
        assert!(f[0]
            .evidence
            .iter()
            .any(|e| e.contains("no pin file for asdf")));
        assert!(matches!(&f[0].fixes[0].actions[0],
            Action::RunShell { command, cwd } if command == "asdf set golang 1.24.0" && cwd.as_deref() == Some(FOLDER)));
        assert!(f[0].fixes[0].title.contains("asdf local golang 1.24.0"));
        // The other fix: the real go1.24.4 in /usr/lib/go-1.24, in user settings.
        let fixed = apply_fix(&s, &f[0].fixes[1]);
        assert_eq!(
            parse_jsonc(layer_text(&fixed, USER_SETTINGS))["go.alternateTools"]["go"],
            GO_BIN
        );
    }

    #[test]
    fn fires_for_the_recorded_asdf_message() {
        // tests/fixtures/snapshots: asdf's output from ubicloud/ubicloud#2913.
        let s = crate::parse_snapshot(include_str!(
            "../../../../../tests/fixtures/snapshots/asdf-shim-no-version-set.json"
        ))
        .unwrap_or_default();
        let f = run(&VERSION_MANAGER_SHIM, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].title, "The asdf shim for go fails in ~/code/clover");
        assert!(f[0]
            .evidence
            .contains(&"  No version is set for command go".to_string()));
        assert!(f[0].evidence.contains(
            &"no pin file for asdf in ~/code/clover or its parents up to ~ (.tool-versions)"
                .to_string()
        ));
        assert!(matches!(&f[0].fixes[0].actions[0],
            Action::RunShell { command, cwd } if command == "asdf set golang 1.24.0" && cwd.as_deref() == Some("/home/fdr/code/clover")));
    }

    #[test]
    fn fires_when_mise_pins_a_version_that_is_not_installed() {
        // mise's real message (compozy/compozy#433); shims are symlinks to the mise binary.
        let shim = "/home/gopher/.local/share/mise/shims/go";
        let failed = json!({"argv": [shim, "version"], "cwd": FOLDER, "stdout": "",
            "stderr": "mise ERROR No version is set for shim: go\nSet a global default version with one of the following:\nmise use -g go@1.26.5\nmise use -g go@1.26.6\n",
            "exitCode": 1, "timeoutMs": 5000, "durationMs": 30.0});
        let s = snapshot(json!({
            "goCandidates": [{"path": shim, "realPath": "/usr/bin/mise", "source": "path", "executable": true, "version": failed}],
            "go": {"candidate": 0, "version": failed},
            "versionFiles": [{"path": "/home/gopher/src/hello/mise.toml", "text": "[env]\nX = \"1\"\n[tools]\nnode = \"22\"\ngo = \"1.25\"\n"}]
        }));
        let f = run(&VERSION_MANAGER_SHIM, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0]
            .evidence
            .iter()
            .any(|e| e == "~/src/hello/mise.toml pins go 1.25"));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command == "mise install go@1.25")
        );
    }

    #[test]
    fn fires_when_the_shim_runs_another_version_than_the_pin() {
        let shim = "/home/gopher/.goenv/shims/go";
        let ok = run_ok(&[shim, "version"], "go version go1.22.12 linux/amd64\n");
        let s = snapshot(json!({
            "env": {"GOENV_VERSION": "1.22.12"},
            "goCandidates": [{"path": shim, "realPath": shim, "source": "path", "executable": true, "version": ok}],
            "go": {"candidate": 0, "version": ok},
            "versionFiles": [{"path": "/home/gopher/src/hello/.go-version", "text": "1.24.4\n"}]
        }));
        let f = run(&VERSION_MANAGER_SHIM, &s);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].title,
            "goenv shim runs go1.22.12 but .go-version pins 1.24.4"
        );
        assert!(f[0]
            .evidence
            .iter()
            .any(|e| e.starts_with("GOENV_VERSION=1.22.12 is set")));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command == "unset GOENV_VERSION")
        );
        assert!(!f[0]
            .fixes
            .iter()
            .any(|x| x.title.starts_with("Pin it again")));
    }

    #[test]
    fn passes_for_a_real_go_or_a_shim_that_honours_the_pin() {
        assert!(run(&VERSION_MANAGER_SHIM, &snapshot(json!({}))).is_empty());
        let ok = run_ok(&[ASDF, "version"], "go version go1.24.4 linux/amd64\n");
        let s = snapshot(json!({
            "goCandidates": [{"path": ASDF, "realPath": ASDF, "source": "path", "executable": true, "version": ok}],
            "go": {"candidate": 0, "version": ok},
            "versionFiles": [{"path": "/home/gopher/src/hello/.tool-versions", "text": "nodejs 22.1.0\ngolang 1.24.4\n"}]
        }));
        assert!(run(&VERSION_MANAGER_SHIM, &s).is_empty());
        // After the pin fix the shim resolves: the same snapshot with the shim answering.
        let mut fixed = asdf_failing();
        fixed.go_candidates[0].version = serde_json::from_value(run_ok(
            &[ASDF, "version"],
            "go version go1.24.0 linux/amd64\n",
        ))
        .ok();
        fixed.version_files = Some(vec![FileText {
            path: format!("{FOLDER}/.tool-versions"),
            text: "golang 1.24.0\n".into(),
        }]);
        assert!(run(&VERSION_MANAGER_SHIM, &fixed).is_empty());
    }

    #[test]
    fn pins_parse() {
        assert_eq!(
            mise_toml_go("[tools]\ngo = { version = \"1.23\" }\n").as_deref(),
            Some("1.23")
        );
        assert_eq!(
            mise_toml_go("[tools]\n\"go\" = [\"1.22\", \"1.21\"]\n").as_deref(),
            Some("1.22")
        );
        assert_eq!(mise_toml_go("[env]\ngo = \"x\"\n"), None);
        let v = GoVersion::parse("go1.24.4").unwrap_or_else(|| unreachable!());
        assert_eq!(satisfies("1.24", &v), Some(true));
        assert_eq!(satisfies("1.24.3", &v), Some(false));
        assert_eq!(satisfies("latest", &v), None);
    }
}
