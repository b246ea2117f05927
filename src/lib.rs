//! airisk: an ISO/IEC 42001 AI risk register kept as YAML in git, checked like a compiler.
//!
//! The modules follow the data, top to bottom:
//!
//! ```text
//!  files ──► load ──────────► model ──────► check ──────► diag
//!            discover,        Register:     one file       Diagnostic, code table,
//!            yaml (spans),    validated,    per rule       emitters: human, json
//!            fields, config   spanned       (rules/)
//! ```
//!
//! `commands` is the only layer that touches the world (working directory, clock,
//! environment, stdout); everything below takes values and writers, so it is deterministic
//! and testable in-process. Library code never prints. `output` is the one writer the
//! commands hand their files to (temporary files, atomic renames, cleanup on signals).
//! `manual` and `completion` make the manual pages and shell completion scripts from the
//! command definition in `cli`.

pub mod changes;
pub mod check;
pub mod cli;
pub mod commands;
pub mod completion;
pub mod diag;
pub mod git;
pub mod load;
pub mod manual;
pub mod model;
pub mod output;
pub mod render;
pub mod report;
pub mod source;
pub mod text;
