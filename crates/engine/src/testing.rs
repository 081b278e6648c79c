//! Test helpers: a healthy snapshot, minimal JSON overlays on it, running one rule, applying fixes.
//!
//! The healthy snapshot's outputs are real ones from Debian's toolchains
//! (shared/knowledge/go-outputs: go-version.go1.24.4.debian.txt, go-env-json.go1.24.4.debian.json).

use serde_json::{json, Value};

use crate::protocol::*;
use crate::registry::{Rule, RuleMeta, RULES};

pub fn run_ok(argv: &[&str], stdout: &str) -> Value {
    json!({"argv": argv, "stdout": stdout, "stderr": "", "exitCode": 0, "timeoutMs": 5000, "durationMs": 12.0})
}

pub fn run_failed(argv: &[&str], stderr: &str, code: i32) -> Value {
    json!({"argv": argv, "stdout": "", "stderr": stderr, "exitCode": code, "timeoutMs": 5000, "durationMs": 12.0})
}

pub const GO_BIN: &str = "/usr/lib/go-1.24/bin/go";

/// A machine where everything is fine: go1.24.4 on PATH, gopls v0.20.0 built with it, a module.
pub fn healthy() -> Value {
    json!({
        "schema": SCHEMA_VERSION,
        "origin": "test",
        "host": {"os": "linux", "arch": "x64", "machine": "x86_64", "shell": "/bin/bash", "home": "/home/gopher"},
        "env": {"PATH": "/usr/lib/go-1.24/bin:/home/gopher/go/bin:/usr/bin:/bin", "HOME": "/home/gopher", "SHELL": "/bin/bash"},
        "settings": [
            {"scope": "user", "uri": "file:///home/gopher/.config/Code/User/settings.json", "text": "{\n  \"editor.tabSize\": 4\n}\n"},
            {"scope": "workspaceFolder", "uri": "file:///home/gopher/src/hello/.vscode/settings.json", "folder": "file:///home/gopher/src/hello"}
        ],
        "goCandidates": [{"path": GO_BIN, "realPath": GO_BIN, "source": "path", "executable": true,
            "version": run_ok(&[GO_BIN, "version"], "go version go1.24.4 linux/amd64\n")}],
        "go": {
            "candidate": 0,
            "version": run_ok(&[GO_BIN, "version"], "go version go1.24.4 linux/amd64\n"),
            "env": run_ok(&[GO_BIN, "env", "-json"], &serde_json::to_string_pretty(&json!({
                "GOROOT": "/usr/lib/go-1.24", "GOPATH": "/home/gopher/go", "GOVERSION": "go1.24.4",
                "GOARCH": "amd64", "GOHOSTARCH": "amd64", "GOOS": "linux", "GOHOSTOS": "linux",
                "GOFLAGS": "", "GO111MODULE": "", "GOTOOLCHAIN": "auto", "GOMOD": "/home/gopher/src/hello/go.mod",
                "GOENV": "/home/gopher/.config/go/env", "GOPROXY": "https://proxy.golang.org,direct"
            })).unwrap_or_default())
        },
        "tools": [
            {"name": "gopls", "path": "/home/gopher/go/bin/gopls", "foundVia": "gopath", "searched": ["/home/gopher/go/bin/gopls"],
             "version": run_ok(&["/home/gopher/go/bin/gopls", "version", "-json"], "{\"GoVersion\": \"go1.24.4\", \"Path\": \"golang.org/x/tools/gopls\", \"Version\": \"v0.20.0\"}")}
        ],
        "toolsBuildInfo": run_ok(&[GO_BIN, "version", "-m", "/home/gopher/go/bin/gopls"],
            "/home/gopher/go/bin/gopls: go1.24.4\n\tpath\tgolang.org/x/tools/gopls\n\tmod\tgolang.org/x/tools/gopls\tv0.20.0\th1:x=\n\tbuild\tGOARCH=amd64\n\tbuild\tGOOS=linux\n"),
        "workspace": {"folders": [{"uri": "file:///home/gopher/src/hello", "path": "/home/gopher/src/hello",
            "goMod": {"path": "/home/gopher/src/hello/go.mod", "text": "module example.com/hello\n\ngo 1.24\n"},
            "goFiles": ["main.go"], "filesVisited": 3}]},
        "skippedProbes": []
    })
}

/// Deep-merge `overlay` into `base`: objects merge, everything else replaces.
pub fn merge(base: &mut Value, overlay: Value) {
    match (base, overlay) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(slot) => merge(slot, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (slot, v) => *slot = v,
    }
}

/// The healthy snapshot with `overlay` merged in.
pub fn snapshot(overlay: Value) -> Snapshot {
    let mut base = healthy();
    merge(&mut base, overlay);
    match crate::snapshot_from_value(base) {
        Ok(s) => s,
        Err(e) => unreachable!("test snapshot does not deserialize: {e}"),
    }
}

fn rule_for(meta: &'static RuleMeta) -> &'static Rule {
    match RULES.iter().find(|r| std::ptr::eq(r.meta, meta)) {
        Some(r) => r,
        None => unreachable!("rule {} is not registered", meta.code),
    }
}

/// Run only this rule; return its findings.
pub fn run(meta: &'static RuleMeta, s: &Snapshot) -> Vec<Finding> {
    crate::check_rules(s, std::slice::from_ref(rule_for(meta))).findings
}

/// Run only this rule; return its check entry.
pub fn run_status(meta: &'static RuleMeta, s: &Snapshot) -> Check {
    crate::check_rules(s, std::slice::from_ref(rule_for(meta)))
        .checks
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// Apply every EditFile action of `fix` to the snapshot's settings layers; returns the new snapshot.
pub fn apply_fix(s: &Snapshot, fix: &Fix) -> Snapshot {
    let mut out = s.clone();
    for action in &fix.actions {
        if let Action::EditFile { uri, edits } = action {
            for folder in out.workspace.folders.iter_mut() {
                if &launch_uri(folder) == uri {
                    if let Some(file) = folder.launch_json.as_mut() {
                        file.text = crate::jsonc::apply_edits(&file.text, edits);
                    }
                }
            }
            for layer in out.settings.iter_mut().filter(|l| &l.uri == uri) {
                if let Some(text) = &layer.text {
                    layer.text = Some(crate::jsonc::apply_edits(text, edits));
                }
            }
        }
    }
    out
}

/// The text of the settings layer with this URI.
pub fn layer_text<'s>(s: &'s Snapshot, uri: &str) -> &'s str {
    s.settings
        .iter()
        .find(|l| l.uri == uri)
        .and_then(|l| l.text.as_deref())
        .unwrap_or("")
}

/// Parse JSONC as VS Code would (panics in tests if invalid, which is what we assert).
pub fn parse_jsonc(text: &str) -> Value {
    match crate::jsonc::parse_value(text) {
        Ok(v) => v,
        Err(e) => unreachable!("fixed file is not valid JSONC: {e}\n{text}"),
    }
}

pub const FOLDER_SETTINGS: &str = "file:///home/gopher/src/hello/.vscode/settings.json";
pub const USER_SETTINGS: &str = "file:///home/gopher/.config/Code/User/settings.json";

/// Replace the text of the settings layer at `uri` (USER_SETTINGS, FOLDER_SETTINGS).
pub fn set_layer_text(s: &mut Snapshot, uri: &str, text: &str) {
    for l in s.settings.iter_mut().filter(|l| l.uri == uri) {
        l.text = Some(text.to_string());
    }
}

/// The healthy snapshot with this text as the folder's `.vscode/settings.json`.
pub fn with_folder_settings(text: &str) -> Snapshot {
    let mut s = snapshot(json!({}));
    set_layer_text(&mut s, FOLDER_SETTINGS, text);
    s
}

/// The healthy snapshot with this text as the user settings.json.
pub fn with_user_settings(text: &str) -> Snapshot {
    let mut s = snapshot(json!({}));
    set_layer_text(&mut s, USER_SETTINGS, text);
    s
}

/// The URI findings use for a folder's `.vscode/launch.json`.
pub fn launch_uri(folder: &Folder) -> String {
    format!("{}/.vscode/launch.json", folder.uri.trim_end_matches('/'))
}

/// The healthy snapshot with this text as the folder's `.vscode/launch.json`.
pub fn with_launch_json(text: &str) -> Snapshot {
    snapshot(
        json!({"workspace": {"folders": [{"uri": "file:///home/gopher/src/hello", "path": "/home/gopher/src/hello",
        "launchJson": {"path": "/home/gopher/src/hello/.vscode/launch.json", "text": text}}]}}),
    )
}

/// The first folder's launch.json text.
pub fn launch_text(s: &Snapshot) -> &str {
    s.workspace
        .folders
        .first()
        .and_then(|f| f.launch_json.as_ref())
        .map(|f| f.text.as_str())
        .unwrap_or("")
}
