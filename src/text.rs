//! Text from the register is data: the escaping each output needs (terminal, markdown,
//! CSV), and the natural order of ids (R-2 before R-10). HTML is escaped by the templates'
//! autoescape, never here.

use std::cmp::Ordering;

/// For a terminal: no control character (ANSI escapes included) from the data reaches it.
/// Newlines are kept; everything else below U+0020, DEL and C1 controls become U+FFFD.
pub fn terminal(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\n' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// For a markdown table cell (GitHub-flavoured): `|` cannot end the cell, a line break
/// cannot end the row, and `<`/`>` cannot open raw HTML. Control characters are dropped.
pub fn markdown_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let s = s.replace("\r\n", "\n");
    for c in s.trim().chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push_str("<br>"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// For a markdown paragraph or heading: like a cell, and a line cannot start a heading,
/// list or quote of its own.
pub fn markdown_text(s: &str) -> String {
    markdown_cell(s)
        .replace('#', "\\#")
        .replace('*', "\\*")
        .replace('_', "\\_")
        .replace('[', "\\[")
}

/// For a CSV cell opened in a spreadsheet: a cell starting with `=`, `+`, `-`, `@`, tab or
/// carriage return is prefixed with `'` so it is text, not a formula.
pub fn csv_cell(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
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
    fn markdown_cells_cannot_break_the_table() {
        assert_eq!(markdown_cell("a | b\nc"), "a \\| b<br>c");
        assert_eq!(
            markdown_cell("<script>x</script>"),
            "&lt;script&gt;x&lt;/script&gt;"
        );
        assert_eq!(markdown_cell("x\u{1b}[31m"), "x[31m");
    }

    #[test]
    fn csv_formulas_are_neutralised() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("@SUM"), "'@SUM");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("plain"), "plain");
    }

    #[test]
    fn terminal_text_has_no_escapes() {
        assert_eq!(
            terminal("a\u{1b}[2Jb\u{9b}c\nd"),
            "a\u{fffd}[2Jb\u{fffd}c\nd"
        );
    }
}
