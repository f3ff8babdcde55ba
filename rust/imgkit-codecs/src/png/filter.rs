//! Row filtering for the encoder, the mirror of `unfilter`: each row takes the filter
//! type whose output has the smallest sum of absolute values (bytes read as signed),
//! libpng's default heuristic for images of 8 bits or more. As in libpng 1.6, the types
//! are tried in the order None, Sub, Up, Average, Paeth and the first smallest sum wins;
//! an image one pixel wide tries None and Up only, one row high None and Sub only. So a
//! row is filtered as legacy filters it (`tests/parity/png_encoder_parity_test.cpp`).
//!
//! Why here and not the `png` crate's filters: the crate keeps them private (its
//! `benchmarks` feature re-exports only `unfilter`), and its `Writer` filters rows only on
//! their way into its own deflate, flate2, whose one backend in this build is zlib (see
//! `encode`). Its adaptive filter also never tries None.

use super::unfilter::paeth;

const NONE: u8 = 0;
const SUB: u8 = 1;
const UP: u8 = 2;
const AVERAGE: u8 = 3;
const PAETH: u8 = 4;

/// Filters the rows of one image; holds three rows of scratch.
pub(super) struct RowFilter {
    bpp: usize,
    /// The filter types tried besides None.
    tried: &'static [u8],
    /// The previous row of the first row: zeros.
    zeros: Vec<u8>,
    /// The best filtered row so far, its filter type first: a row as PNG stores it.
    best: Vec<u8>,
    /// The filter type being tried, in the same layout.
    trial: Vec<u8>,
}

impl RowFilter {
    /// For an image of `width` x `height` pixels of `bpp` bytes (1 to 8).
    pub(super) fn new(bpp: usize, width: usize, height: usize) -> Self {
        let row_len = width * bpp;
        // As libpng: one pixel wide, no type that reads a left neighbour (Sub, Average,
        // Paeth); one row high, none that reads the row above (Up, Average, Paeth).
        let tried: &[u8] = match (width, height) {
            (1, 1) => &[],
            (1, _) => &[UP],
            (_, 1) => &[SUB],
            _ => &[SUB, UP, AVERAGE, PAETH],
        };
        RowFilter {
            bpp,
            tried,
            zeros: vec![0; row_len],
            best: vec![0; row_len + 1],
            trial: vec![0; row_len + 1],
        }
    }

    /// Filters `row` against `prev`, the previous row (empty for the first row), and
    /// returns the filter type byte followed by the filtered row.
    pub(super) fn filter(&mut self, prev: &[u8], row: &[u8]) -> &[u8] {
        let prev = if prev.is_empty() { &self.zeros } else { prev };
        let mut best = (NONE, cost(row));
        for &filter in self.tried {
            filter_row(filter, self.bpp, prev, row, &mut self.trial[1..]);
            let sum = cost(&self.trial[1..]);
            if sum < best.1 {
                best = (filter, sum);
                self.trial[0] = filter;
                std::mem::swap(&mut self.best, &mut self.trial);
            }
        }
        if best.0 == NONE {
            self.best[0] = NONE;
            self.best[1..].copy_from_slice(row);
        }
        &self.best
    }
}

/// libpng's measure of a filtered row: the sum of its bytes' absolute values as signed
/// bytes.
fn cost(filtered: &[u8]) -> u64 {
    // In blocks whose sum fits a u32 (at most 128 per byte), which vectorises well.
    filtered
        .chunks(1 << 16)
        .map(|block| {
            let sum: u32 = block
                .iter()
                .map(|&b| u32::from((b as i8).unsigned_abs()))
                .sum();
            u64::from(sum)
        })
        .sum()
}

/// Writes `row` filtered with `filter` (one of the five types) against `prev` into
/// `out`; all three are one row long.
fn filter_row(filter: u8, bpp: usize, prev: &[u8], row: &[u8], out: &mut [u8]) {
    match bpp {
        1 => filter_bpp::<1>(filter, prev, row, out),
        2 => filter_bpp::<2>(filter, prev, row, out),
        3 => filter_bpp::<3>(filter, prev, row, out),
        4 => filter_bpp::<4>(filter, prev, row, out),
        6 => filter_bpp::<6>(filter, prev, row, out),
        _ => filter_bpp::<8>(filter, prev, row, out),
    }
}

fn filter_bpp<const N: usize>(filter: u8, prev: &[u8], row: &[u8], out: &mut [u8]) {
    // Every predictor reads the unfiltered rows only, so each byte is independent of the
    // others: the loops vectorise. The first pixel has no left neighbour (zero).
    let (out_first, out_rest) = out.split_at_mut(N);
    let (row_first, row_rest) = row.split_at(N);
    let (prev_first, prev_rest) = prev.split_at(N);
    let left = &row[..row.len() - N];
    let up_left = &prev[..prev.len() - N];
    match filter {
        NONE => out.copy_from_slice(row),
        SUB => {
            out_first.copy_from_slice(row_first);
            for ((o, &x), &a) in out_rest.iter_mut().zip(row_rest).zip(left) {
                *o = x.wrapping_sub(a);
            }
        }
        UP => {
            for ((o, &x), &b) in out.iter_mut().zip(row).zip(prev) {
                *o = x.wrapping_sub(b);
            }
        }
        AVERAGE => {
            for ((o, &x), &b) in out_first.iter_mut().zip(row_first).zip(prev_first) {
                *o = x.wrapping_sub(b / 2);
            }
            for (((o, &x), &a), &b) in out_rest.iter_mut().zip(row_rest).zip(left).zip(prev_rest) {
                *o = x.wrapping_sub(((u16::from(a) + u16::from(b)) / 2) as u8);
            }
        }
        _ => {
            // Paeth; for the first pixel it predicts the byte above.
            for ((o, &x), &b) in out_first.iter_mut().zip(row_first).zip(prev_first) {
                *o = x.wrapping_sub(b);
            }
            for ((((o, &x), &a), &b), &c) in out_rest
                .iter_mut()
                .zip(row_rest)
                .zip(left)
                .zip(prev_rest)
                .zip(up_left)
            {
                *o = x.wrapping_sub(paeth(a, b, c));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::unfilter::unfilter;
    use super::*;

    /// Rows of `len` bytes: noise, a ramp, flat, halving samples (each half the one to
    /// its left), so that every filter type wins somewhere.
    fn rows(len: usize, bpp: usize) -> Vec<Vec<u8>> {
        let noise = |seed: u32| -> Vec<u8> {
            (0..len as u32)
                .map(|i| (i.wrapping_mul(2_654_435_761).wrapping_add(seed) >> 13) as u8)
                .collect()
        };
        let pixel = |i: usize| i / bpp;
        vec![
            noise(1),
            noise(2),
            (0..len).map(|i| (pixel(i) * 3) as u8).collect(),
            (0..len).map(|i| (pixel(i) * 3 + 1) as u8).collect(),
            vec![200; len],
            (0..len).map(|i| 255u8 >> (pixel(i) % 8)).collect(),
            noise(3),
            (0..len)
                .map(|i| (pixel(i) * 5 + i % bpp * 40) as u8)
                .collect(),
        ]
    }

    #[test]
    fn every_filter_type_is_undone_by_unfilter() {
        for bpp in [1, 2, 3, 4, 6, 8] {
            for pixels in [1, 2, 5, 17] {
                let len = bpp * pixels;
                let rows = rows(len, bpp);
                for filter in [NONE, SUB, UP, AVERAGE, PAETH] {
                    for (prev, row) in [(&rows[1], &rows[0]), (&rows[0], &rows[5])] {
                        let mut filtered = vec![0xee; len];
                        filter_row(filter, bpp, prev, row, &mut filtered);
                        let mut unfiltered = vec![0xee; len];
                        unfilter(filter, bpp, prev, &filtered, &mut unfiltered).unwrap();
                        assert_eq!(&unfiltered, row, "filter {filter} bpp {bpp} len {len}");
                    }
                }
            }
        }
    }

    /// libpng's choice, written as its description reads: every type it tries, the
    /// first with the smallest sum of `v < 128 ? v : 256 - v`.
    fn reference_choice(
        bpp: usize,
        width: usize,
        height: usize,
        prev: &[u8],
        row: &[u8],
    ) -> Vec<u8> {
        let zeros = vec![0; row.len()];
        let prev = if prev.is_empty() { &zeros[..] } else { prev };
        let tried = [NONE, SUB, UP, AVERAGE, PAETH].into_iter().filter(|&f| {
            let left = matches!(f, SUB | AVERAGE | PAETH);
            let above = matches!(f, UP | AVERAGE | PAETH);
            !(width == 1 && left || height == 1 && above)
        });
        let mut best: Option<(u64, Vec<u8>)> = None;
        for filter in tried {
            let mut out = vec![filter; row.len() + 1];
            filter_row(filter, bpp, prev, row, &mut out[1..]);
            let sum = out[1..]
                .iter()
                .map(|&v| u64::from(if v < 128 { v } else { 0u8.wrapping_sub(v) }))
                .sum();
            if best.as_ref().is_none_or(|(smallest, _)| sum < *smallest) {
                best = Some((sum, out));
            }
        }
        best.unwrap().1
    }

    #[test]
    fn each_row_takes_the_first_type_with_the_smallest_sum() {
        let mut chosen = [0usize; 5];
        for bpp in [1, 2, 3, 4, 6, 8] {
            for width in [1, 2, 9, 40] {
                let rows = rows(width * bpp, bpp);
                for height in [1, rows.len()] {
                    // One filter for the whole image, as the encoder uses it: the buffers
                    // it swaps carry nothing from one row to the next.
                    let mut filter = RowFilter::new(bpp, width, height);
                    for y in 0..height {
                        let prev = if y == 0 { &[][..] } else { &rows[y - 1][..] };
                        let expected = reference_choice(bpp, width, height, prev, &rows[y]);
                        assert_eq!(
                            filter.filter(prev, &rows[y]),
                            expected,
                            "bpp {bpp} {width}x{height} row {y}"
                        );
                        chosen[usize::from(expected[0])] += 1;
                    }
                }
            }
        }
        assert!(
            chosen.iter().all(|&n| n > 0),
            "some type never won: {chosen:?}"
        );
    }
}
