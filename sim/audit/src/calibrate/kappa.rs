//! Agreement between two raters: percent agreement and Cohen's kappa, from a square table of
//! counts (`table[a][b]`: items rater one put in category `a` and rater two in `b`).
//!
//! kappa = (p_o - p_e) / (1 - p_e), p_o the share on the diagonal, p_e the agreement expected
//! by chance from each rater's marginal shares: what scikit-learn's `cohen_kappa_score`
//! computes (unweighted). When p_e is 1 (both raters put everything in one category) kappa
//! is undefined: `None` (scikit-learn gives NaN).

use serde::Serialize;

/// Fewer items than this and a kappa is shown as "too few".
pub const TOO_FEW: u64 = 10;

/// Cohen's kappa of a square table of counts; `None` when undefined (no items, or agreement
/// by chance is certain).
///
/// ```
/// use callflow_audit::calibrate::kappa::kappa;
/// // 20 items: both yes 8, only rater one 2, only rater two 3, both no 7.
/// let k = kappa(&[[7, 2], [3, 8]]).unwrap();
/// assert!((k - 0.5).abs() < 1e-12);
/// ```
pub fn kappa<const K: usize>(table: &[[u64; K]; K]) -> Option<f64> {
    let n: u64 = table.iter().flatten().sum();
    if n == 0 {
        return None;
    }
    let n = n as f64;
    let mut observed = 0.0;
    let mut expected = 0.0;
    for (i, row) in table.iter().enumerate() {
        observed += row.get(i).copied().unwrap_or(0) as f64;
        let row_sum: u64 = row.iter().sum();
        let column_sum: u64 = table.iter().map(|r| r.get(i).copied().unwrap_or(0)).sum();
        expected += row_sum as f64 * column_sum as f64;
    }
    let observed = observed / n;
    let expected = expected / (n * n);
    if (1.0 - expected).abs() < f64::EPSILON {
        return None;
    }
    Some((observed - expected) / (1.0 - expected))
}

/// Two raters on one yes/no question over a set of items (did the call raise this code?).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Agreement {
    /// Both said yes.
    pub both: u64,
    /// Only the first (the machine, or the evaluator compared against) said yes.
    pub first_only: u64,
    /// Only the second said yes.
    pub second_only: u64,
    /// Both said no.
    pub neither: u64,
}

impl Agreement {
    /// Counts one item.
    pub fn add(&mut self, first: bool, second: bool) {
        match (first, second) {
            (true, true) => self.both += 1,
            (true, false) => self.first_only += 1,
            (false, true) => self.second_only += 1,
            (false, false) => self.neither += 1,
        }
    }

    /// Adds another's counts.
    pub fn merge(&mut self, other: &Agreement) {
        self.both += other.both;
        self.first_only += other.first_only;
        self.second_only += other.second_only;
        self.neither += other.neither;
    }

    /// Items counted: what the figures rest on.
    pub fn n(&self) -> u64 {
        self.both + self.first_only + self.second_only + self.neither
    }

    /// Percent of items on which the two agree (`None` without items).
    pub fn percent(&self) -> Option<f64> {
        let n = self.n();
        (n > 0).then(|| (self.both + self.neither) as f64 * 100.0 / n as f64)
    }

    /// Cohen's kappa (`None` when undefined).
    pub fn kappa(&self) -> Option<f64> {
        kappa(&[
            [self.neither, self.first_only],
            [self.second_only, self.both],
        ])
    }

    /// Whether there are too few items for the kappa to mean much (under [`TOO_FEW`]).
    pub fn too_few(&self) -> bool {
        self.n() < TOO_FEW
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Worked by hand: 50 calls; both raised the code on 20, only the machine on 5, only the
    /// evaluator on 10, neither on 15. p_o = 35/50 = 0.7; the machine says yes 25/50 = 0.5,
    /// the evaluator 30/50 = 0.6; p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = 0.2 / 0.5 = 0.4.
    #[test]
    fn a_table_worked_by_hand() {
        let a = Agreement {
            both: 20,
            first_only: 5,
            second_only: 10,
            neither: 15,
        };
        assert_eq!(a.n(), 50);
        assert_eq!(a.percent(), Some(70.0));
        let k = a.kappa().expect("defined");
        assert!((k - 0.4).abs() < 1e-12, "{k}");
        assert!(!a.too_few());
    }

    /// The fixed data set below, given to scikit-learn 1.9.1 as
    /// `cohen_kappa_score(machine, evaluator)` (the script is in docs/DECISIONS.md, #21),
    /// gave the literals the test expects.
    #[test]
    fn the_same_as_scikit_learn_on_a_fixed_data_set() {
        let (binary_a, binary_b, three_a, three_b) = fixed();
        let mut agreement = Agreement::default();
        for (a, b) in binary_a.iter().zip(&binary_b) {
            agreement.add(*a == 1, *b == 1);
        }
        let k = agreement.kappa().expect("defined");
        assert!(
            (k - SKLEARN_BINARY).abs() < 1e-12,
            "{k} against {SKLEARN_BINARY}"
        );
        let mut table = [[0u64; 3]; 3];
        for (a, b) in three_a.iter().zip(&three_b) {
            table[*a][*b] += 1;
        }
        let k = kappa(&table).expect("defined");
        assert!(
            (k - SKLEARN_THREE).abs() < 1e-12,
            "{k} against {SKLEARN_THREE}"
        );
    }

    #[test]
    fn undefined_and_degenerate_tables() {
        assert_eq!(kappa(&[[0u64; 2]; 2]), None);
        // Both always say no: chance agreement is certain.
        assert_eq!(kappa(&[[12, 0], [0, 0]]), None);
        // Perfect agreement with both categories used.
        assert_eq!(kappa(&[[3, 0], [0, 4]]), Some(1.0));
        // Never agreeing, with balanced marginals: -1.
        assert_eq!(kappa(&[[0, 5], [5, 0]]), Some(-1.0));
        let few = Agreement {
            both: 3,
            first_only: 1,
            second_only: 0,
            neither: 5,
        };
        assert!(few.too_few());
    }

    /// `cohen_kappa_score(machine, evaluator)` of scikit-learn 1.9.1 on the two lists below.
    const SKLEARN_BINARY: f64 = 0.600997506234414;
    /// The same on the three-category lists.
    const SKLEARN_THREE: f64 = 0.4966442953020135;

    /// 40 calls: a code raised (1) or not (0) by each rater; 30 verdicts (0 pass, 1 fail,
    /// 2 incomplete). Drawn once by Python's `random.seed(21)` and frozen here.
    #[allow(clippy::type_complexity)]
    fn fixed() -> (Vec<u8>, Vec<u8>, Vec<usize>, Vec<usize>) {
        let binary_a = vec![
            1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 1, 0, 1, 1,
            0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 1,
        ];
        let binary_b = vec![
            1, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 1,
            0, 1, 0, 0, 0, 1, 1, 1, 1, 0, 1,
        ];
        let three_a = vec![
            0, 0, 1, 1, 0, 2, 0, 2, 2, 2, 0, 1, 0, 2, 2, 0, 1, 1, 2, 1, 2, 0, 0, 0, 2, 0, 1, 1, 2,
            1,
        ];
        let three_b = vec![
            0, 0, 2, 1, 0, 2, 0, 2, 0, 1, 0, 1, 0, 1, 2, 0, 0, 2, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1, 2,
            1,
        ];
        (binary_a, binary_b, three_a, three_b)
    }
}
