#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]
//! Go Setup Doctor's rule engine.
//!
//! Architecture invariants (see ARCHITECTURE.md):
//! - no IO: no file system, env, processes, clock or randomness; everything comes from the
//!   [`Snapshot`];
//! - [`check`] never fails and never panics: malformed input becomes a finding or a skipped check;
//! - same Snapshot, same Report (a saved snapshot replays exactly);
//! - no wasm-bindgen / js-sys / VS Code types here.

pub mod context;
pub mod goversion;
pub mod jsonc;
pub mod knowledge;
pub mod launch;
pub mod protocol;
pub mod registry;
pub mod rules;
pub mod sink;
pub mod text;

#[cfg(test)]
pub mod testing;

pub use protocol::*;

/// The engine's version, reported in every Report.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Run every rule over the snapshot.
pub fn check(snapshot: &Snapshot) -> Report {
    check_rules(snapshot, registry::RULES)
}

/// Run the given rules only (tests use this to isolate one rule).
pub fn check_rules(snapshot: &Snapshot, rules: &[registry::Rule]) -> Report {
    let cx = context::Context::new(snapshot);
    let mut findings = Vec::new();
    let mut checks = Vec::new();
    for rule in rules {
        let mut sink = sink::Sink::new(rule.meta);
        (rule.check)(&cx, &mut sink);
        let (mut found, status, reason) = sink.finish();
        checks.push(Check {
            code: rule.meta.code.to_string(),
            name: rule.meta.name.to_string(),
            category: rule.meta.category,
            summary: rule.meta.summary.to_string(),
            status,
            reason,
        });
        findings.append(&mut found);
    }
    findings.iter_mut().for_each(bound);
    findings.sort_by(|a, b| {
        a.severity
            .cmp(&b.severity)
            .then_with(|| a.code.cmp(&b.code))
    });
    let mut summary = Summary::default();
    for f in &findings {
        match f.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
            Severity::Info => summary.infos += 1,
        }
    }
    for c in &checks {
        match c.status {
            CheckStatus::Passed => summary.passed += 1,
            CheckStatus::Skipped => summary.skipped += 1,
            CheckStatus::NotApplicable => summary.not_applicable += 1,
            CheckStatus::Failed => {}
        }
    }
    Report {
        schema: SCHEMA_VERSION,
        engine_version: ENGINE_VERSION.to_string(),
        findings,
        checks,
        summary,
    }
}

/// Longest text a finding carries. Rules quote command output and file lines, and a hostile `go`
/// prints megabytes (the gatherer keeps up to 1 MiB per stream): far too much to show anywhere.
const MAX_MESSAGE_CHARS: usize = 4000;
const MAX_LINE_CHARS: usize = 500;
const MAX_EVIDENCE_LINES: usize = 50;

/// Bound a finding's texts and make them safe to print on a terminal.
fn bound(f: &mut Finding) {
    f.title = clean(&f.title, MAX_LINE_CHARS);
    f.message = clean(&f.message, MAX_MESSAGE_CHARS);
    if f.evidence.len() > MAX_EVIDENCE_LINES {
        let more = f.evidence.len() - MAX_EVIDENCE_LINES;
        f.evidence.truncate(MAX_EVIDENCE_LINES);
        f.evidence.push(format!("… {more} more lines"));
    }
    for e in &mut f.evidence {
        *e = clean(e, MAX_LINE_CHARS);
    }
    for r in &mut f.related {
        r.message = clean(&r.message, MAX_LINE_CHARS);
    }
}

/// Control characters (terminal escape sequences, NULs) become U+FFFD and `\r` is dropped; text
/// beyond `max` characters is cut, saying how much was left out.
fn clean(s: &str, max: usize) -> String {
    if s.len() <= max && !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len().min(max * 4));
    let mut kept = 0;
    for (i, c) in s.char_indices() {
        if kept == max {
            let rest = s.get(i..).map(|r| r.chars().count()).unwrap_or(0);
            out.push_str(&format!("… ({rest} more characters)"));
            break;
        }
        match c {
            '\r' => continue,
            '\n' | '\t' => out.push(c),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
        kept += 1;
    }
    out
}

/// Parse a Snapshot from JSON text. The only fallible step: bad JSON or an unknown schema.
pub fn parse_snapshot(json: &str) -> Result<Snapshot, String> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("snapshot is not valid JSON: {e}"))?;
    snapshot_from_value(value)
}

pub fn snapshot_from_value(value: serde_json::Value) -> Result<Snapshot, String> {
    let schema = value.get("schema").and_then(|s| s.as_u64()).unwrap_or(0);
    if schema != u64::from(SCHEMA_VERSION) {
        return Err(format!(
            "unsupported snapshot schema {schema}; this engine reads schema {SCHEMA_VERSION}"
        ));
    }
    serde_json::from_value(value)
        .map_err(|e| format!("snapshot does not match schema {SCHEMA_VERSION}: {e}"))
}

/// Metadata and docs of every rule.
pub fn rules() -> Vec<RuleInfo> {
    registry::RULES.iter().map(|r| r.meta.info()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hostile input (a `go` printing 1 MiB of stderr with terminal escapes): findings stay small
    /// and printable.
    #[test]
    fn findings_are_bounded_and_printable() {
        let mut f = Finding {
            title: "a\u{1b}]0;pwned\u{7}b".into(),
            message: "y".repeat(1 << 20),
            evidence: vec!["x\r\n\u{0}".into(); 80],
            ..Default::default()
        };
        bound(&mut f);
        assert_eq!(f.title, "a\u{FFFD}]0;pwned\u{FFFD}b");
        assert!(f.message.len() < MAX_MESSAGE_CHARS + 100);
        assert!(f.message.ends_with(&format!(
            "… ({} more characters)",
            (1 << 20) - MAX_MESSAGE_CHARS
        )));
        assert_eq!(f.evidence.len(), MAX_EVIDENCE_LINES + 1);
        assert_eq!(f.evidence[0], "x\n\u{FFFD}");
        assert_eq!(clean("plain\ttext\n", 100), "plain\ttext\n");
    }
}
