//! Risk criteria (Clause 6.1.2 c): the likelihood and consequence scales, the acceptance
//! threshold, and the levels a score falls into, by bands or by an explicit matrix.

use super::time::Duration;

/// A named level: a band over the score (with `max`) or a matrix level (without).
#[derive(Clone, Debug, PartialEq)]
pub struct Level {
    pub name: String,
    /// Upper bound of the band; `None` when levels come from a matrix.
    pub max: Option<u32>,
    pub review_every: Duration,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Criteria {
    pub likelihood: Vec<String>,
    pub consequence: Vec<String>,
    pub acceptance_threshold: u32,
    /// Allowed `consequence_types`; empty means not configured (any value is accepted).
    pub consequence_types: Vec<String>,
    pub levels: Vec<Level>,
    /// `matrix[l-1][c-1]` is an index into `levels`.
    pub matrix: Option<Vec<Vec<usize>>>,
}

impl Criteria {
    /// Score of a likelihood and consequence.
    pub fn score(likelihood: u32, consequence: u32) -> u32 {
        likelihood * consequence
    }

    /// Whether the pair lies on the configured scales (1..n, 1..m).
    pub fn in_range(&self, likelihood: i64, consequence: i64) -> bool {
        self.likelihood_in_range(likelihood) && self.consequence_in_range(consequence)
    }

    pub fn likelihood_in_range(&self, v: i64) -> bool {
        v >= 1 && v as usize <= self.likelihood.len()
    }

    pub fn consequence_in_range(&self, v: i64) -> bool {
        v >= 1 && v as usize <= self.consequence.len()
    }

    /// The level of a pair on the scales: the matrix cell, else the first band whose
    /// `max` >= the score. `None` when the pair is off the scales.
    pub fn level(&self, likelihood: u32, consequence: u32) -> Option<&Level> {
        if !self.in_range(likelihood.into(), consequence.into()) {
            return None;
        }
        if let Some(matrix) = &self.matrix {
            let idx = *matrix
                .get(likelihood as usize - 1)?
                .get(consequence as usize - 1)?;
            return self.levels.get(idx);
        }
        let score = Self::score(likelihood, consequence);
        self.levels
            .iter()
            .find(|l| l.max.is_some_and(|m| m >= score))
    }

    /// The highest score the scales allow.
    pub fn max_score(&self) -> u32 {
        (self.likelihood.len() * self.consequence.len()) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(name: &str, max: Option<u32>, every: &str) -> Level {
        Level {
            name: name.into(),
            max,
            review_every: Duration::parse(every).unwrap(),
        }
    }

    fn five() -> Vec<String> {
        (1..=5).map(|i| i.to_string()).collect()
    }

    fn bands() -> Criteria {
        Criteria {
            likelihood: five(),
            consequence: five(),
            acceptance_threshold: 8,
            consequence_types: vec![],
            levels: vec![
                level("low", Some(4), "12 months"),
                level("medium", Some(9), "6 months"),
                level("high", Some(16), "3 months"),
                level("critical", Some(25), "1 month"),
            ],
            matrix: None,
        }
    }

    #[test]
    fn bands_pick_the_first_band_whose_max_covers_the_score() {
        let c = bands();
        assert_eq!(c.level(1, 1).unwrap().name, "low");
        assert_eq!(c.level(2, 2).unwrap().name, "low");
        assert_eq!(c.level(1, 5).unwrap().name, "medium");
        assert_eq!(c.level(3, 3).unwrap().name, "medium");
        assert_eq!(c.level(2, 5).unwrap().name, "high");
        assert_eq!(c.level(4, 4).unwrap().name, "high");
        assert_eq!(c.level(4, 5).unwrap().name, "critical");
        assert_eq!(c.level(5, 5).unwrap().name, "critical");
        assert!(c.level(6, 1).is_none());
        assert!(c.level(0, 3).is_none());
        assert_eq!(Criteria::score(4, 4), 16);
        assert_eq!(c.max_score(), 25);
    }

    #[test]
    fn matrix_overrides_bands() {
        let mut c = bands();
        // A matrix that weighs consequence above likelihood: 5x1 is "low", 1x5 is "high".
        let mut m = vec![vec![0; 5]; 5];
        for (l, row) in m.iter_mut().enumerate() {
            for (k, cell) in row.iter_mut().enumerate() {
                *cell = if k == 4 {
                    2
                } else if l + k >= 6 {
                    1
                } else {
                    0
                };
            }
        }
        c.matrix = Some(m);
        assert_eq!(c.level(5, 1).unwrap().name, "low");
        assert_eq!(c.level(1, 5).unwrap().name, "high");
        assert_eq!(c.level(4, 4).unwrap().name, "medium");
        // Bands would say critical for 5x5; the matrix says high.
        assert_eq!(c.level(5, 5).unwrap().name, "high");
    }

    #[test]
    fn scales_bound_the_range() {
        let mut c = bands();
        c.likelihood.truncate(3);
        assert!(c.in_range(3, 5));
        assert!(!c.in_range(4, 5));
        assert!(!c.in_range(1, 0));
        assert_eq!(c.max_score(), 15);
    }
}
