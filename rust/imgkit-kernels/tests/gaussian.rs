//! `gaussian_blur`, `gaussian_radius` and `gaussian_weights`: hand-worked values, the
//! legacy specification on random inputs, and the arguments legacy rejects.

mod common;

use common::{gaussian_owned, noise, reference_gaussian};
use imgkit_kernels::{
    gaussian_blur, gaussian_radius, gaussian_weights, ImageView, ImageViewMut, KernelError,
};

#[test]
fn radius_is_ceil_of_three_sigma() {
    assert_eq!(gaussian_radius(2.0), 6);
    assert_eq!(gaussian_radius(0.5), 2); // 1.5 -> 2
    assert_eq!(gaussian_radius(1.0 / 3.0), 1); // 3 * 0.33333334f rounds to 1.0 in f32
    assert_eq!(gaussian_radius(0.1), 1);
    assert_eq!(gaussian_radius(1e-30), 1);
    assert_eq!(gaussian_radius(64.0), 192);
}

#[test]
fn weights_for_sigma_one_match_the_formula() {
    // exp(-k^2 / 2) for k = 0..3 is 1, 0.60653, 0.13534, 0.011109; the sum of the seven
    // taps is 2.50663, so the centre is 1 / 2.50663 = 0.39905.
    let weights = gaussian_weights(1.0);
    let expected = [0.004_433_048, 0.054_005_58, 0.242_036_22, 0.399_050_27];
    assert_eq!(weights.len(), 7);
    for (k, &value) in expected.iter().enumerate() {
        assert!((weights[k] - value).abs() < 1e-8, "w[{k}] = {}", weights[k]);
        assert_eq!(weights[k], weights[6 - k], "symmetry at {k}");
    }
}

#[test]
fn weights_are_normalised_symmetric_and_peaked() {
    for sigma in [0.01, 0.3, 1.0, 2.0, 7.5, 64.0] {
        let weights = gaussian_weights(sigma);
        let radius = gaussian_radius(sigma);
        assert_eq!(weights.len(), 2 * radius + 1, "sigma {sigma}");
        let sum: f64 = weights.iter().map(|&w| f64::from(w)).sum();
        assert!((sum - 1.0).abs() < 1e-5, "sigma {sigma}: sum {sum}");
        for k in 0..radius {
            assert_eq!(weights[k], weights[2 * radius - k], "sigma {sigma}");
            assert!(weights[k] < weights[k + 1], "sigma {sigma}");
        }
    }
}

#[test]
fn constant_image_stays_constant() {
    for sigma in [0.1, 0.8, 2.0, 5.5, 64.0] {
        for channels in [1, 3, 4] {
            for (width, height) in [(1, 1), (5, 3), (37, 11)] {
                for value in [0u8, 1, 128, 254, 255] {
                    let src = vec![value; width * height * channels];
                    let out = gaussian_owned(&src, (width, height, channels), sigma).unwrap();
                    assert_eq!(out, src, "sigma {sigma}, {width}x{height}x{channels}");
                }
            }
        }
    }
}

#[test]
fn single_bright_pixel_spreads_symmetrically() {
    // sigma 1: w = [0.00443, 0.05401, 0.24204, 0.39905, ...]; out = w[dy] * (w[dx] * 255),
    // e.g. the centre 0.39905 * 101.758 = 40.61 -> 41 and (1, 1) away 0.24204 * 61.719 =
    // 14.94 -> 15. Three pixels away every product is below 0.5.
    let mut src = vec![0u8; 9 * 9];
    src[4 * 9 + 4] = 255;
    let out = gaussian_owned(&src, (9, 9, 1), 1.0).unwrap();
    #[rustfmt::skip]
    let expected: [u8; 81] = [
        0, 0, 0, 0,  0, 0,  0, 0, 0,
        0, 0, 0, 0,  0, 0,  0, 0, 0,
        0, 0, 1, 3,  5, 3,  1, 0, 0,
        0, 0, 3, 15, 25, 15, 3, 0, 0,
        0, 0, 5, 25, 41, 25, 5, 0, 0,
        0, 0, 3, 15, 25, 15, 3, 0, 0,
        0, 0, 1, 3,  5, 3,  1, 0, 0,
        0, 0, 0, 0,  0, 0,  0, 0, 0,
        0, 0, 0, 0,  0, 0,  0, 0, 0,
    ];
    assert_eq!(out, expected);
}

#[test]
fn bright_pixel_spreads_alike_in_every_channel() {
    // The same impulse in every channel of an RGB/RGBA image gives the gray result in
    // each channel; an impulse in one channel leaves the others at zero.
    let (width, height) = (11, 7);
    let mut gray = vec![0u8; width * height];
    gray[3 * width + 5] = 200;
    let gray_out = gaussian_owned(&gray, (width, height, 1), 1.5).unwrap();
    for channels in [3, 4] {
        let mut src = vec![0u8; width * height * channels];
        for (pixel, &value) in src.chunks_exact_mut(channels).zip(&gray) {
            pixel[..2].fill(value);
        }
        let out = gaussian_owned(&src, (width, height, channels), 1.5).unwrap();
        for (pixel, &expected) in out.chunks_exact(channels).zip(&gray_out) {
            assert_eq!(&pixel[..2], &[expected, expected]);
            assert!(pixel[2..].iter().all(|&v| v == 0));
        }
    }
}

#[test]
fn matches_the_specification_on_random_images() {
    let shapes = [
        (1, 1),
        (1, 13),
        (13, 1),
        (2, 2),
        (31, 5),
        (32, 3),
        (33, 8),
        (65, 21),
    ];
    for (seed, sigma) in [0.2f32, 0.7, 1.0, 2.0, 3.3, 9.0].into_iter().enumerate() {
        let weights = gaussian_weights(sigma);
        for &(width, height) in &shapes {
            for channels in [1, 3, 4] {
                let shape = (width, height, channels);
                let src = noise(width * height * channels, seed as u64 + 10);
                let out = gaussian_owned(&src, shape, sigma).unwrap();
                let expected = reference_gaussian(&src, shape, &weights);
                assert_eq!(
                    out, expected,
                    "sigma {sigma} on {width}x{height}x{channels}"
                );
            }
        }
    }
}

#[test]
fn large_image_matches_the_specification() {
    // Big enough to run in parallel bands.
    let shape = (501, 203, 3);
    let src = noise(501 * 203 * 3, 11);
    let out = gaussian_owned(&src, shape, 2.0).unwrap();
    assert_eq!(out, reference_gaussian(&src, shape, &gaussian_weights(2.0)));
}

#[test]
fn rejects_sigma_outside_zero_to_sixty_four() {
    let src = [0u8; 4];
    for (sigma, shown) in [
        (0.0, "0"),
        (-0.0, "-0"),
        (-1.0, "-1"),
        (f32::NAN, "NaN"),
        (f32::INFINITY, "inf"),
        (f32::NEG_INFINITY, "-inf"),
        (64.00001, "64.00001"),
        (1000.0, "1000"),
    ] {
        match gaussian_owned(&src, (2, 2, 1), sigma) {
            Err(KernelError::InvalidArgument(message)) => assert_eq!(
                message,
                format!("gaussian_blur: sigma must be in (0, 64], got {shown}")
            ),
            Ok(_) => panic!("sigma {sigma} accepted"),
        }
    }
}

#[test]
fn accepts_sigma_at_the_bounds() {
    let src = noise(6 * 5, 5);
    for sigma in [f32::MIN_POSITIVE, 1e-30, 64.0] {
        let out = gaussian_owned(&src, (6, 5, 1), sigma).unwrap();
        assert_eq!(
            out,
            reference_gaussian(&src, (6, 5, 1), &gaussian_weights(sigma))
        );
    }
}

#[test]
fn rejects_an_output_of_another_shape() {
    let src = noise(4 * 3 * 3, 4);
    for (width, height, channels) in [(3, 3, 3), (4, 2, 3), (4, 3, 4), (4, 3, 1)] {
        let mut dst = vec![0u8; width * height * channels];
        let result = gaussian_blur(
            ImageView::new(&src, 4, 3, 3).unwrap(),
            1.0,
            ImageViewMut::new(&mut dst, width, height, channels).unwrap(),
        );
        match result {
            Err(KernelError::InvalidArgument(message)) => {
                assert!(message.starts_with("gaussian_blur: "), "{message}");
            }
            Ok(()) => panic!("{width}x{height}x{channels} output accepted"),
        }
    }
}
