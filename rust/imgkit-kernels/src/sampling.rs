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
/// are integers; doing it first keeps the arithmetic in `0.0..=255.0`, where truncation
/// plus a comparison of the (exact) fraction rounds correctly and vectorises, unlike a
/// call to `roundf`. The `floor(v + 0.5)` shortcut would be wrong: `0.49999997 + 0.5`
/// rounds up to `1.0` in binary32.
#[inline(always)]
pub(crate) fn round_to_u8(value: f32) -> u8 {
    // Not `f32::clamp`, which passes NaN through: here NaN fails the test and becomes 0.
    let clamped = if value > 0.0 { value.min(255.0) } else { 0.0 };
    // Truncates; through i32 because that conversion vectorises (cvttps2dq) where a
    // saturating conversion to u8 does not.
    let whole = clamped as i32;
    // Exact (Sterbenz: `whole` is 0 or within a factor of two of `clamped`).
    let fraction = clamped - whole as f32;
    (whole + i32::from(fraction >= 0.5)) as u8
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
pub(crate) fn pad_row_clamped(row: &[u8], channels: usize, pad: usize, padded: &mut [f32]) {
    let edge = pad * channels;
    assert_eq!(
        padded.len(),
        row.len() + 2 * edge,
        "padded row has the wrong length"
    );
    let (left, rest) = padded.split_at_mut(edge);
    let (middle, right) = rest.split_at_mut(row.len());
    for (out, &sample) in middle.iter_mut().zip(row) {
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
    fn pad_row_clamped_without_padding_converts() {
        let row = [0u8, 255, 7];
        let mut padded = vec![-1.0f32; 3];
        pad_row_clamped(&row, 1, 0, &mut padded);
        assert_eq!(padded, [0.0, 255.0, 7.0]);
    }
}
