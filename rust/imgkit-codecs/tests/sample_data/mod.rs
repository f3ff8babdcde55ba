//! Deterministic sample data for the codecs' tests and benchmarks: pseudo-random bytes and
//! the photo-like RGB gradient whose compressed sizes the tests compare with libpng's.
//! Included by the tests (through `png_support`) and by `benches/png.rs` (`#[path]`), so
//! that each generator is written once.

#![allow(dead_code)]

/// Deterministic pseudo-random bytes (xorshift64*).
pub fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..len)
        .map(|_| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 56) as u8
        })
        .collect()
}

/// A smooth RGB gradient (red across, green down, blue diagonal) with +-8 of
/// deterministic noise (xorshift) when `noisy`: the kind of photo-like content that
/// compresses moderately.
pub fn rgb_gradient(width: usize, height: usize, noisy: bool) -> Vec<u8> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut samples = Vec::with_capacity(width * height * 3);
    for y in 0..height {
        for x in 0..width {
            for c in 0..3 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let base = match c {
                    0 => x * 255 / width,
                    1 => y * 255 / height,
                    _ => (x + y) * 255 / (width + height),
                };
                let noise = if noisy { (state >> 60) as i32 - 8 } else { 0 };
                samples.push((base as i32 + noise).clamp(0, 255) as u8);
            }
        }
    }
    samples
}
