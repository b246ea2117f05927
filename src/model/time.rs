//! Dates and durations: "3 months", "30 days", ISO dates, and calendar arithmetic.
//!
//! Intervals add calendar months clamped to the month's end (31 August + 3 months =
//! 30 November), as SPEC §6 requires. Pure functions; no clock.

use chrono::{Days, Months, NaiveDate};
use std::fmt;

pub type Date = NaiveDate;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Days,
    Weeks,
    Months,
    Years,
}

/// A review interval or window: "N days|weeks|months|years".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Duration {
    pub n: u32,
    pub unit: Unit,
}

impl Duration {
    /// Parses "3 months", "1 year", "30 days". Returns a message fit for the user on error.
    pub fn parse(s: &str) -> Result<Duration, String> {
        let expected = "expected a duration like \"3 months\" (N days, weeks, months or years)";
        let mut parts = s.split_whitespace();
        let (Some(n), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!("`{s}` is not a duration: {expected}"));
        };
        let n: u32 = n
            .parse()
            .map_err(|_| format!("`{s}` is not a duration: `{n}` is not a whole number"))?;
        let unit = match unit.to_ascii_lowercase().as_str() {
            "day" | "days" => Unit::Days,
            "week" | "weeks" => Unit::Weeks,
            "month" | "months" => Unit::Months,
            "year" | "years" => Unit::Years,
            other => {
                return Err(format!(
                    "`{s}` is not a duration: unknown unit `{other}`; {expected}"
                ));
            }
        };
        if n == 0 {
            return Err(format!("`{s}` is not a duration: it must be at least 1"));
        }
        if n > 10_000 {
            return Err(format!("`{s}` is too long a duration"));
        }
        Ok(Duration { n, unit })
    }

    /// Parses a duration on the command line: what [`Duration::parse`] reads, and the
    /// compact forms people type (`90days`, `90d`, `12w`, `6mo`, `1y`). `m` alone is refused
    /// (minutes or months?) with a hint. The register's files keep the written form.
    pub fn parse_arg(s: &str) -> Result<Duration, String> {
        let t = s.trim();
        let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (n, unit) = t.split_at(split);
        if n.is_empty() || unit.starts_with(char::is_whitespace) || unit.is_empty() {
            return Duration::parse(s);
        }
        let unit = match unit.to_ascii_lowercase().as_str() {
            "d" => "days".to_string(),
            "w" => "weeks".to_string(),
            "mo" => "months".to_string(),
            "y" => "years".to_string(),
            "m" => {
                return Err(format!(
                    "`{s}` is not a duration: `m` could be minutes or months; write `{n}mo` or \"{n} months\""
                ));
            }
            other => other.to_string(),
        };
        Duration::parse(&format!("{n} {unit}"))
    }

    /// `date` plus this duration; `None` only past the end of the calendar.
    pub fn after(&self, date: Date) -> Option<Date> {
        match self.unit {
            Unit::Days => date.checked_add_days(Days::new(self.n.into())),
            Unit::Weeks => date.checked_add_days(Days::new(u64::from(self.n) * 7)),
            Unit::Months => date.checked_add_months(Months::new(self.n)),
            Unit::Years => date.checked_add_months(Months::new(self.n.saturating_mul(12))),
        }
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            Unit::Days => "day",
            Unit::Weeks => "week",
            Unit::Months => "month",
            Unit::Years => "year",
        };
        let s = if self.n == 1 { "" } else { "s" };
        write!(f, "{} {unit}{s}", self.n)
    }
}

/// Parses an ISO `YYYY-MM-DD` date. Returns a message fit for the user on error.
pub fn parse_date(s: &str) -> Result<Date, String> {
    let bytes = s.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape_ok {
        return Err(format!("`{s}` is not a date: expected YYYY-MM-DD"));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date: no such day in the calendar"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    #[test]
    fn parses_durations() {
        assert_eq!(
            Duration::parse("3 months"),
            Ok(Duration {
                n: 3,
                unit: Unit::Months
            })
        );
        assert_eq!(
            Duration::parse("1 year").unwrap().to_string(),
            "1 year".to_string()
        );
        assert_eq!(
            Duration::parse(" 30   Days ").unwrap(),
            Duration {
                n: 30,
                unit: Unit::Days
            }
        );
        assert!(Duration::parse("3").is_err());
        assert!(Duration::parse("three months").is_err());
        assert!(Duration::parse("3 fortnights").is_err());
        assert!(Duration::parse("0 days").is_err());
        assert!(Duration::parse("-1 days").is_err());
        assert!(Duration::parse("3 months ago").is_err());
    }

    #[test]
    fn the_command_line_takes_compact_durations() {
        let p = |s: &str| Duration::parse_arg(s).map(|d| d.to_string());
        assert_eq!(p("90days").as_deref(), Ok("90 days"));
        assert_eq!(p("90d").as_deref(), Ok("90 days"));
        assert_eq!(p("12w").as_deref(), Ok("12 weeks"));
        assert_eq!(p("6mo").as_deref(), Ok("6 months"));
        assert_eq!(p("1Y").as_deref(), Ok("1 year"));
        assert_eq!(p("3 months").as_deref(), Ok("3 months"));
        assert!(p("3m").unwrap_err().contains("`3mo`"));
        assert!(p("90 fortnights").is_err());
        assert!(p("0d").is_err());
        assert!(p("days").is_err());
        // The register's files keep the written form.
        assert!(Duration::parse("90days").is_err());
    }

    #[test]
    fn months_clamp_to_month_end() {
        let three = Duration::parse("3 months").unwrap();
        assert_eq!(three.after(d("2026-08-31")), Some(d("2026-11-30")));
        assert_eq!(
            Duration::parse("1 month").unwrap().after(d("2028-01-31")),
            Some(d("2028-02-29"))
        );
        assert_eq!(
            Duration::parse("1 year").unwrap().after(d("2028-02-29")),
            Some(d("2029-02-28"))
        );
        assert_eq!(
            Duration::parse("2 weeks").unwrap().after(d("2026-12-25")),
            Some(d("2027-01-08"))
        );
    }

    #[test]
    fn parses_dates_strictly() {
        assert!(parse_date("2026-02-29").is_err());
        assert!(parse_date("2026-2-1").is_err());
        assert!(parse_date("01/02/2026").is_err());
        assert!(parse_date("2026-01-01T00:00").is_err());
        assert_eq!(d("2028-02-29").to_string(), "2028-02-29");
    }
}
