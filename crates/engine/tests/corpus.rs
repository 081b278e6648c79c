//! The engine on a corpus of real, public VS Code files with Go settings (tests/corpus/).
//!
//! For every `settings` / `workspace` file of tests/corpus/manifest.json: build a healthy
//! Snapshot with that file as the folder's `.vscode/settings.json` (or as the open
//! `*.code-workspace`), run every rule, and for every finding that offers an EditFile fix: apply
//! it, check that the result is still valid JSONC, that every comment of the original outside the
//! edited range is still there, and that re-running the engine no longer reports that finding.
//! `launch` files go in as the folder's `.vscode/launch.json`, with the same checks.
//!
//! The summary is always written to `$CARGO_TARGET_TMPDIR/corpus-RESULTS.md`.
//! `GSD_CORPUS_WRITE=1` also writes the committed copy, tests/corpus/RESULTS.md;
//! `GSD_CORPUS_CHECK=1` (CI) fails when the committed copy is stale. Otherwise staleness is only
//! reported on stderr, so a rule change elsewhere does not break this test by itself.
//! `GSD_CORPUS_DUMP=1` writes every applied fix as a line diff to
//! `$CARGO_TARGET_TMPDIR/corpus-fixes.txt`, for review.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use gsd_engine::jsonc::{apply_edits, parse_value};
use gsd_engine::{check, snapshot_from_value, Action, Finding, Report, Snapshot, SCHEMA_VERSION};
use serde_json::{json, Value};

const FOLDER_URI: &str = "file:///home/gopher/src/hello";
const LAUNCH_URI: &str = "file:///home/gopher/src/hello/.vscode/launch.json";
const FOLDER_SETTINGS: &str = "file:///home/gopher/src/hello/.vscode/settings.json";
const WORKSPACE_FILE: &str = "/home/gopher/src/hello.code-workspace";
const WORKSPACE_URI: &str = "file:///home/gopher/src/hello.code-workspace";
const USER_SETTINGS: &str = "file:///home/gopher/.config/Code/User/settings.json";
const GO: &str = "/usr/lib/go-1.24/bin/go";
const GOPLS: &str = "/home/gopher/go/bin/gopls";

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus")
}

fn run(argv: &[&str], stdout: &str) -> Value {
    json!({"argv": argv, "stdout": stdout, "stderr": "", "exitCode": 0, "timeoutMs": 5000, "durationMs": 12.0})
}

/// A machine where everything is fine (the fields of src/testing.rs `healthy()` that matter):
/// go1.24.4 on PATH, gopls v0.20.0 built with it, one module folder. `settings` are the layers.
fn snapshot(
    settings: Value,
    workspace_file: Option<&str>,
    launch: Option<&str>,
) -> Result<Snapshot, String> {
    let env = json!({
        "GOROOT": "/usr/lib/go-1.24", "GOPATH": "/home/gopher/go", "GOVERSION": "go1.24.4",
        "GOARCH": "amd64", "GOHOSTARCH": "amd64", "GOOS": "linux", "GOHOSTOS": "linux",
        "GOFLAGS": "", "GO111MODULE": "", "GOTOOLCHAIN": "auto", "GOMOD": "/home/gopher/src/hello/go.mod",
        "GOENV": "/home/gopher/.config/go/env", "GOPROXY": "https://proxy.golang.org,direct"
    });
    let mut workspace = json!({"folders": [{"uri": FOLDER_URI, "path": "/home/gopher/src/hello",
        "goMod": {"path": "/home/gopher/src/hello/go.mod", "text": "module example.com/hello\n\ngo 1.24\n"},
        "goFiles": ["main.go"], "filesVisited": 3}]});
    if let (Some(path), Some(obj)) = (workspace_file, workspace.as_object_mut()) {
        obj.insert("workspaceFile".into(), json!(path));
    }
    if let (Some(text), Some(folder)) = (launch, workspace.pointer_mut("/folders/0")) {
        if let Some(obj) = folder.as_object_mut() {
            obj.insert(
                "launchJson".into(),
                json!({"path": "/home/gopher/src/hello/.vscode/launch.json", "text": text}),
            );
        }
    }
    snapshot_from_value(json!({
        "schema": SCHEMA_VERSION,
        "origin": "fixture: tests/corpus",
        "host": {"os": "linux", "arch": "x64", "machine": "x86_64", "shell": "/bin/bash", "home": "/home/gopher"},
        "env": {"PATH": "/usr/lib/go-1.24/bin:/home/gopher/go/bin:/usr/bin:/bin", "HOME": "/home/gopher", "SHELL": "/bin/bash"},
        "settings": settings,
        "goCandidates": [{"path": GO, "realPath": GO, "source": "path", "executable": true,
            "version": run(&[GO, "version"], "go version go1.24.4 linux/amd64\n")}],
        "go": {
            "candidate": 0,
            "version": run(&[GO, "version"], "go version go1.24.4 linux/amd64\n"),
            "env": run(&[GO, "env", "-json"], &env.to_string())
        },
        "tools": [{"name": "gopls", "path": GOPLS, "foundVia": "gopath", "searched": [GOPLS],
            "version": run(&[GOPLS, "version", "-json"], "{\"GoVersion\": \"go1.24.4\", \"Path\": \"golang.org/x/tools/gopls\", \"Version\": \"v0.20.0\"}")}],
        "toolsBuildInfo": run(&[GO, "version", "-m", GOPLS],
            "/home/gopher/go/bin/gopls: go1.24.4\n\tpath\tgolang.org/x/tools/gopls\n\tmod\tgolang.org/x/tools/gopls\tv0.20.0\th1:x=\n\tbuild\tGOARCH=amd64\n\tbuild\tGOOS=linux\n"),
        "workspace": workspace,
        "skippedProbes": []
    }))
}

/// The healthy snapshot with `text` as the corpus file: a folder's settings.json, or the
/// `*.code-workspace` file (then the folder has no settings.json).
fn snapshot_with(kind: &str, text: &str) -> Result<(Snapshot, &'static str), String> {
    let user =
        json!({"scope": "user", "uri": USER_SETTINGS, "text": "{\n  \"editor.tabSize\": 4\n}\n"});
    if kind == "workspace" {
        let layers = json!([user,
            {"scope": "workspaceFile", "uri": WORKSPACE_URI, "text": text},
            {"scope": "workspaceFolder", "uri": FOLDER_SETTINGS, "folder": FOLDER_URI}]);
        Ok((snapshot(layers, Some(WORKSPACE_FILE), None)?, WORKSPACE_URI))
    } else if kind == "launch" {
        let layers = json!([user,
            {"scope": "workspaceFolder", "uri": FOLDER_SETTINGS, "folder": FOLDER_URI}]);
        Ok((snapshot(layers, None, Some(text))?, LAUNCH_URI))
    } else {
        let layers = json!([user,
            {"scope": "workspaceFolder", "uri": FOLDER_SETTINGS, "folder": FOLDER_URI, "text": text}]);
        Ok((snapshot(layers, None, None)?, FOLDER_SETTINGS))
    }
}

/// `check` that turns a panic into an error message.
fn check_caught(s: &Snapshot) -> Result<Report, String> {
    catch_unwind(AssertUnwindSafe(|| check(s))).map_err(|e| {
        e.downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panic".into())
    })
}

/// `snapshot_with` then `check_caught`: the report and the corpus file's uri, or the error
/// behind `labels.0` (the snapshot) or `labels.1` (the check).
fn diagnose(
    kind: &str,
    text: &str,
    labels: (&str, &str),
) -> Result<(Report, &'static str), String> {
    let (snap, uri) = snapshot_with(kind, text).map_err(|e| format!("{}: {e}", labels.0))?;
    let report = check_caught(&snap).map_err(|e| format!("{}: {e}", labels.1))?;
    Ok((report, uri))
}

/// Comments of a JSONC text with their UTF-16 ranges (strings are skipped, so `"http://x"` is
/// not a comment).
fn comments(text: &str) -> Vec<(u32, u32, String)> {
    let mut out = Vec::new();
    let chars: Vec<(u32, char)> = {
        let mut off = 0u32;
        text.chars()
            .map(|c| {
                let o = off;
                off += c.len_utf16() as u32;
                (o, c)
            })
            .collect()
    };
    let end = text.encode_utf16().count() as u32;
    let mut i = 0;
    let at = |i: usize| chars.get(i).map(|(_, c)| *c);
    let off = |i: usize| chars.get(i).map(|(o, _)| *o).unwrap_or(end);
    // The comment chars[start..i] with its range.
    let comment = |start: usize, i: usize| {
        let s: String = chars
            .get(start..i)
            .unwrap_or_default()
            .iter()
            .map(|(_, c)| *c)
            .collect();
        (off(start), off(i), s)
    };
    while i < chars.len() {
        match (at(i), at(i + 1)) {
            (Some('"'), _) => {
                i += 1;
                while let Some(c) = at(i) {
                    i += if c == '\\' { 2 } else { 1 };
                    if c == '"' {
                        break;
                    }
                }
            }
            (Some('/'), Some('/')) => {
                let start = i;
                while at(i).is_some_and(|c| c != '\n' && c != '\r') {
                    i += 1;
                }
                out.push(comment(start, i));
            }
            (Some('/'), Some('*')) => {
                let start = i;
                i += 2;
                while i < chars.len() && !(at(i) == Some('*') && at(i + 1) == Some('/')) {
                    i += 1;
                }
                i = (i + 2).min(chars.len());
                out.push(comment(start, i));
            }
            _ => i += 1,
        }
    }
    out
}

/// What identifies "the same finding" across a fix: rule, title (which names the key) and file.
fn identity(f: &Finding) -> (String, String, String) {
    (
        f.code.clone(),
        f.title.clone(),
        f.location
            .as_ref()
            .map(|l| l.uri.clone())
            .unwrap_or_default(),
    )
}

#[derive(Default)]
struct Summary {
    files: BTreeMap<String, usize>,
    parse_errors: Vec<(String, String)>,
    launch_parse_errors: Vec<(String, String)>,
    per_rule: BTreeMap<String, (String, usize, BTreeMap<String, usize>)>,
    per_file: Vec<(String, Vec<String>)>,
    fixes_checked: usize,
    fixes_by_rule: BTreeMap<String, usize>,
}

#[test]
fn engine_on_real_world_settings() {
    let dir = corpus_dir();
    let manifest_text = std::fs::read_to_string(dir.join("manifest.json")).unwrap_or_default();
    let manifest: Vec<Value> = serde_json::from_str(&manifest_text).unwrap_or_default();
    assert!(
        manifest.len() >= 40,
        "tests/corpus/manifest.json lists {} files",
        manifest.len()
    );
    let mut failures: Vec<String> = Vec::new();
    let mut sum = Summary::default();
    let dump = std::env::var("GSD_CORPUS_DUMP").is_ok_and(|v| v == "1");
    let mut fix_dump = String::new();

    for entry in &manifest {
        let file = entry
            .get("file")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let kind = entry
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        *sum.files.entry(kind.clone()).or_default() += 1;
        let Ok(text) = std::fs::read_to_string(dir.join("files").join(&file)) else {
            failures.push(format!("{file}: listed in the manifest but not readable"));
            continue;
        };

        if kind == "launch" {
            match catch_unwind(|| parse_value(&text)) {
                Err(_) => failures.push(format!("{file}: parse_value panicked")),
                Ok(Err(e)) => sum.launch_parse_errors.push((file.clone(), e)),
                Ok(Ok(_)) => {}
            }
        } else if kind != "settings" && kind != "workspace" {
            failures.push(format!("{file}: unknown kind {kind:?}"));
            continue;
        }

        if kind != "launch" {
            if let Err(e) = parse_value(&text) {
                sum.parse_errors.push((file.clone(), e));
            }
        }
        let (report, uri) = match diagnose(
            &kind,
            &text,
            ("snapshot does not deserialize", "check panicked"),
        ) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{file}: {e}"));
                continue;
            }
        };
        // Only findings about the corpus file: the rest of the snapshot is healthy.
        let mine: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.location.as_ref().is_none_or(|l| l.uri == uri))
            .collect();
        let mut titles = Vec::new();
        for f in &mine {
            let slot = sum
                .per_rule
                .entry(f.code.clone())
                .or_insert_with(|| (f.name.clone(), 0, BTreeMap::new()));
            slot.1 += 1;
            *slot.2.entry(file.clone()).or_default() += 1;
            let line = f
                .location
                .as_ref()
                .map(|l| format!(":{}", l.range.start.line + 1))
                .unwrap_or_default();
            titles.push(format!(
                "{} {}{line} {}",
                f.code,
                f.severity.label(),
                f.title
            ));
        }
        sum.per_file.push((file.clone(), titles));

        // One cause, one finding: two rules never report the same line of a real file (a
        // finding points at the key or at its value; these files have one setting per line).
        let mut at: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
        for f in &mine {
            if let Some(l) = f.location.as_ref() {
                at.entry(l.range.start.line)
                    .or_default()
                    .push(f.code.as_str());
            }
        }
        for (line, codes) in at {
            let mut distinct = codes.clone();
            distinct.sort_unstable();
            distinct.dedup();
            if distinct.len() > 1 {
                failures.push(format!(
                    "{file}:{}: {} all report this line (one cause, one finding)",
                    line + 1,
                    codes.join(", ")
                ));
            }
        }

        let original_comments = comments(&text);
        for f in &mine {
            for fix in &f.fixes {
                for action in &fix.actions {
                    let Action::EditFile {
                        uri: fix_uri,
                        edits,
                    } = action
                    else {
                        continue;
                    };
                    let what = format!("{file}: {} \"{}\" fix \"{}\"", f.code, f.title, fix.title);
                    if fix_uri != uri {
                        failures.push(format!("{what}: edits {fix_uri}, not the corpus file"));
                        continue;
                    }
                    let fixed = apply_edits(&text, edits);
                    if let Err(e) = parse_value(&fixed) {
                        failures.push(format!("{what}: result is not valid JSONC: {e}\n{fixed}"));
                        continue;
                    }
                    // Every comment outside the edited ranges survives.
                    let fixed_comments: Vec<String> =
                        comments(&fixed).into_iter().map(|c| c.2).collect();
                    let outside: Vec<&String> = original_comments
                        .iter()
                        .filter(|(s, e, _)| {
                            edits
                                .iter()
                                .all(|ed| *e <= ed.range.start_offset || *s >= ed.range.end_offset)
                        })
                        .map(|c| &c.2)
                        .collect();
                    for c in &outside {
                        let want = outside.iter().filter(|x| x == &c).count();
                        let have = fixed_comments.iter().filter(|x| x == c).count();
                        if have < want {
                            failures.push(format!("{what}: comment lost: {c}"));
                        }
                    }
                    // The same finding is gone after the fix.
                    let labels = ("fixed snapshot", "check panicked after the fix");
                    let report2 = match diagnose(&kind, &fixed, labels) {
                        Ok((r, _)) => r,
                        Err(e) => {
                            failures.push(format!("{what}: {e}"));
                            continue;
                        }
                    };
                    let id = identity(f);
                    let before = report.findings.iter().filter(|g| identity(g) == id).count();
                    let after = report2
                        .findings
                        .iter()
                        .filter(|g| identity(g) == id)
                        .count();
                    if after >= before {
                        failures.push(format!(
                            "{what}: still reported after the fix ({before} -> {after})\n{fixed}"
                        ));
                    }
                    if dump {
                        let _ = writeln!(fix_dump, "=== {what}\n{}", line_diff(&text, &fixed));
                    }
                    sum.fixes_checked += 1;
                    *sum.fixes_by_rule.entry(f.code.clone()).or_default() += 1;
                }
            }
        }
    }

    if dump {
        let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("corpus-fixes.txt");
        std::fs::write(path, &fix_dump).unwrap_or_default();
    }
    let md = results_markdown(&sum);
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("corpus-RESULTS.md");
    std::fs::write(&target, &md).unwrap_or_default();
    let committed_path = dir.join("RESULTS.md");
    if std::env::var("GSD_CORPUS_WRITE").is_ok_and(|v| v == "1") {
        std::fs::write(&committed_path, &md).unwrap_or_default();
    } else {
        let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
        if committed != md {
            let msg = format!(
                "tests/corpus/RESULTS.md is stale; new summary in {} (regenerate with GSD_CORPUS_WRITE=1 cargo test -p gsd-engine --test corpus, and review the new findings)",
                target.display()
            );
            if std::env::var("GSD_CORPUS_CHECK").is_ok_and(|v| v == "1") {
                failures.push(msg);
            } else {
                eprintln!("warning: {msg}");
            }
        }
    }

    assert!(
        failures.is_empty(),
        "{} problem(s) on the corpus:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// The changed middle of two texts, line by line (`-` old, `+` new), with one line of context.
fn line_diff(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let pre = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let max_suf = a.len().min(b.len()) - pre;
    let suf = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suf)
        .take_while(|(x, y)| x == y)
        .count();
    let mut out = String::new();
    for l in a.get(pre.saturating_sub(1)..pre).unwrap_or_default() {
        let _ = writeln!(out, "  {l}");
    }
    for l in a.get(pre..a.len() - suf).unwrap_or_default() {
        let _ = writeln!(out, "- {l}");
    }
    for l in b.get(pre..b.len() - suf).unwrap_or_default() {
        let _ = writeln!(out, "+ {l}");
    }
    for l in a
        .get(a.len() - suf..(a.len() - suf + 1).min(a.len()))
        .unwrap_or_default()
    {
        let _ = writeln!(out, "  {l}");
    }
    out
}

fn results_markdown(sum: &Summary) -> String {
    let mut md = String::from("<!-- generated by `GSD_CORPUS_WRITE=1 cargo test -p gsd-engine --test corpus`; do not edit -->\n# Corpus results\n\n");
    md.push_str("Real public VS Code files with Go settings (tests/corpus/manifest.json), each checked as the only settings file of an otherwise healthy machine (go1.24.4, gopls v0.20.0). Only findings located in the corpus file are counted.\n\n");
    md.push_str("## Files\n\n| kind | files |\n|---|---|\n");
    let mut total = 0;
    for (kind, n) in &sum.files {
        let _ = writeln!(md, "| {kind} | {n} |");
        total += n;
    }
    let _ = writeln!(md, "| total | {total} |\n");

    let _ = writeln!(
        md,
        "## Parse errors\n\n{} settings/workspace file(s) are not valid JSONC as VS Code reads it; {} launch file(s) do not parse.\n",
        sum.parse_errors.len(),
        sum.launch_parse_errors.len()
    );
    for (file, e) in sum.parse_errors.iter().chain(&sum.launch_parse_errors) {
        let _ = writeln!(md, "- `{file}`: {}", e.replace('\n', " "));
    }
    if !sum.parse_errors.is_empty() || !sum.launch_parse_errors.is_empty() {
        md.push('\n');
    }

    md.push_str("## Findings per rule\n\n| rule | name | findings | files | fixes applied and verified |\n|---|---|---|---|---|\n");
    for (code, (name, n, files)) in &sum.per_rule {
        let _ = writeln!(
            md,
            "| {code} | {name} | {n} | {} | {} |",
            files.len(),
            sum.fixes_by_rule.get(code).copied().unwrap_or(0)
        );
    }
    let _ = writeln!(
        md,
        "\n{} EditFile fixes applied: each result parses, keeps every comment outside the edit, and clears its finding.\n",
        sum.fixes_checked
    );

    md.push_str("## Findings per file\n\n");
    for (file, titles) in &sum.per_file {
        if titles.is_empty() {
            let _ = writeln!(md, "- `{file}`: none");
            continue;
        }
        let _ = writeln!(md, "- `{file}`:");
        for t in titles {
            let _ = writeln!(md, "  - {t}");
        }
    }
    md
}

#[test]
fn comment_scanner_skips_strings() {
    let c = comments("{\n  // a\n  \"u\": \"http://x\", /* b */\n}");
    let texts: Vec<&str> = c.iter().map(|x| x.2.as_str()).collect();
    assert_eq!(texts, ["// a", "/* b */"]);
}
