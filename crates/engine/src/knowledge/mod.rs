//! Knowledge tables: facts about Go, gopls, delve and vscode-go, each with its source.
//! All facts come from `shared/knowledge/GO-FACTS.md` (cited there as `repo@commit:path`).
//! "Newest known" values are explicit so the tables can be refreshed.

pub mod delve;
pub mod go;
pub mod gopls;
pub mod launch;
pub mod schema;
pub mod settings;
pub mod tools;
pub mod vscode_go;
