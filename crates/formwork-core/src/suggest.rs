//! "Did you mean": the candidate nearest to a misspelt name.

/// The letters and digits of a name in lower case: `Memory_Size` and
/// `memorysize` fold to the same thing.
pub(crate) fn fold(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The optimal string alignment distance (Levenshtein plus swaps of two
/// neighbours) between two strings, counted in characters.
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (i, row) in d.chunks_mut(w).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = best;
        }
    }
    d[a.len() * w + b.len()]
}

/// The candidate closest to `name`: the same letters ignoring case and
/// punctuation first, else the nearest by [`distance`] within a third of the
/// name's length (at least one edit). Ties go to the earlier candidate.
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let folded = fold(name);
    let budget = (folded.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        let d = distance(&folded, &fold(c));
        if d <= budget && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("ab", "ba"), 1);
        assert_eq!(distance("MemorySize", "MemorySize"), 0);
    }

    #[test]
    fn near_misses_and_case_are_found_far_names_are_not() {
        let names = ["MemorySize", "Timeout", "Handler"];
        assert_eq!(closest("MemroySize", names), Some("MemorySize"));
        assert_eq!(closest("memory_size", names), Some("MemorySize"));
        assert_eq!(closest("Timout", names), Some("Timeout"));
        assert_eq!(closest("Runtime", names), None);
        assert_eq!(
            closest("RESPONSE_STRAEM", ["BUFFERED", "RESPONSE_STREAM"]),
            Some("RESPONSE_STREAM")
        );
        assert_eq!(closest("x", ["y", "xy"]), Some("y"));
    }
}
