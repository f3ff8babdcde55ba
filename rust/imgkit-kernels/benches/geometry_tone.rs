//! Throughput of the geometry and tone ports, in pixels per second of the input.
//!
//! `RAYON_NUM_THREADS=1 cargo bench -p imgkit-kernels --bench geometry_tone` measures one
//! core; without it the large cases use the whole rayon pool (small ones stay on the
//! calling thread). Filter with a group name, e.g. `-- resize_bilinear`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use imgkit_kernels::{
    equalize, flip, histogram, otsu_level, otsu_threshold, resize, rotate90, to_grayscale,
    FlipAxis, ImageView, ImageViewMut, ResizeFilter,
};

// The same deterministic images the tests use, so every run sees the same input.
#[path = "../tests/common/mod.rs"]
mod common;

/// 64x64, 256x256 and UHD, gray and RGB.
const CASES: [(usize, usize, usize); 6] = [
    (64, 64, 1),
    (64, 64, 3),
    (256, 256, 1),
    (256, 256, 3),
    (3840, 2160, 1),
    (3840, 2160, 3),
];

/// An image with smooth runs and noise, so histograms are neither flat nor spiky.
fn image(width: usize, height: usize, channels: usize) -> Vec<u8> {
    let noise = common::noise(width * height * channels, 1);
    noise
        .iter()
        .enumerate()
        .map(|(i, &n)| ((i / channels % width) as u8 / 2).wrapping_add(n / 2))
        .collect()
}

fn label((width, height, channels): (usize, usize, usize)) -> String {
    format!("{width}x{height}x{channels}")
}

fn name(case: (usize, usize, usize)) -> BenchmarkId {
    BenchmarkId::from_parameter(label(case))
}

/// Benchmarks `op(src, dst)` over every case, `dst` being `out_shape(case)`.
fn bench_image_op(
    c: &mut Criterion,
    group_name: &str,
    out_shape: impl Fn((usize, usize, usize)) -> (usize, usize, usize),
    op: impl Fn(ImageView<'_>, ImageViewMut<'_>),
) {
    let mut group = c.benchmark_group(group_name);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    for case in CASES {
        let (width, height, channels) = case;
        let src = image(width, height, channels);
        let (out_width, out_height, out_channels) = out_shape(case);
        let mut dst = vec![0u8; out_width * out_height * out_channels];
        group.throughput(Throughput::Elements((width * height) as u64));
        group.sample_size(if width * height > 1 << 20 { 10 } else { 50 });
        group.bench_function(name(case), |b| {
            b.iter(|| {
                let view = ImageView::new(&src, width, height, channels).unwrap();
                let out = ImageViewMut::new(&mut dst, out_width, out_height, out_channels).unwrap();
                op(black_box(view), out);
                black_box(&dst);
            })
        });
    }
    group.finish();
}

fn bench_geometry(c: &mut Criterion) {
    let up = |(w, h, ch): (usize, usize, usize)| (w * 3 / 2, h * 3 / 2, ch);
    let down = |(w, h, ch): (usize, usize, usize)| (w / 2, h / 2, ch);
    let same = |shape| shape;
    for (group, shape, filter) in [
        (
            "resize_nearest_up1.5",
            &up as &dyn Fn(_) -> _,
            ResizeFilter::Nearest,
        ),
        ("resize_bilinear_up1.5", &up, ResizeFilter::Bilinear),
        ("resize_bilinear_down0.5", &down, ResizeFilter::Bilinear),
    ] {
        bench_image_op(c, group, shape, |src, dst| {
            resize(src, filter, dst).unwrap()
        });
    }
    for (group, axis) in [
        ("flip_h", FlipAxis::Horizontal),
        ("flip_v", FlipAxis::Vertical),
    ] {
        bench_image_op(c, group, same, |src, dst| flip(src, axis, dst).unwrap());
    }
    bench_image_op(
        c,
        "rotate90",
        |(w, h, ch)| (h, w, ch),
        |src, dst| rotate90(src, dst).unwrap(),
    );
}

fn bench_tone(c: &mut Criterion) {
    bench_image_op(
        c,
        "to_grayscale",
        |(w, h, _)| (w, h, 1),
        |src, dst| to_grayscale(src, dst).unwrap(),
    );
    bench_image_op(
        c,
        "equalize",
        |shape| shape,
        |src, dst| equalize(src, dst).unwrap(),
    );
    bench_image_op(
        c,
        "otsu_threshold",
        |(w, h, _)| (w, h, 1),
        |src, dst| otsu_threshold(src, dst).unwrap(),
    );
    let mut counts = vec![0u64; 4 * 256];
    let mut group = c.benchmark_group("histogram");
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    for case in CASES {
        let (width, height, channels) = case;
        let src = image(width, height, channels);
        group.throughput(Throughput::Elements((width * height) as u64));
        group.sample_size(if width * height > 1 << 20 { 10 } else { 50 });
        group.bench_function(name(case), |b| {
            b.iter(|| {
                let view = ImageView::new(&src, width, height, channels).unwrap();
                histogram(black_box(view), &mut counts[..channels * 256]).unwrap();
                black_box(&counts);
            })
        });
        group.bench_function(BenchmarkId::new("otsu_level", label(case)), |b| {
            b.iter(|| {
                let view = ImageView::new(&src, width, height, channels).unwrap();
                black_box(otsu_level(black_box(view)))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_geometry, bench_tone);
criterion_main!(benches);
