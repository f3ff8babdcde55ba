//! `box_blur`: hand-worked values, the legacy specification on random inputs, and the
//! arguments legacy rejects.

mod common;
mod filters_support;

use common::noise;
use filters_support::{box_blur_owned, invalid_message, reference_box_blur};
use imgkit_kernels::{box_blur, ImageView, ImageViewMut};

#[test]
fn averages_the_clamped_window() {
    // Window sums with clamped borders: 21 27 33 / 39 45 51 / 57 63 69, each then
    // (sum + 4) / 9, e.g. (0, 0) reads 1 1 2 / 1 1 2 / 4 4 5 = 21 -> 25 / 9 = 2.
    let src = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    let out = box_blur_owned(&src, (3, 3, 1), 1).unwrap();
    assert_eq!(out, [2, 3, 4, 4, 5, 6, 6, 7, 8]);
}

#[test]
fn rounds_the_mean_to_nearest() {
    // Window sums 0, 3 and 6 over n = 9: 0 -> 0, 3/9 = 0.33 -> 0, 6/9 = 0.67 -> 1.
    assert_eq!(box_blur_owned(&[0, 0, 1], (3, 1, 1), 1).unwrap(), [0, 0, 1]);
    // Sums 9 * 2 + 4 and 9 * 2 + 5 sit either side of the half: 22/9 -> 2, 23/9 -> 3.
    let mut src = [2u8; 9];
    src[4] = 6;
    assert_eq!(box_blur_owned(&src, (3, 3, 1), 1).unwrap()[4], 2);
    src[4] = 7;
    assert_eq!(box_blur_owned(&src, (3, 3, 1), 1).unwrap()[4], 3);
}

#[test]
fn radius_two_on_a_row_reads_the_edge_pixels_repeatedly() {
    // 4x1, r = 2, n = 25: the 5 window rows are all row 0, so each sum is 5 times the
    // sum of the 5 clamped columns, then (sum + 12) / 25:
    //   x = 0: 0 0 0 10 20 = 30 -> 150 -> 162 / 25 = 6
    //   x = 1: 0 0 10 20 250 = 280 -> 1400 -> 1412 / 25 = 56
    //   x = 2: 0 10 20 250 250 = 530 -> 2650 -> 2662 / 25 = 106
    //   x = 3: 10 20 250 250 250 = 780 -> 3900 -> 3912 / 25 = 156
    let out = box_blur_owned(&[0, 10, 20, 250], (4, 1, 1), 2).unwrap();
    assert_eq!(out, [6, 56, 106, 156]);
    // Transposed, the same down the column.
    let out = box_blur_owned(&[0, 10, 20, 250], (1, 4, 1), 2).unwrap();
    assert_eq!(out, [6, 56, 106, 156]);
}

#[test]
fn radius_zero_copies_every_channel_count() {
    for channels in [1, 3, 4] {
        let src = noise(7 * 5 * channels, 3);
        assert_eq!(box_blur_owned(&src, (7, 5, channels), 0).unwrap(), src);
    }
}

#[test]
fn keeps_a_constant_image_constant() {
    for channels in [1, 3, 4] {
        for value in [0u8, 1, 254, 255] {
            let src = vec![value; 7 * 5 * channels];
            for radius in [1, 3, 1024] {
                assert_eq!(
                    box_blur_owned(&src, (7, 5, channels), radius).unwrap(),
                    src,
                    "{channels} channels, value {value}, radius {radius}"
                );
            }
        }
    }
}

#[test]
fn largest_radius_reads_far_beyond_the_edges() {
    // 1x2, r = 1024, n = 2049^2, one column. Row 0's window holds 1025 rows of 0 and
    // 1024 of 255: 255 * 1024 / 2049 = 127.4 -> 127. Row 1's holds 1024 of 0 and 1025 of
    // 255: 127.6 -> 128.
    assert_eq!(
        box_blur_owned(&[0, 255], (1, 2, 1), 1024).unwrap(),
        [127, 128]
    );
    // Transposed, the same along the row.
    assert_eq!(
        box_blur_owned(&[0, 255], (2, 1, 1), 1024).unwrap(),
        [127, 128]
    );
}

#[test]
fn every_channel_is_blurred_on_its_own() {
    // An RGBA image whose channels hold different images: each output channel is the
    // blur of its own input channel, alpha included.
    let (width, height) = (9, 6);
    let src = noise(width * height * 4, 21);
    let out = box_blur_owned(&src, (width, height, 4), 2).unwrap();
    for c in 0..4 {
        let channel: Vec<u8> = src.iter().skip(c).step_by(4).copied().collect();
        let expected = reference_box_blur(&channel, (width, height, 1), 2);
        let got: Vec<u8> = out.iter().skip(c).step_by(4).copied().collect();
        assert_eq!(got, expected, "channel {c}");
    }
}

#[test]
fn matches_the_specification_on_random_images() {
    let shapes = [
        (1, 1),
        (7, 5),
        (1, 9),
        (9, 1),
        (16, 11),
        (2, 2),
        (33, 17),
        (64, 3),
    ];
    for (seed, radius) in [1u32, 2, 3, 6, 20, 40].into_iter().enumerate() {
        for &(width, height) in &shapes {
            for channels in [1, 3, 4] {
                let shape = (width, height, channels);
                let src = noise(width * height * channels, seed as u64 + 30);
                assert_eq!(
                    box_blur_owned(&src, shape, radius).unwrap(),
                    reference_box_blur(&src, shape, radius),
                    "{width}x{height}x{channels}, radius {radius}"
                );
            }
        }
    }
}

#[test]
fn large_images_match_the_specification() {
    // Big enough to run in parallel bands (with a pool of more than one thread).
    for (shape, radius, seed) in [((311, 207, 3), 2, 40), ((640, 181, 1), 7, 41)] {
        let src = noise(shape.0 * shape.1 * shape.2, seed);
        assert_eq!(
            box_blur_owned(&src, shape, radius).unwrap(),
            reference_box_blur(&src, shape, radius),
            "{shape:?}, radius {radius}"
        );
    }
}

#[test]
fn saturated_windows_stay_exact_at_the_largest_radius() {
    // The largest sums: every window of a 255 image at r = 1024 sums to 255 * 2049^2,
    // and a single dark pixel off the border (read once by every window) lowers it by
    // 255, a 255 / 2049^2 change of the mean.
    let (width, height) = (40, 30);
    let mut src = vec![255u8; width * height];
    src[15 * width + 20] = 0;
    let out = box_blur_owned(&src, (width, height, 1), 1024).unwrap();
    assert!(out.iter().all(|&v| v == 255));

    // Columns 0..=16 dark, the rest 255. Every window spans all rows (2049 reads of
    // identical rows) and columns x - 1024 ..= x + 1024, of which the 1041 - x up to
    // column 16 are dark: sum = 2049 * 255 * (1008 + x).
    let src: Vec<u8> = (0..width * height)
        .map(|i| if i % width <= 16 { 0 } else { 255 })
        .collect();
    let out = box_blur_owned(&src, (width, height, 1), 1024).unwrap();
    let n = 2049u64 * 2049;
    for (i, &value) in out.iter().enumerate() {
        let x = (i % width) as u64;
        let sum = 2049 * 255 * (1008 + x);
        assert_eq!(u64::from(value), (sum + n / 2) / n, "x = {x}");
    }
    // 255 * 1008 / 2049 = 125.45 and 255 * 1009 / 2049 = 125.57.
    assert_eq!(out[..2], [125, 126]);
}

#[test]
fn rejects_radius_above_1024() {
    let src = [0u8; 9];
    for radius in [1025, 4096, u32::MAX] {
        assert_eq!(
            invalid_message(box_blur_owned(&src, (3, 3, 1), radius)),
            format!("box_blur: radius must be at most 1024, got {radius}")
        );
    }
    assert!(box_blur_owned(&src, (3, 3, 1), 1024).is_ok());
}

#[test]
fn rejects_an_output_of_another_shape() {
    let src = noise(4 * 3 * 3, 4);
    for (width, height, channels) in [(3, 3, 3), (4, 2, 3), (4, 3, 4), (4, 3, 1)] {
        let mut dst = vec![0u8; width * height * channels];
        for radius in [0, 1] {
            let message = invalid_message(box_blur(
                ImageView::new(&src, 4, 3, 3).unwrap(),
                radius,
                ImageViewMut::new(&mut dst, width, height, channels).unwrap(),
            ));
            assert!(message.starts_with("box_blur: output is "), "{message}");
        }
    }
}

#[test]
fn checks_the_radius_before_the_output() {
    let src = [0u8; 9];
    let mut dst = [0u8; 4];
    let message = invalid_message(box_blur(
        ImageView::new(&src, 3, 3, 1).unwrap(),
        1025,
        ImageViewMut::new(&mut dst, 2, 2, 1).unwrap(),
    ));
    assert!(message.contains("radius"), "{message}");
}
