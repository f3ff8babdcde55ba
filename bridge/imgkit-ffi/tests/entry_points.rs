//! The bridged entry points as C++ calls them, exercised from Rust: every way a call can
//! end becomes the right status, and no panic escapes.

use imgkit_failpoints::Scenario;
#[cfg(feature = "failpoints")]
use imgkit_ffi::configure_failpoint;
use imgkit_ffi::declare_component_failpoint;
use imgkit_ffi::entry::{convolve, gaussian_blur, ImageShape};
use imgkit_ffi::StatusCode;

const SHAPE: ImageShape = ImageShape {
    width: 6,
    height: 4,
    channels: 3,
};

/// A scenario with the components these tests fault declared, as C++ declares them.
fn scenario() -> Scenario {
    for component in ["gaussian_blur", "convolve"] {
        assert_eq!(declare_component_failpoint(component).code, StatusCode::Ok);
    }
    Scenario::setup()
}

fn ramp() -> Vec<u8> {
    (0..6 * 4 * 3).map(|i| (i * 7 % 256) as u8).collect()
}

#[test]
fn healthy_blur_is_ok_and_writes_the_output() {
    let _scenario = scenario();
    let src = ramp();
    let mut dst = vec![0u8; src.len()];
    let status = gaussian_blur(&SHAPE, &src, 1.0, &mut dst);
    assert_eq!(status.code, StatusCode::Ok, "{}", status.message);
    assert_ne!(dst, vec![0u8; src.len()]);
}

#[cfg(feature = "failpoints")]
#[test]
fn kernel_panic_becomes_panic_status() {
    let _scenario = scenario();
    assert_eq!(
        configure_failpoint("imgkit::gaussian_blur", "panic(boom)").code,
        StatusCode::Ok
    );
    let src = ramp();
    let mut dst = vec![0u8; src.len()];
    let status = gaussian_blur(&SHAPE, &src, 1.0, &mut dst);
    assert_eq!(status.code, StatusCode::Panic);
    assert!(status.message.contains("boom"), "{}", status.message);
}

#[cfg(feature = "failpoints")]
#[test]
fn return_failpoint_becomes_injected_fault() {
    let _scenario = scenario();
    assert_eq!(
        configure_failpoint("imgkit::convolve", "return").code,
        StatusCode::Ok
    );
    let src = ramp();
    let mut dst = vec![0u8; src.len()];
    let status = convolve(&SHAPE, &src, 1, 1, &[1.0], &mut dst);
    assert_eq!(status.code, StatusCode::InjectedFault);
}

#[cfg(feature = "failpoints")]
#[test]
fn bad_failpoint_actions_are_an_input_error() {
    let _scenario = scenario();
    let status = configure_failpoint("imgkit::convolve", "sometimes-maybe");
    assert_eq!(status.code, StatusCode::InputError);
    assert!(
        status.message.contains("sometimes-maybe"),
        "{}",
        status.message
    );
}

#[test]
fn bad_sigma_is_an_input_error() {
    let _scenario = scenario();
    let src = ramp();
    let mut dst = vec![0u8; src.len()];
    for sigma in [0.0, -2.0, f32::NAN, 100.0] {
        let status = gaussian_blur(&SHAPE, &src, sigma, &mut dst);
        assert_eq!(status.code, StatusCode::InputError, "sigma {sigma}");
    }
}

#[test]
fn buffer_shorter_than_shape_is_an_input_error_not_a_crash() {
    let _scenario = scenario();
    let src = ramp();
    let mut short = vec![0u8; src.len() - 1];
    let status = gaussian_blur(&SHAPE, &src, 1.0, &mut short);
    assert_eq!(status.code, StatusCode::InputError);
    let status = convolve(&SHAPE, &src[1..], 1, 1, &[1.0], &mut vec![0u8; src.len()]);
    assert_eq!(status.code, StatusCode::InputError);
}

#[test]
fn zero_sized_shape_is_an_input_error() {
    let _scenario = scenario();
    let shape = ImageShape {
        width: 0,
        height: 4,
        channels: 1,
    };
    let status = gaussian_blur(&shape, &[], 1.0, &mut []);
    assert_eq!(status.code, StatusCode::InputError);
}
