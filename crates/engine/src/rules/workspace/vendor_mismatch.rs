use std::collections::BTreeMap;

use crate::context::Context;
use crate::declare_rule;
use crate::goversion::GoVersion;
use crate::protocol::{Action, Applicability, Fix, Folder};
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// For each workspace folder with a go.mod, whether the go command runs in vendor mode there
    /// and, if so, whether `vendor/modules.txt` agrees with go.mod. Vendor mode is on when
    /// `-mod=vendor` is in GOFLAGS (environment, `go env -w` file, `go.toolsEnvVars`), in
    /// `go.buildFlags` or in gopls's `build.buildFlags`, or by default when a `vendor/` directory
    /// exists and go.mod says `go 1.14` or later (cmd/go `modload/init.go` `setDefaultBuildMod`).
    /// The comparison is cmd/go's own (`modload/vendor.go` `checkVendorConsistency`, Go 1.22):
    /// every `require` must be a `# module version` line marked `## explicit`; every `## explicit`
    /// module that provides packages must be required; every `replace` must be recorded as
    /// `# old => new` and every recorded replacement must still be in go.mod. A missing
    /// `vendor/modules.txt` (e.g. `-mod=vendor` with no `vendor/` at all) counts as empty.
    /// Not checked: go.mod files older than `go 1.14` (modules.txt had no `## explicit` then) and
    /// workspaces (`go.work`, vendored with `go work vendor`).
    ///
    /// ## Why it matters
    /// Every go command in the module stops before doing anything, and gopls cannot load the
    /// workspace:
    /// ```text
    /// go: inconsistent vendoring in /home/gopher/src/app:
    /// 	example.com/other@v1.2.0: is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt
    /// 	example.com/other@v1.1.0: is marked as explicit in vendor/modules.txt, but not explicitly required in go.mod
    ///
    /// 	To ignore the vendor directory, use -mod=readonly or -mod=mod.
    /// 	To sync the vendor directory, run:
    /// 		go mod vendor
    /// ```
    /// (recorded from go1.22.12 and go1.24.4 by `tests/scenarios/workspace.test.ts`; gopls says
    /// `Inconsistent vendoring detected. Please re-run "go mod vendor".`, golang/vscode-go#2112,
    /// golang/go#39164). It typically happens after editing go.mod (a version bump, a new
    /// `replace`) or switching branches without re-running `go mod vendor`.
    ///
    /// ## Example
    /// go.mod requires `example.com/other v1.2.0` while `vendor/modules.txt` still says
    /// `# example.com/other v1.1.0` / `## explicit; go 1.21`.
    ///
    /// ## Fix
    /// `go mod vendor` in the module (rewrites `vendor/` from go.mod and the module cache; needs
    /// the modules in the cache or the network, hence "review"). If vendoring is not wanted,
    /// remove `-mod=vendor` from where it is set instead.
    pub VENDOR_MISMATCH {
        code: "GSD405",
        name: "vendor-mismatch",
        category: Workspace,
        severity: Warning,
        summary: "vendor/modules.txt matches go.mod",
        fix: Always,
        since: "0.1.0",
    }
}

/// The tokens of every `verb` directive of a go.mod text (single lines and `verb ( ... )`
/// blocks), with comments removed and quotes dropped.
pub(crate) fn directives(text: &str, verb: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut in_block = false;
    for raw in text.lines() {
        let line = raw.split("//").next().unwrap_or("").trim();
        let tokens = |s: &str| -> Vec<String> {
            s.split_whitespace()
                .map(|t| t.trim_matches(['"', '`']).to_string())
                .collect()
        };
        if in_block {
            if line.starts_with(')') {
                in_block = false;
            } else if !line.is_empty() {
                out.push(tokens(line));
            }
            continue;
        }
        let Some(rest) = line.strip_prefix(verb) else {
            continue;
        };
        if !rest.is_empty() && !rest.starts_with([' ', '\t', '(']) {
            continue;
        }
        let rest = rest.trim();
        if let Some(inner) = rest.strip_prefix('(') {
            let inner = inner.trim();
            if inner.is_empty() {
                in_block = true;
            } else if let Some(one) = inner.strip_suffix(')') {
                if !one.trim().is_empty() {
                    out.push(tokens(one));
                }
            }
        } else if !rest.is_empty() {
            out.push(tokens(rest));
        }
    }
    out
}

/// `(path, version)`; version is empty for a wildcard replacement.
type ModKey = (String, String);

fn is_semver(s: &str) -> bool {
    s.strip_prefix('v')
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
}

/// A local replacement path as cmd/go compares it (`./dep/` and `dep` are the same directory).
fn clean_path(p: &str) -> String {
    if !(p.starts_with("./") || p.starts_with("../") || p.starts_with('/') || p == "." || p == "..")
    {
        return p.to_string();
    }
    let abs = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if abs {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".into()
    } else {
        joined
    }
}

fn replacement(tokens: &[String]) -> Option<ModKey> {
    match tokens {
        [p] => Some((clean_path(p), String::new())),
        [p, v] if is_semver(v) => Some((p.clone(), v.clone())),
        _ => None,
    }
}

#[derive(Default)]
struct VendorMeta {
    explicit: bool,
    replacement: Option<ModKey>,
}

#[derive(Default)]
struct ModulesTxt {
    meta: BTreeMap<ModKey, VendorMeta>,
    /// Modules that provide packages, in file order.
    list: Vec<ModKey>,
    replaced: Vec<ModKey>,
}

/// `vendor/modules.txt` read the way cmd/go's `readVendorList` reads it.
fn parse_modules_txt(text: &str) -> ModulesTxt {
    let mut m = ModulesTxt::default();
    let mut cur: Option<ModKey> = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# ") {
            let f: Vec<String> = rest.split_whitespace().map(str::to_string).collect();
            let (key, tail) = match f.as_slice() {
                [p, v, tail @ ..] if is_semver(v) => ((p.clone(), v.clone()), tail),
                [p, arrow, ..] if arrow == "=>" => {
                    ((p.clone(), String::new()), f.get(1..).unwrap_or(&[]))
                }
                _ => {
                    cur = None;
                    continue;
                }
            };
            if let [arrow, new @ ..] = tail {
                if arrow == "=>" {
                    if let Some(r) = replacement(new) {
                        m.meta.entry(key.clone()).or_default().replacement = Some(r);
                        m.replaced.push(key.clone());
                    }
                }
            }
            cur = Some(key);
            continue;
        }
        let Some(key) = cur.as_ref() else { continue };
        if let Some(ann) = line.strip_prefix("## ") {
            if ann.split(';').any(|e| e.trim() == "explicit") {
                m.meta.entry(key.clone()).or_default().explicit = true;
            }
            continue;
        }
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() == 1 && !m.list.contains(key) && !key.1.is_empty() {
            m.list.push(key.clone());
        }
    }
    m
}

fn describe((p, v): &ModKey) -> String {
    if v.is_empty() {
        p.clone()
    } else {
        format!("{p}@{v}")
    }
}

/// The lines cmd/go prints under `go: inconsistent vendoring in <dir>:`, in its order.
pub(crate) fn inconsistencies(go_mod: &str, modules_txt: &str) -> Vec<String> {
    let vendor = parse_modules_txt(modules_txt);
    let requires: Vec<ModKey> = directives(go_mod, "require")
        .into_iter()
        .filter_map(|t| match t.as_slice() {
            [p, v, ..] => Some((p.clone(), v.clone())),
            _ => None,
        })
        .collect();
    let replaces: Vec<(ModKey, ModKey)> = directives(go_mod, "replace")
        .into_iter()
        .filter_map(|t| {
            let arrow = t.iter().position(|x| x == "=>")?;
            let old = match t.get(..arrow)? {
                [p] => (p.clone(), String::new()),
                [p, v] => (p.clone(), v.clone()),
                _ => return None,
            };
            Some((old, replacement(t.get(arrow + 1..)?)?))
        })
        .collect();
    let mut out = Vec::new();
    for r in &requires {
        if !vendor.meta.get(r).is_some_and(|m| m.explicit) {
            out.push(format!(
                "{}: is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt",
                describe(r)
            ));
        }
    }
    let mut seen: Vec<&ModKey> = Vec::new();
    for (old, new) in &replaces {
        if seen.contains(&old) {
            continue;
        }
        seen.push(old);
        match vendor.meta.get(old).and_then(|m| m.replacement.as_ref()) {
            None => out.push(format!(
                "{}: is replaced in go.mod, but not marked as replaced in vendor/modules.txt",
                describe(old)
            )),
            Some(vr) if vr != new => out.push(format!(
                "{}: is replaced by {} in go.mod, but marked as replaced by {} in vendor/modules.txt",
                describe(old),
                describe(new),
                describe(vr)
            )),
            Some(_) => {}
        }
    }
    for m in &vendor.list {
        if vendor.meta.get(m).is_some_and(|x| x.explicit) && !requires.contains(m) {
            out.push(format!(
                "{}: is marked as explicit in vendor/modules.txt, but not explicitly required in go.mod",
                describe(m)
            ));
        }
    }
    for m in &vendor.replaced {
        let in_go_mod = replaces
            .iter()
            .any(|(old, _)| old == m || (old.0 == m.0 && old.1.is_empty()));
        if !in_go_mod {
            out.push(format!(
                "{}: is marked as replaced in vendor/modules.txt, but not replaced in go.mod",
                describe(m)
            ));
        }
    }
    out
}

/// The `-mod=` value in a list of build flags (the last one wins, as with Go's flag package).
fn mod_flag<'s>(flags: impl Iterator<Item = &'s str>) -> Option<&'s str> {
    flags
        .filter_map(|f| f.strip_prefix("--mod=").or_else(|| f.strip_prefix("-mod=")))
        .last()
}

fn string_list(v: &serde_json::Value) -> Option<Vec<String>> {
    Some(
        v.as_array()?
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
    )
}

/// Where GOFLAGS comes from, in the order the go command lets them win: go.toolsEnvVars (the
/// extension's tools), the environment, the `go env -w` file.
fn goflags_origin(cx: &Context<'_>) -> String {
    if let Some((_, l)) = cx.tools_env_var("GOFLAGS") {
        return format!("go.toolsEnvVars in {} settings", l.layer.scope.label());
    }
    if cx.env("GOFLAGS").is_some() {
        return "the environment VS Code was started with".into();
    }
    if let Some(f) = cx.snapshot.go_env_file.as_ref() {
        if f.text
            .lines()
            .any(|l| l.trim_start().starts_with("GOFLAGS="))
        {
            return format!("go env -w file {}", cx.tilde(&f.path));
        }
    }
    "go env".into()
}

/// Who runs in vendor mode in this folder, in words; empty when nobody does.
fn vendor_mode_users(cx: &Context<'_>, folder: &Folder, go_line: Option<&str>) -> Vec<String> {
    let mut users = Vec::new();
    let goflags = cx
        .go_env_var("GOFLAGS")
        .map(str::to_string)
        .or_else(|| cx.env("GOFLAGS").map(str::to_string))
        .unwrap_or_default();
    let env_mode = mod_flag(goflags.split_whitespace());
    let has_vendor = folder.vendor_dir == Some(true);
    match env_mode {
        Some("vendor") => users.push(format!(
            "GOFLAGS={goflags} ({}) sets -mod=vendor",
            goflags_origin(cx)
        )),
        None if has_vendor => users.push(format!(
            "vendor/ exists and go.mod says {}, so the go command uses -mod=vendor by default",
            go_line.map_or("no go version".to_string(), |v| format!("go {v}"))
        )),
        _ => {}
    }
    if let Some((v, l)) = cx.effective("go.buildFlags") {
        let flags = string_list(&v).unwrap_or_default();
        if mod_flag(flags.iter().map(String::as_str)) == Some("vendor") {
            users.push(format!(
                "go.buildFlags in {} settings has -mod=vendor",
                l.layer.scope.label()
            ));
        }
    }
    if let Some((flags, l, _)) = cx.gopls_setting("build.buildFlags", string_list) {
        if mod_flag(flags.iter().map(String::as_str)) == Some("vendor") {
            users.push(format!(
                "gopls build.buildFlags in {} settings has -mod=vendor",
                l.layer.scope.label()
            ));
        }
    }
    users
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let in_workspace_mode = cx
        .go_env_var("GOWORK")
        .is_some_and(|w| w != "off" && !w.is_empty());
    for folder in &cx.snapshot.workspace.folders {
        let Some(go_mod) = &folder.go_mod else {
            continue;
        };
        if folder.vendor_dir.is_none() || folder.go_work.is_some() || in_workspace_mode {
            continue;
        }
        // Without a go line cmd/go treats the version as "unspecified" and still vendors.
        let go_line = Context::go_directive(&go_mod.text);
        if go_line
            .as_ref()
            .is_some_and(|v| GoVersion::parse("1.14").is_some_and(|m| *v < m))
        {
            continue;
        }
        let raw_go_line = directives(&go_mod.text, "go")
            .into_iter()
            .find_map(|t| t.into_iter().next());
        let users = vendor_mode_users(cx, folder, raw_go_line.as_deref());
        if users.is_empty() {
            continue;
        }
        let modules_txt = folder
            .vendor_modules_txt
            .as_ref()
            .map(|f| f.text.as_str())
            .unwrap_or("");
        let lines = inconsistencies(&go_mod.text, modules_txt);
        if lines.is_empty() {
            continue;
        }
        let dir = folder.path.trim_end_matches(['/', '\\']);
        let no_vendor = folder.vendor_dir == Some(false);
        let f = out.report(
            if no_vendor {
                "-mod=vendor is set but the module has no vendor directory"
            } else {
                "vendor/modules.txt is out of sync with go.mod"
            },
            if no_vendor {
                format!(
                    "{}: go build, go test and gopls stop with \"go: inconsistent vendoring in {}:\" because {}, but the module has no vendor/ directory, so nothing go.mod requires is vendored ({}).",
                    cx.tilde(dir),
                    dir,
                    users.join(" and "),
                    if lines.len() == 1 { "1 entry".to_string() } else { format!("{} entries", lines.len()) }
                )
            } else {
                format!(
                    "{}: go build, go test and gopls stop with \"go: inconsistent vendoring in {}:\" because {}; vendor/modules.txt disagree{} with go.mod.",
                    cx.tilde(dir),
                    dir,
                    users.join(" and "),
                    if lines.len() == 1 { "s in 1 entry" } else { "s" }
                )
            },
        );
        f.evidence(format!("go.mod: {}", cx.tilde(&go_mod.path)));
        match &folder.vendor_modules_txt {
            Some(t) => f.evidence(format!("vendor/modules.txt: {}", cx.tilde(&t.path))),
            None if no_vendor => f.evidence(format!("no vendor/ directory in {}", cx.tilde(dir))),
            None => f.evidence("vendor/ has no modules.txt".to_string()),
        };
        for u in &users {
            f.evidence(u.clone());
        }
        for l in lines.iter().take(10) {
            f.evidence(l.clone());
        }
        if lines.len() > 10 {
            f.evidence(format!("... and {} more", lines.len() - 10));
        }
        let go = cx
            .go_candidate()
            .map(|c| c.path.clone())
            .unwrap_or_else(|| "go".into());
        f.fix(Fix {
            title: if no_vendor {
                "Create vendor/ from go.mod: go mod vendor (or remove -mod=vendor where it is set, if you do not vendor)".to_string()
            } else {
                "Re-create vendor/ from go.mod: go mod vendor".to_string()
            },
            applicability: Applicability::Unsafe,
            actions: vec![Action::RunShell {
                command: format!("{go} mod vendor"),
                cwd: Some(folder.path.clone()),
            }],
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    const GO_MOD: &str = "module example.com/app\n\ngo 1.21\n\nrequire (\n\texample.com/dep v1.0.0\n\texample.com/other v1.1.0 // indirect\n)\n\nreplace example.com/dep => ../dep\n\nreplace example.com/other => ../other\n";
    /// Written by a real `go mod vendor` (go1.22.12) for GO_MOD, see tests/scenarios/workspace.test.ts.
    const MODULES_TXT: &str = "# example.com/dep v1.0.0 => ../dep\n## explicit; go 1.21\nexample.com/dep\n# example.com/other v1.1.0 => ../other\n## explicit; go 1.21\nexample.com/other\n# example.com/dep => ../dep\n# example.com/other => ../other\n";

    fn vendored(go_mod: &str, modules_txt: Option<&str>, vendor_dir: bool) -> crate::Snapshot {
        let mut s = snapshot(json!({}));
        let f = &mut s.workspace.folders[0];
        f.go_mod = Some(crate::protocol::FileText {
            path: "/home/gopher/src/hello/go.mod".into(),
            text: go_mod.into(),
        });
        f.vendor_dir = Some(vendor_dir);
        f.vendor_modules_txt = modules_txt.map(|t| crate::protocol::FileText {
            path: "/home/gopher/src/hello/vendor/modules.txt".into(),
            text: t.into(),
        });
        s
    }

    #[test]
    fn fires_with_cmd_go_lines_after_a_version_bump() {
        let s = vendored(
            &GO_MOD.replace("other v1.1.0", "other v1.2.0"),
            Some(MODULES_TXT),
            true,
        );
        let f = run(&VENDOR_MISMATCH, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].title, "vendor/modules.txt is out of sync with go.mod");
        assert!(
            f[0].message
                .contains("\"go: inconsistent vendoring in /home/gopher/src/hello:\""),
            "{}",
            f[0].message
        );
        assert!(f[0].evidence.contains(&"example.com/other@v1.2.0: is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt".to_string()), "{:#?}", f[0].evidence);
        assert!(f[0].evidence.contains(&"example.com/other@v1.1.0: is marked as explicit in vendor/modules.txt, but not explicitly required in go.mod".to_string()));
        assert!(f[0]
            .evidence
            .iter()
            .any(|e| e
                .contains("go.mod says go 1.21, so the go command uses -mod=vendor by default")));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, cwd }
            if command == "/usr/lib/go-1.24/bin/go mod vendor" && cwd.as_deref() == Some("/home/gopher/src/hello"))
        );
        // The fix: modules.txt as `go mod vendor` writes it for the new go.mod.
        let fixed = vendored(
            &GO_MOD.replace("other v1.1.0", "other v1.2.0"),
            Some(&MODULES_TXT.replace("other v1.1.0", "other v1.2.0")),
            true,
        );
        assert!(run(&VENDOR_MISMATCH, &fixed).is_empty());
    }

    #[test]
    fn fires_for_mod_vendor_without_a_vendor_dir_and_replacement_changes() {
        let s = vendored(GO_MOD, None, false);
        let mut s = s;
        s.env.insert("GOFLAGS".into(), "-mod=vendor".into());
        let f = run(&VENDOR_MISMATCH, &s);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].title,
            "-mod=vendor is set but the module has no vendor directory"
        );
        assert!(f[0].evidence.contains(&"example.com/dep: is replaced in go.mod, but not marked as replaced in vendor/modules.txt".to_string()), "{:#?}", f[0].evidence);
        // Where GOFLAGS comes from, and no "missing file disagrees" wording.
        assert!(f[0].evidence.contains(
            &"GOFLAGS=-mod=vendor (the environment VS Code was started with) sets -mod=vendor"
                .to_string()
        ));
        assert!(
            f[0].message
                .contains("but the module has no vendor/ directory, so nothing go.mod requires is vendored (4 entries)"),
            "{}",
            f[0].message
        );
        assert!(f[0].fixes[0]
            .title
            .starts_with("Create vendor/ from go.mod"));
        // The same from go.toolsEnvVars (the gatherer runs `go env` with them applied).
        let mut s = with_folder_settings("{\"go.toolsEnvVars\": {\"GOFLAGS\": \"-mod=vendor\"}}");
        s.go = snapshot(json!({"go": {"env": run_ok(&[GO_BIN, "env", "-json"], "{\"GOFLAGS\": \"-mod=vendor\"}")}})).go;
        s.workspace.folders[0].vendor_dir = Some(false);
        s.workspace.folders[0].go_mod = vendored(GO_MOD, None, false).workspace.folders[0]
            .go_mod
            .clone();
        let f = run(&VENDOR_MISMATCH, &s);
        assert!(
            f[0].evidence.contains(
                &"GOFLAGS=-mod=vendor (go.toolsEnvVars in folder settings) sets -mod=vendor"
                    .to_string()
            ),
            "{:#?}",
            f[0].evidence
        );
        // gopls build.buildFlags alone.
        let mut s = with_folder_settings("{\"gopls\": {\"build.buildFlags\": [\"-mod=vendor\"]}}");
        s.workspace.folders[0].vendor_dir = Some(false);
        s.workspace.folders[0].go_mod = vendored(GO_MOD, None, false).workspace.folders[0]
            .go_mod
            .clone();
        let f = run(&VENDOR_MISMATCH, &s);
        assert!(
            f[0].evidence
                .contains(&"gopls build.buildFlags in folder settings has -mod=vendor".to_string()),
            "{:#?}",
            f[0].evidence
        );
        // A replacement moved.
        let s = vendored(
            &GO_MOD.replace("=> ../dep", "=> ./third_party/dep/"),
            Some(MODULES_TXT),
            true,
        );
        let f = run(&VENDOR_MISMATCH, &s);
        assert!(f[0].evidence.contains(&"example.com/dep: is replaced by third_party/dep in go.mod, but marked as replaced by ../dep in vendor/modules.txt".to_string()), "{:#?}", f[0].evidence);
    }

    #[test]
    fn passes_in_sync_ignored_old_or_without_vendoring() {
        assert!(run(&VENDOR_MISMATCH, &vendored(GO_MOD, Some(MODULES_TXT), true)).is_empty());
        // No vendor dir and no -mod=vendor: modules come from the module cache.
        assert!(run(&VENDOR_MISMATCH, &vendored(GO_MOD, None, false)).is_empty());
        // -mod=mod in GOFLAGS: the vendor directory is ignored.
        let mut s = vendored(&GO_MOD.replace("v1.1.0", "v1.2.0"), Some(MODULES_TXT), true);
        s.env.insert("GOFLAGS".into(), "-mod=mod".into());
        assert!(run(&VENDOR_MISMATCH, &s).is_empty());
        // go 1.13: no ## explicit markers to compare.
        let s = vendored(&GO_MOD.replace("go 1.21", "go 1.13"), Some(""), true);
        assert!(run(&VENDOR_MISMATCH, &s).is_empty());
        // Not looked at (an older gatherer), and a module without requirements.
        assert!(run(&VENDOR_MISMATCH, &snapshot(json!({}))).is_empty());
        let mut s = snapshot(json!({"env": {"GOFLAGS": "-mod=vendor"}}));
        s.workspace.folders[0].vendor_dir = Some(false);
        assert!(run(&VENDOR_MISMATCH, &s).is_empty());
        // Garbage never panics.
        let _ = inconsistencies(
            "require (\nreplace => =>\n# x",
            "# \n## explicit\n# a => \n",
        );
    }
}
