//! Differential tests: every image operation of `imgkit_kernels` against the legacy C++
//! function it mirrors, on random images (1..=48 on a side, 1, 3 or 4 channels) with
//! random valid parameters, compared by the rule the component's port declares (exact,
//! or within its tolerance; `support::declared_tolerance`). Each test also hands both
//! sides the invalid arguments the legacy headers document and checks that both reject
//! them in the same category. One test per component, so each is its own ctest case.

mod support;

use imgkit_kernels as kernels;
use imgkit_legacy_sys as legacy;
use support::{
    assert_agree, assert_both_reject, declared_components, declared_tolerance, random_image,
    rust_image, shape, view, Rng, CASES,
};

/// The components this file has a test for, each test named after its component.
const DIFFERENTIAL_TESTS: [&str; 14] = [
    "convolve",
    "gaussian_blur",
    "box_blur",
    "median_blur",
    "sobel",
    "unsharp_mask",
    "resize",
    "flip",
    "rotate90",
    "to_grayscale",
    "histogram",
    "equalize",
    "otsu_level",
    "otsu_threshold",
];

/// A port added to cpp/imgkit/src/ports without a test here fails this one.
#[test]
fn every_image_operation_has_a_differential_test() {
    let mut declared = declared_components();
    let mut tested = DIFFERENTIAL_TESTS.to_vec();
    declared.sort_unstable();
    tested.sort_unstable();
    assert_eq!(
        declared, tested,
        "image operations declared by ports vs tested here"
    );
}

/// Runs `check(rng, image, context)` on `CASES` random images; `context` names the
/// component, the case and the shape for failure messages.
fn for_each_case(component: &str, mut check: impl FnMut(&mut Rng, &legacy::Image, &str)) {
    let mut rng = Rng::for_component(component);
    for case in 0..CASES {
        let image = random_image(&mut rng);
        let context = format!("{component} case {case}, image {}", shape(&image));
        check(&mut rng, &image, &context);
    }
}

/// A same-shape filter: legacy's answer against the kernel's, within `tolerance`.
fn check_filter(
    context: &str,
    image: &legacy::Image,
    tolerance: u8,
    legacy: Result<legacy::Image, legacy::LegacyError>,
    kernel: impl FnOnce(kernels::ImageViewMut<'_>) -> Result<(), kernels::KernelError>,
) {
    let (width, height, channels) = (image.width(), image.height(), image.channels());
    let rust = rust_image(width, height, channels, kernel);
    let legacy = legacy.map(legacy::Image::into_samples);
    assert_agree(context, legacy, rust, width, channels, tolerance);
}

/// A luminance operation (1-channel answer of the input's size).
fn check_gray(
    context: &str,
    image: &legacy::Image,
    tolerance: u8,
    legacy: Result<legacy::Image, legacy::LegacyError>,
    kernel: impl FnOnce(kernels::ImageViewMut<'_>) -> Result<(), kernels::KernelError>,
) {
    let (width, height) = (image.width(), image.height());
    let rust = rust_image(width, height, 1, kernel);
    let legacy = legacy.map(legacy::Image::into_samples);
    assert_agree(context, legacy, rust, width, 1, tolerance);
}

/// Random odd kernel sides and weights; a third of the kernels are normalised (a blur,
/// mid-range answers), the rest raw (sharpen and edge shapes, answers often clamped).
fn random_kernel(rng: &mut Rng) -> (u32, u32, Vec<f32>) {
    let (width, height) = (2 * rng.range(0, 4) + 1, 2 * rng.range(0, 4) + 1);
    let mut weights: Vec<f32> = (0..width * height)
        .map(|_| rng.uniform(-2.0, 2.0))
        .collect();
    if rng.one_in(3) {
        weights.iter_mut().for_each(|w| *w = w.abs());
        let sum: f32 = weights.iter().sum();
        weights.iter_mut().for_each(|w| *w /= sum);
    }
    (width, height, weights)
}

#[test]
fn convolve() {
    let tolerance = declared_tolerance("convolve");
    for_each_case("convolve", |rng, image, context| {
        let (width, height, weights) = random_kernel(rng);
        let context = format!("{context}, kernel {width}x{height} {weights:?}");
        let rust_kernel = kernels::Kernel {
            width: width as usize,
            height: height as usize,
            weights: &weights,
        };
        check_filter(
            &context,
            image,
            tolerance,
            legacy::convolve(image, width, height, &weights),
            |dst| kernels::convolve(view(image), &rust_kernel, dst),
        );
    });
    // Documented domain: odd sides in 1..=255, width * height weights, all finite.
    let image = random_image(&mut Rng::for_component("convolve rejections"));
    let rejected: [(&str, u32, u32, Vec<f32>); 7] = [
        ("even width", 2, 1, vec![0.5; 2]),
        ("even height", 3, 4, vec![0.1; 12]),
        ("width 0", 0, 1, vec![]),
        ("width 257", 257, 1, vec![0.0; 257]),
        ("too few weights", 3, 3, vec![0.1; 8]),
        ("a NaN weight", 1, 3, vec![0.0, f32::NAN, 0.0]),
        ("an infinite weight", 3, 1, vec![0.0, f32::INFINITY, 0.0]),
    ];
    for (what, width, height, weights) in rejected {
        let rust_kernel = kernels::Kernel {
            width: width as usize,
            height: height as usize,
            weights: &weights,
        };
        assert_both_reject(
            &format!("convolve, image {}, {what}", shape(&image)),
            legacy::convolve(&image, width, height, &weights),
            rust_image(image.width(), image.height(), image.channels(), |dst| {
                kernels::convolve(view(&image), &rust_kernel, dst)
            }),
        );
    }
}

/// A valid sigma: mostly small, sometimes tiny (radius 1) or up to the limit of 64.
fn random_sigma(rng: &mut Rng) -> f32 {
    match rng.range(0, 9) {
        0 => rng.uniform(0.01, 0.34),
        1 => rng.uniform(8.0, 64.0),
        _ => rng.uniform(0.3, 6.0),
    }
}

/// Sigmas legacy documents as invalid: finite, > 0 and <= 64 only.
const BAD_SIGMAS: [f32; 6] = [0.0, -0.0, -1.0, 64.01, f32::NAN, f32::INFINITY];

#[test]
fn gaussian_blur() {
    let tolerance = declared_tolerance("gaussian_blur");
    for_each_case("gaussian_blur", |rng, image, context| {
        let sigma = random_sigma(rng);
        check_filter(
            &format!("{context}, sigma {sigma:?}"),
            image,
            tolerance,
            legacy::gaussian_blur(image, sigma),
            |dst| kernels::gaussian_blur(view(image), sigma, dst),
        );
    });
    let image = random_image(&mut Rng::for_component("gaussian_blur rejections"));
    for sigma in BAD_SIGMAS {
        assert_both_reject(
            &format!("gaussian_blur, image {}, sigma {sigma:?}", shape(&image)),
            legacy::gaussian_blur(&image, sigma),
            rust_image(image.width(), image.height(), image.channels(), |dst| {
                kernels::gaussian_blur(view(&image), sigma, dst)
            }),
        );
    }
}

#[test]
fn box_blur() {
    let tolerance = declared_tolerance("box_blur");
    for_each_case("box_blur", |rng, image, context| {
        // 0 copies; radii past the image's size read clamped borders; 1024 is the limit.
        let radius = match rng.range(0, 9) {
            0 => 0,
            1 => rng.pick(&[64, 1024]),
            _ => rng.range(1, 12),
        };
        check_filter(
            &format!("{context}, radius {radius}"),
            image,
            tolerance,
            legacy::box_blur(image, radius),
            |dst| kernels::box_blur(view(image), radius, dst),
        );
    });
    let image = random_image(&mut Rng::for_component("box_blur rejections"));
    for radius in [1025, 5000, u32::MAX] {
        assert_both_reject(
            &format!("box_blur, image {}, radius {radius}", shape(&image)),
            legacy::box_blur(&image, radius),
            rust_image(image.width(), image.height(), image.channels(), |dst| {
                kernels::box_blur(view(&image), radius, dst)
            }),
        );
    }
}

#[test]
fn median_blur() {
    let tolerance = declared_tolerance("median_blur");
    for_each_case("median_blur", |rng, image, context| {
        let radius = rng.range(1, 2);
        check_filter(
            &format!("{context}, radius {radius}"),
            image,
            tolerance,
            legacy::median_blur(image, radius),
            |dst| kernels::median_blur(view(image), radius, dst),
        );
    });
    let image = random_image(&mut Rng::for_component("median_blur rejections"));
    for radius in [0, 3, u32::MAX] {
        assert_both_reject(
            &format!("median_blur, image {}, radius {radius}", shape(&image)),
            legacy::median_blur(&image, radius),
            rust_image(image.width(), image.height(), image.channels(), |dst| {
                kernels::median_blur(view(&image), radius, dst)
            }),
        );
    }
}

// sobel, rotate90 and the tone operations take no parameter besides the image, so there
// is no argument for either side to reject.

#[test]
fn sobel() {
    let tolerance = declared_tolerance("sobel");
    for_each_case("sobel", |_, image, context| {
        check_gray(context, image, tolerance, legacy::sobel(image), |dst| {
            kernels::sobel(view(image), dst)
        });
    });
}

#[test]
fn unsharp_mask() {
    let tolerance = declared_tolerance("unsharp_mask");
    for_each_case("unsharp_mask", |rng, image, context| {
        let sigma = random_sigma(rng);
        let amount = match rng.range(0, 9) {
            0 => rng.pick(&[0.0, 16.0]),
            _ => rng.uniform(0.0, 4.0),
        };
        check_filter(
            &format!("{context}, sigma {sigma:?}, amount {amount:?}"),
            image,
            tolerance,
            legacy::unsharp_mask(image, sigma, amount),
            |dst| kernels::unsharp_mask(view(image), sigma, amount, dst),
        );
    });
    // sigma as for gaussian_blur (with a valid amount), then amount in 0..=16 (with a
    // valid sigma).
    let image = random_image(&mut Rng::for_component("unsharp_mask rejections"));
    let bad_amounts = [-0.5, 16.01, f32::NAN, f32::INFINITY, f32::NEG_INFINITY];
    let rejected = BAD_SIGMAS
        .iter()
        .map(|&sigma| (sigma, 1.0))
        .chain(bad_amounts.iter().map(|&amount| (1.0, amount)));
    for (sigma, amount) in rejected {
        assert_both_reject(
            &format!(
                "unsharp_mask, image {}, sigma {sigma:?}, amount {amount:?}",
                shape(&image)
            ),
            legacy::unsharp_mask(&image, sigma, amount),
            rust_image(image.width(), image.height(), image.channels(), |dst| {
                kernels::unsharp_mask(view(&image), sigma, amount, dst)
            }),
        );
    }
}

/// The Rust side of a resize as the bridge does it: the target is checked before the
/// output buffer is allocated (a 0-wide buffer cannot even be viewed).
fn rust_resize(
    image: &legacy::Image,
    width: u32,
    height: u32,
    filter: kernels::ResizeFilter,
) -> Result<Vec<u8>, kernels::KernelError> {
    kernels::check_resize_target(width as usize, height as usize)?;
    rust_image(width, height, image.channels(), |dst| {
        kernels::resize(view(image), filter, dst)
    })
}

const RESIZE_FILTERS: [(legacy::ResizeFilter, kernels::ResizeFilter); 2] = [
    (
        legacy::ResizeFilter::Nearest,
        kernels::ResizeFilter::Nearest,
    ),
    (
        legacy::ResizeFilter::Bilinear,
        kernels::ResizeFilter::Bilinear,
    ),
];

#[test]
fn resize() {
    let tolerance = declared_tolerance("resize");
    for_each_case("resize", |rng, image, context| {
        // Shrinking, growing, one side each way, now and then the same size, and about one
        // case in three a scale the Rust port computes in integers (each side halved,
        // divided by 3 or 4, doubled or 2/3 of it, where that is whole).
        let (width, height) = if rng.one_in(8) {
            (image.width(), image.height())
        } else if rng.one_in(3) {
            let mut side = |size: u32| match rng.pick(&[(1, 2), (1, 3), (1, 4), (2, 1), (2, 3)]) {
                (n, d) if (size * n).is_multiple_of(d) => size * n / d,
                _ => size * 2,
            };
            (side(image.width()), side(image.height()))
        } else {
            (rng.range(1, 96), rng.range(1, 96))
        };
        for (legacy_filter, kernel_filter) in RESIZE_FILTERS {
            assert_agree(
                &format!("{context}, to {width}x{height} {legacy_filter:?}"),
                legacy::resize(image, width, height, legacy_filter)
                    .map(legacy::Image::into_samples),
                rust_resize(image, width, height, kernel_filter),
                width,
                image.channels(),
                tolerance,
            );
        }
    });
    // Each side 1..=65535.
    let image = random_image(&mut Rng::for_component("resize rejections"));
    let rejected = [(0, 5), (5, 0), (0, 0), (65536, 1), (1, 70000)];
    for ((width, height), (legacy_filter, kernel_filter)) in
        rejected.into_iter().zip(RESIZE_FILTERS.iter().cycle())
    {
        assert_both_reject(
            &format!(
                "resize, image {}, to {width}x{height} {legacy_filter:?}",
                shape(&image)
            ),
            legacy::resize(&image, width, height, *legacy_filter),
            rust_resize(&image, width, height, *kernel_filter),
        );
    }
}

#[test]
fn flip() {
    let tolerance = declared_tolerance("flip");
    let axes = [
        (legacy::FlipAxis::Horizontal, kernels::FlipAxis::Horizontal),
        (legacy::FlipAxis::Vertical, kernels::FlipAxis::Vertical),
    ];
    for_each_case("flip", |_, image, context| {
        for (legacy_axis, kernel_axis) in axes {
            check_filter(
                &format!("{context}, {legacy_axis:?}"),
                image,
                tolerance,
                legacy::flip(image, legacy_axis),
                |dst| kernels::flip(view(image), kernel_axis, dst),
            );
        }
    });
}

#[test]
fn rotate90() {
    let tolerance = declared_tolerance("rotate90");
    for_each_case("rotate90", |_, image, context| {
        // The answer is height x width.
        let (width, height, channels) = (image.height(), image.width(), image.channels());
        assert_agree(
            context,
            legacy::rotate90(image).map(legacy::Image::into_samples),
            rust_image(width, height, channels, |dst| {
                kernels::rotate90(view(image), dst)
            }),
            width,
            channels,
            tolerance,
        );
    });
}

#[test]
fn to_grayscale() {
    let tolerance = declared_tolerance("to_grayscale");
    for_each_case("to_grayscale", |_, image, context| {
        check_gray(
            context,
            image,
            tolerance,
            legacy::to_grayscale(image),
            |dst| kernels::to_grayscale(view(image), dst),
        );
    });
}

#[test]
fn histogram() {
    let tolerance = declared_tolerance("histogram");
    assert_eq!(tolerance, 0, "histogram counts compare exactly");
    for_each_case("histogram", |_, image, context| {
        let legacy = legacy::histogram(image).unwrap_or_else(|e| panic!("{context}: {e}"));
        let mut rust = vec![0u64; image.channels() as usize * 256];
        kernels::histogram(view(image), &mut rust).unwrap_or_else(|e| panic!("{context}: {e}"));
        if let Some(i) = (0..legacy.len()).find(|&i| legacy[i] != rust[i]) {
            panic!(
                "{context}: channel {} value {}: legacy counts {}, rust {}",
                i / 256,
                i % 256,
                legacy[i],
                rust[i]
            );
        }
    });
}

#[test]
fn equalize() {
    let tolerance = declared_tolerance("equalize");
    for_each_case("equalize", |_, image, context| {
        check_filter(context, image, tolerance, legacy::equalize(image), |dst| {
            kernels::equalize(view(image), dst)
        });
    });
}

#[test]
fn otsu_level() {
    let tolerance = declared_tolerance("otsu_level");
    for_each_case("otsu_level", |_, image, context| {
        let legacy = legacy::otsu_level(image).unwrap_or_else(|e| panic!("{context}: {e}"));
        let rust = kernels::otsu_level(view(image));
        assert!(
            legacy.abs_diff(rust) <= tolerance,
            "{context}: legacy level {legacy}, rust {rust}"
        );
    });
}

#[test]
fn otsu_threshold() {
    let tolerance = declared_tolerance("otsu_threshold");
    for_each_case("otsu_threshold", |_, image, context| {
        check_gray(
            context,
            image,
            tolerance,
            legacy::otsu_threshold(image),
            |dst| kernels::otsu_threshold(view(image), dst),
        );
    });
}
