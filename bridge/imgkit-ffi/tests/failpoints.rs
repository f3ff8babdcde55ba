//! The failpoints of every bridged entry, driven as C++ drives them (through
//! `configure_failpoint`): each action ends the call with the right status and message,
//! `return(corrupt)` succeeds with an answer that differs from the right one, and
//! removing the point brings the right answer back.

use imgkit_failpoints::{entry_point, point, Scenario};
use imgkit_ffi::entry::{
    box_blur, convolve, decode_u16, decode_u8, default_decode_limits, encode_png_u16,
    encode_png_u8, encode_pnm_u16, encode_pnm_u8, equalize, flip, gaussian_blur, histogram,
    otsu_level, otsu_threshold, pnm_encoded_len_bound, read_header, resize, rotate90, sobel,
    to_grayscale, unsharp_mask, Codec, DecodeLimits, DecodedHeader, FlipAxis, ImageShape,
    ResizeFilter,
};
use imgkit_ffi::{
    configure_failpoint, declare_component_failpoint, failpoint_names, failpoints_compiled_in,
    remove_all_failpoints, remove_failpoint, KernelStatus, StatusCode,
};

const WIDTH: u32 = 7;
const HEIGHT: u32 = 5;
const RGB: ImageShape = ImageShape {
    width: WIDTH,
    height: HEIGHT,
    channels: 3,
};
const PIXELS: usize = (WIDTH * HEIGHT) as usize;

/// A deterministic RGB image with every kind of sample value spread over it.
fn image() -> Vec<u8> {
    (0..PIXELS * 3).map(|i| (i * 37 % 251) as u8).collect()
}

fn image16() -> Vec<u16> {
    image()
        .iter()
        .enumerate()
        .map(|(i, &s)| (u16::from(s) * 257) ^ (i as u16 & 0xF))
        .collect()
}

/// What one call answered: its status and its output as numbers.
struct Answer {
    status: KernelStatus,
    output: Vec<u64>,
}

fn answer<S: Copy + Into<u64>>(status: KernelStatus, output: &[S]) -> Answer {
    Answer {
        status,
        output: output.iter().map(|&s| s.into()).collect(),
    }
}

/// How `return(corrupt)` changes a right answer.
#[derive(Clone, Copy)]
enum Wrong {
    /// Every value `max - x`.
    Inverted(u64),
    /// One more in the first value.
    FirstPlusOne,
}

impl Wrong {
    fn apply(self, right: &[u64]) -> Vec<u64> {
        match self {
            Wrong::Inverted(max) => right.iter().map(|&x| max - x).collect(),
            Wrong::FirstPlusOne => {
                let mut wrong = right.to_vec();
                wrong[0] += 1;
                wrong
            }
        }
    }
}

/// One entry called on a fixed input.
struct Case {
    label: &'static str,
    point: &'static str,
    call: fn() -> Answer,
    wrong: Wrong,
}

fn image_output(channels: u32, run: impl FnOnce(&[u8], &mut [u8]) -> KernelStatus) -> Answer {
    let src = image();
    let mut dst = vec![0u8; PIXELS * channels as usize];
    let status = run(&src, &mut dst);
    answer(status, &dst)
}

fn decoded<S: Copy + Default + Into<u64>>(
    codec: Codec,
    bytes: &[u8],
    decode: fn(Codec, &[u8], DecodeLimits, &mut [S]) -> KernelStatus,
) -> Answer {
    let limits = default_decode_limits();
    let mut header = DecodedHeader::default();
    let status = read_header(codec, bytes, limits, &mut header);
    if status.code != StatusCode::Ok {
        return answer::<u8>(status, &[]);
    }
    let mut dst = vec![S::default(); (header.width * header.height * header.channels) as usize];
    let status = decode(codec, bytes, limits, &mut dst);
    answer(status, &dst)
}

fn pnm8() -> Vec<u8> {
    imgkit_codecs::pnm::encode_u8(&image(), WIDTH, HEIGHT, 3, false).unwrap()
}
fn pnm16() -> Vec<u8> {
    imgkit_codecs::pnm::encode_u16(&image16(), WIDTH, HEIGHT, 3, false).unwrap()
}
fn png8() -> Vec<u8> {
    imgkit_codecs::png::encode_u8(&image(), WIDTH, HEIGHT, 3).unwrap()
}
fn png16() -> Vec<u8> {
    imgkit_codecs::png::encode_u16(&image16(), WIDTH, HEIGHT, 3).unwrap()
}

/// What an encoder entry answered: its status and the samples its file holds, decoded
/// through the bridge's decoder (no failpoint fires there).
fn reread(codec: Codec, status: KernelStatus, file: &[u8], sixteen: bool) -> Answer {
    if status.code != StatusCode::Ok {
        return answer::<u8>(status, &[]);
    }
    let again = if sixteen {
        decoded(codec, file, decode_u16)
    } else {
        decoded(codec, file, decode_u8)
    };
    assert_eq!(
        again.status.code,
        StatusCode::Ok,
        "{}",
        again.status.message
    );
    Answer {
        status,
        output: again.output,
    }
}

/// Encodes a PNM file through the bridge into a buffer of the bound it states.
fn encoded_pnm<S: Copy>(
    src: &[S],
    encode: fn(&ImageShape, &[S], bool, &mut [u8], &mut usize) -> KernelStatus,
    sixteen: bool,
) -> Answer {
    let mut file = vec![0u8; pnm_encoded_len_bound(&RGB, sixteen, false)];
    let mut written = 0;
    let status = encode(&RGB, src, false, &mut file, &mut written);
    file.truncate(written);
    reread(Codec::Pnm, status, &file, sixteen)
}

/// Encodes a PNG file through the bridge.
fn encoded_png<S: Copy>(
    src: &[S],
    encode: fn(&ImageShape, &[S], &mut Vec<u8>) -> KernelStatus,
    sixteen: bool,
) -> Answer {
    let mut file = Vec::new();
    let status = encode(&RGB, src, &mut file);
    reread(Codec::Png, status, &file, sixteen)
}

const EIGHT: Wrong = Wrong::Inverted(255);
const SIXTEEN: Wrong = Wrong::Inverted(65535);

fn cases() -> Vec<Case> {
    vec![
        Case {
            label: "convolve",
            point: entry_point!("convolve"),
            call: || {
                let weights = [0.0, 0.25, 0.0, 0.25, 0.5, 0.0, 0.0, 0.0, 0.0];
                image_output(3, |src, dst| convolve(&RGB, src, 3, 3, &weights, dst))
            },
            wrong: EIGHT,
        },
        Case {
            label: "gaussian_blur",
            point: entry_point!("gaussian_blur"),
            call: || image_output(3, |src, dst| gaussian_blur(&RGB, src, 1.0, dst)),
            wrong: EIGHT,
        },
        Case {
            label: "box_blur",
            point: entry_point!("box_blur"),
            call: || image_output(3, |src, dst| box_blur(&RGB, src, 1, dst)),
            wrong: EIGHT,
        },
        Case {
            label: "sobel",
            point: entry_point!("sobel"),
            call: || image_output(1, |src, dst| sobel(&RGB, src, dst)),
            wrong: EIGHT,
        },
        Case {
            label: "unsharp_mask",
            point: entry_point!("unsharp_mask"),
            call: || image_output(3, |src, dst| unsharp_mask(&RGB, src, 1.0, 1.0, dst)),
            wrong: EIGHT,
        },
        Case {
            label: "resize",
            point: entry_point!("resize"),
            call: || {
                let target = ImageShape {
                    width: 4,
                    height: 3,
                    channels: 3,
                };
                let mut dst = vec![0u8; 4 * 3 * 3];
                let status = resize(&RGB, &image(), ResizeFilter::Bilinear, &target, &mut dst);
                answer(status, &dst)
            },
            wrong: EIGHT,
        },
        Case {
            label: "flip",
            point: entry_point!("flip"),
            call: || image_output(3, |src, dst| flip(&RGB, src, FlipAxis::Horizontal, dst)),
            wrong: EIGHT,
        },
        Case {
            label: "rotate90",
            point: entry_point!("rotate90"),
            call: || image_output(3, |src, dst| rotate90(&RGB, src, dst)),
            wrong: EIGHT,
        },
        Case {
            label: "to_grayscale",
            point: entry_point!("to_grayscale"),
            call: || image_output(1, |src, dst| to_grayscale(&RGB, src, dst)),
            wrong: EIGHT,
        },
        Case {
            label: "histogram",
            point: entry_point!("histogram"),
            call: || {
                let mut counts = vec![0u64; 3 * 256];
                let status = histogram(&RGB, &image(), &mut counts);
                answer(status, &counts)
            },
            wrong: Wrong::FirstPlusOne,
        },
        Case {
            label: "equalize",
            point: entry_point!("equalize"),
            call: || image_output(3, |src, dst| equalize(&RGB, src, dst)),
            wrong: EIGHT,
        },
        Case {
            label: "otsu_level",
            point: entry_point!("otsu_level"),
            call: || {
                let mut level = 0u8;
                let status = otsu_level(&RGB, &image(), &mut level);
                answer(status, &[level])
            },
            wrong: EIGHT,
        },
        Case {
            label: "otsu_threshold",
            point: entry_point!("otsu_threshold"),
            call: || image_output(1, |src, dst| otsu_threshold(&RGB, src, dst)),
            wrong: EIGHT,
        },
        Case {
            label: "decode_pnm 8-bit",
            point: entry_point!("decode_pnm"),
            call: || decoded(Codec::Pnm, &pnm8(), decode_u8),
            wrong: EIGHT,
        },
        Case {
            label: "decode_pnm 16-bit",
            point: entry_point!("decode_pnm"),
            call: || decoded(Codec::Pnm, &pnm16(), decode_u16),
            wrong: SIXTEEN,
        },
        Case {
            label: "decode_png 8-bit",
            point: entry_point!("decode_png"),
            call: || decoded(Codec::Png, &png8(), decode_u8),
            wrong: EIGHT,
        },
        Case {
            label: "decode_png 16-bit",
            point: entry_point!("decode_png"),
            call: || decoded(Codec::Png, &png16(), decode_u16),
            wrong: SIXTEEN,
        },
        Case {
            label: "encode_pnm 8-bit",
            point: entry_point!("encode_pnm"),
            call: || encoded_pnm(&image(), encode_pnm_u8, false),
            wrong: EIGHT,
        },
        Case {
            label: "encode_pnm 16-bit",
            point: entry_point!("encode_pnm"),
            call: || encoded_pnm(&image16(), encode_pnm_u16, true),
            wrong: SIXTEEN,
        },
        Case {
            label: "encode_png 8-bit",
            point: entry_point!("encode_png"),
            call: || encoded_png(&image(), encode_png_u8, false),
            wrong: EIGHT,
        },
        Case {
            label: "encode_png 16-bit",
            point: entry_point!("encode_png"),
            call: || encoded_png(&image16(), encode_png_u16, true),
            wrong: SIXTEEN,
        },
    ]
}

/// A scenario with every case's component declared, as C++ declares its catalog.
fn scenario() -> Scenario {
    for case in cases() {
        let component = case.point.strip_prefix("imgkit::").expect("an entry point");
        let status = declare_component_failpoint(component);
        assert_eq!(status.code, StatusCode::Ok, "{}", status.message);
    }
    Scenario::setup()
}

fn check_right(case: &Case, right: &[u64], context: &str) {
    let again = (case.call)();
    assert_eq!(
        again.status.code,
        StatusCode::Ok,
        "{} {context}: {}",
        case.label,
        again.status.message
    );
    assert_eq!(again.output, right, "{} {context}", case.label);
}

#[test]
fn healthy_calls_are_ok_with_a_real_answer() {
    let _scenario = scenario();
    for case in cases() {
        let right = (case.call)();
        assert_eq!(
            right.status.code,
            StatusCode::Ok,
            "{}: {}",
            case.label,
            right.status.message
        );
        // A constant image would prove little (otsu_level answers one value).
        assert!(
            right.output.iter().any(|&x| x != right.output[0]) || right.output.len() == 1,
            "{}: a constant answer",
            case.label
        );
    }
}

#[test]
fn names_are_the_declared_entries_and_the_finer_points() {
    let _scenario = scenario();
    let names = failpoint_names();
    assert_eq!(names, imgkit_failpoints::names());
    for case in cases() {
        assert!(
            names.iter().any(|name| name == case.point),
            "{}",
            case.point
        );
    }
    for finer in [point::KERNELS_BAND, point::PNG_ROWS, point::PNM_SAMPLES] {
        assert!(names.iter().any(|name| name == finer), "{finer}");
    }
    assert_eq!(failpoints_compiled_in(), cfg!(feature = "failpoints"));
}

#[test]
fn only_component_names_are_declared() {
    let status = declare_component_failpoint("imgkit::sobel");
    assert_eq!(status.code, StatusCode::InputError);
    assert!(
        status.message.contains("not a component name"),
        "{}",
        status.message
    );
}

#[cfg(not(feature = "failpoints"))]
#[test]
fn without_failpoints_configuring_is_an_internal_error_and_calls_are_untouched() {
    let _scenario = scenario();
    for case in cases() {
        let right = (case.call)().output;
        let status = configure_failpoint(case.point, "return(corrupt)");
        assert_eq!(status.code, StatusCode::Internal, "{}", case.label);
        assert!(
            status.message.contains("no failpoints"),
            "{}",
            status.message
        );
        check_right(&case, &right, "after configuring");
        assert_ne!(case.wrong.apply(&right), right);
        remove_failpoint(case.point);
    }
    remove_all_failpoints();
    assert!(!imgkit_failpoints::armed());
}

#[cfg(feature = "failpoints")]
mod compiled_in {
    use imgkit_ffi::ErrorCategory;

    use super::*;

    /// Configures `point` as C++ does, asserting that it is accepted.
    fn configure(point: &str, actions: &str) {
        let status = configure_failpoint(point, actions);
        assert_eq!(
            status.code,
            StatusCode::Ok,
            "{point}={actions}: {}",
            status.message
        );
    }

    #[test]
    fn an_undeclared_components_entry_cannot_be_configured() {
        let _scenario = scenario();
        let status = configure_failpoint("imgkit::never_declared", "return");
        assert_eq!(status.code, StatusCode::InputError);
        assert!(
            status.message.contains("unknown failpoint"),
            "{}",
            status.message
        );
    }

    #[test]
    fn panic_is_a_panic_status_with_its_message() {
        let _scenario = scenario();
        for case in cases() {
            configure(case.point, &format!("panic(boom in {})", case.label));
            let status = (case.call)().status;
            assert_eq!(status.code, StatusCode::Panic, "{}", case.label);
            assert!(
                status
                    .message
                    .ends_with(&format!("Rust panic: boom in {}", case.label)),
                "{}: {}",
                case.label,
                status.message
            );
            remove_failpoint(case.point);
        }
    }

    #[test]
    fn return_is_an_injected_fault() {
        let _scenario = scenario();
        for case in cases() {
            configure(case.point, "return");
            let status = (case.call)().status;
            assert_eq!(status.code, StatusCode::InjectedFault, "{}", case.label);
            assert_eq!(status.category, ErrorCategory::Internal, "{}", case.label);
            assert!(
                status.message.ends_with("injected fault: return"),
                "{}: {}",
                case.label,
                status.message
            );
            remove_failpoint(case.point);
        }
    }

    #[test]
    fn return_with_a_message_carries_it() {
        let _scenario = scenario();
        for case in cases() {
            configure(case.point, "return(disk on fire)");
            let status = (case.call)().status;
            assert_eq!(status.code, StatusCode::InjectedFault, "{}", case.label);
            assert!(
                status.message.ends_with("injected fault: disk on fire"),
                "{}: {}",
                case.label,
                status.message
            );
            remove_failpoint(case.point);
        }
    }

    #[test]
    fn return_corrupt_succeeds_with_a_wrong_answer() {
        let _scenario = scenario();
        for case in cases() {
            let right = (case.call)().output;
            configure(case.point, "return(corrupt)");
            let corrupt = (case.call)();
            assert_eq!(
                corrupt.status.code,
                StatusCode::Ok,
                "{}: {}",
                case.label,
                corrupt.status.message
            );
            assert_eq!(corrupt.output, case.wrong.apply(&right), "{}", case.label);
            assert_ne!(corrupt.output, right, "{}", case.label);
            remove_failpoint(case.point);
        }
    }

    #[test]
    fn off_and_removed_points_give_the_right_answer() {
        let _scenario = scenario();
        for case in cases() {
            let right = (case.call)().output;
            configure(case.point, "off");
            check_right(&case, &right, "off");
            configure(case.point, "return(corrupt)");
            remove_failpoint(case.point);
            check_right(&case, &right, "removed");
        }
    }

    #[test]
    fn counts_and_chains_run_out() {
        let _scenario = scenario();
        for case in cases() {
            let right = (case.call)().output;
            configure(case.point, "2*return");
            for _ in 0..2 {
                assert_eq!(
                    (case.call)().status.code,
                    StatusCode::InjectedFault,
                    "{}",
                    case.label
                );
            }
            check_right(&case, &right, "after 2*return");
            configure(case.point, "1*return->off");
            assert_eq!(
                (case.call)().status.code,
                StatusCode::InjectedFault,
                "{}",
                case.label
            );
            check_right(&case, &right, "after 1*return->off");
            check_right(&case, &right, "after 1*return->off, twice");
            configure(case.point, "1*return(corrupt)->panic(then this)");
            assert_eq!((case.call)().status.code, StatusCode::Ok, "{}", case.label);
            assert_eq!(
                (case.call)().status.code,
                StatusCode::Panic,
                "{}",
                case.label
            );
            remove_failpoint(case.point);
        }
    }

    #[test]
    fn a_point_does_not_touch_other_entries() {
        let _scenario = scenario();
        let rights: Vec<_> = cases().iter().map(|case| (case.call)().output).collect();
        configure(entry_point!("sobel"), "panic(only sobel)");
        for (case, right) in cases().iter().zip(&rights) {
            if case.point != entry_point!("sobel") {
                check_right(case, right, "with sobel panicking");
            }
        }
    }

    #[test]
    fn unknown_names_are_refused_with_the_known_ones() {
        let _scenario = scenario();
        let status = configure_failpoint("imgkit::gausian_blur", "return");
        assert_eq!(status.code, StatusCode::InputError);
        assert_eq!(status.category, ErrorCategory::InvalidArgument);
        assert!(
            status
                .message
                .contains("unknown failpoint \"imgkit::gausian_blur\""),
            "{}",
            status.message
        );
        assert!(
            status.message.contains(entry_point!("gaussian_blur")),
            "{}",
            status.message
        );
        assert!(!imgkit_failpoints::armed());
    }

    #[test]
    fn bad_actions_are_refused_naming_them() {
        let _scenario = scenario();
        for (actions, reason) in [
            ("sometimes-maybe", "unrecognized command"),
            ("sleep", "timeout"),
            ("x%return", "frequency"),
            ("return(open", "parentheses"),
        ] {
            let status = configure_failpoint(entry_point!("flip"), actions);
            assert_eq!(status.code, StatusCode::InputError, "{actions}");
            assert_eq!(status.category, ErrorCategory::InvalidArgument, "{actions}");
            assert!(
                status.message.contains(&format!("{actions:?}")) && status.message.contains(reason),
                "{actions}: {}",
                status.message
            );
        }
        let status = configure_failpoint(point::KERNELS_BAND, "return");
        assert_eq!(status.code, StatusCode::InputError);
        assert!(
            status.message.contains("no return value"),
            "{}",
            status.message
        );
        assert!(!imgkit_failpoints::armed());
    }

    #[test]
    fn the_gate_closes_when_everything_is_removed() {
        let _scenario = scenario();
        assert!(!imgkit_failpoints::armed());
        configure(entry_point!("sobel"), "off");
        configure(point::KERNELS_BAND, "off");
        assert!(imgkit_failpoints::armed());
        remove_failpoint(entry_point!("sobel"));
        assert!(imgkit_failpoints::armed());
        remove_all_failpoints();
        assert!(!imgkit_failpoints::armed());
    }

    #[test]
    fn panics_inside_the_kernels_and_codecs_are_caught() {
        let _scenario = scenario();
        let by_label = |label: &str| {
            cases()
                .into_iter()
                .find(|case| case.label == label)
                .expect("a case")
        };
        for (inner, label) in [
            (point::KERNELS_BAND, "gaussian_blur"),
            (point::KERNELS_BAND, "rotate90"),
            (point::PNM_SAMPLES, "decode_pnm 8-bit"),
            (point::PNM_SAMPLES, "decode_pnm 16-bit"),
            (point::PNG_ROWS, "decode_png 8-bit"),
            (point::PNG_ROWS, "decode_png 16-bit"),
        ] {
            let case = by_label(label);
            let right = (case.call)().output;
            configure(inner, &format!("panic(deep in {label})"));
            let status = (case.call)().status;
            assert_eq!(status.code, StatusCode::Panic, "{label}");
            assert!(
                status.message.ends_with(&format!("deep in {label}")),
                "{label}: {}",
                status.message
            );
            remove_failpoint(inner);
            check_right(&case, &right, "after the inner point was removed");
        }
    }
}
