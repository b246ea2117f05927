//! "Did you mean": the candidate nearest to a misspelt name, when it is close enough to be a
//! likely typo — in bounded work, since a pull request controls both sides (a people.yaml of
//! 30,000 keys, each role naming an unknown one, once made `check` compare every reference
//! with every key: minutes).
//!
//! A [`Suggester`] indexes a candidate list once, by length and by the set of characters of
//! each candidate. A suggestion visits only the lengths that could be close enough (an edit
//! distance is at least the difference in length), nearest first, and stops when no farther
//! length can do better; it skips, at the cost of one comparison of two bit sets, every
//! candidate whose characters differ too much (each character one string has and the other
//! lacks needs an edit); it computes the remaining distances only up to the best so far (an
//! early exit, within a band around the diagonal), at most [`PER_SUGGESTION`] of them; and
//! one list does at most [`PER_LIST`] units of work in a run (a candidate skipped or a cell
//! of a distance table), past which it suggests nothing more. A repeated name is answered
//! from memory. On registers of normal size no cap is reached and the answer is the one a
//! comparison with every candidate gives.
//!
//! Close enough: an optimal-string-alignment distance (a swap of two neighbours is one edit,
//! so `titel` is one edit from `title`), without regard to case, of at most a third of the
//! longer name (at least 1). Among the closest, the first in the list's order wins. A
//! candidate spelt exactly like the name means there is nothing to suggest.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};

/// The most candidates one suggestion compares (after the length filter).
pub const PER_SUGGESTION: usize = 10_000;

/// The most work one candidate list does in a run: candidates looked at plus cells of
/// distance tables computed.
pub const PER_LIST: u64 = 20_000_000;

/// A candidate list indexed for suggestions.
pub struct Suggester<'a> {
    /// By lowercase length, with the longest name (as written) of each length.
    by_len: BTreeMap<usize, (usize, Vec<Candidate<'a>>)>,
    /// Spelt exactly as written, for "nothing to suggest".
    exact: std::collections::HashSet<&'a str>,
    cells: Cell<u64>,
    memo: RefCell<HashMap<String, Option<&'a str>>>,
}

struct Candidate<'a> {
    /// Position in the list (ties go to the first).
    pos: usize,
    lower: Vec<char>,
    /// The set of its lowercase characters, hashed into 64 bits.
    set: u64,
    text: &'a str,
    /// Its length in characters, as written.
    chars: usize,
}

/// The characters of `s`, hashed into a set of 64 bits. Two characters may share a bit:
/// the count of characters one set lacks then only undercounts, so it stays a lower bound
/// of the distance.
fn char_set(s: &[char]) -> u64 {
    s.iter().fold(0, |m, c| {
        m | 1 << ((*c as u32).wrapping_mul(0x9E37_79B1) >> 26)
    })
}

impl<'a> Suggester<'a> {
    pub fn new(candidates: impl IntoIterator<Item = &'a str>) -> Suggester<'a> {
        let mut by_len: BTreeMap<usize, (usize, Vec<Candidate<'a>>)> = BTreeMap::new();
        let mut exact = std::collections::HashSet::new();
        for (pos, text) in candidates.into_iter().enumerate() {
            exact.insert(text);
            let lower: Vec<char> = text.to_lowercase().chars().collect();
            let chars = text.chars().count();
            let bucket = by_len.entry(lower.len()).or_default();
            bucket.0 = bucket.0.max(chars);
            bucket.1.push(Candidate {
                pos,
                set: char_set(&lower),
                lower,
                text,
                chars,
            });
        }
        Suggester {
            by_len,
            exact,
            cells: Cell::new(0),
            memo: RefCell::new(HashMap::new()),
        }
    }

    /// The distance-table cells computed so far: the work done.
    pub fn work(&self) -> u64 {
        self.cells.get()
    }

    /// The candidate `input` is a likely typo of, if any.
    pub fn suggest(&self, input: &str) -> Option<&'a str> {
        if self.exact.contains(input) {
            return None;
        }
        if let Some(known) = self.memo.borrow().get(input) {
            return *known;
        }
        let found = self.search(input);
        self.memo.borrow_mut().insert(input.to_string(), found);
        found
    }

    fn search(&self, input: &str) -> Option<&'a str> {
        let q: Vec<char> = input.to_lowercase().chars().collect();
        let q_set = char_set(&q);
        let n = q.len();
        let in_chars = input.chars().count();
        let mut best: Option<(usize, usize, &'a str)> = None; // (distance, position, text)
        let mut compared = 0;
        let mut rows = Rows::default();
        // A length `n + delta` is close enough only while delta <= (n + delta) / 3, and
        // `n - delta` only while delta <= n / 3 (or 1): delta never needs to pass n or 1.
        for delta in 0..=n.max(in_chars).max(1) {
            if best.is_some_and(|(d, _, _)| delta > d) {
                break;
            }
            let lens = [n.checked_sub(delta), (delta > 0).then_some(n + delta)];
            for len in lens.into_iter().flatten() {
                let Some((longest, bucket)) = self.by_len.get(&len) else {
                    continue;
                };
                let reach = (in_chars.max(*longest) / 3).max(1);
                if delta > best.map_or(reach, |(d, _, _)| d.min(reach)) {
                    continue;
                }
                for c in bucket {
                    if self.cells.get() >= PER_LIST {
                        return best.map(|(_, _, t)| t);
                    }
                    self.cells.set(self.cells.get() + 1);
                    let limit = (in_chars.max(c.chars) / 3).max(1);
                    let bound = best.map_or(limit, |(d, _, _)| d.min(limit));
                    let missing = (q_set & !c.set)
                        .count_ones()
                        .max((c.set & !q_set).count_ones());
                    if delta > bound || missing as usize > bound {
                        continue;
                    }
                    if compared == PER_SUGGESTION {
                        return best.map(|(_, _, t)| t);
                    }
                    compared += 1;
                    let mut cells = 0;
                    let d = rows.distance_within(&q, &c.lower, bound, &mut cells);
                    self.cells.set(self.cells.get() + cells);
                    let Some(d) = d else { continue };
                    let better = match best {
                        None => true,
                        Some((bd, bp, _)) => d < bd || (d == bd && c.pos < bp),
                    };
                    if better && (d > 0 || c.text != input) {
                        best = Some((d, c.pos, c.text));
                    }
                }
            }
        }
        best.map(|(_, _, t)| t)
    }
}

/// The two previous rows and the current one of a distance table, reused between
/// comparisons.
#[derive(Default)]
struct Rows {
    two: Vec<usize>,
    one: Vec<usize>,
    cur: Vec<usize>,
}

impl Rows {
    /// The optimal-string-alignment distance of `a` and `b` when it is at most `k`, else
    /// `None`; only cells within `k` of the diagonal are computed, and the table stops as
    /// soon as two consecutive rows exceed `k` (a path may skip one row through a swap,
    /// never two). `cells` counts the cells computed.
    fn distance_within(
        &mut self,
        a: &[char],
        b: &[char],
        k: usize,
        cells: &mut u64,
    ) -> Option<usize> {
        let (n, m) = (a.len(), b.len());
        if n.abs_diff(m) > k {
            return None;
        }
        const FAR: usize = usize::MAX / 2;
        for row in [&mut self.two, &mut self.one, &mut self.cur] {
            row.clear();
            row.resize(m + 1, FAR);
        }
        for (j, cell) in self.one.iter_mut().enumerate().take(k.min(m) + 1) {
            *cell = j;
        }
        let mut prev_min = 0;
        for i in 1..=n {
            // Only the band is computed; the cells just outside it are reset, since a row
            // reads the previous one one cell beyond its band on either side.
            let lo = i.saturating_sub(k).max(1);
            let hi = (i + k).min(m);
            self.cur[0] = if i <= k { i } else { FAR };
            if lo > 1 {
                self.cur[lo - 1] = FAR;
            }
            if hi < m {
                self.cur[hi + 1] = FAR;
            }
            let mut row_min = self.cur[0];
            for j in lo..=hi {
                *cells += 1;
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut v = (self.one[j] + 1)
                    .min(self.cur[j - 1] + 1)
                    .min(self.one[j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(self.two[j - 2] + 1);
                }
                self.cur[j] = v;
                row_min = row_min.min(v);
            }
            if row_min.min(prev_min) > k {
                return None;
            }
            prev_min = row_min;
            std::mem::swap(&mut self.two, &mut self.one);
            std::mem::swap(&mut self.one, &mut self.cur);
        }
        let d = self.one[m];
        (d <= k).then_some(d)
    }
}

/// The nearest of `candidates` to `input`, when it is close enough to be a likely typo
/// (one list, one question: see [`Suggester`] for many).
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    Suggester::new(candidates).suggest(input)
}

/// The most candidates [`hint`] lists when none is close.
pub const LISTED: usize = 8;

/// A hint for an unknown name on the command line, never empty when there are candidates:
/// the nearest candidate when one is a likely typo (`r-003` → `R-003`); else those that hold
/// the name or start with it, ignoring case, when at most three do (`cxr` → `cxr-triage`);
/// else the candidates themselves, at most [`LISTED`] and how many more (`plural` names
/// them: "the categories are ..."). `None` when there is no candidate.
pub fn hint(input: &str, candidates: &[&str], plural: &str) -> Option<String> {
    if candidates.is_empty() {
        return None;
    }
    if let Some(m) = did_you_mean(input, candidates.iter().copied()) {
        return Some(format!("did you mean `{m}`?"));
    }
    let lower = input.to_lowercase();
    let holding: Vec<&str> = candidates
        .iter()
        .copied()
        .filter(|c| !lower.is_empty() && c.to_lowercase().contains(&lower))
        .take(4)
        .collect();
    if (1..=3).contains(&holding.len()) {
        let names: Vec<String> = holding.iter().map(|c| format!("`{c}`")).collect();
        return Some(format!("did you mean {}?", or_list(&names)));
    }
    let mut shown: Vec<String> = candidates
        .iter()
        .take(LISTED)
        .map(|c| format!("`{c}`"))
        .collect();
    if candidates.len() > LISTED {
        shown.push(format!("{} more", candidates.len() - LISTED));
    }
    Some(format!("the {plural} are {}", shown.join(", ")))
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hint_is_a_typo_a_prefix_or_the_list() {
        let systems = ["cxr-triage", "sepsis-alert", "bed-forecast"];
        assert_eq!(
            hint("cxr", &systems, "systems").as_deref(),
            Some("did you mean `cxr-triage`?")
        );
        assert_eq!(
            hint("sepsis-alrt", &systems, "systems").as_deref(),
            Some("did you mean `sepsis-alert`?")
        );
        assert_eq!(
            hint("r-003", &["R-001", "R-003"], "risks").as_deref(),
            Some("did you mean `R-003`?")
        );
        assert_eq!(
            hint(
                "clinical",
                &["bias-fairness", "safety", "privacy"],
                "categories"
            )
            .as_deref(),
            Some("the categories are `bias-fairness`, `safety`, `privacy`")
        );
        let many: Vec<String> = (0..12).map(|i| format!("sys-{i:02}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let h = hint("zzz", &many, "systems").unwrap_or_default();
        assert!(h.ends_with("`sys-07`, 4 more"), "{h}");
        assert_eq!(hint("x", &[], "systems"), None);
    }

    /// The distance of the whole table, the definition the bounded one must agree with.
    fn full(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let w = b.len() + 1;
        let mut d = vec![0usize; (a.len() + 1) * w];
        for i in 0..=a.len() {
            d[i * w] = i;
        }
        for (j, cell) in d.iter_mut().enumerate().take(w) {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut v = (d[(i - 1) * w + j] + 1)
                    .min(d[i * w + j - 1] + 1)
                    .min(d[(i - 1) * w + j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(d[(i - 2) * w + j - 2] + 1);
                }
                d[i * w + j] = v;
            }
        }
        d[a.len() * w + b.len()]
    }

    /// The suggestion of a comparison with every candidate, the reference.
    fn reference<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
        if candidates.contains(&input) {
            return None;
        }
        let lower = input.to_lowercase();
        let mut best: Option<(usize, &str)> = None;
        for c in candidates {
            let d = full(&lower, &c.to_lowercase());
            let limit = (input.chars().count().max(c.chars().count()) / 3).max(1);
            if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, c));
            }
        }
        best.map(|(_, c)| c)
    }

    #[test]
    fn suggestions() {
        let known = ["title", "treatment", "owner", "reviewed"];
        assert_eq!(did_you_mean("titel", known), Some("title"));
        assert_eq!(did_you_mean("reviewd", known), Some("reviewed"));
        assert_eq!(did_you_mean("Owner", known), Some("owner"));
        assert_eq!(did_you_mean("zzzzzz", known), None);
        assert_eq!(did_you_mean("owner", known), None);
        assert_eq!(did_you_mean("owner", ["owners", "owner"]), None);
        // Ties go to the first in the list's order.
        assert_eq!(
            did_you_mean("R-01", ["R-001", "R-010", "R-0"]),
            Some("R-001")
        );
        assert_eq!(did_you_mean("R-01", ["R-010", "R-001"]), Some("R-010"));
    }

    #[test]
    fn the_bounded_distance_is_the_distance() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "bca",
            "title",
            "titel",
            "treatment",
            "reviewed",
            "reviewd",
            "R-001",
            "R-010",
            "r-0001",
            "ticket-triage",
            "tciket-triage",
            "İstanbul",
            "straße",
            "STRASSE",
            "owner",
            "owners",
            "aabbcc",
            "abcabc",
        ];
        let mut rows = Rows::default();
        for a in words {
            for b in words {
                let (la, lb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                let d = full(a, b);
                for k in 0..8 {
                    let mut cells = 0;
                    let got = rows.distance_within(&la, &lb, k, &mut cells);
                    assert_eq!(got, (d <= k).then_some(d), "{a:?} {b:?} k={k}");
                }
            }
        }
        for input in words {
            assert_eq!(
                did_you_mean(input, words),
                reference(input, &words),
                "{input:?}"
            );
        }
    }

    #[test]
    fn many_candidates_and_many_questions_cost_bounded_work() {
        // 30,000 keys of one length, 30,000 questions about keys that do not exist: a
        // comparison of everything with everything is 900 million distances.
        let keys: Vec<String> = (0..30_000).map(|i| format!("person-{i:05}")).collect();
        let s = Suggester::new(keys.iter().map(String::as_str));
        assert_eq!(s.suggest("person-0001x"), Some("person-00010"));
        assert_eq!(s.suggest("persn-12345"), Some("person-12345"));
        for i in 0..30_000 {
            let _ = s.suggest(&format!("nobody-{i:05}"));
        }
        assert!(s.work() <= PER_LIST + 1_000, "{} cells", s.work());
        // The list stops suggesting once its work is spent, and keeps answering.
        assert_eq!(s.suggest("persn-54321"), None);
        // A repeated question is answered from memory, at no cost.
        let before = s.work();
        assert_eq!(s.suggest("person-0001x"), Some("person-00010"));
        assert_eq!(s.work(), before);

        // One question computes at most PER_SUGGESTION distances, even when every candidate
        // has the same characters (30,000 words of 12 letters over `abc`).
        let words: Vec<String> = (0..30_000u32)
            .map(|i| {
                (0..12)
                    .map(|p| ['a', 'b', 'c'][(i / 3u32.pow(p) % 3) as usize])
                    .collect()
            })
            .collect();
        let one = Suggester::new(words.iter().map(String::as_str));
        // Whatever its first PER_SUGGESTION distances find (a comparison with all would
        // find `cccccccccaaa`, 3 edits, at position 19,682).
        assert!(one.suggest("cccccccccccc").is_some());
        let per_distance = 12 * (2 * 4 + 1) as u64;
        let cap = PER_SUGGESTION as u64 * per_distance + words.len() as u64;
        assert!(one.work() <= cap, "{} > {cap}", one.work());
        assert!(one.work() > words.len() as u64, "distances were computed");
    }
}
