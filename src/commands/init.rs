//! `airisk init [DIR]`: writes a small register that passes `check`. Never overwrites: when
//! any file it would write exists, it writes nothing and names the files in the way.

use super::{EXIT_OK, Env};
use crate::cli::Global;
use anyhow::{Result, bail};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to create the register (default: the current folder).
    pub dir: Option<PathBuf>,
}

pub fn run(_args: &Args, _global: &Global, _env: &mut Env) -> Result<u8> {
    bail!("init is not built yet");
    #[allow(unreachable_code)]
    Ok(EXIT_OK)
}
