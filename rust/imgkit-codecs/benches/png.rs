//! PNG decode throughput, in pixels per second: a 3840x2160 RGB8 image (a smooth
//! gradient plus noise, encoded with [`png::encode_u8`]) and a tiny 64x64 one.
//!
//! `cargo bench -p imgkit-codecs --bench png`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use imgkit_codecs::{png, Limits};

/// A smooth RGB gradient with +-8 of deterministic noise (xorshift), the kind of photo-
/// like content that compresses moderately.
fn gradient_with_noise(width: usize, height: usize) -> Vec<u8> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut samples = Vec::with_capacity(width * height * 3);
    for y in 0..height {
        for x in 0..width {
            for c in 0..3 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let base = match c {
                    0 => x * 255 / width,
                    1 => y * 255 / height,
                    _ => (x + y) * 255 / (width + height),
                };
                let noise = (state >> 60) as i32 - 8;
                samples.push((base as i32 + noise).clamp(0, 255) as u8);
            }
        }
    }
    samples
}

fn bench_decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("png_decode_rgb8");
    for (width, height) in [(64usize, 64usize), (3840, 2160)] {
        let samples = gradient_with_noise(width, height);
        let encoded = png::encode_u8(&samples, width as u32, height as u32, 3).unwrap();
        let mut out = vec![0u8; samples.len()];
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
        assert_eq!(out, samples);
    }
    group.finish();
}

criterion_group!(benches, bench_decode);
criterion_main!(benches);
