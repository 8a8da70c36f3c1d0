//! "Did you mean": the closest known word by edit distance.

/// The Levenshtein distance between two strings, by characters.
///
/// ```
/// assert_eq!(formwork::diag::edit_distance("evn", "env"), 2);
/// ```
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = substitute.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidate closest to `word`, if one is close enough to be a likely
/// typo: a case-insensitive match, or within a third of the word's length
/// (at least 1, at most 3 edits). Ties go to the first candidate.
///
/// ```
/// use formwork::diag::closest;
/// assert_eq!(closest("evn", ["env", "suffix"]), Some("env"));
/// assert_eq!(closest("sufix", ["env", "suffix"]), Some("suffix"));
/// assert_eq!(closest("region", ["env", "suffix"]), None);
/// ```
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    let lower = word.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        let d = if c.to_lowercase() == lower {
            0
        } else {
            edit_distance(&lower, &c.to_lowercase())
                .min(transposition_distance(&lower, &c.to_lowercase()))
        };
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// 1 when `a` is `b` with two neighbouring characters swapped (`evn` for
/// `env`), the commonest typo; otherwise `usize::MAX`.
fn transposition_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() != b.len() {
        return usize::MAX;
    }
    let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    match diff.as_slice() {
        [i, j] if *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i] => 1,
        _ => usize::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn suggestions_catch_typos_not_other_words() {
        assert_eq!(closest("Env", ["env"]), Some("env"));
        assert_eq!(closest("evn", ["env", "suffix"]), Some("env"));
        assert_eq!(closest("deplyo", ["deploy", "diff"]), Some("deploy"));
        assert_eq!(closest("x", ["env"]), None);
        assert_eq!(closest("anything", std::iter::empty()), None);
    }
}
