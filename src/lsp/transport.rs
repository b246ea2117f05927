//! The framing of the Language Server Protocol over a byte stream: `Content-Length: N`
//! headers, a blank line, N bytes of JSON-RPC. Reading is bounded, so that no client can make
//! the server allocate what it claims: a header line is at most [`MAX_HEADER_LINE`] bytes,
//! a message at most [`MAX_MESSAGE_BYTES`] (a 100 MB buffer passes, to be refused as a
//! register file is, with a finding), and a stream that ends inside a message (a
//! `Content-Length` that lies) is an error, not a wait or a panic.

use std::io::{BufRead, Read, Write};

/// The longest header line read.
pub const MAX_HEADER_LINE: usize = 1024;

/// The largest message read: above any buffer an editor sends for a register file (those over
/// the loader's limit are read, then refused with a `file-unreadable` finding).
pub const MAX_MESSAGE_BYTES: usize = 256 << 20;

/// Why the stream cannot go on.
#[derive(Debug)]
pub enum Broken {
    /// The stream ended between messages: the client went away.
    Closed,
    /// Anything else: a malformed header, a body shorter than announced, an I/O error.
    Framing(String),
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Broken::Closed => write!(f, "the client closed the stream"),
            Broken::Framing(why) => write!(f, "{why}"),
        }
    }
}

/// Reads one header line (without its `\r\n`), at most [`MAX_HEADER_LINE`] bytes; `None` at
/// the end of the stream before any byte.
fn header_line(input: &mut dyn BufRead) -> Result<Option<String>, Broken> {
    let mut line = Vec::new();
    let mut limited = input.take(MAX_HEADER_LINE as u64 + 1);
    limited
        .read_until(b'\n', &mut line)
        .map_err(|e| Broken::Framing(format!("cannot read a header: {e}")))?;
    if line.is_empty() {
        return Ok(None);
    }
    if !line.ends_with(b"\n") {
        return Err(if line.len() > MAX_HEADER_LINE {
            Broken::Framing(format!("a header line is over {MAX_HEADER_LINE} bytes"))
        } else {
            Broken::Framing("the stream ended inside a header".into())
        });
    }
    line.pop();
    if line.ends_with(b"\r") {
        line.pop();
    }
    String::from_utf8(line)
        .map(Some)
        .map_err(|_| Broken::Framing("a header is not UTF-8".into()))
}

/// Reads the body of the next message.
pub fn read_message(input: &mut dyn BufRead) -> Result<Vec<u8>, Broken> {
    let mut length: Option<usize> = None;
    let mut first = true;
    loop {
        let Some(line) = header_line(input)? else {
            return Err(if first {
                Broken::Closed
            } else {
                Broken::Framing("the stream ended inside the headers".into())
            });
        };
        first = false;
        if line.is_empty() {
            if length.is_some() {
                break;
            }
            // Blank lines before a message's headers are tolerated; after one, no length.
            return Err(Broken::Framing("a message has no Content-Length".into()));
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(Broken::Framing("a header has no `:`".into()));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            let n: usize = value
                .trim()
                .parse()
                .map_err(|_| Broken::Framing("Content-Length is not a number".into()))?;
            if n > MAX_MESSAGE_BYTES {
                return Err(Broken::Framing(format!(
                    "a message of {n} bytes is over the limit of {MAX_MESSAGE_BYTES}"
                )));
            }
            length = Some(n);
        }
    }
    let n = length.unwrap_or(0);
    let mut body = Vec::new();
    input
        .take(n as u64)
        .read_to_end(&mut body)
        .map_err(|e| Broken::Framing(format!("cannot read a message: {e}")))?;
    if body.len() < n {
        return Err(Broken::Framing(format!(
            "the stream ended {} bytes into a message of {n}",
            body.len()
        )));
    }
    Ok(body)
}

/// Writes one message.
pub fn write_message(output: &mut dyn Write, body: &[u8]) -> std::io::Result<()> {
    write!(output, "Content-Length: {}\r\n\r\n", body.len())?;
    output.write_all(body)?;
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<Vec<u8>, Broken> {
        read_message(&mut &bytes[..])
    }

    #[test]
    fn messages_are_framed_and_bounded() {
        assert_eq!(read(b"Content-Length: 2\r\n\r\n{}").unwrap(), b"{}");
        assert_eq!(
            read(b"content-length:2\r\nContent-Type: x\r\n\r\n[]").unwrap(),
            b"[]"
        );
        assert!(matches!(read(b""), Err(Broken::Closed)));
        // A length that lies: the stream ends first.
        assert!(matches!(
            read(b"Content-Length: 10\r\n\r\n{}"),
            Err(Broken::Framing(_))
        ));
        // A length past the limit is refused before anything is allocated.
        let huge = format!("Content-Length: {}\r\n\r\n", u64::MAX);
        assert!(matches!(read(huge.as_bytes()), Err(Broken::Framing(_))));
        let over = format!("Content-Length: {}\r\n\r\n", MAX_MESSAGE_BYTES + 1);
        assert!(matches!(read(over.as_bytes()), Err(Broken::Framing(_))));
        let long = format!("X: {}\r\n", "a".repeat(MAX_HEADER_LINE * 4));
        assert!(matches!(read(long.as_bytes()), Err(Broken::Framing(_))));
        assert!(matches!(read(b"garbage\r\n\r\n"), Err(Broken::Framing(_))));
        let mut out = Vec::new();
        write_message(&mut out, b"{}").unwrap();
        assert_eq!(out, b"Content-Length: 2\r\n\r\n{}");
    }
}
