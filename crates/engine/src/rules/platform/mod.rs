//! GSD6xx: platform and remote.
pub mod rosetta_translated;
