//! The shell of every export: failpoints set up once, panics caught, the failure turned
//! into a status and the thread's last error.

use std::cell::RefCell;
use std::ffi::{c_char, c_int, CString};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use imgkit_codecs::{CodecError, ErrorCategory};
use imgkit_failpoints::{injected, Injection};
use imgkit_kernels::KernelError;

use crate::{
    IMGKIT_ERR_INTERNAL, IMGKIT_ERR_INVALID_ARGUMENT, IMGKIT_ERR_LIMIT_EXCEEDED,
    IMGKIT_ERR_MALFORMED_DATA, IMGKIT_ERR_UNSUPPORTED, IMGKIT_OK,
};

/// Why a call failed: its status and the detail `imgkit_last_error` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub(crate) status: c_int,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self {
            status: IMGKIT_ERR_INVALID_ARGUMENT,
            message: message.into(),
        }
    }

    pub(crate) fn limit(message: impl Into<String>) -> Self {
        Self {
            status: IMGKIT_ERR_LIMIT_EXCEEDED,
            message: message.into(),
        }
    }
}

impl From<KernelError> for Failure {
    fn from(error: KernelError) -> Self {
        match error {
            KernelError::InvalidArgument(message) => Failure::invalid(message),
        }
    }
}

impl From<CodecError> for Failure {
    fn from(error: CodecError) -> Self {
        let status = match error.category {
            ErrorCategory::InvalidArgument => IMGKIT_ERR_INVALID_ARGUMENT,
            ErrorCategory::MalformedData => IMGKIT_ERR_MALFORMED_DATA,
            ErrorCategory::Unsupported => IMGKIT_ERR_UNSUPPORTED,
            ErrorCategory::LimitExceeded => IMGKIT_ERR_LIMIT_EXCEEDED,
            ErrorCategory::Internal => IMGKIT_ERR_INTERNAL,
        };
        Self {
            status,
            message: error.message,
        }
    }
}

/// The components this library exports, in the order of the C++ catalog: each has the
/// failpoint `imgkit::<component>`. The header test holds this list to the exports.
pub(crate) const COMPONENTS: [&str; 18] = [
    "decode_pnm",
    "encode_pnm",
    "decode_png",
    "encode_png",
    "convolve",
    "gaussian_blur",
    "box_blur",
    "sobel",
    "unsharp_mask",
    "median_blur",
    "resize",
    "flip",
    "rotate90",
    "to_grayscale",
    "histogram",
    "equalize",
    "otsu_level",
    "otsu_threshold",
];

/// Declares the entry failpoints and applies `$FAILPOINTS` ("name=actions;..."), once.
/// A spec that does not parse is reported on stderr and ignored, as in `libimgkit.so`.
fn set_up_failpoints() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for component in COMPONENTS {
            imgkit_failpoints::declare_component(component).expect("a valid component name");
        }
        let Ok(spec) = std::env::var("FAILPOINTS") else {
            return;
        };
        for entry in spec.split(';').filter(|entry| !entry.trim().is_empty()) {
            let applied = entry
                .split_once('=')
                .ok_or_else(|| format!("{entry:?} is not name=actions"))
                .and_then(|(name, actions)| {
                    imgkit_failpoints::configure(name.trim(), actions.trim())
                });
            if let Err(message) = applied {
                eprintln!("imgkit: FAILPOINTS ignored: {message}");
            }
        }
    });
}

/// The failpoint at `component`'s entry: `Err` when it injects a failure (a `panic` there
/// unwinds into [`guarded`]). `return(corrupt)` changes nothing here: it exists for
/// shadow comparisons, which the C API does not make.
pub(crate) fn entry(point: &'static str) -> Result<(), Failure> {
    match injected(point) {
        None | Some(Injection::Corrupt) => Ok(()),
        Some(Injection::Error(message)) => Err(Failure {
            status: IMGKIT_ERR_INTERNAL,
            message: format!(
                "{point}: injected failure{}",
                message.map(|m| format!(": {m}")).unwrap_or_default()
            ),
        }),
    }
}

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

fn set_last_error(message: &str) {
    // An interior NUL would truncate the C string; none of ours has one, but be exact.
    let message = CString::new(message.replace('\0', " ")).unwrap_or_default();
    LAST_ERROR.with(|last| *last.borrow_mut() = message);
}

/// The calling thread's last error, valid until its next call that fails.
pub(crate) fn last_error() -> *const c_char {
    LAST_ERROR.with(|last| last.borrow().as_ptr())
}

/// Runs one export's body: a panic inside becomes [`IMGKIT_ERR_INTERNAL`] (nothing
/// unwinds out of `extern "C"`), a failure its status; either is recorded as the thread's
/// last error.
pub(crate) fn guarded(name: &str, body: impl FnOnce() -> Result<(), Failure>) -> c_int {
    set_up_failpoints();
    let failure = match panic::catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return IMGKIT_OK,
        Ok(Err(failure)) => failure,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic".to_owned());
            Failure {
                status: IMGKIT_ERR_INTERNAL,
                message: format!("{name}: panicked: {what}"),
            }
        }
    };
    set_last_error(&failure.message);
    failure.status
}
