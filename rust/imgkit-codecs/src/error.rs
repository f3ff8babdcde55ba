use std::fmt;

/// The category of a codec failure, the same five as the C++ `imgkit::ErrorCategory`,
/// so that both implementations reject bad input alike (DESIGN invariant 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCategory {
    /// An argument outside the documented domain (for example empty input, a buffer of
    /// the wrong size).
    InvalidArgument,
    /// Truncated, corrupt or not the claimed format.
    MalformedData,
    /// Well-formed but outside what is implemented.
    Unsupported,
    /// The image needs more than the limits allow.
    LimitExceeded,
    /// A bug or an environment failure.
    Internal,
}

/// Why a codec refused its input: a category to branch on and a message for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodecError {
    pub category: ErrorCategory,
    pub message: String,
}

impl CodecError {
    pub fn new(category: ErrorCategory, message: impl Into<String>) -> Self {
        Self {
            category,
            message: message.into(),
        }
    }
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CodecError {}
