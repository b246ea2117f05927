//! The integration tests, but for the one-per-file cases (rule cases and CLI cases: the
//! `cases` target, tests/cases/main.rs): git, rendering, formats, confinement, writes,
//! reliability, examples, and the docs in step.

mod adoption;
mod approvals;
mod cache;
mod ci_docs;
mod completions;
mod confine;
mod docs;
mod escaping;
mod examples;
mod formats;
mod git;
mod import;
mod init;
mod layering;
mod lsp;
mod lsp_client;
mod monitoring;
mod moves;
mod new;
mod reliability;
mod render;
mod report;
mod revisions;
mod rule_case;
mod rules;
mod schema;
mod shapes;
mod support;
mod tables;
mod values;
#[cfg(unix)]
mod writes;
