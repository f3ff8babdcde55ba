//! Status codes, panic catching and failpoint control shared by every bridge module.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use imgkit_kernels::KernelError;

pub use ffi::KernelStatus;

#[cxx::bridge(namespace = "imgkit::ffi")]
pub mod ffi {
    // ---- Shared types -------------------------------------------------------------

    /// How a bridged call ended. C++ maps every value with an exhaustive `switch`.
    #[derive(Debug)]
    enum StatusCode {
        /// The output buffer holds the result.
        Ok,
        /// The caller's arguments were rejected, as legacy would reject them.
        InvalidInput,
        /// The Rust side panicked; the panic was caught here.
        Panic,
        /// A failpoint asked this call to fail.
        InjectedFault,
        /// Anything else that went wrong on the Rust side.
        Internal,
    }

    /// The outcome of one bridged call: a code and, unless `Ok`, a message for people.
    #[derive(Debug)]
    struct KernelStatus {
        code: StatusCode,
        message: String,
    }

    // ---- Rust functions C++ may call -----------------------------------------------
    extern "Rust" {
        /// Configures failpoint `name` with fail-rs actions, e.g. `"panic"`,
        /// `"50%return"`, `"off"`. `InvalidInput` if the actions do not parse, `Internal`
        /// if this build has no failpoints.
        fn configure_failpoint(name: &str, actions: &str) -> KernelStatus;
        /// Removes failpoint `name` (a no-op if it is not configured).
        fn remove_failpoint(name: &str);
    }
}

/// Why a bridged call did not produce a result, before it becomes a [`ffi::KernelStatus`].
#[derive(Debug)]
pub(crate) enum BridgeError {
    Kernel(KernelError),
    Injected(String),
}

impl BridgeError {
    /// The error a `return` failpoint action produces; its argument, if any, is the
    /// message.
    pub(crate) fn injected(arg: Option<String>) -> Self {
        BridgeError::Injected(arg.unwrap_or_else(|| "return".to_owned()))
    }
}

impl From<KernelError> for BridgeError {
    fn from(error: KernelError) -> Self {
        BridgeError::Kernel(error)
    }
}

impl ffi::KernelStatus {
    pub fn ok() -> Self {
        Self {
            code: ffi::StatusCode::Ok,
            message: String::new(),
        }
    }

    fn failed(code: ffi::StatusCode, message: impl Into<String>) -> Self {
        Self {
            code,
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
        Ok(Err(BridgeError::Kernel(KernelError::InvalidArgument(message)))) => {
            ffi::KernelStatus::failed(ffi::StatusCode::InvalidInput, message)
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

#[cfg(feature = "failpoints")]
pub fn configure_failpoint(name: &str, actions: &str) -> ffi::KernelStatus {
    match fail::cfg(name, actions) {
        Ok(()) => ffi::KernelStatus::ok(),
        Err(message) => ffi::KernelStatus::failed(
            ffi::StatusCode::InvalidInput,
            format!("failpoint {name}: bad actions {actions:?}: {message}"),
        ),
    }
}

#[cfg(not(feature = "failpoints"))]
pub fn configure_failpoint(name: &str, _actions: &str) -> ffi::KernelStatus {
    ffi::KernelStatus::failed(
        ffi::StatusCode::Internal,
        format!("failpoint {name}: this build has no failpoints (feature `failpoints` off)"),
    )
}

pub fn remove_failpoint(name: &str) {
    fail::remove(name);
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
    fn an_invalid_argument_maps_to_invalid_input() {
        let status = guarded("probe", || {
            Err(KernelError::InvalidArgument("sigma must be positive".into()).into())
        });
        assert_eq!(status.code, ffi::StatusCode::InvalidInput);
        assert_eq!(status.message, "sigma must be positive");
    }

    #[test]
    fn success_is_ok_with_no_message() {
        let status = guarded("probe", || Ok(()));
        assert!(status.is_ok());
        assert!(status.message.is_empty());
    }
}
