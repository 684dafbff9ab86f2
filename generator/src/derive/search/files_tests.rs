//! Tests of the search index files: shards, fragments and the live index `serve` keeps.

use super::*;

/// A site of `n` pages of made-up words (deterministic), as units.
fn words(n: usize) -> Vec<String> {
    let mut x: u64 = 7;
    let syll = [
        "ka", "lo", "mi", "ne", "ru", "te", "so", "vi", "da", "pe", "zu", "fo",
    ];
    (0..n)
        .map(|_| {
            let mut w = String::new();
            for _ in 0..3 {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                w.push_str(syll[(x >> 33) as usize % syll.len()]);
            }
            w
        })
        .collect()
}

fn site(pages: usize, vocab: &[String]) -> Vec<Vec<String>> {
    let mut x: u64 = 11;
    (0..pages)
        .map(|_| {
            (0..4)
                .map(|_| {
                    let mut t: Vec<&str> = (0..40)
                        .map(|_| {
                            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                            // Skewed: a few words are in most pages, most in few.
                            let r = (x >> 33) as usize % vocab.len();
                            vocab[r * r / vocab.len()].as_str()
                        })
                        .collect();
                    t.sort_unstable();
                    t.dedup();
                    t.join("\n")
                })
                .collect()
        })
        .collect()
}

fn units_of(site: &[Vec<String>]) -> Vec<Unit<'_>> {
    site.iter()
        .enumerate()
        .map(|(i, secs)| Unit {
            url: format!("/p/{i}/"),
            title: "A page",
            kind: "guide",
            kind_bits: 0,
            sections: secs
                .iter()
                .enumerate()
                .map(|(s, t)| UnitSection {
                    anchor: Cow::Owned(if s == 0 {
                        String::new()
                    } else {
                        format!("s{s}")
                    }),
                    heading: Cow::Borrowed(""),
                    terms: Cow::Borrowed(t.as_str()),
                    snippet: Cow::Borrowed("text"),
                })
                .collect(),
            title_text: Vec::new(),
            heading0: Vec::new(),
            body0: Vec::new(),
        })
        .collect()
}

/// The terms of a section's text (its words, stemmed).
fn terms(text: &str) -> Vec<String> {
    let mut v = Vec::new();
    crate::markdown::terms::terms_of(text, |t| v.push(t.into_owned()));
    v
}

/// The shards of an index: (first term, file name, terms).
fn shards(f: &SearchFiles) -> Vec<(String, String, Vec<String>)> {
    let m: serde_json::Value = serde_json::from_str(&f.manifest).unwrap_or_default();
    let files: BTreeMap<&str, &str> = f
        .files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_str()))
        .collect();
    m["t"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let first = e[0].as_str().unwrap_or_default().to_string();
            let name = format!("assets/search/t.{}.json", e[1].as_str().unwrap_or_default());
            let body: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(files.get(name.as_str()).copied().unwrap_or("{}"))
                    .unwrap_or_default();
            (first, name, body.keys().cloned().collect())
        })
        .collect()
}

#[test]
fn every_term_is_in_exactly_the_shard_its_range_names() {
    let vocab = words(4000);
    let site = site(600, &vocab);
    let f = index_files(&units_of(&site));
    let sh = shards(&f);
    assert!(sh.len() > 5, "{} shards", sh.len());
    let mut seen = BTreeMap::new();
    for (i, (first, _, terms)) in sh.iter().enumerate() {
        let next = sh.get(i + 1).map(|s| s.0.as_str());
        for t in terms {
            assert!(
                t.as_str() >= first.as_str() && next.is_none_or(|n| t.as_str() < n),
                "{t} in shard {i}"
            );
            assert!(seen.insert(t.clone(), i).is_none(), "{t} in two shards");
        }
    }
    let all: std::collections::BTreeSet<String> =
        site.iter().flatten().flat_map(|s| terms(s)).collect();
    assert_eq!(
        seen.len(),
        all.len(),
        "every term of the site is in a shard"
    );
    // Same input, same files and names.
    let again = index_files(&units_of(&site));
    assert_eq!(again.manifest, f.manifest);
    assert_eq!(again.files, f.files);
    // Shards stay about the size aimed at (no run of terms grows without bound).
    let biggest = f
        .files
        .iter()
        .filter(|(p, _)| p.contains("/t."))
        .map(|(_, b)| b.len())
        .max();
    assert!(biggest.unwrap_or(0) < 6 * SHARD_BYTES, "{biggest:?}");
}

#[test]
fn an_edited_page_changes_only_the_shards_of_its_terms() {
    let vocab = words(4000);
    let before = site(600, &vocab);
    let mut after = before.clone();
    // Page 17 loses one word and gains another.
    let mut sec: Vec<String> = after[17][1].lines().map(str::to_string).collect();
    let gone = sec.remove(0);
    let new = "zzzznewword".to_string();
    sec.push(new.clone());
    sec.sort();
    after[17][1] = sec.join("\n");
    let a = index_files(&units_of(&before));
    let b = index_files(&units_of(&after));
    let names = |f: &SearchFiles| -> std::collections::BTreeSet<String> {
        f.files.iter().map(|(p, _)| p.clone()).collect()
    };
    let (na, nb) = (names(&a), names(&b));
    let changed: Vec<&String> = nb.difference(&na).collect();
    // The touched terms: the page's own in that section (their postings changed), and the new word.
    let touched: std::collections::BTreeSet<String> = terms(&after[17][1])
        .into_iter()
        .chain(terms(&before[17][1]))
        .collect();
    for (_, name, terms) in shards(&b) {
        if changed.contains(&&name) {
            assert!(
                terms.iter().any(|t| touched.contains(t)),
                "{name} changed without a term of the page"
            );
        }
    }
    let shard_changes = changed.iter().filter(|p| p.contains("/t.")).count();
    let shards_total = shards(&b).len();
    assert!(
        shard_changes <= touched.len() && shard_changes < shards_total / 2,
        "{shard_changes} of {shards_total}"
    );
    // One fragment (the page's group) and its list changed, not the others.
    assert_eq!(
        changed.iter().filter(|p| p.contains("/f.")).count(),
        0,
        "the fragment holds no terms"
    );
    let (new, gone) = (terms(&new), terms(&gone));
    assert!(shards(&b).iter().any(|s| s.2.contains(&new[0])));
    assert!(shards(&a).iter().any(|s| s.2.contains(&gone[0])));
}
