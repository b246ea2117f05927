//! The one integration-test binary: rule fixtures, CLI cases, examples, docs in step.

mod cli;
mod docs;
mod examples;
mod init;
mod rules;
mod support;
