//! The one integration-test binary: rule fixtures, CLI cases, examples, docs in step.

mod approvals;
mod cli;
mod completions;
mod confine;
mod docs;
mod escaping;
mod examples;
mod formats;
mod git;
mod init;
mod new;
mod reliability;
mod render;
mod report;
mod rules;
mod schema;
mod support;
mod tables;
#[cfg(unix)]
mod writes;
