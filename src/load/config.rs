//! airisk.toml: organisation, risk criteria, review policy, extra categories, the infosec
//! register, rule levels and the committers trusted to record approvals (`[git]`). Invalid configuration is an error that stops the run (exit 2),
//! reported with its file, line and column — never a finding.

use super::tree::Tree;
use super::yaml;
use crate::diag::{Code, RuleLevel, did_you_mean};
use crate::load::taxonomy::Taxonomy;
use crate::model::eu_ai_act::EuAiActConfig;
use crate::model::time::parse_date;
use crate::model::*;
use crate::source::Sources;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use toml::Spanned;

/// One problem in the configuration, at a span of a file in [`Sources`].
#[derive(Debug, Clone)]
pub struct ConfigProblem {
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

/// The configuration could not be used; every problem found, for the human renderer.
#[derive(Debug)]
pub struct ConfigError {
    pub sources: Sources,
    pub problems: Vec<ConfigProblem>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            let lc = self.sources.line_col(p.span);
            write!(
                f,
                "{}:{}: invalid configuration: {}",
                self.sources.path(p.span.file),
                lc,
                p.message
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    organisation: RawOrganisation,
    criteria: RawCriteria,
    review: Option<RawReview>,
    taxonomy: Option<RawTaxonomy>,
    infosec: Option<RawInfosec>,
    rules: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    git: Option<RawGit>,
    eu_ai_act: Option<RawEuAiAct>,
}

/// `[eu_ai_act]`: the EU AI Act profile (SPEC §10).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEuAiAct {
    applies: Option<bool>,
    public_service: Option<bool>,
    dates: Option<BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGit {
    trusted_committers: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrganisation {
    name: String,
    scope: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriteria {
    likelihood: Spanned<Vec<String>>,
    consequence: Spanned<Vec<String>>,
    acceptance_threshold: Spanned<i64>,
    consequence_types: Option<Vec<String>>,
    levels: Spanned<Vec<RawLevel>>,
    matrix: Option<RawMatrix>,
}

/// Rows of level names, one per likelihood value.
type RawMatrix = Spanned<Vec<Spanned<Vec<Spanned<String>>>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    name: Spanned<String>,
    max: Option<Spanned<i64>>,
    review_every: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReview {
    assessments_every: Option<Spanned<String>>,
    soa_every: Option<Spanned<String>>,
    due_soon: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTaxonomy {
    #[serde(default)]
    extra_categories: Vec<RawExtraCategory>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExtraCategory {
    id: Spanned<String>,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInfosec {
    register: Spanned<String>,
    id_column: Option<Spanned<String>>,
}

/// Default review policy when `[review]` leaves a value out.
pub const DEFAULT_ASSESSMENTS_EVERY: &str = "12 months";
pub const DEFAULT_SOA_EVERY: &str = "12 months";
pub const DEFAULT_DUE_SOON: &str = "30 days";

struct Problems {
    file: FileId,
    list: Vec<ConfigProblem>,
}

impl Problems {
    fn add(&mut self, range: std::ops::Range<usize>, message: impl Into<String>) {
        self.add_help(range, message, None);
    }

    fn add_help(
        &mut self,
        range: std::ops::Range<usize>,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.list.push(ConfigProblem {
            span: Span::new(self.file, range.start, range.end),
            message: message.into(),
            help,
        });
    }
}

/// The levels `[rules]` sets, by code: the checker's settings, kept out of the model's
/// [`Config`] (the model knows nothing of rule codes).
pub type RuleLevels = BTreeMap<Code, RuleLevel>;

/// Reads and validates airisk.toml (already in `sources` as `file`). `tree` holds the
/// register, for the infosec register path (relative to airisk.toml).
pub fn load(
    sources: &mut Sources,
    file: FileId,
    tree: &dyn Tree,
) -> Result<(Config, RuleLevels), Vec<ConfigProblem>> {
    let text = sources.get(file).text.clone();
    let mut p = Problems {
        file,
        list: Vec::new(),
    };
    let raw: RawConfig = match toml::from_str(&text) {
        Ok(r) => r,
        Err(e) => {
            let d = super::toml_errors::describe(&text, &e);
            p.add_help(d.range, d.message, d.help);
            return Err(p.list);
        }
    };

    let criteria = criteria(&raw.criteria, &mut p);
    let review = review(raw.review.as_ref(), &mut p);
    let extra_categories = extra_categories(raw.taxonomy.as_ref(), &mut p);
    let rules = rules(raw.rules.as_ref(), &mut p);
    let git = git(raw.git.as_ref(), &mut p);
    let eu_ai_act = eu_ai_act(raw.eu_ai_act.as_ref(), &mut p);
    let infosec = raw
        .infosec
        .as_ref()
        .and_then(|i| infosec(i, tree, sources, &mut p));

    match (criteria, review) {
        (Some(criteria), Some(review)) if p.list.is_empty() => Ok((
            Config {
                file,
                organisation: Organisation {
                    name: raw.organisation.name,
                    scope: raw.organisation.scope,
                },
                criteria,
                review,
                extra_categories,
                infosec,
                git,
                eu_ai_act,
            },
            rules,
        )),
        _ => {
            p.list.sort_by_key(|x| (x.span.start, x.span.end));
            Err(p.list)
        }
    }
}

fn parse_duration(p: &mut Problems, s: &Spanned<String>) -> Option<Duration> {
    match Duration::parse(s.get_ref()) {
        Ok(d) => Some(d),
        Err(e) => {
            p.add(s.span(), e);
            None
        }
    }
}

fn criteria(raw: &RawCriteria, p: &mut Problems) -> Option<Criteria> {
    let before = p.list.len();
    for (scale, name) in [
        (&raw.likelihood, "likelihood"),
        (&raw.consequence, "consequence"),
    ] {
        if scale.get_ref().is_empty() || scale.get_ref().len() > 10 {
            p.add(
                scale.span(),
                format!("the {name} scale needs between 1 and 10 values"),
            );
        }
    }
    let max_score = (raw.likelihood.get_ref().len() * raw.consequence.get_ref().len()) as i64;
    let threshold = *raw.acceptance_threshold.get_ref();
    if threshold < 0 || threshold > max_score {
        p.add(
            raw.acceptance_threshold.span(),
            format!("acceptance_threshold must be a score between 0 and {max_score} (likelihood x consequence)"),
        );
    }
    let mut levels = Vec::new();
    let mut seen = BTreeSet::new();
    for l in raw.levels.get_ref() {
        if !seen.insert(l.name.get_ref().clone()) {
            p.add(
                l.name.span(),
                format!("level `{}` is defined twice", l.name.get_ref()),
            );
        }
        let every = parse_duration(p, &l.review_every);
        levels.push(Level {
            name: l.name.get_ref().clone(),
            max: l
                .max
                .as_ref()
                .map(|m| (*m.get_ref()).clamp(0, i64::from(u32::MAX)) as u32),
            review_every: every.unwrap_or(Duration {
                n: 1,
                unit: time::Unit::Years,
            }),
        });
    }
    if levels.is_empty() {
        p.add(
            raw.levels.span(),
            "at least one level is needed in [[criteria.levels]]",
        );
    }
    let matrix = match &raw.matrix {
        Some(m) => matrix(m, raw, &levels, p),
        None => {
            bands(raw, max_score, p);
            None
        }
    };
    (p.list.len() == before).then(|| Criteria {
        likelihood: raw.likelihood.get_ref().clone(),
        consequence: raw.consequence.get_ref().clone(),
        acceptance_threshold: threshold.max(0) as u32,
        consequence_types: raw.consequence_types.clone().unwrap_or_default(),
        levels,
        matrix,
    })
}

/// Bands must rise and cover every score.
fn bands(raw: &RawCriteria, max_score: i64, p: &mut Problems) {
    let mut prev: Option<(i64, &str)> = None;
    for l in raw.levels.get_ref() {
        let Some(max) = &l.max else {
            p.add_help(
                l.name.span(),
                format!(
                    "level `{}` has no `max`: bands need one (or configure `matrix`)",
                    l.name.get_ref()
                ),
                Some(format!(
                    "add `max = N` to the [[criteria.levels]] table of `{}`, N being the \
                     highest score of this band",
                    l.name.get_ref()
                )),
            );
            continue;
        };
        if let Some((pm, before)) = prev
            && *max.get_ref() <= pm
        {
            p.add_help(
                max.span(),
                format!(
                    "band maxima must rise from one level to the next: `{}` has max = {}, \
                     not above the max of the band before it, `{before}` (max = {pm})",
                    l.name.get_ref(),
                    max.get_ref()
                ),
                Some(format!(
                    "a risk's level is the first band whose max is at least its score: \
                     check the max of `{before}` and of `{}`",
                    l.name.get_ref()
                )),
            );
        }
        prev = Some((*max.get_ref(), l.name.get_ref().as_str()));
    }
    // A last band without `max` is reported above, once.
    if let (Some(last), Some((pm, _))) = (raw.levels.get_ref().last(), prev)
        && last.max.is_some()
        && pm < max_score
    {
        let span = last.max.as_ref().map_or(last.name.span(), |m| m.span());
        p.add(
            span,
            format!(
                "scores above {pm} have no level: the last band's max must be at least {max_score}"
            ),
        );
    }
}

fn matrix(
    m: &RawMatrix,
    raw: &RawCriteria,
    levels: &[Level],
    p: &mut Problems,
) -> Option<Vec<Vec<usize>>> {
    let rows = m.get_ref();
    let (n, k) = (
        raw.likelihood.get_ref().len(),
        raw.consequence.get_ref().len(),
    );
    if rows.len() != n {
        p.add(
            m.span(),
            format!(
                "the matrix needs one row per likelihood value: {n} rows, found {}",
                rows.len()
            ),
        );
        return None;
    }
    let mut out = Vec::new();
    for row in rows {
        if row.get_ref().len() != k {
            p.add(
                row.span(),
                format!(
                    "each matrix row needs one cell per consequence value: {k}, found {}",
                    row.get_ref().len()
                ),
            );
            continue;
        }
        let mut cells = Vec::new();
        for cell in row.get_ref() {
            match levels.iter().position(|l| &l.name == cell.get_ref()) {
                Some(i) => cells.push(i),
                None => {
                    let help = did_you_mean(cell.get_ref(), levels.iter().map(|l| l.name.as_str()))
                        .map(|s| format!("did you mean `{s}`?"));
                    p.add_help(
                        cell.span(),
                        format!(
                            "level `{}` is not defined in [[criteria.levels]]",
                            cell.get_ref()
                        ),
                        help,
                    );
                }
            }
        }
        out.push(cells);
    }
    Some(out)
}

fn review(raw: Option<&RawReview>, p: &mut Problems) -> Option<ReviewPolicy> {
    let get = |p: &mut Problems, v: Option<&Spanned<String>>, default: &str| match v {
        Some(s) => parse_duration(p, s),
        None => Duration::parse(default).ok(),
    };
    Some(ReviewPolicy {
        assessments_every: get(
            p,
            raw.and_then(|r| r.assessments_every.as_ref()),
            DEFAULT_ASSESSMENTS_EVERY,
        )?,
        soa_every: get(p, raw.and_then(|r| r.soa_every.as_ref()), DEFAULT_SOA_EVERY)?,
        due_soon: get(p, raw.and_then(|r| r.due_soon.as_ref()), DEFAULT_DUE_SOON)?,
    })
}

fn extra_categories(raw: Option<&RawTaxonomy>, p: &mut Problems) -> Vec<ExtraCategory> {
    let mut out: Vec<ExtraCategory> = Vec::new();
    for c in raw
        .map(|t| t.extra_categories.as_slice())
        .unwrap_or_default()
    {
        let id = c.id.get_ref();
        if Taxonomy::get().category(id).is_some() {
            p.add(
                c.id.span(),
                format!("`{id}` is a built-in category already"),
            );
        } else if out.iter().any(|o| &o.id == id) {
            p.add(
                c.id.span(),
                format!("extra category `{id}` is defined twice"),
            );
        } else if id.trim().is_empty() || id.contains(char::is_whitespace) {
            p.add(c.id.span(), "a category id is one word, like `model-risk`");
        } else {
            out.push(ExtraCategory {
                id: id.clone(),
                name: c.name.clone(),
            });
        }
    }
    out
}

fn rules(
    raw: Option<&BTreeMap<Spanned<String>, Spanned<String>>>,
    p: &mut Problems,
) -> BTreeMap<Code, RuleLevel> {
    let mut out = BTreeMap::new();
    for (k, v) in raw.into_iter().flatten() {
        let Some(code) = Code::from_name(k.get_ref()) else {
            let help = did_you_mean(k.get_ref(), crate::diag::CODES.iter().map(|c| c.name))
                .map(|s| format!("did you mean `{s}`?"))
                .or_else(|| Some("docs/diagnostics.md lists every rule code".into()));
            p.add_help(k.span(), format!("unknown rule `{}`", k.get_ref()), help);
            continue;
        };
        let level = match v.get_ref().as_str() {
            "error" => RuleLevel::Error,
            "warning" => RuleLevel::Warning,
            "off" => RuleLevel::Off,
            other => {
                p.add(
                    v.span(),
                    format!(
                        "unknown rule level `{other}`: expected \"error\", \"warning\" or \"off\""
                    ),
                );
                continue;
            }
        };
        // A file that cannot be read is a record the register does not have, and other
        // rules lean on its finding standing (`unknown-reference` leaves a reference the
        // unreadable file declares to it): these two stay errors.
        if matches!(code, Code::YamlSyntax | Code::FileUnreadable) && level != RuleLevel::Error {
            p.add_help(
                v.span(),
                format!(
                    "`{}` cannot be lowered: a file that cannot be read is always an error",
                    k.get_ref()
                ),
                Some("fix the file, or move it out of the register".into()),
            );
            continue;
        }
        out.insert(code, level);
    }
    out
}

/// The settings of an airisk.toml text, flattened to (path, value as text), whatever
/// sections and keys it has (so a section added later shows in `diff` without new code):
/// `criteria.acceptance_threshold` → `8`, `criteria.levels[1].name` → `medium`,
/// `criteria.likelihood` → `[Rare, Unlikely, ...]`, `criteria.matrix[0]` → `[low, low, ...]`,
/// `rules.category-not-screened` → `warning`. A key that is not a bare TOML key is quoted
/// (`rules."a.b"`). Comments and layout are not settings. `None` when the text is not TOML.
pub fn flatten(text: &str) -> Option<Vec<(String, String)>> {
    let table: toml::Table = toml::from_str(text).ok()?;
    let mut out = Vec::new();
    flatten_table(&table, "", &mut out);
    Some(out)
}

fn flatten_table(table: &toml::Table, path: &str, out: &mut Vec<(String, String)>) {
    for (k, v) in table {
        let bare = !k.is_empty()
            && k.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        let key = if bare { k.clone() } else { format!("{k:?}") };
        let p = if path.is_empty() {
            key
        } else {
            format!("{path}.{key}")
        };
        flatten_value(v, p, out);
    }
}

fn flatten_value(v: &toml::Value, path: String, out: &mut Vec<(String, String)>) {
    match v {
        toml::Value::Table(t) => flatten_table(t, &path, out),
        toml::Value::Array(items) if items.iter().all(|i| toml_scalar(i).is_some()) => {
            let parts: Vec<String> = items.iter().filter_map(toml_scalar).collect();
            out.push((path, format!("[{}]", parts.join(", "))));
        }
        toml::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten_value(item, format!("{path}[{i}]"), out);
            }
        }
        other => {
            if let Some(s) = toml_scalar(other) {
                out.push((path, s));
            }
        }
    }
}

fn toml_scalar(v: &toml::Value) -> Option<String> {
    Some(match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::Array(_) | toml::Value::Table(_) => return None,
    })
}

/// `[eu_ai_act]`: `applies`, `public_service`, and `[eu_ai_act.dates]`, application dates
/// by the pack's keys, each a TOML date or a `"YYYY-MM-DD"` string; an unknown key is a
/// problem with a suggestion from the pack's keys.
fn eu_ai_act(raw: Option<&RawEuAiAct>, p: &mut Problems) -> EuAiActConfig {
    let Some(raw) = raw else {
        return EuAiActConfig::default();
    };
    let pack = &Taxonomy::get().eu_ai_act;
    let mut dates = BTreeMap::new();
    for (key, value) in raw.dates.iter().flatten() {
        let k = key.get_ref();
        if pack.date_entry(k).is_none() {
            let help = did_you_mean(k, pack.dates.iter().map(|d| d.key.as_str()))
                .map(|s| format!("did you mean `{s}`?"))
                .or_else(|| Some("`airisk taxonomy eu-ai-act` lists the date keys".into()));
            p.add_help(
                key.span(),
                format!("unknown EU AI Act date key `{k}`"),
                help,
            );
            continue;
        }
        let text = match value.get_ref() {
            toml::Value::Datetime(d)
                if d.date.is_some() && d.time.is_none() && d.offset.is_none() =>
            {
                Some(d.to_string())
            }
            toml::Value::String(s) => Some(s.clone()),
            _ => None,
        };
        match text.as_deref().map(parse_date) {
            Some(Ok(d)) => {
                dates.insert(k.clone(), d);
            }
            Some(Err(e)) => p.add(value.span(), format!("`{k}`: {e}")),
            None => p.add_help(
                value.span(),
                format!(
                    "`{k}` in [eu_ai_act.dates] must be a date (found {})",
                    match value.get_ref() {
                        toml::Value::Integer(_) | toml::Value::Float(_) => "a number",
                        toml::Value::Boolean(_) => "true or false",
                        toml::Value::Datetime(_) => "a date with a time",
                        toml::Value::Array(_) => "a list",
                        _ => "a table",
                    }
                ),
                Some(format!(
                    "write `{k} = 2027-12-02` or `{k} = \"2027-12-02\"`"
                )),
            ),
        }
    }
    EuAiActConfig {
        applies: raw.applies.unwrap_or(false),
        public_service: raw.public_service.unwrap_or(false),
        dates,
    }
}

/// `[git]`: `trusted_committers` is a list of `Name <email>`, each once; absent, the
/// committer of GitHub's web merges.
fn git(raw: Option<&RawGit>, p: &mut Problems) -> GitConfig {
    let Some(list) = raw.and_then(|g| g.trusted_committers.as_ref()) else {
        let github = Identity::parse_strict(crate::model::identity::GITHUB_WEB_FLOW)
            .expect("the default committer is well formed");
        return GitConfig {
            trusted_committers: vec![github],
        };
    };
    let mut trusted: Vec<Identity> = Vec::new();
    for entry in list {
        match Identity::parse_strict(entry.get_ref()) {
            Ok(id) if trusted.iter().any(|t| t.is(&id)) => {
                p.add(entry.span(), format!("committer `{id}` is listed twice"));
            }
            Ok(id) => trusted.push(id),
            Err(e) => p.add_help(
                entry.span(),
                e,
                Some(
                    "list committers as `\"Name <email>\"`, e.g. `\"GitHub <noreply@github.com>\"`"
                        .into(),
                ),
            ),
        }
    }
    GitConfig {
        trusted_committers: trusted,
    }
}

/// Reads the ISO 27001 register's ids (CSV with an id column, or a YAML list of mappings).
/// The file may lie beside the register, inside the git repository holding it
/// ([`Tree::read_beside`]: a regular file, never through a link out, never in `.git`, at most
/// `MAX_FILE_BYTES`). No message here ever quotes the file: it could be any file of the
/// repository, so a problem is told by its line, never by what the line holds.
fn infosec(
    raw: &RawInfosec,
    tree: &dyn Tree,
    sources: &mut Sources,
    p: &mut Problems,
) -> Option<Infosec> {
    let rel = raw.register.get_ref();
    let text = match tree.read_beside(rel) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            p.add(
                raw.register.span(),
                format!("cannot read the infosec register `{rel}`: {e}"),
            );
            return None;
        }
    };
    let column = raw
        .id_column
        .as_ref()
        .map_or("id", |c| c.get_ref().as_str());
    let is_yaml = rel.ends_with(".yaml") || rel.ends_with(".yml");
    let ids = if is_yaml {
        infosec_yaml(&text)
    } else {
        infosec_csv(&text, column)
    };
    match ids {
        Ok(ids) => {
            sources.add(rel.replace('\\', "/"), text);
            Some(Infosec {
                path: rel.clone(),
                ids,
            })
        }
        Err(e) => {
            let span = match (&raw.id_column, is_yaml) {
                (Some(c), false) => c.span(),
                _ => raw.register.span(),
            };
            p.add(span, format!("infosec register `{rel}`: {e}"));
            None
        }
    }
}

/// Where a CSV problem is, without what the file holds there.
fn csv_problem(e: &csv::Error) -> String {
    let line = e
        .position()
        .map(|p| format!("line {}", p.line()))
        .unwrap_or_else(|| "the file".into());
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => format!("{line} is not valid UTF-8"),
        csv::ErrorKind::Io(err) => err.to_string(),
        _ => format!("{line} is not valid CSV"),
    }
}

fn infosec_csv(text: &str, column: &str) -> Result<BTreeSet<String>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| csv_problem(&e))?.clone();
    let idx = headers
        .iter()
        .position(|h| h.trim().trim_start_matches('\u{feff}') == column)
        .ok_or_else(|| {
            format!(
                "its header row (line 1, {} columns) has no column `{column}`",
                headers.len()
            )
        })?;
    let mut ids = BTreeSet::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_problem(&e))?;
        if let Some(id) = record.get(idx).map(str::trim).filter(|s| !s.is_empty()) {
            ids.insert(id.to_string());
        }
    }
    Ok(ids)
}

fn infosec_yaml(text: &str) -> Result<BTreeSet<String>, String> {
    // The parser's message may quote the text (a key, a tag): give its line only.
    let root = yaml::parse(text).map_err(|e| format!("line {} is not valid YAML", e.line))?;
    let shape = "expected a YAML list of mappings with an `id`";
    let yaml::Value::Seq(items) = root.value else {
        return Err(shape.into());
    };
    let mut ids = BTreeSet::new();
    for item in items {
        let line = 1 + text
            .get(..item.start)
            .map_or(0, |t| t.matches('\n').count());
        let yaml::Value::Map(entries) = item.value else {
            return Err(format!("line {line}: {shape}"));
        };
        match entries
            .iter()
            .find(|(k, _)| k.text == "id")
            .map(|(_, v)| &v.value)
        {
            Some(yaml::Value::Str(s)) => ids.insert(s.clone()),
            Some(yaml::Value::Int(i)) => ids.insert(i.to_string()),
            _ => return Err(format!("line {line}: an entry has no `id`")),
        };
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const BASE: &str = r#"
[organisation]
name = "Org"
[criteria]
likelihood = ["a", "b", "c"]
consequence = ["x", "y", "z"]
acceptance_threshold = 3
"#;

    const LEVELS: &str = r#"
[[criteria.levels]]
name = "low"
max = 3
review_every = "12 months"
[[criteria.levels]]
name = "high"
max = 9
review_every = "3 months"
"#;

    fn load_text(text: &str, dir: &Path) -> Result<Config, Vec<String>> {
        let mut sources = Sources::default();
        let file = sources.add(CONFIG_NAME.into(), text.into());
        load(&mut sources, file, &crate::load::WorkTree::new(dir))
            .map(|(config, _)| config)
            .map_err(|ps| {
                ps.iter()
                    .map(|p| format!("{}: {}", sources.line_col(p.span), p.message))
                    .collect()
            })
    }

    const CONFIG_NAME: &str = "airisk.toml";

    #[test]
    fn bands_and_defaults() {
        let c = load_text(&format!("{BASE}{LEVELS}"), Path::new(".")).unwrap();
        assert_eq!(c.criteria.level(1, 3).unwrap().name, "low");
        assert_eq!(c.criteria.level(2, 2).unwrap().name, "high");
        assert_eq!(c.review.due_soon.to_string(), "30 days");
        assert_eq!(c.review.soa_every.to_string(), "12 months");
        assert_eq!(
            c.git.trusted_committers,
            [Identity::new("GitHub", "noreply@github.com")]
        );
        let c = load_text(
            &format!("{BASE}{LEVELS}[git]\ntrusted_committers = [\"Bot <bot@x>\"]\n"),
            Path::new("."),
        )
        .unwrap();
        assert_eq!(c.git.trusted_committers, [Identity::new("Bot", "bot@x")]);
        let e = load_text(
            &format!("{BASE}{LEVELS}[git]\ntrusted_committers = [\"Bot\", \"<x@y>\"]\n"),
            Path::new("."),
        )
        .unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].starts_with("18:23: `Bot` is not a committer"), "{e:?}");
        assert!(e[1].starts_with("18:30: `<x@y>` has no name"), "{e:?}");
    }

    #[test]
    fn matrix_levels_come_from_the_matrix() {
        let text = format!(
            "{BASE}matrix = [[\"low\",\"low\",\"high\"],[\"low\",\"high\",\"high\"],[\"high\",\"high\",\"high\"]]\n\
             [[criteria.levels]]\nname = \"low\"\nreview_every = \"1 year\"\n\
             [[criteria.levels]]\nname = \"high\"\nreview_every = \"1 month\"\n"
        );
        let c = load_text(&text, Path::new(".")).unwrap();
        assert_eq!(c.criteria.level(1, 3).unwrap().name, "high");
        assert_eq!(c.criteria.level(2, 1).unwrap().name, "low");
    }

    #[test]
    fn problems_are_reported_with_positions() {
        let bad_matrix = format!(
            "{BASE}matrix = [[\"low\",\"low\",\"hgh\"],[\"low\",\"low\",\"low\"],[\"low\",\"low\",\"low\"]]\n{LEVELS}"
        );
        let e = load_text(&bad_matrix, Path::new(".")).unwrap_err();
        assert_eq!(
            e,
            ["8:24: level `hgh` is not defined in [[criteria.levels]]"]
        );

        let uncovered = format!("{BASE}{}", LEVELS.replace("max = 9", "max = 8"));
        let e = load_text(&uncovered, Path::new(".")).unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(e[0].contains("scores above 8 have no level"), "{e:?}");

        let rules = format!(
            "{BASE}{LEVELS}[rules]\nreview-overdu = \"off\"\nevidence-missing = \"never\"\n"
        );
        let e = load_text(&rules, Path::new(".")).unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].contains("unknown rule `review-overdu`"));
        assert!(e[1].contains("unknown rule level `never`"));

        // The codes of a file not read stay errors; other format codes may be lowered.
        let lowered = format!(
            "{BASE}{LEVELS}[rules]\nyaml-syntax = \"off\"\nfile-unreadable = \"warning\"\nunknown-field = \"warning\"\n"
        );
        let e = load_text(&lowered, Path::new(".")).unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].contains("`yaml-syntax` cannot be lowered"), "{e:?}");
        assert!(
            e[1].contains("`file-unreadable` cannot be lowered"),
            "{e:?}"
        );
        let kept = format!("{BASE}{LEVELS}[rules]\nyaml-syntax = \"error\"\n");
        assert!(load_text(&kept, Path::new(".")).is_ok());

        let duration = format!("{BASE}{}", LEVELS.replace("\"3 months\"", "\"quarterly\""));
        let e = load_text(&duration, Path::new(".")).unwrap_err();
        assert!(e[0].contains("`quarterly` is not a duration"), "{e:?}");

        let e = load_text(
            &format!("{BASE}{LEVELS}[infosec]\nregister = \"nope.csv\"\n"),
            Path::new("."),
        )
        .unwrap_err();
        assert!(
            e[0].contains("cannot read the infosec register `nope.csv`"),
            "{e:?}"
        );
    }

    #[test]
    fn infosec_register_as_csv_or_yaml() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("r.csv"),
            "\u{feff}ref,title\nISR-1,\"A, quoted\"\nISR-2,x\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("r.yaml"), "- id: ISR-3\n- id: 4\n").unwrap();
        let csv = load_text(
            &format!("{BASE}{LEVELS}[infosec]\nregister = \"r.csv\"\nid_column = \"ref\"\n"),
            dir.path(),
        )
        .unwrap();
        assert_eq!(
            csv.infosec.unwrap().ids.into_iter().collect::<Vec<_>>(),
            ["ISR-1", "ISR-2"]
        );
        let yaml = load_text(
            &format!("{BASE}{LEVELS}[infosec]\nregister = \"r.yaml\"\n"),
            dir.path(),
        )
        .unwrap();
        assert_eq!(
            yaml.infosec.unwrap().ids.into_iter().collect::<Vec<_>>(),
            ["4", "ISR-3"]
        );
        let e = load_text(
            &format!("{BASE}{LEVELS}[infosec]\nregister = \"r.csv\"\n"),
            dir.path(),
        )
        .unwrap_err();
        assert!(e[0].contains("no column `id`"), "{e:?}");
    }

    #[test]
    fn settings_flatten_to_paths_whatever_the_sections() {
        let flat = flatten(
            "# a comment\n[criteria]\nacceptance_threshold = 8\nlikelihood = [\"Rare\", \"Likely\"]\nmatrix = [[\"low\", \"high\"], [\"high\", \"high\"]]\n[[criteria.levels]]\nname = \"low\"\nmax = 4\n[rules]\ntreatment-required = \"off\"\n\"a.b\" = true\n[git]\ntrusted_committers = [\"GitHub <noreply@github.com>\"]\n",
        )
        .expect("TOML");
        let get = |k: &str| flat.iter().find(|(p, _)| p == k).map(|(_, v)| v.as_str());
        assert_eq!(get("criteria.acceptance_threshold"), Some("8"));
        assert_eq!(get("criteria.likelihood"), Some("[Rare, Likely]"));
        assert_eq!(get("criteria.matrix[1]"), Some("[high, high]"));
        assert_eq!(get("criteria.levels[0].max"), Some("4"));
        assert_eq!(get("rules.treatment-required"), Some("off"));
        assert_eq!(get("rules.\"a.b\""), Some("true"));
        assert_eq!(
            get("git.trusted_committers"),
            Some("[GitHub <noreply@github.com>]")
        );
        assert_eq!(flatten("not = [toml"), None);
    }
    #[test]
    fn eu_ai_act_dates_are_overridden_by_key() {
        let dir = tempfile::tempdir().unwrap();
        let c = load_text(
            &format!(
                "{BASE}{LEVELS}[eu_ai_act]\napplies = true\npublic_service = true\n[eu_ai_act.dates]\nhigh_risk_annex_iii = 2028-06-02\nhigh_risk_annex_i = \"2029-01-31\"\n"
            ),
            dir.path(),
        )
        .unwrap();
        let eu = &c.eu_ai_act;
        assert!(eu.applies && eu.public_service);
        let dates: Vec<(&str, String)> = eu
            .dates
            .iter()
            .map(|(k, d)| (k.as_str(), d.to_string()))
            .collect();
        assert_eq!(
            dates,
            [
                ("high_risk_annex_i", "2029-01-31".to_string()),
                ("high_risk_annex_iii", "2028-06-02".to_string())
            ]
        );
        // Off unless said.
        let off = load_text(&format!("{BASE}{LEVELS}"), dir.path()).unwrap();
        assert!(!off.eu_ai_act.applies && off.eu_ai_act.dates.is_empty());
        let lines = BASE.lines().count() + LEVELS.lines().count();
        for (extra, want) in [
            (
                "high_risk_annex_3 = 2028-06-02\n",
                "unknown EU AI Act date key `high_risk_annex_3`",
            ),
            ("general = \"2026-02-30\"\n", "no such day in the calendar"),
            (
                "general = 20260802\n",
                "`general` in [eu_ai_act.dates] must be a date (found a number)",
            ),
            (
                "general = 2026-08-02T10:00:00\n",
                "`general` in [eu_ai_act.dates] must be a date (found a date with a time)",
            ),
        ] {
            let e = load_text(
                &format!("{BASE}{LEVELS}[eu_ai_act.dates]\n{extra}"),
                dir.path(),
            )
            .unwrap_err();
            assert_eq!(e.len(), 1, "{extra}: {e:?}");
            assert!(
                e[0].starts_with(&format!("{}:", lines + 2)) && e[0].contains(want),
                "{extra}: {e:?}"
            );
        }
    }
}
