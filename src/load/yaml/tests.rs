//! The reader's own cases, and its agreement with the reference reader and serde-saphyr's
//! public `Spanned<T>`.

use super::*;
use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;

fn map(n: &Node) -> &[(Key, Node)] {
    match &n.value {
        Value::Map(m) => m,
        other => panic!("not a map: {other:?}"),
    }
}

#[test]
fn keeps_byte_ranges_of_keys_and_values() {
    let text = "id: R-1\nassessment:\n  likelihood: 4\n";
    let root = parse(text).unwrap();
    let m = map(&root);
    assert_eq!(m[0].0.text, "id");
    assert_eq!(&text[m[0].1.start..m[0].1.end], "R-1");
    let inner = map(&m[1].1);
    assert_eq!(&text[inner[0].0.start..inner[0].0.end], "likelihood");
    assert_eq!(inner[0].1.value, Value::Int(4));
    assert_eq!(&text[inner[0].1.start..inner[0].1.end], "4");
}

#[test]
fn duplicate_keys_are_errors() {
    let e = parse("a: 1\na: 2\n").unwrap_err();
    assert_eq!(e.message, "duplicate mapping key: a");
    assert_eq!((e.line, e.column), (2, 1));
}

#[test]
fn syntax_errors_have_positions() {
    let e = parse("a: [1,\n").unwrap_err();
    assert_eq!(e.line, 1);
    assert!(e.message.contains("bracket"), "{}", e.message);
}

#[test]
fn several_documents_are_rejected() {
    let e = parse("a: 1\n---\nb: 2\n").unwrap_err();
    assert!(e.message.contains("more than one YAML document"));
}

#[test]
fn alias_bomb_is_bounded() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let e = parse(&text).unwrap_err();
    assert!(e.message.contains("alias bomb"), "{}", e.message);
}

#[test]
fn anchors_in_anchors_are_bounded() {
    // 30 nested anchors over 20,000 values: each level copies what it holds.
    let mut text = String::new();
    for i in 0..30 {
        text.push_str(&format!("{}k{i}: &a{i}\n", "  ".repeat(i)));
    }
    let pad = "  ".repeat(30);
    for i in 0..20_000 {
        text.push_str(&format!("{pad}v{i}: x\n"));
    }
    let e = parse(&text).unwrap_err();
    assert!(
        e.message.starts_with("anchors hold more than"),
        "{}",
        e.message
    );
}

#[test]
fn deep_nesting_is_bounded() {
    let text = format!("x: {}{}\n", "[".repeat(100), "]".repeat(100));
    let e = parse(&text).unwrap_err();
    assert!(
        e.message.starts_with("nesting deeper than 32 levels"),
        "{}",
        e.message
    );
}

#[test]
fn same_content_ignores_layout() {
    let a = parse("id: S\nname: A   # c\nlist: [x, y]\n").unwrap();
    let b = parse("# moved\nname: 'A'\nid: S\nlist:\n  - x\n  - y\n").unwrap();
    let c = parse("id: S\nname: B\nlist: [x, y]\n").unwrap();
    assert!(a.same_content(&b));
    assert!(!a.same_content(&c));
    assert_eq!(
        a.get("name").map(|n| n.value.clone()),
        Some(Value::Str("A".into()))
    );
}

#[test]
fn keys_are_text() {
    let e = parse("!!int 1: a\n").unwrap_err();
    assert_eq!(
        (e.message.as_str(), e.line, e.column),
        (
            "a mapping key is text: the tag !!int cannot be given to one",
            1,
            7
        )
    );
    let e = parse("k: &k !!bool true\n*k : a\n").unwrap_err();
    assert_eq!(
        (e.message.as_str(), e.line, e.column),
        (
            "a mapping key is text: the tag !!bool cannot be given to one",
            2,
            1
        )
    );
    // An alias as a key is the anchored scalar as written, and a merge key if that is `<<`.
    let root = parse("k: &k 0x10\n*k : a\nm: &m <<\nn:\n  *m : {x: 1}\n").unwrap();
    let keys: Vec<&str> = map(&root).iter().map(|(k, _)| k.text.as_str()).collect();
    assert_eq!(keys, ["k", "0x10", "m", "n"]);
    let n = map(&root)[3].1.get("x").map(|x| x.value.clone());
    assert_eq!(n, Some(Value::Int(1)));
    for text in ["!!str 1: a\n", "!custom 1: a\n", "! 1: a\n"] {
        assert_eq!(map(&parse(text).unwrap())[0].0.text, "1", "{text:?}");
    }
}

/// Every kind of key reads as its text as written, with or without an anchor (a key without
/// one takes the scalar's own text: docs/performance.md, fifth round), and keys that are the
/// same integer are duplicates however written.
#[test]
fn keys_read_as_written_with_or_without_an_anchor() {
    let text = "plain: 1\n\"dq\\u0041\": 2\n'sq': 3\n0x1f: 4\ntrue: 5\n1.5: 6\n&a anchored: 7\n? |\n  block\n: 8\n\"\": 9\n";
    let root = parse(text).unwrap();
    let keys: Vec<&str> = map(&root).iter().map(|(k, _)| k.text.as_str()).collect();
    assert_eq!(
        keys,
        [
            "plain", "dqA", "sq", "0x1f", "true", "1.5", "anchored", "block\n", ""
        ]
    );
    for (k, _) in map(&root) {
        assert!(k.end >= k.start, "{k:?}");
    }
    assert_eq!(&text[map(&root)[0].0.start..map(&root)[0].0.end], "plain");
    let e = parse("0x1: a\n1: b\n").unwrap_err();
    assert_eq!(e.message, "duplicate mapping key: 1");
    for null in ["~: a\n", "null: a\n"] {
        let e = parse(null).unwrap_err();
        assert!(
            e.message.contains("empty or null"),
            "{null:?}: {}",
            e.message
        );
    }
}

#[test]
fn empty_document_is_null() {
    assert_eq!(parse("# nothing\n").unwrap().value, Value::Null);
}

/// serde-saphyr's public `Spanned<T>`, lowered the slow way: the reference that the
/// direct reading of its span hook must agree with.
enum Ref {
    Scalar,
    Seq(Vec<serde_saphyr::Spanned<Ref>>),
    Map(Vec<(serde_saphyr::Spanned<String>, serde_saphyr::Spanned<Ref>)>),
}

impl<'de> Deserialize<'de> for Ref {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Ref;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any")
            }
            fn visit_unit<E>(self) -> Result<Ref, E> {
                Ok(Ref::Scalar)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Ref, E> {
                Ok(Ref::Scalar)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Ref, E> {
                Ok(Ref::Scalar)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Ref, E> {
                Ok(Ref::Scalar)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Ref, E> {
                Ok(Ref::Scalar)
            }
            fn visit_str<E>(self, _: &str) -> Result<Ref, E> {
                Ok(Ref::Scalar)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Ref, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_element()? {
                    v.push(x);
                }
                Ok(Ref::Seq(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Ref, A::Error> {
                let mut v = Vec::new();
                while let Some(e) = a.next_entry()? {
                    v.push(e);
                }
                Ok(Ref::Map(v))
            }
        }
        d.deserialize_any(V)
    }
}

fn range(l: &serde_saphyr::Location) -> (usize, usize) {
    let s = l.span();
    let o = s.byte_offset().unwrap() as usize;
    (o, o + s.byte_len().unwrap() as usize)
}

fn agree(n: &Node, r: &serde_saphyr::Spanned<Ref>) {
    assert_eq!((n.start, n.end), range(&r.referenced));
    match (&n.value, &r.value) {
        (Value::Seq(a), Ref::Seq(b)) => {
            assert_eq!(a.len(), b.len());
            a.iter().zip(b).for_each(|(x, y)| agree(x, y));
        }
        (Value::Map(a), Ref::Map(b)) => {
            assert_eq!(a.len(), b.len());
            for ((k, v), (k2, v2)) in a.iter().zip(b) {
                assert_eq!(k.text, k2.value);
                assert_eq!((k.start, k.end), range(&k2.referenced));
                agree(v, v2);
            }
        }
        (Value::Seq(_) | Value::Map(_), _) | (_, Ref::Seq(_) | Ref::Map(_)) => {
            panic!("shapes differ at {}..{}", n.start, n.end)
        }
        _ => {}
    }
}

/// Both readers against serde-saphyr's public `Spanned<T>`: the reference reads spans through
/// serde-saphyr's undocumented span hook, so an upgrade that changed the hook fails here.
#[test]
fn spans_agree_with_serde_saphyr_spanned() {
    let text = "# a risk\nid: R-1\ntitle: 'Quoted: text'\nevent: >-\n  folded\n  text\nlist: [a, \"b\", 3]\nblock:\n  - x: 1\n    y: [true, null, 2.5]\n  - ~\nanchor: &a { k: v }\nalias: *a\nunicode: é€😀\n";
    let spanned: serde_saphyr::Spanned<Ref> = serde_saphyr::from_str(text).unwrap();
    agree(&parse(text).unwrap(), &spanned);
    agree(&reference::parse(text).unwrap(), &spanned);
    for file in [
        include_str!("../../../examples/acme-bank/risks/R-009.yaml"),
        include_str!("../../../examples/acme-bank/soa.yaml"),
        include_str!("../../../examples/acme-bank/assessments/IA-001.yaml"),
    ] {
        let spanned: serde_saphyr::Spanned<Ref> = serde_saphyr::from_str(file).unwrap();
        agree(&parse(file).unwrap(), &spanned);
        agree(&reference::parse(file).unwrap(), &spanned);
    }
}

/// How airisk's typing (the YAML 1.2 core schema) differs from the reference's (serde-saphyr,
/// with YAML 1.1 forms), by design: each case is read by airisk as `core`, by the reference
/// as `reference`, and by airisk's builder with serde-saphyr's typing exactly as the
/// reference reads it (so the differential tests compare trees that differ in nothing else).
/// `Err` holds the start of the message.
#[test]
fn the_typing_differs_from_the_reference_by_design() {
    use Value::*;
    let s = |t: &str| Ok(Str(t.into()));
    let refused = |m: &'static str| Err(m);
    /// A reading: the value of `a`, or the start of the message refusing the file.
    type Reading = Result<Value, &'static str>;
    let cases: Vec<(&str, Reading, Reading)> = vec![
        // YAML 1.1 booleans.
        ("yes", s("yes"), Ok(Bool(true))),
        ("No", s("No"), Ok(Bool(false))),
        ("on", s("on"), Ok(Bool(true))),
        ("OFF", s("OFF"), Ok(Bool(false))),
        ("y", s("y"), Ok(Bool(true))),
        ("n", s("n"), Ok(Bool(false))),
        ("tRuE", s("tRuE"), Ok(Bool(true))),
        (
            "!!bool yes",
            refused("`yes` is not a boolean"),
            Ok(Bool(true)),
        ),
        (
            "!!bool ' true'",
            refused("` true` is not a boolean"),
            Ok(Bool(true)),
        ),
        // YAML 1.1 integers.
        ("1_000", s("1_000"), Ok(Int(1000))),
        ("0b101", s("0b101"), Ok(Int(5))),
        ("-0x1F", s("-0x1F"), Ok(Int(-31))),
        ("+0o17", s("+0o17"), Ok(Int(15))),
        ("007", Ok(Int(7)), Ok(Float(7.0))),
        (
            "0x8000000000000000",
            s("0x8000000000000000"),
            Ok(Float(9223372036854775808.0)),
        ),
        (
            "!!int 1_000",
            refused("`1_000` is not an integer"),
            Ok(Int(1000)),
        ),
        ("!!int 0b1", refused("`0b1` is not an integer"), Ok(Int(1))),
        ("!!null x", refused("`x` is not null"), Ok(Null)),
        // Local tags are not core tags.
        ("!int '4'", s("4"), Ok(Int(4))),
        ("!str 4", Ok(Int(4)), s("4")),
        ("!null x", s("x"), Ok(Null)),
        ("!float 4", Ok(Int(4)), Ok(Float(4.0))),
        ("!<tag:yaml.org,2002:!int> '4'", s("4"), Ok(Int(4))),
        ("!<!!> 4", Ok(Int(4)), s("4")),
        // serde-saphyr's own tags are not read.
        ("!!time 1", Ok(Int(1)), refused("")),
        ("!!degrees 4", Ok(Int(4)), refused("")),
        ("!radians 4", Ok(Int(4)), refused("")),
        ("!timestamp 2001-01-01", s("2001-01-01"), refused("")),
        (
            "!include [x]",
            Ok(Seq(vec![Node {
                start: 13,
                end: 14,
                value: Str("x".into()),
            }])),
            refused(""),
        ),
        // The same for both.
        (
            "!!float 0x10",
            refused("`0x10` is not a number"),
            refused(""),
        ),
        ("!!float 1_0", refused("`1_0` is not a number"), refused("")),
        ("!include x", s("x"), s("x")),
        (
            "!!timestamp 2001-01-01",
            refused("the tag !!timestamp is not read"),
            refused(""),
        ),
        ("!!str 4", s("4"), s("4")),
        ("!custom 4", Ok(Int(4)), Ok(Int(4))),
        ("! 4", s("4"), s("4")),
    ];
    let value = |r: Result<Node, YamlError>| {
        r.map(|n| match n.value {
            Value::Map(mut m) => m.remove(0).1.value,
            other => panic!("not a map: {other:?}"),
        })
    };
    let mut failed = Vec::new();
    for (written, core, reference) in cases {
        let text = format!(
            "a: {written}
"
        );
        let matches = |got: &Result<Value, YamlError>, want: &Result<Value, &str>| match (got, want)
        {
            (Ok(g), Ok(w)) => g == w,
            (Err(g), Err(w)) => g.message.starts_with(w),
            _ => false,
        };
        let got_core = value(parse(&text));
        let got_reference = value(reference::parse(&text));
        let got_model = value(parse_with::<reference::schema::Saphyr>(&text));
        if !matches(&got_core, &core) {
            failed.push(format!("{written}: airisk reads {got_core:?}"));
        }
        if !matches(&got_reference, &reference) {
            failed.push(format!("{written}: the reference reads {got_reference:?}"));
        }
        let model_agrees = match (&got_model, &got_reference) {
            (Ok(a), Ok(b)) => a == b,
            (Err(_), Err(_)) => true,
            _ => false,
        };
        if !model_agrees {
            failed.push(format!(
                "{written}: serde-saphyr's typing gives {got_model:?}"
            ));
        }
        if let Err(e) = reference::agrees(&text) {
            failed.push(format!("{written}: {e}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// A value that a merge key adds under a key the mapping already has is read, and refused
/// when it is invalid; serde-saphyr skips it unread, which `reference::agrees` accepts as a
/// difference by design. If the reference started reading it, this would fail: the
/// exception in `agrees` could then go.
#[test]
fn merged_values_under_a_present_key_are_read() {
    for text in [
        "o: a\n<<: {o: !!int x}\n",
        "o: a\n<<: {o: {a: 1, a: 2}}\n",
        "o: a\n<<: {o: {<<: 4}}\n",
    ] {
        assert!(parse(text).is_err(), "{text:?}");
        assert!(reference::parse(text).is_ok(), "{text:?}");
        assert_eq!(reference::agrees(text), Ok(()), "{text:?}");
    }
    // Where the mapping does not have the key, both read the value and refuse it.
    let text = "p: a\n<<: {o: !!int x}\n";
    assert!(parse(text).is_err() && reference::parse(text).is_err());
    // A merge that cannot be made where both read it is refused by both.
    let text = "o: a\n<<: {p: {<<: 4}}\n";
    assert!(parse(text).is_err() && reference::parse(text).is_err());
}

/// YAML that exercises every path of the reader: each must read as the reference reads it
/// (the same tree and ranges, or both refusing it). The fuzz target `yaml_differential`
/// and the property test in tests/it/reliability.rs go on from here.
#[test]
fn reads_as_the_reference_does() {
    let cases = [
        "",
        "# only a comment\n",
        "---\n",
        "---\na: 1\n...\n",
        "a: 1\n---\n",
        "a: 1\n---\nb: 2\n",
        "plain: text\nint: 4\nneg: -4\nhex: 0x1F\nbig: 99999999999999999999\nfloat: 4.2\nexp: 1e3\n",
        "odd: [007, 0X1F, 1_000, 1__0, .inf, -.Inf, .nan, -.nan, 1e999, inf, +4, -0]\n",
        "bools: [true, False, TRUE, yes, No, on, OFF, y, N, tRuE]\n",
        "nulls: [~, null, Null, NULL, nULL, '', \"\"]\nempty:\n",
        "quoted: ['4', \"true\", '~', \"a\\tb\\u00e9\", 'it''s']\n",
        "block: |\n  line one\n  line two\nfolded: >-\n  one\n  two\nkeep: |+\n  x\n\n",
        "tags: [!!str 4, !!int '4', !!float 4, !!bool yes, !!null x, ! 4, !custom 4]\n",
        "bad_int: !!int x\n",
        "!!timestamp\n",
        "a: !!timestamp 2001-12-14\n",
        "a: !<tag:yaml.org,2002:timestamp> ~\n",
        "a: !!binary aGVsbG8=\n",
        "a: !!set {x}\nb: !!omap [x]\nc: !!pairs [a]\nd: !!value x\ne: !!merge x\n",
        "!!int\n",
        "\r!null\n)",
        "a: !null x\nb: !str 4\nc: !float 4\nd: !Null x\ne: !<!null> x\n",
        "a: !map x\n",
        "!!radians tZZC.Z",
        "!<!!>",
        "a: !<!> 4\nb: !<!!> ~\nc: ! 4\nd: !! 4\n",
        "a: !!radians 1.5\nb: !degrees 4\nc: !!time 1\n",
        "a: !include x\nb: !!include 4\n",
        "a: !include [x]\n",
        "a: !<!!str> 4\nb: !<!!int> 4\nc: !<!!time> 4\nd: !<tag:yaml.org,2002:!int> 4\n",
        "a: !!value x\nb: !value x\nc: !merge x\n",
        "a: !seq {b: 1}\n",
        "!merge <<: {a: 1}\nb: 2\n",
        "!!merge x: {a: 1}\nb: 2\n",
        "\"<<\": {a: 1}\n",
        "a: !!custom ~\nb: !custom\nc: !<tag:yaml.org,2002:str> 4\n",
        "bad_float: !!float x\n",
        "bad_bool: !!bool maybe\n",
        "wrong: !!map [a]\n",
        "seq: !!seq [a]\nmap: !!map {a: 1}\n",
        "anchors:\n  base: &b {x: 1, y: [2, 3]}\n  copy: *b\n  scalar: &s text\n  again: *s\n",
        "merge:\n  base: &b {x: 1, y: 2}\n  child:\n    <<: *b\n    y: 3\n",
        "merge:\n  a: &a {x: 1}\n  b: &b {x: 2, z: 3}\n  c:\n    <<: [*a, *b]\n    w: 0\n",
        "inline_merge:\n  <<: {x: 1}\n  y: 2\n",
        "merge_null:\n  <<: ~\n  y: 2\n",
        "merge_scalar:\n  <<: 4\n",
        "merge_seq_scalar:\n  <<: [4]\n",
        "'<<': quoted merge key\n",
        "a: &b a\n<<:\n  b: *b\n",
        "<<: [[]]\n",
        "a: &a {k0: 1, k1: 2}\nb:\n  <<: [*a, {k1: 3, k2: 4}, *a]\n  k0: 5\n",
        "<<: [[{a: 1}], {b: [2]}]\nc: 3\n",
        "<<: [[a]]\n",
        "x: &x {a: [1, {b: 2}]}\n<<: [*x, {c: *x}]\n",
        "<<: [~]\n",
        "<<: &s [{a: 1}, {b: 2}]\nc: *s\n",
        "<<: !!seq [{a: 1}]\n",
        "<<: !!map {a: 1}\n",
        "<<: &m {a: 1}\nb: *m\n",
        // Values a merge adds under a key the mapping has: read by airisk, not by the reference.
        "'o': a\n<<: \n  o: !!int x\n",
        "<<: {o: !!int x}\no: a\n",
        "o: a\n<<: {o: !!timestamp 2001-01-01}\n",
        "o: a\n<<: {o: !!map [a]}\n",
        "o: a\n<<: {o: {a: 1, a: 2}}\n",
        "o: a\n<<: {o: {<<: 4}}\n",
        "o: a\n<<: {o: {<<: [{}, [x]]}}\n",
        "o: a\nx: &x 4\n<<: {o: {<<: *x}}\n",
        "o: a\n<<: {o: .inf}\n",
        "o: a\n<<: [{p: 1}, {p: !!int x}]\n",
        "o: a\n<<: [{p: 1}, {p: {a: 1, a: 2}}]\n",
        "o: a\n<<: {o: !!binary aGVsbG8=}\n",
        "<<: [{o: 1}, {o: {<<: 4}}]\n",
        "scalar_tagged_map: !!map x\nscalar_tagged_seq: !!seq x\n",
        "dup: 1\ndup: 2\n",
        "'dup': 1\n\"dup\": 2\n",
        "1: one\n'1': two\n",
        "-0:\n0:",
        "1: a\n0x1: b\n",
        // serde-saphyr compares integer keys by a parser of its own: `0B1` is 1 there.
        "0B1: 00R6\n1: 6\nt`:B:",
        "0X1F: a\n31: b\n",
        "0O7: a\n7: b\n",
        "1_0: a\n10: b\n",
        "-0x1: a\n-1: b\n",
        "+1: a\n1: b\n",
        "00: a\n0: b\n",
        "!custom 0x1: a\n1: b\n",
        "k: &k 0B1\n*k : a\n1: b\n",
        "340282366920938463463374607431768211455: a\n0xffffffffffffffffffffffffffffffff: b\n",
        "true: a\nyes: b\n",
        "true: a\nTrue: b\n",
        "1.5: a\n15e-1: b\n",
        "1: a\n1.0: b\n",
        "k: &k 1\n*k : a\n1: b\n",
        "1: int key\ntrue: bool key\n3.5: float\n",
        "~: null key\n",
        ": empty key\n",
        "? complex\n: value\n",
        "? [a, b]\n: value\n",
        "{a: 1}: value\n",
        "k: &k key\n*k : aliased key\n",
        // An alias as a key is the scalar as written where it is anchored.
        "k: &k 0x1\n*k : a\n",
        "k: &k 0b1\n*k : a\n",
        "k: &k 4.20\n*k : a\n",
        "k: &k TRUE\n*k : a\n",
        "k: &k 1_000\n*k : a\n1000: b\n",
        "k: &k 007\n*k : a\n",
        "k: &k 'x'\n*k : a\nx: b\n",
        "k: &k ~\n*k : a\n",
        "k: &k ''\n*k : a\n",
        "k: &k [a]\n*k : a\n",
        "<: &b <<\n*b : a\n",
        "k: &k <<\n*k : {x: 1}\ny: 2\n",
        "k: &k '<<'\n*k : {x: 1}\n",
        "<: &b !!bool on\n0: A\n*b : \n  <: _E0\n",
        // A key is text: a core tag of another type is refused.
        "!!bool on: a\n",
        "!!int 1: a\n",
        "!!float 1: a\n",
        "!!null ~: a\n",
        "!!str 4: a\n",
        "!custom 4: a\n",
        "!include 4: a\n",
        "k: &k !!int 1\n*k : a\n",
        "k: &k !!str 4\n*k : a\n",
        "k: &k !custom 4\n*k : a\n",
        "rec: &r [*r]\n",
        "unknown: *nope\n",
        "bad: [1,\n",
        "bad: {a: 1\n",
        "a:\n  - b\n c: d\n",
        "\ta: tab\n",
        "a: 'unterminated\n",
        "\u{feff}bom: yes\n",
        "crlf: 1\r\nnext: 2\r\n",
        "unicode: é€😀\n'ключ': значение\n",
        "flow: {a: [1, {b: c}], d: e}\n",
        "- a\n- b: c\n  d: e\n- [f]\n",
        "plain scalar at the root\n",
        "multi: line\n  plain\n  scalar\n",
        "many: [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r]\n",
    ];
    let mut failed = Vec::new();
    for case in cases {
        if let Err(e) = reference::agrees(case) {
            failed.push(format!("{case:?}\n{e}"));
        }
    }
    // Many keys (the hash set path of the duplicate check), with and without a duplicate.
    let many: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
    for text in [many.clone(), format!("{many}k7: again\n")] {
        if let Err(e) = reference::agrees(&text) {
            failed.push(format!("{} keys\n{e}", text.lines().count()));
        }
    }
    // Nesting at and beyond the limit, in block and flow style.
    for depth in [MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1] {
        let flow = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let block: String = (0..depth)
            .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
            .collect();
        for text in [
            flow,
            format!("x: {}\n", "[".repeat(depth) + &"]".repeat(depth)),
            block,
        ] {
            if let Err(e) = reference::agrees(&text) {
                failed.push(format!("depth {depth}: {text:?}\n{e}"));
            }
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}

#[test]
fn same_content_of_large_mappings() {
    let keys: Vec<String> = (0..200).map(|i| format!("k{i}: {i}\n")).collect();
    let forward = keys.concat();
    let backward: String = keys.iter().rev().cloned().collect();
    let a = parse(&forward).unwrap();
    let b = parse(&backward).unwrap();
    assert!(a.same_content(&b));
    let changed = backward.replace("k7: 7\n", "k7: 8\n");
    assert!(!a.same_content(&parse(&changed).unwrap()));
    let renamed = backward.replace("k7: 7\n", "k7x: 7\n");
    assert!(!a.same_content(&parse(&renamed).unwrap()));
}
