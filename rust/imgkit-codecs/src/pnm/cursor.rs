//! The tokenizer the header and the plain rasters share.

use super::malformed;
use crate::error::CodecError;

pub(super) fn is_pnm_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn is_line_end(byte: u8) -> bool {
    byte == b'\n' || byte == b'\r'
}

/// `'x'` for a printable byte, `byte N` otherwise (as legacy words it).
pub(super) fn describe_byte(byte: u8) -> String {
    if (0x21..=0x7e).contains(&byte) {
        format!("'{}'", char::from(byte))
    } else {
        format!("byte {byte}")
    }
}

/// Walks the encoded file. Plain rasters and the header share one tokenizer so that
/// comments are accepted in exactly the same places in both (as in legacy's `PnmCursor`).
pub(super) struct Cursor<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) position: usize,
    /// Where the last number read by `read_decimal` starts.
    pub(super) token_start: usize,
}

impl Cursor<'_> {
    #[inline(always)]
    pub(super) fn remaining(&self) -> usize {
        self.bytes.len() - self.position
    }

    #[inline(always)]
    pub(super) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.position).copied()
    }

    /// A comment counts as whitespace; it ends with its line terminator, which it
    /// consumes.
    pub(super) fn skip_comment(&mut self) {
        let rest = &self.bytes[self.position..];
        self.position += match rest.iter().position(|&b| is_line_end(b)) {
            Some(end) => end + 1,
            None => rest.len(),
        };
    }

    #[inline(always)]
    pub(super) fn skip_separators(&mut self) {
        while let Some(byte) = self.peek() {
            if byte == b'#' {
                self.skip_comment();
            } else if is_pnm_whitespace(byte) {
                self.position += 1;
            } else {
                return;
            }
        }
    }

    /// `Ok(None)` when the data ends before a number starts. Values too large for `u64`
    /// saturate; every caller range-checks what it gets.
    #[inline(always)]
    pub(super) fn read_decimal(&mut self, field: &str) -> Result<Option<u64>, CodecError> {
        self.skip_separators();
        let Some(first) = self.peek() else {
            return Ok(None);
        };
        if !first.is_ascii_digit() {
            return Err(malformed(format_args!(
                "expected a decimal {field}, found {} at byte {}",
                describe_byte(first),
                self.position
            )));
        }
        self.token_start = self.position;
        let mut value: u64 = 0;
        while let Some(byte) = self.peek() {
            if !byte.is_ascii_digit() {
                break;
            }
            let digit = u64::from(byte - b'0');
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(digit))
                .unwrap_or(u64::MAX);
            self.position += 1;
        }
        if let Some(byte) = self.peek() {
            if !is_pnm_whitespace(byte) && byte != b'#' {
                return Err(malformed(format_args!(
                    "unexpected {} after {field} at byte {}",
                    describe_byte(byte),
                    self.position
                )));
            }
        }
        Ok(Some(value))
    }

    /// The single whitespace byte that separates maxval from a binary raster; a comment
    /// in its place ends with its line terminator, which then serves as that byte.
    pub(super) fn skip_raster_separator(&mut self) -> Result<(), CodecError> {
        match self.peek() {
            None => Err(malformed(format_args!(
                "truncated header: no whitespace after maxval (file ends at byte {})",
                self.position
            ))),
            Some(b'#') => {
                self.skip_comment();
                Ok(())
            }
            Some(_) => {
                self.position += 1;
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cursor(bytes: &[u8]) -> Cursor<'_> {
        Cursor {
            bytes,
            position: 0,
            token_start: 0,
        }
    }

    #[test]
    fn describe_byte_quotes_printable_bytes_only() {
        assert_eq!(describe_byte(b'x'), "'x'");
        assert_eq!(describe_byte(b'!'), "'!'");
        assert_eq!(describe_byte(b'~'), "'~'");
        assert_eq!(describe_byte(b' '), "byte 32");
        assert_eq!(describe_byte(0x7f), "byte 127");
        assert_eq!(describe_byte(0), "byte 0");
    }

    #[test]
    pub(super) fn read_decimal_saturates_and_records_where_the_token_starts() {
        let mut c = cursor(b" #c\n 99999999999999999999 7#x");
        assert_eq!(c.read_decimal("a"), Ok(Some(u64::MAX)));
        assert_eq!(c.token_start, 5);
        assert_eq!(c.read_decimal("b"), Ok(Some(7)));
        assert_eq!(c.token_start, 26);
        assert_eq!(c.read_decimal("c"), Ok(None));
        let mut c = cursor(b"18446744073709551615 18446744073709551614");
        assert_eq!(c.read_decimal("a"), Ok(Some(u64::MAX)));
        assert_eq!(c.read_decimal("b"), Ok(Some(u64::MAX - 1)));
    }

    #[test]
    fn a_comment_without_a_line_end_runs_to_the_end() {
        let mut c = cursor(b"# no end");
        c.skip_separators();
        assert_eq!(c.position, 8);
        let mut c = cursor(b"#");
        assert!(c.skip_raster_separator().is_ok());
        assert_eq!(c.remaining(), 0);
    }
}
