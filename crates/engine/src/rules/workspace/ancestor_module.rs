use crate::context::Context;
use crate::declare_rule;
use crate::protocol::{Action, Applicability, Fix, Folder};
use crate::rules::host::thousands;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Two ways a workspace folder ends up in the wrong module:
    /// - the folder has no go.mod of its own and the module the go command picks for it
    ///   (`go env GOMOD`, run in the first folder; for other folders the nearest go.mod above
    ///   them) is a stray one: in the home directory, in a directory above it (`/`, `/home`), or at
    ///   a GOPATH root or `GOPATH/src`;
    /// - the same for a stray go.work (`go env GOWORK`, or the nearest go.work above the folder):
    ///   reported when the folder has no go.mod, or when the module check (`go list -m all`, which
    ///   lists the workspace's modules) shows that the folder's module is not in that workspace;
    /// - the folder itself is the home directory or the file-system root.
    ///
    /// A go.mod in an ordinary parent directory (a repository opened at a subdirectory) is fine and
    /// not reported.
    ///
    /// ## Why it matters
    /// The go command uses the nearest go.mod above the current directory (cmd/go
    /// `modload.findModuleRoot`), so a forgotten `~/go.mod` (from a `go mod init` run in the wrong
    /// terminal) swallows every project below it without a go.mod: their imports are resolved
    /// against that module and fail with texts like
    /// `main.go:3:8: package proj/util is not in std (/usr/lib/go-1.22/src/proj/util)` (real output
    /// of go1.22.12, recorded by `tests/scenarios/modules.test.ts`), while GSD401 no-module stays
    /// quiet because a go.mod *was* found. gopls then treats the whole home directory as one module
    /// and walks all of it. A stray `~/go.work` is worse: every module below it that it does not
    /// list fails with `current directory is contained in a module that is not one of the
    /// workspace modules listed in go.work. You can add the module to the workspace using:`
    /// (go1.22.12, same test). Opening `~` or `/` as the workspace does the same to the file
    /// watcher and gopls.
    ///
    /// ## Example
    /// `~/go.mod` says `module scratch`; the workspace `~/src/proj` has `main.go` and no go.mod;
    /// `go env GOMOD` in it prints `/home/gopher/go.mod`.
    ///
    /// ## Fix
    /// Move the stray go.mod away (`mv ~/go.mod ~/go.mod.bak`, after checking nothing uses it), or
    /// give the project its own module (`go mod init` in the folder). For a workspace opened at `~`
    /// or `/`, open the module's folder instead.
    pub ANCESTOR_MODULE {
        code: "GSD408",
        name: "ancestor-module",
        category: Workspace,
        severity: Warning,
        summary: "each folder uses its own module, not a stray go.mod above it",
        fix: Always,
        since: "0.1.0",
    }
}

fn norm(p: &str) -> String {
    let t = p.replace('\\', "/");
    let t = t.trim_end_matches('/');
    if t.is_empty() {
        "/".into()
    } else {
        t.to_string()
    }
}

/// `dir` is `path` or one of its ancestors.
fn contains(dir: &str, path: &str) -> bool {
    let (d, p) = (norm(dir), norm(path));
    d == p || d == "/" || p.starts_with(&format!("{d}/"))
}

fn parent(p: &str) -> String {
    let n = norm(p);
    match n.rfind('/') {
        Some(0) => "/".into(),
        Some(i) => n.get(..i).unwrap_or("/").to_string(),
        None => n,
    }
}

fn is_root(p: &str) -> bool {
    let n = norm(p);
    n == "/" || (n.len() == 2 && n.ends_with(':'))
}

/// Why a go.mod in `dir` is stray, if it is.
fn stray_reason(cx: &Context<'_>, dir: &str, home: Option<&str>) -> Option<String> {
    if let Some(h) = home {
        if norm(dir) == norm(h) {
            return Some("it is in your home directory".into());
        }
        if contains(dir, h) {
            return Some(format!("it is in {}, above your home directory", norm(dir)));
        }
    }
    if is_root(dir) {
        return Some("it is at the root of the file system".into());
    }
    let gopath = cx.go_env_var("GOPATH").or_else(|| cx.env("GOPATH"))?;
    gopath
        .split([':', ';'])
        .filter(|s| !s.is_empty())
        .find_map(|g| {
            if norm(dir) == norm(g) {
                Some(format!("it is at the GOPATH root {}", cx.tilde(g)))
            } else if norm(dir) == format!("{}/src", norm(g)) {
                Some(format!(
                    "it is at {}/src, the GOPATH source root",
                    cx.tilde(g)
                ))
            } else {
                None
            }
        })
}

fn basename(path: &str) -> &str {
    path.trim_end_matches(['/', '\\'])
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("app")
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let home = cx.snapshot.host.home.as_deref().or_else(|| cx.env("HOME"));
    let go = cx
        .go_candidate()
        .map(|c| c.path.clone())
        .unwrap_or_else(|| "go".into());
    let gopath_mode = cx
        .go_env_var("GO111MODULE")
        .or_else(|| cx.env("GO111MODULE"))
        == Some("off");
    for (i, folder) in cx.snapshot.workspace.folders.iter().enumerate() {
        let is_home = home.is_some_and(|h| norm(h) == norm(&folder.path));
        if is_home || is_root(&folder.path) {
            report_wide_folder(cx, folder, is_home, out);
            continue;
        }
        // In GOPATH mode no go.mod is used at all: GSD404's case.
        if gopath_mode || folder.go_work.is_some() {
            continue;
        }
        if stray_go_work(cx, i, folder, home, out) || folder.go_mod.is_some() {
            continue;
        }
        let from_go_env = if i == 0 {
            cx.go_env_var("GOMOD")
                .filter(|m| *m != "/dev/null" && *m != "NUL")
        } else {
            None
        };
        let Some(go_mod) = from_go_env.or(folder.ancestor_go_mod.as_deref()) else {
            continue;
        };
        let dir = parent(go_mod);
        if norm(&dir) == norm(&folder.path) || !contains(&dir, &folder.path) {
            continue;
        }
        let Some(why) = stray_reason(cx, &dir, home) else {
            continue;
        };
        let f = out.report(
            "The folder belongs to a stray go.mod above it",
            format!(
                "{} has no go.mod of its own, so the go command and gopls use {} ({why}): packages in the folder are loaded as part of that module, imports are resolved against it, and gopls loads everything under {}.",
                cx.tilde(&folder.path),
                cx.tilde(go_mod),
                cx.tilde(&dir)
            ),
        );
        f.evidence(format!("folder: {}", cx.tilde(&folder.path)));
        if from_go_env.is_some() {
            f.evidence(format!("go env GOMOD (run in the folder): {go_mod}"));
        } else {
            f.evidence(format!("nearest go.mod above the folder: {go_mod}"));
        }
        if !folder.go_files.is_empty() {
            let shown: Vec<&str> = folder.go_files.iter().take(3).map(String::as_str).collect();
            f.evidence(format!("Go files in the folder: {}", shown.join(", ")));
        }
        f.fix(Fix {
            title: format!(
                "Move the stray {} out of the way (check nothing uses it first)",
                cx.tilde(go_mod)
            ),
            applicability: Applicability::Unsafe,
            actions: vec![Action::RunShell {
                command: format!("mv '{go_mod}' '{go_mod}.bak'"),
                cwd: None,
            }],
        });
        let name = basename(&folder.path);
        f.fix(Fix {
            title: format!("Give the folder its own module: go mod init example.com/{name}"),
            applicability: Applicability::Unsafe,
            actions: vec![Action::RunShell {
                command: format!("{go} mod init example.com/{name}"),
                cwd: Some(folder.path.clone()),
            }],
        });
    }
}

/// The module path of a go.mod text.
fn module_path(go_mod: &str) -> Option<&str> {
    go_mod.lines().find_map(|l| {
        let rest = l.trim().strip_prefix("module")?;
        rest.starts_with([' ', '\t']).then(|| {
            rest.split("//")
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches('"')
        })
    })
}

/// A stray go.work (in ~, above it, at a GOPATH root) puts the folder in workspace mode. Reported
/// when the folder has no go.mod, or when the module check (`go list -m all`, which in workspace
/// mode lists the workspace's modules first) shows the folder's module is not in that workspace.
fn stray_go_work(
    cx: &Context<'_>,
    i: usize,
    folder: &Folder,
    home: Option<&str>,
    out: &mut Sink,
) -> bool {
    let from_go_env = if i == 0 {
        cx.go_env_var("GOWORK").filter(|w| *w != "off")
    } else {
        None
    };
    let Some(go_work) = from_go_env.or(folder.ancestor_go_work.as_deref()) else {
        return false;
    };
    let dir = parent(go_work);
    if norm(&dir) == norm(&folder.path) || !contains(&dir, &folder.path) {
        return false;
    }
    let Some(why) = stray_reason(cx, &dir, home) else {
        return false;
    };
    let own = folder.go_mod.as_ref().and_then(|m| module_path(&m.text));
    if let Some(own) = own {
        let Some(run) = folder.module_check.as_ref().filter(|r| r.succeeded()) else {
            return false;
        };
        if run
            .stdout
            .lines()
            .any(|l| l.split_whitespace().next() == Some(own))
        {
            return false;
        }
    }
    let f = out.report(
        "The folder is inside a stray go.work above it",
        format!(
            "{} ({why}) puts the go command and gopls into workspace mode for {}, but {}: go build says \"current directory is contained in a module that is not one of the workspace modules listed in go.work\" and gopls does not load the folder's packages.",
            cx.tilde(go_work),
            cx.tilde(&folder.path),
            match own {
                Some(m) => format!("the folder's module {m} is not one of its modules"),
                None => "the folder has no module in it".to_string(),
            }
        ),
    );
    f.evidence(format!("folder: {}", cx.tilde(&folder.path)));
    if from_go_env.is_some() {
        f.evidence(format!("go env GOWORK (run in the folder): {go_work}"));
    } else {
        f.evidence(format!("nearest go.work above the folder: {go_work}"));
    }
    if let Some(run) = folder.module_check.as_ref().filter(|_| own.is_some()) {
        let mods: Vec<&str> = run
            .stdout
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .take(5)
            .collect();
        f.evidence(format!(
            "go list -m all in the folder lists: {}",
            mods.join(", ")
        ));
    }
    f.fix(Fix {
        title: format!(
            "Move the stray {} out of the way (check nothing uses it first)",
            cx.tilde(go_work)
        ),
        applicability: Applicability::Unsafe,
        actions: vec![Action::RunShell {
            command: format!("mv '{go_work}' '{go_work}.bak'"),
            cwd: None,
        }],
    });
    true
}

fn report_wide_folder(cx: &Context<'_>, folder: &Folder, is_home: bool, out: &mut Sink) {
    let what = if is_home {
        "your home directory"
    } else {
        "the root of the file system"
    };
    let f = out.report(
        format!("The workspace is {what}"),
        format!(
            "The workspace folder {} is {what}: gopls and the file watcher walk everything below it ({}{} directories, {} files seen), and any go.mod there makes every project below one module. Open the module's own folder instead.",
            cx.tilde(&folder.path),
            if folder.walk_capped { "at least " } else { "" },
            thousands(u64::from(folder.dirs_visited.unwrap_or(0))),
            thousands(u64::from(folder.files_visited))
        ),
    );
    f.evidence(format!("workspace folder: {}", folder.path));
    if let Some(m) = &folder.go_mod {
        f.evidence(format!("go.mod in it: {}", m.path));
    }
    if !folder.nested_modules.is_empty() {
        let shown: Vec<&str> = folder
            .nested_modules
            .iter()
            .take(5)
            .map(String::as_str)
            .collect();
        f.evidence(format!("modules below it: {}", shown.join(", ")));
    }
    let base = folder.path.trim_end_matches(['/', '\\']);
    let target = folder
        .nested_modules
        .first()
        .map(|m| format!("{base}/{m}"))
        .unwrap_or_else(|| format!("{base}/path/to/module"));
    f.fix(Fix {
        title: format!("Open a module folder instead ({})", cx.tilde(&target)),
        applicability: Applicability::DisplayOnly,
        actions: vec![Action::RunShell {
            command: format!("code '{target}'"),
            cwd: None,
        }],
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    /// `~/src/proj` without a go.mod, `go env GOMOD` = `~/go.mod`.
    fn stray() -> crate::Snapshot {
        snapshot(json!({
            "go": {"env": run_ok(&[GO_BIN, "env", "-json"], "{\"GOMOD\": \"/home/gopher/go.mod\", \"GOPATH\": \"/home/gopher/go\"}")},
            "workspace": {"folders": [{"uri": "file:///home/gopher/src/proj", "path": "/home/gopher/src/proj",
                "ancestorGoMod": "/home/gopher/go.mod", "goFiles": ["main.go", "util/u.go"], "filesVisited": 2}]}}))
    }

    #[test]
    fn fires_for_a_go_mod_in_home_with_both_fixes() {
        let f = run(&ANCESTOR_MODULE, &stray());
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(
            f[0].message.starts_with("~/src/proj has no go.mod of its own, so the go command and gopls use ~/go.mod (it is in your home directory)"),
            "{}",
            f[0].message
        );
        assert!(f[0]
            .evidence
            .contains(&"go env GOMOD (run in the folder): /home/gopher/go.mod".to_string()));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command == "mv '/home/gopher/go.mod' '/home/gopher/go.mod.bak'")
        );
        assert!(
            matches!(&f[0].fixes[1].actions[0], Action::RunShell { command, cwd } if command == "/usr/lib/go-1.24/bin/go mod init example.com/proj" && cwd.as_deref() == Some("/home/gopher/src/proj"))
        );
        // After `go mod init` the folder has its own go.mod, and GOMOD points at it.
        let mut fixed = stray();
        fixed.workspace.folders[0].go_mod = Some(crate::protocol::FileText {
            path: "/home/gopher/src/proj/go.mod".into(),
            text: "module example.com/proj\n\ngo 1.24\n".into(),
        });
        assert!(run(&ANCESTOR_MODULE, &fixed).is_empty());
    }

    #[test]
    fn fires_at_gopath_src_above_home_and_for_home_or_root_workspaces() {
        let mut s = stray();
        s.go = None;
        s.workspace.folders[0].ancestor_go_mod = Some("/home/gopher/go/src/go.mod".into());
        s.workspace.folders[0].path = "/home/gopher/go/src/proj".into();
        s.env.insert("GOPATH".into(), "/home/gopher/go".into());
        let f = run(&ANCESTOR_MODULE, &s);
        assert!(
            f[0].message
                .contains("(it is at ~/go/src, the GOPATH source root)"),
            "{}",
            f[0].message
        );
        assert!(f[0]
            .evidence
            .contains(&"nearest go.mod above the folder: /home/gopher/go/src/go.mod".to_string()));
        let mut s = stray();
        s.workspace.folders[0].ancestor_go_mod = Some("/go.mod".into());
        s.go = None;
        assert!(run(&ANCESTOR_MODULE, &s)[0]
            .message
            .contains("(it is in /, above your home directory)"));
        let s = snapshot(
            json!({"workspace": {"folders": [{"uri": "file:///home/gopher", "path": "/home/gopher/",
            "nestedModules": ["src/a", "src/b"], "dirsVisited": 4000, "filesVisited": 19000, "walkCapped": true}]}}),
        );
        let f = run(&ANCESTOR_MODULE, &s);
        assert_eq!(f[0].title, "The workspace is your home directory");
        assert!(
            f[0].message
                .contains("(at least 4,000 directories, 19,000 files seen)"),
            "{}",
            f[0].message
        );
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command == "code '/home/gopher/src/a'")
        );
        let s = snapshot(json!({"workspace": {"folders": [{"uri": "file:///", "path": "/"}]}}));
        assert_eq!(
            run(&ANCESTOR_MODULE, &s)[0].title,
            "The workspace is the root of the file system"
        );
    }

    #[test]
    fn fires_for_a_stray_go_work_that_does_not_list_the_module() {
        // go1.22.12 in ~/src/proj with ~/go.work using only ./old (tests/scenarios/modules.test.ts).
        let mut s = snapshot(json!({
            "go": {"env": run_ok(&[GO_BIN, "env", "-json"], "{\"GOMOD\": \"/home/gopher/src/proj/go.mod\", \"GOWORK\": \"/home/gopher/go.work\"}")},
            "workspace": {"folders": [{"uri": "file:///home/gopher/src/proj", "path": "/home/gopher/src/proj",
                "goMod": {"path": "/home/gopher/src/proj/go.mod", "text": "module example.com/proj\n\ngo 1.22\n"},
                "ancestorGoWork": "/home/gopher/go.work", "goFiles": ["main.go"],
                "moduleCheck": run_ok(&[GO_BIN, "list", "-mod=readonly", "-m", "all"], "example.com/old\n")}]}}));
        let f = run(&ANCESTOR_MODULE, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].title, "The folder is inside a stray go.work above it");
        assert!(f[0].message.starts_with("~/go.work (it is in your home directory) puts the go command and gopls into workspace mode for ~/src/proj, but the folder's module example.com/proj is not one of its modules"), "{}", f[0].message);
        assert!(f[0]
            .evidence
            .contains(&"go list -m all in the folder lists: example.com/old".to_string()));
        assert!(
            matches!(&f[0].fixes[0].actions[0], Action::RunShell { command, .. } if command == "mv '/home/gopher/go.work' '/home/gopher/go.work.bak'")
        );
        // Listed in that go.work (deliberately): not reported. Moved away: not reported.
        s.workspace.folders[0].module_check = Some(
            serde_json::from_value(run_ok(
                &[GO_BIN, "list", "-m", "all"],
                "example.com/old\nexample.com/proj\n",
            ))
            .unwrap_or_default(),
        );
        assert!(run(&ANCESTOR_MODULE, &s).is_empty());
        let fixed = snapshot(json!({}));
        assert!(run(&ANCESTOR_MODULE, &fixed).is_empty());
    }

    #[test]
    fn passes_for_own_module_repo_subdirectory_or_no_module() {
        assert!(run(&ANCESTOR_MODULE, &snapshot(json!({}))).is_empty());
        // A repository opened at a subdirectory: the parent go.mod is the real module.
        let mut s = stray();
        s.workspace.folders[0].path = "/home/gopher/src/repo/cmd/tool".into();
        s.workspace.folders[0].ancestor_go_mod = Some("/home/gopher/src/repo/go.mod".into());
        s.go = None;
        assert!(run(&ANCESTOR_MODULE, &s).is_empty());
        // Outside any module GOMOD is /dev/null: GSD401's case.
        let mut s = stray();
        s.workspace.folders[0].ancestor_go_mod = None;
        s.go = snapshot(
            json!({"go": {"env": run_ok(&[GO_BIN, "env", "-json"], "{\"GOMOD\": \"/dev/null\"}")}}),
        )
        .go;
        assert!(run(&ANCESTOR_MODULE, &s).is_empty());
    }
}
