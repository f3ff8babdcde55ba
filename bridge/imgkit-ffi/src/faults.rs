//! The failpoint at each bridged entry and the wrong answers of `return(corrupt)`.
//!
//! Every entry starts with [`at_entry`] on its component's point, `entry_point!("sobel")`
//! = `imgkit::sobel` (configurable once C++ has declared the component from its catalog):
//! `return[(message)]` ends the call with `InjectedFault`, other actions (panic, sleep,
//! ...) run there, and `return(corrupt)` lets the call succeed but makes its answer wrong
//! for any input, in a way shadow comparison catches:
//!
//! * image outputs and decoded samples: every sample inverted, `255 - x` (`65535 - x` for
//!   16-bit samples), which differs from `x` for every value;
//! * encoders: the inverted samples are encoded, so the file is valid but decodes wrong;
//! * `histogram`: one more count in bin 0 (the total no longer matches the image);
//! * `otsu_level`: `255 - level`.
//!
//! One [`Fault`] method per kind of output, applied once the real work succeeded.
//!
//! ```text
//! guarded("sobel", || {
//!     let fault = at_entry(entry_point!("sobel"))?;
//!     imgkit_kernels::sobel(view(shape, src)?, view_mut(&gray(shape), dst)?)?;
//!     fault.samples(dst);
//!     Ok(())
//! })
//! ```

use std::borrow::Cow;
use std::ops::Not;

use imgkit_failpoints::{injected, Injection};

use crate::status::BridgeError;

/// What an entry's failpoint left for the call to do once it has its answer: nothing, or
/// make the answer wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "a corrupt fault must be applied to the call's output"]
pub(crate) struct Fault {
    corrupt: bool,
}

/// Evaluates the entry failpoint `name` (one relaxed load while none is configured):
/// `Err(Injected)` for a `return[(message)]`, a [`Fault`] otherwise.
#[inline]
pub(crate) fn at_entry(name: &'static str) -> Result<Fault, BridgeError> {
    match injected(name) {
        None => Ok(Fault { corrupt: false }),
        Some(Injection::Corrupt) => Ok(Fault { corrupt: true }),
        Some(Injection::Error(message)) => Err(BridgeError::injected(message)),
    }
}

impl Fault {
    /// An image output or decoded samples: each sample inverted (`MAX - x`).
    pub(crate) fn samples<S: Copy + Not<Output = S>>(self, out: &mut [S]) {
        if self.corrupt {
            for sample in out {
                *sample = !*sample;
            }
        }
    }

    /// An encoder's input: the inverted samples when corrupt, else `src` itself.
    pub(crate) fn input<S: Copy + Not<Output = S>>(self, src: &[S]) -> Cow<'_, [S]> {
        if self.corrupt {
            Cow::Owned(src.iter().map(|&sample| !sample).collect())
        } else {
            Cow::Borrowed(src)
        }
    }

    /// Histogram counts: one more in bin 0 of the first channel.
    pub(crate) fn counts(self, counts: &mut [u64]) {
        if let (true, Some(first)) = (self.corrupt, counts.first_mut()) {
            *first = first.wrapping_add(1);
        }
    }

    /// A level: `255 - level`.
    pub(crate) fn level(self, level: &mut u8) {
        if self.corrupt {
            *level = !*level;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CORRUPT: Fault = Fault { corrupt: true };
    const NONE: Fault = Fault { corrupt: false };

    #[test]
    fn corrupt_outputs_differ_for_every_value() {
        let mut eight: Vec<u8> = (0..=255).collect();
        CORRUPT.samples(&mut eight);
        assert!(eight
            .iter()
            .enumerate()
            .all(|(x, &s)| usize::from(s) == 255 - x));
        let mut sixteen = [0u16, 1, 32767, 32768, 65535];
        CORRUPT.samples(&mut sixteen);
        assert_eq!(sixteen, [65535, 65534, 32768, 32767, 0]);
        assert_eq!(&*CORRUPT.input(&[0u8, 200]), &[255, 55]);
        let mut counts = [3u64, 4];
        CORRUPT.counts(&mut counts);
        assert_eq!(counts, [4, 4]);
        let mut level = 127;
        CORRUPT.level(&mut level);
        assert_eq!(level, 128);
    }

    #[test]
    fn no_fault_changes_nothing() {
        let mut samples = [1u8, 2];
        NONE.samples(&mut samples);
        assert_eq!(samples, [1, 2]);
        assert!(matches!(NONE.input(&samples), Cow::Borrowed(_)));
        let mut counts = [3u64];
        NONE.counts(&mut counts);
        assert_eq!(counts, [3]);
        let mut level = 9;
        NONE.level(&mut level);
        assert_eq!(level, 9);
    }
}
