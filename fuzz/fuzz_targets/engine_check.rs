//! The whole engine on hostile input. Two views of every input:
//!
//! 1. raw: the bytes, if UTF-8, are a Snapshot JSON → `parse_snapshot` → `check`;
//! 2. structured: a plausible Snapshot whose settings layers (user, workspace file, folder), go.mod,
//!    go.work, `go env -json`, `go version`, `go version -m` and `gopls version -json` outputs all
//!    hold the input as text, so the JSONC and output-parsing paths are reached without the fuzzer
//!    having to discover the Snapshot's JSON shape first.
//!
//! Invariants: no panic; the Report serializes; summary counts match; every location and edit lies
//! inside its file; every EditFile fix applied to a file that parsed leaves a file that parses.
#![no_main]

use gsd_engine::jsonc::{apply_edits, parse_value, SettingsDoc};
use gsd_engine::*;
use libfuzzer_sys::fuzz_target;

const USER: &str = "file:///home/gopher/.config/Code/User/settings.json";
const WS_FILE: &str = "file:///home/gopher/src/all.code-workspace";
const FOLDER: &str = "file:///home/gopher/src/hello/.vscode/settings.json";
const GO: &str = "/usr/lib/go-1.24/bin/go";
const GOPLS: &str = "/home/gopher/go/bin/gopls";

fn run(argv: &[&str], stdout: &str) -> CommandRun {
    CommandRun {
        argv: argv.iter().map(|s| s.to_string()).collect(),
        stdout: stdout.to_string(),
        exit_code: Some(0),
        timeout_ms: 5000,
        ..Default::default()
    }
}

fn structured(text: &str) -> Snapshot {
    let layer = |scope, uri: &str| SettingsLayer {
        scope,
        uri: uri.to_string(),
        text: Some(text.to_string()),
        ..Default::default()
    };
    let file = |path: &str| FileText {
        path: path.to_string(),
        text: text.to_string(),
    };
    Snapshot {
        schema: SCHEMA_VERSION,
        origin: "fuzz".into(),
        host: Host {
            os: "linux".into(),
            arch: "x64".into(),
            machine: Some("x86_64".into()),
            shell: Some("/bin/bash".into()),
            home: Some("/home/gopher".into()),
            ..Default::default()
        },
        env: [
            ("PATH", "/usr/lib/go-1.24/bin:/home/gopher/go/bin:/usr/bin"),
            ("HOME", "/home/gopher"),
            ("GOFLAGS", text),
            ("GOPROXY", text),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect(),
        settings: vec![
            layer(Scope::User, USER),
            layer(Scope::WorkspaceFile, WS_FILE),
            SettingsLayer {
                folder: Some("file:///home/gopher/src/hello".into()),
                ..layer(Scope::WorkspaceFolder, FOLDER)
            },
        ],
        go_candidates: vec![GoCandidate {
            path: GO.into(),
            real_path: Some(GO.into()),
            executable: true,
            version: Some(run(&[GO, "version"], text)),
            ..Default::default()
        }],
        go: Some(GoProbe {
            candidate: 0,
            version: Some(run(&[GO, "version"], text)),
            env: Some(run(&[GO, "env", "-json"], text)),
            ..Default::default()
        }),
        tools: vec![ToolLookup {
            name: "gopls".into(),
            path: Some(GOPLS.into()),
            found_via: Some("gopath".into()),
            searched: vec![GOPLS.into()],
            version: Some(run(&[GOPLS, "version", "-json"], text)),
            ..Default::default()
        }],
        tools_build_info: Some(run(&[GO, "version", "-m", GOPLS], text)),
        workspace: Workspace {
            workspace_file: Some("/home/gopher/src/all.code-workspace".into()),
            folders: vec![Folder {
                uri: "file:///home/gopher/src/hello".into(),
                path: "/home/gopher/src/hello".into(),
                go_mod: Some(file("/home/gopher/src/hello/go.mod")),
                go_work: Some(file("/home/gopher/src/hello/go.work")),
                go_files: vec!["main.go".into()],
                files_visited: 3,
                ..Default::default()
            }],
            ..Default::default()
        },
        go_env_file: Some(file("/home/gopher/.config/go/env")),
        ..Default::default()
    }
}

fn utf16_len(s: &str) -> u32 {
    s.encode_utf16().count() as u32
}

/// The invariants every Report must hold for its Snapshot.
fn check_report(snapshot: &Snapshot, report: &Report) {
    if serde_json::to_string(report).is_err() {
        panic!("the report does not serialize");
    }
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count() as u32;
    assert_eq!(report.summary.errors, count(Severity::Error));
    assert_eq!(report.summary.warnings, count(Severity::Warning));
    assert_eq!(report.summary.infos, count(Severity::Info));
    assert_eq!(report.checks.len(), rules().len());

    let text_of = |uri: &str| {
        snapshot
            .settings
            .iter()
            .find(|l| l.uri == uri)
            .and_then(|l| l.text.as_deref())
    };
    for f in &report.findings {
        // Findings are bounded and printable whatever the input quoted (lib.rs `bound`).
        for text in [&f.title, &f.message].into_iter().chain(f.evidence.iter()) {
            assert!(
                text.chars().count() <= 4100,
                "{}: {} characters",
                f.code,
                text.len()
            );
            assert!(
                !text
                    .chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\t'),
                "{}: control characters in {text:?}",
                f.code
            );
        }
        assert!(
            f.evidence.len() <= 51,
            "{}: {} evidence lines",
            f.code,
            f.evidence.len()
        );
        for loc in f
            .location
            .iter()
            .chain(f.related.iter().map(|r| &r.location))
        {
            if let Some(text) = text_of(&loc.uri) {
                let r = loc.range;
                assert!(r.start_offset <= r.end_offset, "{}: inverted range", f.code);
                assert!(
                    r.end_offset <= utf16_len(text),
                    "{}: range past the end",
                    f.code
                );
            }
        }
        for fix in &f.fixes {
            for action in &fix.actions {
                let Action::EditFile { uri, edits } = action else {
                    continue;
                };
                let Some(layer) = snapshot.settings.iter().find(|l| &l.uri == uri) else {
                    panic!("{}: edit of a file not in the snapshot: {uri}", f.code);
                };
                let Some(text) = layer.text.as_deref() else {
                    panic!("{}: edit of a file without text: {uri}", f.code);
                };
                let len = utf16_len(text);
                for e in edits {
                    assert!(
                        e.range.start_offset <= e.range.end_offset,
                        "{}: inverted edit",
                        f.code
                    );
                    assert!(e.range.end_offset <= len, "{}: edit past the end", f.code);
                }
                let ws = layer.scope == Scope::WorkspaceFile;
                let parsed_before = SettingsDoc::parse(uri, text, ws).error.is_none();
                let fixed = apply_edits(text, edits);
                if parsed_before {
                    if let Err(e) = parse_value(&fixed) {
                        panic!(
                            "{} fix {:?} broke {uri}: {e}\n--- before\n{text}\n--- after\n{fixed}",
                            f.code, fix.title
                        );
                    }
                }
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        // Invalid UTF-8 never reaches the engine as text (JS decodes it to U+FFFD first).
        let lossy = String::from_utf8_lossy(data);
        let s = structured(&lossy);
        check_report(&s, &check(&s));
        return;
    };
    if let Ok(snapshot) = parse_snapshot(text) {
        let report = check(&snapshot);
        check_report(&snapshot, &report);
    }
    let s = structured(text);
    check_report(&s, &check(&s));
});
