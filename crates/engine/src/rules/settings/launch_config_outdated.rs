use crate::context::Context;
use crate::declare_rule;
use crate::jsonc::SettingsDoc;
use crate::knowledge::launch as known;
use crate::knowledge::schema::did_you_mean;
use crate::launch::{self, ConfigOp, LaunchFile};
use crate::protocol::{Action, Applicability, Fix};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Go debug configurations (`"type": "go"` in `.vscode/launch.json`, or in the `launch` block
    /// of a `*.code-workspace` or of the user settings.json, VS Code's global launch
    /// configurations) against vscode-go's debugger schema and what its default debug
    /// adapter, dlv-dap, does with them (golang/vscode-go@28e27ffd `extension/package.json`,
    /// `src/goDebugConfiguration.ts`, `docs/debugging.md`):
    /// - `dlvLoadConfig` and `apiVersion`: legacy-adapter only; dlv-dap ignores them (vscode-go
    ///   warns `'dlvLoadConfig' is deprecated with dlv-dap debug adapter.`);
    /// - `remotePath`: deprecated ("Use `substitutePath` instead"), not supported with dlv-dap;
    /// - `"request": "launch"` with `"mode": "remote"`: `Request type of 'launch' with mode
    ///   'remote' is deprecated, please use request type 'attach' with mode 'remote' instead.`;
    /// - `-gcflags` in `buildFlags`: as a string vscode-go drops it (`User specified build flag
    ///   '-gcflags' in 'buildFlags' is being ignored`); as an array (dlv >= v1.22.2) it reaches delve, which puts
    ///   it after its own `-gcflags all=-N -l`, so it switches optimisations back on for the
    ///   packages it matches (go-delve/delve `pkg/gobuild/gobuild.go`); the same in `env.GOFLAGS`
    ///   (`User specified build flag '-gcflags' in 'GOFLAGS' is being ignored`);
    /// - `port` / `host` on a launch or local-attach configuration with dlv-dap: vscode-go then
    ///   connects to an external `dlv dap` server there instead of starting delve;
    /// - attribute names that are a typo of a known one (did you mean).
    ///
    /// The adapter is the configuration's `debugAdapter`, else `go.delveConfig.debugAdapter`,
    /// else dlv-dap; `mode: remote` without either is not judged (vscode-go may pick legacy).
    ///
    /// ## Why it matters
    /// These keys do nothing or something else than the author meant: variables are still
    /// truncated, breakpoints in remote sessions never bind without `substitutePath`, an F5 with
    /// a leftover `port` fails to connect, and a user `-gcflags` makes variables "optimized away".
    ///
    /// ## Example
    /// ```jsonc
    /// { "configurations": [{ "name": "Remote", "type": "go", "request": "launch",
    ///   "mode": "remote", "remotePath": "/app", "port": 2345,
    ///   "dlvLoadConfig": { "maxStringLen": 1000 } }] }
    /// ```
    ///
    /// ## Fix
    /// An edit of that configuration only (comments and other keys stay): remove `dlvLoadConfig` /
    /// `apiVersion` (safe: no effect under dlv-dap); `remotePath` becomes `substitutePath`
    /// `[{"from": <cwd or ${workspaceFolder}>, "to": <remotePath>}]` (review); `request` becomes
    /// `attach` (review); `-gcflags` is removed from `buildFlags` (review); `port`/`host` are
    /// removed (review: keep them if you do start `dlv dap --listen`); a typo is renamed (safe).
    pub LAUNCH_CONFIG_OUTDATED {
        code: "GSD317",
        name: "launch-config-outdated",
        category: Settings,
        severity: Warning,
        summary: "Go debug configurations use attributes the debugger honours",
        fix: Sometimes,
        since: "0.1.0",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Adapter {
    DlvDap,
    Legacy,
    /// `mode: remote` without an explicit adapter: vscode-go decides at run time.
    Unknown,
}

fn adapter(cx: &Context<'_>, cfg: &jsonc_parser::ast::Object<'_>) -> (Adapter, &'static str) {
    let explicit = launch::string(cfg, "debugAdapter");
    let from_settings = || {
        cx.effective("go.delveConfig")
            .and_then(|(v, _)| v.get("debugAdapter")?.as_str().map(str::to_string))
    };
    let (value, why) = match explicit {
        Some(v) => (Some(v), "its `debugAdapter`"),
        None => match from_settings() {
            Some(v) => (Some(v), "`go.delveConfig.debugAdapter`"),
            None => (None, "vscode-go's default"),
        },
    };
    match value.as_deref() {
        Some("legacy") => (Adapter::Legacy, why),
        Some(_) => (Adapter::DlvDap, why),
        None if launch::string(cfg, "mode").as_deref() == Some("remote") => (Adapter::Unknown, why),
        None => (Adapter::DlvDap, why),
    }
}

/// `flags` without every `-gcflags` flag and its value, the way vscode-go's `removeGcflags` does
/// (`-gcflags=...` or `-gcflags ...`, values with quoted parts). `None` if there is none.
pub(crate) fn strip_gcflags(flags: &str) -> Option<String> {
    let chars: Vec<char> = flags.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut removed = false;
    while i < chars.len() {
        let at_start = i == 0 || chars.get(i - 1).is_some_and(|c| c.is_whitespace());
        let rest: String = chars.get(i..i + 9).unwrap_or_default().iter().collect();
        if at_start && (rest == "-gcflags=" || rest == "-gcflags ") {
            let mut j = i + 9;
            let mut quote: Option<char> = None;
            while let Some(&c) = chars.get(j) {
                match quote {
                    Some(q) if c == q => quote = None,
                    Some(_) => {}
                    None if c == '\'' || c == '"' => quote = Some(c),
                    None if c.is_whitespace() => break,
                    None => {}
                }
                j += 1;
            }
            // Drop the whitespace before the flag too (or after it, at the start).
            if out.ends_with(char::is_whitespace) {
                out.truncate(out.trim_end().len());
            } else {
                while chars.get(j).is_some_and(|c| c.is_whitespace()) {
                    j += 1;
                }
            }
            i = j;
            removed = true;
            continue;
        }
        if let Some(&c) = chars.get(i) {
            out.push(c);
        }
        i += 1;
    }
    removed.then_some(out)
}

fn is_gcflags(arg: &str) -> bool {
    arg == "-gcflags"
        || arg == "--gcflags"
        || arg.starts_with("-gcflags=")
        || arg.starts_with("--gcflags=")
}

struct Ctx<'r, 'a, 'd> {
    out: &'r mut Sink,
    file: &'r LaunchFile<'a>,
    doc: &'r SettingsDoc<'d>,
    /// The file as shown to the user (home as `~`).
    shown: String,
}

impl Ctx<'_, '_, '_> {
    #[allow(clippy::too_many_arguments)]
    fn report(
        &mut self,
        index: usize,
        cfg: &jsonc_parser::ast::Object<'_>,
        key: &str,
        title: String,
        message: String,
        fix: Option<(String, Applicability, Vec<ConfigOp<'_>>)>,
    ) {
        let name = launch::string(cfg, "name").unwrap_or_else(|| format!("#{}", index + 1));
        let loc = launch::prop(cfg, key).map(|p| self.doc.name_location(p));
        let f = self.out.report(title, message);
        f.at(loc);
        f.evidence(format!("configuration \"{name}\" in {}", self.shown));
        f.evidence(format!("source: {}", known::SOURCE));
        if let Some((title, applicability, ops)) = fix {
            if let Some(edit) =
                launch::edit_config(self.doc, self.file.under_launch_key, index, &ops)
            {
                f.fix(Fix {
                    title,
                    applicability,
                    actions: vec![Action::EditFile {
                        uri: self.file.uri.clone(),
                        edits: vec![edit],
                    }],
                });
            }
        }
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    for file in launch::launch_files(cx) {
        let doc = SettingsDoc::parse(&file.uri, file.text, false);
        let mut r = Ctx {
            out: &mut *out,
            file: &file,
            doc: &doc,
            shown: cx.tilde(&file.label()),
        };
        for (index, cfg) in launch::configurations(&doc, file.under_launch_key) {
            if !launch::is_go(cfg) {
                continue;
            }
            check_config(cx, &mut r, index, cfg);
        }
    }
}

fn check_config(
    cx: &Context<'_>,
    r: &mut Ctx<'_, '_, '_>,
    index: usize,
    cfg: &jsonc_parser::ast::Object<'_>,
) {
    let (adapter, why) = adapter(cx, cfg);
    let request = launch::string(cfg, "request").unwrap_or_default();
    let mode = launch::string(cfg, "mode").unwrap_or_default();
    let has = |k: &str| launch::prop(cfg, k).is_some();
    let dap = adapter == Adapter::DlvDap;

    for key in ["dlvLoadConfig", "apiVersion"] {
        if dap && has(key) {
            let what = if key == "dlvLoadConfig" {
                "vscode-go warns \"'dlvLoadConfig' is deprecated with dlv-dap debug adapter.\": dlv-dap loads composite data on demand and shows strings up to 4096 bytes on hover, in the Debug Console and with Copy Value"
            } else {
                "it selects the legacy adapter's JSON-RPC API version (\"Not applicable when using `dlv-dap` mode\")"
            };
            r.report(
                index,
                cfg,
                key,
                format!("`{key}` has no effect with the dlv-dap debug adapter"),
                format!("This configuration uses dlv-dap ({why}), which ignores `{key}`: {what}."),
                Some((
                    format!("Remove `{key}`"),
                    Applicability::Safe,
                    vec![ConfigOp::Remove(key)],
                )),
            );
        }
    }

    if has("remotePath") {
        let remote = launch::string(cfg, "remotePath").unwrap_or_default();
        let from = launch::string(cfg, "cwd").unwrap_or_else(|| "${workspaceFolder}".into());
        let effect = match adapter {
            Adapter::DlvDap => "dlv-dap ignores it, so breakpoints set in the editor do not bind in the remote binary",
            Adapter::Legacy => "the legacy adapter this configuration selects still reads it, but dlv-dap, vscode-go's default, does not",
            Adapter::Unknown => "only the legacy adapter reads it; vscode-go uses dlv-dap for remote attach whenever `dlv substitute-path-guess-helper` works, and dlv-dap ignores it",
        };
        let fix = (!has("substitutePath") && !remote.is_empty()).then(|| {
            (
                format!("Replace `remotePath` with `substitutePath` [{{\"from\": \"{from}\", \"to\": \"{remote}\"}}]"),
                Applicability::Unsafe,
                vec![
                    ConfigOp::Remove("remotePath"),
                    ConfigOp::Set("substitutePath", serde_json::json!([{"from": from, "to": remote}])),
                ],
            )
        });
        r.report(
            index,
            cfg,
            "remotePath",
            "`remotePath` is deprecated: use `substitutePath`".into(),
            format!("vscode-go deprecated `remotePath` (\"Use `substitutePath` instead.\"; \"Not supported with `dlv-dap`\"): {effect}."),
            fix,
        );
    }

    if request == "launch" && mode == "remote" {
        r.report(
            index,
            cfg,
            "request",
            "`\"request\": \"launch\"` with `\"mode\": \"remote\"` is deprecated".into(),
            "vscode-go says \"Request type of 'launch' with mode 'remote' is deprecated, please use request type 'attach' with mode 'remote' instead.\" (`launch` does not even list `remote` among its modes).".into(),
            Some((
                "Set `\"request\": \"attach\"`".into(),
                Applicability::Unsafe,
                vec![ConfigOp::Set("request", serde_json::json!("attach"))],
            )),
        );
    }

    if let Some(p) = launch::prop(cfg, "buildFlags") {
        let value: serde_json::Value = p.value.clone().into();
        match &value {
            serde_json::Value::String(s) => {
                if let Some(stripped) = strip_gcflags(s) {
                    r.report(
                        index,
                        cfg,
                        "buildFlags",
                        "`-gcflags` in `buildFlags` is ignored".into(),
                        format!("`buildFlags` is \"{s}\": vscode-go removes `-gcflags` from it and says \"User specified build flag '-gcflags' in 'buildFlags' is being ignored\"; delve builds with `-gcflags all=-N -l` itself so that variables and lines are not optimized away."),
                        Some((
                            format!("Set `buildFlags` to \"{stripped}\""),
                            Applicability::Unsafe,
                            vec![ConfigOp::Set("buildFlags", serde_json::json!(stripped))],
                        )),
                    );
                }
            }
            serde_json::Value::Array(items) => {
                let strs: Vec<&str> = items.iter().filter_map(|v| v.as_str()).collect();
                if strs.len() == items.len() {
                    let mut kept = Vec::new();
                    let mut found = Vec::new();
                    let mut skip_next = false;
                    for a in &strs {
                        if skip_next {
                            skip_next = false;
                            found.push(*a);
                            continue;
                        }
                        if is_gcflags(a) {
                            found.push(*a);
                            skip_next = !a.contains('=');
                            continue;
                        }
                        kept.push(*a);
                    }
                    // `-gcflags=all=-N -l` restates what delve passes: harmless.
                    let harmless = found
                        .iter()
                        .filter(|a| !a.starts_with('-') || a.contains('='))
                        .all(|a| {
                            let words: Vec<&str> = a.split(['=', ' ', '\'', '"']).collect();
                            words.contains(&"-N") && words.contains(&"-l")
                        });
                    if !found.is_empty() && !harmless {
                        r.report(
                            index,
                            cfg,
                            "buildFlags",
                            "`-gcflags` in `buildFlags` overrides the debugger's".into(),
                            format!("`buildFlags` has {}: delve builds with `-gcflags all=-N -l` and appends your build flags after it, so your `-gcflags` wins for the packages it matches and their variables and lines are optimized away (with a dlv older than v1.22.2, vscode-go joins the array into one string and drops `-gcflags` instead: `maybeJoinFlags`).", found.join(" ")),
                            Some((
                                "Remove `-gcflags` from `buildFlags`".into(),
                                Applicability::Unsafe,
                                vec![ConfigOp::Set("buildFlags", serde_json::json!(kept))],
                            )),
                        );
                    }
                }
            }
            _ => {}
        }
    }

    if let Some(env_prop) = launch::prop(cfg, "env") {
        let env: serde_json::Value = env_prop.value.clone().into();
        if let Some((goflags, stripped)) = env
            .get("GOFLAGS")
            .and_then(|v| v.as_str())
            .and_then(|g| Some((g.to_string(), strip_gcflags(g)?)))
        {
            use jsonc_parser::common::Ranged;
            let range = env_prop.value.range();
            let body = r.doc.text.get(range.start..range.end).unwrap_or("");
            let fix = (!body.contains("//") && !body.contains("/*")).then(|| {
                let mut new_env = env.clone();
                if let Some(obj) = new_env.as_object_mut() {
                    obj.insert("GOFLAGS".into(), serde_json::json!(stripped.trim()));
                }
                (
                    format!(
                        "Remove `-gcflags` from `env.GOFLAGS` (\"{}\")",
                        stripped.trim()
                    ),
                    Applicability::Unsafe,
                    vec![ConfigOp::Set("env", new_env)],
                )
            });
            r.report(
                index,
                cfg,
                "env",
                "`-gcflags` in `env.GOFLAGS` is ignored".into(),
                format!("`env.GOFLAGS` is \"{goflags}\": vscode-go removes `-gcflags` from it and says \"User specified build flag '-gcflags' in 'GOFLAGS' is being ignored\"; delve builds with `-gcflags all=-N -l` itself."),
                fix,
            );
        }
    }

    let remote = mode == "remote";
    if dap && !remote && has("port") && !has("debugServer") {
        let host = launch::string(cfg, "host").unwrap_or_else(|| "127.0.0.1".into());
        let port = launch::prop(cfg, "port")
            .map(|p| serde_json::Value::from(p.value.clone()).to_string())
            .unwrap_or_default();
        let mut ops = vec![ConfigOp::Remove("port")];
        if has("host") {
            ops.push(ConfigOp::Remove("host"));
        }
        r.report(
            index,
            cfg,
            "port",
            format!("`port` makes this {request} connect to a `dlv dap` server at {host}:{port}"),
            format!("With dlv-dap ({why}), `port` on a `{request}` configuration means \"connect to an external `dlv dap --listen={host}:{port}` server\" instead of starting delve; vscode-go warns \"Remove 'host' and 'port' from your launch.json if you have not launched a 'dlv dap' server.\" Without such a server the session fails to connect."),
            Some(("Remove `port` and `host`".into(), Applicability::Unsafe, ops)),
        );
    }

    let known: &[&str] = if request == "attach" {
        known::ATTACH_ATTRIBUTES
    } else {
        known::LAUNCH_ATTRIBUTES
    };
    for p in &cfg.properties {
        let key = p.name.as_str();
        if known.contains(&key) || known::COMMON_ATTRIBUTES.contains(&key) {
            continue;
        }
        let candidates = known.iter().chain(known::COMMON_ATTRIBUTES.iter()).copied();
        let Some(suggestion) = did_you_mean(key, candidates) else {
            continue;
        };
        r.report(
            index,
            cfg,
            key,
            format!("Unknown debug attribute `{key}`: did you mean `{suggestion}`?"),
            format!("vscode-go's `{request}` configurations have no attribute `{key}`, so it is ignored. Did you mean `{suggestion}`?"),
            Some((format!("Rename to `{suggestion}`"), Applicability::Safe, vec![ConfigOp::Rename(key, suggestion)])),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    fn findings(launch: &str) -> (crate::Snapshot, Vec<crate::Finding>) {
        let s = with_launch_json(launch);
        let f = run(&LAUNCH_CONFIG_OUTDATED, &s);
        (s, f)
    }

    /// Apply the first fix of the first finding until none is left; the final launch.json.
    fn fix_all(mut s: crate::Snapshot) -> String {
        for _ in 0..10 {
            let f = run(&LAUNCH_CONFIG_OUTDATED, &s);
            let Some(fix) = f.first().and_then(|f| f.fixes.first()) else {
                break;
            };
            s = apply_fix(&s, fix);
        }
        assert!(run(&LAUNCH_CONFIG_OUTDATED, &s).is_empty());
        launch_text(&s).to_string()
    }

    #[test]
    fn fires_for_a_legacy_remote_configuration_and_fixes_it() {
        let text = "{\n  \"version\": \"0.2.0\",\n  \"configurations\": [\n    {\n      \"name\": \"Remote\", // the server\n      \"type\": \"go\",\n      \"request\": \"launch\",\n      \"mode\": \"remote\",\n      \"debugAdapter\": \"dlv-dap\",\n      \"remotePath\": \"/app\",\n      \"port\": 2345,\n      \"dlvLoadConfig\": {\"maxStringLen\": 1000}\n    }\n  ]\n}\n";
        let (s, f) = findings(text);
        let titles: Vec<&str> = f.iter().map(|x| x.title.as_str()).collect();
        assert_eq!(f.len(), 3, "{titles:#?}");
        let load = f
            .iter()
            .find(|x| x.title.contains("dlvLoadConfig"))
            .unwrap();
        assert!(load
            .message
            .contains("'dlvLoadConfig' is deprecated with dlv-dap debug adapter."));
        let loc = load.location.as_ref().unwrap();
        assert!(loc.uri.ends_with("/.vscode/launch.json"));
        assert_eq!(loc.range.start.line, 11);
        assert!(load
            .evidence
            .iter()
            .any(|e| e.contains("configuration \"Remote\"")));
        let req = f.iter().find(|x| x.title.contains("request")).unwrap();
        assert!(req
            .message
            .contains("Request type of 'launch' with mode 'remote' is deprecated"));
        let out = fix_all(s);
        assert!(out.contains("// the server"), "{out}");
        assert_eq!(
            parse_jsonc(&out)["configurations"][0],
            json!({"name": "Remote", "type": "go", "request": "attach", "mode": "remote",
                   "debugAdapter": "dlv-dap", "port": 2345,
                   "substitutePath": [{"from": "${workspaceFolder}", "to": "/app"}]})
        );
    }

    #[test]
    fn fires_for_gcflags_port_and_typos() {
        let text = r#"{"configurations": [
  {"name": "str", "type": "go", "request": "launch", "mode": "debug", "program": "${workspaceFolder}",
   "buildFlags": "-tags=dev -gcflags='all=-N -l' -race", "port": 2345, "host": "127.0.0.1"},
  {"name": "arr", "type": "go", "request": "launch", "program": ".", "stopOnEntyr": true,
   "buildFlags": ["-gcflags", "all=-l", "-tags=x"], "showGlobalVariable": true}
]}"#;
        let (s, f) = findings(text);
        let titles: Vec<&str> = f.iter().map(|x| x.title.as_str()).collect();
        assert_eq!(f.len(), 5, "{titles:#?}");
        assert!(
            titles.contains(&"Unknown debug attribute `stopOnEntyr`: did you mean `stopOnEntry`?")
        );
        assert!(titles.contains(
            &"Unknown debug attribute `showGlobalVariable`: did you mean `showGlobalVariables`?"
        ));
        let port = f.iter().find(|x| x.title.contains("port")).unwrap();
        assert!(port.title.contains("127.0.0.1:2345"), "{}", port.title);
        let out = fix_all(s);
        let v = parse_jsonc(&out);
        assert_eq!(
            v["configurations"][0]["buildFlags"],
            json!("-tags=dev -race")
        );
        assert!(v["configurations"][0].get("port").is_none());
        assert_eq!(v["configurations"][1]["buildFlags"], json!(["-tags=x"]));
        assert_eq!(v["configurations"][1]["showGlobalVariables"], json!(true));
        assert_eq!(v["configurations"][1]["stopOnEntry"], json!(true));
        // A rename onto a key that is already there is not offered.
        let (_, f) = findings(
            r#"{"configurations": [{"type": "go", "request": "launch", "buildflags": "-v", "buildFlags": "-race"}]}"#,
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].fixes.is_empty());
        // An array -gcflags that restates delve's own `all=-N -l` is harmless; one without -N is not.
        let (_, f) = findings(
            r#"{"configurations": [{"type": "go", "request": "launch", "buildFlags": ["-gcflags=all=-N -l"]},
            {"type": "go", "request": "launch", "buildFlags": ["-gcflags", "all=-N -l -m"]},
            {"type": "go", "request": "launch", "buildFlags": ["-gcflags=-l"]}]}"#,
        );
        assert_eq!(
            f.len(),
            1,
            "{:#?}",
            f.iter().map(|x| &x.message).collect::<Vec<_>>()
        );
        assert!(f[0].message.contains("`buildFlags` has -gcflags=-l"));
    }

    #[test]
    fn fires_for_gcflags_in_env_goflags() {
        let text = r#"{"configurations": [{"name": "e", "type": "go", "request": "launch", "env": {"GOFLAGS": "-mod=mod -gcflags=all=-l", "X": "1"}}]}"#;
        let (s, f) = findings(text);
        assert_eq!(f.len(), 1);
        assert!(f[0]
            .message
            .contains("User specified build flag '-gcflags' in 'GOFLAGS' is being ignored"));
        let out = fix_all(s);
        assert_eq!(
            parse_jsonc(&out)["configurations"][0]["env"],
            json!({"GOFLAGS": "-mod=mod", "X": "1"})
        );
        // A comment inside env: no edit rather than losing it.
        let (_, f) = findings(
            r#"{"configurations": [{"type": "go", "request": "launch", "env": {"GOFLAGS": "-gcflags=-N", // why
        }}]}"#,
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].fixes.is_empty());
    }

    #[test]
    fn fires_in_a_workspace_file_launch_block() {
        let mut s = with_launch_json("");
        s.workspace.folders[0].launch_json = None;
        s.settings.push(crate::SettingsLayer {
            scope: crate::Scope::WorkspaceFile,
            uri: "file:///home/gopher/src/hello.code-workspace".into(),
            text: Some("{\"folders\": [{\"path\": \"hello\"}], \"launch\": {\"configurations\": [{\"type\": \"go\", \"request\": \"attach\", \"mode\": \"local\", \"apiVersion\": 2}]}}".into()),
            ..Default::default()
        });
        let f = run(&LAUNCH_CONFIG_OUTDATED, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0]
            .location
            .as_ref()
            .unwrap()
            .uri
            .ends_with(".code-workspace"));
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        assert!(run(&LAUNCH_CONFIG_OUTDATED, &fixed).is_empty());
    }

    #[test]
    fn fires_in_the_user_settings_launch_block_and_keeps_the_rest() {
        // VS Code's global launch configurations (a `launch` block in the user settings.json),
        // offered in every window.
        // The healthy snapshot's folder has no launch.json.
        let s = with_user_settings(
            "{\n  \"editor.tabSize\": 4,\n  // my global debug setups\n  \"launch\": {\n    \"configurations\": [\n      {\"name\": \"Any file\", \"type\": \"go\", \"request\": \"launch\", \"mode\": \"debug\", \"program\": \"${file}\",\n       \"dlvLoadConfig\": {\"maxStringLen\": 400}}\n    ]\n  }\n}\n",
        );
        assert!(s.workspace.folders[0].launch_json.is_none());
        let f = run(&LAUNCH_CONFIG_OUTDATED, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(
            f[0].location.as_ref().map(|l| l.uri.as_str()),
            Some(USER_SETTINGS)
        );
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        assert!(run(&LAUNCH_CONFIG_OUTDATED, &fixed).is_empty());
        let text = layer_text(&fixed, USER_SETTINGS);
        assert!(text.contains("// my global debug setups"), "{text}");
        let v = parse_jsonc(text);
        assert_eq!(v["editor.tabSize"], 4);
        assert_eq!(v["launch"]["configurations"][0]["program"], "${file}");
        assert!(v["launch"]["configurations"][0]
            .get("dlvLoadConfig")
            .is_none());
        // A user settings.json without a launch block: nothing to check there.
        assert!(run(&LAUNCH_CONFIG_OUTDATED, &snapshot(json!({}))).is_empty());
    }

    #[test]
    fn strip_gcflags_like_vscode_go() {
        assert_eq!(
            strip_gcflags("-gcflags=all=-N -race").as_deref(),
            Some("-race")
        );
        assert_eq!(
            strip_gcflags("-race -gcflags \"all=-N -l\"").as_deref(),
            Some("-race")
        );
        assert_eq!(strip_gcflags("-tags=x"), None);
        assert_eq!(
            strip_gcflags("--gcflags=x"),
            None,
            "vscode-go's regexp needs a single dash"
        );
    }

    #[test]
    fn passes_for_current_legacy_and_other_configurations() {
        let text = r#"{"configurations": [
  {"name": "ok", "type": "go", "request": "launch", "mode": "auto", "program": "${fileDirname}", "buildFlags": "-tags=dev"},
  {"name": "legacy", "type": "go", "request": "launch", "debugAdapter": "legacy", "dlvLoadConfig": {}, "apiVersion": 2, "port": 2345},
  {"name": "remote", "type": "go", "request": "attach", "mode": "remote", "port": 2345, "dlvLoadConfig": {}},
  {"name": "node", "type": "node", "request": "launch", "remotePath": "/x", "buildflags": 1}
]}"#;
        let (_, f) = findings(text);
        assert!(
            f.is_empty(),
            "{:#?}",
            f.iter().map(|x| &x.title).collect::<Vec<_>>()
        );
        // go.delveConfig.debugAdapter = legacy in user settings makes the legacy keys fine too.
        let mut s = with_launch_json(
            r#"{"configurations": [{"type": "go", "request": "launch", "dlvLoadConfig": {}}]}"#,
        );
        s.settings[0].text = Some(r#"{"go.delveConfig": {"debugAdapter": "legacy"}}"#.into());
        assert!(run(&LAUNCH_CONFIG_OUTDATED, &s).is_empty());
        // Broken input never crashes.
        for bad in [
            "",
            "[]",
            "{\"configurations\": 3}",
            "{\"configurations\": [1, {\"type\": \"go\"}]",
            "{\"configurations\": [{\"type\": \"go\", \"buildFlags\": [1]}]}",
        ] {
            let _ = findings(bad);
        }
    }
}
