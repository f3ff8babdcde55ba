//! `convolve`: hand-worked values, the legacy specification on random inputs, and the
//! arguments legacy rejects.

mod common;

use common::{convolve_owned, noise, reference_convolve};
use imgkit_kernels::{convolve, ImageView, ImageViewMut, Kernel, KernelError};

fn kernel(width: usize, height: usize, weights: &[f32]) -> Kernel<'_> {
    Kernel {
        width,
        height,
        weights,
    }
}

fn invalid_message(result: Result<Vec<u8>, KernelError>) -> String {
    match result {
        Err(KernelError::InvalidArgument(message)) => message,
        Ok(_) => panic!("expected InvalidArgument, got Ok"),
    }
}

#[test]
fn identity_kernel_copies_every_channel_count_and_odd_size() {
    let identity = [0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0];
    for channels in [1, 3, 4] {
        for (width, height) in [(1, 1), (7, 5), (33, 3), (70, 9)] {
            let src = noise(width * height * channels, 1);
            let out = convolve_owned(&src, (width, height, channels), &kernel(3, 3, &identity));
            assert_eq!(out.unwrap(), src, "{width}x{height}x{channels}");
        }
    }
}

#[test]
fn box_mean_3x3_clamps_borders() {
    // 3x2 gray. Worked by hand with clamped borders, e.g. (0, 0) reads rows 0, 0, 1 and
    // columns 0, 0, 1: (10+10+20)*2 + (40+40+50) = 210, 210 / 9 = 23.3 -> 23.
    let src = [10, 20, 30, 40, 50, 60];
    let mean = [1.0f32 / 9.0; 9];
    let out = convolve_owned(&src, (3, 2, 1), &kernel(3, 3, &mean)).unwrap();
    assert_eq!(out, [23, 30, 37, 33, 40, 47]);
}

#[test]
fn box_mean_3x3_filters_rgb_channels_independently() {
    // Two RGB pixels in one row; each channel is the 3-tap clamped mean of its own values
    // (the row is repeated vertically, so the 3x3 mean is the horizontal mean):
    // pixel 0 reads pixels 0, 0, 1; pixel 1 reads 0, 1, 1.
    let src = [0, 90, 255, 30, 0, 0];
    let mean = [1.0f32 / 9.0; 9];
    let out = convolve_owned(&src, (2, 1, 3), &kernel(3, 3, &mean)).unwrap();
    assert_eq!(out, [10, 60, 170, 20, 30, 85]);
}

#[test]
fn correlates_rather_than_convolves() {
    // out(x) = in(x + 1): the weight on the right reads the right neighbour (a flipped
    // kernel would read the left one). The last pixel clamps to itself.
    let shift_left = [0.0, 0.0, 1.0];
    let src = [1, 2, 3, 4];
    assert_eq!(
        convolve_owned(&src, (4, 1, 1), &kernel(3, 1, &shift_left)).unwrap(),
        [2, 3, 4, 4]
    );
    // Vertically, out(y) = in(y - 1) with the first row clamped.
    let shift_down = [1.0, 0.0, 0.0];
    assert_eq!(
        convolve_owned(&src, (1, 4, 1), &kernel(1, 3, &shift_down)).unwrap(),
        [1, 1, 2, 3]
    );
}

#[test]
fn shift_moves_whole_pixels_for_every_channel_count() {
    let shift_left = [0.0, 0.0, 1.0];
    for channels in [1, 3, 4] {
        let src = noise(5 * channels, 2);
        let mut expected = src[channels..].to_vec();
        expected.extend_from_slice(&src[4 * channels..]);
        let out = convolve_owned(&src, (5, 1, channels), &kernel(3, 1, &shift_left)).unwrap();
        assert_eq!(out, expected, "{channels} channels");
    }
}

#[test]
fn rounds_half_away_from_zero_and_clamps() {
    let src = [1, 3, 5, 200];
    assert_eq!(
        convolve_owned(&src, (4, 1, 1), &kernel(1, 1, &[0.5])).unwrap(),
        [1, 2, 3, 100]
    );
    assert_eq!(
        convolve_owned(&src, (4, 1, 1), &kernel(1, 1, &[2.0])).unwrap(),
        [2, 6, 10, 255]
    );
    assert_eq!(
        convolve_owned(&src, (4, 1, 1), &kernel(1, 1, &[-1.0])).unwrap(),
        [0, 0, 0, 0]
    );
}

#[test]
fn one_pixel_image_reads_itself_through_every_tap() {
    // All 25 taps clamp to the single pixel: 25 * 0.04 * 100 = 100.
    let weights = [0.04f32; 25];
    for channels in [1, 3, 4] {
        let src = vec![100u8; channels];
        let out = convolve_owned(&src, (1, 1, channels), &kernel(5, 5, &weights)).unwrap();
        assert_eq!(out, src, "{channels} channels");
    }
}

#[test]
fn matches_the_specification_on_random_images() {
    let shapes = [
        (1, 1),
        (1, 9),
        (9, 1),
        (3, 5),
        (31, 7),
        (32, 4),
        (33, 6),
        (100, 17),
    ];
    let kernels = [(1, 1), (3, 3), (5, 3), (1, 7), (7, 1), (9, 9)];
    for (seed, &(kw, kh)) in kernels.iter().enumerate() {
        // Mixed signs and magnitudes, some exactly zero.
        let weights: Vec<f32> = noise(kw * kh, 100 + seed as u64)
            .iter()
            .map(|&v| {
                if v < 32 {
                    0.0
                } else {
                    (f32::from(v) - 100.0) / 700.0
                }
            })
            .collect();
        for &(width, height) in &shapes {
            for channels in [1, 3, 4] {
                let shape = (width, height, channels);
                let src = noise(width * height * channels, seed as u64);
                let out = convolve_owned(&src, shape, &kernel(kw, kh, &weights)).unwrap();
                let expected = reference_convolve(&src, shape, (kw, kh, &weights));
                assert_eq!(
                    out, expected,
                    "{kw}x{kh} kernel on {width}x{height}x{channels}"
                );
            }
        }
    }
}

#[test]
fn large_image_matches_the_specification() {
    // Big enough to run in parallel bands.
    let shape = (400, 300, 3);
    let weights: Vec<f32> = (0..25).map(|i| (i as f32 - 10.0) / 90.0).collect();
    let src = noise(400 * 300 * 3, 7);
    let out = convolve_owned(&src, shape, &kernel(5, 5, &weights)).unwrap();
    assert_eq!(out, reference_convolve(&src, shape, (5, 5, &weights)));
}

#[test]
fn accepts_the_largest_kernel_sides() {
    let weights = vec![1.0 / 255.0; 255];
    let src = noise(10 * 3, 3);
    let wide = convolve_owned(&src, (10, 3, 1), &kernel(255, 1, &weights)).unwrap();
    assert_eq!(
        wide,
        reference_convolve(&src, (10, 3, 1), (255, 1, &weights))
    );
    let tall = convolve_owned(&src, (10, 3, 1), &kernel(1, 255, &weights)).unwrap();
    assert_eq!(
        tall,
        reference_convolve(&src, (10, 3, 1), (1, 255, &weights))
    );
}

#[test]
fn rejects_even_zero_and_oversized_kernel_sides() {
    let src = [0u8; 4];
    for (width, height, name, value) in [
        (2, 3, "width", "2"),
        (0, 3, "width", "0"),
        (257, 1, "width", "257"),
        (3, 4, "height", "4"),
        (3, 0, "height", "0"),
        (1, 256, "height", "256"),
    ] {
        let weights = vec![0.0f32; width * height];
        let message = invalid_message(convolve_owned(
            &src,
            (2, 2, 1),
            &kernel(width, height, &weights),
        ));
        // The text legacy uses, so logs read alike whichever side rejected the call.
        assert_eq!(
            message,
            format!("convolve: kernel {name} must be odd and in 1..255, got {value}")
        );
    }
}

#[test]
fn rejects_a_weight_count_that_does_not_match_the_size() {
    let src = [0u8; 4];
    for len in [0, 8, 10] {
        let weights = vec![0.0f32; len];
        let message = invalid_message(convolve_owned(&src, (2, 2, 1), &kernel(3, 3, &weights)));
        assert_eq!(
            message,
            format!("convolve: a 3x3 kernel needs 9 weights, got {len}")
        );
    }
}

#[test]
fn rejects_non_finite_weights() {
    let src = [0u8; 4];
    for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
        let mut weights = [0.1f32; 9];
        weights[5] = bad;
        let message = invalid_message(convolve_owned(&src, (2, 2, 1), &kernel(3, 3, &weights)));
        // Legacy prints NaN and infinities as "nan" and "inf"; Rust as "NaN" and "inf".
        assert_eq!(
            message,
            format!("convolve: weights must be finite, weight 5 is {bad}")
        );
    }
}

#[test]
fn rejects_an_output_of_another_shape() {
    let src = noise(4 * 3 * 3, 4);
    let identity = [1.0f32];
    for (width, height, channels) in [(3, 3, 3), (4, 2, 3), (4, 3, 4), (4, 3, 1)] {
        let mut dst = vec![0u8; width * height * channels];
        let result = convolve(
            ImageView::new(&src, 4, 3, 3).unwrap(),
            &kernel(1, 1, &identity),
            ImageViewMut::new(&mut dst, width, height, channels).unwrap(),
        );
        match result {
            Err(KernelError::InvalidArgument(message)) => {
                assert!(message.starts_with("convolve: "), "{message}");
            }
            Ok(()) => panic!("{width}x{height}x{channels} output accepted"),
        }
    }
}
