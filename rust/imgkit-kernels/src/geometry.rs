//! Geometry: [`resize`], [`flip`] and [`rotate90`]. All exact (no tolerance) and blind
//! to what the channels mean: every channel, alpha included, is moved or blended alike.
//!
//! Every operation works in bands of output rows through the filters' scheduler: a band
//! is computed the same way on the calling thread or on a rayon worker, so the parallel
//! result is the sequential one; small images stay on the calling thread.

use crate::bands::{for_each_band, rows_per_band, Schedule};
use crate::error::{invalid, KernelError};
use crate::image::{ImageView, ImageViewMut, Shape};
use crate::simd;

/// Largest resize target side legacy accepts.
const MAX_RESIZE_SIDE: usize = 65535;

// Work units per element, for `Schedule::for_work` and `rows_per_band`. The scheduler
// counts the filters' vectorised multiply-adds, about 0.11 ns each on one core, and goes
// parallel from about 60 us of work; these constants convert this module's measured
// single-core costs (2 vCPU x86-64, 256x256 images) into those units.

/// `flip`: 0.04-0.12 ns per output byte (row copies, pixel reversal).
const FLIP_WORK_PER_BYTE: usize = 1;

/// Nearest resize: 0.15-0.25 ns per output byte (a gather per pixel, repeated rows copied).
const NEAREST_WORK_PER_BYTE: usize = 2;

/// `rotate90`: 0.6-0.9 ns per pixel (a gather per pixel within a tile).
const ROTATE_WORK_PER_PIXEL: usize = 7;

/// Bilinear resize: about 1 ns per output sample for the vertical blend and as much per
/// horizontally blended sample (one row of those per source row used).
const BILINEAR_WORK_PER_SAMPLE: usize = 9;

/// Which samples [`resize`] reads.
///
/// Mirrors `imgkit::ResizeFilter` (`kNearest`, `kBilinear`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResizeFilter {
    /// The source pixel whose centre is nearest.
    Nearest,
    /// The weighted mean of the four source pixels around the sampled point.
    Bilinear,
}

/// Which way [`flip`] mirrors.
///
/// Mirrors `imgkit::FlipAxis` (`kHorizontal`, `kVertical`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlipAxis {
    /// Left-right: each row is reversed.
    Horizontal,
    /// Top-bottom: the rows are reversed.
    Vertical,
}

/// The legacy rule on a resize target: width and height each 1..=65535, else
/// [`KernelError::InvalidArgument`] naming the side and the value (width checked first).
/// Exposed so the C++ side can check BEFORE allocating the output buffer.
///
/// Mirrors the argument check of `imgkit::legacy::resize`.
pub fn check_resize_target(width: usize, height: usize) -> Result<(), KernelError> {
    for (name, side) in [("width", width), ("height", height)] {
        if !(1..=MAX_RESIZE_SIDE).contains(&side) {
            return Err(invalid(format!(
                "resize: {name} must be in 1..{MAX_RESIZE_SIDE}, got {side}"
            )));
        }
    }
    Ok(())
}

/// Resizes `src` to `dst`'s width x height, pixel centres aligned: output pixel `x`
/// samples the source coordinate `sx = (x + 0.5) * src_width / width - 0.5` (likewise
/// `y`), computed in `f64`.
///
/// * [`ResizeFilter::Nearest`]: source pixel `floor(sx + 0.5)`, clamped to the image.
/// * [`ResizeFilter::Bilinear`]: `x0 = clamp(floor(sx))`, `x1 = min(x0 + 1, last)`,
///   `fx = clamp(sx - x0, 0, 1)` (likewise `y`), and in `f64`, without fused
///   multiply-adds, `top = in(x0, y0) * (1 - fx) + in(x1, y0) * fx`, `bottom` likewise
///   on row `y1`, `value = top * (1 - fy) + bottom * fy`, rounded half away from zero.
///   No pre-filter: shrinking by more than 2x aliases, as legacy does.
///
/// Mirrors `imgkit::legacy::resize`, with the same argument rule ([`check_resize_target`]
/// on `dst`'s width and height). Deliberate differences: the result goes into the
/// caller's `dst`, which must also have `src`'s channel count (checked after the target);
/// the filter is an enum, so legacy's "unknown filter" error cannot arise. Same results:
/// each `top`/`bottom` row is computed once per source row it blends rather than once per
/// output row, which yields the very same `f64` values; where every weight is a multiple
/// of 1/128 (halving, whole downscales, doubling, ...) the sums are done in integers,
/// which give the very same samples (see `resize_bilinear_fixed`); and a same-size
/// resize (an exact identity under both filters) is a copy.
pub fn resize(
    src: ImageView<'_>,
    filter: ResizeFilter,
    dst: ImageViewMut<'_>,
) -> Result<(), KernelError> {
    let (input, out) = (src.shape(), dst.shape());
    check_resize_target(out.width, out.height)?;
    if out.channels != input.channels {
        return Err(invalid(format!(
            "resize: output has {} channels, input has {}",
            out.channels, input.channels
        )));
    }
    let work = match filter {
        ResizeFilter::Nearest => out.height * out.row_len() * NEAREST_WORK_PER_BYTE,
        ResizeFilter::Bilinear => bilinear_work(input.height, out),
    };
    resize_scheduled(Schedule::for_work(work), src, filter, dst);
    Ok(())
}

/// The body of [`resize`] for a checked target.
pub(crate) fn resize_scheduled(
    schedule: Schedule,
    src: ImageView<'_>,
    filter: ResizeFilter,
    mut dst: ImageViewMut<'_>,
) {
    if src.shape() == dst.shape() {
        dst.samples_mut().copy_from_slice(src.samples());
        return;
    }
    // `ImageView` only admits 1, 3 or 4 channels.
    match (filter, src.shape().channels) {
        (ResizeFilter::Nearest, 1) => resize_nearest::<1>(schedule, src, dst),
        (ResizeFilter::Nearest, 3) => resize_nearest::<3>(schedule, src, dst),
        (ResizeFilter::Nearest, _) => resize_nearest::<4>(schedule, src, dst),
        (ResizeFilter::Bilinear, 1) => resize_bilinear::<1>(schedule, src, dst),
        (ResizeFilter::Bilinear, 3) => resize_bilinear::<3>(schedule, src, dst),
        (ResizeFilter::Bilinear, _) => resize_bilinear::<4>(schedule, src, dst),
    }
}

/// The source coordinate output index `i` samples: `(i + 0.5) * source_size / size - 0.5`,
/// evaluated in legacy's order.
fn source_coordinate(i: usize, source_size: usize, size: usize) -> f64 {
    (i as f64 + 0.5) * source_size as f64 / size as f64 - 0.5
}

/// The nearest source index of each output index: `clamp(floor(sx + 0.5), 0, last)`.
fn nearest_indices(source_size: usize, size: usize) -> Vec<usize> {
    let last = source_size as f64 - 1.0;
    (0..size)
        .map(|i| {
            let nearest = (source_coordinate(i, source_size, size) + 0.5).floor();
            // `clamp` as C++ `std::clamp` for these finite values; the result is a whole
            // number in 0..=last, so the conversion is exact.
            nearest.clamp(0.0, last) as usize
        })
        .collect()
}

fn resize_nearest<const C: usize>(
    schedule: Schedule,
    src: ImageView<'_>,
    mut dst: ImageViewMut<'_>,
) {
    let (input, out) = (src.shape(), dst.shape());
    let columns: Vec<usize> = nearest_indices(input.width, out.width)
        .into_iter()
        .map(|x| x * C)
        .collect();
    let rows = nearest_indices(input.height, out.height);
    let (src_row_len, row_len) = (input.row_len(), out.row_len());
    let samples = src.samples();
    let band_rows = rows_per_band(row_len * NEAREST_WORK_PER_BYTE, 1);

    for_each_band(
        schedule,
        dst.samples_mut(),
        band_rows * row_len,
        || (),
        |_, index, band| {
            let first_y = index * band_rows;
            for k in 0..band.len() / row_len {
                let y = first_y + k;
                let start = k * row_len;
                // Enlarging repeats rows: copy the row just written.
                if k > 0 && rows[y] == rows[y - 1] {
                    band.copy_within(start - row_len..start, start);
                    continue;
                }
                let src_row = &samples[rows[y] * src_row_len..][..src_row_len];
                let out_row = &mut band[start..start + row_len];
                for (pixel, &offset) in out_row.chunks_exact_mut(C).zip(&columns) {
                    pixel.copy_from_slice(&src_row[offset..offset + C]);
                }
            }
        },
    );
}

/// The two source samples an output index blends and the weight of each:
/// `value = in(lower) * complement + in(upper) * fraction`, `complement = 1 - fraction`.
#[derive(Debug, Clone, Copy)]
struct BilinearTap {
    lower: usize,
    upper: usize,
    fraction: f64,
    complement: f64,
    /// `[complement, fraction]` in units of `1 / FIXED_ONE`, truncated: the weights
    /// themselves when [`BilinearTap::is_fixed`].
    fixed: [u16; 2],
}

/// [`resize_bilinear_fixed`] counts weights in units of `1 / FIXED_ONE`.
const FIXED_BITS: u32 = 7;
const FIXED_ONE: u16 = 1 << FIXED_BITS;

impl BilinearTap {
    /// Whether the weights are whole multiples of `1 / FIXED_ONE` (then so is the
    /// complement, `1 - fraction`, exactly).
    fn is_fixed(&self) -> bool {
        f64::from(self.fixed[1]) == self.fraction * f64::from(FIXED_ONE)
    }
}

fn bilinear_taps(source_size: usize, size: usize) -> Vec<BilinearTap> {
    let last = source_size as f64 - 1.0;
    (0..size)
        .map(|i| {
            let coordinate = source_coordinate(i, source_size, size);
            let lower = coordinate.floor().clamp(0.0, last);
            let lower_index = lower as usize;
            let fraction = (coordinate - lower).clamp(0.0, 1.0);
            let fixed_fraction = (fraction * f64::from(FIXED_ONE)) as u16;
            BilinearTap {
                lower: lower_index,
                upper: (lower_index + 1).min(source_size - 1),
                fraction,
                complement: 1.0 - fraction,
                fixed: [FIXED_ONE - fixed_fraction, fixed_fraction],
            }
        })
        .collect()
}

/// `2^52`: adding it to a value in `0.0..=255.0` rounds the value to the nearest integer
/// (ties to even), which lands in the low bits of the sum's mantissa.
const ROUNDING_BIAS: f64 = 4_503_599_627_370_496.0;

/// `f64` result -> sample, as legacy's `round_to_sample<double>`: round half away from
/// zero (`std::round`), then clamp to 0..=255.
///
/// Clamping first gives the same answer (the bounds are integers). In `0.0..=255.0` the
/// rounding is done without a call to `round` or a float-to-int conversion, so that a
/// row of them vectorises: `biased = v + 2^52` holds `rne(v)`, the nearest integer with
/// ties to even, in its low mantissa bits; `v - rne(v)` is exact, and is `0.5` exactly
/// when `v` is a tie that was rounded down, which half-away-from-zero rounds up instead.
#[inline(always)]
fn round_f64_to_u8(value: f64) -> u8 {
    // NaN (unreachable: the weights are in 0..=1) fails the test and becomes 0.
    let clamped = if value > 0.0 { value.min(255.0) } else { 0.0 };
    let biased = clamped + ROUNDING_BIAS;
    let nearest_even = biased - ROUNDING_BIAS;
    // The low bits of the mantissa: 2^52 <= biased < 2^53, so one unit is 1.0.
    let whole = biased.to_bits() as u32;
    (whole + u32::from(clamped - nearest_even == 0.5)) as u8
}

/// One thread's scratch for [`resize_bilinear`]: two horizontally blended source rows
/// (`top`/`bottom` values for every output column) and the source row each holds.
struct BlendedRows {
    rows: [Vec<f64>; 2],
    source: [Option<usize>; 2],
}

/// Blends one source row horizontally: `out[x * C + c] = in(x0) * (1 - fx) + in(x1) * fx`.
#[inline(always)]
fn blend_row<const C: usize>(src_row: &[u8], columns: &[BilinearTap], out: &mut [f64]) {
    for (values, tap) in out.chunks_exact_mut(C).zip(columns) {
        let lower = &src_row[tap.lower * C..tap.lower * C + C];
        let upper = &src_row[tap.upper * C..tap.upper * C + C];
        for ((value, &a), &b) in values.iter_mut().zip(lower).zip(upper) {
            *value = f64::from(a) * tap.complement + f64::from(b) * tap.fraction;
        }
    }
}

/// The work of a bilinear resize into `out` from `source_height` rows: every output
/// sample is blended vertically, and each source row used (at most two per output row)
/// horizontally.
fn bilinear_work(source_height: usize, out: Shape) -> usize {
    let blended_rows = source_height.min(2 * out.height);
    (out.height + blended_rows)
        .saturating_mul(out.row_len())
        .saturating_mul(BILINEAR_WORK_PER_SAMPLE)
}

/// Legacy's bilinear resize: in integers where they give its very samples (see
/// [`resize_bilinear_fixed`]), else in its `f64` arithmetic.
fn resize_bilinear<const C: usize>(
    schedule: Schedule,
    src: ImageView<'_>,
    mut dst: ImageViewMut<'_>,
) {
    let (input, out) = (src.shape(), dst.shape());
    let columns = bilinear_taps(input.width, out.width);
    let rows = bilinear_taps(input.height, out.height);
    let job = BilinearJob {
        columns: &columns,
        rows: &rows,
        samples: src.samples(),
        src_row_len: input.row_len(),
        row_len: out.row_len(),
        band_rows: rows_per_band(bilinear_work(input.height, out) / out.height, 1),
    };
    let fixed = columns.iter().chain(&rows).all(BilinearTap::is_fixed);
    if fixed && u32::try_from(job.src_row_len).is_ok() {
        resize_bilinear_fixed::<C>(schedule, &job, dst.samples_mut());
    } else {
        resize_bilinear_f64::<C>(schedule, &job, dst.samples_mut());
    }
}

fn resize_bilinear_f64<const C: usize>(schedule: Schedule, job: &BilinearJob<'_>, out: &mut [u8]) {
    for_each_band(
        schedule,
        out,
        job.band_rows * job.row_len,
        || BlendedRows {
            rows: [vec![0.0; job.row_len], vec![0.0; job.row_len]],
            source: [None, None],
        },
        |cache, index, band| {
            simd::dispatch(
                #[inline(always)]
                |_| bilinear_band::<C>(job, cache, index, band),
            );
        },
    );
}

/// [`resize_bilinear`] in integers, when every weight of both axes is a multiple of
/// `1/128` ([`BilinearTap::is_fixed`]). On an axis whose source size over output size is
/// `p/q` in lowest terms every fraction is a multiple of `1/(2q)`, so this holds where `q`
/// is 1, 2, 4, ... 64: halving and every whole downscale, 2/3 and 4/5 of the size,
/// doubling. Then not one of legacy's `f64` operations rounds (a sample times a weight
/// has at most 8 + 8 significant bits, a blend of two at most 15 above the 7 fraction
/// bits, the second blend at most 22), so its value is exactly `V / 2^14` with
///
/// `V = sum over the four source samples s of s * Cx * Cy <= 255 * 2^14`
///
/// (`Cx`, `Cy` the weights times 128), and legacy's rounding half away from zero of that
/// non-negative value is `(V + 2^13) >> 14`, at most 255. Exact integer sums do not
/// depend on their order, so each output row blends its two source rows vertically first
/// (contiguous, so it vectorises), then gathers columns from that one row; the `f64`
/// path must keep legacy's order. `tests::fixed_resizes_equal_the_f64_arithmetic` and
/// `tests::fixed_weights_are_exact_for_every_pair_of_samples` hold it to legacy's result.
fn resize_bilinear_fixed<const C: usize>(
    schedule: Schedule,
    job: &BilinearJob<'_>,
    out: &mut [u8],
) {
    let columns: Vec<FixedColumn> = job
        .columns
        .iter()
        .map(|tap| FixedColumn::of(tap, C))
        .collect();
    let source_row = |y: usize| &job.samples[y * job.src_row_len..][..job.src_row_len];
    for_each_band(
        schedule,
        out,
        job.band_rows * job.row_len,
        || vec![0u16; job.src_row_len],
        |blended, index, band| {
            simd::dispatch(
                #[inline(always)]
                |_| {
                    let rows = job.rows[index * job.band_rows..].iter();
                    for (tap, out_row) in rows.zip(band.chunks_exact_mut(job.row_len)) {
                        let [top_weight, bottom_weight] = tap.fixed;
                        let (top, bottom) = (source_row(tap.lower), source_row(tap.upper));
                        for ((value, &t), &b) in blended.iter_mut().zip(top).zip(bottom) {
                            *value = u16::from(t) * top_weight + u16::from(b) * bottom_weight;
                        }
                        gather_fixed::<C>(blended, &columns, out_row);
                    }
                },
            );
        },
    );
}

/// One column of [`gather_fixed`]: where its two source pixels start in a blended row
/// (sample offsets) and their weights in units of `1 / FIXED_ONE`. 12 bytes where a
/// [`BilinearTap`] takes 40: the gather reads one per output pixel.
#[derive(Clone, Copy)]
struct FixedColumn {
    lower: u32,
    upper: u32,
    weights: [u16; 2],
}

impl FixedColumn {
    /// [`resize_bilinear`] takes this path only for rows of at most `u32::MAX` samples.
    fn of(tap: &BilinearTap, channels: usize) -> Self {
        let offset = |x: usize| (x * channels) as u32;
        FixedColumn {
            lower: offset(tap.lower),
            upper: offset(tap.upper),
            weights: tap.fixed,
        }
    }
}

/// The horizontal half of [`resize_bilinear_fixed`]: `out[x * C + c] = (in(x0) * Cx0 +
/// in(x1) * Cx1 + 2^13) >> 14` over a vertically blended row.
#[inline(always)]
fn gather_fixed<const C: usize>(blended: &[u16], columns: &[FixedColumn], out_row: &mut [u8]) {
    for (pixel, column) in out_row.chunks_exact_mut(C).zip(columns) {
        let lower: &[u16; C] = blended[column.lower as usize..][..C].try_into().unwrap();
        let upper: &[u16; C] = blended[column.upper as usize..][..C].try_into().unwrap();
        let [left_weight, right_weight] = column.weights.map(u32::from);
        for ((sample, &l), &u) in pixel.iter_mut().zip(lower).zip(upper) {
            let sum = u32::from(l) * left_weight + u32::from(u) * right_weight;
            *sample = ((sum + (1 << (2 * FIXED_BITS - 1))) >> (2 * FIXED_BITS)) as u8;
        }
    }
}

/// What every band of a bilinear resize reads.
struct BilinearJob<'a> {
    columns: &'a [BilinearTap],
    rows: &'a [BilinearTap],
    samples: &'a [u8],
    src_row_len: usize,
    row_len: usize,
    band_rows: usize,
}

/// Band `index` of a bilinear resize (compiled per instruction set by [`simd::dispatch`]).
#[inline(always)]
fn bilinear_band<const C: usize>(
    job: &BilinearJob<'_>,
    cache: &mut BlendedRows,
    index: usize,
    band: &mut [u8],
) {
    let source_row = |y: usize| &job.samples[y * job.src_row_len..][..job.src_row_len];
    let first_y = index * job.band_rows;
    for (y, out_row) in (first_y..).zip(band.chunks_exact_mut(job.row_len)) {
        let tap = job.rows[y];
        // Rows come in increasing order, so a row that is not cached evicts the one not
        // needed by this output row.
        let mut slots = [0usize; 2];
        for (which, source) in [tap.lower, tap.upper].into_iter().enumerate() {
            let slot = match cache.source.iter().position(|&s| s == Some(source)) {
                Some(slot) => slot,
                None => {
                    let slot = if which == 1 {
                        1 - slots[0]
                    } else {
                        usize::from(cache.source[0] == Some(tap.upper))
                    };
                    blend_row::<C>(source_row(source), job.columns, &mut cache.rows[slot]);
                    cache.source[slot] = Some(source);
                    slot
                }
            };
            slots[which] = slot;
        }
        let (top, bottom) = (&cache.rows[slots[0]], &cache.rows[slots[1]]);
        blend_rows(top, bottom, tap, out_row);
    }
}

/// Output samples [`blend_rows`] computes together: fixed-size blocks let the compiler
/// keep several vectors in flight instead of one pair at a time.
const BLEND_BLOCK: usize = 16;

/// The vertical blend: `out[i] = round(top[i] * (1 - fy) + bottom[i] * fy)`.
#[inline(always)]
fn blend_rows(top: &[f64], bottom: &[f64], tap: BilinearTap, out: &mut [u8]) {
    let blend = |t: f64, b: f64| round_f64_to_u8(t * tap.complement + b * tap.fraction);
    let mut outs = out.chunks_exact_mut(BLEND_BLOCK);
    let mut tops = top.chunks_exact(BLEND_BLOCK);
    let mut bottoms = bottom.chunks_exact(BLEND_BLOCK);
    for ((out, top), bottom) in (&mut outs).zip(&mut tops).zip(&mut bottoms) {
        for ((sample, &t), &b) in out.iter_mut().zip(top).zip(bottom) {
            *sample = blend(t, b);
        }
    }
    let tails = outs
        .into_remainder()
        .iter_mut()
        .zip(tops.remainder())
        .zip(bottoms.remainder());
    for ((sample, &t), &b) in tails {
        *sample = blend(t, b);
    }
}

/// Mirrors `src` into `dst` left-right ([`FlipAxis::Horizontal`]) or top-bottom
/// ([`FlipAxis::Vertical`]), moving whole pixels.
///
/// Mirrors `imgkit::legacy::flip`. Deliberate differences: the result goes into the
/// caller's `dst`, which must have `src`'s shape; the axis is an enum, so legacy's
/// "unknown axis" error cannot arise.
pub fn flip(src: ImageView<'_>, axis: FlipAxis, dst: ImageViewMut<'_>) -> Result<(), KernelError> {
    dst.check_same_shape(&src, "flip")?;
    let work = src.samples().len().saturating_mul(FLIP_WORK_PER_BYTE);
    flip_scheduled(Schedule::for_work(work), src, axis, dst);
    Ok(())
}

/// The body of [`flip`] for matching shapes.
pub(crate) fn flip_scheduled(
    schedule: Schedule,
    src: ImageView<'_>,
    axis: FlipAxis,
    mut dst: ImageViewMut<'_>,
) {
    let Shape {
        height, channels, ..
    } = src.shape();
    let row_len = src.shape().row_len();
    let samples = src.samples();
    let band_rows = rows_per_band(row_len * FLIP_WORK_PER_BYTE, 1);
    for_each_band(
        schedule,
        dst.samples_mut(),
        band_rows * row_len,
        || (),
        |_, index, band| {
            let first_y = index * band_rows;
            for (y, out_row) in (first_y..).zip(band.chunks_exact_mut(row_len)) {
                match axis {
                    FlipAxis::Horizontal => {
                        let src_row = &samples[y * row_len..][..row_len];
                        match channels {
                            1 => mirror_row::<1>(src_row, out_row),
                            3 => mirror_row::<3>(src_row, out_row),
                            _ => mirror_row::<4>(src_row, out_row),
                        }
                    }
                    FlipAxis::Vertical => {
                        out_row.copy_from_slice(&samples[(height - 1 - y) * row_len..][..row_len]);
                    }
                }
            }
        },
    );
}

/// `out` = the pixels of `row` in reverse order.
#[inline]
fn mirror_row<const C: usize>(row: &[u8], out: &mut [u8]) {
    for (to, from) in out.chunks_exact_mut(C).zip(row.chunks_exact(C).rev()) {
        to.copy_from_slice(from);
    }
}

/// Output rows (source columns) and output columns (source rows) of one [`rotate90`]
/// tile: a 64 x 64 pixel tile reads 64 source rows and writes 64 output rows, 64-256
/// bytes of each, which stay in L1 while the tile is transposed.
const ROTATE_TILE: usize = 64;

/// Rotates `src` clockwise by 90 degrees into `dst`: `out(x, y) = in(y, H - 1 - x)`,
/// where `dst` is `H x W` with `src`'s channel count.
///
/// Mirrors `imgkit::legacy::rotate90`. Deliberate difference: the result goes into the
/// caller's `dst`, which must be `src`'s height x width x channels. The pixels are moved
/// in square tiles (the order legacy visits them in does not change the result).
pub fn rotate90(src: ImageView<'_>, dst: ImageViewMut<'_>) -> Result<(), KernelError> {
    let (input, out) = (src.shape(), dst.shape());
    let expected = Shape {
        width: input.height,
        height: input.width,
        channels: input.channels,
    };
    if out != expected {
        return Err(invalid(format!(
            "rotate90: output is {}x{}x{}, a {}x{}x{} input needs {}x{}x{}",
            out.width,
            out.height,
            out.channels,
            input.width,
            input.height,
            input.channels,
            expected.width,
            expected.height,
            expected.channels
        )));
    }
    let work = (input.width * input.height).saturating_mul(ROTATE_WORK_PER_PIXEL);
    rotate90_scheduled(Schedule::for_work(work), src, dst);
    Ok(())
}

/// The body of [`rotate90`] for a checked output shape.
pub(crate) fn rotate90_scheduled(schedule: Schedule, src: ImageView<'_>, dst: ImageViewMut<'_>) {
    match src.shape().channels {
        1 => rotate90_tiled::<1>(schedule, src, dst),
        3 => rotate90_tiled::<3>(schedule, src, dst),
        _ => rotate90_tiled::<4>(schedule, src, dst),
    }
}

fn rotate90_tiled<const C: usize>(
    schedule: Schedule,
    src: ImageView<'_>,
    mut dst: ImageViewMut<'_>,
) {
    let Shape { width, height, .. } = src.shape();
    let src_row_len = width * C;
    // Output rows are source columns and hold `height` pixels.
    let row_len = height * C;
    let samples = src.samples();
    let band_rows = rows_per_band(height * ROTATE_WORK_PER_PIXEL, 1).next_multiple_of(ROTATE_TILE);

    for_each_band(
        schedule,
        dst.samples_mut(),
        band_rows * row_len,
        || (),
        |_, index, band| {
            let first_y = index * band_rows;
            for (tile_index, tile_rows) in band.chunks_mut(ROTATE_TILE * row_len).enumerate() {
                let tile_y = first_y + tile_index * ROTATE_TILE;
                for tile_x in (0..height).step_by(ROTATE_TILE) {
                    let tile_end = (tile_x + ROTATE_TILE).min(height);
                    for (y, out_row) in (tile_y..).zip(tile_rows.chunks_exact_mut(row_len)) {
                        let column = y * C;
                        let out_tile = &mut out_row[tile_x * C..tile_end * C];
                        // Output column x reads source row H - 1 - x.
                        for (pixel, x) in out_tile.chunks_exact_mut(C).zip(tile_x..) {
                            let source = (height - 1 - x) * src_row_len + column;
                            pixel.copy_from_slice(&samples[source..source + C]);
                        }
                    }
                }
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{four_thread_pool, noise};

    /// The reference: C++ `std::round` (half away from zero), then the clamp.
    fn reference(value: f64) -> u8 {
        value.round().clamp(0.0, 255.0) as u8
    }

    #[test]
    fn round_f64_to_u8_matches_std_round_around_every_threshold() {
        for k in 0..=256u32 {
            for centre in [f64::from(k), f64::from(k) + 0.5] {
                let bits = centre.to_bits();
                // The neighbouring doubles on both sides, and both signs.
                for value in (bits.saturating_sub(3)..=bits + 3).map(f64::from_bits) {
                    assert_eq!(round_f64_to_u8(value), reference(value), "{value:e}");
                    assert_eq!(round_f64_to_u8(-value), reference(-value), "{:e}", -value);
                }
            }
        }
        assert_eq!(round_f64_to_u8(0.5), 1);
        assert_eq!(round_f64_to_u8(2.5), 3); // not banker's rounding
        assert_eq!(round_f64_to_u8(0.499_999_999_999_999_94), 0);
        assert_eq!(round_f64_to_u8(254.5), 255);
    }

    #[test]
    fn round_f64_to_u8_clamps_and_maps_nan_to_zero() {
        for (value, expected) in [
            (-0.0, 0),
            (-1e300, 0),
            (1e300, 255),
            (255.49, 255),
            (255.5, 255),
            (f64::INFINITY, 255),
            (f64::NEG_INFINITY, 0),
            (f64::NAN, 0),
            (1e-300, 0),
        ] {
            assert_eq!(round_f64_to_u8(value), expected, "{value:e}");
        }
    }

    #[test]
    fn round_f64_to_u8_matches_std_round_on_pseudo_random_values() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let value = (state >> 11) as f64 / (1u64 << 53) as f64 * 260.0 - 2.0;
            assert_eq!(round_f64_to_u8(value), reference(value), "{value:e}");
        }
    }

    #[test]
    fn taps_follow_the_header_formulas() {
        // 2 -> 4: sx = -0.25, 0.25, 0.75, 1.25.
        let taps = bilinear_taps(2, 4);
        let got: Vec<(usize, usize, f64)> = taps
            .iter()
            .map(|t| (t.lower, t.upper, t.fraction))
            .collect();
        assert_eq!(got, [(0, 1, 0.0), (0, 1, 0.25), (0, 1, 0.75), (1, 1, 0.25)]);
        assert!(taps.iter().all(|t| t.complement == 1.0 - t.fraction));
        // floor((x + 0.5) * 5 / 2) = 1, 3; floor((x + 0.5) * 2 / 3) = 0, 1, 1.
        assert_eq!(nearest_indices(5, 2), [1, 3]);
        assert_eq!(nearest_indices(2, 3), [0, 1, 1]);
        assert_eq!(nearest_indices(1, 4), [0, 0, 0, 0]);
    }

    #[test]
    fn fixed_weights_are_exact_for_every_pair_of_samples() {
        // Legacy's two f64 blends of four samples under weights that are multiples of
        // 1/128, against the integer sum: every horizontal weight with every pair of
        // samples, then every vertical weight over pseudo-random and extreme quadruples.
        let tap = |fixed: u16| {
            let fraction = f64::from(fixed) / f64::from(FIXED_ONE);
            let [c, f] = [1.0 - fraction, fraction];
            let weights = [FIXED_ONE - fixed, fixed];
            assert!(BilinearTap {
                lower: 0,
                upper: 1,
                fraction: f,
                complement: c,
                fixed: weights,
            }
            .is_fixed());
            (c, f, weights.map(u32::from))
        };
        for fixed in 0..=FIXED_ONE {
            let (c, f, [ci, fi]) = tap(fixed);
            for a in 0..=255u8 {
                for b in 0..=255u8 {
                    let blended = f64::from(a) * c + f64::from(b) * f;
                    let integer = u32::from(a) * ci + u32::from(b) * fi;
                    assert_eq!(blended * 128.0, f64::from(integer), "{a} {b} {fixed}/128");
                }
            }
        }
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for fx in 0..=FIXED_ONE {
            for fy in 0..=FIXED_ONE {
                let (cx, fx, [cxi, fxi]) = tap(fx);
                let (cy, fy, [cyi, fyi]) = tap(fy);
                for k in 0..64 {
                    let s: [u8; 4] = match k {
                        0 => [255; 4],
                        1 => [0, 255, 255, 0],
                        _ => next().to_le_bytes()[..4].try_into().unwrap(),
                    };
                    let top = f64::from(s[0]) * cx + f64::from(s[1]) * fx;
                    let bottom = f64::from(s[2]) * cx + f64::from(s[3]) * fx;
                    let legacy = round_f64_to_u8(top * cy + bottom * fy);
                    let v = (u32::from(s[0]) * cyi + u32::from(s[2]) * fyi) * cxi
                        + (u32::from(s[1]) * cyi + u32::from(s[3]) * fyi) * fxi;
                    assert_eq!(((v + (1 << 13)) >> 14) as u8, legacy, "{s:?} {fx} {fy}");
                }
            }
        }
    }

    #[test]
    fn taps_are_fixed_where_the_scale_is_p_over_a_power_of_two() {
        let fixed = |from, to| bilinear_taps(from, to).iter().all(BilinearTap::is_fixed);
        // from / to = p / q in lowest terms: fixed exactly when q is 1, 2, 4, ... 64.
        for (from, to) in [
            (3840, 1920),
            (2160, 1080),
            (3840, 1280),
            (100, 20),
            (3840, 2560),
            (1000, 800),
            (7, 14),
            (7, 28),
            (7, 7 * 64),
        ] {
            assert!(fixed(from, to), "{from} -> {to}");
        }
        for (from, to) in [(4, 3), (2, 3), (1024, 768), (3840, 5760), (7, 7 * 128)] {
            assert!(!fixed(from, to), "{from} -> {to}");
        }
    }

    /// A sequential bilinear resize of `src` to `out` along the integer path or the f64.
    fn resize_along<const C: usize>(src: ImageView<'_>, out: Shape, fixed: bool) -> Vec<u8> {
        let columns = bilinear_taps(src.shape().width, out.width);
        let rows = bilinear_taps(src.shape().height, out.height);
        let job = BilinearJob {
            columns: &columns,
            rows: &rows,
            samples: src.samples(),
            src_row_len: src.shape().row_len(),
            row_len: out.row_len(),
            band_rows: out.height,
        };
        let mut dst = vec![0u8; out.width * out.height * C];
        if fixed {
            resize_bilinear_fixed::<C>(Schedule::Sequential, &job, &mut dst);
        } else {
            resize_bilinear_f64::<C>(Schedule::Sequential, &job, &mut dst);
        }
        dst
    }

    fn check_fixed_equals_f64<const C: usize>() {
        let (width, height) = (240, 66);
        let src = noise(width * height * C, 0x2545_f491_4f6c_dd1d);
        let view = ImageView::new(&src, width, height, C).unwrap();
        for (out_width, out_height) in [(120, 33), (80, 22), (480, 132), (960, 264), (192, 66)] {
            let out = Shape {
                width: out_width,
                height: out_height,
                channels: C,
            };
            let case = format!("{width}x{height}x{C} -> {out_width}x{out_height}");
            let fixed = bilinear_taps(width, out_width)
                .iter()
                .chain(&bilinear_taps(height, out_height))
                .all(BilinearTap::is_fixed);
            assert!(fixed, "{case}");
            let expected = resize_along::<C>(view, out, false);
            assert_eq!(resize_along::<C>(view, out, true), expected, "{case}");
        }
    }

    #[test]
    fn fixed_resizes_equal_the_f64_arithmetic() {
        check_fixed_equals_f64::<1>();
        check_fixed_equals_f64::<3>();
        check_fixed_equals_f64::<4>();
    }

    #[test]
    fn bilinear_work_counts_blended_rows() {
        let out = Shape {
            width: 10,
            height: 4,
            channels: 3,
        };
        // Shrinking from 100 rows blends at most 2 per output row; enlarging from 2, 2.
        assert_eq!(
            bilinear_work(100, out),
            (4 + 8) * 30 * BILINEAR_WORK_PER_SAMPLE
        );
        assert_eq!(
            bilinear_work(2, out),
            (4 + 2) * 30 * BILINEAR_WORK_PER_SAMPLE
        );
    }

    const WIDTH: usize = 1000;
    const HEIGHT: usize = 700;

    /// Runs `op` under both schedules on a four-thread pool, so that the parallel one
    /// really splits the work even on a one-core machine, and compares the outputs.
    fn assert_schedules_agree(
        out: (usize, usize, usize),
        op: impl Fn(Schedule, ImageViewMut<'_>) + Send + Sync,
    ) {
        let pool = four_thread_pool();
        let run = |schedule| {
            let mut dst = vec![0u8; out.0 * out.1 * out.2];
            pool.install(|| {
                op(
                    schedule,
                    ImageViewMut::new(&mut dst, out.0, out.1, out.2).unwrap(),
                )
            });
            dst
        };
        let sequential = run(Schedule::Sequential);
        let parallel = run(Schedule::Parallel);
        let differing = sequential
            .iter()
            .zip(&parallel)
            .filter(|(a, b)| a != b)
            .count();
        assert_eq!(
            differing, 0,
            "{differing} samples differ between the schedules"
        );
        assert!(
            sequential.iter().any(|&v| v != 0),
            "the operation wrote nothing"
        );
    }

    #[test]
    fn parallel_geometry_equals_sequential_sample_for_sample() {
        for channels in [1, 3, 4] {
            let src = noise(WIDTH * HEIGHT * channels, 0x853c_49e6_748f_ea9b);
            let view = ImageView::new(&src, WIDTH, HEIGHT, channels).unwrap();
            for filter in [ResizeFilter::Nearest, ResizeFilter::Bilinear] {
                for (width, height) in [(1501, 1049), (333, 97), (1000, 3)] {
                    assert_schedules_agree((width, height, channels), |schedule, dst| {
                        resize_scheduled(schedule, view, filter, dst)
                    });
                }
            }
            for axis in [FlipAxis::Horizontal, FlipAxis::Vertical] {
                assert_schedules_agree((WIDTH, HEIGHT, channels), |schedule, dst| {
                    flip_scheduled(schedule, view, axis, dst)
                });
            }
            assert_schedules_agree((HEIGHT, WIDTH, channels), |schedule, dst| {
                rotate90_scheduled(schedule, view, dst)
            });
        }
    }
}
