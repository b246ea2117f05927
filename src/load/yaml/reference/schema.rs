//! serde-saphyr's typing, as the builder of [`super::super::parse`] can apply it: what the
//! reference reader makes of a scalar and of a tag, with serde-saphyr's default options.
//! airisk read the register this way until it followed the YAML 1.2 core schema
//! (`load::yaml::scalar`); the differential tests build granit's tree with this typing, so
//! that the trees they compare with the reference differ in nothing but by design, and
//! `yaml::tests::the_typing_differs_from_the_reference_by_design` lists how the two typings
//! differ.
//!
//! serde-saphyr's rules, beyond YAML 1.2:
//!
//! - plain `yes`/`no`, `on`/`off`, `y`/`n` (any case) and `true`/`false` in any case are
//!   booleans;
//! - integers take `_` between digits, `0b`, and a sign before `0x`/`0o`/`0b`; a decimal
//!   with a leading zero (`007`) is a float; beyond `i64` (within `u64`), a float;
//! - a float that is not finite refuses the file (the model keeps it as text, as airisk
//!   does: a difference `agrees` accepts);
//! - a local tag (`!int`, `!null`) means what the core tag of that name means, and so does
//!   `!<tag:yaml.org,2002:!int>`; `!<!!>` is the non-specific tag;
//! - it knows tags of its own: `!!time`, `!!degrees`, `!!radians` (floats, refused without
//!   its `robotics` feature) and `!include` (refused on a collection);
//! - a core tag takes the forms above, trimmed of spaces (`!!bool yes`, `!!int ' 1_0'`),
//!   `!!float` what Rust reads as a float, and `!!null` any text;
//! - a key is read into a string, which a scalar tagged with another type cannot go into
//!   (`!!int 1:`), and integer keys are compared by an integer parser that also takes
//!   upper-case radix prefixes (`0B1` and `1` are the same key).
//!
//! Like airisk, this typing refuses `!!binary` and `!!timestamp`: the reference decodes the
//! one (a difference `agrees` accepts) and refuses the other.

use super::super::{KeyInt, Schema, Value};
use granit_parser::{ScalarStyle, Tag};
use std::borrow::Cow;

/// serde-saphyr's typing.
pub struct Saphyr;

impl Schema for Saphyr {
    fn scalar(text: Cow<'_, str>, style: ScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
        scalar(text, style, tag)
    }

    fn collection(tag: &Tag, mapping: bool) -> Result<(), String> {
        const SCALARS: [&str; 11] = [
            "str",
            "int",
            "float",
            "bool",
            "null",
            "binary",
            "timestamp",
            "time",
            "degrees",
            "radians",
            "include",
        ];
        let kind = if mapping { "map" } else { "seq" };
        match tag_name(tag).as_deref() {
            Some(core)
                if core != kind && (SCALARS.contains(&core) || core == "map" || core == "seq") =>
            {
                Err(format!(
                    "the tag !!{core} cannot be given to a {}",
                    if mapping { "mapping" } else { "sequence" }
                ))
            }
            _ => Ok(()),
        }
    }

    /// serde-saphyr reads a key into a string, which a scalar tagged with a type other than
    /// text cannot go into (`!!int 1: x`, `!int 1: x`).
    fn key(tag: &Tag) -> Result<(), String> {
        const TYPED: [&str; 11] = [
            "int",
            "float",
            "bool",
            "null",
            "map",
            "seq",
            "binary",
            "timestamp",
            "time",
            "degrees",
            "radians",
        ];
        match tag_name(tag).as_deref() {
            Some(name) if TYPED.contains(&name) => {
                Err("cannot deserialize tagged scalar into string".into())
            }
            _ => Ok(()),
        }
    }

    /// serde-saphyr compares keys that are integers (plain and untagged, or tagged `!!int`)
    /// by their value in 128 bits, read by its integer parser: unlike its typing, that takes
    /// upper-case radix prefixes too (`0B1`, `0X1` and `1` are the same key).
    fn key_int(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Option<KeyInt> {
        let int_tag = tag.is_some_and(|t| tag_name(t).as_deref() == Some("int"));
        let plain = tag.is_none() && style == ScalarStyle::Plain;
        if !(int_tag || plain) {
            return None;
        }
        let t = trim(text);
        let (negative, rest) = match t.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let (radix, digits) = match rest.get(..2) {
            Some("0x" | "0X") => (16, &rest[2..]),
            Some("0o" | "0O") => (8, &rest[2..]),
            Some("0b" | "0B") => (2, &rest[2..]),
            // A decimal with a leading zero is no integer to it.
            _ if rest.len() > 1 && rest.starts_with('0') => return None,
            _ => (10, rest),
        };
        let magnitude = digits_value(digits, radix)?;
        // A negative integer is read into an i128.
        if negative && magnitude > i128::MAX as u128 + 1 {
            return None;
        }
        Some((negative && magnitude != 0, magnitude))
    }
}

/// The name of a tag that names a type, as serde-saphyr names it: a core tag (`!!int`,
/// `!<tag:yaml.org,2002:int>`) is `int`; in the `tag:yaml.org,2002:` namespace and as a
/// local tag (`!int`) the other names it knows count too (`timestamp`, `binary`, `time`,
/// `degrees`, `radians`, `include`). `None`: another tag.
fn tag_name(tag: &Tag) -> Option<Cow<'_, str>> {
    const CORE: [&str; 7] = ["str", "int", "float", "bool", "null", "map", "seq"];
    const KNOWN: [&str; 13] = [
        "str",
        "int",
        "float",
        "bool",
        "null",
        "map",
        "seq",
        "timestamp",
        "binary",
        "time",
        "degrees",
        "radians",
        "include",
    ];
    fn known(name: &str, names: &[&'static str]) -> Option<Cow<'static, str>> {
        names
            .iter()
            .find(|n| **n == name)
            .map(|n| Cow::Borrowed(*n))
    }
    if let Some(core) = tag.core_suffix() {
        return Some(Cow::Borrowed(core));
    }
    if let Some(name) = tag.suffix_in_namespace("tag:yaml.org,2002:") {
        return known(name.strip_prefix('!').unwrap_or(&name), &KNOWN);
    }
    let local = tag.suffix_in_namespace("!")?;
    match local.as_ref() {
        "!timestamp" => Some(Cow::Borrowed("timestamp")),
        "!binary" => Some(Cow::Borrowed("binary")),
        name => match name.strip_prefix('!') {
            Some(name) => known(name, &CORE),
            None => known(name, &KNOWN),
        },
    }
}

/// The value of a scalar: typed when plain or tagged with a type, text otherwise.
fn scalar(text: Cow<'_, str>, style: ScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
    if let Some(tag) = tag {
        let core =
            tag.core_suffix().is_some() || tag.suffix_in_namespace("tag:yaml.org,2002:").is_some();
        if !core && matches!(tag.suffix_in_namespace("!").as_deref(), Some("" | "!")) {
            // The non-specific tag `!` (also written `!<!>`, `!<!!>`): text.
            return Ok(Value::Str(text.into_owned()));
        }
        match tag_name(tag).as_deref() {
            Some(name @ ("timestamp" | "binary" | "time" | "degrees" | "radians")) => {
                let why = match name {
                    "binary" => "a register holds no binary data",
                    "timestamp" => "dates are written as plain text",
                    _ => "a register holds no angles or durations",
                };
                return Err(format!("the tag !!{name} is not read: {why}"));
            }
            Some(name) => {
                if let Some(typed) = tagged(name, &text) {
                    return typed.map_err(|want| format!("`{text}` is not {want} (tag !!{name})"));
                }
            }
            None => {}
        }
    }
    Ok(match style {
        ScalarStyle::Plain => plain(&text),
        _ => Value::Str(text.into_owned()),
    })
}

/// The typing of a plain, untagged scalar.
fn plain(text: &str) -> Value {
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
        // The reference refuses the file; airisk keeps the text (its one difference here).
        _ => Value::Str(text.to_owned()),
    }
}

/// The typing of a scalar tagged with a core tag (`!!str`, `!!int`, ...), or `Err` with what
/// the tag wanted when the text is not one. `None`: the tag does not type scalars.
fn tagged(core: &str, text: &str) -> Option<Result<Value, &'static str>> {
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
        // What Rust reads as a float: decimal integers too, but no `_`, `0x`, `0o`, `0b`.
        "float" => match float(t) {
            Some(f) if f.is_finite() => Ok(Value::Float(f)),
            Some(_) => Ok(Value::Str(text.to_owned())),
            None => Err("a number"),
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
