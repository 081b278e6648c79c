//! Go and tool version strings, compared with `semver`.
//!
//! Go spells versions its own way: `go1.21.0`, `go1.21rc2`, `go1.21` (a language version, or a
//! release before Go 1.21 which had no `.0`), `go1.9beta1`, `devel go1.23-abc123`. Each is mapped
//! to a `semver::Version`: `go1.21` -> 1.21.0, `go1.21rc2` -> 1.21.0-rc.2, `go1.9beta1` ->
//! 1.9.0-beta.1. Note that in Go's own ordering `go1.21` (language version) < `go1.21rc1` <
//! `go1.21.0`; where that matters, callers compare `minor` only.

use semver::{Prerelease, Version};

/// A parsed Go version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct GoVersion {
    pub version: Version,
    /// The text as written (`go1.21rc2`).
    pub raw: String,
}

impl GoVersion {
    /// Parse `go1.21.0`, `1.21`, `go1.21rc2`, `go1.9beta1`, `devel go1.23-abc` (-> 1.23.0).
    pub fn parse(s: &str) -> Option<GoVersion> {
        let t = s.trim();
        let t = t.strip_prefix("devel ").unwrap_or(t);
        let t = t.strip_prefix("go").unwrap_or(t);
        // Cut anything after the version proper: `1.23-abc123 +x`, `1.22.5 linux/amd64`.
        let end = t
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
            .unwrap_or(t.len());
        let t = t.get(..end)?;
        let (nums, pre) = match t.find(|c: char| c.is_ascii_alphabetic()) {
            Some(i) => (t.get(..i)?, t.get(i..)),
            None => (t, None),
        };
        let mut parts = nums.split('.');
        let major: u64 = parts.next()?.parse().ok()?;
        let minor: u64 = parts.next().unwrap_or("0").parse().ok()?;
        let patch: u64 = match parts.next() {
            Some(p) => p.parse().ok()?,
            None => 0,
        };
        if parts.next().is_some() {
            return None;
        }
        let mut version = Version::new(major, minor, patch);
        if let Some(pre) = pre {
            let split = pre.find(|c: char| c.is_ascii_digit()).unwrap_or(pre.len());
            let (word, num) = (pre.get(..split)?, pre.get(split..)?);
            if !matches!(word, "rc" | "beta" | "alpha") {
                return None;
            }
            let pre = if num.is_empty() {
                word.to_string()
            } else {
                format!("{word}.{num}")
            };
            version.pre = Prerelease::new(&pre).ok()?;
        }
        Some(GoVersion {
            version,
            raw: s.trim().to_string(),
        })
    }

    pub fn minor(&self) -> u64 {
        self.version.minor
    }

    /// `go1.21.3` style for messages.
    pub fn display(&self) -> String {
        let v = &self.version;
        if v.pre.is_empty() {
            format!("go{}.{}.{}", v.major, v.minor, v.patch)
        } else {
            format!(
                "go{}.{}{}",
                v.major,
                v.minor,
                v.pre.as_str().replace('.', "")
            )
        }
    }
}

/// Parse the output of `go version`: `go version go1.21.13 linux/amd64`.
/// Returns the version and the `os/arch` pair.
pub fn parse_go_version_output(stdout: &str) -> Option<(GoVersion, String)> {
    let line = stdout.lines().find(|l| l.starts_with("go version "))?;
    let rest = line.strip_prefix("go version ")?;
    let mut words = rest.split_whitespace();
    let mut first = words.next()?;
    if first == "devel" {
        first = words.next()?;
    }
    let version = GoVersion::parse(first)?;
    let platform = words.last().unwrap_or("").to_string();
    Some((version, platform))
}

/// Parse a module version such as `v0.16.1` or `v0.17.0-pre.1`. `(devel)`, `master` -> None.
pub fn parse_module_version(s: &str) -> Option<Version> {
    Version::parse(s.trim().strip_prefix('v')?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> String {
        GoVersion::parse(s)
            .map(|g| g.version.to_string())
            .unwrap_or_else(|| "none".into())
    }

    #[test]
    fn go_forms() {
        assert_eq!(v("go1.21.0"), "1.21.0");
        assert_eq!(v("go1.21"), "1.21.0");
        assert_eq!(v("1.22"), "1.22.0");
        assert_eq!(v("go1.21rc2"), "1.21.0-rc.2");
        assert_eq!(v("go1.9beta1"), "1.9.0-beta.1");
        assert_eq!(v("devel go1.23-abc123 Tue"), "1.23.0");
        assert_eq!(v("go1.24.4 X:boringcrypto"), "1.24.4");
        assert_eq!(v("gofoo"), "none");
        assert_eq!(v(""), "none");
        assert_eq!(v("go1.2.3.4"), "none");
    }

    #[test]
    fn ordering() {
        let rc = GoVersion::parse("go1.21rc2");
        let rel = GoVersion::parse("go1.21.0");
        assert!(rc < rel);
        assert!(GoVersion::parse("go1.9") < GoVersion::parse("go1.10"));
    }

    #[test]
    fn go_version_output() {
        let (ver, plat) = parse_go_version_output("go version go1.19.8 linux/amd64\n")
            .unwrap_or_else(|| {
                (
                    GoVersion::parse("go0").unwrap_or_else(|| unreachable!()),
                    String::new(),
                )
            });
        assert_eq!(ver.display(), "go1.19.8");
        assert_eq!(plat, "linux/amd64");
        assert!(parse_go_version_output("garbage").is_none());
    }

    #[test]
    fn module_versions() {
        assert_eq!(parse_module_version("v0.16.1").map(|v| v.minor), Some(16));
        assert!(parse_module_version("master").is_none());
        assert!(parse_module_version("(devel)").is_none());
    }
}
