//! What the differential tests share: a seeded generator of images and parameters, the
//! comparison rule each component declares, and assertions whose failure names the
//! component, the case, the shape and the parameters.

use imgkit_kernels::{ImageView, ImageViewMut, KernelError};
use imgkit_legacy_sys::{ErrorCategory, Image, LegacyError};

/// Random cases per component, each a fresh image with fresh parameters: every channel
/// count, sample style and parameter class many times over, and the whole suite still
/// runs in well under a second in the debug profile.
pub const CASES: u64 = 256;

/// SplitMix64: tiny, seeded, good enough to pick test cases. A failure message names its
/// component and case number, and the seed is the component's name, so a failing case
/// replays exactly.
pub struct Rng(u64);

impl Rng {
    pub fn for_component(component: &str) -> Self {
        // FNV-1a of the name: each component draws its own sequence.
        let seed = component
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
                (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
            });
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `low..=high`.
    pub fn range(&mut self, low: u32, high: u32) -> u32 {
        let span = u64::from(high - low) + 1;
        low + (self.next_u64() % span) as u32
    }

    /// Uniform in `[low, high)`.
    pub fn uniform(&mut self, low: f32, high: f32) -> f32 {
        let unit = (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32;
        low + unit * (high - low)
    }

    /// True with probability `1 / n`.
    pub fn one_in(&mut self, n: u32) -> bool {
        self.range(1, n) == 1
    }

    pub fn pick<T: Copy>(&mut self, choices: &[T]) -> T {
        choices[self.range(0, choices.len() as u32 - 1) as usize]
    }
}

/// A random image: 1..=48 on each side, 1, 3 or 4 channels, and samples in one of four
/// styles: uniform noise, a few distinct levels (ties for the median, Otsu and
/// equalisation), a single value (their degenerate cases), or a noisy gradient (sums
/// that land near .5 in the float filters).
pub fn random_image(rng: &mut Rng) -> Image {
    let width = rng.range(1, 48);
    let height = rng.range(1, 48);
    let channels = rng.pick(&[1, 3, 4]);
    let count = (width * height * channels) as usize;
    let samples: Vec<u8> = match rng.range(0, 3) {
        0 => (0..count).map(|_| rng.next_u64() as u8).collect(),
        1 => {
            let levels: Vec<u8> = (0..rng.range(2, 4)).map(|_| rng.next_u64() as u8).collect();
            (0..count).map(|_| rng.pick(&levels)).collect()
        }
        2 => vec![rng.next_u64() as u8; count],
        _ => (0..count)
            .map(|i| {
                let ramp = (i * 255 / count) as u32;
                (ramp + rng.range(0, 16)).min(255) as u8
            })
            .collect(),
    };
    Image::new(samples, width, height, channels).expect("sample count matches the shape")
}

pub fn shape(image: &Image) -> String {
    format!("{}x{}x{}", image.width(), image.height(), image.channels())
}

/// The Rust kernels' view of a legacy-side image.
pub fn view(image: &Image) -> ImageView<'_> {
    ImageView::new(
        image.samples(),
        image.width() as usize,
        image.height() as usize,
        image.channels() as usize,
    )
    .expect("generated images have a valid geometry")
}

/// Runs a Rust kernel into a fresh `width` x `height` x `channels` buffer.
pub fn rust_image(
    width: u32,
    height: u32,
    channels: u32,
    kernel: impl FnOnce(ImageViewMut<'_>) -> Result<(), KernelError>,
) -> Result<Vec<u8>, KernelError> {
    let (width, height, channels) = (width as usize, height as usize, channels as usize);
    let mut samples = vec![0; width * height * channels];
    kernel(ImageViewMut::new(&mut samples, width, height, channels)?)?;
    Ok(samples)
}

/// The ports of the image operations (the codecs' ports are not bound here).
const PORTS: [&str; 3] = [
    include_str!("../../../../cpp/imgkit/src/ports/filters.hpp"),
    include_str!("../../../../cpp/imgkit/src/ports/geometry.hpp"),
    include_str!("../../../../cpp/imgkit/src/ports/tone.hpp"),
];

/// Every image operation a port declares, by name, in file order.
pub fn declared_components() -> Vec<&'static str> {
    const OPENING: &str = "declaration{\"";
    PORTS
        .iter()
        .flat_map(|port| port.split(OPENING).skip(1))
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

/// The largest difference per sample a component's answers may show: the default
/// tolerance in its port's declaration (cpp/imgkit/src/ports), read from there so that
/// the rule is written once. Panics if the component has no declaration.
pub fn declared_tolerance(component: &str) -> u8 {
    let opening = format!("declaration{{\"{component}\",");
    let declaration = PORTS
        .iter()
        .find_map(|port| {
            let start = port.find(&opening)? + opening.len();
            Some(&port[start..start + port[start..].find('}')?])
        })
        .unwrap_or_else(|| panic!("no port declares the component {component}"));
    // `kRust, kExact, 0` or `kRust, kWithinTolerance, 1`.
    let fields: Vec<&str> = declaration.split(',').map(str::trim).collect();
    let tolerance: u8 = fields[2]
        .parse()
        .unwrap_or_else(|_| panic!("{component}: tolerance in {declaration:?}"));
    match fields[1] {
        "kExact" => assert_eq!(tolerance, 0, "{component}: exact with a tolerance"),
        "kWithinTolerance" => {}
        other => panic!("{component}: unknown comparison {other}"),
    }
    tolerance
}

/// Both sides answered; the answers must agree sample for sample within `tolerance`.
/// `width` and `channels` locate the first differing sample in the message.
pub fn assert_agree(
    context: &str,
    legacy: Result<Vec<u8>, LegacyError>,
    rust: Result<Vec<u8>, KernelError>,
    width: u32,
    channels: u32,
    tolerance: u8,
) {
    let (legacy, rust) = match (legacy, rust) {
        (Ok(legacy), Ok(rust)) => (legacy, rust),
        (legacy, rust) => panic!(
            "{context}: expected both to answer, got legacy {:?}, rust {:?}",
            legacy.err(),
            rust.err()
        ),
    };
    assert_eq!(legacy.len(), rust.len(), "{context}: answer lengths differ");
    let beyond: Vec<usize> = (0..legacy.len())
        .filter(|&i| legacy[i].abs_diff(rust[i]) > tolerance)
        .collect();
    if let Some(&first) = beyond.first() {
        let (pixel, c) = (first / channels as usize, first % channels as usize);
        let (x, y) = (pixel % width as usize, pixel / width as usize);
        panic!(
            "{context}: {} samples differ by more than {tolerance}; first at \
             (x={x}, y={y}, c={c}): legacy {}, rust {}",
            beyond.len(),
            legacy[first],
            rust[first]
        );
    }
}

/// Both sides refused the arguments, with the same category (DESIGN invariant 6).
pub fn assert_both_reject<T: std::fmt::Debug, U: std::fmt::Debug>(
    context: &str,
    legacy: Result<T, LegacyError>,
    rust: Result<U, KernelError>,
) {
    match (legacy, rust) {
        (Err(legacy), Err(rust)) => assert_eq!(
            legacy.category,
            category_of(&rust),
            "{context}: both reject, in different categories (legacy: {legacy}; rust: {rust})"
        ),
        (legacy, rust) => {
            panic!("{context}: expected both to reject, got legacy {legacy:?}, rust {rust:?}")
        }
    }
}

/// The legacy category a kernel error stands for.
fn category_of(error: &KernelError) -> ErrorCategory {
    match error {
        KernelError::InvalidArgument(_) => ErrorCategory::InvalidArgument,
    }
}
