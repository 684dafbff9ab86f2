//! Detectors: each turns the paste into signals with the byte span they came from.
//!
//! They borrow the paste, allocate little, and make one pass each, so the engine stays linear in the size
//! of what is pasted. None of them fails: what looks like something but cannot be read is reported by the
//! engine as [`crate::Unreadable`].

pub(crate) mod cert;
pub(crate) mod code;
pub(crate) mod decode_error;
pub(crate) mod event;
pub(crate) mod event_xml;
pub(crate) mod freerdp;
pub(crate) mod freerdp_tls;
pub(crate) mod guacd;
pub(crate) mod message;
pub(crate) mod openssl_text;
pub(crate) mod pem;
pub(crate) mod port_test;
pub(crate) mod private_key;
pub(crate) mod scan;
pub(crate) mod xrdp;
