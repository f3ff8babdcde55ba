//! What the kernels' unit tests share: deterministic images, and rayon pools that really
//! split work even on a one-core machine.

#[path = "../tests/common/noise.rs"]
mod noise;
pub(crate) use noise::noise;

/// A pool of `threads` threads, whatever the machine has.
pub(crate) fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a rayon pool")
}

/// A pool of four threads, so that the parallel schedule really splits the work even on
/// a one-core machine.
pub(crate) fn four_thread_pool() -> rayon::ThreadPool {
    pool(4)
}
