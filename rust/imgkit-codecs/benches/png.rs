//! PNG decode and encode throughput, in pixels per second: RGB8 images of a smooth
//! gradient plus noise (decoding: a 3840x2160 one, encoded with [`png::encode_u8`], and
//! a tiny 64x64 one; encoding: 64x64, 256x256 and 1024x1024).
//!
//! `cargo bench -p imgkit-codecs --bench png`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use imgkit_codecs::{png, Limits};

#[path = "../tests/sample_data/mod.rs"]
mod sample_data;
use sample_data::rgb_gradient;

fn bench_decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("png_decode_rgb8");
    for (width, height) in [(64usize, 64usize), (3840, 2160)] {
        let samples = rgb_gradient(width, height, true);
        let encoded = png::encode_u8(&samples, width as u32, height as u32, 3).unwrap();
        let mut out = vec![0u8; samples.len()];
        // Checked here, so that a filter that skips this benchmark skips nothing else.
        png::decode_into_u8(&encoded, Limits::default(), &mut out).unwrap();
        assert_eq!(out, samples);
        group.throughput(Throughput::Elements((width * height) as u64));
        if width * height > 1 << 20 {
            group.sample_size(20);
        }
        group.bench_function(
            BenchmarkId::from_parameter(format!("{width}x{height}")),
            |b| {
                b.iter(|| {
                    png::decode_into_u8(black_box(&encoded), Limits::default(), &mut out).unwrap();
                    black_box(&out);
                })
            },
        );
    }
    group.finish();
}

fn bench_encode(c: &mut Criterion) {
    let mut group = c.benchmark_group("png_encode_rgb8");
    for side in [64usize, 256, 1024] {
        let samples = rgb_gradient(side, side, true);
        group.throughput(Throughput::Elements((side * side) as u64));
        group.bench_function(BenchmarkId::from_parameter(format!("{side}x{side}")), |b| {
            b.iter(|| png::encode_u8(black_box(&samples), side as u32, side as u32, 3).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench_decode, bench_encode);
criterion_main!(benches);
