use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix};
use crate::rules::host;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// In a snapshot taken inside VS Code: the Go extension (`golang.go` or `golang.go-nightly`) is
    /// active, the language server is enabled, gopls is installed and the workspace has `.go`
    /// files, but no running gopls process descends from this window's extension host (the process
    /// table of the snapshot: parent and ancestors of every gopls process).
    ///
    /// ## Why it matters
    /// Without a running gopls there is no completion, no navigation and no diagnostics, often
    /// with no visible error: vscode-go restarts a crashing gopls at most 4 times (`crashCount < 5`,
    /// vscode-go `goLanguageServer.ts`) and then leaves it stopped ("The connection to gopls has
    /// been closed"), and a gopls that fails to start may only log to the "gopls" output channel.
    ///
    /// ## Example
    /// `golang.go` active, `go.useLanguageServer` unset, `main.go` in the folder, no `gopls`
    /// process whose ancestors include the extension host's pid.
    ///
    /// ## Fix
    /// Run "Go: Restart Language Server" (`go.languageserver.restart`); if it stops again, read the
    /// "gopls (server)" output channel for the reason.
    pub GOPLS_NOT_RUNNING {
        code: "GSD801",
        name: "gopls-not-running",
        category: LanguageServer,
        severity: Warning,
        summary: "gopls runs for this window",
        fix: Always,
        since: "0.1.0",
    }
}

const GO_EXTENSIONS: &[&str] = &["golang.go", "golang.go-nightly"];

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let s = cx.snapshot;
    let Some(vscode) = &s.vscode else {
        out.skip("needs VS Code's extension list (not available to the headless command)");
        return;
    };
    let (Some(processes), Some(_)) = (&s.processes, s.host.pid) else {
        out.skip("needs the process table (read on Linux and macOS only)");
        return;
    };
    let Some(ext) = vscode
        .extensions
        .iter()
        .find(|e| e.active && GO_EXTENSIONS.contains(&e.id.to_ascii_lowercase().as_str()))
    else {
        return;
    };
    if !cx.language_server_enabled() {
        return; // GSD308's
    }
    if cx.tool("gopls").is_some_and(|t| t.path.is_none()) {
        return; // GSD201's
    }
    let go_files: usize = s.workspace.folders.iter().map(|f| f.go_files.len()).sum();
    if go_files == 0 {
        return;
    }
    if processes.iter().any(|p| host::started_by_host(cx, p)) {
        return;
    }
    let f = out.report(
        "gopls is not running for this window",
        format!(
            "The Go extension ({} {}) is active and the language server is enabled, but no gopls process started by this VS Code window is running: there is no completion, navigation or diagnostics. gopls may have crashed (vscode-go gives up after repeated crashes) or failed to start.",
            ext.id, ext.version
        ),
    );
    f.evidence(format!(
        "extension host pid {}: no gopls process among its descendants",
        s.host.pid.unwrap_or_default()
    ));
    if let Some(path) = cx.tool("gopls").and_then(|t| t.path.as_deref()) {
        f.evidence(format!("gopls installed: {path}"));
    }
    f.evidence(format!("{go_files} .go file(s) in the workspace"));
    for p in processes {
        f.evidence(format!(
            "gopls of another process: {} (parent pid {})",
            host::process_label(p),
            p.ppid.map(|x| x.to_string()).unwrap_or_else(|| "?".into())
        ));
    }
    f.fix(Fix {
        title: "Restart the language server (Go: Restart Language Server)".into(),
        applicability: Applicability::Safe,
        actions: vec![Action::RunVsCodeCommand {
            command: "go.languageserver.restart".into(),
            args: vec![],
        }],
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    fn vscode(processes: serde_json::Value) -> crate::Snapshot {
        snapshot(json!({
            "origin": "vscode",
            "host": {"pid": 4242},
            "vscode": {"version": "1.90.0", "trusted": true, "extensions": [{"id": "golang.go", "version": "0.46.1", "active": true}]},
            "processes": processes
        }))
    }

    #[test]
    fn fires_when_no_gopls_descends_from_the_extension_host() {
        let f = run(&GOPLS_NOT_RUNNING, &vscode(json!([])));
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("golang.go 0.46.1"));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunVsCodeCommand { command, .. } if command == "go.languageserver.restart")
        );
        // A gopls of another window does not count.
        let other = json!([{"pid": 7607, "ppid": 7560, "ancestors": [7560, 7521, 7487, 1], "cmdline": ["/home/gopher/go/bin/gopls", "-mode=stdio"]}]);
        let f = run(&GOPLS_NOT_RUNNING, &vscode(other));
        assert_eq!(f.len(), 1);
        assert!(f[0].evidence.iter().any(|e| e.contains("pid 7607")));
    }

    #[test]
    fn passes_when_gopls_runs_or_the_checks_do_not_apply() {
        let ours = json!([{"pid": 7607, "ppid": 4242, "ancestors": [4242, 4000, 1], "cmdline": ["/home/gopher/go/bin/gopls", "-mode=stdio"]}]);
        assert!(run(&GOPLS_NOT_RUNNING, &vscode(ours)).is_empty());
        let grandchild = json!([{"pid": 7607, "ppid": 5000, "ancestors": [5000, 4242, 1], "cmdline": ["gopls"]}]);
        assert!(run(&GOPLS_NOT_RUNNING, &vscode(grandchild)).is_empty());
        // Headless: no VS Code facts; Windows: no process table. Skipped, and said why.
        let mut s = vscode(json!([]));
        s.vscode = None;
        assert!(run(&GOPLS_NOT_RUNNING, &s).is_empty());
        assert_eq!(
            run_status(&GOPLS_NOT_RUNNING, &s).status,
            crate::protocol::CheckStatus::Skipped
        );
        let mut s = vscode(json!([]));
        s.processes = None;
        assert!(run(&GOPLS_NOT_RUNNING, &s).is_empty());
        assert!(run_status(&GOPLS_NOT_RUNNING, &s)
            .reason
            .unwrap_or_default()
            .contains("process table"));
        // Go extension installed but not active.
        let mut s = vscode(json!([]));
        if let Some(v) = s.vscode.as_mut() {
            v.extensions[0].active = false;
        }
        assert!(run(&GOPLS_NOT_RUNNING, &s).is_empty());
        // No Go files.
        let mut s = vscode(json!([]));
        s.workspace.folders[0].go_files.clear();
        assert!(run(&GOPLS_NOT_RUNNING, &s).is_empty());
    }
}
