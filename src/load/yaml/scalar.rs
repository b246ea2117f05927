//! What a scalar means: the YAML 1.2 core schema (yaml.org/spec/1.2.2, §10.3).
//!
//! A plain (unquoted, untagged) scalar is typed by the core schema's rules:
//!
//! - `null`, `Null`, `NULL`, `~` and the empty scalar are null;
//! - `true`, `True`, `TRUE`, `false`, `False`, `FALSE` are booleans, and nothing else is
//!   (`yes`, `no`, `on`, `off`, `y`, `n` are text, as in every YAML 1.2 reader);
//! - `[-+]?[0-9]+` is a decimal integer (`007` is 7), `0o[0-7]+` an octal and
//!   `0x[0-9a-fA-F]+` a hexadecimal one; no `_` between digits, no `0b`, no sign before a
//!   radix prefix (those are YAML 1.1 forms: text here);
//! - `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` is a float;
//! - everything else is text.
//!
//! Two choices of airisk's own, where `Value` cannot hold what the schema names: a number
//! that is not finite (`.inf`, `-.Inf`, `.nan`, `1e999`) stays text as written, since no field
//! of a register takes one and the field that gets one says so where it is; and an integer
//! beyond `i64` is a float when written in decimal (it is one by the float rule too), text
//! when written in octal or hexadecimal.
//!
//! A quoted or block scalar is text. A scalar tagged with a core tag (`!!str`, `!!int`,
//! `!!float`, `!!bool`, `!!null`) must be written in one of that type's forms above
//! ([`tagged`]); the tags that are not of the core schema are the reader's business
//! (`load::yaml`). Text fields never depend on the typing: they read a plain scalar as
//! written (`load::fields`).

use super::Value;

/// The typing of a plain, untagged scalar.
pub fn plain(text: &str) -> Value {
    // Most scalars of a register are words, ids and dates: a first character that can start
    // no null, boolean or number makes them text without trying each.
    match text.as_bytes().first() {
        Some(b'0'..=b'9' | b'+' | b'-' | b'.' | b'~' | b'n' | b'N' | b't' | b'T' | b'f' | b'F')
        | None => {}
        Some(_) => return Value::Str(text.to_owned()),
    }
    if is_null(text) {
        return Value::Null;
    }
    if let Some(b) = boolean(text) {
        return Value::Bool(b);
    }
    match number(text) {
        Some(Number::Int(i)) => Value::Int(i),
        Some(Number::Float(f)) => Value::Float(f),
        None => Value::Str(text.to_owned()),
    }
}

/// The integer a plain scalar is, by the core schema's rules (`None`: not one, or beyond `i64`).
pub fn integer(text: &str) -> Option<i64> {
    match int(text) {
        Some(Int::Fits(i)) => Some(i),
        _ => None,
    }
}

/// The typing of a scalar tagged with core tag `core` (`str`, `int`, `float`, `bool`,
/// `null`, `map`, `seq`): `Err` with what the tag wants when the text is not one of its forms.
pub fn tagged(core: &str, text: &str) -> Result<Value, &'static str> {
    match core {
        "str" => Ok(Value::Str(text.to_owned())),
        "null" if is_null(text) => Ok(Value::Null),
        "null" => Err("null"),
        "bool" => boolean(text).map(Value::Bool).ok_or("a boolean"),
        "int" => match int(text) {
            Some(Int::Fits(i)) => Ok(Value::Int(i)),
            Some(Int::Beyond) => Err("an integer within 64 bits"),
            None => Err("an integer"),
        },
        "float" if !is_float(text) => Err("a number"),
        "float" => match number(text) {
            Some(Number::Int(i)) => Ok(Value::Float(i as f64)),
            Some(Number::Float(f)) => Ok(Value::Float(f)),
            // Not finite: text as written, as when plain.
            None => Ok(Value::Str(text.to_owned())),
        },
        "map" => Err("a mapping"),
        "seq" => Err("a sequence"),
        // Not a core tag: the text.
        _ => Ok(Value::Str(text.to_owned())),
    }
}

/// The core schema's null forms.
fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

/// The core schema's booleans.
fn boolean(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// Whether `text` is one of the YAML 1.1 spellings of a boolean that the core schema reads
/// as text (`yes`, `No`, `ON`, `y`): the boolean fields name them in their message.
pub fn yaml11_boolean(text: &str) -> bool {
    ["yes", "no", "on", "off", "y", "n"]
        .iter()
        .any(|w| text.eq_ignore_ascii_case(w))
}

enum Number {
    Int(i64),
    Float(f64),
}

/// A number the core schema reads, as `Value` holds it (`None`: text).
fn number(text: &str) -> Option<Number> {
    match int(text) {
        Some(Int::Fits(i)) => return Some(Number::Int(i)),
        // A decimal beyond i64 is a float by the float rule too; octal and hexadecimal are not.
        Some(Int::Beyond) if !is_float(text) => return None,
        _ => {}
    }
    if !is_float(text) {
        return None;
    }
    // The float rule is a subset of what Rust reads, which rounds to the nearest f64.
    let f: f64 = text.parse().ok()?;
    f.is_finite().then_some(Number::Float(f))
}

enum Int {
    Fits(i64),
    Beyond,
}

/// An integer of the core schema: `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`.
fn int(text: &str) -> Option<Int> {
    let (radix, digits, negative) = if let Some(d) = text.strip_prefix("0o") {
        (8, d, false)
    } else if let Some(d) = text.strip_prefix("0x") {
        (16, d, false)
    } else if let Some(d) = text.strip_prefix('-') {
        (10, d, true)
    } else {
        (10, text.strip_prefix('+').unwrap_or(text), false)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    // Leading zeros do not count (`0007` is 7), and at most 19 digits follow: an i128 holds
    // any of them without overflow.
    let digits = digits.trim_start_matches('0');
    let max = match radix {
        8 => 22,
        16 => 16,
        _ => 19,
    };
    if digits.len() > max {
        return Some(Int::Beyond);
    }
    let magnitude = if digits.is_empty() {
        0
    } else {
        i128::from_str_radix(digits, radix).ok()?
    };
    let value = if negative { -magnitude } else { magnitude };
    Some(i64::try_from(value).map_or(Int::Beyond, Int::Fits))
}

/// The core schema's float rule: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, and
/// `[-+]?\.(inf|Inf|INF)`, `\.(nan|NaN|NAN)`.
fn is_float(text: &str) -> bool {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let b = unsigned.as_bytes();
    let whole = digits(unsigned);
    let mut i = whole;
    let mut fraction = 0;
    if b.get(i) == Some(&b'.') {
        fraction = digits(&unsigned[i + 1..]);
        i += 1 + fraction;
    }
    if whole == 0 && fraction == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let exp = &unsigned[i + 1..];
        let exp_digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        let n = digits(exp_digits);
        return n > 0 && n == exp_digits.len();
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_follow_the_core_schema() {
        let s = |t: &str| Value::Str(t.into());
        let cases: &[(&str, Value)] = &[
            ("", Value::Null),
            ("~", Value::Null),
            ("null", Value::Null),
            ("Null", Value::Null),
            ("NULL", Value::Null),
            ("nULL", s("nULL")),
            ("true", Value::Bool(true)),
            ("True", Value::Bool(true)),
            ("TRUE", Value::Bool(true)),
            ("false", Value::Bool(false)),
            ("FALSE", Value::Bool(false)),
            ("tRuE", s("tRuE")),
            // YAML 1.1 booleans are text.
            ("yes", s("yes")),
            ("No", s("No")),
            ("on", s("on")),
            ("OFF", s("OFF")),
            ("y", s("y")),
            ("n", s("n")),
            ("4", Value::Int(4)),
            ("-4", Value::Int(-4)),
            ("+4", Value::Int(4)),
            ("-0", Value::Int(0)),
            ("007", Value::Int(7)),
            ("-007", Value::Int(-7)),
            ("0o17", Value::Int(15)),
            ("0x1F", Value::Int(31)),
            ("0xff", Value::Int(255)),
            ("9223372036854775807", Value::Int(i64::MAX)),
            ("-9223372036854775808", Value::Int(i64::MIN)),
            ("0x7FFFFFFFFFFFFFFF", Value::Int(i64::MAX)),
            ("0x000000000000000000001", Value::Int(1)),
            // Beyond i64: a float in decimal, text otherwise.
            ("9223372036854775808", Value::Float(9223372036854775808.0)),
            ("99999999999999999999", Value::Float(1e20)),
            ("0x8000000000000000", s("0x8000000000000000")),
            ("0o1777777777777777777777", s("0o1777777777777777777777")),
            // YAML 1.1 integers are text.
            ("1_000", s("1_000")),
            ("0b101", s("0b101")),
            ("-0x1F", s("-0x1F")),
            ("+0o17", s("+0o17")),
            ("0X1F", s("0X1F")),
            ("0O17", s("0O17")),
            ("0o18", s("0o18")),
            ("0x", s("0x")),
            ("190:20:30", s("190:20:30")),
            ("4.2", Value::Float(4.2)),
            ("-4.2", Value::Float(-4.2)),
            ("4.", Value::Float(4.0)),
            (".5", Value::Float(0.5)),
            ("+.5", Value::Float(0.5)),
            ("1e3", Value::Float(1000.0)),
            ("1E-3", Value::Float(0.001)),
            ("2.5e+2", Value::Float(250.0)),
            ("01.5", Value::Float(1.5)),
            // Not floats.
            (".", s(".")),
            ("+", s("+")),
            ("-", s("-")),
            ("1e", s("1e")),
            ("e3", s("e3")),
            ("1.5.2", s("1.5.2")),
            ("1_0.5", s("1_0.5")),
            ("1e3.5", s("1e3.5")),
            ("4 2", s("4 2")),
            (" 4", s(" 4")),
            // Not finite: text as written.
            (".inf", s(".inf")),
            ("-.Inf", s("-.Inf")),
            ("+.INF", s("+.INF")),
            (".nan", s(".nan")),
            ("-.nan", s("-.nan")),
            ("1e999", s("1e999")),
            ("inf", s("inf")),
            ("nan", s("nan")),
            ("infinity", s("infinity")),
            ("2026-11-01", s("2026-11-01")),
            ("A.6.2.4", s("A.6.2.4")),
            ("12:30", s("12:30")),
        ];
        for (text, want) in cases {
            assert_eq!(&plain(text), want, "{text:?}");
        }
    }

    #[test]
    fn core_tags_want_their_forms() {
        assert_eq!(tagged("str", "4"), Ok(Value::Str("4".into())));
        assert_eq!(tagged("int", "4"), Ok(Value::Int(4)));
        assert_eq!(tagged("int", "0x10"), Ok(Value::Int(16)));
        assert_eq!(tagged("int", "x"), Err("an integer"));
        assert_eq!(tagged("int", "1_000"), Err("an integer"));
        assert_eq!(tagged("int", "0b1"), Err("an integer"));
        assert_eq!(tagged("int", " 4"), Err("an integer"));
        assert_eq!(tagged("int", "4.0"), Err("an integer"));
        assert_eq!(
            tagged("int", "99999999999999999999"),
            Err("an integer within 64 bits")
        );
        assert_eq!(tagged("float", "4"), Ok(Value::Float(4.0)));
        assert_eq!(tagged("float", "4.5"), Ok(Value::Float(4.5)));
        assert_eq!(tagged("float", ".inf"), Ok(Value::Str(".inf".into())));
        assert_eq!(tagged("float", "0x10"), Err("a number"));
        assert_eq!(tagged("float", "x"), Err("a number"));
        assert_eq!(tagged("bool", "true"), Ok(Value::Bool(true)));
        assert_eq!(tagged("bool", "FALSE"), Ok(Value::Bool(false)));
        assert_eq!(tagged("bool", "yes"), Err("a boolean"));
        assert_eq!(tagged("null", "~"), Ok(Value::Null));
        assert_eq!(tagged("null", ""), Ok(Value::Null));
        assert_eq!(tagged("null", "x"), Err("null"));
        assert_eq!(tagged("map", "x"), Err("a mapping"));
        assert_eq!(tagged("seq", "x"), Err("a sequence"));
    }

    #[test]
    fn yaml11_booleans_are_named() {
        for w in ["yes", "No", "ON", "off", "Y", "n"] {
            assert!(yaml11_boolean(w), "{w}");
        }
        for w in ["true", "nope", "o", ""] {
            assert!(!yaml11_boolean(w), "{w}");
        }
    }
}
