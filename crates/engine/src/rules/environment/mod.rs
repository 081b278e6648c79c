//! GSD5xx: environment variables.
