//! What the unit tests share: deterministic images, and a rayon pool that really splits
//! work even on a one-core machine.

#[path = "../tests/common/noise.rs"]
mod noise;
pub(crate) use noise::noise;

/// A pool of `threads` threads: `pool(4).install(|| ...)` runs a parallel schedule's
/// bands on four workers whatever the machine has.
pub(crate) fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a rayon pool")
}
