//! GSD9xx: health of the probes themselves.
pub mod probe_failed;
pub mod probe_skipped;
