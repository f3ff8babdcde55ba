//! What the kernels' unit tests share.

/// `len` samples of deterministic noise, the top byte of a 64-bit linear congruential
/// generator started at `seed`: every value appears, neighbouring samples are unrelated,
/// and a seed always gives the same samples.
pub(crate) fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 56) as u8
        })
        .collect()
}

/// A pool of four threads, so that the parallel schedule really splits the work even on
/// a one-core machine.
pub(crate) fn four_thread_pool() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .expect("a pool of four threads")
}
