//! Help for the YAML parser's errors whose cause is plain from the text around them: a tab in
//! the indentation, and a `: ` inside unquoted text (block or flow) that starts a mapping the
//! writer did not mean ([diagnostics.md](../../../docs/diagnostics.md#yaml-syntax)).
//!
//! The parser's message and position stay as they are; a [`Hint`] adds where the cause is and
//! what to write. Nothing is hinted when the cause is not clear.
//!
//! A `,` inside a flow mapping's unquoted text is no syntax error: it splits the text, and
//! the part after it is read as a key of its own (`{title: Retrain (weekly, monthly)}` has a
//! key ` monthly)`), which `unknown-field` reports; [`flow_comma`] gives that finding the
//! same quoting hint, when the key plainly is the tail of the value before it.

use super::{Key, Node, Value, YamlError};

/// Where the cause of a syntax error is, a label for it and the help line.
#[derive(Debug, Clone, PartialEq)]
pub struct Hint {
    /// Byte offset of the cause (the tab, the unquoted text).
    pub at: usize,
    pub label: String,
    pub help: String,
}

/// The hint for `e` (at byte `offset` of `text`), when its cause is clear.
pub fn hint(text: &str, e: &YamlError, offset: usize) -> Option<Hint> {
    let offset = offset.min(text.len());
    tab(text, e, offset)
        .or_else(|| flow_colon(text, e, offset))
        .or_else(|| block_colon(text, e, offset))
}

/// The line holding byte `at`: its start and its text (without the newline).
fn line_at(text: &str, at: usize) -> (usize, &str) {
    let start = text[..floor(text, at)].rfind('\n').map_or(0, |i| i + 1);
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    (start, text[start..end].trim_end_matches('\r'))
}

fn floor(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A tab in the indentation of the error's line or of the few lines after it (the parser
/// often stops at the end of the line before the tab).
fn tab(text: &str, e: &YamlError, offset: usize) -> Option<Hint> {
    let about_tabs = e.message.contains("tab");
    let (mut start, _) = line_at(text, offset);
    for n in 0..3 {
        let (_, line) = line_at(text, start);
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        let in_lead = line[..indent].find('\t');
        if let Some(i) = in_lead.filter(|_| about_tabs || n == 0) {
            let what = if i == 0 {
                "this line starts with a tab"
            } else {
                "this line's indentation holds a tab"
            };
            return Some(Hint {
                at: start + i,
                label: "a tab".into(),
                help: format!("YAML indentation must use spaces; {what}: replace it with spaces"),
            });
        }
        if !about_tabs {
            return None;
        }
        let next = text[start..].find('\n').map(|i| start + i + 1)?;
        if next >= text.len() || n == 2 {
            return None;
        }
        start = next;
    }
    None
}

/// `{title: Note: see A.6}`: the parser wants `,` or `}` at the second `:` of an item.
fn flow_colon(text: &str, e: &YamlError, offset: usize) -> Option<Hint> {
    let closer = if e.message.contains("did not find expected ',' or '}'") {
        '}'
    } else if e.message.contains("did not find expected ',' or ']'") {
        ']'
    } else {
        return None;
    };
    if !text[offset..].starts_with(':') {
        return None;
    }
    let (line_start, line) = line_at(text, offset);
    let col = offset - line_start;
    let item_start = line[..col].rfind(['{', '[', ',']).map(|i| i + 1)?;
    let rest = &line[col..];
    let item_end = col + rest.find([',', closer]).unwrap_or(rest.len());
    let item = &line[item_start..item_end];
    let lead = item.len() - item.trim_start().len();
    let (key, value) = item.trim().split_once(": ")?;
    // The item's own `key: ` must come before the colon the parser stopped at.
    let value_at = line_start + item_start + lead + key.len() + 2;
    if value_at > offset || key.is_empty() || key.contains(['"', '\'']) {
        return None;
    }
    let value = value.trim();
    if value.starts_with(['"', '\'', '[', '{']) {
        return None;
    }
    Some(Hint {
        at: value_at,
        label: "unquoted text with `: `".into(),
        help: format!(
            "put the text in quotes: {key}: {} (inside {{ }} or [ ], `: ` and `,` end a value \
             unless it is quoted)",
            quote(value)
        ),
    })
}

/// `{title: Retrain (weekly, monthly), owner: x}`: entry `at` of a mapping (` monthly)`) is
/// the tail of the plain value before it, cut at a `,` — when it has no `:`-value (or its key
/// holds a `)` or a space, which no field name has), only a `,` separates it from the entry
/// before (so the mapping is a flow mapping), and that entry is `key: plain text`. Keyless
/// entries next to it are tails of the same value (`{title: A, B, C}`). The hint is at the
/// value and gives the whole text quoted, checked to read back as one string.
pub fn flow_comma(text: &str, entries: &[(Key, Node)], at: usize) -> Option<Hint> {
    let null = |i: usize| entries[i].1.value == Value::Null;
    // Where entry `i` ends in the text: a key without a value ends at the key.
    let end = |i: usize| {
        let (k, v) = &entries[i];
        if null(i) { k.end } else { v.end.max(k.end) }
    };
    // Only a `,` between entry `i - 1` and entry `i`.
    let after_comma = |i: usize| {
        let (from, to) = (end(i - 1), entries[i].0.start);
        from <= to && text.get(from..to).is_some_and(|t| t.trim() == ",")
    };
    let key = text.get(entries.get(at)?.0.start..entries[at].0.end)?;
    if !null(at) && !key.trim().contains([')', ' ']) {
        return None;
    }
    let mut first = at;
    loop {
        if first == 0 || !after_comma(first) {
            return None;
        }
        first -= 1;
        if !null(first) {
            break;
        }
    }
    let mut last = at;
    while last + 1 < entries.len() && null(last + 1) && after_comma(last + 1) {
        last += 1;
    }
    let (owner, value) = &entries[first];
    if !matches!(value.value, Value::Str(_)) {
        return None;
    }
    let name = text.get(owner.start..owner.end)?;
    if name.is_empty() || name != owner.text || name.contains(char::is_whitespace) {
        return None;
    }
    let merged = text.get(value.start..end(last))?.trim();
    if merged.is_empty()
        || merged.starts_with(['"', '\'', '[', '{', '|', '>', '&', '*', '!'])
        || merged.contains(['\n', '\r'])
        || merged.contains(" #")
    {
        return None;
    }
    let quoted = quote(merged);
    // The quoted form reads back as the whole text (a cut one would not).
    let doc = format!("{{{name}: {quoted}}}\n");
    let back = super::parse(&doc).ok()?;
    if back.get(name).map(|v| &v.value) != Some(&Value::Str(merged.to_string())) {
        return None;
    }
    Some(Hint {
        at: value.start,
        label: "unquoted text with `,`".into(),
        help: format!(
            "put the text in quotes: {name}: {quoted} (inside {{ }} or [ ], `: ` and `,` end a \
             value unless it is quoted)"
        ),
    })
}

/// `cause: Note: see A.6`: in a block mapping, a second `: ` on the line starts a mapping.
fn block_colon(text: &str, e: &YamlError, offset: usize) -> Option<Hint> {
    if !e.message.contains("mapping values are not allowed") {
        return None;
    }
    let (line_start, line) = line_at(text, offset);
    let body = line.trim_start();
    let body = body.strip_prefix("- ").map_or(body, str::trim_start);
    let body_at = line_start + (line.len() - body.len());
    let (key, value) = body.split_once(": ")?;
    if key.is_empty() || key.starts_with(['"', '\'', '?', '[', '{']) || key.contains('#') {
        return None;
    }
    let value_at = body_at + key.len() + 2 + (value.len() - value.trim_start().len());
    if value_at > offset {
        return None;
    }
    let value = match value.find(" #") {
        Some(i) => &value[..i],
        None => value,
    }
    .trim();
    if value.is_empty() || value.starts_with(['"', '\'', '[', '{', '|', '>', '&', '*', '!']) {
        return None;
    }
    Some(Hint {
        at: value_at,
        label: "unquoted text with `: `".into(),
        help: format!(
            "put the text in quotes: {key}: {} (or write it as a block scalar, `{key}: >` and \
             the text on the next lines, indented)",
            quote(value)
        ),
    })
}

/// `text` as a YAML quoted scalar: double quotes unless it holds `"` or `\`, then single
/// quotes (where only `'` needs escaping, doubled). Long text is cut, marked with `…`.
fn quote(text: &str) -> String {
    const MAX: usize = 120;
    let cut = if text.chars().count() > MAX {
        let end = text.char_indices().nth(MAX).map_or(text.len(), |(i, _)| i);
        format!("{}…", &text[..end])
    } else {
        text.to_string()
    };
    if cut.contains(['"', '\\']) {
        format!("'{}'", cut.replace('\'', "''"))
    } else {
        format!("\"{cut}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse;

    /// The parser's error on `text` and its hint, as (line of the cause, column, help).
    fn hinted(text: &str) -> (YamlError, Option<(usize, usize, String)>) {
        let e = parse(text).expect_err(text);
        let offset = e.offset.expect("an offset");
        let h = hint(text, &e, offset).map(|h| {
            let before = &text[..h.at];
            let line = before.matches('\n').count() + 1;
            let col = h.at - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            (line, col, h.help)
        });
        (e, h)
    }

    #[test]
    fn a_tab_in_the_indentation_is_named_where_it_is() {
        for (text, line, col, starts) in [
            ("a:\n\tb: 1\n", 2, 1, true),
            ("a:\n  b: 1\n\tc: 2\n", 3, 1, true),
            ("a:\n  b: 1\n  \tc: 2\n", 3, 3, false),
            ("people:\n  x:\n\tname: X\n", 3, 1, true),
            ("list:\n  - one\n\t- two\n", 3, 1, true),
        ] {
            let (e, h) = hinted(text);
            let (l, c, help) = h.unwrap_or_else(|| panic!("{text:?}: {e:?}"));
            assert_eq!((l, c), (line, col), "{text:?}: {e:?}");
            let what = if starts {
                "this line starts with a tab"
            } else {
                "this line's indentation holds a tab"
            };
            assert_eq!(
                help,
                format!("YAML indentation must use spaces; {what}: replace it with spaces"),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_colon_in_unquoted_text_gets_the_quoted_text() {
        for (text, col, help) in [
            (
                "note: {title: Note: see A.6}\n",
                15,
                "put the text in quotes: title: \"Note: see A.6\"",
            ),
            (
                "t: { likelihood: 2, note: see A.6: later }\n",
                27,
                "put the text in quotes: note: \"see A.6: later\"",
            ),
            (
                "m: {title: Retrain (monthly: x), owner: y}\n",
                12,
                "put the text in quotes: title: \"Retrain (monthly: x)\"",
            ),
            (
                "cause: Note: new products\n",
                8,
                "put the text in quotes: cause: \"Note: new products\"",
            ),
            (
                "a:\n  - why: they \"said\": no # c\n",
                10,
                "put the text in quotes: why: 'they \"said\": no'",
            ),
        ] {
            let (e, h) = hinted(text);
            let (_, c, got) = h.unwrap_or_else(|| panic!("{text:?}: {e:?}"));
            assert_eq!(c, col, "{text:?}");
            assert!(got.starts_with(help), "{text:?}: {got}");
        }
    }

    #[test]
    fn no_hint_where_the_cause_is_not_clear() {
        for text in [
            "a: [x, \"y\" z]\n",
            "a: {b: c\n",
            "a: 'open\n",
            "a: b\n c: d\n",
            "\"k: x\": a: b\n",
            "a: |\n  x\n b: 1\n",
        ] {
            if let Err(e) = parse(text) {
                let offset = e.offset.unwrap_or(0);
                assert_eq!(hint(text, &e, offset), None, "{text:?}: {e:?}");
            }
        }
    }

    /// The hint for each entry of the mapping under `m` (its index, column, help).
    fn comma_hints(text: &str) -> Vec<(usize, usize, String)> {
        let node = parse(text).expect(text);
        let Some(Value::Map(entries)) = node.get("m").map(|v| &v.value) else {
            panic!("{text:?}: no mapping under m");
        };
        (0..entries.len())
            .filter_map(|i| {
                let h = flow_comma(text, entries, i)?;
                let col = h.at - text[..h.at].rfind('\n').map_or(0, |n| n + 1) + 1;
                Some((i, col, h.help))
            })
            .collect()
    }

    #[test]
    fn a_comma_in_flow_mapping_text_gets_the_quoted_text() {
        let help = |t: &str| {
            format!(
                "put the text in quotes: {t} (inside {{ }} or [ ], `: ` and `,` end a value \
                 unless it is quoted)"
            )
        };
        assert_eq!(
            comma_hints("m: {title: Retrain (weekly, monthly), owner: x}\n"),
            vec![(1, 12, help("title: \"Retrain (weekly, monthly)\""))]
        );
        // Two commas: both tails get the whole text.
        assert_eq!(
            comma_hints("m: {owner: x, title: A, B, C}\n"),
            vec![
                (2, 22, help("title: \"A, B, C\"")),
                (3, 22, help("title: \"A, B, C\""))
            ]
        );
        // A tail with a `: ` of its own: its key holds a space.
        assert_eq!(
            comma_hints("m: {note: see A, then B: x}\n"),
            vec![(1, 11, help("note: \"see A, then B: x\""))]
        );
        // Over lines, when the value and its tail are on one.
        assert_eq!(
            comma_hints("m: {a: 1,\n  plan: Retrain (weekly, monthly),\n  b: 2}\n"),
            vec![(2, 9, help("plan: \"Retrain (weekly, monthly)\""))]
        );
        // Hostile text stays one quoted string.
        assert_eq!(
            comma_hints("m: {t: ping @x <!-- y, z -->}\n"),
            vec![(1, 8, help("t: \"ping @x <!-- y, z -->\""))]
        );
        assert_eq!(
            comma_hints("m: {t: say \"hi\", now}\n"),
            vec![(1, 8, help("t: 'say \"hi\", now'"))]
        );
    }

    #[test]
    fn no_comma_hint_where_the_cause_is_not_clear() {
        for text in [
            // A block mapping: no `,` between the entries.
            "m:\n  title: A\n  monthly:\n",
            "m:\n  title: A,\n  monthly:\n",
            // A quoted value, a number, a list before the key.
            "m: {title: \"A\", monthly)}\n",
            "m: {n: 3, monthly)}\n",
            "m: {l: [a], monthly)}\n",
            // A key with a value and nothing of a tail about it.
            "m: {title: A, owner: x}\n",
            // The tail on the next line.
            "m: {title: Retrain (weekly,\n  monthly)}\n",
            // Nothing before it.
            "m: {monthly)}\n",
        ] {
            assert_eq!(comma_hints(text), vec![], "{text:?}");
        }
    }

    #[test]
    fn quoting_keeps_the_text() {
        assert_eq!(quote("a: b"), "\"a: b\"");
        assert_eq!(quote("it's \"x\""), "'it''s \"x\"'");
        assert_eq!(quote("C:\\x: y"), "'C:\\x: y'");
        for t in ["a: b", "it's \"x\": y", "C:\\x: y", "@someone: <!-- x"] {
            let doc = format!("k: {}\n", quote(t));
            let node = parse(&doc).expect(&doc);
            assert_eq!(
                node.get("k").map(|v| &v.value),
                Some(&crate::load::yaml::Value::Str(t.into()))
            );
        }
        assert!(quote(&"x".repeat(500)).ends_with("…\""));
    }
}
