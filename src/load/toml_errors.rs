//! airisk.toml's read errors in words: the toml crate's messages (`invalid type: string "6",
//! expected i64`, `duplicate key`, `missing field`) turned into what is expected, what was
//! found and what to write instead, at the key or value they are about
//! ([diagnostics.md](../../docs/diagnostics.md#errors-in-airisktoml)).
//!
//! The type of a value comes from the document itself, read again as a spanned tree
//! (`toml::de::DeTable`), so "found" names what the file holds, not serde's guess; the key
//! and section come from the same tree, or from the text around the error when the text is
//! not a TOML document at all (a key set twice).

use crate::diag::did_you_mean;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A read error of airisk.toml, described: where, what, and a help line.
pub(super) struct Described {
    pub range: Range<usize>,
    pub message: String,
    pub help: Option<String>,
}

/// The keys of one `[[criteria.levels]]` band, for a band key written in another table.
const BAND_KEYS: &[&str] = &["name", "max", "review_every"];

/// Describes the toml crate's error `e` on `text`.
pub(super) fn describe(text: &str, e: &toml::de::Error) -> Described {
    let range = e.span().unwrap_or(0..0);
    let message = e.message().trim().to_string();
    let plain = |message: String, help: Option<String>| Described {
        range: range.clone(),
        message,
        help,
    };
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((_, expected)) = rest.rsplit_once(", expected ")
        && let Some(d) = invalid_type(text, range.clone(), expected)
    {
        return d;
    }
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((field, rest)) = rest.split_once('`')
    {
        let expected: Vec<&str> = rest
            .split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, s)| s)
            .collect();
        let section = header_before(text, range.start).map(|h| h.text);
        let help = did_you_mean(field, expected.iter().copied())
            .map(|s| format!("did you mean `{s}`?"))
            .or_else(|| {
                (BAND_KEYS.contains(&field) && !expected.contains(&"review_every")).then(|| {
                    format!(
                        "`{field}` is a setting of one band: write it under that band's \
                         [[criteria.levels]] line, with its `name`"
                    )
                })
            });
        let list = expected
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let at = section.map_or("at the top level".to_string(), |s| format!("in {s}"));
        return plain(
            format!("unknown setting `{field}` {at} (expected one of {list})"),
            help,
        );
    }
    if message == "duplicate key" {
        return duplicate_key(text, range);
    }
    if let Some(rest) = message.strip_prefix("missing field `")
        && let Some((field, _)) = rest.split_once('`')
    {
        let header = header_at(text, range.start).or_else(|| header_before(text, range.start));
        return match header {
            Some(h) if h.text == "[[criteria.levels]]" => {
                let band = key_in_table(text, h.end, "name")
                    .map_or(String::new(), |n| format!(" (band {n})"));
                plain(
                    format!("this band{band} has no `{field}`"),
                    Some(format!(
                        "every [[criteria.levels]] table needs `name` and `review_every` \
                         (and `max` unless [criteria] has a `matrix`): add `{field} = …` \
                         below this line"
                    )),
                )
            }
            Some(h) => plain(format!("{} needs `{field}`", h.text), None),
            None => plain(
                format!("airisk.toml needs `{field}`"),
                Some(format!(
                    "add a [{field}] table (docs/format.md shows a complete airisk.toml)"
                )),
            ),
        };
    }
    plain(message, None)
}

/// `invalid type`: the value at `range` is not what the setting takes (`expected` in serde's
/// words). `None` when the value cannot be found in the document.
fn invalid_type(text: &str, range: Range<usize>, expected: &str) -> Option<Described> {
    let doc = DeTable::parse(text).ok()?;
    let mut path = Vec::new();
    let found = find(doc.get_ref(), range.start, &mut path)?;
    let (key, in_list) = match path.last()? {
        Seg::Key(k) => (k.clone(), false),
        Seg::Index(..) => (
            path.iter()
                .rev()
                .find_map(|s| match s {
                    Seg::Key(k) => Some(k.clone()),
                    Seg::Index(..) => None,
                })
                .unwrap_or_default(),
            true,
        ),
    };
    let want = match path.first() {
        // A rule's level is one of three words, and a duration a number and a unit: not any
        // text, so the number alone is not quoted for them.
        Some(Seg::Key(k)) if k == "rules" => Want::RuleLevel,
        _ if DURATIONS.contains(&key.as_str()) => Want::Duration,
        _ => Want::from_serde(expected),
    };
    let raw = text.get(found.span()).unwrap_or_default().trim();
    let subject = if in_list {
        format!("each value of `{key}`")
    } else {
        format!("`{key}`")
    };
    let place = where_(&path);
    let message = format!(
        "{subject}{place} must be {} (found {})",
        want.words(expected),
        found_words(found.get_ref(), raw)
    );
    let fix = fix(&want, found.get_ref(), raw).map(|v| {
        if in_list {
            format!("write {v} in the list")
        } else {
            format!("write {key} = {v}")
        }
    });
    Some(Described {
        range: found.span(),
        message,
        help: fix,
    })
}

/// One step of the path to a value: a key or the index of a list item.
enum Seg {
    Key(String),
    /// The index, and the item's `name` when it is a table that has one (a band).
    Index(usize, Option<String>),
}

/// The innermost value whose span holds `at`, with its path from the top. Every table is
/// searched (a `[section]`'s own span is its header, not its keys).
fn find<'a, 'i>(
    table: &'a DeTable<'i>,
    at: usize,
    path: &mut Vec<Seg>,
) -> Option<&'a Spanned<DeValue<'i>>> {
    for (k, v) in table {
        path.push(Seg::Key(k.get_ref().to_string()));
        if let Some(found) = find_value(v, at, path) {
            return Some(found);
        }
        path.pop();
    }
    None
}

fn holds(s: &Range<usize>, at: usize) -> bool {
    s.start <= at && at < s.end.max(s.start + 1)
}

fn find_value<'a, 'i>(
    v: &'a Spanned<DeValue<'i>>,
    at: usize,
    path: &mut Vec<Seg>,
) -> Option<&'a Spanned<DeValue<'i>>> {
    match v.get_ref() {
        DeValue::Table(t) => find(t, at, path).or_else(|| holds(&v.span(), at).then_some(v)),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let name = match item.get_ref() {
                    DeValue::Table(t) => t.iter().find_map(|(k, v)| match v.get_ref() {
                        DeValue::String(s) if k.get_ref() == "name" => Some(s.to_string()),
                        _ => None,
                    }),
                    _ => None,
                };
                path.push(Seg::Index(i, name));
                if let Some(found) = find_value(item, at, path) {
                    return Some(found);
                }
                path.pop();
            }
            holds(&v.span(), at).then_some(v)
        }
        _ => holds(&v.span(), at).then_some(v),
    }
}

/// " in [criteria]", " in the band \"medium\" of [[criteria.levels]]": where the setting
/// is, for the message (nothing at the top level). The path's last step is the setting
/// itself (a key, or a key and an index for an item of a list).
fn where_(path: &[Seg]) -> String {
    let mut end = path.len().saturating_sub(1);
    if matches!(path.get(end), Some(Seg::Index(..))) {
        end = end.saturating_sub(1);
    }
    let mut tables = Vec::new();
    let mut item = None;
    for s in &path[..end] {
        match s {
            Seg::Key(k) => tables.push(k.as_str()),
            Seg::Index(n, name) => item = Some((tables.join("."), *n, name.clone())),
        }
    }
    match item {
        Some((t, _, Some(name))) => format!(" in the band {name:?} of [[{t}]]"),
        Some((t, n, None)) => format!(" in table {} of [[{t}]]", n + 1),
        None if tables.is_empty() => String::new(),
        None => format!(" in [{}]", tables.join(".")),
    }
}

/// What a setting takes, from serde's `expected …`.
enum Want {
    Integer,
    Bool,
    Text,
    List,
    Table,
    RuleLevel,
    Duration,
    Other,
}

/// The settings that hold a duration (`"6 months"`).
const DURATIONS: &[&str] = &["review_every", "assessments_every", "soa_every", "due_soon"];

impl Want {
    fn from_serde(expected: &str) -> Want {
        match expected {
            "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize"
            | "an integer" => Want::Integer,
            "a boolean" => Want::Bool,
            "a string" => Want::Text,
            "a sequence" => Want::List,
            e if e.starts_with("struct ") || e == "a map" => Want::Table,
            _ => Want::Other,
        }
    }

    fn words(&self, expected: &str) -> String {
        match self {
            Want::Integer => "a whole number".into(),
            Want::Bool => "true or false".into(),
            Want::Text => "text in quotes".into(),
            Want::List => "a list in brackets, like [\"a\", \"b\"]".into(),
            Want::Table => "a table of settings".into(),
            Want::RuleLevel => "\"error\", \"warning\" or \"off\"".into(),
            Want::Duration => "a duration in quotes, like \"6 months\"".into(),
            Want::Other => expected.to_string(),
        }
    }
}

/// What the file holds, in words: `the text "6"`, `the number 6.5`, `a list`.
fn found_words(v: &DeValue<'_>, raw: &str) -> String {
    match v {
        DeValue::String(s) => format!("the text {:?}", short(s)),
        DeValue::Integer(_) | DeValue::Float(_) => format!("the number {raw}"),
        DeValue::Boolean(b) => format!("{b}"),
        DeValue::Datetime(d) => format!("the date {d}"),
        DeValue::Array(_) => "a list".into(),
        DeValue::Table(_) => "a table".into(),
    }
}

/// The most characters of a value a message repeats; longer text is cut, marked with `…`.
const MAX_SHOWN: usize = 80;

fn short(s: &str) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(MAX_SHOWN) {
        Some((i, _)) => format!("{}…", &s[..i]).into(),
        None => s.into(),
    }
}

/// The value to write instead, when it is clear what was meant.
fn fix(want: &Want, v: &DeValue<'_>, raw: &str) -> Option<String> {
    match (want, v) {
        (Want::Integer, DeValue::String(s)) => s.trim().parse::<i64>().ok().map(|n| n.to_string()),
        (Want::Integer, DeValue::Float(_)) => raw
            .parse::<f64>()
            .ok()
            .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
            .map(|f| format!("{}", f as i64)),
        (Want::Bool, DeValue::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" => Some("true".into()),
            "false" | "no" => Some("false".into()),
            _ => None,
        },
        (Want::Text, DeValue::Integer(_) | DeValue::Float(_) | DeValue::Boolean(_))
        | (Want::Text, DeValue::Datetime(_)) => Some(format!("{raw:?}")),
        (Want::List, DeValue::String(s)) if s.chars().count() <= MAX_SHOWN => {
            Some(format!("[{s:?}]"))
        }
        _ => None,
    }
}

/// A table header line (`[criteria]`, `[[criteria.levels]]`): its text and where it ends.
struct Header<'t> {
    text: &'t str,
    end: usize,
}

fn header_of_line(line: &str) -> Option<&str> {
    let t = line.split('#').next().unwrap_or("").trim();
    (t.starts_with('[') && t.ends_with(']')).then_some(t)
}

/// The header on the line holding `at`, if that line is one.
fn header_at(text: &str, at: usize) -> Option<Header<'_>> {
    let start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let end = text
        .get(start..)?
        .find('\n')
        .map_or(text.len(), |i| start + i);
    header_of_line(&text[start..end]).map(|t| Header { text: t, end })
}

/// The nearest header above the line holding `at`.
fn header_before(text: &str, at: usize) -> Option<Header<'_>> {
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let mut end = line_start.checked_sub(1)?;
    loop {
        let start = text[..end].rfind('\n').map_or(0, |i| i + 1);
        if let Some(t) = header_of_line(&text[start..end]) {
            return Some(Header { text: t, end });
        }
        end = start.checked_sub(1)?;
    }
}

/// The header below the line holding `at`, with where its line starts.
fn header_after(text: &str, at: usize) -> Option<(Header<'_>, usize)> {
    let mut start = text.get(at..)?.find('\n').map(|i| at + i + 1)?;
    while start < text.len() {
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        if let Some(t) = header_of_line(&text[start..end]) {
            return Some((Header { text: t, end }, start));
        }
        start = end + 1;
    }
    None
}

/// The bare key a line sets (`max = 9` → `max`).
fn line_key(line: &str) -> Option<&str> {
    let (k, _) = line.split_once('=')?;
    let k = k.trim();
    (!k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
    .then_some(k)
}

/// The value (as written) of `key` in the table whose header ends at `from`, up to the next
/// header.
fn key_in_table<'t>(text: &'t str, from: usize, key: &str) -> Option<&'t str> {
    let mut start = from.checked_add(1)?;
    while start < text.len() {
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = &text[start..end];
        if header_of_line(line).is_some() {
            return None;
        }
        if line_key(line) == Some(key) {
            let (_, v) = line.split_once('=')?;
            return Some(v.split(" #").next().unwrap_or(v).trim());
        }
        start = end + 1;
    }
    None
}

/// `duplicate key`: a key set twice in one table (most often a band's `max` written above
/// the next band's header), or a table header repeated (`[criteria.levels]` with single
/// brackets among `[[criteria.levels]]`).
fn duplicate_key(text: &str, range: Range<usize>) -> Described {
    let line_start = text
        .get(..range.start)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line_end = text
        .get(range.start..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| range.start + i);
    let line = text.get(line_start..line_end).unwrap_or("");
    if let Some(h) = header_of_line(line) {
        let name = h.trim_matches(['[', ']']).trim();
        let help = if h.starts_with("[[") {
            format!("{name} is already a single table: write [{name}] once")
        } else {
            format!(
                "if {name} is a list of tables (like the bands of [[criteria.levels]]), start \
                 every one with [[{name}]] (two brackets); otherwise write [{name}] once"
            )
        };
        return Described {
            range,
            message: format!("the table {h} is defined twice"),
            help: Some(help),
        };
    }
    let key = line_key(line).unwrap_or("this key");
    let header = header_before(text, range.start);
    let Some(h) = header else {
        return Described {
            range,
            message: format!("`{key}` is set twice at the top level"),
            help: Some("keep one of them".into()),
        };
    };
    if h.text == "[[criteria.levels]]" {
        let band = key_in_table(text, h.end, "name");
        let this = band.map_or("this band".to_string(), |n| format!("the band {n}"));
        let next = header_after(text, range.start);
        let next_lacks = next.as_ref().filter(|(n, _)| {
            n.text == "[[criteria.levels]]" && key_in_table(text, n.end, key).is_none()
        });
        let help = match next_lacks {
            Some((n, _)) => {
                let name = key_in_table(text, n.end, "name")
                    .map_or("the next band".to_string(), |s| {
                        format!("the next band, {s},")
                    });
                format!(
                    "each band is its own [[criteria.levels]] table, and {name} has no \
                     `{key}`: if this `{key}` is that band's, move it below the \
                     [[criteria.levels]] line of that band"
                )
            }
            None => format!("keep one `{key}` in each [[criteria.levels]] table"),
        };
        return Described {
            range,
            message: format!("`{key}` is set twice in {this}"),
            help: Some(help),
        };
    }
    Described {
        range,
        message: format!("`{key}` is set twice in {}", h.text),
        help: Some("keep one of them".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r#"[organisation]
name = "Org"
scope = "All"
[criteria]
likelihood = ["a", "b", "c"]
consequence = ["x", "y", "z"]
acceptance_threshold = 3
consequence_types = ["financial"]
[[criteria.levels]]
name = "low"
max = 3
review_every = "12 months"
[[criteria.levels]]
name = "high"
max = 9
review_every = "3 months"
[review]
due_soon = "30 days"
[taxonomy]
extra_categories = [{ id = "x-1", name = "X" }]
[infosec]
register = "isms.csv"
[rules]
stale-review = "warning"
[git]
trusted_committers = ["A <a@x>"]
[eu_ai_act]
applies = true
public_service = false
"#;

    /// The described error of BASE with `from` replaced by `to`, read as airisk.toml is.
    fn describe_edit(from: &str, to: &str) -> (String, Described) {
        assert!(BASE.contains(from), "{from}");
        let text = BASE.replacen(from, to, 1);
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Probe {
            organisation: Org,
            criteria: Crit,
            review: Option<std::collections::BTreeMap<String, String>>,
            taxonomy: Option<Tax>,
            infosec: Option<std::collections::BTreeMap<String, String>>,
            rules: Option<std::collections::BTreeMap<String, String>>,
            git: Option<Git>,
            eu_ai_act: Option<Eu>,
        }
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Org {
            name: String,
            scope: Option<String>,
        }
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Crit {
            likelihood: Vec<String>,
            consequence: Vec<String>,
            acceptance_threshold: i64,
            consequence_types: Option<Vec<String>>,
            levels: Vec<Band>,
        }
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Band {
            name: String,
            max: Option<i64>,
            review_every: String,
        }
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Tax {
            extra_categories: Vec<std::collections::BTreeMap<String, String>>,
        }
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Git {
            trusted_committers: Vec<String>,
        }
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Eu {
            applies: Option<bool>,
            public_service: Option<bool>,
        }
        let e = toml::from_str::<Probe>(&text).err().expect("an error");
        let d = describe(&text, &e);
        (text, d)
    }

    fn at(text: &str, d: &Described) -> String {
        text[d.range.clone()].to_string()
    }

    #[test]
    fn every_type_error_says_what_is_expected_and_found_at_the_value() {
        for (from, to, value, message, help) in [
            (
                "acceptance_threshold = 3",
                "acceptance_threshold = \"6\"",
                "\"6\"",
                "`acceptance_threshold` in [criteria] must be a whole number (found the text \"6\")",
                Some("write acceptance_threshold = 6"),
            ),
            (
                "acceptance_threshold = 3",
                "acceptance_threshold = 6.0",
                "6.0",
                "`acceptance_threshold` in [criteria] must be a whole number (found the number 6.0)",
                Some("write acceptance_threshold = 6"),
            ),
            (
                "acceptance_threshold = 3",
                "acceptance_threshold = \"six\"",
                "\"six\"",
                "`acceptance_threshold` in [criteria] must be a whole number (found the text \"six\")",
                None,
            ),
            (
                "max = 9",
                "max = \"9\"",
                "\"9\"",
                "`max` in the band \"high\" of [[criteria.levels]] must be a whole number (found the text \"9\")",
                Some("write max = 9"),
            ),
            (
                "name = \"Org\"",
                "name = 42",
                "42",
                "`name` in [organisation] must be text in quotes (found the number 42)",
                Some("write name = \"42\""),
            ),
            (
                "scope = \"All\"",
                "scope = 2026-01-01",
                "2026-01-01",
                "`scope` in [organisation] must be text in quotes (found the date 2026-01-01)",
                Some("write scope = \"2026-01-01\""),
            ),
            (
                "review_every = \"3 months\"",
                "review_every = 3",
                "3",
                "`review_every` in the band \"high\" of [[criteria.levels]] must be a duration in quotes, like \"6 months\" (found the number 3)",
                None,
            ),
            (
                "likelihood = [\"a\", \"b\", \"c\"]",
                "likelihood = [\"a\", 2, \"c\"]",
                "2",
                "each value of `likelihood` in [criteria] must be text in quotes (found the number 2)",
                Some("write \"2\" in the list"),
            ),
            (
                "consequence = [\"x\", \"y\", \"z\"]",
                "consequence = \"x\"",
                "\"x\"",
                "`consequence` in [criteria] must be a list in brackets, like [\"a\", \"b\"] (found the text \"x\")",
                Some("write consequence = [\"x\"]"),
            ),
            (
                "applies = true",
                "applies = \"yes\"",
                "\"yes\"",
                "`applies` in [eu_ai_act] must be true or false (found the text \"yes\")",
                Some("write applies = true"),
            ),
            (
                "public_service = false",
                "public_service = 0",
                "0",
                "`public_service` in [eu_ai_act] must be true or false (found the number 0)",
                None,
            ),
            (
                "stale-review = \"warning\"",
                "stale-review = 3",
                "3",
                "`stale-review` in [rules] must be \"error\", \"warning\" or \"off\" (found the number 3)",
                None,
            ),
            (
                "trusted_committers = [\"A <a@x>\"]",
                "trusted_committers = \"A <a@x>\"",
                "\"A <a@x>\"",
                "`trusted_committers` in [git] must be a list in brackets, like [\"a\", \"b\"] (found the text \"A <a@x>\")",
                Some("write trusted_committers = [\"A <a@x>\"]"),
            ),
            (
                "name = \"X\"",
                "name = true",
                "true",
                "`name` in table 1 of [[taxonomy.extra_categories]] must be text in quotes (found true)",
                Some("write name = \"true\""),
            ),
            (
                "due_soon = \"30 days\"",
                "due_soon = [\"30 days\"]",
                "[\"30 days\"]",
                "`due_soon` in [review] must be a duration in quotes, like \"6 months\" (found a list)",
                None,
            ),
        ] {
            let (text, d) = describe_edit(from, to);
            assert_eq!(at(&text, &d), value, "{to}");
            assert_eq!(d.message, message, "{to}");
            assert_eq!(d.help.as_deref(), help, "{to}");
        }
    }

    #[test]
    fn a_band_key_in_the_wrong_table_is_named_at_the_key() {
        // `max` written above the next band's header: set twice in the band before.
        let (text, d) = describe_edit(
            "review_every = \"12 months\"\n[[criteria.levels]]\nname = \"high\"\nmax = 9\n",
            "review_every = \"12 months\"\nmax = 9\n[[criteria.levels]]\nname = \"high\"\n",
        );
        assert_eq!(at(&text, &d), "max");
        assert_eq!(d.message, "`max` is set twice in the band \"low\"");
        let help = d.help.unwrap();
        assert!(
            help.contains("the next band, \"high\", has no `max`"),
            "{help}"
        );
        // `max` in [criteria] itself.
        let (text, d) = describe_edit(
            "acceptance_threshold = 3\n",
            "acceptance_threshold = 3\nmax = 3\n",
        );
        assert_eq!(at(&text, &d), "max");
        assert!(
            d.message.starts_with("unknown setting `max` in [criteria]"),
            "{}",
            d.message
        );
        assert!(d.help.unwrap().contains("[[criteria.levels]]"));
        // A band without a name: at its own header.
        let (text, d) = describe_edit("name = \"high\"\n", "");
        assert_eq!(at(&text, &d), "[[criteria.levels]]");
        assert_eq!(&text[..d.range.start].lines().count(), &12);
        assert_eq!(d.message, "this band has no `name`");
        // Single brackets among the bands.
        let (_, d) = describe_edit(
            "[[criteria.levels]]\nname = \"high\"",
            "[criteria.levels]\nname = \"high\"",
        );
        assert_eq!(d.message, "the table [criteria.levels] is defined twice");
        assert!(
            d.help
                .unwrap()
                .contains("[[criteria.levels]] (two brackets)")
        );
        // A misspelt key keeps its "did you mean".
        let (_, d) = describe_edit("acceptance_threshold", "acceptance_treshold");
        assert_eq!(
            d.help.as_deref(),
            Some("did you mean `acceptance_threshold`?")
        );
    }

    #[test]
    fn odd_text_in_a_value_is_quoted_not_replayed() {
        let (_, d) = describe_edit(
            "acceptance_threshold = 3",
            "acceptance_threshold = \"6\\n<!-- @someone \\u001b[31m\"",
        );
        assert!(
            !d.message.contains('\n') && !d.message.contains('\u{1b}'),
            "{}",
            d.message
        );
        assert!(
            d.message.contains("\\n<!-- @someone \\u{1b}[31m"),
            "{}",
            d.message
        );
        // A huge value is not repeated whole, in the message or the help.
        let long = "x".repeat(100_000);
        let (_, d) = describe_edit(
            "consequence = [\"x\", \"y\", \"z\"]",
            &format!("consequence = \"{long}\""),
        );
        assert!(d.message.len() < 300, "{}", d.message.len());
        assert!(d.message.contains("x…\""), "{}", d.message);
        assert_eq!(d.help, None);
    }
}
