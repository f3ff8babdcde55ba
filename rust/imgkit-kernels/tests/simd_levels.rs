//! Every kernel compiled per instruction set gives the same bytes at every level this CPU
//! can run (`IMGKIT_MAX_SIMD` may cap a deployment at any of them), on shapes whose
//! widths leave partial vector blocks and whose sizes reach the parallel schedule.
//!
//! One test function: the level is process-wide, so no other test may run beside it.

mod common;

use common::noise;
use imgkit_kernels::simd::{self, SimdLevel};
use imgkit_kernels::{
    box_blur, convolve, gaussian_blur, histogram, median_blur, otsu_level, resize, sobel,
    to_grayscale, unsharp_mask, ImageView, ImageViewMut, Kernel, KernelError, ResizeFilter,
};

type Op = fn(ImageView<'_>, ImageViewMut<'_>) -> Result<(), KernelError>;

/// (name, output channels given the input's (`None`: the same), the call).
const OPS: &[(&str, Option<usize>, Op)] = &[
    ("gaussian_blur sigma 2", None, |s, d| {
        gaussian_blur(s, 2.0, d)
    }),
    ("gaussian_blur sigma 0.6", None, |s, d| {
        gaussian_blur(s, 0.6, d)
    }),
    ("box_blur radius 3", None, |s, d| box_blur(s, 3, d)),
    ("median_blur radius 1", None, |s, d| median_blur(s, 1, d)),
    ("median_blur radius 2", None, |s, d| median_blur(s, 2, d)),
    ("unsharp_mask", None, |s, d| unsharp_mask(s, 1.5, 0.8, d)),
    ("convolve 3x5", None, |s, d| {
        let weights = [
            0.1, -0.2, 0.3, 0.05, 0.15, 0.2, 0.1, -0.1, 0.3, 0.05, 0.0, 0.2, 0.1, 0.1, -0.3,
        ];
        convolve(
            s,
            &Kernel {
                width: 3,
                height: 5,
                weights: &weights,
            },
            d,
        )
    }),
    ("sobel", Some(1), sobel),
    ("to_grayscale", Some(1), to_grayscale),
];

const SHAPES: [(usize, usize); 3] = [(13, 7), (131, 37), (517, 301)];

fn run(
    op: Op,
    out_channels: Option<usize>,
    (w, h): (usize, usize),
    c: usize,
    src: &[u8],
) -> Vec<u8> {
    let out_c = out_channels.unwrap_or(c);
    let mut dst = vec![0u8; w * h * out_c];
    op(
        ImageView::new(src, w, h, c).unwrap(),
        ImageViewMut::new(&mut dst, w, h, out_c).unwrap(),
    )
    .unwrap();
    dst
}

/// The answers that are not one image of the input's size, as one list: the per-channel
/// histogram, Otsu's level (from the luminance), and bilinear resizes to 3/4 and 3/2.
fn other_answers((w, h): (usize, usize), c: usize, src: &[u8]) -> Vec<u64> {
    let view = ImageView::new(src, w, h, c).unwrap();
    let mut answers = vec![0u64; 256 * c];
    histogram(view, &mut answers).unwrap();
    answers.push(u64::from(otsu_level(view)));
    for (to_w, to_h) in [(w * 3 / 4 + 1, h * 3 / 4 + 1), (w * 3 / 2, h * 3 / 2)] {
        let mut dst = vec![0u8; to_w * to_h * c];
        let out = ImageViewMut::new(&mut dst, to_w, to_h, c).unwrap();
        resize(view, ResizeFilter::Bilinear, out).unwrap();
        answers.extend(dst.iter().map(|&v| u64::from(v)));
    }
    answers
}

#[test]
fn every_instruction_set_gives_the_same_answer() {
    let levels: Vec<SimdLevel> = SimdLevel::ALL
        .into_iter()
        .filter(|&level| level <= SimdLevel::detected())
        .collect();
    for (seed, shape) in (1..).zip(SHAPES) {
        for channels in [1, 3, 4] {
            let src = noise(shape.0 * shape.1 * channels, seed);
            let answers: Vec<(Vec<Vec<u8>>, Vec<u64>)> = levels
                .iter()
                .map(|&level| {
                    assert_eq!(simd::set_max_level(Some(level)), level);
                    let images = OPS
                        .iter()
                        .map(|&(_, out, op)| run(op, out, shape, channels, &src))
                        .collect();
                    (images, other_answers(shape, channels, &src))
                })
                .collect();
            for (level, answer) in levels.iter().zip(&answers).skip(1) {
                for (i, (image, baseline)) in answer.0.iter().zip(&answers[0].0).enumerate() {
                    assert!(
                        image == baseline,
                        "{} on {shape:?}x{channels}: {level} differs from {}",
                        OPS[i].0,
                        levels[0]
                    );
                }
                assert_eq!(
                    answer.1, answers[0].1,
                    "histogram, otsu_level or resize on {shape:?}x{channels} at {level}"
                );
            }
        }
    }
    simd::set_max_level(None);
}
