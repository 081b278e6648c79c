//! Where a rule puts what it found.

use crate::protocol::{CheckStatus, Finding, Fix, Location, Related, Severity};
use crate::registry::RuleMeta;

pub struct Sink {
    meta: &'static RuleMeta,
    findings: Vec<Finding>,
    skipped: Option<String>,
    not_applicable: Option<String>,
}

impl Sink {
    pub fn new(meta: &'static RuleMeta) -> Self {
        Sink {
            meta,
            findings: Vec::new(),
            skipped: None,
            not_applicable: None,
        }
    }

    /// The rule could not run: say why (shown as a skipped check).
    pub fn skip(&mut self, reason: impl Into<String>) {
        if self.skipped.is_none() {
            self.skipped = Some(reason.into());
        }
    }

    /// The check does not apply to this machine (e.g. "applies to macOS"): shown as not
    /// applicable rather than as passed, so the report never claims what it did not check.
    pub fn not_applicable(&mut self, reason: impl Into<String>) {
        if self.not_applicable.is_none() {
            self.not_applicable = Some(reason.into());
        }
    }

    /// Report a finding at the rule's default severity; returns it for further detail.
    pub fn report(&mut self, title: impl Into<String>, message: impl Into<String>) -> &mut Finding {
        let meta = self.meta;
        self.findings.push(Finding {
            code: meta.code.to_string(),
            name: meta.name.to_string(),
            category: meta.category,
            severity: meta.severity,
            title: title.into(),
            message: message.into(),
            evidence: Vec::new(),
            location: None,
            related: Vec::new(),
            fixes: Vec::new(),
            doc: meta.doc_path(),
        });
        match self.findings.last_mut() {
            Some(f) => f,
            None => unreachable!("a finding was just pushed"),
        }
    }

    pub fn finish(self) -> (Vec<Finding>, CheckStatus, Option<String>) {
        if !self.findings.is_empty() {
            (self.findings, CheckStatus::Failed, None)
        } else if let Some(reason) = self.not_applicable {
            (self.findings, CheckStatus::NotApplicable, Some(reason))
        } else if let Some(reason) = self.skipped {
            (self.findings, CheckStatus::Skipped, Some(reason))
        } else {
            (self.findings, CheckStatus::Passed, None)
        }
    }
}

/// Builder-style helpers on a finding.
pub trait FindingExt {
    fn evidence(&mut self, line: impl Into<String>) -> &mut Self;
    fn at(&mut self, location: Option<Location>) -> &mut Self;
    fn related(&mut self, message: impl Into<String>, location: Option<Location>) -> &mut Self;
    fn fix(&mut self, fix: Fix) -> &mut Self;
    fn severity(&mut self, severity: Severity) -> &mut Self;
}

impl FindingExt for Finding {
    fn evidence(&mut self, line: impl Into<String>) -> &mut Self {
        self.evidence.push(line.into());
        self
    }
    fn at(&mut self, location: Option<Location>) -> &mut Self {
        if location.is_some() {
            self.location = location;
        }
        self
    }
    fn related(&mut self, message: impl Into<String>, location: Option<Location>) -> &mut Self {
        if let Some(location) = location {
            self.related.push(Related {
                message: message.into(),
                location,
            });
        }
        self
    }
    fn fix(&mut self, fix: Fix) -> &mut Self {
        self.fixes.push(fix);
        self
    }
    fn severity(&mut self, severity: Severity) -> &mut Self {
        self.severity = severity;
        self
    }
}
