use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix, Severity};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Passively (no network request is ever sent), whether module downloads and tool installs
    /// from VS Code can reach `GOPROXY` / `GOSUMDB` with the environment the extension host has:
    /// - `GOPROXY=off` (or a list with no usable entry): `go install gopls@…` from
    ///   `Go: Install/Update Tools` fails with `module lookup disabled by GOPROXY=off` (recorded
    ///   from go1.24.4 in tests/scenarios/environment.test.ts); with `GOFLAGS=-mod=mod` every
    ///   build that needs a missing module fails the same way.
    /// - `HTTP_PROXY` set without `HTTPS_PROXY`: Go's HTTP client uses `HTTPS_PROXY` for https
    ///   URLs and `HTTP_PROXY` only for http ones (golang.org/x/net/http/httpproxy), so requests
    ///   to `https://proxy.golang.org` go out unproxied and time out (`dial tcp …: i/o timeout`).
    /// - `ALL_PROXY` without `HTTPS_PROXY`: curl and git honour `ALL_PROXY`, Go does not.
    /// - the upper- and lower-case spellings disagree (`HTTPS_PROXY` vs `https_proxy`, `NO_PROXY`
    ///   vs `no_proxy`): Go reads the upper-case one first, curl/git mostly the lower-case one.
    ///
    /// - `GOPROXY=direct` while `HTTPS_PROXY` is set (information): every module is cloned with
    ///   git/hg, which must get through the proxy on its own (ssh URLs do not use it).
    ///
    /// `GOSUMDB=off` / `GONOSUMDB` are not flagged here: they only mean the checksum database is
    /// not contacted (GSD502 and GSD509 cover the privacy patterns).
    ///
    /// What it cannot see: whether the proxy answers, firewall rules, the output of vscode-go's
    /// own "Installing tools" channel, or the login shell's proxy variables (a shell proxy that
    /// the extension host lacks because VS Code was started from a launcher shows up once a
    /// login-shell probe is part of the snapshot).
    ///
    /// ## Why it matters
    /// Tool installs and module downloads from VS Code fail while the same command works in the
    /// terminal, or hang until `dial tcp 142.250.…:443: i/o timeout`.
    ///
    /// ## Example
    /// `HTTP_PROXY=http://proxy.corp.example.com:3128` in `/etc/environment`, no `HTTPS_PROXY`.
    ///
    /// ## Fix
    /// Export `HTTPS_PROXY` (and `NO_PROXY` for private hosts) where VS Code gets its environment;
    /// `go env -u GOPROXY` (or a reachable proxy) instead of `GOPROXY=off`.
    pub TOOLS_NETWORK_UNREACHABLE {
        code: "GSD508",
        name: "tools-network-unreachable",
        category: Environment,
        severity: Warning,
        summary: "module downloads can use GOPROXY and the proxy env",
        fix: Sometimes,
        since: "0.1.0",
    }
}

fn env_any<'a>(cx: &Context<'a>, upper: &str) -> (Option<&'a str>, Option<&'a str>) {
    let lower = upper.to_ascii_lowercase();
    (
        cx.env(upper).filter(|v| !v.is_empty()),
        cx.env(&lower).filter(|v| !v.is_empty()),
    )
}

fn redact(url: &str) -> String {
    // user:password@host -> ***@host (credentials never printed; GSD506 reports them)
    match url.split_once("://") {
        Some((scheme, rest)) => match rest.rsplit_once('@') {
            Some((_, host)) => format!("{scheme}://***@{host}"),
            None => url.to_string(),
        },
        None => match url.rsplit_once('@') {
            Some((_, host)) => format!("***@{host}"),
            None => url.to_string(),
        },
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let (file, _) = cx.path_line_for_shell("");
    // 1. GOPROXY=off.
    if let Some(goproxy) = cx.go_env_var("GOPROXY") {
        let entries: Vec<&str> = goproxy
            .split([',', '|'])
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .collect();
        if entries.first() == Some(&"off") || entries.is_empty() {
            let missing: Vec<&str> = ["gopls", "dlv"]
                .into_iter()
                .filter(|t| cx.tool(t).is_some_and(|t| t.path.is_none()))
                .collect();
            let goflags = cx.go_env_var("GOFLAGS").unwrap_or("");
            let f = out.report(
                "GOPROXY=off: tools and modules cannot be downloaded",
                format!(
                    "GOPROXY is `{goproxy}`: `Go: Install/Update Tools` fails with `go: golang.org/x/tools/gopls@…: module lookup disabled by GOPROXY=off`{}{}.",
                    if missing.is_empty() { String::new() } else { format!(", and {} {} not installed", missing.join(" and "), if missing.len() == 1 { "is" } else { "are" }) },
                    if goflags.contains("-mod=mod") { "; with GOFLAGS=-mod=mod every build that needs a module not yet downloaded fails the same way" } else { "" }
                ),
            );
            f.evidence(format!("go env GOPROXY: {goproxy}"));
            if !goflags.is_empty() {
                f.evidence(format!("go env GOFLAGS: {goflags}"));
            }
            if !super::super::common::trace_env_var(cx, "GOPROXY", f) {
                let go = cx.go_candidate().map(|c| c.path.as_str()).unwrap_or("go");
                f.fix(Fix {
                    title: "Use the default proxy for this user: go env -w GOPROXY=https://proxy.golang.org,direct".into(),
                    applicability: Applicability::Unsafe,
                    actions: vec![Action::RunShell {
                        command: format!("{go} env -w GOPROXY=https://proxy.golang.org,direct"),
                        cwd: None,
                    }],
                });
            }
        }
    }
    // 2. HTTP_PROXY / ALL_PROXY without HTTPS_PROXY.
    let (hu, hl) = env_any(cx, "HTTPS_PROXY");
    let https = hu.or(hl);
    // 1b. Behind a proxy with GOPROXY=direct: every download is a VCS clone.
    if let (Some(goproxy), Some(proxy)) = (cx.go_env_var("GOPROXY"), https) {
        let entries: Vec<&str> = goproxy
            .split([',', '|'])
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .collect();
        if !entries.is_empty() && entries.iter().all(|e| *e == "direct") {
            let f = out.report(
                "GOPROXY=direct behind a proxy: every download is a git clone",
                format!(
                    "GOPROXY is `{goproxy}` and HTTPS_PROXY={} is set: Go fetches no module from a module proxy but clones each repository with git (or hg), which must reach the hosts through the proxy too; git honours https_proxy for https:// URLs but not for ssh (`git@…`) ones, and a clone is much slower than a proxy download.",
                    redact(proxy)
                ),
            );
            f.severity(Severity::Info);
            f.evidence(format!("go env GOPROXY: {goproxy}"));
            f.evidence(format!("HTTPS_PROXY={}", redact(proxy)));
            let go = cx.go_candidate().map(|c| c.path.as_str()).unwrap_or("go");
            f.fix(Fix {
                title: "Use the module proxy with a direct fallback (review: list private hosts in GOPRIVATE first)".into(),
                applicability: Applicability::Unsafe,
                actions: vec![Action::RunShell {
                    command: format!("{go} env -w GOPROXY=https://proxy.golang.org,direct"),
                    cwd: None,
                }],
            });
        }
    }
    if https.is_none() {
        let (pu, pl) = env_any(cx, "HTTP_PROXY");
        let (au, al) = env_any(cx, "ALL_PROXY");
        let (name, value) = match (
            pu.map(|v| ("HTTP_PROXY", v))
                .or(pl.map(|v| ("http_proxy", v))),
            au.map(|v| ("ALL_PROXY", v))
                .or(al.map(|v| ("all_proxy", v))),
        ) {
            (Some(p), _) => p,
            (None, Some(a)) => a,
            (None, None) => ("", ""),
        };
        if !name.is_empty() {
            let why = if name.eq_ignore_ascii_case("HTTP_PROXY") {
                "Go uses HTTP_PROXY only for http:// URLs"
            } else {
                "Go ignores ALL_PROXY (curl and git use it)"
            };
            let f = out.report(
                format!("{name} is set but HTTPS_PROXY is not: Go downloads bypass the proxy"),
                format!(
                    "{name}={} but no HTTPS_PROXY: {why}, so module downloads and tool installs (https://proxy.golang.org, sum.golang.org, git over https) try to connect directly and, behind a proxy, end in `dial tcp …: i/o timeout`.",
                    redact(value)
                ),
            );
            f.evidence(format!(
                "{name}={} (extension host environment)",
                redact(value)
            ));
            f.evidence("HTTPS_PROXY / https_proxy: unset");
            f.fix(Fix {
                title: format!("Export HTTPS_PROXY too in {file} (or wherever {name} is set), then restart VS Code"),
                applicability: Applicability::DisplayOnly,
                actions: vec![Action::AppendToProfile {
                    file: file.clone(),
                    line: format!("export HTTPS_PROXY=\"${name}\""),
                }],
            });
        }
    }
    // 3. Upper- and lower-case spellings that disagree.
    for var in ["HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY"] {
        let (u, l) = env_any(cx, var);
        let (Some(u), Some(l)) = (u, l) else { continue };
        if u == l {
            continue;
        }
        let lower = var.to_ascii_lowercase();
        let f = out.report(
            format!("{var} and {lower} disagree"),
            format!(
                "{var}={} but {lower}={}: Go uses {var}, git and curl mostly {lower}, so `go get` and the git fetches it starts go different ways.",
                redact(u),
                redact(l)
            ),
        );
        f.evidence(format!("{var}={}", redact(u)));
        f.evidence(format!("{lower}={}", redact(l)));
        f.fix(Fix {
            title: format!("Set both spellings to the same value in {file}"),
            applicability: Applicability::DisplayOnly,
            actions: vec![Action::AppendToProfile {
                file: file.clone(),
                line: format!("export {lower}=\"${var}\""),
            }],
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_for_goproxy_off_with_gopls_missing() {
        // go-outputs/goproxy-off.go1.24.4.go-get.txt:
        // go: golang.org/x/mod@latest: module lookup disabled by GOPROXY=off
        let s = snapshot(json!({"env": {"GOPROXY": "off"},
            "go": {"env": run_ok(&[GO_BIN, "env", "-json"], "{\"GOPROXY\": \"off\", \"GOFLAGS\": \"-mod=mod\"}")},
            "tools": [{"name": "gopls", "searched": ["/home/gopher/go/bin/gopls"]}]}));
        let f = run(&TOOLS_NETWORK_UNREACHABLE, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0]
            .message
            .contains("module lookup disabled by GOPROXY=off"));
        assert!(f[0].message.contains("gopls is not installed"));
        assert!(f[0].message.contains("GOFLAGS=-mod=mod"));
        assert!(f[0].fixes.iter().any(|x| matches!(&x.actions[0], Action::RunShell { command, .. } if command == "unset GOPROXY")));
    }

    #[test]
    fn fires_for_http_proxy_only_and_redacts() {
        let s = snapshot(
            json!({"env": {"HTTP_PROXY": "http://bob:secret@proxy.corp.example.com:3128"}}),
        );
        let f = run(&TOOLS_NETWORK_UNREACHABLE, &s);
        assert_eq!(f.len(), 1);
        assert!(!f[0].message.contains("secret"));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::AppendToProfile { file, line } if file == "~/.profile" && line == "export HTTPS_PROXY=\"$HTTP_PROXY\"")
        );
    }

    #[test]
    fn fires_as_info_for_goproxy_direct_behind_a_proxy() {
        let s = snapshot(
            json!({"env": {"HTTPS_PROXY": "http://proxy.corp.example:3128"},
            "go": {"env": run_ok(&[GO_BIN, "env", "-json"], "{\"GOPROXY\": \"direct\"}")}}),
        );
        let f = run(&TOOLS_NETWORK_UNREACHABLE, &s);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Info);
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command.ends_with("env -w GOPROXY=https://proxy.golang.org,direct"))
        );
    }

    #[test]
    fn fires_for_case_mismatch() {
        let s = snapshot(
            json!({"env": {"HTTPS_PROXY": "http://a:3128", "https_proxy": "http://b:3128"}}),
        );
        let f = run(&TOOLS_NETWORK_UNREACHABLE, &s);
        assert_eq!(f.len(), 1);
        assert!(f[0].title.contains("disagree"));
    }

    #[test]
    fn passes_with_https_proxy_and_default_goproxy() {
        let s = snapshot(
            json!({"env": {"HTTP_PROXY": "http://p:3128", "HTTPS_PROXY": "http://p:3128", "NO_PROXY": "localhost"}}),
        );
        assert!(run(&TOOLS_NETWORK_UNREACHABLE, &s).is_empty());
        assert!(run(&TOOLS_NETWORK_UNREACHABLE, &snapshot(json!({}))).is_empty());
    }
}
