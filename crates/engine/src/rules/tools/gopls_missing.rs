use crate::context::Context;
use crate::declare_rule;
use crate::knowledge::gopls;
use crate::rules::common::install_gopls;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// That a `gopls` binary is found while the language server is enabled
    /// (`go.useLanguageServer` is not `false`). The lookup follows vscode-go's order:
    /// `go.alternateTools.gopls`, `GOBIN`, `go.toolsGopath/bin`, each `GOPATH/bin`, `GOROOT/bin`,
    /// then `PATH` (vscode-go `util.ts` `getBinPathWithExplanation`).
    ///
    /// ## Why it matters
    /// Without gopls there is no completion, no go-to-definition, no diagnostics: since vscode-go
    /// v0.40.0 the legacy providers are gone (vscode-go CHANGELOG v0.40.0).
    ///
    /// ## Example
    /// `go install` put gopls in `~/go/bin`, which is not on the extension host's PATH and
    /// GOPATH points elsewhere.
    ///
    /// ## Fix
    /// Install a gopls that works with the local Go: `go install golang.org/x/tools/gopls@vX`,
    /// pinned from gopls's support table (go<1.19 → v0.14.2, go<1.21 → v0.15.3 as vscode-go pins;
    /// newer Go gets the newest release it can build without a toolchain download).
    pub GOPLS_MISSING {
        code: "GSD201",
        name: "gopls-missing",
        category: Tools,
        severity: Error,
        summary: "gopls is installed",
        fix: Sometimes,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if !cx.language_server_enabled() {
        return;
    }
    if let Some(reason) = cx.skipped("tools") {
        out.skip(reason);
        return;
    }
    let Some(tool) = cx.tool("gopls") else { return };
    if tool.path.is_some() {
        return;
    }
    let unusable = tool.unusable.clone().unwrap_or_default();
    let mut message = "The Go language server is enabled, but no gopls binary was found, so completion, navigation and diagnostics do not work.".to_string();
    for (path, what) in &unusable {
        message.push_str(&format!(
            " {} is {what}: the Go extension skips it.",
            cx.tilde(path)
        ));
    }
    let f = out.report("gopls is not installed", message);
    for s in &tool.searched {
        match unusable.get(s) {
            Some(what) => f.evidence(format!("cannot run: {} ({what})", cx.tilde(s))),
            None => f.evidence(format!("not found: {}", cx.tilde(s))),
        };
    }
    let Some(go) = cx.go_version() else { return };
    let version = gopls::install_version_for(go.minor());
    let title = format!("Install gopls {version} (works with {})", go.display());
    if let Some(fix) = install_gopls(cx, version, title) {
        f.fix(fix);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Action;
    use crate::testing::*;
    use serde_json::json;

    fn no_gopls(extra: serde_json::Value) -> crate::Snapshot {
        let mut v = json!({"tools": [{"name": "gopls", "searched": ["/home/gopher/go/bin/gopls", "/usr/bin/gopls"]}]});
        merge(&mut v, extra);
        snapshot(v)
    }

    #[test]
    fn fires_with_pinned_install_command() {
        let f = run(&GOPLS_MISSING, &no_gopls(json!({})));
        assert_eq!(f.len(), 1);
        assert!(f[0]
            .evidence
            .contains(&"not found: ~/go/bin/gopls".to_string()));
        match &f[0].fixes[0].actions[0] {
            Action::RunShell { command, .. } => assert_eq!(
                command,
                "/usr/lib/go-1.24/bin/go install golang.org/x/tools/gopls@v0.20.0"
            ),
            a => panic!("unexpected {a:?}"),
        }
    }

    /// Hostile input: a gopls without the execute bit, a directory named gopls.
    #[test]
    fn names_what_is_there_but_cannot_run() {
        let s = no_gopls(json!({"tools": [{"name": "gopls",
            "searched": ["/home/gopher/go/bin/gopls", "/usr/bin/gopls"],
            "unusable": {"/home/gopher/go/bin/gopls": "a file without execute permission (mode 0644)"}}]}));
        let f = run(&GOPLS_MISSING, &s);
        assert!(f[0].message.contains(
            "~/go/bin/gopls is a file without execute permission (mode 0644): the Go extension skips it."
        ));
        assert_eq!(
            f[0].evidence,
            [
                "cannot run: ~/go/bin/gopls (a file without execute permission (mode 0644))",
                "not found: /usr/bin/gopls"
            ]
        );
    }

    #[test]
    fn pins_old_gopls_for_old_go() {
        let s = no_gopls(
            json!({"go": {"version": run_ok(&[GO_BIN, "version"], "go version go1.19.8 linux/amd64\n")}}),
        );
        let f = run(&GOPLS_MISSING, &s);
        assert!(f[0].fixes[0].title.contains("v0.15.3"));
    }

    #[test]
    fn passes_when_found_or_language_server_off() {
        assert!(run(&GOPLS_MISSING, &snapshot(json!({}))).is_empty());
        let mut s = no_gopls(json!({}));
        s.settings[0].text = Some("{\"go.useLanguageServer\": false}".into());
        assert!(run(&GOPLS_MISSING, &s).is_empty());
    }
}
