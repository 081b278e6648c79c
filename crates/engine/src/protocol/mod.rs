//! Wire types: the engine's only API boundary. See ARCHITECTURE.md.
pub mod report;
pub mod snapshot;

pub use report::*;
pub use snapshot::*;
