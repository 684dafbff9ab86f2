//! The one content hash of the build: names of hashed assets and index files, and shard keys. Below every
//! stage, because `derive` names index files and `write` names assets with it.

/// 64-bit FNV-1a: stable across Rust versions and platforms (unlike `std::hash`), and enough to tell builds
/// of an asset apart.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
