//! Status codes, panic catching and failpoint control shared by every bridge module.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use imgkit_codecs::{CodecError, ErrorCategory};
use imgkit_kernels::{ImageView, ImageViewMut, KernelError};

pub use ffi::KernelStatus;

#[cxx::bridge(namespace = "imgkit::ffi")]
pub mod ffi {
    // ---- Shared types -------------------------------------------------------------

    /// How a bridged call ended. C++ maps every value with an exhaustive `switch`.
    #[derive(Debug)]
    enum StatusCode {
        /// The output buffer holds the result.
        Ok,
        /// The caller's input was rejected, as legacy would reject it, in `category`.
        InputError,
        /// The Rust side panicked; the panic was caught here.
        Panic,
        /// A failpoint asked this call to fail.
        InjectedFault,
        /// Anything else that went wrong on the Rust side.
        Internal,
    }

    /// Legacy's error categories (`imgkit::ErrorCategory`): for an `InputError`, the one
    /// legacy gives the same rejection, so that C++ can tell whether both implementations
    /// rejected an input alike; `Internal` for every other code.
    #[derive(Debug)]
    enum ErrorCategory {
        InvalidArgument,
        MalformedData,
        Unsupported,
        LimitExceeded,
        Internal,
    }

    /// The outcome of one bridged call: a code and, unless `Ok`, a message for people.
    #[derive(Debug)]
    struct KernelStatus {
        code: StatusCode,
        category: ErrorCategory,
        message: String,
    }

    /// The geometry of an 8-bit image every kernel call carries. Buffers travel beside
    /// it as slices because cxx shared structs cannot hold borrowed slices.
    #[derive(Debug, Clone, Copy)]
    struct ImageShape {
        width: u32,
        height: u32,
        channels: u32,
    }

    // ---- Rust functions C++ may call -----------------------------------------------
    // The Rust failpoints (imgkit-failpoints): free until one is configured.
    extern "Rust" {
        /// Declares the component whose bridge entry has the failpoint
        /// `imgkit::<component>`, so that it can be configured: C++ declares every
        /// component of its catalog. `InputError` (InvalidArgument) for a name that is not
        /// a component name.
        fn declare_component_failpoint(component: &str) -> KernelStatus;
        /// Configures Rust failpoint `name` with fail-rs actions, e.g. `"panic"`,
        /// `"50%return"`, `"1*return(corrupt)->off"`. `InputError` (InvalidArgument)
        /// for an unknown name or actions that do not parse, `Internal` if this build
        /// has no failpoints.
        fn configure_failpoint(name: &str, actions: &str) -> KernelStatus;
        /// Removes failpoint `name` (a no-op if it is not configured).
        fn remove_failpoint(name: &str);
        /// Removes every Rust failpoint.
        fn remove_all_failpoints();
        /// Every Rust failpoint's name, whether or not this build has failpoints.
        fn failpoint_names() -> Vec<String>;
        /// Whether this build has failpoints (the `failpoints` feature).
        fn failpoints_compiled_in() -> bool;
    }

    // The instruction set the kernels run at.
    extern "Rust" {
        /// `"avx512"`, `"avx2"` or `"baseline"`: the best the CPU has, capped by
        /// `IMGKIT_MAX_SIMD` (see `imgkit_kernels::simd`).
        fn kernel_simd_level() -> String;
    }
}

/// Why a bridged call did not produce a result, before it becomes a [`ffi::KernelStatus`].
#[derive(Debug)]
pub(crate) enum BridgeError {
    /// The caller's input, rejected in legacy's category: a kernel's or a codec's
    /// refusal, or an argument the bridge itself refuses.
    Input(ffi::ErrorCategory, String),
    Injected(String),
    /// A codec's own failure, or a value C++ passed that this build's bridge does not
    /// know (the two sides were built from different sources).
    Internal(String),
}

impl BridgeError {
    /// The error a `return` failpoint action produces; its argument, if any, is the
    /// message.
    pub(crate) fn injected(arg: Option<String>) -> Self {
        BridgeError::Injected(arg.unwrap_or_else(|| "return".to_owned()))
    }

    /// A shared enum arrived with a value outside its variants.
    pub(crate) fn unknown_enum(what: &str, repr: u8) -> Self {
        BridgeError::Internal(format!("unknown {what} {repr} (C++ and Rust built apart?)"))
    }
}

impl From<KernelError> for BridgeError {
    fn from(error: KernelError) -> Self {
        let KernelError::InvalidArgument(message) = error;
        BridgeError::Input(ffi::ErrorCategory::InvalidArgument, message)
    }
}

impl From<CodecError> for BridgeError {
    /// A codec's refusal keeps its category; a codec bug is not the caller's.
    fn from(error: CodecError) -> Self {
        let category = match error.category {
            ErrorCategory::InvalidArgument => ffi::ErrorCategory::InvalidArgument,
            ErrorCategory::MalformedData => ffi::ErrorCategory::MalformedData,
            ErrorCategory::Unsupported => ffi::ErrorCategory::Unsupported,
            ErrorCategory::LimitExceeded => ffi::ErrorCategory::LimitExceeded,
            ErrorCategory::Internal => return BridgeError::Internal(error.message),
        };
        BridgeError::Input(category, error.message)
    }
}

impl ffi::KernelStatus {
    pub fn ok() -> Self {
        Self::failed(ffi::StatusCode::Ok, String::new())
    }

    fn failed(code: ffi::StatusCode, message: impl Into<String>) -> Self {
        Self {
            code,
            category: ffi::ErrorCategory::Internal,
            message: message.into(),
        }
    }

    pub fn is_ok(&self) -> bool {
        self.code == ffi::StatusCode::Ok
    }
}

/// Runs `body`, turning its error or panic into a status; nothing unwinds past here.
///
/// `operation` names the call in messages. The closure is asserted unwind-safe: after a
/// panic the only state it could leave half-written is the caller's output buffer, and
/// the status tells the caller to discard that buffer.
pub(crate) fn guarded(
    operation: &str,
    body: impl FnOnce() -> Result<(), BridgeError>,
) -> ffi::KernelStatus {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => ffi::KernelStatus::ok(),
        Ok(Err(BridgeError::Input(category, message))) => ffi::KernelStatus {
            code: ffi::StatusCode::InputError,
            category,
            message,
        },
        Ok(Err(BridgeError::Internal(message))) => {
            ffi::KernelStatus::failed(ffi::StatusCode::Internal, format!("{operation}: {message}"))
        }
        Ok(Err(BridgeError::Injected(message))) => ffi::KernelStatus::failed(
            ffi::StatusCode::InjectedFault,
            format!("{operation}: injected fault: {message}"),
        ),
        Err(payload) => ffi::KernelStatus::failed(
            ffi::StatusCode::Panic,
            format!(
                "{operation}: Rust panic: {}",
                panic_message(payload.as_ref())
            ),
        ),
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(message) = payload.downcast_ref::<&'static str>() {
        message
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message
    } else {
        "non-string panic payload"
    }
}

/// Converts a C++ dimension to `usize` (lossless on every platform imgkit supports).
pub(crate) fn dimension(value: u32) -> usize {
    usize::try_from(value).expect("u32 fits in usize on supported targets")
}

/// Borrows a C++ input image as a kernel view, checking `samples` against `shape`.
pub(crate) fn view<'a>(
    shape: &ffi::ImageShape,
    samples: &'a [u8],
) -> Result<ImageView<'a>, BridgeError> {
    Ok(ImageView::new(
        samples,
        dimension(shape.width),
        dimension(shape.height),
        dimension(shape.channels),
    )?)
}

/// Borrows a C++ output image as a kernel view, checking `samples` against `shape`.
pub(crate) fn view_mut<'a>(
    shape: &ffi::ImageShape,
    samples: &'a mut [u8],
) -> Result<ImageViewMut<'a>, BridgeError> {
    Ok(ImageViewMut::new(
        samples,
        dimension(shape.width),
        dimension(shape.height),
        dimension(shape.channels),
    )?)
}

/// Declares `component`'s entry failpoint (see [`imgkit_failpoints::declare_component`]).
pub fn declare_component_failpoint(component: &str) -> ffi::KernelStatus {
    guarded("declare_component_failpoint", || {
        imgkit_failpoints::declare_component(component)
            .map_err(|message| BridgeError::Input(ffi::ErrorCategory::InvalidArgument, message))
    })
}

/// Configures Rust failpoint `name` (see [`imgkit_failpoints::configure`]).
pub fn configure_failpoint(name: &str, actions: &str) -> ffi::KernelStatus {
    guarded("configure_failpoint", || {
        imgkit_failpoints::configure(name, actions).map_err(|message| {
            if imgkit_failpoints::COMPILED_IN {
                BridgeError::Input(ffi::ErrorCategory::InvalidArgument, message)
            } else {
                BridgeError::Internal(message)
            }
        })
    })
}

/// Removes Rust failpoint `name`; a no-op if it is not configured.
pub fn remove_failpoint(name: &str) {
    imgkit_failpoints::remove(name);
}

/// Removes every Rust failpoint.
pub fn remove_all_failpoints() {
    imgkit_failpoints::remove_all();
}

/// Every Rust failpoint's name ([`imgkit_failpoints::names`]): the declared components'
/// entries and the finer points.
pub fn failpoint_names() -> Vec<String> {
    imgkit_failpoints::names()
        .iter()
        .map(|name| (*name).to_owned())
        .collect()
}

/// Whether this build has failpoints.
pub fn failpoints_compiled_in() -> bool {
    imgkit_failpoints::COMPILED_IN
}

/// The instruction set the kernels run at ([`imgkit_kernels::simd::active_level`]).
pub fn kernel_simd_level() -> String {
    imgkit_kernels::simd::active_level().name().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_panic_status_with_its_message() {
        let status = guarded("probe", || panic!("kernel exploded"));
        assert_eq!(status.code, ffi::StatusCode::Panic);
        assert_eq!(status.message, "probe: Rust panic: kernel exploded");
    }

    #[test]
    fn a_formatted_panic_keeps_its_message() {
        let status = guarded("probe", || panic!("index {} out of range", 7));
        assert_eq!(status.code, ffi::StatusCode::Panic);
        assert!(
            status.message.ends_with("index 7 out of range"),
            "{}",
            status.message
        );
    }

    #[test]
    fn a_kernels_invalid_argument_is_an_input_error() {
        let status = guarded("probe", || {
            Err(KernelError::InvalidArgument("sigma must be positive".into()).into())
        });
        assert_eq!(status.code, ffi::StatusCode::InputError);
        assert_eq!(status.category, ffi::ErrorCategory::InvalidArgument);
        assert_eq!(status.message, "sigma must be positive");
    }

    #[test]
    fn a_codec_error_keeps_its_category() {
        for (category, expected) in [
            (
                ErrorCategory::InvalidArgument,
                ffi::ErrorCategory::InvalidArgument,
            ),
            (
                ErrorCategory::MalformedData,
                ffi::ErrorCategory::MalformedData,
            ),
            (ErrorCategory::Unsupported, ffi::ErrorCategory::Unsupported),
            (
                ErrorCategory::LimitExceeded,
                ffi::ErrorCategory::LimitExceeded,
            ),
        ] {
            let status = guarded("probe", || Err(CodecError::new(category, "bad").into()));
            assert_eq!(status.code, ffi::StatusCode::InputError);
            assert_eq!(status.category, expected);
            assert_eq!(status.message, "bad");
        }
    }

    #[test]
    fn a_codec_internal_error_is_not_the_callers() {
        let status = guarded("probe", || {
            Err(CodecError::new(ErrorCategory::Internal, "deflate failed").into())
        });
        assert_eq!(status.code, ffi::StatusCode::Internal);
        assert_eq!(status.category, ffi::ErrorCategory::Internal);
        assert!(
            status.message.ends_with("deflate failed"),
            "{}",
            status.message
        );
    }

    #[test]
    fn success_is_ok_with_no_message() {
        let status = guarded("probe", || Ok(()));
        assert!(status.is_ok());
        assert!(status.message.is_empty());
    }
}
