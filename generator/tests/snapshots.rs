//! Snapshots of the rendered HTML of one page of each kind, and of the good fixture's knowledge index.
//! Hashed asset names are filtered, so a CSS change does not churn every snapshot.

mod common;

use std::fs;

use common::{build_into_temp, fixture, hashed_asset};

fn build_good() -> common::Built {
    build_into_temp(&fixture("good-site"), &[])
}

fn article(html: &str) -> &str {
    let start = html.find("<main").unwrap_or(0);
    let end = html.find("</main>").unwrap_or(html.len());
    &html[start..end]
}

macro_rules! snap_page {
    ($name:ident, $path:literal) => {
        #[test]
        fn $name() {
            let built = build_good();
            let html = fs::read_to_string(built.out.join($path)).unwrap_or_default();
            insta::with_settings!({filters => vec![(r"\.[0-9a-f]{10}\.", ".HASH.")]}, {
                insta::assert_snapshot!(article(&html));
            });
        }
    };
}

snap_page!(error_page, "errors/0x904/index.html");
snap_page!(cause_page, "causes/cert-expired/index.html");
snap_page!(fix_page, "fixes/renew-cert/index.html");
snap_page!(guide_page, "guides/overview/index.html");
snap_page!(code_table_page, "codes/disconnect/index.html");
// A row with a version bound (`since:`) shows it next to its meaning.
snap_page!(event_code_table_page, "codes/event/index.html");

/// The knowledge index as the checker sees it with every bucket and every cause's details loaded: the
/// common part that pages link and each file it names, as written, put back together.
#[test]
fn knowledge_index() {
    let built = build_good();
    let common = fs::read_to_string(hashed_asset(&built.out, "knowledge")).unwrap_or_default();
    let mut partial =
        fixbook_checker::Partial::from_common(&common).unwrap_or_else(|e| panic!("{e}"));
    let mut buckets = 0;
    for b in 0..partial.buckets() {
        let Some(path) = partial.path(b) else {
            continue;
        };
        let json = fs::read_to_string(built.out.join("assets").join(&path))
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        partial.add_json(b, &json).unwrap_or_else(|e| panic!("{e}"));
        buckets += 1;
    }
    assert!(buckets >= 1, "{buckets}");
    // And every cause's details (buckets name causes by tokens that sort as their ids do).
    for c in 0..partial.index().causes.len() {
        let path = partial.details_path(c).unwrap_or_default();
        let json = fs::read_to_string(built.out.join("assets").join(&path))
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        partial
            .add_details(c, &json)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let mut index = partial.index();
    for t in &mut index.tables {
        t.families = 0;
    }
    insta::assert_json_snapshot!(serde_json::to_value(&index).unwrap_or_default());
}
