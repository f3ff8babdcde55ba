//! `sobel`: hand-worked values, the legacy specification on random inputs, and the
//! output shapes it rejects.

mod common;
mod filters_support;

use common::noise;
use filters_support::{invalid_message, reference_luma, reference_sobel, sobel_owned, transpose};
use imgkit_kernels::{sobel, ImageView, ImageViewMut};

#[test]
fn flat_image_has_no_edges() {
    for channels in [1, 3, 4] {
        let src = vec![180u8; 7 * 5 * channels];
        assert_eq!(sobel_owned(&src, (7, 5, channels)).unwrap(), [0u8; 35]);
    }
    assert_eq!(sobel_owned(&[255], (1, 1, 1)).unwrap(), [0]);
}

#[test]
fn vertical_step_edge() {
    // Columns 0 0 10 10: at x = 1 and x = 2 each of the three kernel rows sees a step of
    // 10, weighted 1 + 2 + 1: gx = 40. The clamped outer columns see no step.
    let step = [0, 0, 10, 10, 0, 0, 10, 10, 0, 0, 10, 10];
    let out = sobel_owned(&step, (4, 3, 1)).unwrap();
    assert_eq!(out, [0, 40, 40, 0, 0, 40, 40, 0, 0, 40, 40, 0]);
}

#[test]
fn horizontal_step_edge_gives_the_same_magnitude() {
    let step = [0, 0, 10, 10, 0, 0, 10, 10, 0, 0, 10, 10];
    let out = sobel_owned(&transpose(&step, (4, 3, 1)), (3, 4, 1)).unwrap();
    let expected = transpose(&sobel_owned(&step, (4, 3, 1)).unwrap(), (4, 3, 1));
    assert_eq!(out, expected);
    assert_eq!(out, [0, 0, 0, 40, 40, 40, 40, 40, 40, 0, 0, 0]);
}

#[test]
fn impulse_gives_rounded_magnitudes() {
    // A 100 in the centre: edge neighbours see it under a weight of 2 in one kernel only
    // (200); corners under 1 in both, sqrt(100^2 + 100^2) = 141.42 -> 141; the centre
    // itself sits under the zero weights.
    let impulse = [0, 0, 0, 0, 100, 0, 0, 0, 0];
    let out = sobel_owned(&impulse, (3, 3, 1)).unwrap();
    assert_eq!(out, [141, 200, 141, 200, 0, 200, 141, 200, 141]);
}

#[test]
fn corner_pixel_with_clamped_borders() {
    // 2x2 with a 1 at (0, 0). Clamping makes every pixel read rows/columns 0 0 1 or
    // 0 1 1:
    //   (0, 0): gx = (0 - 1) + 2 (0 - 1) + 0 = -3, gy = 0 - (1 + 2 + 0) = -3: sqrt(18) = 4.24
    //   (1, 0): gx = -3, gy = 0 - (1 + 0 + 0) = -1: sqrt(10) = 3.16
    //   (0, 1): gx = (0 - 1) = -1, gy = -3: sqrt(10) = 3.16
    //   (1, 1): gx = -1, gy = -1: sqrt(2) = 1.41
    let out = sobel_owned(&[1, 0, 0, 0], (2, 2, 1)).unwrap();
    assert_eq!(out, [4, 3, 3, 1]);
    // Rounded, not truncated: the centre of 0 0 0 / 0 0 1 / 0 1 0 has gx = 2 * 1 = 2 and
    // gy = 2 * 1 = 2, sqrt(8) = 2.83 -> 3.
    let out = sobel_owned(&[0, 0, 0, 0, 0, 1, 0, 1, 0], (3, 3, 1)).unwrap();
    assert_eq!(out[4], 3);
}

#[test]
fn saturates_at_255() {
    // A 0 -> 255 step gives gx = 1020.
    assert_eq!(sobel_owned(&[0, 255], (2, 1, 1)).unwrap(), [255, 255]);
    // A diagonal step of 255: magnitudes well past 255 (up to 255 * 4 * sqrt(2)) clamp.
    let mut src = vec![0u8; 16];
    for y in 0..4 {
        for x in 0..4 {
            if x + y >= 4 {
                src[y * 4 + x] = 255;
            }
        }
    }
    let out = sobel_owned(&src, (4, 4, 1)).unwrap();
    assert_eq!(out, reference_sobel(&src, (4, 4, 1)));
    assert!(out.contains(&255));
}

#[test]
fn colour_input_uses_luminance_and_ignores_alpha() {
    // Pure red 100 has luminance (77 * 100 + 128) >> 8 = 30, so the step gives 4 * 30.
    let red_step = [0, 0, 0, 255, 100, 0, 0, 0];
    assert_eq!(sobel_owned(&red_step, (2, 1, 4)).unwrap(), [120, 120]);
    assert_eq!(
        sobel_owned(&[0, 0, 0, 100, 0, 0], (2, 1, 3)).unwrap(),
        [120, 120]
    );

    let mut alpha_only = vec![90u8; 7 * 5 * 4];
    for x in 0..7 {
        alpha_only[(2 * 7 + x) * 4 + 3] = if x % 2 == 0 { 0 } else { 255 };
    }
    assert_eq!(sobel_owned(&alpha_only, (7, 5, 4)).unwrap(), [0u8; 35]);
}

#[test]
fn colour_output_is_that_of_the_luminance() {
    for channels in [3, 4] {
        let src = noise(13 * 9 * channels, channels as u64);
        let gray = reference_luma(&src, channels);
        assert_eq!(
            sobel_owned(&src, (13, 9, channels)).unwrap(),
            sobel_owned(&gray, (13, 9, 1)).unwrap(),
            "{channels} channels"
        );
    }
}

#[test]
fn handles_single_rows_and_columns() {
    // 1xN: the clamped rows above and below repeat the row, so gy = 0 and gx = 4 * step.
    let src = [0, 0, 10, 20, 20];
    assert_eq!(sobel_owned(&src, (5, 1, 1)).unwrap(), [0, 40, 80, 40, 0]);
    assert_eq!(sobel_owned(&src, (1, 5, 1)).unwrap(), [0, 40, 80, 40, 0]);
}

#[test]
fn matches_the_specification_on_random_images() {
    let shapes = [
        (1, 1),
        (2, 1),
        (1, 2),
        (3, 3),
        (7, 5),
        (16, 11),
        (31, 2),
        (33, 17),
        (65, 40),
    ];
    for (seed, &(width, height)) in shapes.iter().enumerate() {
        for channels in [1, 3, 4] {
            let shape = (width, height, channels);
            let src = noise(width * height * channels, seed as u64 + 50);
            assert_eq!(
                sobel_owned(&src, shape).unwrap(),
                reference_sobel(&src, shape),
                "{width}x{height}x{channels}"
            );
        }
    }
}

#[test]
fn large_images_match_the_specification() {
    // Big enough to run in parallel bands (with a pool of more than one thread).
    for (shape, seed) in [
        ((701, 403, 1), 60),
        ((512, 300, 3), 61),
        ((333, 257, 4), 62),
    ] {
        let src = noise(shape.0 * shape.1 * shape.2, seed);
        assert_eq!(
            sobel_owned(&src, shape).unwrap(),
            reference_sobel(&src, shape),
            "{shape:?}"
        );
    }
}

#[test]
fn rejects_an_output_that_is_not_one_channel_of_the_input_size() {
    let src = noise(4 * 3 * 3, 4);
    for (width, height, channels) in [(4, 3, 3), (3, 3, 1), (4, 2, 1), (3, 4, 1), (4, 3, 4)] {
        let mut dst = vec![0u8; width * height * channels];
        let message = invalid_message(sobel(
            ImageView::new(&src, 4, 3, 3).unwrap(),
            ImageViewMut::new(&mut dst, width, height, channels).unwrap(),
        ));
        assert_eq!(
            message,
            format!("sobel: output is {width}x{height}x{channels}, a 4x3 input needs 4x3x1")
        );
    }
}
