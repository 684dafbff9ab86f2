//! Why a certificate or PEM block could not be read: one type for base64, PEM and DER, one variant per way
//! the input is wrong (as x509-parser's `X509Error`), so the engine matches on a kind rather than a string.
//! The words are what the report's `unreadable[].why` shows, unchanged.

use std::fmt;

/// A way pasted certificate text or bytes fail to decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DecodeError {
    /// A character outside base64's alphabet.
    Base64Character,
    /// Base64 characters after the `=` padding.
    Base64AfterPadding,
    /// A base64 length no encoder makes (one character past a multiple of four).
    Base64CutOff,
    /// A PEM block with nothing between BEGIN and END.
    EmptyBlock,
    /// A PEM block whose END line never comes.
    NoEndLine,
    /// DER whose outer element is cut off or malformed.
    DerCutOff,
    /// DER that is not an X.509 certificate, with the decoder's words.
    NotX509(String),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Base64Character => {
                f.write_str("the base64 text contains a character base64 does not use")
            }
            DecodeError::Base64AfterPadding => {
                f.write_str("the base64 text goes on after its `=` padding")
            }
            DecodeError::Base64CutOff => {
                f.write_str("the base64 text is cut off (its length is not possible)")
            }
            DecodeError::EmptyBlock => f.write_str("the block is empty"),
            DecodeError::NoEndLine => {
                f.write_str("the block has no END line: the paste seems cut off")
            }
            DecodeError::DerCutOff => f.write_str("the certificate's DER is cut off or malformed"),
            DecodeError::NotX509(e) => write!(f, "the DER does not decode as X.509 ({e})"),
        }
    }
}
