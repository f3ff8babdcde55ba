//! The band scheduler every banded kernel shares: work is split into bands of output
//! rows, each computed the same way whether it runs on the calling thread or on a rayon
//! worker, so a parallel result is identical to the sequential one. Small jobs stay on the
//! calling thread, where a fork-join would cost more than it saves.

use rayon::prelude::*;

/// Below this many multiply-adds (about 60 us on one core) a filter runs on the calling
/// thread. Measured on 2 vCPUs (`gaussian_blur` and `convolve`, 1- vs 2-thread pools):
/// handing work to the rayon pool costs 10-35 us of worker wake-up, so at 2.4e5
/// multiply-adds two threads save ~30% on an idle machine but lose a few percent when
/// the other core is busy; from 5e5 they save 35-40% idle and break even when contended.
const PARALLEL_MIN_WORK: usize = 1 << 19;

/// Target multiply-adds per band of output rows: enough to amortise the per-band setup
/// (scratch rows, tap tables), small enough for rayon to balance the load.
const BAND_WORK: usize = 1 << 16;

/// Where a filter's bands run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Schedule {
    /// All bands on the calling thread, in order.
    Sequential,
    /// Bands spread over the rayon pool.
    Parallel,
}

impl Schedule {
    /// Parallel only for jobs of at least [`PARALLEL_MIN_WORK`] multiply-adds, and only
    /// when the pool has more than one thread.
    pub(crate) fn for_work(multiply_adds: usize) -> Self {
        if multiply_adds >= PARALLEL_MIN_WORK && rayon::current_num_threads() > 1 {
            Schedule::Parallel
        } else {
            Schedule::Sequential
        }
    }
}

/// Output rows per band when each row costs `row_work` multiply-adds: about
/// [`BAND_WORK`], at least `min_rows`, at least one.
pub(crate) fn rows_per_band(row_work: usize, min_rows: usize) -> usize {
    BAND_WORK.div_ceil(row_work.max(1)).max(min_rows).max(1)
}

/// Calls `body(scratch, band_index, band)` for each `band_len`-long chunk of `out` (the
/// last may be shorter), on the calling thread or on the rayon pool. `init` makes the
/// per-thread scratch state.
///
/// With the `failpoints` feature, the failpoint `imgkit::kernels::band` is evaluated
/// before each band, on the thread that computes it (one relaxed load while no failpoint
/// is configured). It takes no `return`: a `panic` there unwinds out of this call (rayon
/// carries a worker's panic back to the caller), a `sleep` stalls the band.
pub(crate) fn for_each_band<T, S>(
    schedule: Schedule,
    out: &mut [T],
    band_len: usize,
    init: impl Fn() -> S + Sync + Send,
    body: impl Fn(&mut S, usize, &mut [T]) + Sync + Send,
) where
    T: Send,
{
    match schedule {
        Schedule::Sequential => {
            let mut scratch = init();
            for (index, band) in out.chunks_mut(band_len).enumerate() {
                band_failpoint();
                body(&mut scratch, index, band);
            }
        }
        Schedule::Parallel => {
            out.par_chunks_mut(band_len).enumerate().for_each_init(
                init,
                |scratch, (index, band)| {
                    band_failpoint();
                    body(scratch, index, band)
                },
            );
        }
    }
}

/// The failpoint `imgkit::kernels::band` (nothing without the `failpoints` feature).
#[inline(always)]
fn band_failpoint() {
    #[cfg(feature = "failpoints")]
    imgkit_failpoints::failpoint!(imgkit_failpoints::point::KERNELS_BAND);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_per_band_targets_band_work() {
        assert_eq!(rows_per_band(BAND_WORK, 1), 1);
        assert_eq!(rows_per_band(BAND_WORK / 4, 1), 4);
        assert_eq!(rows_per_band(BAND_WORK / 4, 9), 9);
        assert_eq!(rows_per_band(0, 0), BAND_WORK);
        assert_eq!(rows_per_band(BAND_WORK * 10, 0), 1);
    }

    #[test]
    fn for_each_band_visits_every_band_once_in_both_schedules() {
        for schedule in [Schedule::Sequential, Schedule::Parallel] {
            let mut out = vec![0usize; 103];
            for_each_band(
                schedule,
                &mut out,
                10,
                || (),
                |_, index, band| {
                    for value in band.iter_mut() {
                        *value += index + 1;
                    }
                },
            );
            let expected: Vec<usize> = (0..103).map(|i| i / 10 + 1).collect();
            assert_eq!(out, expected, "{schedule:?}");
        }
    }
}
