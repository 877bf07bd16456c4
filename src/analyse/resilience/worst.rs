//! The worst of a figure over a set of failures, with the failure that
//! gives it. On a tie the failure preferred (a class's worst case, so that
//! a row names one failure where it can) wins, then the one whose name comes
//! first in natural order (`leaf-2` before `leaf-10`): the element named is
//! always one whose figure is reported, and the same whether or not
//! classes are grouped.

use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Per site, the worst key offered so far (smaller is worse) and the failure it came from.
pub(super) struct Worst<'a, K> {
    by_site: BTreeMap<String, (K, String)>,
    /// The failure that wins a tie, if any.
    prefer: Option<&'a str>,
}

impl<'a, K: Ord + Copy> Worst<'a, K> {
    pub(super) fn new(prefer: Option<&'a str>) -> Self {
        Worst { by_site: BTreeMap::new(), prefer }
    }

    /// Offers the figure `key` that failure `name` gives at `site`.
    pub(super) fn offer(&mut self, site: &str, key: K, name: &str) {
        match self.by_site.get_mut(site) {
            Some(e) => {
                let other = |n: &str| Some(n) != self.prefer;
                let order =
                    key.cmp(&e.0).then(other(name).cmp(&other(&e.1))).then_with(|| natural_cmp(name, &e.1));
                if order == Ordering::Less {
                    *e = (key, name.to_string());
                }
            }
            None => {
                self.by_site.insert(site.to_string(), (key, name.to_string()));
            }
        }
    }

    /// The worst per site, its key turned into the figure to report.
    pub(super) fn report<T>(self, figure: impl Fn(&str, K) -> T) -> BTreeMap<String, (T, String)> {
        self.by_site.into_iter().map(|(site, (k, name))| (site.clone(), (figure(&site, k), name))).collect()
    }
}

/// Compares names with runs of digits taken as numbers: `leaf-2` < `leaf-10`,
/// `spine-1.9` < `spine-1.10`. A total order (equal numbers with different
/// leading zeros, then plain byte order, settle the rest).
pub(super) fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < x.len() && j < y.len() {
        if x[i].is_ascii_digit() && y[j].is_ascii_digit() {
            let (si, sj) = (i, j);
            while i < x.len() && x[i].is_ascii_digit() {
                i += 1;
            }
            while j < y.len() && y[j].is_ascii_digit() {
                j += 1;
            }
            let strip = |s: &[u8]| -> usize { s.iter().take_while(|c| **c == b'0').count() };
            let (nx, ny) = (&x[si..i], &y[sj..j]);
            let (nx, ny) = (&nx[strip(nx)..], &ny[strip(ny)..]);
            let o = nx.len().cmp(&ny.len()).then_with(|| nx.cmp(ny));
            if o != Ordering::Equal {
                return o;
            }
        } else {
            if x[i] != y[j] {
                return x[i].cmp(&y[j]);
            }
            i += 1;
            j += 1;
        }
    }
    (x.len() - i).cmp(&(y.len() - j)).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_of_names() {
        let mut names = vec!["leaf-10", "leaf-2", "leaf-1", "spine-1.10", "spine-1.9", "leaf-02", "a", ""];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(names, ["", "a", "leaf-1", "leaf-02", "leaf-2", "leaf-10", "spine-1.9", "spine-1.10"]);
        assert_eq!(natural_cmp("x/leaf-3 + x/spine-0.1", "x/leaf-3 + x/spine-0.0"), Ordering::Greater);
        assert_eq!(natural_cmp("leaf-1", "leaf-1"), Ordering::Equal);
    }

    #[test]
    fn the_worst_names_its_failure_and_ties_go_to_the_first_name() {
        let offers = [
            ("a", 5u64, "leaf-10"),
            ("a", 5, "leaf-2"),
            ("a", 7, "leaf-1"),
            ("b", 9, "spine-3"),
            ("b", 3, "spine-4"),
        ];
        let mut w = Worst::new(None);
        for (site, key, name) in offers {
            w.offer(site, key, name);
        }
        let r = w.report(|_, k| k * 10);
        assert_eq!(r["a"], (50, "leaf-2".to_string()));
        assert_eq!(r["b"], (30, "spine-4".to_string()));
        // The failure preferred wins a tie, but not a worse figure.
        let mut w = Worst::new(Some("leaf-10"));
        for (site, key, name) in offers {
            w.offer(site, key, name);
        }
        let r = w.report(|_, k| k);
        assert_eq!(r["a"], (5, "leaf-10".to_string()));
        let mut w = Worst::new(Some("leaf-1"));
        for (site, key, name) in offers {
            w.offer(site, key, name);
        }
        assert_eq!(w.report(|_, k| k)["a"], (5, "leaf-2".to_string()));
    }
}
