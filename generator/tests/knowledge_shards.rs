//! The sharded knowledge index gives the same reports as the whole one: for every cause example of the
//! site's own content, `diagnose` on the partial index made of exactly the buckets the engine asks for, then
//! of the details of the causes it lists, serialises the same as on the whole index, and asks for fewer
//! buckets than there are. No example's report reaches the cap on listed causes, so the cap changed none.

mod common;

use std::collections::BTreeMap;

use fixbook_checker::{diagnose, write_shards_sized, Partial};
use time::OffsetDateTime;

fn parse_now(s: &str) -> OffsetDateTime {
    let s = s.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339) {
        return t;
    }
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, &fmt)
        .map(|d| d.midnight().assume_utc())
        .unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[test]
fn every_cause_example_reports_the_same_from_its_buckets() {
    let a = fixbook::analyse(&common::repo(), None, false).unwrap_or_else(|d| panic!("{d:?}"));
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    // Small buckets: the site's index is one bucket as `build` writes it (see `shard::SMALL_INDEX`).
    let common_json = write_shards_sized(&a.index, 1024, |path, json| {
        files.insert(path.to_string(), String::from_utf8_lossy(json).into_owned());
        Ok::<(), ()>(())
    })
    .unwrap_or_else(|()| panic!("writing to memory"));
    let buckets = files.keys().filter(|k| !k.starts_with("k/d/")).count();
    let mut examples = 0;
    let mut most = 0;
    for p in &a.model.site.pages {
        let fixbook::load::KindData::Cause(c) = &p.data else {
            continue;
        };
        for ex in &c.examples {
            let now = parse_now(&ex.now);
            let mut partial = Partial::from_common(&common_json).unwrap_or_else(|e| panic!("{e}"));
            let need = partial.needed(&ex.paste, now);
            for &b in &need {
                let path = partial
                    .path(b)
                    .unwrap_or_else(|| panic!("bucket {b} has no file"));
                partial
                    .add_json(b, &files[&path])
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            assert!(partial.needed(&ex.paste, now).is_empty());
            for c in partial.needed_details(&ex.paste, now) {
                let path = partial
                    .details_path(c)
                    .unwrap_or_else(|| panic!("cause {c} has no details file"));
                partial
                    .add_details(c, &files[&path])
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            assert!(partial.needed_details(&ex.paste, now).is_empty());
            assert!(
                need.len() < buckets,
                "{}: {} of {buckets} buckets",
                p.meta.id,
                need.len(),
            );
            let report = diagnose(&ex.paste, &a.index, now);
            assert_eq!(report.more_causes, 0, "{}: the cap cut causes", p.meta.id);
            most = most.max(report.causes.len());
            let whole = serde_json::to_string(&report).unwrap_or_default();
            let part = serde_json::to_string(&partial.report(&ex.paste, now)).unwrap_or_default();
            assert!(
                whole == part,
                "{}: the sharded index reports otherwise for\n{}\nwhole: {whole}\nparts: {part}",
                p.meta.id,
                ex.paste
            );
            examples += 1;
        }
    }
    assert!(examples >= 10, "only {examples} cause examples in content/");
    eprintln!("{examples} cause examples, at most {most} causes in a report");
}
