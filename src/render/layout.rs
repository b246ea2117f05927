//! Fitting a table to a terminal's width (docs/rendering.md, "Tables in a terminal"): which
//! columns to show, how wide each one is, and the lines of each cell.
//!
//! Values that must stay whole — ids, dates, levels, statuses, numbers, paths — are never
//! split; a list breaks between its items only; a wide (title-like) column takes the room the
//! others leave and is cut short with `…`, or wraps at spaces ([`Kind::Wrap`]). Columns give
//! way in the document's order (`Column::drop`) until the others fit; when even the columns
//! that never give way do not fit, the rows are printed as a list of items instead, one field
//! a line ([`items`]).
//!
//! Pure: strings in, strings out. Widths are measured as a terminal shows them
//! (`unicode-width`, the measure comfy-table draws with). Text arrives already escaped for
//! the terminal.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// How the text of a column may be broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Never split: ids, dates, levels, statuses, numbers, paths.
    Whole,
    /// A list of such values: breaks between items only.
    Items,
    /// Long text, cut short with `…` to the room it has.
    Cut,
    /// Long text, wrapped at spaces (a word longer than the room is broken).
    Wrap,
}

/// A cell's text, escaped for the terminal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Text {
    Plain(String),
    Items(Vec<String>),
}

impl Text {
    pub fn is_empty(&self) -> bool {
        match self {
            Text::Plain(s) => s.is_empty(),
            Text::Items(i) => i.iter().all(|s| s.is_empty()),
        }
    }

    /// The text on one line of its own ("a, b" for a list).
    fn joined(&self) -> String {
        match self {
            Text::Plain(s) => s.clone(),
            Text::Items(i) => i.join(", "),
        }
    }
}

/// The narrowest a cut column becomes before columns give way to it...
const CUT_MIN: usize = 16;
/// ...and the room it is given before other columns are left out for it.
const COMFORTABLE: usize = 36;
/// The widest the headings of an item list are aligned to; a longer one has its value on
/// the next line.
const LABEL_MAX: usize = 28;
/// The narrowest a list column becomes (wider than its longest item when that is short).
const ITEMS_MIN: usize = 16;
/// A wrapping column is at least this wide, or as wide as its longest word up to
/// [`WRAP_WORD_MAX`] (a longer word, a URL, is broken).
const WRAP_MIN: usize = 20;
const WRAP_WORD_MAX: usize = 40;

/// What a column needs: its widths at ease and at the narrowest, and how it gives way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Need {
    pub kind: Kind,
    /// 0: never left out; the highest first.
    pub drop: u8,
    /// Every cell and the heading on one line.
    pub natural: usize,
    /// The room it has before columns are left out for it.
    pub comfortable: usize,
    /// The narrowest it can be without splitting what must stay whole.
    pub min: usize,
}

/// Measures a column from its heading and its cells (all the rows of every section that
/// shares the column, so the sections of one document line up).
pub fn measure<'a>(
    title: &str,
    kind: Kind,
    drop: u8,
    cells: impl IntoIterator<Item = &'a Text>,
) -> Need {
    let head_word = longest_word(title);
    let mut natural = width(title);
    // The widest part that may not be split: a whole value, an item (with its comma), a word.
    let mut unit = 0;
    for cell in cells {
        natural = natural.max(match cell {
            Text::Plain(s) if kind == Kind::Whole || kind == Kind::Wrap => width(s),
            other => width(&one_line(&other.joined())),
        });
        unit = unit.max(match (kind, cell) {
            (Kind::Whole, c) => width(&c.joined()),
            (Kind::Items, Text::Items(i)) => {
                let comma = usize::from(i.len() > 1);
                i.iter().map(|s| width(s) + comma).max().unwrap_or(0)
            }
            (Kind::Items, Text::Plain(s)) => width(s),
            (Kind::Wrap, c) => longest_word(&c.joined()),
            (Kind::Cut, _) => 0,
        });
    }
    let min = match kind {
        Kind::Whole => unit,
        Kind::Items => unit.max(natural.min(ITEMS_MIN)),
        Kind::Cut => natural.min(CUT_MIN),
        Kind::Wrap => natural.min(unit.clamp(WRAP_MIN, WRAP_WORD_MAX)),
    }
    .max(head_word)
    .max(1);
    let comfortable = match kind {
        Kind::Cut | Kind::Wrap => min.max(natural.min(COMFORTABLE)),
        Kind::Whole | Kind::Items => min,
    };
    Need {
        kind,
        drop,
        natural,
        comfortable,
        min,
    }
}

/// How a table is laid out at a width.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan {
    /// The width of each column, `None` for a column left out.
    Table(Vec<Option<usize>>),
    /// Too narrow for a table: one item per row, one field a line.
    List,
}

/// The width the borders and padding of a table of `n` columns take
/// (`│ a ┆ b │`: a border and two spaces a column, and one more border).
pub fn overhead(n: usize) -> usize {
    3 * n + 1
}

/// Lays out columns in `width` terminal cells. `pinned`: the reader picked the columns, so
/// none is left out.
pub fn plan(needs: &[Need], width: usize, pinned: bool) -> Plan {
    let mut shown = vec![true; needs.len()];
    let total = |shown: &[bool], w: fn(&Need) -> usize| {
        let (n, sum) = needs
            .iter()
            .zip(shown)
            .filter(|(_, s)| **s)
            .fold((0, 0), |(n, sum), (c, _)| (n + 1, sum + w(c)));
        sum + overhead(n)
    };
    if !pinned {
        let mut order: Vec<usize> = (0..needs.len()).filter(|&i| needs[i].drop > 0).collect();
        // The highest number first; of equals, the rightmost.
        order.sort_by(|&a, &b| needs[b].drop.cmp(&needs[a].drop).then(b.cmp(&a)));
        for i in order {
            if total(&shown, |c| c.comfortable) <= width {
                break;
            }
            shown[i] = false;
        }
    }
    let at_least = total(&shown, |c| c.min);
    if at_least > width {
        return Plan::List;
    }
    let mut widths: Vec<usize> = needs.iter().map(|c| c.min).collect();
    let mut slack = width - at_least;
    // The room left goes to the long text first, evenly, then to lists...
    for kinds in [&[Kind::Cut, Kind::Wrap][..], &[Kind::Items][..]] {
        loop {
            let growing: Vec<usize> = (0..needs.len())
                .filter(|&i| shown[i] && kinds.contains(&needs[i].kind))
                .filter(|&i| widths[i] < needs[i].natural)
                .collect();
            if growing.is_empty() || slack == 0 {
                break;
            }
            for i in growing {
                if slack == 0 {
                    break;
                }
                widths[i] += 1;
                slack -= 1;
            }
        }
    }
    // ...then to headings that wrap, the nearest to one line first, each only if it then
    // fits on one.
    let mut headings: Vec<usize> = (0..needs.len())
        .filter(|&i| shown[i] && needs[i].kind == Kind::Whole && widths[i] < needs[i].natural)
        .collect();
    headings.sort_by_key(|&i| (needs[i].natural - widths[i], i));
    for i in headings {
        let more = needs[i].natural - widths[i];
        if more <= slack {
            widths[i] += more;
            slack -= more;
        }
    }
    Plan::Table(
        widths
            .into_iter()
            .zip(shown)
            .map(|(w, s)| s.then_some(w))
            .collect(),
    )
}

/// The lines of a cell in a column `room` wide.
pub fn lines(text: &Text, kind: Kind, room: usize) -> Vec<String> {
    match (kind, text) {
        (Kind::Items, Text::Items(items)) => items_lines(items, room),
        (Kind::Whole, t) | (Kind::Items, t) => t.joined().split('\n').map(String::from).collect(),
        (Kind::Cut, t) => vec![cut(&one_line(&t.joined()), room)],
        (Kind::Wrap, t) => wrap(&t.joined(), room),
    }
}

/// A list broken between items: as many as fit on a line, each line but the last ending
/// with the comma that separates it from the next.
fn items_lines(items: &[String], room: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for (i, item) in items.iter().enumerate() {
        let last = i + 1 == items.len();
        let piece = if last {
            item.clone()
        } else {
            format!("{item},")
        };
        if line.is_empty() {
            line = piece;
        } else if width(&line) + 1 + width(&piece) <= room {
            line.push(' ');
            line.push_str(&piece);
        } else {
            out.push(std::mem::take(&mut line));
            line = piece;
        }
    }
    out.push(line);
    out
}

/// `s` cut to `room` cells, ending in `…` when anything was cut.
pub fn cut(s: &str, room: usize) -> String {
    if width(s) <= room {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > room {
            break;
        }
        out.push(c);
        used += w;
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('…');
    out
}

/// `s` wrapped at spaces to `room` cells, line breaks kept; a word longer than `room` is
/// broken.
pub fn wrap(s: &str, room: usize) -> Vec<String> {
    let room = room.max(1);
    let mut out = Vec::new();
    for para in s.split('\n') {
        let mut line = String::new();
        for word in para.split(' ').filter(|w| !w.is_empty()) {
            let w = width(word);
            if !line.is_empty() && width(&line) + 1 + w <= room {
                line.push(' ');
                line.push_str(word);
                continue;
            }
            if !line.is_empty() {
                out.push(std::mem::take(&mut line));
            }
            if w <= room {
                line.push_str(word);
                continue;
            }
            // Only a word wider than the whole room is broken.
            let mut used = 0;
            for c in word.chars() {
                let cw = c.width().unwrap_or(0);
                if used + cw > room {
                    out.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push(c);
                used += cw;
            }
        }
        out.push(line);
    }
    out
}

/// A line of [`items`]: the heading (or the indent under it) and the value, and the (row,
/// column) of the field it shows (`None` for the blank line between items).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Line {
    pub at: Option<(usize, usize)>,
    pub lead: String,
    pub value: String,
}

/// Rows as a list of items, for a terminal too narrow for a table: each field on a line of
/// its own, `heading  value`, the value wrapped under itself; empty fields left out; a blank
/// line between items.
pub fn items(headings: &[String], kinds: &[Kind], rows: &[Vec<Text>], room: usize) -> Vec<Line> {
    let label = headings
        .iter()
        .map(|h| width(h))
        .max()
        .unwrap_or(0)
        .min(LABEL_MAX);
    let value_room = room.saturating_sub(label + 2).max(12);
    let mut out = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        if r > 0 {
            out.push(Line::default());
        }
        for (c, ((heading, kind), text)) in headings.iter().zip(kinds).zip(row).enumerate() {
            if text.is_empty() {
                continue;
            }
            // Vertical room is plenty here: long text wraps rather than being cut.
            let kind = if *kind == Kind::Cut {
                Kind::Wrap
            } else {
                *kind
            };
            // A heading too long for the labels' column has its value under it; a whole
            // value too long for the values' column goes under its heading, less indented.
            let unbroken = kind == Kind::Whole && width(&text.joined()) > value_room;
            let (indent, room) = if unbroken {
                (2, room.saturating_sub(2))
            } else {
                (label + 2, value_room)
            };
            let long = width(heading) > label || unbroken;
            if long {
                out.push(Line {
                    at: Some((r, c)),
                    lead: heading.clone(),
                    value: String::new(),
                });
            }
            let pad = label.saturating_sub(width(heading));
            // Only a value wider than the whole terminal is broken (as the terminal would).
            let kind = if unbroken && width(&text.joined()) > room {
                Kind::Wrap
            } else {
                kind
            };
            let values = lines(text, kind, room)
                .into_iter()
                .flat_map(|l| wrap_hard(l, room));
            for (i, value) in values.enumerate() {
                let lead = if i == 0 && !long {
                    format!("{heading}{}  ", " ".repeat(pad))
                } else {
                    " ".repeat(indent)
                };
                out.push(Line {
                    at: Some((r, c)),
                    lead,
                    value,
                });
            }
        }
    }
    out
}

/// A line no wider than `room`: as it is, or broken into pieces that are (an item or a
/// value wider than the whole terminal, which nothing else can show).
fn wrap_hard(line: String, room: usize) -> Vec<String> {
    if width(&line) <= room || room == 0 {
        return vec![line];
    }
    let mut out = Vec::new();
    let mut piece = String::new();
    let mut used = 0;
    for c in line.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > room && !piece.is_empty() {
            out.push(std::mem::take(&mut piece));
            used = 0;
        }
        piece.push(c);
        used += w;
    }
    out.push(piece);
    out
}

/// A line break or a run of spaces as one space (a title on one line).
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The width a terminal gives `s`: the widest of its lines.
pub fn width(s: &str) -> usize {
    s.split('\n').map(UnicodeWidthStr::width).max().unwrap_or(0)
}

fn longest_word(s: &str) -> usize {
    s.split([' ', '\n'])
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> Text {
        Text::Plain(s.into())
    }

    #[test]
    fn cutting_ends_with_an_ellipsis_and_fits() {
        assert_eq!(cut("short", 10), "short");
        assert_eq!(cut("a long title here", 8), "a long…");
        assert_eq!(width(&cut("a long title here", 8)), 7);
        // Wide characters count double.
        assert_eq!(cut("日本語のタイトル", 7), "日本語…");
        assert!(width(&cut("日本語のタイトル", 7)) <= 7);
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_only_breaks_a_word_wider_than_the_room() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("first\nsecond line", 6), ["first", "second", "line"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn lists_break_between_items_keeping_the_commas() {
        let items = Text::Items(vec!["A.5.4".into(), "A.6.1.2".into(), "A.7.4".into()]);
        assert_eq!(lines(&items, Kind::Items, 16), ["A.5.4, A.6.1.2,", "A.7.4"]);
        assert_eq!(
            lines(&items, Kind::Items, 8),
            ["A.5.4,", "A.6.1.2,", "A.7.4"]
        );
        // Never inside an item, however narrow.
        for line in lines(&items, Kind::Items, 3) {
            assert!(["A.5.4,", "A.6.1.2,", "A.7.4"].contains(&line.as_str()));
        }
    }

    #[test]
    fn a_whole_value_is_never_split_and_sets_the_minimum() {
        let cells = [plain("2026-11-01"), plain("2027-01-15")];
        let need = measure("Next review", Kind::Whole, 0, &cells);
        assert_eq!(need.min, 10);
        assert_eq!(need.natural, 11);
        assert_eq!(lines(&cells[0], Kind::Whole, 4), ["2026-11-01"]);
    }

    #[test]
    fn columns_give_way_in_order_and_the_slack_goes_to_the_long_text() {
        let id = measure("ID", Kind::Whole, 0, &[plain("R-001")]);
        let title = measure("Title", Kind::Cut, 0, &[plain(&"x".repeat(70))]);
        let owner = measure("Owner", Kind::Whole, 2, &[plain("someone")]);
        let score = measure("Score", Kind::Whole, 1, &[plain("12")]);
        let needs = [id, title, owner, score];
        // Everything fits at its natural width.
        assert_eq!(
            plan(&needs, 200, false),
            Plan::Table(vec![Some(5), Some(70), Some(7), Some(5)])
        );
        // At 60: the title keeps its comfortable width, the owner (2) goes before the score (1).
        let Plan::Table(w) = plan(&needs, 60, false) else {
            panic!("a table")
        };
        assert_eq!(w[2], None);
        assert_eq!(w[3], Some(5));
        assert_eq!(w.iter().flatten().sum::<usize>() + overhead(3), 60);
        // Too narrow for the columns that never give way: a list.
        assert_eq!(plan(&needs, 20, false), Plan::List);
        // Picked columns are never left out: a list rather than fewer columns.
        assert_eq!(plan(&needs, 40, true), Plan::List);
    }

    #[test]
    fn items_put_each_field_on_its_own_line() {
        let out = items(
            &["ID".into(), "Title".into(), "Due".into()],
            &[Kind::Whole, Kind::Cut, Kind::Whole],
            &[
                vec![plain("R-001"), plain("a title that wraps"), plain("")],
                vec![plain("R-002"), plain("short"), plain("2027-01-31")],
            ],
            20,
        );
        let text: Vec<String> = out
            .iter()
            .map(|l| format!("{}{}", l.lead, l.value))
            .collect();
        assert_eq!(
            text,
            [
                "ID     R-001",
                "Title  a title that",
                "       wraps",
                "",
                "ID     R-002",
                "Title  short",
                "Due    2027-01-31",
            ]
        );
        assert_eq!(out[2].at, Some((0, 1)));
        assert_eq!(out[3].at, None);
        // A whole value too wide for the values' column goes under its heading; one wider
        // than the whole terminal is broken, as nothing else could show it.
        let long = items(
            &["ID".into()],
            &[Kind::Whole],
            &[vec![plain("a-value-of-thirty-characters-x")]],
            20,
        );
        let text: Vec<String> = long
            .iter()
            .map(|l| format!("{}{}", l.lead, l.value))
            .collect();
        assert_eq!(text, ["ID", "  a-value-of-thirty-", "  characters-x"]);
        assert!(text.iter().all(|l| width(l) <= 20));
    }
}
