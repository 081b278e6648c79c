use crate::context::Context;
use crate::declare_rule;
use crate::knowledge::gopls;
use crate::protocol::Applicability;
use crate::rules::common::settings_fix;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Every entry of `go.languageServerFlags` against the flags gopls accepts (golang/tools
    /// `gopls/internal/cmd/cmd.go`, `serve.go`), taking the installed gopls's version into
    /// account for flags that were added or removed (`-ocagent` gone in v0.19.0, `-port` in
    /// v0.22.0). `serve` and values of flags that take one are allowed.
    ///
    /// ## Why it matters
    /// gopls exits with `flag provided but not defined: -memory-limit` and usage, status 2; the
    /// Go extension then says `The extension was unable to start the language server. You may
    /// have an invalid value in your "go.languageServerFlags" setting.` There is no
    /// memory-limit flag at all: people invent it.
    ///
    /// ## Example
    /// ```jsonc
    /// { "go.languageServerFlags": ["-rpc.trace", "--memory-limit=4G"] }
    /// ```
    ///
    /// ## Fix
    /// Remove the flag (safe: gopls cannot start with it). For memory, set `GOMEMLIMIT` instead.
    pub INVALID_GOPLS_FLAG {
        code: "GSD306",
        name: "invalid-gopls-flag",
        category: Settings,
        severity: Error,
        summary: "go.languageServerFlags holds only flags gopls accepts",
        fix: Always,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let gopls_minor = cx.gopls_version().filter(|v| v.major == 0).map(|v| v.minor);
    for layer in &cx.layers {
        let Some(doc) = layer.doc.as_ref() else {
            continue;
        };
        let Some(prop) = doc.prop("go.languageServerFlags") else {
            continue;
        };
        let Some(arr) = prop.value.as_array() else {
            continue;
        };
        let mut skip_next = false;
        for (index, el) in arr.elements.iter().enumerate() {
            let Some(s) = el.as_string_lit() else {
                continue;
            };
            let raw = s.value.as_ref();
            if std::mem::take(&mut skip_next) {
                continue;
            }
            if raw == "serve" || !raw.starts_with('-') {
                continue;
            }
            let body = raw.trim_start_matches('-');
            let (name, has_value) = match body.split_once('=') {
                Some((n, _)) => (n, true),
                None => (body, false),
            };
            let known = gopls::FLAGS.iter().find(|f| f.name == name);
            let problem = match known {
                None => Some(format!("gopls has no flag `-{name}`")),
                Some(f) => match (gopls_minor, f.since_minor, f.removed_minor) {
                    (Some(m), _, Some(r)) if m >= r => Some(format!(
                        "`-{name}` was removed in gopls v0.{r}.0; the installed gopls is v0.{m}"
                    )),
                    (Some(m), Some(s), _) if m < s => Some(format!(
                        "`-{name}` needs gopls v0.{s}.0 or later; the installed gopls is v0.{m}"
                    )),
                    _ => {
                        skip_next = f.takes_value && !has_value;
                        None
                    }
                },
            };
            let Some(problem) = problem else { continue };
            let consequence = format!("gopls exits with `flag provided but not defined: -{name}` and the Go extension cannot start the language server.");
            let message = match gopls::flag_advice(name) {
                Some(advice) => format!("{consequence} {advice}"),
                None => format!("{problem}. {consequence}"),
            };
            let f = out.report(format!("gopls does not accept the flag `{raw}`"), message);
            f.at(Some(doc.location(jsonc_parser::common::Ranged::range(el))));
            f.evidence(format!(
                "{} settings: {}",
                layer.layer.scope.label(),
                crate::text::uri_to_path(&layer.layer.uri)
            ));
            settings_fix(
                f,
                layer,
                doc.remove_array_element(&["go.languageServerFlags"], index),
                format!("Remove `{raw}` from go.languageServerFlags"),
                Applicability::Safe,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_on_invented_flag_and_fix_removes_only_it() {
        let s = with_folder_settings("{\n  // debugging gopls\n  \"go.languageServerFlags\": [\"-rpc.trace\", \"--memory-limit=4G\", \"-logfile\", \"/tmp/gopls.log\"]\n}\n");
        let f = run(&INVALID_GOPLS_FLAG, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("GOMEMLIMIT"));
        let loc = f[0].location.as_ref().unwrap();
        assert_eq!(loc.range.start.line, 2);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        let out = layer_text(&fixed, FOLDER_SETTINGS);
        assert!(out.contains("// debugging gopls"));
        assert_eq!(
            parse_jsonc(out)["go.languageServerFlags"],
            json!(["-rpc.trace", "-logfile", "/tmp/gopls.log"])
        );
        assert!(run(&INVALID_GOPLS_FLAG, &fixed).is_empty());
    }

    #[test]
    fn fires_when_removed_flag_depends_on_installed_version() {
        let s = with_folder_settings("{\"go.languageServerFlags\": [\"-port=8080\"]}");
        // healthy snapshot has gopls v0.20.0: -port still exists there.
        assert!(run(&INVALID_GOPLS_FLAG, &s).is_empty());
        let mut s2 = s.clone();
        s2.tools[0].version.as_mut().unwrap().stdout = "{\"Version\": \"v0.22.0\"}".into();
        assert_eq!(run(&INVALID_GOPLS_FLAG, &s2).len(), 1);
    }

    #[test]
    fn passes_on_valid_flags() {
        let s = with_folder_settings(
            "{\"go.languageServerFlags\": [\"-rpc.trace\", \"serve\", \"--debug=localhost:6060\"]}",
        );
        assert!(run(&INVALID_GOPLS_FLAG, &s).is_empty());
    }
}
