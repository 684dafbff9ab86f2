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

/// Loads what `paste` needs as the worker does, in its two rounds (each bucket's file once, then the
/// details of the causes the report lists); returns the partial index and the number of buckets loaded.
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
    let details = p.needed_details(paste, now);
    assert!(details.len() <= crate::limits::MAX_CAUSES);
    for &c in &details {
        let path = p.details_path(c).unwrap();
        p.add_details(c, &files[&path]).unwrap();
    }
    assert!(
        p.needed_details(paste, now).is_empty(),
        "the listed causes keep their rank with their details"
    );
    (p, need.len())
}

/// Diagnoses `paste` with `index` and with the partial index its shards make; asserts the two reports
/// serialise the same, and returns it.
pub(crate) fn checked(paste: &str, index: &KnowledgeIndex, now: OffsetDateTime) -> Report {
    let full = diagnose(paste, index, now);
    let (common, files) = files(index);
    let (partial, _) = load(&common, &files, paste, now);
    let part = partial.report(paste, now);
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
    for c in 0..idx.causes.len() {
        let path = p.details_path(c).unwrap();
        p.add_details(c, &files[&path]).unwrap();
    }
    let mut whole = p.index();
    // Buckets name causes by tokens; the details give them their ids back.
    let ids: HashMap<String, String> = p
        .loaded
        .iter()
        .flat_map(|(_, s)| &s.causes)
        .filter_map(|(i, c)| {
            Some((
                c.id.clone(),
                p.details.iter().find(|(l, _)| l == i)?.1.id.clone(),
            ))
        })
        .collect();
    let id = |t: &mut String| {
        if let Some(real) = ids.get(t.as_str()) {
            t.clone_from(real);
        }
    };
    whole.causes.iter_mut().for_each(|c| id(&mut c.id));
    whole
        .errors
        .iter_mut()
        .flat_map(|e| &mut e.causes)
        .for_each(|c| id(&mut c.id));
    whole
        .tables
        .iter_mut()
        .flat_map(|t| &mut t.rows)
        .flat_map(|r| &mut r.causes)
        .for_each(id);
    assert!(
        whole.tables.iter().any(|t| t.families != 0),
        "families are kept"
    );
    for t in &mut whole.tables {
        t.families = 0;
    }
    // Buckets carry error pages as ranking reads them: no id, URL, or title but the one a reason quotes.
    let mut idx = idx;
    for (e, w) in idx.errors.iter_mut().zip(&mut whole.errors) {
        if w.id.is_empty() {
            e.id.clear();
            e.url.clear();
        }
        if w.title.is_empty() {
            assert!(e.causes.iter().all(|c| c.why.is_empty()), "{}", e.title);
            e.title.clear();
        }
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
    let r = p.report(dialog, now());
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

/// The fixture with `extra` more causes listed by the 0x904/0x7 page, each with a reason and a fix, the
/// odd ones also confirmed by the dialog's message (so ranking mixes evidence with page ranks).
fn crowded(extra: usize) -> KnowledgeIndex {
    use crate::index::{CandidateCause, FixLink, WeightedSignal};
    let mut idx = index();
    let page = idx
        .errors
        .iter_mut()
        .find(|e| e.id == "error-0x904-0x7")
        .unwrap();
    for i in 0..extra {
        let id = format!("cause-extra-{i:02}");
        page.causes.push(CandidateCause {
            id: id.clone(),
            why: format!("Extra reason {i}."),
        });
        let signals = if i % 2 == 1 {
            vec![WeightedSignal {
                signal: SignalRule::Text("can't connect to the remote computer".into()),
                weight: 0.1 * (i % 7) as f64,
                stage: None,
            }]
        } else {
            Vec::new()
        };
        idx.causes.push(CauseEntry {
            id: id.clone(),
            title: format!("Extra cause {i}"),
            url: format!("/causes/extra-{i}/"),
            signals,
            fixes: vec![FixLink {
                id: format!("fix-extra-{i}"),
                title: format!("Extra fix {i}"),
                url: format!("/fixes/extra-{i}/#step"),
                step: Some("Step".into()),
            }],
            stage: None,
        });
    }
    idx
}

#[test]
fn a_report_past_the_cap_fetches_only_the_listed_causes_details_and_reports_the_same() {
    use crate::limits::MAX_CAUSES;
    let mut idx = crowded(3 * MAX_CAUSES);
    idx.notes.more_causes = "Paste the server's events to narrow them down.".into();
    let dialog = crate::engine::tests::DIALOG;
    let r = checked(dialog, &idx, now());
    let all = diagnose(dialog, &index(), now()).causes.len() + 3 * MAX_CAUSES;
    assert_eq!(r.causes.len(), MAX_CAUSES);
    assert_eq!(r.more_causes, all - MAX_CAUSES);
    assert!(r.causes.iter().any(|c| c.id.starts_with("cause-extra-")));
    assert!(r
        .causes
        .iter()
        .all(|c| !c.title.is_empty() && !c.fixes.is_empty()));
    let note = format!(
        "{} weaker candidate causes are not listed. Paste the server's events to narrow them down.",
        all - MAX_CAUSES
    );
    assert!(r.notes.contains(&note), "{:?}", r.notes);
    let json = serde_json::to_string(&r).unwrap();
    assert!(json.contains(&format!("\"more_causes\":{}", all - MAX_CAUSES)));
    // Only the listed causes' details are fetched.
    let (common, files) = files(&idx);
    let (p, _) = load(&common, &files, dialog, now());
    assert_eq!(p.details.len(), MAX_CAUSES);
    assert!(
        p.index()
            .causes
            .iter()
            .filter(|c| c.title.is_empty())
            .count()
            >= 2 * MAX_CAUSES
    );
}

#[test]
fn a_report_under_the_cap_has_no_count_and_one_more_says_one() {
    let dialog = crate::engine::tests::DIALOG;
    let r = checked(dialog, &index(), now());
    assert_eq!(r.more_causes, 0);
    assert!(!serde_json::to_string(&r).unwrap().contains("more_causes"));
    let listed = r.causes.len();
    let r = checked(
        dialog,
        &crowded(crate::limits::MAX_CAUSES + 1 - listed),
        now(),
    );
    assert_eq!(r.more_causes, 1);
    assert!(
        r.notes
            .iter()
            .any(|n| n.starts_with("One weaker candidate cause is not listed. Paste more")),
        "{:?}",
        r.notes
    );
}
