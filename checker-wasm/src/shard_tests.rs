//! Shards: a partial index assembled from exactly the buckets a paste needs gives the whole index's report.
//! Every engine and stage test's paste goes through [`checked`], so each is also a sharding test.

use std::collections::BTreeMap;

use time::OffsetDateTime;

use super::*;
use crate::testing::{index, now};
use crate::Report;

/// Tiny buckets, so that a paste loads a strict subset of a small index.
const TEST_BUCKET_BYTES: usize = 200;

/// The files of `index` split into tiny buckets, by path.
fn files(index: &KnowledgeIndex) -> (String, BTreeMap<String, String>) {
    let mut files = BTreeMap::new();
    let common = write_shards_sized(index, TEST_BUCKET_BYTES, |path, json| {
        files.insert(path.to_string(), String::from_utf8(json.to_vec()).unwrap());
        Ok::<(), ()>(())
    })
    .unwrap();
    (common, files)
}

/// Loads what `paste` needs as the worker does (each bucket's file once); returns the partial index and
/// the number of buckets loaded.
pub(crate) fn load(
    common: &str,
    files: &BTreeMap<String, String>,
    paste: &str,
    now: OffsetDateTime,
) -> (Partial, usize) {
    let mut p = Partial::from_common(common).unwrap();
    let need = p.needed(paste, now);
    for &b in &need {
        let path = p.path(b).unwrap();
        p.add_json(b, &files[&path]).unwrap();
    }
    assert!(
        p.needed(paste, now).is_empty(),
        "one round brings every bucket"
    );
    (p, need.len())
}

/// Diagnoses `paste` with `index` and with the partial index its shards make; asserts the two reports
/// serialise the same, and returns it.
pub(crate) fn checked(paste: &str, index: &KnowledgeIndex, now: OffsetDateTime) -> Report {
    let full = diagnose(paste, index, now);
    let (common, files) = files(index);
    let (partial, _) = load(&common, &files, paste, now);
    let part = diagnose(paste, &partial.index(), now);
    assert_eq!(
        serde_json::to_string(&part).unwrap(),
        serde_json::to_string(&full).unwrap(),
        "the sharded index gives another report for:\n{paste}"
    );
    full
}

#[test]
fn every_bucket_together_is_the_whole_index() {
    let idx = index();
    let (common, files) = files(&idx);
    let mut p = Partial::from_common(&common).unwrap();
    let n = p.common.shards.len();
    assert!(n > 8, "the fixture should split into many buckets: {n}");
    for b in 0..n {
        if let Some(path) = p.path(b) {
            p.add_json(b, &files[&path]).unwrap();
        }
    }
    let mut whole = p.index();
    assert!(
        whole.tables.iter().any(|t| t.families != 0),
        "families are kept"
    );
    for t in &mut whole.tables {
        t.families = 0;
    }
    assert_eq!(whole, idx);
}

#[test]
fn a_dialog_loads_a_strict_subset_and_reports_the_same() {
    let idx = index();
    let (common, files) = files(&idx);
    let dialog = crate::engine::tests::DIALOG;
    let (p, loaded) = load(&common, &files, dialog, now());
    assert!(loaded > 0);
    assert!(
        loaded < files.len() / 2,
        "a dialog loaded {loaded} of {} buckets",
        files.len()
    );
    let r = diagnose(dialog, &p.index(), now());
    assert!(!r.causes.is_empty());
    checked(dialog, &idx, now());
}

#[test]
fn cause_phrases_and_findings_bring_their_causes() {
    // A cause's own `text` signal, not an error page's message.
    checked(
        "This could be due to CredSSP encryption oracle remediation.",
        &index(),
        now(),
    );
    checked(crate::engine::tests::TNC_FAILED, &index(), now());
    checked(crate::engine::tests::SCHANNEL, &index(), now());
}

#[test]
fn keys_cover_every_way_a_value_is_written() {
    let paste = "(Reason= 2308) Error code: -2146893043 NTSTATUS: C000006D 0X00000904 ERRINFO_X_Y";
    let mut keys = label_values(paste, &index());
    paste_keys(paste, |k| keys.push(k.to_string()));
    for k in [
        "v:0x904",
        "v:2308",
        "v:0x8009030d",
        "v:0xc000006d",
        "n:ERRINFO_X_Y",
        "w:reason",
    ] {
        assert!(keys.iter().any(|x| x == k), "{k} missing from {keys:?}");
    }
}

#[test]
fn guacd_reason_names_are_names() {
    for n in crate::detect::guacd::reason_names() {
        assert!(is_name(n), "{n}");
    }
}

#[test]
fn check_links_fetch_their_rows() {
    let idx = index();
    let (common, files) = files(&idx);
    let mut p = Partial::from_common(&common).unwrap();
    let spec = "0x904,extended:0x7,36870";
    for b in p.needed_for_codes(spec) {
        let path = p.path(b).unwrap();
        p.add_json(b, &files[&path]).unwrap();
    }
    assert!(p.needed_for_codes(spec).is_empty());
    assert_eq!(
        crate::paste_for_codes(spec, &p.index()),
        crate::paste_for_codes(spec, &idx)
    );
}

#[test]
fn an_unknown_version_is_refused() {
    let (common, _) = files(&index());
    let old = common.replacen(&format!("\"version\":{INDEX_VERSION}"), "\"version\":1", 1);
    assert!(Partial::from_common(&old).is_err());
}
