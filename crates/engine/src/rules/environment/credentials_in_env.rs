use crate::context::Context;
use crate::declare_rule;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Credentials embedded in URLs of Go's network settings (`GOPROXY`, `GONOSUMDB`, `GOPRIVATE`,
    /// `GONOPROXY`, `GOSUMDB`, `GOINSECURE`, `GOFLAGS`) in `go env`, the environment or
    /// `go.toolsEnvVars`: `https://user:token@proxy.example.com`. The finding never shows the
    /// secret.
    ///
    /// ## Why it matters
    /// These values end up in `go env` output pasted into bug reports, in shell history and in
    /// committed `.vscode/settings.json` files. Go reads credentials from `.netrc` / `GOAUTH`
    /// instead (`go help goauth`).
    ///
    /// ## Example
    /// `GOPROXY=https://build:s3cr3t@athens.internal,direct`.
    ///
    /// ## Fix
    /// Move the credentials to `~/.netrc` (or `GOAUTH`) and remove them from the URL.
    pub CREDENTIALS_IN_ENV {
        code: "GSD506",
        name: "credentials-in-env",
        category: Environment,
        severity: Info,
        summary: "no credentials in Go's proxy URLs",
        fix: None,
        since: "0.1.0",
    }
}

const VARS: &[&str] = &[
    "GOPROXY",
    "GONOSUMDB",
    "GOPRIVATE",
    "GONOPROXY",
    "GOSUMDB",
    "GOINSECURE",
    "GOFLAGS",
];

/// Host of each `scheme://user[:pass]@host` in `value`.
fn credential_hosts(value: &str) -> Vec<String> {
    let mut hosts = Vec::new();
    for part in value.split([',', '|', ' ']) {
        let Some((_, rest)) = part.split_once("://") else {
            continue;
        };
        let authority = rest.split('/').next().unwrap_or("");
        if let Some((_, host)) = authority.rsplit_once('@') {
            hosts.push(host.to_string());
        }
    }
    hosts
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    for var in VARS {
        let values = [
            cx.go_env_var(var).map(str::to_string),
            cx.tools_env_var(var).map(|(v, _)| v),
            cx.env(var).map(str::to_string),
        ];
        let Some(hosts) = values
            .iter()
            .flatten()
            .map(|v| credential_hosts(v))
            .find(|h| !h.is_empty())
        else {
            continue;
        };
        let f = out.report(
            format!("{var} contains credentials"),
            format!("{var} embeds a user name or token in the URL for {}. It shows up in `go env` output, bug reports and settings files; use ~/.netrc or GOAUTH instead.", hosts.join(", ")),
        );
        f.evidence(format!(
            "{var}=<redacted: {} URL(s) with credentials>",
            hosts.len()
        ));
        if let Some((_, layer)) = cx.tools_env_var(var) {
            let doc = layer.doc.as_ref();
            f.at(doc.and_then(|d| d.prop("go.toolsEnvVars").map(|p| d.name_location(p))));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn fires_without_printing_the_secret() {
        let s =
            snapshot(json!({"env": {"GOPROXY": "https://build:s3cr3t@athens.internal,direct"}}));
        let f = run(&CREDENTIALS_IN_ENV, &s);
        assert_eq!(f.len(), 1);
        let text = serde_json::to_string(&f).unwrap();
        assert!(
            !text.contains("s3cr3t") && !text.contains("build:"),
            "{text}"
        );
        assert!(text.contains("athens.internal"));
    }

    #[test]
    fn passes_for_plain_urls() {
        assert!(run(
            &CREDENTIALS_IN_ENV,
            &snapshot(json!({"env": {"GOPROXY": "https://proxy.golang.org,direct"}}))
        )
        .is_empty());
    }
}
