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
