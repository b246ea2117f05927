//! Text from the register or from git is data: one escaping function per output format,
//! applied where a value enters the output, and the natural order of ids (R-2 before R-10).
//!
//! | format | function | what it guarantees |
//! |---|---|---|
//! | terminal | [`terminal`], [`terminal_line`], [`terminal_source`] | no control character, bidirectional control or invisible format character ([`is_hidden`]) reaches a terminal: each is shown as `�` |
//! | markdown table cell | [`markdown_cell`] | the value stays in its cell and shows as text: no raw HTML or comment, no link, image or autolink, no `@mention` or `#123` reference |
//! | markdown paragraph or heading | [`markdown_text`] | as a cell, and the value cannot open a block of its own (heading, list, quote, fence) |
//! | markdown code span | [`markdown_code`], [`markdown_code_cell`] | the exact value in monospace, unable to end its span or its table cell |
//! | HTML | the templates' autoescape, and [`html_visible`] through the template formatter | no markup from data; hidden characters shown as `�` |
//! | CSS string (the HTML print header) | [`css_string`] | one line of text inside `"…"` in a `<style>` element: it cannot end the string, the rule or the element |
//! | CSV | [`csv_cell`] | no cell a spreadsheet runs as a formula, no hidden character but tabs and line breaks; typed numbers are written by the CSV renderer as numbers |
//! | CODEOWNERS | [`codeowners_path`], [`is_github_handle`] | one pattern per path, or none when the path cannot be written; only handles GitHub's syntax allows |
//! | JSON | [`json_pretty`] | the exact value, with hidden characters written as `\uXXXX` escapes so a terminal showing the JSON shows no control |
//!
//! GitHub resolves `@mentions`, `#123` references and bare URLs in the rendered HTML, after
//! markdown: a backslash does not stop them. They are broken with a zero-width space
//! (`&#8203;`, invisible in the rendered text) after the `@`, the `#` or the `:` of `://`,
//! and inside `www.` (docs/rendering.md).

use std::borrow::Cow;
use std::cmp::Ordering;

/// Shown in place of a hidden character.
pub const REPLACEMENT: char = '\u{fffd}';

/// A character no human-facing output shows as it is: a control character (C0, DEL, C1:
/// ANSI escape sequences start with one), a bidirectional control (embeddings, overrides,
/// isolates, marks: U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), any other
/// invisible format character (general category Cf: zero-width spaces and joiners, word
/// joiner, soft hyphen, BOM, interlinear annotations, tag characters), the line and paragraph
/// separators, and the Hangul fillers and combining grapheme joiner that render as nothing.
/// Callers decide about `\n` (and `\t`, `\r`) before asking.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00ad}'
                | '\u{034f}'
                | '\u{0600}'..='\u{0605}'
                | '\u{061c}'
                | '\u{06dd}'
                | '\u{070f}'
                | '\u{0890}'..='\u{0891}'
                | '\u{08e2}'
                | '\u{115f}'..='\u{1160}'
                | '\u{17b4}'..='\u{17b5}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206f}'
                | '\u{3164}'
                | '\u{feff}'
                | '\u{ffa0}'
                | '\u{fff9}'..='\u{fffb}'
                | '\u{110bd}'
                | '\u{110cd}'
                | '\u{13430}'..='\u{1343f}'
                | '\u{1bca0}'..='\u{1bca3}'
                | '\u{1d173}'..='\u{1d17a}'
                | '\u{e0001}'
                | '\u{e0020}'..='\u{e007f}'
        )
}

/// `s` with every hidden character but those `keep` allows replaced by `�`; borrowed when
/// nothing needs replacing (the common case).
fn replace_hidden(s: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(|c| is_hidden(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| {
                if is_hidden(c) && !keep(c) {
                    REPLACEMENT
                } else {
                    c
                }
            })
            .collect(),
    )
}

/// For a terminal, text that may span lines (a message, a cell of a table): line breaks are
/// kept; every other hidden character ([`is_hidden`]) becomes `�`.
pub fn terminal(s: &str) -> String {
    replace_hidden(s, |c| c == '\n').into_owned()
}

/// For a terminal, one line (an id, a path, an author, a finding's message): every hidden
/// character, line breaks included, becomes `�`, so a value cannot start a line of its own.
pub fn terminal_line(s: &str) -> String {
    replace_hidden(s, |_| false).into_owned()
}

/// A file's text made fit for a terminal, with a map from byte offsets in the original to
/// offsets in the result (spans point into the original): what the human emitter gives
/// annotate-snippets, which prints the source lines of a finding.
pub struct Visible<'a> {
    pub text: Cow<'a, str>,
    /// (offset in the original just after a replaced character, growth of the text so far).
    shifts: Vec<(usize, isize)>,
}

impl Visible<'_> {
    /// Where the byte at `offset` of the original is in [`Visible::text`].
    pub fn offset(&self, offset: usize) -> usize {
        let i = self.shifts.partition_point(|(at, _)| *at <= offset);
        let shift = if i == 0 { 0 } else { self.shifts[i - 1].1 };
        offset.saturating_add_signed(shift)
    }
}

/// Source text for a terminal: line breaks (`\n`, `\r`) and tabs are kept (the snippet
/// renderer lays them out); every other hidden character becomes `�`.
pub fn terminal_source(s: &str) -> Visible<'_> {
    let keep = |c: char| matches!(c, '\n' | '\r' | '\t');
    if !s.chars().any(|c| is_hidden(c) && !keep(c)) {
        return Visible {
            text: Cow::Borrowed(s),
            shifts: Vec::new(),
        };
    }
    let mut text = String::with_capacity(s.len() + 16);
    let mut shifts = Vec::new();
    let mut growth: isize = 0;
    for (at, c) in s.char_indices() {
        if is_hidden(c) && !keep(c) {
            text.push(REPLACEMENT);
            growth += REPLACEMENT.len_utf8() as isize - c.len_utf8() as isize;
            shifts.push((at + c.len_utf8(), growth));
        } else {
            text.push(c);
        }
    }
    Visible {
        text: Cow::Owned(text),
        shifts,
    }
}

/// Newlines and runs of white space as one space, for one-line output.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The zero-width space, as an entity (visible in the markdown source, invisible once
/// rendered), that breaks what GitHub would turn into a mention, a reference or a link.
const BREAK: &str = "&#8203;";

/// For a markdown table cell (GitHub-flavoured): the value shows as text and stays in its
/// cell.
///
/// - `|` cannot end the cell and a line break cannot end the row (it becomes `<br>`);
/// - `<`, `>` and `&` are entities: no raw HTML, comment or `<…>` autolink opens, and no
///   entity from the data decodes (`&#64;` would become an `@` GitHub resolves);
/// - `\` is backslash-escaped, and so is a `]` before `(` or `[`: no link or image closes
///   (`[x](u)`, `![x](u)`, `[x][r]`), while lists such as `[a, b]` stay as they are;
/// - a zero-width space (`&#8203;`) follows an `@` before a letter or digit, a `#` before a
///   digit and the `:` of `://`, and sits inside `www.` and before the `-` of `GH-12`: GitHub
///   makes no mention, e-mail link, issue reference or URL of them;
/// - hidden characters ([`is_hidden`]) become `�`, tabs spaces; leading and trailing white
///   space is dropped.
///
/// What the value quotes between backticks (messages quote ids: `` `R-001` ``) stays a code
/// span, of the exact content ([`markdown_code_cell`]); a backtick that closes nothing is
/// escaped. GitHub resolves nothing inside code.
pub fn markdown_cell(s: &str) -> String {
    markdown_inline(s, true)
}

/// A value split into text and the code spans it quotes (a run of backticks closed by a
/// run of the same length): the text is escaped character by character, each code span is
/// written again as a code span of its exact content (so nothing inside is an entity or a
/// `<br>` that would show as such), and a backtick that closes nothing is escaped.
fn markdown_inline(s: &str, cell: bool) -> String {
    // Most cells (ids, dates, numbers, plain words) need nothing: no allocation per char.
    let plain = |b: &u8| b.is_ascii() && !b.is_ascii_control() && !b"|\\]<>&@#:`*_".contains(b);
    let has = |pat: &[u8]| {
        s.as_bytes()
            .windows(pat.len())
            .any(|w| w.eq_ignore_ascii_case(pat))
    };
    if s.bytes().all(|b| plain(&b)) && !has(b"www.") && !has(b"gh-") {
        return s.trim().to_string();
    }
    let s = s.replace("\r\n", "\n");
    let chars: Vec<char> = s.trim().chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '`' {
            let run = chars[i..].iter().take_while(|c| **c == '`').count();
            if let Some((start, end)) = closing_run(&chars, i + run, run) {
                let content: String = chars[start..end].iter().collect();
                out.push_str(&if cell {
                    markdown_code_cell(&content)
                } else {
                    markdown_code(&content)
                });
                i = end + run;
            } else {
                out.push_str(&"\\`".repeat(run));
                i += run;
            }
            continue;
        }
        let (c, next) = (chars[i], chars.get(i + 1).copied());
        match c {
            '|' => out.push_str("\\|"),
            '\\' => out.push_str("\\\\"),
            ']' if matches!(next, Some('(' | '[')) => out.push_str("\\]"),
            '*' | '_' if !cell => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push_str("<br>"),
            '\t' => out.push(' '),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '@' if next.is_some_and(|n| n.is_ascii_alphanumeric()) => {
                out.push('@');
                out.push_str(BREAK);
            }
            '#' if next.is_some_and(|n| n.is_ascii_digit()) => {
                out.push('#');
                out.push_str(BREAK);
            }
            '-' if i >= 2
                && chars[i - 2].eq_ignore_ascii_case(&'g')
                && chars[i - 1].eq_ignore_ascii_case(&'h')
                && next.is_some_and(|n| n.is_ascii_digit()) =>
            {
                out.push_str(BREAK);
                out.push('-');
            }
            ':' if chars.get(i + 1..i + 3) == Some(&['/', '/'][..]) => {
                out.push(':');
                out.push_str(BREAK);
            }
            'w' | 'W'
                if chars.get(i..i + 4).is_some_and(|w| {
                    w[..3].iter().all(|x| x.eq_ignore_ascii_case(&'w')) && w[3] == '.'
                }) =>
            {
                out.push(c);
                out.push_str(BREAK);
            }
            c if is_hidden(c) => out.push(REPLACEMENT),
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// The content range of a code span opened by a run of `run` backticks ending at `from`:
/// up to the next run of exactly `run` backticks.
fn closing_run(chars: &[char], from: usize, run: usize) -> Option<(usize, usize)> {
    let mut j = from;
    while j < chars.len() {
        if chars[j] == '`' {
            let n = chars[j..].iter().take_while(|c| **c == '`').count();
            if n == run {
                return (j > from).then_some((from, j));
            }
            j += n;
        } else {
            j += 1;
        }
    }
    None
}

/// For a markdown paragraph, list item or heading: like [`markdown_cell`], with `*` and `_`
/// escaped outside code (no emphasis from the data) and the first character escaped when it
/// would open a block (`#` heading, `-`, `+` or `1.` list, `=` underline, `~` fence, `[` link
/// reference definition or footnote; a `*` is escaped already).
pub fn markdown_text(s: &str) -> String {
    let text = markdown_inline(s, false);
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    match text.chars().next() {
        Some('#' | '-' | '+' | '=' | '~' | '[') => format!("\\{text}"),
        Some(_) if digits > 0 && matches!(text[digits..].chars().next(), Some('.' | ')')) => {
            format!("{}\\{}", &text[..digits], &text[digits..])
        }
        _ => text,
    }
}

/// A markdown code span holding `s` exactly (outside a table): the fence is one backtick
/// longer than the longest run of backticks in the value, and hidden characters (line breaks
/// included, which would end the paragraph) become `�`. GitHub resolves no mention, reference
/// or URL inside code.
pub fn markdown_code(s: &str) -> String {
    code_span(&terminal_line(s))
}

/// [`markdown_code`] for a table cell: `|` is escaped too (GFM unescapes it inside code).
pub fn markdown_code_cell(s: &str) -> String {
    code_span(&terminal_line(s).replace('|', "\\|"))
}

fn code_span(content: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in content.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let pad = content.starts_with(['`', ' ']) || content.ends_with(['`', ' ']);
    if content.is_empty() {
        return format!("{fence} {fence}");
    }
    if pad {
        format!("{fence} {content} {fence}")
    } else {
        format!("{fence}{content}{fence}")
    }
}

/// For HTML, before autoescaping (the templates' formatter applies it to every value they
/// print): hidden characters other than line breaks and tabs become `�`, so no bidirectional
/// override from the data reorders the page.
pub fn html_visible(s: &str) -> Cow<'_, str> {
    replace_hidden(s, |c| matches!(c, '\n' | '\r' | '\t'))
}

/// For the inside of a double-quoted CSS string in an HTML `<style>` element (the running
/// header of a printed page, `@page { @top-left { content: "…" } }`): one line (line breaks
/// and runs of white space as one space), hidden characters as `�`, and every character
/// that could end the string, the declaration or the element written as a CSS escape
/// (`"` `\` `<` `>` `&` `'` `{` `}` `;` `/` `*`, as `\00003C`-style six-digit escapes, which
/// need no terminating space). HTML does not decode entities inside `<style>`, so the result
/// is printed as is (a safe string), not HTML-escaped.
pub fn css_string(s: &str) -> String {
    let line = one_line(s);
    let line = replace_hidden(&line, |_| false);
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' | '\'' | '{' | '}' | ';' | '/' | '*' => {
                out.push_str(&format!("\\{:06X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out
}

/// For a CSV cell opened in a spreadsheet (or printed to a terminal): a cell starting with
/// `=`, `+`, `-`, `@`, tab or carriage return is prefixed with `'` so it is text, not a
/// formula; hidden characters other than tabs and line breaks (which CSV quotes) become `�`.
/// (A typed number, such as a negative count of days, is written as a number by the
/// renderer, not through here.)
pub fn csv_cell(s: &str) -> String {
    let s = replace_hidden(s, |c| matches!(c, '\t' | '\n' | '\r'));
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.into_owned(),
    }
}

/// A path as a CODEOWNERS pattern (GitHub's syntax, gitignore's rules): a space, `#`, and
/// the pattern characters `*`, `?`, `[`, `]`, `!` and `\` are backslash-escaped. `None` for a
/// path no pattern can name: a line break, another control or hidden character (the line
/// would end, or a reader could not see what the pattern names).
pub fn codeowners_path(path: &str) -> Option<String> {
    if path.chars().any(is_hidden) {
        return None;
    }
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if matches!(c, ' ' | '#' | '*' | '?' | '[' | ']' | '\\' | '!') {
            out.push('\\');
        }
        out.push(c);
    }
    Some(out)
}

/// A GitHub user (`janedoe`: letters, digits and hyphens, not starting with a hyphen, at
/// most 39) or team (`org/team-slug`), with an optional leading `@`.
pub fn is_github_handle(h: &str) -> bool {
    let h = h.strip_prefix('@').unwrap_or(h);
    let user = |u: &str| {
        (1..=39).contains(&u.len())
            && u.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !u.starts_with('-')
    };
    match h.split_once('/') {
        None => user(h),
        Some((org, team)) => {
            user(org)
                && (1..=100).contains(&team.len())
                && team
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
                && team.as_bytes()[0].is_ascii_alphanumeric()
        }
    }
}

/// Whether `s` is an id: `[A-Za-z0-9][A-Za-z0-9._-]{0,63}` (systems, risks, assessments,
/// incidents, people).
pub fn is_id(s: &str) -> bool {
    let b = s.as_bytes();
    (1..=64).contains(&b.len())
        && b[0].is_ascii_alphanumeric()
        && b[1..]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
}

/// Pretty-printed JSON that keeps every value exactly, with hidden characters
/// ([`is_hidden`]) written as `\uXXXX` escapes (serde_json escapes only C0 controls), so a
/// document printed to a terminal carries no DEL, C1 or bidirectional control.
pub fn json_pretty<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::new();
    json_pretty_to(&mut out, value)?;
    Ok(String::from_utf8(out).expect("serde_json writes UTF-8"))
}

/// [`json_pretty`] into a writer.
pub fn json_pretty_to<W: std::io::Write, T: serde::Serialize + ?Sized>(
    out: W,
    value: &T,
) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, HiddenEscaped::default());
    value.serialize(&mut ser)
}

/// serde_json's pretty formatter, escaping hidden characters inside strings.
#[derive(Default)]
struct HiddenEscaped {
    pretty: serde_json::ser::PrettyFormatter<'static>,
}

impl serde_json::ser::Formatter for HiddenEscaped {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment;
        while let Some((at, c)) = rest.char_indices().find(|(_, c)| is_hidden(*c)) {
            w.write_all(&rest.as_bytes()[..at])?;
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                write!(w, "\\u{:04x}", u)?;
            }
            rest = &rest[at + c.len_utf8()..];
        }
        w.write_all(rest.as_bytes())
    }

    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.pretty.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.pretty.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.pretty.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.pretty.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.pretty.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.pretty.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.pretty.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.pretty.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.pretty.end_object_value(w)
    }
}

/// Natural order: digit runs compare as numbers, so `R-2` < `R-10` and `A.6.2.10` >
/// `A.6.2.9`. Ties (leading zeros) fall back to plain order, so the order is total.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, _) => return Ordering::Less,
            (_, None) => return Ordering::Greater,
            (Some(p), Some(q)) if p.is_ascii_digit() && q.is_ascii_digit() => {
                let nx = x.iter().take_while(|c| c.is_ascii_digit()).count();
                let ny = y.iter().take_while(|c| c.is_ascii_digit()).count();
                let (dx, dy) = (&x[..nx], &y[..ny]);
                let tx = trim_zeros(dx);
                let ty = trim_zeros(dy);
                let ord = tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty));
                if ord != Ordering::Equal {
                    return ord;
                }
                x = &x[nx..];
                y = &y[ny..];
            }
            (Some(p), Some(q)) => {
                if p != q {
                    return p.cmp(q);
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

fn trim_zeros(d: &[u8]) -> &[u8] {
    let n = d.iter().take_while(|c| **c == b'0').count();
    &d[n.min(d.len().saturating_sub(1))..]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of hidden character, with its name.
    const HIDDEN: &[(char, &str)] = &[
        ('\u{0}', "NUL"),
        ('\u{7}', "BEL"),
        ('\u{1b}', "ESC"),
        ('\u{7f}', "DEL"),
        ('\u{9b}', "CSI (C1)"),
        ('\u{202a}', "LRE"),
        ('\u{202b}', "RLE"),
        ('\u{202c}', "PDF"),
        ('\u{202d}', "LRO"),
        ('\u{202e}', "RLO"),
        ('\u{2066}', "LRI"),
        ('\u{2067}', "RLI"),
        ('\u{2068}', "FSI"),
        ('\u{2069}', "PDI"),
        ('\u{200e}', "LRM"),
        ('\u{200f}', "RLM"),
        ('\u{061c}', "ALM"),
        ('\u{200b}', "ZWSP"),
        ('\u{200d}', "ZWJ"),
        ('\u{2060}', "WJ"),
        ('\u{feff}', "BOM"),
        ('\u{00ad}', "soft hyphen"),
        ('\u{2028}', "line separator"),
        ('\u{2029}', "paragraph separator"),
        ('\u{e0041}', "tag A"),
        ('\u{3164}', "Hangul filler"),
    ];

    #[test]
    fn natural_order_of_ids() {
        let mut ids = vec![
            "R-10", "R-2", "R-1", "A.6.2.10", "A.6.2.9", "R-02", "IA-001",
        ];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            ids,
            [
                "A.6.2.9", "A.6.2.10", "IA-001", "R-1", "R-02", "R-2", "R-10"
            ]
        );
    }

    #[test]
    fn every_hidden_character_is_replaced_for_a_terminal() {
        for (c, name) in HIDDEN {
            assert!(is_hidden(*c), "{name}");
            let s = format!("a{c}b");
            assert_eq!(terminal(&s), "a\u{fffd}b", "{name}");
            assert_eq!(terminal_line(&s), "a\u{fffd}b", "{name}");
            let v = terminal_source(&s);
            assert_eq!(v.text, "a\u{fffd}b", "{name}");
            assert_eq!(
                v.offset(1 + c.len_utf8()),
                1 + REPLACEMENT.len_utf8(),
                "{name}"
            );
            assert_eq!(html_visible(&s), "a\u{fffd}b", "{name}");
            assert_eq!(markdown_cell(&s), "a\u{fffd}b", "{name}");
        }
        for visible in ['a', 'é', '→', '中', 'ا', '😀', ' '] {
            assert!(!is_hidden(visible), "{visible}");
        }
    }

    #[test]
    fn terminal_text_has_no_escapes() {
        assert_eq!(
            terminal("a\u{1b}[2Jb\u{9b}c\nd"),
            "a\u{fffd}[2Jb\u{fffd}c\nd"
        );
        assert_eq!(
            terminal_line("risks/a\nb\u{1b}.yaml"),
            "risks/a\u{fffd}b\u{fffd}.yaml"
        );
    }

    #[test]
    fn source_offsets_follow_the_replacements() {
        // ESC (1 byte) and RLO (3 bytes) become U+FFFD (3 bytes each).
        let src = "id: R\u{1b}1\ntitle: x\u{202e}y z\n";
        let v = terminal_source(src);
        assert_eq!(v.text, "id: R\u{fffd}1\ntitle: x\u{fffd}y z\n");
        for (orig, ch) in src.char_indices() {
            let at = v.offset(orig);
            let shown = v.text[at..].chars().next().expect("a character");
            if is_hidden(ch) && ch != '\n' {
                assert_eq!(shown, REPLACEMENT);
            } else {
                assert_eq!(shown, ch, "at {orig}");
            }
        }
        assert_eq!(v.offset(src.len()), v.text.len());
        // Clean text is borrowed, offsets unchanged.
        let clean = terminal_source("a\tb\r\nc");
        assert!(matches!(clean.text, Cow::Borrowed(_)));
        assert_eq!(clean.offset(4), 4);
    }

    #[test]
    fn markdown_cells_cannot_break_the_table() {
        assert_eq!(markdown_cell("a | b\nc"), "a \\| b<br>c");
        assert_eq!(
            markdown_cell("<script>x</script>"),
            "&lt;script&gt;x&lt;/script&gt;"
        );
        assert_eq!(markdown_cell("x\u{1b}[31m"), "x\u{fffd}[31m");
        assert_eq!(markdown_cell("<!-- hide"), "&lt;!-- hide");
        assert_eq!(
            markdown_cell("&lt;b&gt; &#64;x"),
            "&amp;lt;b&amp;gt; &amp;#&#8203;64;x"
        );
    }

    #[test]
    fn markdown_cells_open_no_link_image_mention_or_reference() {
        assert_eq!(
            markdown_cell("![x](http://e/x.png)"),
            "![x\\](http:&#8203;//e/x.png)"
        );
        assert_eq!(markdown_cell("[a](http://e)"), "[a\\](http:&#8203;//e)");
        assert_eq!(markdown_cell("[a][r] [b]"), "[a\\][r] [b]");
        assert_eq!(markdown_cell("[A.1, A.2]"), "[A.1, A.2]");
        assert_eq!(
            markdown_cell("see https://e.example"),
            "see https:&#8203;//e.example"
        );
        assert_eq!(markdown_cell("WWW.e.example"), "W&#8203;WW.e.example");
        assert_eq!(markdown_cell("ask @someone"), "ask @&#8203;someone");
        assert_eq!(markdown_cell("mail a@b.example"), "mail a@&#8203;b.example");
        assert_eq!(
            markdown_cell("fixes #12, org/r#3"),
            "fixes #&#8203;12, org/r#&#8203;3"
        );
        assert_eq!(markdown_cell("`code`"), "`code`");
        assert_eq!(
            markdown_cell("see GH-12, gh-3"),
            "see GH&#8203;-12, gh&#8203;-3"
        );
        assert_eq!(markdown_cell("GH-x, NIGH-TIME"), "GH-x, NIGH-TIME");
        // What needs no breaking is left alone.
        assert_eq!(
            markdown_cell("a @ b, # 1, C#, x: //"),
            "a @ b, # 1, C#, x: //"
        );
    }

    #[test]
    fn quoted_code_stays_code_of_its_exact_content() {
        assert_eq!(
            markdown_cell("risk `R-0\n<!-- x` is accepted"),
            "risk `R-0\u{fffd}<!-- x` is accepted"
        );
        assert_eq!(markdown_cell("a `b|c` d"), "a `b\\|c` d");
        assert_eq!(markdown_cell("a ` b"), "a \\` b");
        assert_eq!(markdown_cell("``a`b``"), "``a`b``");
        assert_eq!(markdown_text("see `a_b` *c*"), "see `a_b` \\*c\\*");
        assert_eq!(markdown_text("`@x` @y"), "`@x` @&#8203;y");
    }

    #[test]
    fn markdown_text_opens_no_block() {
        assert_eq!(markdown_text("# heading"), "\\# heading");
        assert_eq!(markdown_text("- item"), "\\- item");
        assert_eq!(markdown_text("+ item"), "\\+ item");
        assert_eq!(markdown_text("* item"), "\\* item");
        assert_eq!(markdown_text("12. item"), "12\\. item");
        assert_eq!(markdown_text("3) item"), "3\\) item");
        assert_eq!(markdown_text("~~~"), "\\~~~");
        assert_eq!(markdown_text("> quote"), "&gt; quote");
        assert_eq!(markdown_text("[x]: http://e"), "\\[x]: http:&#8203;//e");
        assert_eq!(markdown_text("[^1]: note"), "\\[^1]: note");
        assert_eq!(markdown_text("a\n# b"), "a<br># b");
        assert_eq!(markdown_text("snake_case *x*"), "snake\\_case \\*x\\*");
        assert_eq!(markdown_text("2026 plan"), "2026 plan");
        assert_eq!(markdown_text("see `airisk due`"), "see `airisk due`");
        assert_eq!(markdown_text("```"), "\\`\\`\\`");
        assert_eq!(markdown_text("`x` y"), "`x` y");
    }

    #[test]
    fn code_spans_hold_the_value_exactly() {
        assert_eq!(markdown_code("risks/R-1.yaml"), "`risks/R-1.yaml`");
        assert_eq!(markdown_code("a`b"), "``a`b``");
        assert_eq!(markdown_code("`x``"), "``` `x`` ```");
        assert_eq!(markdown_code("a\n<!--"), "`a\u{fffd}<!--`");
        assert_eq!(markdown_code_cell("a|b"), "`a\\|b`");
        assert_eq!(markdown_code(""), "` `");
    }

    #[test]
    fn csv_formulas_are_neutralised() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("@SUM"), "'@SUM");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(
            csv_cell("a\u{1b}[2J\u{202e}b\nc"),
            "a\u{fffd}[2J\u{fffd}b\nc"
        );
    }

    #[test]
    fn codeowners_patterns_are_escaped_or_refused() {
        assert_eq!(
            codeowners_path("reg/risks/R 1.yaml").as_deref(),
            Some("reg/risks/R\\ 1.yaml")
        );
        assert_eq!(
            codeowners_path("a/#b*[c]?!.yaml").as_deref(),
            Some("a/\\#b\\*\\[c\\]\\?\\!.yaml")
        );
        assert_eq!(codeowners_path("a\\b").as_deref(), Some("a\\\\b"));
        assert_eq!(codeowners_path("risks/x\n* @evil.yaml"), None);
        assert_eq!(codeowners_path("risks/x\t@evil.yaml"), None);
        assert_eq!(codeowners_path("risks/\u{202e}x.yaml"), None);
    }

    #[test]
    fn github_handles_follow_githubs_syntax() {
        for ok in [
            "janedoe",
            "@janedoe",
            "a",
            "jane-doe-2",
            "acme/ai-governance",
            "acme/team_x.y",
        ] {
            assert!(is_github_handle(ok), "{ok}");
        }
        let long = "a".repeat(40);
        for bad in [
            "",
            "@",
            "-jane",
            "jane doe",
            "jane\n* @evil",
            "jane@acme.example",
            "a/b/c",
            "acme/",
            "/team",
            "acme/-x",
            "jäne",
            long.as_str(),
            "jane\t",
            "@@jane",
        ] {
            assert!(!is_github_handle(bad), "{bad:?}");
        }
    }

    #[test]
    fn ids_follow_the_id_syntax() {
        let max = "R".repeat(64);
        for ok in ["R-001", "credit-scoring", "IA_2026.1", "0", max.as_str()] {
            assert!(is_id(ok), "{ok}");
        }
        let long = "R".repeat(65);
        for bad in [
            "",
            "-R",
            ".R",
            "_R",
            "R 1",
            "R\n<!--",
            "R/1",
            "R#1",
            "Ré",
            long.as_str(),
            "R\u{202e}",
        ] {
            assert!(!is_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn json_keeps_the_value_and_escapes_hidden_characters() {
        let value = serde_json::json!({"t": "a\u{202e}b\u{1b}c\u{9b}d\u{e0041}é\n", "n": [1, 2]});
        let text = json_pretty(&value).expect("serialises");
        assert!(!text.chars().any(|c| is_hidden(c) && c != '\n'), "{text}");
        assert!(
            text.contains("a\\u202eb\\u001bc\\u009bd\\udb40\\udc41é\\n"),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).expect("parses");
        assert_eq!(back, value);
        // The layout is serde_json's pretty one.
        assert_eq!(
            json_pretty(&serde_json::json!({"a": [1]})).expect("json"),
            serde_json::to_string_pretty(&serde_json::json!({"a": [1]})).expect("json")
        );
    }

    #[test]
    fn css_strings_cannot_end_the_string_the_rule_or_the_style_element() {
        assert_eq!(css_string("AI risk register"), "AI risk register");
        assert_eq!(css_string("Gipiškis & Co"), "Gipiškis \\000026 Co");
        let hostile =
            "x\"; } body { display: none } </style><script>alert(1)</script>\\\n\u{1b}[2J\u{202e}";
        let out = css_string(hostile);
        for bad in [
            '"', '\'', '<', '>', '{', '}', ';', '&', '\n', '\u{1b}', '\u{202e}',
        ] {
            assert!(!out.contains(bad), "{bad:?} in {out}");
        }
        // Every backslash starts a six-digit escape: none escapes what follows it.
        for (i, _) in out.match_indices('\\') {
            let hex = &out[i + 1..i + 7];
            assert!(hex.chars().all(|c| c.is_ascii_hexdigit()), "{out}");
        }
        assert!(out.contains("\\00003C\\00002Fstyle\\00003E"), "{out}");
        assert!(
            out.contains('\u{fffd}'),
            "hidden characters are shown: {out}"
        );
    }
}
