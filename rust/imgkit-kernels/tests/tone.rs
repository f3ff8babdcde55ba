//! `histogram`, `equalize`, `otsu_level` and `otsu_threshold`: the legacy suite's
//! hand-worked values, the legacy specification on random inputs, and the arguments
//! legacy rejects.

mod common;
mod geomtone_support;

use common::noise;
use geomtone_support::*;
use imgkit_kernels::{
    equalize, histogram, otsu_level, otsu_threshold, ImageView, ImageViewMut, KernelError,
};

fn message(error: KernelError) -> String {
    assert!(
        matches!(error, KernelError::InvalidArgument(_)),
        "{error:?}"
    );
    error.to_string()
}

fn histogram_owned(src: &[u8], dims: Dims) -> Vec<u64> {
    let mut counts = vec![u64::MAX; dims.2 * 256]; // overwritten, not added to
    histogram(view(src, dims), &mut counts).unwrap();
    counts
}

fn gray(width: usize, height: usize, samples: &[u8]) -> (Vec<u8>, Dims) {
    (samples.to_vec(), (width, height, 1))
}

/// Random images of several distributions: noise, three values, a narrow band, two modes.
fn images(width: usize, height: usize, channels: usize, seed: u64) -> Vec<Vec<u8>> {
    let random = noise(width * height * channels, seed);
    vec![
        random.clone(),
        random.iter().map(|v| v % 3 * 100 + 5).collect(),
        random.iter().map(|v| 120 + v % 5).collect(),
        random
            .iter()
            .map(|v| if v & 1 == 0 { 10 } else { 200 })
            .collect(),
    ]
}

const SHAPES: [(usize, usize); 6] = [(1, 1), (2, 1), (7, 5), (1, 9), (64, 64), (257, 3)];

#[test]
fn histogram_counts_each_channel_separately() {
    let rgba = [1, 2, 3, 4, 1, 9, 3, 4, 255, 9, 0, 4];
    let counts = histogram_owned(&rgba, (3, 1, 4));
    let mut expected = vec![0u64; 4 * 256];
    for (c, v, n) in [
        (0, 1, 2),
        (0, 255, 1),
        (1, 2, 1),
        (1, 9, 2),
        (2, 3, 2),
        (2, 0, 1),
        (3, 4, 3),
    ] {
        expected[c * 256 + v] = n;
    }
    assert_eq!(counts, expected);
}

#[test]
fn histogram_matches_the_specification_for_every_channel_count() {
    for (seed, (width, height)) in SHAPES.into_iter().chain([(1000, 700)]).enumerate() {
        for channels in [1, 3, 4] {
            for src in images(width, height, channels, seed as u64) {
                let dims = (width, height, channels);
                let counts = histogram_owned(&src, dims);
                assert_eq!(counts, reference_histogram(&src, channels), "{dims:?}");
                for channel in counts.chunks_exact(256) {
                    assert_eq!(channel.iter().sum::<u64>(), (width * height) as u64);
                }
            }
        }
    }
}

#[test]
fn histogram_rejects_counts_of_the_wrong_length() {
    let src = [0u8; 12];
    for len in [0, 256, 4 * 256, 3 * 256 + 1] {
        let mut counts = vec![0u64; len];
        let error = histogram(ImageView::new(&src, 2, 2, 3).unwrap(), &mut counts).unwrap_err();
        let text = message(error);
        assert!(text.contains("histogram") && text.contains("768"), "{text}");
        assert!(text.contains(&len.to_string()), "{text}");
    }
}

#[test]
fn equalize_spreads_four_distinct_values_over_the_range() {
    // cdf = 1, 2, 3, 4, cdf_min = 1, N - cdf_min = 3: (k * 255 + 1) / 3 = 0, 85, 170, 255.
    let (src, dims) = gray(2, 2, &[0, 50, 100, 200]);
    assert_eq!(equalize_owned(&src, dims), [0, 85, 170, 255]);
}

#[test]
fn equalize_uses_the_cumulative_count_with_rounding() {
    // cdf(10) = 2 = cdf_min, cdf(20) = 3, cdf(30) = 4, N - cdf_min = 2:
    // (0 + 1) / 2 = 0, (255 + 1) / 2 = 128 (127.5 rounded up), (510 + 1) / 2 = 255.
    let (src, dims) = gray(4, 1, &[10, 20, 10, 30]);
    assert_eq!(equalize_owned(&src, dims), [0, 128, 0, 255]);
}

#[test]
fn equalize_copies_a_single_valued_channel() {
    assert_eq!(equalize_owned(&[77; 35], (7, 5, 1)), [77; 35]);
    assert_eq!(equalize_owned(&[200], (1, 1, 1)), [200]);
    assert_eq!(equalize_owned(&[1, 2, 3, 4], (1, 1, 4)), [1, 2, 3, 4]);
}

#[test]
fn equalize_treats_colour_channels_independently_and_copies_alpha() {
    // Red holds one value (copied), green four distinct ones, blue two, alpha anything.
    let rgba = [5, 0, 7, 1, 5, 50, 7, 2, 5, 100, 9, 3, 5, 200, 9, 4];
    assert_eq!(
        equalize_owned(&rgba, (2, 2, 4)),
        [5, 0, 0, 1, 5, 85, 0, 2, 5, 170, 255, 3, 5, 255, 255, 4]
    );
    assert_eq!(
        equalize_owned(&[1, 2, 3, 4, 5, 6], (2, 1, 3)),
        [0, 0, 0, 255, 255, 255]
    );
}

#[test]
fn equalize_is_idempotent_on_a_full_ramp() {
    let ramp: Vec<u8> = (0..=255).collect();
    assert_eq!(equalize_owned(&ramp, (256, 1, 1)), ramp);
}

#[test]
fn equalize_matches_the_specification_on_random_images() {
    for (seed, (width, height)) in SHAPES.into_iter().chain([(1000, 700)]).enumerate() {
        for channels in [1, 3, 4] {
            for src in images(width, height, channels, seed as u64) {
                let dims = (width, height, channels);
                assert_eq!(
                    equalize_owned(&src, dims),
                    reference_equalize(&src, dims),
                    "{dims:?}"
                );
            }
        }
    }
}

#[test]
fn equalize_rejects_an_output_of_another_shape() {
    let src = [0u8; 12];
    let mut dst = [0u8; 4];
    let error = equalize(
        ImageView::new(&src, 2, 2, 3).unwrap(),
        ImageViewMut::new(&mut dst, 2, 2, 1).unwrap(),
    )
    .unwrap_err();
    let text = message(error);
    assert!(
        text.contains("equalize") && text.contains("2x2x1"),
        "{text}"
    );
}

#[test]
fn otsu_splits_a_bimodal_image_at_the_lower_mode() {
    // Every t in 10..199 separates the modes equally well; ties take the smallest.
    let (src, dims) = gray(3, 2, &[10, 200, 10, 200, 10, 200]);
    assert_eq!(otsu_level(view(&src, dims)), 10);
    assert_eq!(otsu_threshold_owned(&src, dims), [0, 255, 0, 255, 0, 255]);
}

#[test]
fn otsu_maximises_the_between_class_variance() {
    // {0, 0, 100, 255}: t = 0 gives 0.5 * 0.5 * 177.5^2 = 7876.6, t = 100 gives
    // 0.75 * 0.25 * (33.3 - 255)^2 = 9213.0, so the 100 joins the dark class.
    let (src, dims) = gray(4, 1, &[0, 100, 0, 255]);
    assert_eq!(otsu_level(view(&src, dims)), 100);
    assert_eq!(otsu_threshold_owned(&src, dims), [0, 0, 0, 255]);
}

#[test]
fn otsu_of_two_values_is_the_smaller() {
    let (src, dims) = gray(2, 1, &[254, 3]);
    assert_eq!(otsu_level(view(&src, dims)), 3);
    assert_eq!(otsu_threshold_owned(&src, dims), [255, 0]);
}

#[test]
fn otsu_of_a_single_valued_image_is_that_value() {
    assert_eq!(otsu_level(view(&[37], (1, 1, 1))), 37);
    assert_eq!(otsu_level(view(&[200; 105], (7, 5, 3))), 200);
    // (77 * 10 + 150 * 20 + 29 * 30 + 128) >> 8 = 18: the luminance, not a channel.
    assert_eq!(
        otsu_level(view(&[10, 20, 30, 0, 10, 20, 30, 255], (2, 1, 4))),
        18
    );
    // Nothing lies above the level, so everything is background.
    assert_eq!(otsu_threshold_owned(&[200; 35], (7, 5, 1)), [0; 35]);
    assert_eq!(otsu_threshold_owned(&[200; 140], (7, 5, 4)), [0; 35]);
}

#[test]
fn otsu_uses_the_luminance_of_colour_input() {
    // Gray pixels (v, v, v) have luminance v; alpha plays no part.
    let rgba = [0, 0, 0, 9, 100, 100, 100, 255, 0, 0, 0, 0, 255, 255, 255, 1];
    assert_eq!(otsu_level(view(&rgba, (4, 1, 4))), 100);
    assert_eq!(otsu_threshold_owned(&rgba, (4, 1, 4)), [0, 0, 0, 255]);
    // Pure red (luminance 77) and pure blue (29): the level is the blue's 29.
    let rgb = [255, 0, 0, 0, 0, 255, 255, 0, 0];
    assert_eq!(otsu_level(view(&rgb, (3, 1, 3))), 29);
    assert_eq!(otsu_threshold_owned(&rgb, (3, 1, 3)), [255, 0, 255]);
}

#[test]
fn otsu_matches_the_specification_on_random_images() {
    for (seed, (width, height)) in SHAPES.into_iter().enumerate() {
        for channels in [1, 3, 4] {
            for src in images(width, height, channels, seed as u64) {
                let dims = (width, height, channels);
                let level = reference_otsu_level(&src, channels);
                assert_eq!(otsu_level(view(&src, dims)), level, "{dims:?}");
                let expected: Vec<u8> = reference_gray(&src, channels)
                    .iter()
                    .map(|&y| if y > level { 255 } else { 0 })
                    .collect();
                assert_eq!(otsu_threshold_owned(&src, dims), expected, "{dims:?}");
            }
        }
    }
}

#[test]
fn otsu_of_large_images_matches_a_threshold_of_their_luminance() {
    // Large enough for the parallel schedule; the level is checked against the gray
    // image's own level (the full reference is quadratic).
    for channels in [1, 3, 4] {
        for src in images(1000, 700, channels, 11) {
            let dims = (1000, 700, channels);
            let luminance = reference_gray(&src, channels);
            let level = otsu_level(view(&luminance, (1000, 700, 1)));
            assert_eq!(otsu_level(view(&src, dims)), level, "{channels}");
            let binary = otsu_threshold_owned(&src, dims);
            for (&b, &y) in binary.iter().zip(&luminance) {
                assert_eq!(b, if y > level { 255 } else { 0 });
            }
        }
    }
}

#[test]
fn otsu_threshold_rejects_an_output_that_is_not_one_channel_of_the_input_size() {
    let src = [0u8; 12];
    for (width, height, channels) in [(2, 2, 3), (4, 1, 1), (1, 2, 1)] {
        let mut dst = vec![0u8; width * height * channels];
        let error = otsu_threshold(
            ImageView::new(&src, 2, 2, 3).unwrap(),
            ImageViewMut::new(&mut dst, width, height, channels).unwrap(),
        )
        .unwrap_err();
        let text = message(error);
        assert!(
            text.contains("otsu_threshold") && text.contains("needs 2x2x1"),
            "{text}"
        );
    }
}
