//! Facts derived once per run from the Snapshot and shared by all rules: parsed settings
//! layers, parsed `go env` / `go version` / `go version -m` outputs.

use std::collections::BTreeMap;

use crate::goversion::{parse_go_version_output, parse_module_version, GoVersion};
use crate::jsonc::SettingsDoc;
use crate::protocol::*;

/// One settings layer with its parsed document (absent when the file has no text).
pub struct Layer<'a> {
    pub layer: &'a SettingsLayer,
    pub doc: Option<SettingsDoc<'a>>,
}

/// `go version -m` output for one binary.
#[derive(Debug, Clone, Default)]
pub struct BuildInfo {
    pub path: String,
    pub go_version: Option<GoVersion>,
    pub module_path: Option<String>,
    pub module_version: Option<String>,
    pub settings: BTreeMap<String, String>,
}

pub struct Context<'a> {
    pub snapshot: &'a Snapshot,
    /// Settings layers ordered by precedence, lowest first.
    pub layers: Vec<Layer<'a>>,
    go_env: Option<BTreeMap<String, String>>,
    go_version: Option<(GoVersion, String)>,
    build_info: Vec<BuildInfo>,
}

impl<'a> Context<'a> {
    pub fn new(snapshot: &'a Snapshot) -> Self {
        let mut layers: Vec<Layer<'a>> = snapshot
            .settings
            .iter()
            .map(|layer| Layer {
                layer,
                doc: layer.text.as_deref().map(|t| {
                    SettingsDoc::parse(&layer.uri, t, layer.scope == Scope::WorkspaceFile)
                }),
            })
            .collect();
        layers.sort_by_key(|l| l.layer.scope);
        let go_env = snapshot
            .go
            .as_ref()
            .and_then(|g| g.env.as_ref())
            .filter(|run| run.succeeded())
            .and_then(|run| {
                serde_json::from_str::<BTreeMap<String, serde_json::Value>>(&run.stdout).ok()
            })
            .map(|m| {
                m.into_iter()
                    .map(|(k, v)| {
                        (
                            k,
                            v.as_str()
                                .map(str::to_string)
                                .unwrap_or_else(|| v.to_string()),
                        )
                    })
                    .collect()
            });
        let go_version = snapshot
            .go
            .as_ref()
            .and_then(|g| g.version.as_ref())
            .filter(|run| run.succeeded())
            .and_then(|run| parse_go_version_output(&run.stdout));
        let build_info = snapshot
            .tools_build_info
            .as_ref()
            .map(|r| parse_build_info(&r.stdout))
            .unwrap_or_default();
        Context {
            snapshot,
            layers,
            go_env,
            go_version,
            build_info,
        }
    }

    /// The effective value of a setting and the layer it comes from (highest precedence wins).
    pub fn effective(&self, key: &str) -> Option<(serde_json::Value, &Layer<'a>)> {
        self.layers
            .iter()
            .rev()
            .find_map(|l| l.doc.as_ref().and_then(|d| d.value(key)).map(|v| (v, l)))
    }

    /// Every layer that sets `key`, lowest precedence first.
    pub fn layers_setting(&self, key: &str) -> Vec<(&Layer<'a>, serde_json::Value)> {
        self.layers
            .iter()
            .filter_map(|l| l.doc.as_ref().and_then(|d| d.value(key)).map(|v| (l, v)))
            .collect()
    }

    pub fn language_server_enabled(&self) -> bool {
        !matches!(
            self.effective("go.useLanguageServer"),
            Some((serde_json::Value::Bool(false), _))
        )
    }

    /// `go.toolsEnvVars` value of `var`, with the layer it comes from.
    pub fn tools_env_var(&self, var: &str) -> Option<(String, &Layer<'a>)> {
        self.layers.iter().rev().find_map(|l| {
            let v = l.doc.as_ref()?.value("go.toolsEnvVars")?;
            let s = v.get(var)?.as_str()?.to_string();
            Some((s, l))
        })
    }

    /// Parsed `go env -json` of the `go` in use, if it ran successfully.
    pub fn go_env(&self) -> Option<&BTreeMap<String, String>> {
        self.go_env.as_ref()
    }

    pub fn go_env_var(&self, key: &str) -> Option<&str> {
        self.go_env
            .as_ref()?
            .get(key)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }

    /// Version of the `go` in use, from `go version` (or `GOVERSION` of `go env`).
    pub fn go_version(&self) -> Option<GoVersion> {
        if let Some((v, _)) = &self.go_version {
            return Some(v.clone());
        }
        self.go_env_var("GOVERSION").and_then(GoVersion::parse)
    }

    /// The `go` candidate in use.
    pub fn go_candidate(&self) -> Option<&'a GoCandidate> {
        let g = self.snapshot.go.as_ref()?;
        self.snapshot.go_candidates.get(g.candidate as usize)
    }

    pub fn tool(&self, name: &str) -> Option<&'a ToolLookup> {
        self.snapshot.tools.iter().find(|t| t.name == name)
    }

    pub fn build_info(&self, path: &str) -> Option<&BuildInfo> {
        self.build_info.iter().find(|b| b.path == path)
    }

    /// Environment value as the process sees it.
    pub fn env(&self, key: &str) -> Option<&'a str> {
        self.snapshot.env.get(key).map(String::as_str)
    }

    /// Parse the `go` line of a go.mod / go.work text.
    pub fn go_directive(text: &str) -> Option<GoVersion> {
        text.lines().find_map(|l| {
            let l = l.trim();
            let rest = l.strip_prefix("go ")?;
            let v = rest.split("//").next()?.trim();
            GoVersion::parse(v)
        })
    }

    /// Replace the home directory with `~` for messages.
    pub fn tilde(&self, path: &str) -> String {
        match self.snapshot.host.home.as_deref().filter(|h| h.len() > 1) {
            Some(home) if path == home => "~".to_string(),
            Some(home) => match path.strip_prefix(home) {
                Some(rest) if rest.starts_with('/') || rest.starts_with('\\') => format!("~{rest}"),
                _ => path.to_string(),
            },
            None => path.to_string(),
        }
    }
}

/// Parse `go version -m a b c` output: per binary a header `path: goX.Y.Z` followed by tab-indented
/// `path`, `mod`, `dep`, `build` lines. Unreadable binaries print `path: <error>` lines.
pub fn parse_build_info(stdout: &str) -> Vec<BuildInfo> {
    let mut out: Vec<BuildInfo> = Vec::new();
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix('\t') {
            let Some(cur) = out.last_mut() else { continue };
            let mut parts = rest.split('\t');
            match parts.next() {
                Some("path") => cur.module_path = parts.next().map(str::to_string),
                Some("mod") => {
                    let _ = parts.next();
                    cur.module_version = parts
                        .next()
                        .map(str::to_string)
                        .filter(|v| parse_module_version(v).is_some());
                }
                Some("build") => {
                    if let Some(kv) = parts.next() {
                        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                        cur.settings.insert(k.to_string(), v.to_string());
                    }
                }
                _ => {}
            }
        } else if let Some((path, ver)) = line.rsplit_once(": ") {
            out.push(BuildInfo {
                path: path.to_string(),
                go_version: GoVersion::parse(ver),
                ..Default::default()
            });
        }
    }
    out
}

impl<'a> Context<'a> {
    /// The installed gopls's release version: `Version` of `gopls version -json`, else the module
    /// version in `go version -m`. `None` for non-release builds (Debian's "master").
    pub fn gopls_version(&self) -> Option<semver::Version> {
        let tool = self.tool("gopls")?;
        let from_json = tool
            .version
            .as_ref()
            .filter(|r| r.succeeded())
            .and_then(|r| serde_json::from_str::<serde_json::Value>(&r.stdout).ok())
            .and_then(|v| {
                v.get("Version")
                    .and_then(|v| v.as_str())
                    .and_then(parse_module_version)
            });
        from_json.or_else(|| {
            self.build_info(tool.path.as_deref()?)?
                .module_version
                .as_deref()
                .and_then(parse_module_version)
        })
    }

    /// A key of the `"gopls": {...}` setting as VS Code merges it (highest layer first), spelled
    /// dotted (`ui.diagnostic.staticcheck`) or as its leaf (`staticcheck`, which gopls also reads):
    /// the first value `f` accepts, with the layer and the spelling that set it.
    pub fn gopls_setting<T>(
        &self,
        key: &'static str,
        f: impl Fn(&serde_json::Value) -> Option<T>,
    ) -> Option<(T, &Layer<'a>, &'static str)> {
        let leaf = key.rsplit('.').next().unwrap_or(key);
        self.layers.iter().rev().find_map(|l| {
            let g = l.doc.as_ref()?.value("gopls")?;
            [key, leaf]
                .into_iter()
                .find_map(|k| Some((f(g.get(k)?)?, l, k)))
        })
    }

    /// Why the gatherer did not run a probe, if it said so.
    pub fn skipped(&self, probe: &str) -> Option<&'a str> {
        self.snapshot
            .skipped_probes
            .iter()
            .find(|p| p.probe == probe)
            .map(|p| p.reason.as_str())
    }

    /// The root of a Go installation holding this `go` binary (`/x/go/bin/go` -> `/x/go`).
    pub fn goroot_of_binary(path: &str) -> Option<String> {
        let p = path.replace('\\', "/");
        let lower = p.to_ascii_lowercase();
        let cut = if lower.ends_with("/bin/go") {
            p.len() - "/bin/go".len()
        } else if lower.ends_with("/bin/go.exe") {
            p.len() - "/bin/go.exe".len()
        } else {
            return None;
        };
        p.get(..cut).map(str::to_string)
    }

    /// Compare two paths the way the host OS does (case-insensitive on Windows and macOS,
    /// trailing separators ignored).
    pub fn same_path(&self, a: &str, b: &str) -> bool {
        let norm = |s: &str| {
            let mut t = s.replace('\\', "/");
            while t.len() > 1 && t.ends_with('/') {
                t.pop();
            }
            if matches!(self.snapshot.host.os.as_str(), "win32" | "darwin") {
                t.to_lowercase()
            } else {
                t
            }
        };
        norm(a) == norm(b)
    }

    /// The profile file and the line that puts `dir` on PATH for the user's login shell.
    pub fn path_line_for_shell(&self, dir: &str) -> (String, String) {
        let home_dir = match self.snapshot.host.home.as_deref().filter(|h| h.len() > 1) {
            Some(home) => match dir.strip_prefix(home) {
                Some(rest) if rest.starts_with('/') => format!("$HOME{rest}"),
                _ => dir.to_string(),
            },
            None => dir.to_string(),
        };
        let dir = home_dir.as_str();
        let shell = self
            .snapshot
            .host
            .shell
            .as_deref()
            .or_else(|| self.env("SHELL"))
            .unwrap_or("/bin/bash");
        let name = shell.rsplit('/').next().unwrap_or(shell);
        match name {
            "zsh" => ("~/.zprofile".into(), format!("export PATH=\"$PATH:{dir}\"")),
            "fish" => (
                "~/.config/fish/config.fish".into(),
                format!("fish_add_path {dir}"),
            ),
            _ => ("~/.profile".into(), format!("export PATH=\"$PATH:{dir}\"")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_info_of_two_binaries() {
        let text = "/usr/bin/gopls: go1.19.5\n\tpath\tgolang.org/x/tools/gopls\n\tbuild\tGOARCH=amd64\n/x/dlv: go1.22.6\n\tpath\tgithub.com/go-delve/delve/cmd/dlv\n\tmod\tgithub.com/go-delve/delve\tv1.24.0\th1:x=\n\tbuild\tGOARCH=arm64\n";
        let b = parse_build_info(text);
        assert_eq!(b.len(), 2);
        assert_eq!(
            b.first()
                .and_then(|x| x.go_version.as_ref())
                .map(|v| v.minor()),
            Some(19)
        );
        assert_eq!(
            b.get(1).and_then(|x| x.module_version.clone()).as_deref(),
            Some("v1.24.0")
        );
        assert_eq!(
            b.get(1)
                .and_then(|x| x.settings.get("GOARCH"))
                .map(String::as_str),
            Some("arm64")
        );
    }

    #[test]
    fn go_directive() {
        assert_eq!(
            Context::go_directive("module x\n\ngo 1.22.0 // c\n").map(|v| v.minor()),
            Some(22)
        );
        assert!(Context::go_directive("module x\n").is_none());
    }
}
