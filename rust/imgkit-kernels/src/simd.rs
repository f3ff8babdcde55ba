//! Which vector instruction set the kernels are compiled for at run time.
//!
//! The hot loop of each kernel (a band of a filter, a row of luminance) is written once
//! and compiled several times: for AVX-512 (`avx512f`, `avx512bw`, `avx512vl`), for AVX2
//! (`avx`, `avx2`) and for the target's baseline. [`dispatch`] runs it in the best
//! version the CPU supports, capped by the environment variable `IMGKIT_MAX_SIMD`:
//!
//! | `IMGKIT_MAX_SIMD` | kernels use at most |
//! |---|---|
//! | unset or empty | the best the CPU has |
//! | `avx512` | AVX-512 |
//! | `avx2` | AVX2 (measure the AVX2 path on an AVX-512 machine) |
//! | `baseline` | the target's baseline (SSE2 on x86-64) |
//!
//! Case does not matter. The variable is read once, at the first kernel call; any other
//! value is reported on stderr (naming the variable and the accepted values) and caps
//! nothing. Every version does the same arithmetic in the same order, so the answer
//! never depends on the level (a test runs each kernel at each level and compares).

use std::fmt;
use std::sync::atomic::{AtomicU8, Ordering};

/// The environment variable that caps the instruction set (see the module docs).
pub const MAX_SIMD_VARIABLE: &str = "IMGKIT_MAX_SIMD";

/// An instruction-set level, ordered from the least to the most capable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SimdLevel {
    /// The target's baseline (SSE2 on x86-64).
    Baseline = 1,
    /// AVX and AVX2.
    Avx2 = 2,
    /// AVX-512 F, BW and VL (with AVX2 under them).
    Avx512 = 3,
}

impl SimdLevel {
    /// Every level, least capable first.
    pub const ALL: [SimdLevel; 3] = [SimdLevel::Baseline, SimdLevel::Avx2, SimdLevel::Avx512];

    /// The name `IMGKIT_MAX_SIMD` accepts for this level.
    pub fn name(self) -> &'static str {
        match self {
            SimdLevel::Baseline => "baseline",
            SimdLevel::Avx2 => "avx2",
            SimdLevel::Avx512 => "avx512",
        }
    }

    /// The level `name` names (any case), or `None`.
    pub fn parse(name: &str) -> Option<SimdLevel> {
        Self::ALL
            .into_iter()
            .find(|level| level.name().eq_ignore_ascii_case(name.trim()))
    }

    /// The best level this CPU supports.
    pub fn detected() -> SimdLevel {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx512f")
                && std::arch::is_x86_feature_detected!("avx512bw")
                && std::arch::is_x86_feature_detected!("avx512vl")
                && std::arch::is_x86_feature_detected!("avx2")
            {
                return SimdLevel::Avx512;
            }
            if std::arch::is_x86_feature_detected!("avx2") {
                return SimdLevel::Avx2;
            }
        }
        SimdLevel::Baseline
    }

    fn from_u8(value: u8) -> Option<SimdLevel> {
        Self::ALL.into_iter().find(|&level| level as u8 == value)
    }
}

impl fmt::Display for SimdLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The level in use; 0 until the first call decides it.
static ACTIVE: AtomicU8 = AtomicU8::new(0);

/// The level the kernels run at: the CPU's best, capped by `IMGKIT_MAX_SIMD` (read at the
/// first call) or by [`set_max_level`].
pub fn active_level() -> SimdLevel {
    if let Some(level) = SimdLevel::from_u8(ACTIVE.load(Ordering::Relaxed)) {
        return level;
    }
    let cap = match std::env::var(MAX_SIMD_VARIABLE) {
        Ok(value) => cap_from(&value).unwrap_or_else(|message| {
            eprintln!("imgkit: {message}");
            None
        }),
        Err(_) => None,
    };
    let level = capped(SimdLevel::detected(), cap);
    ACTIVE.store(level as u8, Ordering::Relaxed);
    level
}

/// Caps the level the kernels run at from now on (never above the CPU's) and returns the
/// level in force; `None` lifts the cap. For benchmarks and tests that compare levels in
/// one process; `IMGKIT_MAX_SIMD` is the way for a whole program.
pub fn set_max_level(cap: Option<SimdLevel>) -> SimdLevel {
    let level = capped(SimdLevel::detected(), cap);
    ACTIVE.store(level as u8, Ordering::Relaxed);
    level
}

fn capped(detected: SimdLevel, cap: Option<SimdLevel>) -> SimdLevel {
    cap.map_or(detected, |cap| detected.min(cap))
}

/// The cap an `IMGKIT_MAX_SIMD` value asks for (`None`: no cap), or the message for a
/// value that names no level.
fn cap_from(value: &str) -> Result<Option<SimdLevel>, String> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    SimdLevel::parse(value).map(Some).ok_or_else(|| {
        format!(
            "{MAX_SIMD_VARIABLE}={value:?} names no instruction set (accepted: avx512, avx2, \
             baseline, or empty for the best the CPU has); not capping"
        )
    })
}

/// Runs `body` compiled for the [`active_level`], passing it that level (a constant
/// inside each version, so a `match` on it in `body` picks block sizes at compile time).
///
/// `body` should be a small closure calling an `#[inline(always)]` function: it is
/// inlined into a `#[target_feature]` function, where the compiler vectorises it for
/// that instruction set.
#[inline(always)]
pub(crate) fn dispatch<R>(body: impl FnOnce(SimdLevel) -> R) -> R {
    match active_level() {
        // SAFETY: `active_level` never exceeds `SimdLevel::detected()`, which checked
        // that the CPU has every feature these functions enable.
        #[cfg(target_arch = "x86_64")]
        SimdLevel::Avx512 => unsafe { with_avx512(body) },
        // SAFETY: as above.
        #[cfg(target_arch = "x86_64")]
        SimdLevel::Avx2 => unsafe { with_avx2(body) },
        _ => body(SimdLevel::Baseline),
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx,avx2,avx512f,avx512bw,avx512vl")]
unsafe fn with_avx512<R>(body: impl FnOnce(SimdLevel) -> R) -> R {
    body(SimdLevel::Avx512)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx,avx2")]
unsafe fn with_avx2<R>(body: impl FnOnce(SimdLevel) -> R) -> R {
    body(SimdLevel::Avx2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_in_any_case() {
        for level in SimdLevel::ALL {
            assert_eq!(SimdLevel::parse(level.name()), Some(level));
            assert_eq!(SimdLevel::parse(&level.name().to_uppercase()), Some(level));
        }
        assert_eq!(SimdLevel::parse(" AVX2 "), Some(SimdLevel::Avx2));
        assert_eq!(SimdLevel::parse("sse4"), None);
    }

    #[test]
    fn a_cap_lowers_the_level_and_never_raises_it() {
        assert_eq!(
            capped(SimdLevel::Avx512, Some(SimdLevel::Avx2)),
            SimdLevel::Avx2
        );
        assert_eq!(
            capped(SimdLevel::Avx2, Some(SimdLevel::Avx512)),
            SimdLevel::Avx2
        );
        assert_eq!(capped(SimdLevel::Avx2, None), SimdLevel::Avx2);
        assert_eq!(
            capped(SimdLevel::Avx512, Some(SimdLevel::Baseline)),
            SimdLevel::Baseline
        );
    }

    #[test]
    fn the_variable_accepts_levels_and_empty_and_names_itself_otherwise() {
        assert_eq!(cap_from(""), Ok(None));
        assert_eq!(cap_from("  "), Ok(None));
        assert_eq!(cap_from("Avx2"), Ok(Some(SimdLevel::Avx2)));
        assert_eq!(cap_from("baseline"), Ok(Some(SimdLevel::Baseline)));
        let message = cap_from("avx-2").unwrap_err();
        assert!(message.contains("IMGKIT_MAX_SIMD=\"avx-2\""), "{message}");
        assert!(message.contains("avx512, avx2, baseline"), "{message}");
    }
}
