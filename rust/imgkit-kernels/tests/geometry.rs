//! `resize`, `flip`, `rotate90` and `check_resize_target`: the legacy suite's hand-worked
//! values, the legacy specification on random inputs, and the arguments legacy rejects.

mod common;
mod geomtone_support;

use common::noise;
use geomtone_support::*;
use imgkit_kernels::{
    check_resize_target, flip, resize, rotate90, FlipAxis, ImageView, ImageViewMut, KernelError,
    ResizeFilter,
};

const BOTH_FILTERS: [ResizeFilter; 2] = [ResizeFilter::Nearest, ResizeFilter::Bilinear];
const SHAPES: [(usize, usize); 6] = [(1, 1), (7, 5), (1, 9), (9, 1), (2, 2), (33, 17)];

fn gray_resize(
    src: &[u8],
    (w, h): (usize, usize),
    filter: ResizeFilter,
    to: (usize, usize),
) -> Vec<u8> {
    resize_owned(src, (w, h, 1), filter, to).unwrap()
}

fn message(error: KernelError) -> String {
    assert!(
        matches!(error, KernelError::InvalidArgument(_)),
        "{error:?}"
    );
    error.to_string()
}

#[test]
fn same_size_is_identity_for_both_filters() {
    for filter in BOTH_FILTERS {
        for (width, height) in SHAPES {
            for channels in [1, 3, 4] {
                let src = noise(width * height * channels, 3);
                let out = resize_owned(&src, (width, height, channels), filter, (width, height));
                assert_eq!(out.unwrap(), src, "{filter:?} {width}x{height}x{channels}");
            }
        }
    }
}

#[test]
fn nearest_repeats_pixels_when_enlarging() {
    // floor((x + 0.5) * 2 / 4) = 0, 0, 1, 1.
    assert_eq!(
        gray_resize(&[10, 20], (2, 1), ResizeFilter::Nearest, (4, 1)),
        [10, 10, 20, 20]
    );
    // floor((y + 0.5) * 2 / 3) = 0, 1, 1.
    assert_eq!(
        gray_resize(&[10, 20], (1, 2), ResizeFilter::Nearest, (1, 3)),
        [10, 20, 20]
    );
}

#[test]
fn nearest_picks_pixel_centres_when_shrinking() {
    // floor((x + 0.5) * 4 / 2) = 1, 3.
    assert_eq!(
        gray_resize(&[10, 20, 30, 40], (4, 1), ResizeFilter::Nearest, (2, 1)),
        [20, 40]
    );
    // floor((x + 0.5) * 5 / 2) = 1, 3 in both directions; red = 10 x, green = 10 y.
    let mut grid = vec![0u8; 5 * 5 * 3];
    for y in 0..5 {
        for x in 0..5 {
            grid[(y * 5 + x) * 3] = (10 * x) as u8;
            grid[(y * 5 + x) * 3 + 1] = (10 * y) as u8;
        }
    }
    let out = resize_owned(&grid, (5, 5, 3), ResizeFilter::Nearest, (2, 2)).unwrap();
    assert_eq!(out, [10, 10, 0, 30, 10, 0, 10, 30, 0, 30, 30, 0]);
}

#[test]
fn bilinear_interpolates_between_pixel_centres() {
    // sx = -0.25, 0.25, 0.75, 1.25: the ends clamp to the edge pixels, the middle two
    // weigh them 3:1 and 1:3.
    assert_eq!(
        gray_resize(&[0, 100], (2, 1), ResizeFilter::Bilinear, (4, 1)),
        [0, 25, 75, 100]
    );
    // Same weights on 0 and 2: 0.5 and 1.5 round half away from zero.
    assert_eq!(
        gray_resize(&[0, 2], (2, 1), ResizeFilter::Bilinear, (4, 1)),
        [0, 1, 2, 2]
    );
}

#[test]
fn bilinear_blends_four_samples() {
    // Top row 0 1 3 4, bottom row 8 9 11 12; the middle rows mix them 3:1 and 1:3.
    let out = gray_resize(&[0, 4, 8, 12], (2, 2), ResizeFilter::Bilinear, (4, 4));
    assert_eq!(out, [0, 1, 3, 4, 2, 3, 5, 6, 6, 7, 9, 10, 8, 9, 11, 12]);
}

#[test]
fn bilinear_shrink_averages_neighbour_pairs() {
    // sx = 0.5, 2.5: the means of pixels 0, 1 and of pixels 2, 3.
    let out = gray_resize(&[0, 10, 20, 40], (4, 1), ResizeFilter::Bilinear, (2, 1));
    assert_eq!(out, [5, 30]);
}

#[test]
fn bilinear_rounds_every_half_away_from_zero() {
    // 0 and 1 weighed 1:1 (sx = 0.5 when shrinking 4 -> 2): 0.5 -> 1, for each pair.
    let out = gray_resize(&[0, 1, 2, 3], (4, 1), ResizeFilter::Bilinear, (2, 1));
    assert_eq!(out, [1, 3]); // 0.5 -> 1, 2.5 -> 3 (not banker's 0 and 2)
    let out = gray_resize(
        &[254, 255, 255, 254],
        (4, 1),
        ResizeFilter::Bilinear,
        (2, 1),
    );
    assert_eq!(out, [255, 255]); // 254.5 -> 255
}

#[test]
fn one_pixel_fills_the_whole_output() {
    for filter in BOTH_FILTERS {
        let out = resize_owned(&[1, 2, 3, 4], (1, 1, 4), filter, (3, 2)).unwrap();
        assert_eq!(out, [1, 2, 3, 4].repeat(6), "{filter:?}");
    }
}

#[test]
fn treats_every_channel_alike() {
    let rgba = [0, 100, 2, 0, 100, 0, 0, 200];
    let out = resize_owned(&rgba, (2, 1, 4), ResizeFilter::Bilinear, (4, 1)).unwrap();
    assert_eq!(
        out,
        [0, 100, 2, 0, 25, 75, 2, 50, 75, 25, 1, 150, 100, 0, 0, 200]
    );
}

#[test]
fn resize_matches_the_specification_on_random_images() {
    let targets = [
        (1, 1),
        (3, 2),
        (4, 4),
        (13, 11),
        (50, 1),
        (1, 37),
        (64, 33),
        (31, 129),
    ];
    for (seed, (width, height)) in SHAPES.into_iter().chain([(100, 64)]).enumerate() {
        for channels in [1, 3, 4] {
            let dims = (width, height, channels);
            // Noise, and 0/1 samples, whose blends land on many exact halves.
            let random = noise(width * height * channels, seed as u64);
            let binary: Vec<u8> = random.iter().map(|v| v & 1).collect();
            for src in [random, binary] {
                for filter in BOTH_FILTERS {
                    for to in targets {
                        let out = resize_owned(&src, dims, filter, to).unwrap();
                        let expected = reference_resize(&src, dims, filter, to);
                        assert_eq!(out, expected, "{filter:?} {dims:?} -> {to:?}");
                    }
                }
            }
        }
    }
}

#[test]
fn large_resizes_match_the_specification() {
    // Large enough for the parallel schedule when the pool has several threads.
    let dims = (700, 300, 3);
    let src = noise(700 * 300 * 3, 9);
    for filter in BOTH_FILTERS {
        for to in [(1001, 451), (233, 100)] {
            let out = resize_owned(&src, dims, filter, to).unwrap();
            assert_eq!(
                out,
                reference_resize(&src, dims, filter, to),
                "{filter:?} {to:?}"
            );
        }
    }
}

#[test]
fn accepts_the_largest_target() {
    for filter in BOTH_FILTERS {
        assert_eq!(
            resize_owned(&[9], (1, 1, 1), filter, (65535, 1)).unwrap(),
            vec![9; 65535]
        );
        assert_eq!(
            resize_owned(&[9], (1, 1, 1), filter, (1, 65535)).unwrap(),
            vec![9; 65535]
        );
    }
    assert_eq!(check_resize_target(1, 1), Ok(()));
    assert_eq!(check_resize_target(65535, 65535), Ok(()));
}

#[test]
fn check_resize_target_rejects_empty_or_oversized_sides() {
    for (width, height, words) in [
        (0, 3, ["width", "0"]),
        (3, 0, ["height", "0"]),
        (65536, 3, ["width", "65536"]),
        (3, 65536, ["height", "65536"]),
        (0, 0, ["width", "0"]), // width first, as legacy
        (usize::MAX, 1, ["width", &usize::MAX.to_string()]),
    ] {
        let text = message(check_resize_target(width, height).unwrap_err());
        assert!(text.starts_with("resize: "), "{text}");
        for word in words {
            assert!(text.contains(word), "{width}x{height}: {text}");
        }
    }
}

#[test]
fn resize_rejects_an_oversized_target_before_touching_it() {
    let src = [1u8; 9];
    let mut dst = vec![7u8; 65536];
    for filter in BOTH_FILTERS {
        let error = resize(
            ImageView::new(&src, 3, 3, 1).unwrap(),
            filter,
            ImageViewMut::new(&mut dst, 65536, 1, 1).unwrap(),
        )
        .unwrap_err();
        assert!(message(error).contains("width must be in 1..65535, got 65536"));
        assert!(dst.iter().all(|&v| v == 7));
    }
}

#[test]
fn resize_rejects_another_channel_count() {
    let src = [1u8; 12];
    let mut dst = [0u8; 16];
    let error = resize(
        ImageView::new(&src, 2, 2, 3).unwrap(),
        ResizeFilter::Nearest,
        ImageViewMut::new(&mut dst, 2, 2, 4).unwrap(),
    )
    .unwrap_err();
    let text = message(error);
    assert!(
        text.contains("resize") && text.contains("4 channels") && text.contains("3"),
        "{text}"
    );
}

#[test]
fn horizontal_flip_mirrors_each_row() {
    let src: Vec<u8> = (1..=18).collect();
    let out = flip_owned(&src, (3, 2, 3), FlipAxis::Horizontal);
    assert_eq!(
        out,
        [7, 8, 9, 4, 5, 6, 1, 2, 3, 16, 17, 18, 13, 14, 15, 10, 11, 12]
    );
}

#[test]
fn vertical_flip_reverses_the_rows() {
    let out = flip_owned(&[1, 2, 3, 4, 5, 6], (2, 3, 1), FlipAxis::Vertical);
    assert_eq!(out, [5, 6, 3, 4, 1, 2]);
}

#[test]
fn flip_matches_the_specification_and_twice_is_identity() {
    for (seed, (width, height)) in SHAPES.into_iter().chain([(640, 480)]).enumerate() {
        for channels in [1, 3, 4] {
            let dims = (width, height, channels);
            let src = noise(width * height * channels, seed as u64);
            for axis in [FlipAxis::Horizontal, FlipAxis::Vertical] {
                let flipped = flip_owned(&src, dims, axis);
                assert_eq!(
                    flipped,
                    reference_flip(&src, dims, axis),
                    "{axis:?} {dims:?}"
                );
                assert_eq!(flip_owned(&flipped, dims, axis), src, "{axis:?} {dims:?}");
            }
        }
    }
}

#[test]
fn flip_rejects_an_output_of_another_shape() {
    let src = [0u8; 6];
    let mut dst = [0u8; 6];
    let error = flip(
        ImageView::new(&src, 3, 2, 1).unwrap(),
        FlipAxis::Vertical,
        ImageViewMut::new(&mut dst, 2, 3, 1).unwrap(),
    )
    .unwrap_err();
    let text = message(error);
    assert!(
        text.contains("flip") && text.contains("2x3x1") && text.contains("3x2x1"),
        "{text}"
    );
}

#[test]
fn rotate90_turns_clockwise() {
    // 1 2 3        4 1
    // 4 5 6   ->   5 2
    //              6 3
    assert_eq!(
        rotate_owned(&[1, 2, 3, 4, 5, 6], (3, 2, 1)),
        [4, 1, 5, 2, 6, 3]
    );
}

#[test]
fn rotate90_moves_whole_pixels() {
    let rgba = [1, 2, 3, 4, 5, 6, 7, 8];
    assert_eq!(rotate_owned(&rgba, (2, 1, 4)), rgba);
    assert_eq!(
        rotate_owned(&[1, 2, 3, 4, 5, 6], (1, 2, 3)),
        [4, 5, 6, 1, 2, 3]
    );
}

#[test]
fn rotate90_matches_the_specification_across_tile_edges() {
    // Sizes below, at and just past the 64-pixel tiles, and large enough to go parallel.
    let sizes = [
        (1, 1),
        (7, 5),
        (1, 9),
        (9, 1),
        (64, 64),
        (65, 63),
        (130, 1),
        (1, 130),
    ];
    for (seed, (width, height)) in sizes.into_iter().chain([(1000, 700)]).enumerate() {
        for channels in [1, 3, 4] {
            let dims = (width, height, channels);
            let src = noise(width * height * channels, seed as u64);
            assert_eq!(
                rotate_owned(&src, dims),
                reference_rotate(&src, dims),
                "{dims:?}"
            );
        }
    }
}

#[test]
fn rotate90_four_times_is_identity_and_twice_is_both_flips() {
    for (width, height) in SHAPES {
        for channels in [1, 3, 4] {
            let dims = (width, height, channels);
            let src = noise(width * height * channels, 5);
            let quarter = rotate_owned(&src, dims);
            let half = rotate_owned(&quarter, (height, width, channels));
            let both = flip_owned(
                &flip_owned(&src, dims, FlipAxis::Horizontal),
                dims,
                FlipAxis::Vertical,
            );
            assert_eq!(half, both, "{dims:?}");
            let three = rotate_owned(&half, dims);
            assert_eq!(
                rotate_owned(&three, (height, width, channels)),
                src,
                "{dims:?}"
            );
        }
    }
}

#[test]
fn rotate90_rejects_an_output_of_the_input_shape() {
    let src = [0u8; 6];
    let mut dst = [0u8; 6];
    let error = rotate90(
        ImageView::new(&src, 3, 2, 1).unwrap(),
        ImageViewMut::new(&mut dst, 3, 2, 1).unwrap(),
    )
    .unwrap_err();
    let text = message(error);
    assert!(
        text.contains("rotate90") && text.contains("needs 2x3x1"),
        "{text}"
    );
    let mut rgb = [0u8; 18];
    let error = rotate90(
        ImageView::new(&src, 3, 2, 1).unwrap(),
        ImageViewMut::new(&mut rgb, 2, 3, 3).unwrap(),
    )
    .unwrap_err();
    assert!(message(error).contains("needs 2x3x1"));
}
