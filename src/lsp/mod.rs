//! `airisk lsp`: the register in the editor (SPEC §12), a front end beside `commands/` over
//! the workspace's live register ([`workspace::live`](crate::workspace::live)). It speaks the
//! Language Server Protocol over standard input and output: the framing is ours
//! ([`transport`], bounded), the message types are `lsp-types`'; one thread reads a message,
//! handles it and answers, in order, so a `didChange` can never overtake another.
//!
//! What it offers: the findings of `check` for every file of the register, from the open
//! buffers over the disk, republished on every edit (one file re-read, the cross-file rules
//! run again); go to definition and find references for every id of the symbol index (and
//! from an evidence path to its file); hover for risks, controls and people; completion of
//! ids, enumeration values, categories and control ids where the field declarations expect
//! them; rename of an id over every file; code actions for "did you mean" fixes and a missing
//! screening entry; the ids a file defines as its symbols. Positions are converted exactly
//! in the encoding the client and server agree on ([`position`]).
//!
//! Attacker's view (docs/security.md): every URI is mapped to a path inside the register or
//! ignored (nothing outside is read, even when a client asks); buffers over the loader's
//! size limit are refused with the loader's finding; positions out of range are clamped;
//! malformed messages get JSON-RPC errors; a broken stream ends the server (exit code 1),
//! as does `exit` without `shutdown`.

mod features;
pub mod position;
mod server;
pub mod transport;

use crate::workspace::Selection;
use std::io::{BufRead, Write};

/// `airisk lsp`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Speak over standard input and output (the default and only transport; accepted
    /// because clients such as VS Code's pass it).
    #[arg(long)]
    pub stdio: bool,
}

/// Runs the server until the client says `exit` (code 0 after `shutdown`, else 1) or the
/// stream ends or breaks (1). `persist` runs after every message: the command layer's
/// writing of the history caches a check left (`.git/airisk/`), so a session that is killed
/// rather than told to exit keeps what it read of history.
pub fn run(
    _args: &Args,
    sel: Selection,
    input: &mut dyn BufRead,
    output: &mut dyn Write,
    log: &mut dyn Write,
    persist: &dyn Fn(),
) -> anyhow::Result<u8> {
    Ok(server::Server::new(sel, output, log).serve(input, persist))
}
