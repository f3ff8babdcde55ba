//! `unsharp_mask`: hand-worked values, the legacy specification on random inputs, and
//! the arguments legacy rejects, in legacy's order.

mod common;
mod filters_support;

use common::{gaussian_owned, noise, reference_gaussian};
use filters_support::{channel_of, invalid_message, reference_sharpen, unsharp_owned};
use imgkit_kernels::{gaussian_weights, unsharp_mask, ImageView, ImageViewMut};

/// `gaussian_blur(., 0.5)` of this row is 50 61 129 61 50: 50 + 100 * 0.7866 = 128.7 and
/// 50 + 100 * 0.1065 = 60.6 (the sigma 0.5 weights are 0.0003, 0.1065, 0.7866, ...).
const BUMP: [u8; 5] = [50, 50, 150, 50, 50];

#[test]
fn the_bump_blurs_as_worked_by_hand() {
    assert_eq!(
        gaussian_owned(&BUMP, (5, 1, 1), 0.5).unwrap(),
        [50, 61, 129, 61, 50]
    );
}

#[test]
fn adds_the_scaled_high_pass() {
    // amount 1: 150 + (150 - 129) = 171, 50 + (50 - 61) = 39.
    assert_eq!(
        unsharp_owned(&BUMP, (5, 1, 1), 0.5, 1.0).unwrap(),
        [50, 39, 171, 39, 50]
    );
    // amount 2: 150 + 2 * 21 = 192, 50 - 2 * 11 = 28.
    assert_eq!(
        unsharp_owned(&BUMP, (5, 1, 1), 0.5, 2.0).unwrap(),
        [50, 28, 192, 28, 50]
    );
    // amount 0.5: 150 + 10.5 = 160.5 rounds away from zero; 50 - 5.5 = 44.5 likewise.
    assert_eq!(
        unsharp_owned(&BUMP, (5, 1, 1), 0.5, 0.5).unwrap(),
        [50, 45, 161, 45, 50]
    );
}

#[test]
fn clamps_to_the_sample_range() {
    // amount 16: 150 + 16 * 21 = 486 -> 255 and 50 - 16 * 11 = -126 -> 0.
    assert_eq!(
        unsharp_owned(&BUMP, (5, 1, 1), 0.5, 16.0).unwrap(),
        [50, 0, 255, 0, 50]
    );
}

#[test]
fn zero_amount_returns_the_input() {
    for channels in [1, 3, 4] {
        let src = noise(7 * 5 * channels, 70);
        for amount in [0.0, -0.0] {
            assert_eq!(
                unsharp_owned(&src, (7, 5, channels), 2.0, amount).unwrap(),
                src,
                "{channels} channels, amount {amount}"
            );
        }
    }
}

#[test]
fn keeps_a_constant_image_constant() {
    for channels in [1, 3, 4] {
        let src = vec![77u8; 9 * channels];
        assert_eq!(
            unsharp_owned(&src, (1, 9, channels), 1.5, 16.0).unwrap(),
            src,
            "{channels} channels"
        );
    }
    assert_eq!(unsharp_owned(&[200], (1, 1, 1), 3.0, 7.0).unwrap(), [200]);
}

#[test]
fn sharpens_colour_and_copies_alpha() {
    // Alpha shaped like a bump too, so sharpening it would show.
    let alphas = [60u8, 60, 160, 60, 60];
    let src: Vec<u8> = BUMP
        .iter()
        .zip(alphas)
        .flat_map(|(&v, a)| [v, v, v, a])
        .collect();
    let out = unsharp_owned(&src, (5, 1, 4), 0.5, 1.0).unwrap();
    for c in 0..3 {
        assert_eq!(channel_of(&out, 4, c), [50, 39, 171, 39, 50], "channel {c}");
    }
    assert_eq!(channel_of(&out, 4, 3), alphas);
}

#[test]
fn sharpens_every_channel_of_rgb() {
    let src: Vec<u8> = BUMP.iter().flat_map(|&v| [v, 0, 9]).collect();
    let out = unsharp_owned(&src, (5, 1, 3), 0.5, 1.0).unwrap();
    assert_eq!(channel_of(&out, 3, 0), [50, 39, 171, 39, 50]);
    assert_eq!(channel_of(&out, 3, 1), [0; 5]);
    assert_eq!(channel_of(&out, 3, 2), [9; 5]);
}

/// The sharpening exactly, on the crate's own blur; the whole pipeline within 1 of the
/// legacy specification (whose blur is the literal `reference_gaussian`).
fn check_against_the_specification(
    src: &[u8],
    shape: (usize, usize, usize),
    sigma: f32,
    amount: f32,
) {
    let out = unsharp_owned(src, shape, sigma, amount).unwrap();
    let blurred = gaussian_owned(src, shape, sigma).unwrap();
    let context = format!("{shape:?}, sigma {sigma}, amount {amount}");
    assert_eq!(
        out,
        reference_sharpen(src, &blurred, shape.2, amount),
        "{context}"
    );

    let spec_blur = reference_gaussian(src, shape, &gaussian_weights(sigma));
    let spec = reference_sharpen(src, &spec_blur, shape.2, amount);
    // A blur one off moves the result by up to `amount`; the parity tolerance is stated
    // for the blur, so compare where the blurs agree and bound the rest.
    for (i, ((&got, &want), (&b, &sb))) in out
        .iter()
        .zip(&spec)
        .zip(blurred.iter().zip(&spec_blur))
        .enumerate()
    {
        if b == sb {
            assert_eq!(got, want, "{context}: sample {i}");
        } else {
            assert!(
                b.abs_diff(sb) <= 1,
                "{context}: blur differs by more than 1 at {i}"
            );
        }
    }
}

#[test]
fn matches_the_specification_on_random_images() {
    let shapes = [(1, 1), (2, 3), (7, 5), (16, 11), (33, 17)];
    for (seed, (sigma, amount)) in [(0.3, 1.0), (0.8, 0.37), (1.0, 2.5), (2.0, 16.0), (5.0, 0.9)]
        .into_iter()
        .enumerate()
    {
        for &(width, height) in &shapes {
            for channels in [1, 3, 4] {
                let src = noise(width * height * channels, seed as u64 + 80);
                check_against_the_specification(&src, (width, height, channels), sigma, amount);
            }
        }
    }
}

#[test]
fn large_images_match_the_specification() {
    // Big enough to run in parallel bands (with a pool of more than one thread).
    for (shape, seed) in [
        ((611, 203, 3), 90),
        ((300, 301, 4), 91),
        ((700, 400, 1), 92),
    ] {
        let src = noise(shape.0 * shape.1 * shape.2, seed);
        check_against_the_specification(&src, shape, 1.5, 1.25);
    }
}

fn next_up(value: f32) -> f32 {
    f32::from_bits(value.to_bits() + 1)
}

#[test]
fn rejects_amount_outside_zero_to_sixteen() {
    let src = [0u8; 9];
    for (amount, shown) in [
        (-0.1, "-0.1"),
        (-0.5, "-0.5"),
        (f32::NEG_INFINITY, "-inf"),
        (next_up(16.0), "16.000002"),
        (17.0, "17"),
        (f32::INFINITY, "inf"),
        (f32::NAN, "NaN"),
        (
            -f32::MIN_POSITIVE,
            "-0.000000000000000000000000000000000000011754944",
        ),
    ] {
        assert_eq!(
            invalid_message(unsharp_owned(&src, (3, 3, 1), 1.0, amount)),
            format!("unsharp_mask: amount must be in [0, 16], got {shown}")
        );
    }
}

#[test]
fn accepts_amount_and_sigma_at_the_bounds() {
    let src = noise(6 * 5, 93);
    for (sigma, amount) in [
        (64.0, 16.0),
        (f32::MIN_POSITIVE, 0.0),
        (1e-30, 16.0),
        (64.0, -0.0),
    ] {
        check_against_the_specification(&src, (6, 5, 1), sigma, amount);
    }
}

#[test]
fn rejects_sigma_outside_the_domain() {
    let src = [0u8; 9];
    for (sigma, shown) in [
        (0.0, "0"),
        (-0.0, "-0"),
        (-1.0, "-1"),
        (f32::NAN, "NaN"),
        (f32::INFINITY, "inf"),
        (64.5, "64.5"),
        (next_up(64.0), "64.00001"),
    ] {
        assert_eq!(
            invalid_message(unsharp_owned(&src, (3, 3, 1), sigma, 1.0)),
            format!("unsharp_mask: sigma must be in (0, 64], got {shown}")
        );
    }
}

#[test]
fn checks_sigma_then_amount_then_the_output() {
    let src = [0u8; 9];
    let mut small = [0u8; 4];
    let call = |sigma, amount, dst: &mut [u8], width| {
        invalid_message(unsharp_mask(
            ImageView::new(&src, 3, 3, 1).unwrap(),
            sigma,
            amount,
            ImageViewMut::new(dst, width, dst.len() / width, 1).unwrap(),
        ))
    };
    assert!(call(0.0, 17.0, &mut small, 2).contains("sigma"));
    assert!(call(f32::NAN, f32::NAN, &mut small, 2).contains("sigma"));
    assert!(call(1.0, 17.0, &mut small, 2).contains("amount"));
    assert_eq!(
        call(1.0, 1.0, &mut small, 2),
        "unsharp_mask: output is 2x2x1, input is 3x3x1"
    );
}

#[test]
fn rejects_an_output_of_another_shape() {
    let src = noise(4 * 3 * 3, 4);
    for (width, height, channels) in [(3, 3, 3), (4, 2, 3), (4, 3, 4), (4, 3, 1)] {
        let mut dst = vec![7u8; width * height * channels];
        let message = invalid_message(unsharp_mask(
            ImageView::new(&src, 4, 3, 3).unwrap(),
            1.0,
            1.0,
            ImageViewMut::new(&mut dst, width, height, channels).unwrap(),
        ));
        assert!(message.starts_with("unsharp_mask: output is "), "{message}");
        assert!(dst.iter().all(|&v| v == 7), "the output was written to");
    }
}
