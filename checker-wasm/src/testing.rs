//! Test fixtures shared by the unit tests: a small knowledge index with rows from the RDP fact sheet
//! (`tests/fixtures/index.json`, also used by the integration tests, the benchmark and the fuzz targets),
//! and a fixed `now`.

use time::macros::datetime;
use time::OffsetDateTime;

use crate::KnowledgeIndex;

/// The fixture index.
pub(crate) fn index() -> KnowledgeIndex {
    serde_json::from_str(include_str!("../tests/fixtures/index.json"))
        .expect("fixture index parses")
}

/// The instant all tests diagnose at.
pub(crate) fn now() -> OffsetDateTime {
    datetime!(2026-11-23 12:00:00 UTC)
}

/// A tiny xorshift generator: reproducible randomness without a dependency.
pub(crate) struct Rng(pub(crate) u64);
impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Certificates for tests, made by rcgen (ECDSA P-256 keys). No key is ever written to disk.
pub(crate) mod certs {
    use rcgen::{
        date_time_ymd, BasicConstraints, CertificateParams, CertifiedIssuer, DnType,
        ExtendedKeyUsagePurpose, IsCa, KeyPair,
    };

    /// What a test certificate looks like.
    pub(crate) struct Spec<'a> {
        pub(crate) cn: &'a str,
        pub(crate) sans: &'a [&'a str],
        pub(crate) from: (i32, u8, u8),
        pub(crate) until: (i32, u8, u8),
        pub(crate) eku: Option<Vec<ExtendedKeyUsagePurpose>>,
    }

    impl Default for Spec<'_> {
        fn default() -> Self {
            Spec {
                cn: "WIN-SRV01",
                sans: &["win-srv01.contoso.local"],
                from: (2025, 1, 1),
                until: (2027, 1, 1),
                eku: Some(vec![ExtendedKeyUsagePurpose::ServerAuth]),
            }
        }
    }

    fn params(spec: &Spec<'_>) -> CertificateParams {
        let sans: Vec<String> = spec.sans.iter().map(|s| s.to_string()).collect();
        let mut p = CertificateParams::new(sans).expect("valid SANs");
        p.distinguished_name.push(DnType::CommonName, spec.cn);
        p.not_before = date_time_ymd(spec.from.0, spec.from.1, spec.from.2);
        p.not_after = date_time_ymd(spec.until.0, spec.until.1, spec.until.2);
        p.extended_key_usages = spec.eku.clone().unwrap_or_default();
        p
    }

    /// A self-signed end-entity certificate, as PEM.
    pub(crate) fn self_signed(spec: Spec<'_>) -> String {
        let key = KeyPair::generate().expect("key");
        params(&spec).self_signed(&key).expect("certificate").pem()
    }

    /// A chain: (leaf, intermediate, root), each as PEM. The intermediate expires on `ca_until`.
    pub(crate) fn chain(leaf: Spec<'_>, ca_until: (i32, u8, u8)) -> (String, String, String) {
        let ca = |cn: &str, until: (i32, u8, u8)| {
            let mut p = params(&Spec {
                cn,
                sans: &[],
                until,
                eku: None,
                ..Spec::default()
            });
            p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            p
        };
        let root = CertifiedIssuer::self_signed(
            ca("Contoso Root CA", (2035, 1, 1)),
            KeyPair::generate().expect("key"),
        )
        .expect("root");
        let inter = CertifiedIssuer::signed_by(
            ca("Contoso Issuing CA", ca_until),
            KeyPair::generate().expect("key"),
            &root,
        )
        .expect("intermediate");
        let leaf_key = KeyPair::generate().expect("key");
        let leaf = params(&leaf).signed_by(&leaf_key, &inter).expect("leaf");
        (leaf.pem(), inter.pem(), root.pem())
    }

    /// A fresh PKCS#8 private key, as PEM (for the "never echoed" tests).
    pub(crate) fn private_key_pem() -> String {
        KeyPair::generate().expect("key").serialize_pem()
    }
}
