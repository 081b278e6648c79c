use std::collections::BTreeMap;

use serde_json::json;

use crate::context::Context;
use crate::declare_rule;
use crate::jsonc::Op;
use crate::protocol::{Action, Applicability, Fix};
use crate::rules::common::settings_fix;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Modules required by a workspace folder's go.mod (not replaced by a local directory) on a
    /// host that looks private, and not matched by the patterns that keep a module away from the
    /// public proxy and checksum database:
    /// - `GONOSUMDB` (defaults to `GOPRIVATE`) while `GOSUMDB` is not `off`;
    /// - `GONOPROXY` (defaults to `GOPRIVATE`) while `GOPROXY` lists `proxy.golang.org`.
    ///
    /// Patterns are matched as cmd/go does (`go help private`; golang.org/x/mod
    /// `module.MatchPrefixPatterns`): comma-separated globs, each matched with `path.Match`
    /// against as many leading path elements of the module path as the glob has.
    ///
    /// A host looks private when it is an IP address or has a port, its last label is a
    /// reserved or internal-only name (`internal`, `local`, `localhost`, `corp`, `lan`, `home`,
    /// `intranet`, `private`, `example`, `test`, `invalid`; RFC 2606, RFC 6761, RFC 6762, RFC 8375),
    /// or one of its labels is `corp`, `internal` or `intranet` (`git.corp.example.com`,
    /// `gitlab.internal.example.net`). Public hosts (`github.com`, vanity domains) are never
    /// flagged: the engine cannot know which of them are private, and no network probe is sent.
    ///
    /// ## Why it matters
    /// The public checksum database cannot see private code, so the first download of such a
    /// module (a new machine, a version bump, `Go: Install/Update Tools` of a private tool) fails:
    /// `verifying module: … reading https://sum.golang.org/lookup/…: 410 Gone` or `404 Not Found`,
    /// and through the proxy `… 410 Gone`; a direct git fetch in the editor cannot prompt for
    /// credentials (`terminal prompts disabled`), and the private module paths are sent to
    /// Google's servers. Sources: `go help private`, golang/go#39569, #38383, golang/vscode-go#297.
    ///
    /// ## Example
    /// go.mod `require git.corp.example.com/team/lib v1.2.3` with `GOPRIVATE` unset.
    ///
    /// ## Fix
    /// `go env -w GOPRIVATE=git.corp.example.com` (appended to the current value; also
    /// `GONOSUMDB`/`GONOPROXY` when those are set on their own, since they then no longer
    /// follow `GOPRIVATE`). When GOPRIVATE is set in `go.toolsEnvVars`, that setting is edited
    /// (it wins over the rest for the editor's go commands); when it comes from the
    /// environment, the same value goes into the shell profile (`go env -w` does not override
    /// the environment).
    pub PRIVATE_MODULE_ACCESS {
        code: "GSD509",
        name: "private-module-access",
        category: Environment,
        severity: Warning,
        summary: "private modules bypass the public proxy and checksum database",
        fix: Sometimes,
        since: "0.1.0",
    }
}

/// `path.Match` of Go: `*` (no `/`), `?`, `[...]` classes with ranges and `^`, `\` escapes.
/// A malformed pattern matches nothing (as `MatchPrefixPatterns` ignores the error).
fn path_match(pattern: &[char], name: &[char]) -> bool {
    match pattern.split_first() {
        None => name.is_empty(),
        Some(('*', rest)) => {
            let mut i = 0;
            loop {
                if path_match(rest, name.get(i..).unwrap_or(&[])) {
                    return true;
                }
                match name.get(i) {
                    Some('/') | None => return false,
                    Some(_) => i += 1,
                }
            }
        }
        Some(('?', rest)) => match name.split_first() {
            Some((c, tail)) if *c != '/' => path_match(rest, tail),
            _ => false,
        },
        Some(('[', rest)) => {
            let Some((c, tail)) = name.split_first() else {
                return false;
            };
            let (negate, mut p) = match rest.split_first() {
                Some(('^', r)) => (true, r),
                _ => (false, rest),
            };
            let mut matched = false;
            let mut first = true;
            loop {
                match p.split_first() {
                    None => return false, // no closing ]
                    Some((']', r)) if !first => {
                        p = r;
                        break;
                    }
                    Some(_) => {}
                }
                first = false;
                let Some((lo, r)) = unescape(p) else {
                    return false;
                };
                p = r;
                let hi = if let Some(('-', r2)) = p.split_first() {
                    let Some((hi, r3)) = unescape(r2) else {
                        return false;
                    };
                    p = r3;
                    hi
                } else {
                    lo
                };
                if lo <= *c && *c <= hi {
                    matched = true;
                }
            }
            matched != negate && *c != '/' && path_match(p, tail)
        }
        Some(('\\', rest)) => match (rest.split_first(), name.split_first()) {
            (Some((pc, prest)), Some((nc, ntail))) if pc == nc => path_match(prest, ntail),
            _ => false,
        },
        Some((pc, rest)) => match name.split_first() {
            Some((nc, tail)) if nc == pc => path_match(rest, tail),
            _ => false,
        },
    }
}

fn unescape(p: &[char]) -> Option<(char, &[char])> {
    match p.split_first()? {
        ('\\', r) => r.split_first().map(|(c, r)| (*c, r)),
        (c, r) => Some((*c, r)),
    }
}

/// golang.org/x/mod `module.MatchPrefixPatterns`.
pub(crate) fn match_prefix_patterns(globs: &str, target: &str) -> bool {
    globs.split(',').any(|glob| {
        let glob = glob.trim().trim_end_matches('/');
        if glob.is_empty() {
            return false;
        }
        let n = glob.matches('/').count();
        let elems: Vec<&str> = target.split('/').collect();
        if elems.len() < n + 1 {
            return false;
        }
        let prefix = elems.get(..=n).map(|e| e.join("/")).unwrap_or_default();
        let g: Vec<char> = glob.chars().collect();
        let t: Vec<char> = prefix.chars().collect();
        path_match(&g, &t)
    })
}

/// Why a module host looks private, if it does.
fn private_reason(host: &str) -> Option<String> {
    let h = host.to_ascii_lowercase();
    if h.contains(':') {
        return Some("the host has a port".into());
    }
    if !h.is_empty()
        && h.split('.')
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_digit()))
    {
        return Some("the host is an IP address".into());
    }
    let labels: Vec<&str> = h.split('.').collect();
    const TLDS: &[&str] = &[
        "internal",
        "local",
        "localhost",
        "corp",
        "lan",
        "home",
        "intranet",
        "private",
        "example",
        "test",
        "invalid",
    ];
    if let Some(tld) = labels.last().filter(|t| TLDS.contains(t)) {
        return Some(format!(
            "`.{tld}` is not a public top-level domain (RFC 2606/6761/6762/8375 or internal use)"
        ));
    }
    if labels.len() > 2 {
        if let Some(l) = labels
            .iter()
            .find(|l| ["corp", "internal", "intranet"].contains(l))
        {
            return Some(format!("its `{l}` label names an internal network"));
        }
    }
    None
}

/// Module paths a go.mod requires, minus those replaced by a local directory.
pub(crate) fn required_modules(go_mod: &str) -> Vec<String> {
    let unquote = |s: &str| s.trim_matches('"').trim_matches('`').to_string();
    let mut requires = Vec::new();
    let mut local = Vec::new();
    let mut block: Option<&str> = None;
    for raw in go_mod.lines() {
        let line = raw.split("//").next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if block.is_some() && line == ")" {
            block = None;
            continue;
        }
        let (verb, rest) = match block {
            Some(v) => (v, line),
            None => match line.split_once(char::is_whitespace) {
                Some((v, r)) => (v, r.trim()),
                None => continue,
            },
        };
        if block.is_none() && rest == "(" {
            if verb == "require" || verb == "replace" {
                block = Some(if verb == "require" {
                    "require"
                } else {
                    "replace"
                });
            } else {
                block = Some("other");
            }
            continue;
        }
        match verb {
            "require" => {
                if let Some(p) = rest.split_whitespace().next() {
                    requires.push(unquote(p));
                }
            }
            "replace" => {
                if let Some((lhs, rhs)) = rest.split_once("=>") {
                    let target = rhs.split_whitespace().next().unwrap_or("");
                    let t = unquote(target);
                    let is_dir = t.starts_with("./")
                        || t.starts_with("../")
                        || t.starts_with('/')
                        || t.starts_with(".\\")
                        || t.starts_with("..\\")
                        || t.get(1..3) == Some(":\\");
                    if is_dir {
                        if let Some(p) = lhs.split_whitespace().next() {
                            local.push(unquote(p));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    requires.retain(|r| !local.contains(r));
    requires.dedup();
    requires
}

fn value(cx: &Context<'_>, var: &str) -> String {
    cx.go_env_var(var)
        .or_else(|| cx.env(var))
        .unwrap_or("")
        .to_string()
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if cx.go_env().is_none() {
        return;
    }
    let goprivate = value(cx, "GOPRIVATE");
    let gonoproxy = value(cx, "GONOPROXY");
    let gonosumdb = value(cx, "GONOSUMDB");
    let goproxy = cx
        .go_env_var("GOPROXY")
        .unwrap_or("https://proxy.golang.org,direct")
        .to_string();
    let gosumdb = cx
        .go_env_var("GOSUMDB")
        .unwrap_or("sum.golang.org")
        .to_string();
    let sumdb_on = gosumdb != "off";
    let public_proxy = goproxy.contains("proxy.golang.org");
    // go env prints GONOPROXY/GONOSUMDB with GOPRIVATE filled in when unset.
    let nosumdb = if gonosumdb.is_empty() {
        goprivate.clone()
    } else {
        gonosumdb.clone()
    };
    let noproxy = if gonoproxy.is_empty() {
        goprivate.clone()
    } else {
        gonoproxy.clone()
    };
    for folder in &cx.snapshot.workspace.folders {
        let Some(go_mod) = &folder.go_mod else {
            continue;
        };
        // host -> (reason, modules, checksum db asked, proxy asked)
        let mut hosts: BTreeMap<String, (String, Vec<String>, bool, bool)> = BTreeMap::new();
        for m in required_modules(&go_mod.text) {
            let host = m.split('/').next().unwrap_or("").to_string();
            let Some(reason) = private_reason(&host) else {
                continue;
            };
            let sum = sumdb_on && !match_prefix_patterns(&nosumdb, &m);
            let proxy = public_proxy && !match_prefix_patterns(&noproxy, &m);
            if !sum && !proxy {
                continue;
            }
            let e = hosts
                .entry(host)
                .or_insert((reason, Vec::new(), false, false));
            e.1.push(m);
            e.2 |= sum;
            e.3 |= proxy;
        }
        if hosts.is_empty() {
            continue;
        }
        let names: Vec<&str> = hosts.keys().map(String::as_str).collect();
        let asked: Vec<&str> = [
            hosts
                .values()
                .any(|h| h.2)
                .then_some("the checksum database (GOSUMDB)"),
            hosts
                .values()
                .any(|h| h.3)
                .then_some("the public proxy (GOPROXY)"),
        ]
        .into_iter()
        .flatten()
        .collect();
        let example = hosts
            .values()
            .next()
            .and_then(|h| h.1.first())
            .cloned()
            .unwrap_or_default();
        let f = out.report(
            format!("Private modules are not in GOPRIVATE ({})", names.join(", ")),
            format!(
                "{} requires modules on {} that look private, but GOPRIVATE/GONOSUMDB/GONOPROXY do not match them: downloading them asks {} about them, which fails (`verifying module: {example}@…: reading https://sum.golang.org/lookup/…: 410 Gone`) and sends the private module paths to a public server.",
                cx.tilde(&go_mod.path),
                names.join(", "),
                asked.join(" and ")
            ),
        );
        for (host, (reason, mods, _, _)) in &hosts {
            f.evidence(format!("{host}: {reason}; required: {}", mods.join(", ")));
        }
        for (var, v) in [
            ("GOPRIVATE", &goprivate),
            ("GONOPROXY", &gonoproxy),
            ("GONOSUMDB", &gonosumdb),
            ("GOPROXY", &goproxy),
            ("GOSUMDB", &gosumdb),
        ] {
            f.evidence(format!(
                "go env {var}: {}",
                if v.is_empty() { "(empty)" } else { v }
            ));
        }
        let join = |cur: &str| {
            let mut parts: Vec<String> = cur
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect();
            for h in &names {
                if !parts.iter().any(|p| p == h) {
                    parts.push((*h).to_string());
                }
            }
            parts.join(",")
        };
        let mut assigns = vec![format!("GOPRIVATE={}", join(&goprivate))];
        // GONOSUMDB / GONOPROXY set on their own no longer follow GOPRIVATE.
        if !gonosumdb.is_empty() && gonosumdb != goprivate {
            assigns.push(format!("GONOSUMDB={}", join(&gonosumdb)));
        }
        if !gonoproxy.is_empty() && gonoproxy != goprivate {
            assigns.push(format!("GONOPROXY={}", join(&gonoproxy)));
        }
        let from_env = ["GOPRIVATE", "GONOSUMDB", "GONOPROXY"]
            .iter()
            .any(|v| cx.env(v).is_some());
        if let Some((_, layer)) = cx.tools_env_var("GOPRIVATE") {
            // go.toolsEnvVars wins over the environment and the go env file: change it there.
            let paths: Vec<[&str; 2]> = assigns
                .iter()
                .filter_map(|a| a.split_once('=').map(|(k, _)| ["go.toolsEnvVars", k]))
                .collect();
            let ops: Vec<Op<'_>> = paths
                .iter()
                .zip(&assigns)
                .map(|(p, a)| Op::Set(p, json!(a.split_once('=').map(|(_, v)| v).unwrap_or(""))))
                .collect();
            settings_fix(
                f,
                layer,
                layer.doc.as_ref().and_then(|d| d.apply(&ops)),
                format!(
                    "Set {} in go.toolsEnvVars ({} settings)",
                    assigns.join(" "),
                    layer.layer.scope.label()
                ),
                Applicability::Safe,
            );
        } else if from_env {
            let (file, _) = cx.path_line_for_shell("");
            f.fix(Fix {
                title: format!(
                    "GOPRIVATE is set in the environment: change it in {file} and restart VS Code"
                ),
                applicability: Applicability::DisplayOnly,
                actions: assigns
                    .iter()
                    .map(|a| Action::AppendToProfile {
                        file: file.clone(),
                        line: format!("export {}", shell_quote(a)),
                    })
                    .collect(),
            });
        } else {
            let go = cx.go_candidate().map(|c| c.path.as_str()).unwrap_or("go");
            let args: Vec<String> = assigns.iter().map(|a| shell_quote(a)).collect();
            f.fix(Fix {
                title: format!(
                    "Mark {} private for this user: go env -w {}",
                    names.join(", "),
                    assigns.join(" ")
                ),
                applicability: Applicability::Safe,
                actions: vec![Action::RunShell {
                    command: format!("{go} env -w {}", args.join(" ")),
                    cwd: None,
                }],
            });
        }
    }
}

/// `VAR=value` quoted for a POSIX shell when it holds glob or special characters.
fn shell_quote(assign: &str) -> String {
    if assign
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "=,./_-:@".contains(c))
    {
        assign.to_string()
    } else {
        format!("'{}'", assign.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    const GO_MOD: &str = "module example.com/app\n\ngo 1.22\n\nrequire (\n\tgithub.com/google/uuid v1.6.0\n\tgit.corp.example.com/team/lib v1.2.3 // indirect\n)\n\nrequire gitlab.company.internal/infra/log v0.3.0\n\nrequire git.corp.example.com/team/forked v1.0.0\nreplace git.corp.example.com/team/forked => ../forked\n";

    fn with_mod(env: serde_json::Value) -> crate::Snapshot {
        let mut base = json!({"GOVERSION": "go1.24.4", "GOPROXY": "https://proxy.golang.org,direct", "GOSUMDB": "sum.golang.org"});
        merge(&mut base, env);
        snapshot(json!({
            "go": {"env": run_ok(&[GO_BIN, "env", "-json"], &base.to_string())},
            "workspace": {"folders": [{"uri": "file:///home/gopher/src/hello", "path": "/home/gopher/src/hello",
                "goMod": {"path": "/home/gopher/src/hello/go.mod", "text": GO_MOD}}]}}))
    }

    #[test]
    fn fires_for_corp_hosts_without_goprivate() {
        let f = run(&PRIVATE_MODULE_ACCESS, &with_mod(json!({})));
        assert_eq!(f.len(), 1);
        assert!(
            f[0].title
                .contains("git.corp.example.com, gitlab.company.internal"),
            "{}",
            f[0].title
        );
        assert!(
            f[0].evidence
                .iter()
                .any(|e| e.starts_with("git.corp.example.com:")
                    && e.ends_with("required: git.corp.example.com/team/lib")),
            "{:?}",
            f[0].evidence
        );
        assert!(!f[0].message.contains("github.com"));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. }
            if command == &format!("{GO_BIN} env -w GOPRIVATE=git.corp.example.com,gitlab.company.internal"))
        );
    }

    #[test]
    fn fires_when_gonosumdb_set_alone_misses_a_host() {
        let f = run(
            &PRIVATE_MODULE_ACCESS,
            &with_mod(
                json!({"GOPRIVATE": "*.internal", "GONOPROXY": "*.internal", "GONOSUMDB": "other.example"}),
            ),
        );
        assert_eq!(f.len(), 1);
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. }
            if command.ends_with("env -w 'GOPRIVATE=*.internal,git.corp.example.com,gitlab.company.internal' GONOSUMDB=other.example,git.corp.example.com,gitlab.company.internal")),
            "{:?}",
            f[0].fixes
        );
    }

    #[test]
    fn passes_when_goprivate_covers_them_and_fix_is_applied() {
        // The fix's value, as `go env` then reports it (GONOPROXY/GONOSUMDB follow GOPRIVATE).
        let v = "git.corp.example.com,gitlab.company.internal";
        assert!(run(
            &PRIVATE_MODULE_ACCESS,
            &with_mod(json!({"GOPRIVATE": v, "GONOPROXY": v, "GONOSUMDB": v}))
        )
        .is_empty());
        let v = "*.example.com/team,*.internal";
        assert!(run(
            &PRIVATE_MODULE_ACCESS,
            &with_mod(json!({"GOPRIVATE": v, "GONOPROXY": v, "GONOSUMDB": v}))
        )
        .is_empty());
        assert!(run(
            &PRIVATE_MODULE_ACCESS,
            &with_mod(json!({"GOSUMDB": "off", "GOPROXY": "https://athens.corp.example.com"}))
        )
        .is_empty());
        assert!(run(&PRIVATE_MODULE_ACCESS, &snapshot(json!({}))).is_empty());
    }

    #[test]
    fn fires_with_goprivate_in_tools_env_vars_and_the_edit_fix_clears_it() {
        let text = "{\n  // team\n  \"go.toolsEnvVars\": {\"GOPRIVATE\": \"*.internal\"}\n}\n";
        let mut s = with_mod(
            json!({"GOPRIVATE": "*.internal", "GONOPROXY": "*.internal", "GONOSUMDB": "*.internal"}),
        );
        set_layer_text(&mut s, FOLDER_SETTINGS, text);
        let f = run(&PRIVATE_MODULE_ACCESS, &s);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].title.contains("git.corp.example.com"),
            "{}",
            f[0].title
        );
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        let out = layer_text(&fixed, FOLDER_SETTINGS);
        assert!(out.contains("// team"), "{out}");
        let v = "*.internal,git.corp.example.com";
        assert_eq!(
            parse_jsonc(out),
            json!({"go.toolsEnvVars": {"GOPRIVATE": v}})
        );
        // As go env then reports it: no finding.
        let mut again = with_mod(json!({"GOPRIVATE": v, "GONOPROXY": v, "GONOSUMDB": v}));
        again.settings = fixed.settings.clone();
        assert!(run(&PRIVATE_MODULE_ACCESS, &again).is_empty());
    }

    #[test]
    fn match_prefix_patterns_as_cmd_go() {
        assert!(match_prefix_patterns(
            "*.corp.example.com",
            "git.corp.example.com/a/b"
        ));
        assert!(match_prefix_patterns(
            "git.corp.example.com/*",
            "git.corp.example.com/a/b"
        ));
        assert!(!match_prefix_patterns(
            "git.corp.example.com/*",
            "git.corp.example.com"
        ));
        assert!(match_prefix_patterns(
            "rsc.io/private",
            "rsc.io/private/quux"
        ));
        assert!(!match_prefix_patterns("rsc.io/private", "rsc.io/privateer"));
        assert!(match_prefix_patterns(
            " , git.[a-c]orp.example.com/",
            "git.corp.example.com/x"
        ));
        assert!(!match_prefix_patterns(
            "git.[^c]orp.example.com",
            "git.corp.example.com/x"
        ));
        assert!(!match_prefix_patterns("[", "x"));
        assert!(match_prefix_patterns("*", "anything/at/all"));
    }

    #[test]
    fn private_hosts_and_go_mod_parsing() {
        assert!(private_reason("github.com").is_none());
        assert!(private_reason("go.uber.org").is_none());
        assert!(private_reason("10.0.0.7").is_some());
        assert!(private_reason("git.example.com:8443").is_some());
        assert_eq!(
            required_modules(GO_MOD),
            vec![
                "github.com/google/uuid",
                "git.corp.example.com/team/lib",
                "gitlab.company.internal/infra/log"
            ]
        );
    }
}
