//! GSD7xx: VS Code extensions.
