use crate::context::Context;
use crate::declare_rule;
use crate::jsonc::SettingsDoc;
use crate::launch::{self, ConfigOp};
use crate::protocol::{Action, Applicability, Fix, LaunchTarget};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// For each Go `launch` configuration (launch.json, or a single-folder workspace file's
    /// `launch` block), what its `program` points at, as the gatherer found it (stat, the first
    /// bytes of a file, the package clauses of the `.go` files; nothing is run). `program` values
    /// with `${file}`, `${fileDirname}`, `${input:…}` and other variables are known only when
    /// debugging starts and are skipped, as are package import paths (`example.com/cmd/x`).
    /// Global configurations in the user settings are not checked: they are offered in every
    /// workspace, and what `${workspaceFolder}` stands for depends on where they are picked.
    /// - `debug` / `test` / `auto` mode: the path must be a directory or a `.go` file;
    ///   vscode-go refuses anything else with `The program attribute '<path>' must be a valid
    ///   directory or .go file in debug/test/auto modes.` (golang/vscode-go@28e27ffd
    ///   `goDebugConfiguration.ts` `parseDebugProgramArgSync`). A directory without `.go` files
    ///   fails in `go build` with `no Go files in <dir>`; one with only `_test.go` files with
    ///   `<pkg>: no non-test Go files in <dir>`; a package that is not `main` builds no program
    ///   and delve says `could not launch process: not an executable file`.
    /// - `exec` mode: the path must be an executable (ELF, Mach-O or PE); otherwise delve says
    ///   `could not launch process: not an executable file`, or `could not launch process: open
    ///   <path>: no such file or directory` when it is missing.
    ///
    /// The delve texts were recorded with dlv 1.24.0 (Debian trixie) and go1.24.4:
    /// `dlv debug ./lib`, `dlv debug ./onlytests`, `dlv debug ./empty`, `dlv exec ./notes.txt`,
    /// `dlv exec ./nothere`.
    ///
    /// ## Why it matters
    /// F5 fails before the first breakpoint, with a message that names the build or the binary
    /// but not the configuration that caused it.
    ///
    /// ## Example
    /// ```jsonc
    /// { "configurations": [{ "name": "Launch", "type": "go", "request": "launch",
    ///   "mode": "debug", "program": "${workspaceFolder}/internal/store" }] }
    /// ```
    /// where `internal/store` is `package store`.
    ///
    /// ## Fix
    /// Point `program` at the directory of a `main` package. Offered as edits where the intent is
    /// clear (review): a library or test-only package with `_test.go` files gets `"mode":
    /// "test"`; an `exec` configuration whose `program` is Go source (a `main` package) gets
    /// `"mode": "debug"`.
    pub LAUNCH_TARGET_INVALID {
        code: "GSD321",
        name: "launch-target-invalid",
        category: Settings,
        severity: Error,
        summary: "Go launch configurations point at a main package or an executable",
        fix: Sometimes,
        since: "0.1.0",
    }
}

/// Magic numbers of executables delve can load: ELF, Mach-O (32/64, both byte orders, fat), PE.
fn is_executable_format(magic: &str) -> bool {
    let m = magic.to_ascii_lowercase();
    [
        "7f454c46", "feedface", "feedfacf", "cefaedfe", "cffaedfe", "cafebabe",
    ]
    .contains(&m.as_str())
        || m.starts_with("4d5a")
}

/// Files `go build` would consider: not `_test.go`, not `//go:build ignore`.
fn is_build_file(name: &str, build: Option<&str>) -> bool {
    !name.ends_with("_test.go")
        && !build.is_some_and(|b| {
            b.split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|w| w == "ignore")
        })
}

enum Problem {
    Missing,
    NotDirOrGo,
    NoGoFiles,
    OnlyTests,
    NotMain(Vec<String>),
    NotExecutable(&'static str),
}

fn judge(mode: &str, program: &str, t: &LaunchTarget) -> Option<Problem> {
    let mode = match mode {
        "auto" if program.ends_with("_test.go") => "test",
        "auto" => "debug",
        m => m,
    };
    match (mode, t.kind.as_str()) {
        ("debug" | "test" | "exec", "missing") => Some(Problem::Missing),
        ("exec", "dir") => Some(Problem::NotExecutable("a directory")),
        ("exec", "file") => match t.magic.as_deref() {
            Some(m) if is_executable_format(m) => None,
            _ if t.path.ends_with(".go") => Some(Problem::NotExecutable("Go source, not a binary")),
            Some("") | None => Some(Problem::NotExecutable("an empty file")),
            Some(_) => Some(Problem::NotExecutable("neither ELF, Mach-O nor PE")),
        },
        ("exec", _) => Some(Problem::NotExecutable("not a regular file")),
        ("debug" | "test", "file") if !t.path.ends_with(".go") => Some(Problem::NotDirOrGo),
        ("debug" | "test", "other") => Some(Problem::NotDirOrGo),
        ("debug" | "test", _) => {
            if t.go_files.is_empty() && !t.go_files_capped {
                return Some(Problem::NoGoFiles);
            }
            if mode == "test" || t.go_files_capped {
                return None;
            }
            let build: Vec<_> = t
                .go_files
                .iter()
                .filter(|f| is_build_file(&f.name, f.build.as_deref()))
                .collect();
            if build.is_empty() {
                return Some(Problem::OnlyTests);
            }
            if build
                .iter()
                .any(|f| f.package.as_deref() == Some("main") || f.package.is_none())
            {
                return None;
            }
            let mut pkgs: Vec<String> = build.iter().filter_map(|f| f.package.clone()).collect();
            pkgs.sort();
            pkgs.dedup();
            Some(Problem::NotMain(pkgs))
        }
        _ => None,
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    for file in launch::launch_files(cx) {
        let Some(folder) = file.folder else { continue };
        let targets = folder.launch_targets.as_deref().unwrap_or_default();
        let doc = SettingsDoc::parse(&file.uri, file.text, false);
        for (index, cfg) in launch::configurations(&doc, file.under_launch_key) {
            if !launch::is_go(cfg) || launch::string(cfg, "request").as_deref() != Some("launch") {
                continue;
            }
            let mode = launch::string(cfg, "mode").unwrap_or_else(|| "auto".into());
            let Some(program) = launch::string(cfg, "program") else {
                continue;
            };
            let Some(t) = targets.iter().find(|t| t.program == program) else {
                continue;
            };
            let Some(problem) = judge(&mode, &program, t) else {
                continue;
            };
            let name = launch::string(cfg, "name").unwrap_or_else(|| format!("#{}", index + 1));
            let path = cx.tilde(&t.path);
            let has_tests = t.go_files.iter().any(|f| f.name.ends_with("_test.go"));
            let has_main = t.go_files.iter().any(|f| {
                f.package.as_deref() == Some("main") && is_build_file(&f.name, f.build.as_deref())
            });
            let (title, message, fix_mode) = match &problem {
                Problem::Missing if mode == "exec" => (
                    format!("`program` of \"{name}\" does not exist"),
                    format!("\"{name}\" runs `{program}` in exec mode, but {path} does not exist ({}): delve fails with \"could not launch process: open {}: no such file or directory\". Build it first (a `preLaunchTask`) or fix the path.", t.error.as_deref().unwrap_or("ENOENT"), t.path),
                    None,
                ),
                Problem::Missing | Problem::NotDirOrGo => (
                    format!("`program` of \"{name}\" is not a directory or .go file"),
                    format!("\"{name}\" has `\"program\": \"{program}\"`, and {path} {}: vscode-go refuses to start with \"The program attribute '{}' must be a valid directory or .go file in debug/test/auto modes.\"",
                        if t.kind == "missing" { format!("does not exist ({})", t.error.as_deref().unwrap_or("ENOENT")) } else { "is neither".into() },
                        t.path),
                    None,
                ),
                Problem::NoGoFiles => (
                    format!("`program` of \"{name}\" has no Go files"),
                    format!("\"{name}\" builds {path}, which holds no .go files: the build fails with \"no Go files in {}\".", t.path),
                    None,
                ),
                Problem::OnlyTests => (
                    format!("`program` of \"{name}\" holds only tests"),
                    format!("\"{name}\" debugs {path} as a program, but it has only _test.go files: the build fails with \"no non-test Go files in {}\". Use `\"mode\": \"test\"` to debug its tests.", t.path),
                    Some("test"),
                ),
                Problem::NotMain(pkgs) => (
                    format!("`program` of \"{name}\" is not a main package"),
                    format!("\"{name}\" debugs {path}, which is `package {}`, not `package main`: the build makes no program and delve fails with \"could not launch process: not an executable file\". Point `program` at the directory of a main package{}.",
                        pkgs.join("`, `package "),
                        if has_tests { ", or use `\"mode\": \"test\"` to debug its tests" } else { "" }),
                    has_tests.then_some("test"),
                ),
                Problem::NotExecutable(what) => (
                    format!("`program` of \"{name}\" is not an executable"),
                    format!("\"{name}\" runs {path} in exec mode, but it is {what}: delve fails with \"could not launch process: not an executable file\".{}",
                        if has_main || t.path.ends_with(".go") { " To build and debug Go source, use `\"mode\": \"debug\"`." } else { "" }),
                    (has_main || (t.kind == "file" && t.path.ends_with(".go"))).then_some("debug"),
                ),
            };
            let f = out.report(title, message);
            f.at(launch::prop(cfg, "program").map(|p| doc.name_location(p)));
            f.evidence(format!(
                "configuration \"{name}\" (mode {mode}) in {}",
                cx.tilde(&file.label())
            ));
            f.evidence(format!(
                "{}: {}{}{}",
                t.path,
                t.kind,
                t.magic
                    .as_deref()
                    .map(|m| format!(", first bytes {m}"))
                    .unwrap_or_default(),
                if t.go_files.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", Go files: {}",
                        t.go_files
                            .iter()
                            .take(8)
                            .map(|g| format!(
                                "{} ({})",
                                g.name,
                                g.package
                                    .as_deref()
                                    .map(|p| format!("package {p}"))
                                    .unwrap_or_else(|| "no package clause".into())
                            ))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            ));
            if let Some(m) = fix_mode {
                if let Some(edit) = launch::edit_config(
                    &doc,
                    file.under_launch_key,
                    index,
                    &[ConfigOp::Set("mode", serde_json::json!(m))],
                ) {
                    f.fix(Fix {
                        title: format!("Set `\"mode\": \"{m}\"` in \"{name}\""),
                        applicability: Applicability::Unsafe,
                        actions: vec![Action::EditFile {
                            uri: file.uri.clone(),
                            edits: vec![edit],
                        }],
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    const LAUNCH: &str = r#"{
  // debug configurations
  "configurations": [
    {"name": "missing", "type": "go", "request": "launch", "mode": "debug", "program": "${workspaceFolder}/cmd/gone"},
    {"name": "lib", "type": "go", "request": "launch", "mode": "debug", "program": "${workspaceFolder}/lib"},
    {"name": "bin", "type": "go", "request": "launch", "mode": "exec", "program": "${workspaceFolder}/notes.txt"},
    {"name": "ok", "type": "go", "request": "launch", "program": "${workspaceFolder}/cmd/app"},
    {"name": "file", "type": "go", "request": "launch", "program": "${file}"}
  ]
}"#;

    fn target(
        program: &str,
        path: &str,
        kind: &str,
        extra: serde_json::Value,
    ) -> serde_json::Value {
        let mut t = json!({"program": program, "path": path, "kind": kind, "goFiles": [], "goFilesCapped": false});
        merge(&mut t, extra);
        t
    }

    fn snap(launch: &str, targets: serde_json::Value) -> crate::Snapshot {
        snapshot(
            json!({"workspace": {"folders": [{"uri": "file:///home/gopher/src/hello", "path": "/home/gopher/src/hello",
            "launchJson": {"path": "/home/gopher/src/hello/.vscode/launch.json", "text": launch},
            "launchTargets": targets}]}}),
        )
    }

    fn targets() -> serde_json::Value {
        let root = "/home/gopher/src/hello";
        json!([
            target(
                "${workspaceFolder}/cmd/gone",
                &format!("{root}/cmd/gone"),
                "missing",
                json!({"error": "ENOENT"})
            ),
            target(
                "${workspaceFolder}/lib",
                &format!("{root}/lib"),
                "dir",
                json!({"goFiles": [
                {"name": "gen.go", "package": "main", "build": "ignore"},
                {"name": "lib.go", "package": "lib"}, {"name": "lib_test.go", "package": "lib"}]})
            ),
            target(
                "${workspaceFolder}/notes.txt",
                &format!("{root}/notes.txt"),
                "file",
                json!({"magic": "68656c6c", "mode": 0o755})
            ),
            target(
                "${workspaceFolder}/cmd/app",
                &format!("{root}/cmd/app"),
                "dir",
                json!({"goFiles": [{"name": "main.go", "package": "main"}]})
            ),
        ])
    }

    #[test]
    fn fires_for_missing_dir_library_and_text_file() {
        let s = snap(LAUNCH, targets());
        let f = run(&LAUNCH_TARGET_INVALID, &s);
        let titles: Vec<&str> = f.iter().map(|x| x.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "`program` of \"missing\" is not a directory or .go file",
                "`program` of \"lib\" is not a main package",
                "`program` of \"bin\" is not an executable",
            ]
        );
        assert!(f[0].message.contains("The program attribute '/home/gopher/src/hello/cmd/gone' must be a valid directory or .go file in debug/test/auto modes."));
        assert!(
            f[1].message.contains("`package lib`")
                && f[1]
                    .message
                    .contains("could not launch process: not an executable file")
        );
        assert!(f[2].message.contains("neither ELF, Mach-O nor PE"));
        assert_eq!(f[1].location.as_ref().unwrap().range.start.line, 4);
        // The library has tests: debugging them is offered; applied, the finding is gone.
        let fixed = apply_fix(&s, &f[1].fixes[0]);
        assert!(launch_text(&fixed).contains("// debug configurations"));
        assert_eq!(
            parse_jsonc(launch_text(&fixed))["configurations"][1]["mode"],
            json!("test")
        );
        let again = run(&LAUNCH_TARGET_INVALID, &fixed);
        assert_eq!(again.len(), 2);
        assert!(again.iter().all(|x| !x.title.contains("\"lib\"")));
    }

    #[test]
    fn fires_for_exec_of_go_source_and_test_only_dirs() {
        let launch = r#"{"configurations": [
            {"name": "src", "type": "go", "request": "launch", "mode": "exec", "program": "cmd/app"},
            {"name": "tests", "type": "go", "request": "launch", "mode": "auto", "program": "./t"},
            {"name": "empty", "type": "go", "request": "launch", "mode": "test", "program": "docs"},
            {"name": "gone", "type": "go", "request": "launch", "mode": "exec", "program": "bin/app"}]}"#;
        let root = "/home/gopher/src/hello";
        let s = snap(
            launch,
            json!([
                target(
                    "cmd/app",
                    &format!("{root}/cmd/app"),
                    "dir",
                    json!({"goFiles": [{"name": "main.go", "package": "main"}]})
                ),
                target(
                    "./t",
                    &format!("{root}/t"),
                    "dir",
                    json!({"goFiles": [{"name": "x_test.go", "package": "x"}]})
                ),
                target("docs", &format!("{root}/docs"), "dir", json!({})),
                target(
                    "bin/app",
                    &format!("{root}/bin/app"),
                    "missing",
                    json!({"error": "ENOENT"})
                ),
            ]),
        );
        let f = run(&LAUNCH_TARGET_INVALID, &s);
        assert_eq!(
            f.len(),
            4,
            "{:#?}",
            f.iter().map(|x| &x.title).collect::<Vec<_>>()
        );
        assert!(f[1]
            .message
            .contains("no non-test Go files in /home/gopher/src/hello/t"));
        assert!(f[2]
            .message
            .contains("no Go files in /home/gopher/src/hello/docs"));
        assert!(f[3].message.contains("could not launch process: open /home/gopher/src/hello/bin/app: no such file or directory"));
        let mut cur = s;
        for i in [0, 1] {
            let f = run(&LAUNCH_TARGET_INVALID, &cur);
            let fix = f
                .iter()
                .find(|x| x.title.contains(["\"src\"", "\"tests\""][i]))
                .unwrap();
            cur = apply_fix(&cur, &fix.fixes[0]);
        }
        assert_eq!(run(&LAUNCH_TARGET_INVALID, &cur).len(), 2);
    }

    #[test]
    fn fires_in_a_single_folder_workspace_file_but_not_with_two_folders() {
        let ws = r#"{"folders": [{"path": "hello"}], "launch": {"configurations": [
            {"name": "lib", "type": "go", "request": "launch", "mode": "debug", "program": "${workspaceFolder}/lib"}]}}"#;
        let mut s = snap("", targets());
        s.workspace.folders[0].launch_json = None;
        s.settings.push(crate::SettingsLayer {
            scope: crate::Scope::WorkspaceFile,
            uri: "file:///home/gopher/src/hello.code-workspace".into(),
            text: Some(ws.into()),
            ..Default::default()
        });
        let f = run(&LAUNCH_TARGET_INVALID, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0]
            .location
            .as_ref()
            .unwrap()
            .uri
            .ends_with("hello.code-workspace"));
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        assert!(run(&LAUNCH_TARGET_INVALID, &fixed).is_empty());
        // With two folders `${workspaceFolder}` is ambiguous: nothing is claimed.
        s.workspace.folders.push(s.workspace.folders[0].clone());
        assert!(run(&LAUNCH_TARGET_INVALID, &s).is_empty());
    }

    #[test]
    fn passes_for_main_packages_executables_and_unresolved_programs() {
        let launch = r#"{"configurations": [
            {"name": "ok", "type": "go", "request": "launch", "program": "${workspaceFolder}/cmd/app"},
            {"name": "exe", "type": "go", "request": "launch", "mode": "exec", "program": "bin/app"},
            {"name": "lib tests", "type": "go", "request": "launch", "mode": "test", "program": "lib"},
            {"name": "file", "type": "go", "request": "launch", "program": "${file}"},
            {"name": "attach", "type": "go", "request": "attach", "mode": "local", "program": "nowhere"}]}"#;
        let root = "/home/gopher/src/hello";
        let s = snap(
            launch,
            json!([
                target(
                    "${workspaceFolder}/cmd/app",
                    &format!("{root}/cmd/app"),
                    "dir",
                    json!({"goFiles": [{"name": "main.go", "package": "main"}, {"name": "util.go"}]})
                ),
                target(
                    "bin/app",
                    &format!("{root}/bin/app"),
                    "file",
                    json!({"magic": "7f454c46", "mode": 0o755})
                ),
                target(
                    "lib",
                    &format!("{root}/lib"),
                    "dir",
                    json!({"goFiles": [{"name": "lib.go", "package": "lib"}]})
                ),
            ]),
        );
        assert!(run(&LAUNCH_TARGET_INVALID, &s).is_empty());
        // No observation (e.g. an older gatherer): nothing is claimed.
        assert!(run(&LAUNCH_TARGET_INVALID, &with_launch_json(LAUNCH)).is_empty());
        // The same configurations as the user's global ones (user settings `launch`), observed for
        // this folder: not checked, whatever this workspace makes of them.
        let mut global = snap("{}", targets());
        set_layer_text(
            &mut global,
            USER_SETTINGS,
            &format!("{{\"editor.tabSize\": 4, \"launch\": {LAUNCH}}}"),
        );
        assert!(run(&LAUNCH_TARGET_INVALID, &global).is_empty());
        // Broken input never crashes.
        for bad in ["", "{\"configurations\": {}}", "{\"configurations\": [null, {\"type\": \"go\", \"request\": \"launch\", \"program\": 3}]}"] {
            assert!(run(&LAUNCH_TARGET_INVALID, &snap(bad, targets())).is_empty());
        }
    }
}
