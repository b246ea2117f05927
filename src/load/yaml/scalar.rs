//! What a scalar means: the typing of plain scalars and of the core tags.
//!
//! The rules are those serde-saphyr (the crate the register was first read with, and the
//! reference the tests compare with) applies when it reads a scalar into an untyped value
//! with its default options, so a register reads the same through either:
//!
//! - plain `""`, `~`, `null`, `Null`, `NULL` are null;
//! - plain `true`/`false`, `yes`/`no`, `on`/`off`, `y`/`n` (any case) are booleans: the
//!   fields that want a boolean then accept the YAML 1.2 spellings only (`load::fields`);
//! - plain integers: decimal without a leading zero, `0x`, `0o`, `0b` (lower-case prefix),
//!   `_` between digits; a sign; beyond `i64` a float;
//! - plain floats as Rust reads them when finite; a float that is not finite (`.inf`,
//!   `.nan`, `1e999`) stays text as written, where the reference refuses the whole file: no
//!   field of a register takes such a number, and the field that gets one says so where it
//!   is, with the rest of the file still read;
//! - everything else, and every quoted or block scalar, is text.
//!
//! Text fields never depend on this: they read the scalar as written (`load::fields`).

use super::Value;

/// The typing of a plain, untagged scalar.
pub fn plain(text: &str) -> Value {
    // Most scalars of a register are words, ids and dates: a first character that can start
    // no null, boolean or number makes them text without trying each.
    match text.as_bytes().first() {
        Some(b'0'..=b'9' | b'+' | b'-' | b'.' | b'~' | b' ' | b'\t' | b'\r' | b'\n') | None => {}
        Some(c) if b"nNtTfFyYoO".contains(c) => {}
        Some(_) => return Value::Str(text.to_owned()),
    }
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        return Value::Null;
    }
    if let Some(b) = bool_yaml11(text) {
        return Value::Bool(b);
    }
    let t = trim(text);
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    // `0X1F`, `0O17`, `0B1`: text, as are signed NaNs (`-.nan`).
    if matches!(unsigned.as_bytes(), [b'0', b'X' | b'O' | b'B', ..]) || signed_nan(t) {
        return Value::Str(text.to_owned());
    }
    if let Some(v) = int(t) {
        return v;
    }
    match float(t) {
        Some(f) if f.is_finite() => Value::Float(f),
        _ => Value::Str(text.to_owned()),
    }
}

/// The typing of a scalar tagged with a core tag (`!!str`, `!!int`, ...), or `Err` with what
/// the tag wanted when the text is not one. `None`: the tag does not type scalars here.
pub fn tagged(core: &str, text: &str) -> Option<Result<Value, &'static str>> {
    let t = trim(text);
    Some(match core {
        "str" => Ok(Value::Str(text.to_owned())),
        "null" => Ok(Value::Null),
        "map" | "seq" => Err(if core == "map" {
            "a mapping"
        } else {
            "a sequence"
        }),
        "bool" => bool_yaml11(text).map(Value::Bool).ok_or("a boolean"),
        "int" => int(t).ok_or("an integer"),
        "float" => match float(t) {
            Some(f) if f.is_finite() => Ok(Value::Float(f)),
            Some(_) => Ok(Value::Str(text.to_owned())),
            None => match int(t) {
                Some(Value::Int(i)) => Ok(Value::Float(i as f64)),
                Some(v) => Ok(v),
                None => Err("a number"),
            },
        },
        _ => return None,
    })
}

fn trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\r', '\n'])
}

fn bool_yaml11(s: &str) -> Option<bool> {
    let t = trim(s);
    let is = |words: [&str; 4]| words.iter().any(|w| t.eq_ignore_ascii_case(w));
    if is(["true", "yes", "y", "on"]) {
        Some(true)
    } else if is(["false", "no", "n", "off"]) {
        Some(false)
    } else {
        None
    }
}

fn signed_nan(t: &str) -> bool {
    t.strip_prefix(['+', '-'])
        .is_some_and(|u| matches!(u, ".nan" | ".NaN" | ".NAN"))
}

/// An integer: `i64`, or a float when it is a positive one beyond `i64`.
fn int(t: &str) -> Option<Value> {
    let (neg, rest) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, digits) = if let Some(d) = rest.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = rest.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = rest.strip_prefix("0b") {
        (2, d)
    } else {
        // A decimal with a leading zero (`007`) is not an integer (it may be a float).
        if rest.len() > 1 && rest.starts_with('0') {
            return None;
        }
        (10, rest)
    };
    let magnitude = digits_value(digits, radix)?;
    if neg {
        let v = 0i128.checked_sub(i128::try_from(magnitude).ok()?)?;
        i64::try_from(v).ok().map(Value::Int)
    } else {
        Some(match i64::try_from(magnitude) {
            Ok(v) => Value::Int(v),
            // Beyond i64 but within u64: a float, as the reference reads it.
            Err(_) if magnitude <= u128::from(u64::MAX) => Value::Float(magnitude as f64),
            Err(_) => return None,
        })
    }
}

/// Digits in `radix`, with single `_` between digits; `None` if not such a number or beyond
/// `u128`.
fn digits_value(digits: &str, radix: u32) -> Option<u128> {
    let b = digits.as_bytes();
    let mut value: u128 = 0;
    let mut any = false;
    for (i, &c) in b.iter().enumerate() {
        if c == b'_' {
            let between = i > 0 && b[i - 1] != b'_' && i + 1 < b.len() && b[i + 1] != b'_';
            if !between {
                return None;
            }
            continue;
        }
        let d = char::from(c).to_digit(radix)?;
        value = value
            .checked_mul(u128::from(radix))?
            .checked_add(u128::from(d))?;
        any = true;
    }
    any.then_some(value)
}

/// A float: the `.inf`/`.nan` spellings, or what Rust reads as a finite float, or a numeral
/// too large for `f64` (infinite).
fn float(t: &str) -> Option<f64> {
    let (neg, unsigned) = match t.strip_prefix('-') {
        Some(u) => (true, u),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    match unsigned {
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        ".inf" | ".Inf" | ".INF" => {
            return Some(if neg {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            });
        }
        _ => {}
    }
    let v = t.parse::<f64>().ok()?;
    if v.is_finite() {
        return Some(v);
    }
    // Rust also reads `inf`, `nan`, `infinity`: only numerals count.
    let numeral = unsigned.as_bytes().first().is_some_and(u8::is_ascii_digit);
    (numeral && v.is_infinite()).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_are_typed() {
        let cases: &[(&str, Value)] = &[
            ("", Value::Null),
            ("~", Value::Null),
            ("NULL", Value::Null),
            ("nULL", Value::Str("nULL".into())),
            ("true", Value::Bool(true)),
            ("Off", Value::Bool(false)),
            ("4", Value::Int(4)),
            ("-4", Value::Int(-4)),
            ("+4", Value::Int(4)),
            ("1_000", Value::Int(1000)),
            ("1__0", Value::Str("1__0".into())),
            ("0x1F", Value::Int(31)),
            ("0X1F", Value::Str("0X1F".into())),
            ("0o17", Value::Int(15)),
            ("0b101", Value::Int(5)),
            ("007", Value::Float(7.0)),
            ("-0", Value::Int(0)),
            ("4.2", Value::Float(4.2)),
            ("1e3", Value::Float(1000.0)),
            (".5", Value::Float(0.5)),
            ("18446744073709551615", Value::Float(u64::MAX as f64)),
            (".inf", Value::Str(".inf".into())),
            ("-.Inf", Value::Str("-.Inf".into())),
            ("1e999", Value::Str("1e999".into())),
            ("-.nan", Value::Str("-.nan".into())),
            ("inf", Value::Str("inf".into())),
            ("nan", Value::Str("nan".into())),
            ("2026-11-01", Value::Str("2026-11-01".into())),
            ("A.6.2.4", Value::Str("A.6.2.4".into())),
        ];
        for (text, want) in cases {
            assert_eq!(&plain(text), want, "{text:?}");
        }
    }

    #[test]
    fn core_tags_type_their_scalars() {
        assert_eq!(tagged("str", "4"), Some(Ok(Value::Str("4".into()))));
        assert_eq!(tagged("int", "4"), Some(Ok(Value::Int(4))));
        assert_eq!(tagged("int", "x"), Some(Err("an integer")));
        assert_eq!(tagged("float", "4"), Some(Ok(Value::Float(4.0))));
        assert_eq!(tagged("bool", "yes"), Some(Ok(Value::Bool(true))));
        assert_eq!(tagged("null", "x"), Some(Ok(Value::Null)));
        assert_eq!(tagged("map", "x"), Some(Err("a mapping")));
    }
}
