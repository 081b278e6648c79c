use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Finding, Fix, Scope};
use crate::rules::common::settings_fix;
use crate::rules::host::{self, format_kib};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// The resident memory of every running gopls process (Linux: `VmRSS` of
    /// `/proc/<pid>/status`; macOS: `ps -o rss`) against 4 GiB, with the workspace size (directories,
    /// files, nested modules) as evidence.
    ///
    /// ## Why it matters
    /// gopls keeps type information for every package of the workspace in memory; in large
    /// workspaces it grows to many gigabytes ("gopls process use all memory (24Gb)",
    /// golang/go#45404; 5 GB for a project with 3500 Go files, golang/go#54268) and the machine
    /// starts swapping or gopls is killed. `build.directoryFilters` keeps directories you don't
    /// work on (generated code, vendored trees, other teams' modules) out of the workspace.
    ///
    /// ## Example
    /// A gopls with a resident size of 24 GiB in a monorepo.
    ///
    /// ## Fix
    /// Add `"gopls": {"build.directoryFilters": ["-**/node_modules", "-<big dir>"]}` to the folder's
    /// `.vscode/settings.json` (the edit adds the key with gopls's default entry, to be extended with
    /// the directories you don't work on), then restart the language server.
    pub GOPLS_HEAVY {
        code: "GSD802",
        name: "gopls-heavy",
        category: LanguageServer,
        severity: Warning,
        summary: "gopls memory use is moderate",
        fix: Always,
        since: "0.1.0",
    }
}

const THRESHOLD_KIB: u64 = 4 * 1024 * 1024;
const DEFAULT_FILTER: &str = "-**/node_modules";

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let Some(processes) = &cx.snapshot.processes else {
        return;
    };
    for p in processes {
        let Some(rss) = p.rss_kib.filter(|r| *r > THRESHOLD_KIB) else {
            continue;
        };
        let size = host::workspace_size(cx);
        let nested: usize = cx
            .snapshot
            .workspace
            .folders
            .iter()
            .map(|f| f.nested_modules.len())
            .sum();
        let f = out.report(
            "gopls uses a lot of memory",
            format!(
                "{} uses {} of memory (resident). The workspace has {}{}. gopls holds every package of the workspace in memory; build.directoryFilters keeps the directories you don't work on out of it.",
                host::process_label(p),
                format_kib(rss),
                size.describe(),
                if nested > 0 { format!(" in {} nested modules", nested + 1) } else { String::new() }
            ),
        );
        f.evidence(format!(
            "pid {}: VmRSS {rss} kB ({})",
            p.pid,
            format_kib(rss)
        ));
        if !p.cmdline.is_empty() {
            f.evidence(format!("command: {}", p.cmdline.join(" ")));
        }
        for folder in &cx.snapshot.workspace.folders {
            f.evidence(format!(
                "{}: {}{} files, {} directories, {} nested modules",
                cx.tilde(&folder.path),
                if folder.walk_capped { "at least " } else { "" },
                folder.files_visited,
                folder
                    .dirs_visited
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "?".into()),
                folder.nested_modules.len()
            ));
        }
        directory_filters_fix(cx, f);
        f.fix(Fix {
            title:
                "Restart the language server to release its memory (Go: Restart Language Server)"
                    .into(),
            applicability: Applicability::Safe,
            actions: vec![Action::RunVsCodeCommand {
                command: "go.languageserver.restart".into(),
                args: vec![],
            }],
        });
    }
}

/// Add `-**/node_modules` to `gopls.build.directoryFilters` in the folder's settings (else the
/// user's), keeping the filters already there.
pub(crate) fn directory_filters_fix(cx: &Context<'_>, f: &mut Finding) {
    let layer = cx
        .layers
        .iter()
        .rev()
        .find(|l| l.layer.scope == Scope::WorkspaceFolder && l.doc.is_some())
        .or_else(|| {
            cx.layers
                .iter()
                .rev()
                .find(|l| l.layer.scope == Scope::User && l.doc.is_some())
        });
    let Some(l) = layer else { return };
    let current: Vec<serde_json::Value> = cx
        .effective("gopls")
        .and_then(|(v, _)| v.get("build.directoryFilters").cloned())
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default();
    if current.iter().any(|v| v.as_str() == Some(DEFAULT_FILTER)) {
        return; // already filtered: the user has to name the big directories
    }
    let mut filters = current;
    filters.push(serde_json::Value::String(DEFAULT_FILTER.into()));
    let edit = l.doc.as_ref().and_then(|d| {
        d.set(
            &["gopls", "build.directoryFilters"],
            &serde_json::Value::Array(filters),
        )
    });
    settings_fix(
        f,
        l,
        edit,
        format!(
            "Add gopls build.directoryFilters to {} settings, then add \"-<dir>\" for each directory you don't work on",
            l.layer.scope.label()
        ),
        Applicability::Unsafe,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_from_the_recorded_24g_report_and_the_edit_adds_directory_filters() {
        let s = crate::parse_snapshot(include_str!(
            "../../../../../tests/fixtures/snapshots/linux-gopls-24g.json"
        ))
        .unwrap();
        let f = run(&GOPLS_HEAVY, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].message.contains("uses 24.0 GiB"), "{}", f[0].message);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        let uri = &s
            .settings
            .iter()
            .find(|l| l.scope == Scope::User)
            .unwrap()
            .uri;
        assert_eq!(
            parse_jsonc(layer_text(&fixed, uri))["gopls"]["build.directoryFilters"],
            json!(["-**/node_modules"])
        );
        assert!(
            matches!(&f[0].fixes[1].actions[0], Action::RunVsCodeCommand { command, .. } if command == "go.languageserver.restart")
        );
    }

    #[test]
    fn fires_and_keeps_existing_filters_in_folder_settings() {
        let mut s = with_folder_settings(
            "{\n  // team\n  \"gopls\": {\"build.directoryFilters\": [\"-third_party\"]}\n}\n",
        );
        s.processes = Some(vec![crate::protocol::ProcessInfo {
            pid: 99,
            rss_kib: Some(6 * 1024 * 1024),
            cmdline: vec!["gopls".into(), "-mode=stdio".into()],
            ..Default::default()
        }]);
        let f = run(&GOPLS_HEAVY, &s);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        let text = layer_text(&fixed, FOLDER_SETTINGS);
        assert!(text.contains("// team"));
        assert_eq!(
            parse_jsonc(text)["gopls"]["build.directoryFilters"],
            json!(["-third_party", "-**/node_modules"])
        );
    }

    #[test]
    fn passes_below_the_threshold_from_a_recorded_process_table() {
        // golang/vscode-go#1859: gopls at 1720 MB on a 16 GB Mac.
        let s = snapshot(
            json!({"processes": [{"pid": 7607, "ppid": 7560, "ancestors": [7560], "rssKib": 1720 * 1024,
            "cmdline": ["/Users/ptrinh/gopath/bin/gopls", "-mode=stdio"]}]}),
        );
        assert!(run(&GOPLS_HEAVY, &s).is_empty());
        assert!(run(&GOPLS_HEAVY, &snapshot(json!({}))).is_empty());
    }
}
