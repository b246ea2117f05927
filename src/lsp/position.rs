//! Positions as the protocol counts them: a zero-based line and a column in the code units of
//! the negotiated encoding (UTF-8 bytes, UTF-16 code units — the default — or UTF-32 code
//! points), converted exactly from and to the byte offsets the register's spans hold. Lines
//! end at `\n` (a `\r` before it belongs to the line, past its last column a client sees). A
//! column past the end of its line means the end of the line, and a column inside a
//! character (half of a surrogate pair) means that character's start, as the protocol asks;
//! a line past the end of the text means the end of the text.

use lsp_types::{Position, PositionEncodingKind, Range};

/// The encoding columns are counted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    /// The first of the client's encodings (in its order of preference) that is supported;
    /// UTF-16 when it names none.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        offered
            .into_iter()
            .flatten()
            .find_map(|k| match k.as_str() {
                "utf-8" => Some(Encoding::Utf8),
                "utf-16" => Some(Encoding::Utf16),
                "utf-32" => Some(Encoding::Utf32),
                _ => None,
            })
            .unwrap_or(Encoding::Utf16)
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    fn units(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf32 => 1,
        }
    }
}

/// A text with its line starts, for converting many positions.
pub struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    /// The position of byte `offset` (clamped to the text and to a character's start).
    pub fn position(&self, offset: usize, enc: Encoding) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character = self.text[start..offset].chars().map(|c| enc.units(c)).sum();
        Position {
            line: line as u32,
            character,
        }
    }

    pub fn range(&self, start: usize, end: usize, enc: Encoding) -> Range {
        Range {
            start: self.position(start, enc),
            end: self.position(end.max(start), enc),
        }
    }

    /// The byte offset of a position (see the module's doc for positions out of range).
    pub fn offset(&self, pos: Position, enc: Encoding) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(pos.line as usize + 1)
            .map_or(self.text.len(), |next| next - 1);
        let mut units = 0u32;
        for (i, c) in self.text[start..end].char_indices() {
            let next = units + enc.units(c);
            if next > pos.character {
                return start + i;
            }
            units = next;
        }
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_in_each_encoding_around_astral_and_cjk_characters() {
        // "😀" is 4 bytes, 2 UTF-16 units, 1 code point; "漢" 3 bytes, 1 unit, 1 point.
        let text = "id: R-1\ntitle: 😀漢 x\n";
        let l = Lines::new(text);
        let x = text.find(" x").unwrap() + 1;
        let at = |enc| l.position(x, enc);
        assert_eq!(at(Encoding::Utf8), Position::new(1, 15));
        assert_eq!(at(Encoding::Utf16), Position::new(1, 11));
        assert_eq!(at(Encoding::Utf32), Position::new(1, 10));
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            assert_eq!(l.offset(at(enc), enc), x, "{enc:?}");
        }
        // Inside the surrogate pair: the emoji's start.
        let emoji = text.find('😀').unwrap();
        assert_eq!(l.offset(Position::new(1, 8), Encoding::Utf16), emoji);
        // Past the end of a line: its end; past the last line: the end of the text.
        assert_eq!(l.offset(Position::new(0, 999), Encoding::Utf16), 7);
        assert_eq!(l.offset(Position::new(99, 0), Encoding::Utf16), text.len());
        assert_eq!(l.position(10_000, Encoding::Utf16), Position::new(2, 0));
        // Inside a multi-byte character: its start.
        assert_eq!(l.position(emoji + 1, Encoding::Utf16), Position::new(1, 7));
    }

    #[test]
    fn the_client_order_decides_and_utf16_is_the_default() {
        let kinds = [
            PositionEncodingKind::new("utf-7"),
            PositionEncodingKind::UTF8,
        ];
        assert_eq!(Encoding::negotiate(Some(&kinds)), Encoding::Utf8);
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        assert_eq!(Encoding::negotiate(Some(&[])), Encoding::Utf16);
    }
}
