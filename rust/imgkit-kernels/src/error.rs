use std::fmt;

/// Why a kernel refused its arguments.
///
/// Mirrors the categories of `imgkit::Error` that a kernel can produce; the bridge maps
/// each variant to the same category so that both implementations reject bad input
/// alike (DESIGN invariant 6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KernelError {
    /// An argument is outside the documented domain (legacy `kInvalidArgument`).
    InvalidArgument(String),
}

impl fmt::Display for KernelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KernelError::InvalidArgument(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for KernelError {}

pub(crate) fn invalid(message: impl Into<String>) -> KernelError {
    KernelError::InvalidArgument(message.into())
}
