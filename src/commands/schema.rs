//! `airisk schema [KIND] [--write [DIR]]`: the JSON Schema (draft-07) of each YAML file kind,
//! for editor completion and validation (yaml-language-server). Built by `load::schema`.
//!
//! With KIND, that kind's schema on stdout (or `-o FILE`). Without, one JSON object holding
//! every kind's schema by name. `--write` writes `<kind>.schema.json` files into DIR (default:
//! the register's `.airisk/schema`, where the modeline of files written by `init` and `new`
//! points); the files are generated, so they are replaced, each by `output::replace` (a link
//! at a name is replaced, not followed; the default folder is created without following a
//! link on the way).

use super::Global;
use super::{EXIT_OK, Env, write_output};
use crate::kinds::Kind;
use crate::output;
use crate::workspace::Workspace;
use crate::workspace::schema::{SCHEMA_DIR, schema, schema_file, to_text};
use anyhow::{Context, Result};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The file kind (default: every kind).
    #[arg(value_enum)]
    pub kind: Option<SchemaKind>,
    /// Write `<kind>.schema.json` files into DIR (default: the register's .airisk/schema).
    #[arg(long, value_name = "DIR", num_args = 0..=1, conflicts_with = "output")]
    pub write: Option<Option<PathBuf>>,
    /// Write the schema to FILE instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

super::kind_arg!(
    /// A kind with a file format, hence a schema: people.yaml, systems/, risks/,
    /// assessments/, incidents/, soa.yaml, waivers.yaml (not the CSV reading files: a
    /// JSON Schema describes YAML, not a table).
    SchemaKind,
    |d| d.mapping.is_some() && d.schema.is_some()
);

pub fn run(args: &Args, global: &Global, env: &mut Env) -> Result<u8> {
    let kinds: Vec<Kind> = match args.kind {
        Some(k) => vec![k.0],
        None => Kind::with_files().collect(),
    };
    if let Some(dir) = &args.write {
        let dir = match dir {
            Some(d) => {
                let d = env.cwd.join(d);
                std::fs::create_dir_all(&d)
                    .with_context(|| format!("cannot create `{}`", d.display()))?;
                d
            }
            None => {
                let root = Workspace::working_root(&super::selection(global, env))?;
                output::folder_within(&root, SCHEMA_DIR)?
            }
        };
        write_schemas(&dir, &kinds)?;
        for k in &kinds {
            let path = dir.join(schema_file(*k));
            let shown = path.strip_prefix(&env.cwd).unwrap_or(&path);
            writeln!(env.stdout, "{}", shown.display())?;
        }
        return Ok(EXIT_OK);
    }
    let text = match args.kind {
        Some(k) => to_text(k.0),
        None => {
            let all: serde_json::Map<String, serde_json::Value> = kinds
                .iter()
                .map(|k| (k.name().to_string(), schema(*k)))
                .collect();
            let mut s = serde_json::to_string_pretty(&all)?;
            s.push('\n');
            s
        }
    };
    write_output(env, args.output.as_deref(), text.as_bytes())?;
    Ok(EXIT_OK)
}

/// Writes each kind's schema into the folder `dir`, replacing older versions.
pub fn write_schemas(dir: &std::path::Path, kinds: &[Kind]) -> Result<()> {
    for k in kinds {
        output::replace(&dir.join(schema_file(*k)), to_text(*k).as_bytes())?;
    }
    Ok(())
}
