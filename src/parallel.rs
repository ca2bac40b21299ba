//! Two-way fork-join on scoped threads: the one shape of parallelism of the crate's
//! large-data kernels (two halves at a split that depends only on the data size, so
//! results do not depend on the machine).

/// Run `here` on this thread while `there` runs on a scoped second thread; `there`'s
/// result is `None` if it panicked. No code path does, but callers turn `None` into an
/// error or a one-thread fallback, never into a wrong answer.
pub(crate) fn join<A, B>(
    here: impl FnOnce() -> A,
    there: impl FnOnce() -> B + Send,
) -> (A, Option<B>)
where
    B: Send,
{
    std::thread::scope(|s| {
        let other = s.spawn(there);
        let a = here();
        (a, other.join().ok())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_sides_run_and_return() {
        let v: Vec<u64> = (1..=100).collect();
        let (a, b) = v.split_at(50);
        let (x, y) = super::join(|| a.iter().sum::<u64>(), || b.iter().sum::<u64>());
        assert_eq!((x, y), (1275, Some(3775)));
    }
}
