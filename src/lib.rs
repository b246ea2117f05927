//! airisk: an ISO/IEC 42001 AI risk register kept as YAML in git, checked like a compiler.
//!
//! The modules follow the data, top to bottom (docs/architecture.md has the whole map and
//! the dependency rule a test holds):
//!
//! ```text
//!            kinds ── the table of kinds, the field declarations (the format, once)
//!              │
//!  files ──► load ──────────► model ──────► check ──────► diag
//!            discover, read,  Register and  one file      Diagnostic, code table,
//!            yaml (spans),    its symbol    per rule      emitters: human, json,
//!            fields, config   index         (rules/)      github, sarif, gitlab
//!                               │
//!            git ──             ├──► changes ──┐
//!            history, --at,     └──► report ───┴──► render ──► output
//!            approvals               Document       formats     the one writer
//!
//!  workspace ── the register, opened, for every front end (and the pipelines that span
//!               stages: report trend, history, diff, pack, init, new)
//!  edit ─────── in-place edits of a YAML file at a value's span, confirmed by re-parsing
//!  import ───── spreadsheets (CSV, XLSX, ODS) into register files, through a mapping
//!  manual ───── the manual pages, one per subcommand, from the clap definition
//!  completion ─ the shell completion scripts, from the clap definition
//!  commands ─── one file per subcommand: its Args and the wiring
//!  lsp ──────── the language server, a front end beside commands (over workspace::live)
//!  cli ──────── the clap definition and the dispatch
//! ```
//!
//! `source` (files, spans, positions) and `text` (escaping per format, the id syntax) are
//! used throughout. `commands` is the only layer that touches the world (working directory,
//! clock, environment, stdout; `lsp`, the other front end, speaks on the streams `cli`
//! hands it); everything below takes values and writers, so it is
//! deterministic and testable in-process. Library code never prints. `output` is the one
//! writer the commands hand their files to (temporary files, atomic renames, cleanup on
//! signals).
//! `manual` and `completion` make the manual pages and shell completion scripts from the
//! command definition `cli` hands to the `man` and `completions` commands.

pub mod changes;
pub mod check;
pub mod cli;
pub mod commands;
pub mod completion;
pub mod diag;
pub mod edit;
pub mod git;
pub mod import;
pub mod kinds;
pub mod load;
pub mod lsp;
pub mod manual;
pub mod model;
pub mod output;
pub mod render;
pub mod report;
pub mod source;
pub mod text;
pub mod workspace;
