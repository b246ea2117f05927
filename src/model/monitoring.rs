//! Monitors and their readings (SPEC §9): the comparison a `threshold` may be, the decimal
//! numbers and dates of a reading, and what the register keeps of a monitor's readings.
//!
//! A register may hold millions of readings; the model never holds them all. Per monitor it
//! keeps a [`Series`]: how many readings there are, the latest (by date, then by time, then
//! by position in the files), the most recent [`RECENT`] (for charts and `show`), and, for
//! each review date of a linked risk, the first breaching reading after it (the review
//! trigger). Every part merges ([`Series::merge`]), so files are read in parallel and
//! combined in path order with the same result.
//!
//! Pure data and arithmetic: no I/O, no CSV (the loader reads the files), no rule codes.

use super::{Date, Span};
use std::cmp::Ordering;
use std::fmt;

/// How many of a monitor's most recent readings a [`Series`] keeps: a year of daily readings,
/// enough for the report's chart and `show`, and a fixed bound whatever the files hold.
pub const RECENT: usize = 366;

/// A comparison operator of a threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Ge,
    Gt,
    Le,
    Lt,
    Eq,
    Ne,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Ge => ">=",
            Op::Gt => ">",
            Op::Le => "<=",
            Op::Lt => "<",
            Op::Eq => "==",
            Op::Ne => "!=",
        }
    }
}

/// A threshold written as a comparison: `>= 0.62`, `< 5%`. A reading passes when `value OP
/// bound` holds; `5%` is the bound 0.05.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Threshold {
    pub op: Op,
    /// The bound as a number (a percentage divided by 100).
    pub bound: f64,
    /// Written with `%`.
    pub percent: bool,
}

impl Threshold {
    /// Parses `OP NUMBER[%]` (spaces around the parts allowed); `None` for any other text,
    /// which stays free text for people.
    pub fn parse(s: &str) -> Option<Threshold> {
        let s = s.trim();
        let (op, rest) = [
            (">=", Op::Ge),
            ("<=", Op::Le),
            ("==", Op::Eq),
            ("!=", Op::Ne),
            (">", Op::Gt),
            ("<", Op::Lt),
        ]
        .iter()
        .find_map(|(p, op)| s.strip_prefix(p).map(|r| (*op, r)))?;
        let rest = rest.trim();
        let (number, percent) = match rest.strip_suffix('%') {
            Some(n) => (n.trim_end(), true),
            None => (rest, false),
        };
        let n = parse_decimal(number)?;
        Some(Threshold {
            op,
            bound: if percent { n / 100.0 } else { n },
            percent,
        })
    }

    /// Whether `value` passes.
    pub fn passes(&self, value: f64) -> bool {
        match self.op {
            Op::Ge => value >= self.bound,
            Op::Gt => value > self.bound,
            Op::Le => value <= self.bound,
            Op::Lt => value < self.bound,
            Op::Eq => value == self.bound,
            Op::Ne => value != self.bound,
        }
    }
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.percent {
            write!(f, "{} {}%", self.op.as_str(), number(self.bound * 100.0))
        } else {
            write!(f, "{} {}", self.op.as_str(), number(self.bound))
        }
    }
}

/// A number as people write it: `0.62`, `12`, never `1e-7` style for ordinary values.
pub fn number(v: f64) -> String {
    let s = format!("{v}");
    if s.len() > 16 {
        // Shortest round-trip form is long: keep it readable.
        format!("{v:.6}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else {
        s
    }
}

/// A decimal number: optional sign, digits with an optional fraction (or a fraction alone),
/// an optional exponent; finite. `NaN`, `inf`, `0x10`, `1,5`, `` and ` 1` are not.
pub fn parse_decimal(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let f = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        digits += i - f;
    }
    if digits == 0 {
        return None;
    }
    if i < b.len() && matches!(b[i], b'e' | b'E') {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let e = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == e {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// When a reading was taken: its UTC day, and the second of that day (`None` for a plain
/// date, which sorts before any time of the same day).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Moment {
    pub day: Date,
    pub second: Option<u32>,
}

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.second {
            None => write!(f, "{}", self.day),
            Some(s) => write!(
                f,
                "{}T{:02}:{:02}:{:02}Z",
                self.day,
                s / 3600,
                s / 60 % 60,
                s % 60
            ),
        }
    }
}

/// Parses a reading's date: `YYYY-MM-DD`, or an RFC 3339 time (`2026-11-30T06:00:00Z`,
/// `...+02:00`, fractions of a second allowed), whose UTC day counts.
pub fn parse_moment(s: &str) -> Result<Moment, String> {
    let b = s.as_bytes();
    if b.len() == 10 {
        return fast_date(b)
            .map(|day| Moment { day, second: None })
            .ok_or_else(|| super::time::parse_date(s).err().unwrap_or_default());
    }
    match chrono::DateTime::parse_from_rfc3339(s) {
        Ok(t) => {
            let utc = t.naive_utc();
            use chrono::Timelike;
            Ok(Moment {
                day: utc.date(),
                second: Some(utc.num_seconds_from_midnight()),
            })
        }
        Err(_) => Err(format!(
            "`{s}` is not a date: expected YYYY-MM-DD or an RFC 3339 time like 2026-11-30T06:00:00Z"
        )),
    }
}

fn fast_date(b: &[u8]) -> Option<Date> {
    let digit = |i: usize| b[i].is_ascii_digit().then(|| u32::from(b[i] - b'0'));
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let mut y = 0u32;
    for i in 0..4 {
        y = y * 10 + digit(i)?;
    }
    let m = digit(5)? * 10 + digit(6)?;
    let d = digit(8)? * 10 + digit(9)?;
    Date::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

/// One reading as the model keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    pub at: Moment,
    pub value: f64,
    /// The value's cell.
    pub span: Span,
}

impl Point {
    /// Later readings sort last: by moment, then by place in the files (file, offset).
    fn order(&self, other: &Point) -> Ordering {
        (self.at, self.span.file, self.span.range().start).cmp(&(
            other.at,
            other.span.file,
            other.span.range().start,
        ))
    }
}

/// What the register keeps of one monitor's readings (see the module doc).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {
    /// Readings recorded.
    pub count: usize,
    /// The latest reading.
    pub latest: Option<Point>,
    /// The most recent readings, oldest first, at most [`RECENT`] (more are held for a while
    /// as they arrive; [`Series::recent`] gives the bounded, sorted list).
    recent: Vec<Point>,
    /// The review dates watched (of the risks the monitor links), each with the first
    /// breaching reading dated after it.
    pub watched: Vec<(Date, Option<Point>)>,
}

impl Series {
    /// An empty series that watches these review dates for breaches after them.
    pub fn watching(mut dates: Vec<Date>) -> Series {
        dates.sort();
        dates.dedup();
        Series {
            watched: dates.into_iter().map(|d| (d, None)).collect(),
            ..Series::default()
        }
    }

    /// Adds one reading; `breach` says whether it fails the monitor's threshold.
    pub fn add(&mut self, p: Point, breach: bool) {
        self.count += 1;
        if breach {
            for (reviewed, first) in &mut self.watched {
                if p.at.day > *reviewed && first.as_ref().is_none_or(|f| p.order(f).is_lt()) {
                    *first = Some(p.clone());
                }
            }
        }
        if self.latest.as_ref().is_none_or(|l| p.order(l).is_gt()) {
            self.latest = Some(p.clone());
        }
        self.recent.push(p);
        if self.recent.len() >= 2 * RECENT {
            self.trim();
        }
    }

    /// Folds `other` (of the same monitor, watching the same dates) into this one.
    pub fn merge(&mut self, other: Series) {
        self.count += other.count;
        if let Some(l) = other.latest
            && self.latest.as_ref().is_none_or(|s| l.order(s).is_gt())
        {
            self.latest = Some(l);
        }
        for ((_, mine), (_, theirs)) in self.watched.iter_mut().zip(other.watched) {
            if let Some(t) = theirs
                && mine.as_ref().is_none_or(|m| t.order(m).is_lt())
            {
                *mine = Some(t);
            }
        }
        self.recent.extend(other.recent);
        self.trim();
    }

    fn trim(&mut self) {
        self.recent.sort_by(|a, b| a.order(b));
        let n = self.recent.len().saturating_sub(RECENT);
        self.recent.drain(..n);
    }

    /// Puts the recent readings in order and bounds them (the loader calls it once a series
    /// is complete).
    pub fn finish(&mut self) {
        self.trim();
    }

    /// The most recent readings, oldest first (at most [`RECENT`]).
    pub fn recent(&self) -> &[Point] {
        &self.recent
    }

    /// The first breaching reading dated after `reviewed` (a watched date).
    pub fn first_breach_after(&self, reviewed: Date) -> Option<&Point> {
        self.watched
            .iter()
            .find(|(d, _)| *d == reviewed)
            .and_then(|(_, p)| p.as_ref())
    }
}

/// A monitor's state on a day, as `monitor`, `show`, `due` and the report say it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Ok,
    Breach,
    Stale,
    NoData,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Breach => "breach",
            Status::Stale => "stale",
            Status::NoData => "no-data",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    #[test]
    fn thresholds_are_comparisons_or_free_text() {
        let t = Threshold::parse(">= 0.62").expect("a comparison");
        assert_eq!((t.op, t.bound, t.percent), (Op::Ge, 0.62, false));
        assert!(t.passes(0.62) && t.passes(0.7) && !t.passes(0.61));
        let p = Threshold::parse("<5%").expect("a percentage");
        assert!((p.bound - 0.05).abs() < 1e-12 && p.percent);
        assert!(p.passes(0.049) && !p.passes(0.05));
        assert_eq!(p.to_string(), "< 5%");
        assert_eq!(Threshold::parse("!= 0").map(|t| t.passes(0.0)), Some(false));
        assert_eq!(Threshold::parse("== 1").map(|t| t.passes(1.0)), Some(true));
        for text in [
            "PSI below 0.2",
            ">= high",
            ">=",
            "=> 1",
            ">= NaN",
            ">= inf",
            "> 1e999",
            "",
        ] {
            assert_eq!(Threshold::parse(text), None, "{text}");
        }
    }

    #[test]
    fn decimals_are_finite_numbers_as_written() {
        for (s, v) in [
            ("0.64", 0.64),
            ("-3", -3.0),
            ("+1.5", 1.5),
            (".5", 0.5),
            ("5.", 5.0),
            ("1.5e-3", 0.0015),
        ] {
            assert_eq!(parse_decimal(s), Some(v), "{s}");
        }
        for s in [
            "", "NaN", "nan", "inf", "-inf", "infinity", "1e999", "0x10", "1,5", " 1", "1 ", "e5",
            ".", "-", "1e", "=1+2",
        ] {
            assert_eq!(parse_decimal(s), None, "{s}");
        }
    }

    #[test]
    fn a_reading_date_is_a_day_or_a_time_whose_utc_day_counts() {
        let d = parse_moment("2026-10-31").expect("a date");
        assert_eq!((d.day.to_string(), d.second), ("2026-10-31".into(), None));
        let t = parse_moment("2026-11-30T23:30:00-02:00").expect("a time");
        assert_eq!(t.day.to_string(), "2026-12-01");
        assert_eq!(t.second, Some(3600 + 1800));
        assert_eq!(t.to_string(), "2026-12-01T01:30:00Z");
        assert!(parse_moment("2026-02-30").is_err());
        assert!(parse_moment("2026-1-01").is_err());
        assert!(parse_moment("31/10/2026").is_err());
        assert!(parse_moment("2026-10-31 06:00").is_err());
        assert!(d < t);
    }

    fn point(day: &str, value: f64, offset: usize) -> Point {
        Point {
            at: parse_moment(day).unwrap(),
            value,
            span: Span::new(FileId(1), offset, offset + 1),
        }
    }

    #[test]
    fn a_series_keeps_the_latest_the_recent_and_the_first_breach_after_each_review() {
        let reviewed = parse_moment("2026-03-01").unwrap().day;
        let mut a = Series::watching(vec![reviewed, reviewed]);
        let mut b = Series::watching(vec![reviewed]);
        let mut all = Series::watching(vec![reviewed]);
        for i in 0..1000usize {
            let day = Date::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(i as u64);
            let p = Point {
                at: Moment { day, second: None },
                value: i as f64,
                span: Span::new(FileId(1), i * 10, i * 10 + 1),
            };
            let breach = i % 7 == 0;
            // Out of order, split over two halves.
            if i % 2 == 0 { &mut a } else { &mut b }.add(p.clone(), breach);
            all.add(p, breach);
        }
        a.merge(b);
        a.finish();
        all.finish();
        assert_eq!(a, all);
        assert_eq!(a.count, 1000);
        assert_eq!(a.recent().len(), RECENT);
        assert_eq!(a.latest.as_ref().map(|p| p.value), Some(999.0));
        assert!(a.recent().windows(2).all(|w| w[0].at < w[1].at));
        // 2026-03-01 is day 424; the first multiple of 7 after it is 427.
        assert_eq!(a.first_breach_after(reviewed).map(|p| p.value), Some(427.0));
        // Ties of day: the later row is the latest.
        let mut s = Series::default();
        s.add(point("2026-01-01", 2.0, 50), false);
        s.add(point("2026-01-01", 1.0, 10), false);
        assert_eq!(s.latest.map(|p| p.value), Some(2.0));
    }
}
