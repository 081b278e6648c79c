//! Delve's supported Go window per release.
//!
//! Source: shared/knowledge/GO-FACTS.md §3b, from go-delve/delve@3b775986 (HEAD 2026-08-21)
//! `pkg/goversion/compat.go` (`MinSupportedVersionOfGoMinor` / `MaxSupportedVersionOfGoMinor`) at
//! each tag. Delve checks the Go that compiled the debuggee; the `go` in use builds it.

pub const CHECKED_ON: &str = "2026-08-21";
pub const NEWEST_KNOWN: &str = "v1.27.1";

/// (first dlv version of the row as (minor, patch), min Go minor, max Go minor), newest first.
pub const WINDOWS: &[((u64, u64), u64, u64)] = &[
    ((27, 0), 25, 27),
    ((26, 0), 24, 26),
    ((25, 1), 22, 25),
    ((25, 0), 21, 24),
    ((24, 0), 21, 24),
    ((23, 0), 21, 23),
    ((22, 0), 19, 22),
    ((21, 1), 19, 21),
    ((21, 0), 18, 21),
    ((20, 0), 18, 20),
    ((9, 1), 17, 19),
    ((9, 0), 16, 19),
    ((8, 0), 16, 18),
    ((7, 0), 15, 17),
];

/// Supported (min, max) Go minors for a delve version `1.minor.patch`.
pub fn window(minor: u64, patch: u64) -> Option<(u64, u64)> {
    WINDOWS
        .iter()
        .find(|((m, p), _, _)| (minor, patch) >= (*m, *p))
        .map(|(_, lo, hi)| (*lo, *hi))
}

/// The delve release to install for a Go minor: vscode-go's pins (goTools.ts: go<1.19 ->
/// v1.20.2, go<1.21 -> v1.22.1), else the newest release whose window includes it.
pub fn install_version_for(go_minor: u64) -> &'static str {
    match go_minor {
        0..=18 => "v1.20.2",
        19..=20 => "v1.22.1",
        21..=23 => "v1.23.1",
        24 => "v1.25.0",
        25 => "v1.25.2",
        26 => "v1.26.3",
        _ => NEWEST_KNOWN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows() {
        assert_eq!(window(20, 2), Some((18, 20)));
        assert_eq!(window(24, 0), Some((21, 24)));
        assert_eq!(window(25, 2), Some((22, 25)));
        assert_eq!(window(6, 0), None);
        for g in 16..=27 {
            let v = install_version_for(g);
            let parts: Vec<u64> = v
                .trim_start_matches('v')
                .split('.')
                .filter_map(|p| p.parse().ok())
                .collect();
            if g >= 18 {
                let (lo, hi) = window(parts[1], parts[2]).unwrap();
                assert!(lo <= g && g <= hi, "go1.{g} -> {v}");
            }
        }
    }
}
