//! Sampling rules every kernel shares, kept in one place so that the ports agree with
//! `imgkit::legacy` and with each other:
//!
//! * borders are clamped — a coordinate outside the image reads the nearest edge sample;
//! * float results become samples by rounding half away from zero (C++ `std::round`) and
//!   clamping to 0..=255.

/// The sample a float result stores: `clamp(round(value), 0, 255)` with `round` rounding
/// half away from zero, as C++ `std::round` does. NaN (only reachable with extreme
/// convolution weights whose products overflow) maps to 0.
///
/// Clamping before rounding gives the same answer for every input, because the bounds
/// are integers; doing it first keeps the arithmetic in `0.0..=255.0`, where it can be
/// done with plain float adds and bit operations that vectorise on every target (unlike
/// a call to `roundf`, or a float-to-int conversion, which Rust saturates and LLVM then
/// often leaves scalar). Adding 2^23 rounds to the nearest integer, ties to even, and
/// leaves that integer in the low mantissa bits; a tie that went down (the remainder is
/// exactly +0.5) is then bumped up, which turns ties-to-even into ties-away-from-zero.
/// The `floor(v + 0.5)` shortcut would be wrong: `0.49999997 + 0.5` rounds up to `1.0`
/// in binary32.
#[inline(always)]
pub(crate) fn round_to_u8(value: f32) -> u8 {
    /// 2^23: from here on the spacing of binary32 values is exactly 1.
    const INTEGER_SPACING: f32 = 8_388_608.0;
    // Not `f32::clamp`, which passes NaN through: here NaN fails the test and becomes 0.
    let clamped = if value > 0.0 { value.min(255.0) } else { 0.0 };
    // 2^23 + n for the nearest integer n (ties to even); its bits are 0x4B00_0000 + n.
    let shifted = clamped + INTEGER_SPACING;
    // Both subtractions are exact: every value involved is a multiple of 2^-24 below 2^24.
    let nearest = shifted - INTEGER_SPACING;
    let tie_rounded_down = u32::from(clamped - nearest >= 0.5);
    // n + bump <= 255 (n = 254 is the largest value a tie rounds down to), so the low
    // byte holds it without carry.
    (shifted.to_bits() + tie_rounded_down) as u8
}

/// The index that tap `tap` of a window starting `offset` before `position` reads on an
/// axis of `len` samples: `clamp(position + tap - offset, 0, len - 1)`. `len` >= 1.
#[inline]
pub(crate) fn clamped_index(position: usize, tap: usize, offset: usize, len: usize) -> usize {
    debug_assert!(len > 0);
    (position + tap).saturating_sub(offset).min(len - 1)
}

/// Writes one image row into `padded` as `f32`, extended by `pad` pixels on each side
/// with copies of the edge pixel: `padded` then holds the clamped-border row for
/// coordinates `-pad .. width + pad`, so a horizontal window never needs a bounds rule.
///
/// `row` is `width * channels` samples; `padded` must hold
/// `(width + 2 * pad) * channels` values.
#[inline]
pub(crate) fn pad_row_clamped(row: &[u8], channels: usize, pad: usize, padded: &mut [f32]) {
    assert_eq!(
        padded.len(),
        row.len() + 2 * pad * channels,
        "padded row has the wrong length"
    );
    pad_span_clamped(row, channels, 0, pad, padded);
}

/// [`pad_row_clamped`] for a span of the row: writes the pixels at coordinates
/// `start - pad .. start + count + pad` of `row`, clamped to `0 .. width`, as `f32`, where
/// `count = padded.len() / channels - 2 * pad`.
///
/// `row` is `width * channels` samples (`width >= 1`), `padded` a whole number of
/// pixels, at least `2 * pad` of them, and `start + count <= width`.
///
/// Always inlined, so that it is compiled for the caller's vector instruction set.
#[inline(always)]
pub(crate) fn pad_span_clamped(
    row: &[u8],
    channels: usize,
    start: usize,
    pad: usize,
    padded: &mut [f32],
) {
    let width = row.len() / channels;
    let pixels = padded.len() / channels;
    debug_assert!(pixels >= 2 * pad && start + pixels - 2 * pad <= width);
    // Coordinates `start - pad + k` for k in 0..pixels: `before` of them are left of the
    // row, `after` right of it, the rest a straight run of `row`.
    let before = pad.saturating_sub(start).min(pixels);
    let first_inside = (start + before).saturating_sub(pad);
    let inside = (width - first_inside).min(pixels - before);
    let (left, rest) = padded.split_at_mut(before * channels);
    let (middle, right) = rest.split_at_mut(inside * channels);
    let run = &row[first_inside * channels..][..inside * channels];
    for (out, &sample) in middle.iter_mut().zip(run) {
        *out = f32::from(sample);
    }
    let first = &row[..channels];
    for pixel in left.chunks_exact_mut(channels) {
        for (out, &sample) in pixel.iter_mut().zip(first) {
            *out = f32::from(sample);
        }
    }
    let last = &row[row.len() - channels..];
    for pixel in right.chunks_exact_mut(channels) {
        for (out, &sample) in pixel.iter_mut().zip(last) {
            *out = f32::from(sample);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference: C++ `std::clamp(std::round(v), 0.0f, 255.0f)` cast to `uint8_t`.
    fn reference(value: f32) -> u8 {
        value.round().clamp(0.0, 255.0) as u8
    }

    #[test]
    fn round_to_u8_rounds_half_away_from_zero() {
        assert_eq!(round_to_u8(0.5), 1);
        assert_eq!(round_to_u8(1.5), 2);
        assert_eq!(round_to_u8(2.5), 3); // not banker's rounding
        assert_eq!(round_to_u8(2.4999998), 2);
        assert_eq!(round_to_u8(0.49999997), 0); // floor(v + 0.5) would give 1
        assert_eq!(round_to_u8(254.5), 255);
    }

    #[test]
    fn round_to_u8_clamps() {
        assert_eq!(round_to_u8(-0.4), 0);
        assert_eq!(round_to_u8(-0.5), 0);
        assert_eq!(round_to_u8(-1000.0), 0);
        assert_eq!(round_to_u8(255.49), 255);
        assert_eq!(round_to_u8(1e30), 255);
        assert_eq!(round_to_u8(f32::INFINITY), 255);
        assert_eq!(round_to_u8(f32::NEG_INFINITY), 0);
        assert_eq!(round_to_u8(f32::NAN), 0);
    }

    #[test]
    fn round_to_u8_matches_std_round_on_every_float_near_the_sample_range() {
        // Every binary32 value in [0.25, 258) — all fractions near every threshold —
        // and their negatives.
        for bits in 0.25f32.to_bits()..258.0f32.to_bits() {
            let value = f32::from_bits(bits);
            assert_eq!(round_to_u8(value), reference(value), "value {value:e}");
            assert_eq!(round_to_u8(-value), reference(-value), "value {:e}", -value);
        }
        for value in [0.0, -0.0, 1e-30, 0.1, 0.2499999] {
            assert_eq!(round_to_u8(value), reference(value), "value {value:e}");
        }
    }

    #[test]
    fn clamped_index_clamps_both_ends() {
        // A 5-wide window centred on position 0 of a 4-long axis: -2, -1, 0, 1, 2.
        let window: Vec<usize> = (0..5).map(|tap| clamped_index(0, tap, 2, 4)).collect();
        assert_eq!(window, [0, 0, 0, 1, 2]);
        let window: Vec<usize> = (0..5).map(|tap| clamped_index(3, tap, 2, 4)).collect();
        assert_eq!(window, [1, 2, 3, 3, 3]);
        assert_eq!(clamped_index(0, 7, 3, 1), 0);
    }

    #[test]
    fn pad_row_clamped_repeats_edge_pixels() {
        let row = [1u8, 2, 3, 4, 5, 6]; // two RGB pixels
        let mut padded = vec![0.0f32; (2 + 2 * 2) * 3];
        pad_row_clamped(&row, 3, 2, &mut padded);
        let expected: Vec<f32> = [1, 2, 3, 1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6, 4, 5, 6]
            .iter()
            .map(|&v| v as f32)
            .collect();
        assert_eq!(padded, expected);
    }

    #[test]
    fn pad_span_clamped_reads_the_span_and_clamps_only_at_the_row_ends() {
        let row: Vec<u8> = (10..20).collect(); // 10 gray pixels
        let span = |start: usize, count: usize, pad: usize| {
            let mut padded = vec![-1.0f32; count + 2 * pad];
            pad_span_clamped(&row, 1, start, pad, &mut padded);
            padded.iter().map(|&v| v as u8).collect::<Vec<u8>>()
        };
        // Inside the row: plain neighbours, no clamping.
        assert_eq!(span(4, 2, 2), [12, 13, 14, 15, 16, 17]);
        // Touching either end.
        assert_eq!(span(0, 3, 2), [10, 10, 10, 11, 12, 13, 14]);
        assert_eq!(span(8, 2, 3), [15, 16, 17, 18, 19, 19, 19, 19]);
        // Padding wider than the row on both sides.
        assert_eq!(span(1, 1, 12).len(), 25);
        assert_eq!(span(1, 1, 12)[..12], [10; 12]);
        assert_eq!(span(1, 1, 12)[12], 11);
        assert_eq!(
            span(1, 1, 12)[13..],
            [12, 13, 14, 15, 16, 17, 18, 19, 19, 19, 19, 19]
        );
        // One pixel of padding reaching just past the left end.
        assert_eq!(span(1, 2, 2), [10, 10, 11, 12, 13, 14]);
    }

    #[test]
    fn pad_span_clamped_keeps_channels_interleaved() {
        let row = [1u8, 2, 3, 4, 5, 6, 7, 8, 9]; // three RGB pixels
        let mut padded = vec![0.0f32; (1 + 2) * 3];
        pad_span_clamped(&row, 3, 2, 1, &mut padded);
        let expected: Vec<f32> = [4, 5, 6, 7, 8, 9, 7, 8, 9]
            .iter()
            .map(|&v| v as f32)
            .collect();
        assert_eq!(padded, expected);
    }

    #[test]
    fn pad_row_clamped_without_padding_converts() {
        let row = [0u8, 255, 7];
        let mut padded = vec![-1.0f32; 3];
        pad_row_clamped(&row, 1, 0, &mut padded);
        assert_eq!(padded, [0.0, 255.0, 7.0]);
    }
}
