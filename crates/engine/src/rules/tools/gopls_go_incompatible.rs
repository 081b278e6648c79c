use crate::context::Context;
use crate::declare_rule;
use crate::goversion::GoVersion;
use crate::knowledge::gopls;
use crate::protocol::{Fix, Severity};
use crate::rules::common::install_gopls;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// That the installed gopls can work with the local Go:
    /// - gopls's own support table (`goversion.Supported` in golang/tools): for a `go` at or
    ///   below a row's version gopls shows an error ("not supported by this version of gopls") or
    ///   a warning ("will be unsupported by gopls vX");
    /// - the Go that *built* gopls (`go version -m`) is not older than the `go` line of the
    ///   workspace's go.mod / go.work: a gopls built with an older Go cannot understand newer
    ///   language versions (`panic: invalid Go version "go1.22.0"`, golang/vscode-go#3578).
    ///
    /// ## Why it matters
    /// gopls then fails to load packages or shows
    /// `Found Go version 1.19, which will be unsupported by gopls v0.17.0. Please upgrade to Go
    /// 1.21 or later and reinstall gopls. If you can't upgrade and want this message to go away,
    /// please install gopls v0.15.3.` (real output of gopls v0.16.1 with go1.19,
    /// shared/knowledge/go-outputs/gopls-check.gopls0.16.1.PATH-go1.19.txt).
    ///
    /// ## Example
    /// gopls v0.16.1 with go1.19.8 on PATH; or Debian bookworm's gopls (built with go1.19.5) in
    /// a module whose go.mod says `go 1.22.0`.
    ///
    /// ## Fix
    /// Install the gopls version the support table names for the local Go, built with that Go
    /// (`go install golang.org/x/tools/gopls@vX`), or upgrade Go.
    pub GOPLS_GO_INCOMPATIBLE {
        code: "GSD202",
        name: "gopls-go-incompatible",
        category: Tools,
        severity: Error,
        summary: "gopls works with the local Go version",
        fix: Sometimes,
        since: "0.1.0",
    }
}

/// The raw `Version` string gopls reports when it is not a release (Debian's `master`).
fn raw_version(cx: &Context<'_>) -> Option<String> {
    let run = cx
        .tool("gopls")?
        .version
        .as_ref()
        .filter(|r| r.succeeded())?;
    let v: serde_json::Value = serde_json::from_str(&run.stdout).ok()?;
    v.get("Version")?
        .as_str()
        .filter(|s| !s.is_empty())
        .map(|s| format!("\"{s}\" build"))
}

fn install_fix(cx: &Context<'_>, go: &GoVersion) -> Option<Fix> {
    let version = gopls::install_version_for(go.minor());
    install_gopls(
        cx,
        version,
        format!("Install gopls {version}, built with {}", go.display()),
    )
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if !cx.language_server_enabled() {
        return;
    }
    let Some(path) = cx.tool("gopls").and_then(|t| t.path.as_deref()) else {
        return;
    };
    let Some(go) = cx.go_version() else { return };
    let version = cx.gopls_version();

    // 1. gopls's own support table.
    if let Some(v) = &version {
        if v.major == 0 {
            if let Some(row) = gopls::support_table(v.minor)
                .iter()
                .find(|r| go.minor() <= r.go_minor)
            {
                let (sev, what) = match row.deprecated_in {
                    None => (
                        Severity::Error,
                        "which is not supported by this version of gopls".to_string(),
                    ),
                    Some(next) => (
                        Severity::Warning,
                        format!("which will be unsupported by gopls {next}"),
                    ),
                };
                let upgrade_to = gopls::support_table(v.minor)
                    .last()
                    .map(|r| r.go_minor + 1)
                    .unwrap_or(21)
                    .max(21);
                let f = out.report(
                    format!("gopls v{v} does not support {}", go.display()),
                    format!(
                        "gopls v{v} says: Found Go version 1.{}, {what}. Please upgrade to Go 1.{upgrade_to} or later and reinstall gopls. If you can't upgrade and want this message to go away, please install gopls {}.",
                        go.minor(),
                        row.install
                    ),
                );
                f.severity(sev);
                f.evidence(format!("gopls: {} (v{v})", cx.tilde(path)));
                f.evidence(format!("go: {}", go.display()));
                f.evidence(format!(
                    "source: golang/tools gopls/internal/util/goversion/goversion.go (checked {})",
                    gopls::CHECKED_ON
                ));
                if let Some(fix) = install_fix(cx, &go) {
                    f.fix(fix);
                }
                return;
            }
        }
    }

    // 2. gopls built with a Go older than the workspace needs.
    let Some(built) = cx.build_info(path).and_then(|b| b.go_version.clone()) else {
        return;
    };
    let needed = cx
        .snapshot
        .workspace
        .folders
        .iter()
        .flat_map(|f| [f.go_mod.as_ref(), f.go_work.as_ref()])
        .flatten()
        .filter_map(|file| Context::go_directive(&file.text).map(|v| (v, file.path.clone())))
        .max_by(|a, b| a.0.cmp(&b.0));
    let Some((needed, file)) = needed else { return };
    if built.minor() >= needed.minor() {
        return;
    }
    let label = version
        .map(|v| format!("v{v}"))
        .or_else(|| raw_version(cx))
        .unwrap_or_else(|| "(version unknown)".into());
    let f = out.report(
        format!("gopls was built with {}, older than the module's go {}", built.display(), needed.raw),
        format!(
            "gopls {label} at {} was built with {}, but {} says `go {}`. A gopls built with an older Go cannot type-check newer language versions: it reports bogus errors or panics (`invalid Go version`, golang/vscode-go#3578).",
            cx.tilde(path),
            built.display(),
            cx.tilde(&file),
            needed.raw
        ),
    );
    f.evidence(format!(
        "go version -m {}: {}",
        cx.tilde(path),
        built.display()
    ));
    f.evidence(format!("{}: go {}", cx.tilde(&file), needed.raw));
    f.evidence(format!("local go: {}", go.display()));
    if go.minor() >= needed.minor() {
        if let Some(fix) = install_fix(cx, &go) {
            f.fix(fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    const GOPLS: &str = "/home/gopher/go/bin/gopls";

    fn gopls(version: &str, built: &str, go: &str) -> crate::Snapshot {
        snapshot(json!({
            "go": {"version": run_ok(&[GO_BIN, "version"], &format!("go version {go} linux/amd64\n"))},
            "tools": [{"name": "gopls", "path": GOPLS, "searched": [GOPLS],
                "version": run_ok(&[GOPLS, "version", "-json"], &json!({"GoVersion": built, "Version": version}).to_string())}],
            "toolsBuildInfo": run_ok(&[GO_BIN, "version", "-m", GOPLS], &format!("{GOPLS}: {built}\n\tpath\tgolang.org/x/tools/gopls\n"))
        }))
    }

    #[test]
    fn fires_warning_for_go_1_19_with_gopls_0_16() {
        let f = run(
            &GOPLS_GO_INCOMPATIBLE,
            &gopls("v0.16.1", "go1.22.6", "go1.19.8"),
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(
            f[0].message
                .contains("Found Go version 1.19, which will be unsupported by gopls v0.17.0"),
            "{}",
            f[0].message
        );
        assert!(f[0].message.contains("please install gopls v0.15.3"));
        assert!(f[0].fixes[0].title.contains("v0.15.3"));
    }

    #[test]
    fn fires_error_for_go_1_18_with_gopls_0_16() {
        let f = run(
            &GOPLS_GO_INCOMPATIBLE,
            &gopls("v0.16.1", "go1.22.6", "go1.18.10"),
        );
        assert_eq!(f[0].severity, Severity::Error);
        assert!(f[0]
            .message
            .contains("not supported by this version of gopls"));
    }

    #[test]
    fn fires_error_when_built_with_go_older_than_module() {
        let mut s = gopls("master", "go1.19.5", "go1.24.4");
        s.workspace.folders[0].go_mod.as_mut().unwrap().text = "module x\n\ngo 1.22.0\n".into();
        let f = run(&GOPLS_GO_INCOMPATIBLE, &s);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Error);
        assert!(f[0].title.contains("go1.19.5"));
        assert!(f[0].fixes[0].title.contains("v0.20.0"));
    }

    #[test]
    fn passes_for_matching_versions() {
        assert!(run(&GOPLS_GO_INCOMPATIBLE, &snapshot(json!({}))).is_empty());
        let mut s = gopls("v0.16.1", "go1.22.6", "go1.22.12");
        s.workspace.folders[0].go_mod.as_mut().unwrap().text = "module x\n\ngo 1.22.0\n".into();
        assert!(run(&GOPLS_GO_INCOMPATIBLE, &s).is_empty());
    }
}
