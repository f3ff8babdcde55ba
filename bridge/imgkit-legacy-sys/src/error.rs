//! What a legacy call threw, in Rust terms.

use std::fmt;

use crate::bindings::imgkit;

/// The category of the `imgkit::Error` a legacy call threw (`imgkit::ErrorCategory`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCategory {
    InvalidArgument,
    MalformedData,
    Unsupported,
    LimitExceeded,
    /// Also any exception other than `imgkit::Error`.
    Internal,
}

impl From<&imgkit::ErrorCategory> for ErrorCategory {
    fn from(category: &imgkit::ErrorCategory) -> Self {
        match category {
            imgkit::ErrorCategory::kInvalidArgument => Self::InvalidArgument,
            imgkit::ErrorCategory::kMalformedData => Self::MalformedData,
            imgkit::ErrorCategory::kUnsupported => Self::Unsupported,
            imgkit::ErrorCategory::kLimitExceeded => Self::LimitExceeded,
            imgkit::ErrorCategory::kInternal => Self::Internal,
        }
    }
}

/// What a legacy call threw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyError {
    pub category: ErrorCategory,
    /// The exception's `what()`, for people.
    pub message: String,
}

impl fmt::Display for LegacyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.category, self.message)
    }
}

impl std::error::Error for LegacyError {}
