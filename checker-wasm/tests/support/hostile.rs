//! Hostile paste shapes: text that is cheap to paste and was (or could be) expensive to read. Each builds a
//! paste of about `size` bytes by repeating one unit; `n` varies inside a unit so nothing dedups for free.
//!
//! Shared by `tests/linearity.rs` (which times 100 KB, 1 MB and 10 MB of each) and `benches/hostile.rs`.

#![allow(dead_code)]

/// A shape: its name and a function building about `size` bytes of it.
pub(crate) struct Shape {
    pub(crate) name: &'static str,
    pub(crate) make: fn(usize) -> String,
}

/// Repeats `unit(n)` for n = 0, 1, 2 ... until `size` bytes are written.
fn repeat(size: usize, unit: impl Fn(usize) -> String) -> String {
    let mut out = String::with_capacity(size + 256);
    let mut n = 0;
    while out.len() < size {
        out.push_str(&unit(n));
        n += 1;
    }
    out
}

/// Every shape, in the order the issue lists them, then the ones of the same class found since.
pub(crate) const SHAPES: &[Shape] = &[
    // The four.
    Shape {
        name: "pem_begin_one_line",
        make: |s| repeat(s, |_| "-----BEGIN CERTIFICATE-----".to_string()),
    },
    Shape {
        name: "remote_computer_lines",
        make: |s| repeat(s, |n| format!("Remote computer: h{n}.example\n")),
    },
    Shape {
        name: "same_code_repeated",
        make: |s| repeat(s, |_| "0x80090328 ".to_string()),
    },
    Shape {
        name: "test_netconnection_blocks",
        make: |s| {
            repeat(s, |n| {
                format!(
                    "ComputerName     : h{n}.example\nRemoteAddress    : 10.{}.{}.{}\nRemotePort       : 3389\n\
                     InterfaceAlias   : Ethernet\nSourceAddress    : 10.0.0.20\nTcpTestSucceeded : {}\n\n",
                    (n >> 16) & 255,
                    (n >> 8) & 255,
                    n & 255,
                    if n % 2 == 0 { "False" } else { "True" }
                )
            })
        },
    },
    // Same class: many of one kind of line, or one line that never ends.
    Shape {
        name: "event_id_lines",
        make: |s| {
            repeat(s, |n| {
                format!("Source: Schannel\nEvent ID: {}\n", 36000 + n % 2000)
            })
        },
    },
    Shape {
        name: "freerdp_error_lines",
        make: |s| {
            repeat(s, |n| {
                format!(
                    "[14:11:40:{:03}] [20433:20434] [ERROR][com.freerdp.core] - transport_connect_tls:freerdp_set_last_error_ex ERRCONNECT_TLS_CONNECT_FAILED [0x{:08x}]\n",
                    n % 1000,
                    0x20000 + n % 4096
                )
            })
        },
    },
    Shape {
        name: "pem_begin_without_end",
        make: |s| repeat(s, |n| format!("-----BEGIN CERTIFICATE-----\nMIIB{n:060}\n")),
    },
    Shape {
        name: "pem_begin_unclosed_one_line",
        make: |s| repeat(s, |n| format!("-----BEGIN CERT{n} ")),
    },
    Shape {
        name: "distinct_codes",
        make: |s| {
            repeat(s, |n| {
                format!("0x{:08x} ", 0x8000_0000u32.wrapping_add(n as u32))
            })
        },
    },
    Shape {
        name: "distinct_codes_lines",
        make: |s| {
            repeat(s, |n| {
                format!(
                    "Error code: 0x{:x}\n",
                    0x8009_0000u32.wrapping_add(n as u32)
                )
            })
        },
    },
    Shape {
        name: "long_line_of_words",
        make: |s| {
            repeat(s, |n| {
                format!("the error code is {} and the remote computer ", n % 977)
            })
        },
    },
    Shape {
        name: "base64_one_line",
        make: |s| {
            repeat(s, |_| {
                "MIIBAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".to_string()
            })
        },
    },
    Shape {
        name: "base64_lines",
        make: |s| {
            repeat(s, |_| {
                "MIIBAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n".to_string()
            })
        },
    },
    Shape {
        name: "putty_headers",
        make: |s| {
            repeat(s, |n| {
                format!("PuTTY-User-Key-File-3: ssh-ed25519\nComment: k{n}\n")
            })
        },
    },
    Shape {
        name: "openssl_text_certs",
        make: |s| {
            repeat(s, |n| {
                format!(
                    "Certificate:\n    Data:\n        Serial Number: {n}\n        Issuer: CN = ca{n}\n        Validity\n            \
                     Not Before: Nov  3 20:36:30 2026 GMT\n            Not After : Dec 30 20:36:30 2027 GMT\n        \
                     Subject: CN = h{n}.example\n"
                )
            })
        },
    },
    Shape {
        name: "guacd_xrdp_lines",
        make: |s| {
            repeat(s, |n| {
                format!(
                    "Aug  7 08:50:58 gw01 guacd[{n}]: RDP server closed/refused connection: Server refused connection {n}\n\
                     [20240301-09:41:07] [ERROR] SSL: error:0A0000C1:SSL routines::no shared cipher {n}\n"
                )
            })
        },
    },
    Shape {
        name: "valid_certificates",
        make: |s| {
            repeat(s, |_| {
                include_str!("../../fuzz/corpus/replay/ec-cert.pem").to_string()
            })
        },
    },
    Shape {
        name: "private_key_blocks",
        make: |s| {
            repeat(s, |n| {
                format!("-----BEGIN PRIVATE KEY-----\nMIGH{n:060}\n-----END PRIVATE KEY-----\n")
            })
        },
    },
    Shape {
        name: "openssh_body_markers",
        make: |s| repeat(s, |n| format!("b3BlbnNzaC1rZXktdjE{n} ")),
    },
    Shape {
        name: "sshcom_begin_repeated",
        make: |s| {
            repeat(s, |_| {
                "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----".to_string()
            })
        },
    },
    Shape {
        name: "putty_in_json_repeated",
        make: |s| {
            repeat(s, |n| {
                format!("{{\"k\": \"PuTTY-User-Key-File-3: ssh-ed25519\\nComment: {n}\\n\"}}")
            })
        },
    },
    Shape {
        name: "quoted_dashes_line",
        make: |s| repeat(s, |_| "> -----END ----- ---- ".to_string()),
    },
];
