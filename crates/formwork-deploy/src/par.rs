//! Independent reads at once: each AWS CLI call is a process that spends
//! most of its time starting Python, so a deploy issues the calls that do
//! not depend on each other together.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// At most this many calls at once.
pub const MAX: usize = 8;

/// `f` of every item, at most [`MAX`] at once, in the items' order.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    if items.len() <= 1 {
        return items.iter().map(&f).collect();
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..items.len().min(MAX) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let r = f(item);
                    if let Ok(mut v) = results.lock() {
                        v[i] = Some(r);
                    }
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_order_and_runs_at_once() {
        let items: Vec<u64> = (0..20).collect();
        let started = std::sync::Mutex::new(0usize);
        let cv = std::sync::Condvar::new();
        let out = super::map(&items, |x| {
            // The first two wait for each other: only parallel calls end.
            if *x < 2 {
                let mut n = started.lock().unwrap();
                *n += 1;
                cv.notify_all();
                while *n < 2 {
                    n = cv.wait(n).unwrap();
                }
            }
            x * 2
        });
        assert_eq!(out, (0..20).map(|x| x * 2).collect::<Vec<_>>());
    }
}
