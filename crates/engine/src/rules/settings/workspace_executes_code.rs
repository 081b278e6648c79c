use crate::context::Context;
use crate::declare_rule;
use crate::protocol::Scope;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Workspace-level settings (a `*.code-workspace` or a folder's `.vscode/settings.json`) that make
    /// Go tools run arbitrary programs: `-toolexec` or `-exec` in `go.buildFlags`, `go.testFlags`,
    /// `go.lintFlags`, `go.vetFlags` or gopls `build.buildFlags`; `CC`, `CXX`, `GOFLAGS` with
    /// `-toolexec`, or `PATH` in `go.toolsEnvVars` / gopls `build.env`; binaries in `go.alternateTools`.
    ///
    /// ## Why it matters
    /// Opening the folder runs them: `"go.buildFlags": ["-toolexec=calc.exe"]` ran code even in
    /// Restricted Mode before vscode-go v0.52.0 (golang/vscode-go#3936, CVE-2025-68120). Shown so
    /// you see what opening this folder runs; harmless when you wrote it yourself.
    ///
    /// ## Example
    /// ```jsonc
    /// { "go.buildFlags": ["-toolexec=/tmp/x.sh"] }
    /// ```
    ///
    /// ## Fix
    /// None automatic: the finding points at the setting. Remove it if you did not put it there.
    pub WORKSPACE_EXECUTES_CODE {
        code: "GSD318",
        name: "workspace-executes-code",
        category: Settings,
        severity: Warning,
        summary: "workspace settings do not run extra programs",
        fix: None,
        since: "0.1.0",
    }
}

const FLAG_KEYS: &[&str] = &[
    "go.buildFlags",
    "go.testFlags",
    "go.lintFlags",
    "go.vetFlags",
];
const ENV_VARS: &[&str] = &["CC", "CXX", "PATH", "GOFLAGS", "GOTOOLCHAIN", "GOROOT"];

fn exec_flag(s: &str) -> bool {
    let t = s.trim_start_matches('-');
    t.starts_with("toolexec") || t == "exec" || t.starts_with("exec=")
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    for layer in cx
        .layers
        .iter()
        .filter(|l| matches!(l.layer.scope, Scope::WorkspaceFile | Scope::WorkspaceFolder))
    {
        let Some(doc) = layer.doc.as_ref() else {
            continue;
        };
        let file = crate::text::uri_to_path(&layer.layer.uri);
        let mut hits: Vec<(String, &jsonc_parser::ast::ObjectProp<'_>)> = Vec::new();
        for key in FLAG_KEYS {
            let (Some(prop), Some(v)) = (doc.prop(key), doc.value(key)) else {
                continue;
            };
            for flag in v
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|f| f.as_str())
                .filter(|f| exec_flag(f))
            {
                hits.push((format!("{key} contains `{flag}`"), prop));
            }
        }
        if let (Some(prop), Some(g)) = (doc.prop("gopls"), doc.value("gopls")) {
            for flag in g
                .get("build.buildFlags")
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
                .filter_map(|f| f.as_str())
                .filter(|f| exec_flag(f))
            {
                hits.push((format!("gopls build.buildFlags contains `{flag}`"), prop));
            }
            if let Some(env) = g.get("build.env").and_then(|v| v.as_object()) {
                for var in ENV_VARS.iter().filter(|v| env.contains_key(**v)) {
                    hits.push((
                        format!(
                            "gopls build.env sets {var}={}",
                            env.get(*var).and_then(|v| v.as_str()).unwrap_or("?")
                        ),
                        prop,
                    ));
                }
            }
        }
        if let (Some(prop), Some(env)) = (doc.prop("go.toolsEnvVars"), doc.value("go.toolsEnvVars"))
        {
            for var in ENV_VARS.iter().filter(|v| env.get(**v).is_some()) {
                let value = env.get(*var).and_then(|v| v.as_str()).unwrap_or("?");
                if *var == "GOFLAGS" && !value.split_whitespace().any(exec_flag) {
                    continue;
                }
                hits.push((format!("go.toolsEnvVars sets {var}={value}"), prop));
            }
        }
        if let (Some(prop), Some(alt)) = (
            doc.prop("go.alternateTools"),
            doc.value("go.alternateTools"),
        ) {
            for (tool, path) in alt.as_object().into_iter().flatten() {
                hits.push((
                    format!(
                        "go.alternateTools.{tool} = {}",
                        path.as_str().unwrap_or("?")
                    ),
                    prop,
                ));
            }
        }
        for (what, prop) in hits {
            let f = out.report(
                format!("Workspace settings choose a program to run: {what}"),
                format!("{file}: {what}. Go tools started for this workspace run what it points at. Fine if you put it there; if the folder came from someone else, review it."),
            );
            f.at(Some(doc.name_location(prop)));
            f.evidence(format!("{} settings: {file}", layer.layer.scope.label()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_for_toolexec_and_alternate_tools() {
        let s = with_folder_settings("{\"go.buildFlags\": [\"-toolexec=calc.exe\"], \"go.alternateTools\": {\"go\": \"/tmp/trap\"}, \"go.toolsEnvVars\": {\"GOFLAGS\": \"-mod=mod\"}}");
        let f = run(&WORKSPACE_EXECUTES_CODE, &s);
        assert_eq!(
            f.len(),
            2,
            "{:#?}",
            f.iter().map(|x| &x.title).collect::<Vec<_>>()
        );
        assert!(f[0].fixes.is_empty());
    }

    #[test]
    fn passes_for_user_settings_and_plain_flags() {
        let mut s = snapshot(json!({}));
        s.settings[0].text = Some("{\"go.buildFlags\": [\"-toolexec=x\"]}".into());
        assert!(run(&WORKSPACE_EXECUTES_CODE, &s).is_empty());
        assert!(run(
            &WORKSPACE_EXECUTES_CODE,
            &with_folder_settings("{\"go.buildFlags\": [\"-tags=x\", \"-race\"]}")
        )
        .is_empty());
    }
}
