//! The one deterministic test image generator of imgkit-kernels: the unit tests
//! (src/test_support.rs), the integration tests and the benchmarks all include this file.

/// Deterministic noise in 0..=255 (xorshift64); the same `seed` gives the same bytes.
pub fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 56) as u8
        })
        .collect()
}
