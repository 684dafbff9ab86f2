//! The index is stemmed in Rust (`rust-stemmers`, Snowball English) and queries in the browser by the
//! theme's `search.js`: a word the two stem differently can never be found. This runs both on every word of
//! the site's content and docs, and on words made to reach every rule of the algorithm (roots with each
//! suffix), and requires the same stem for each. Needs `node` (the browser tests need it too).

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Stdio};

fn words_of(text: &str, out: &mut BTreeSet<String>) {
    for w in text.split(|c: char| !c.is_ascii_alphabetic()) {
        if w.len() >= 3 && w.len() <= 40 {
            out.insert(w.to_ascii_lowercase());
        }
    }
}

/// Roots of every shape the rules look at (short syllables, doubles, `y`, the special prefixes) with every
/// suffix the steps remove or replace, and a few words the algorithm lists as exceptions.
fn made_words(out: &mut BTreeSet<String>) {
    let roots = [
        "hop",
        "hope",
        "tap",
        "fil",
        "bat",
        "plan",
        "stop",
        "control",
        "admit",
        "renew",
        "cert",
        "expir",
        "connect",
        "authent",
        "general",
        "gener",
        "commun",
        "arsen",
        "fly",
        "cry",
        "say",
        "play",
        "happy",
        "boy",
        "yell",
        "sky",
        "die",
        "lie",
        "tie",
        "agree",
        "feed",
        "proceed",
        "succeed",
        "need",
        "bless",
        "class",
        "bus",
        "gas",
        "analys",
        "organ",
        "nation",
        "condition",
        "rational",
        "valid",
        "vis",
        "electr",
        "sens",
        "respons",
        "depend",
        "adjust",
        "firewal",
        "install",
        "fall",
        "roll",
        "luck",
        "bake",
        "ride",
        "care",
        "use",
        "act",
        "run",
        "ski",
        "news",
        "trust",
        "hydr",
        "log",
        "geolog",
        "apolog",
        "abl",
        "poss",
        "sign",
        "deleg",
        "quot",
        "replic",
        "allow",
        "listen",
        "open",
        "port",
    ];
    let suffixes = [
        "", "s", "es", "ies", "ied", "sses", "ss", "us", "ed", "eed", "ing", "edly", "eedly",
        "ingly", "y", "ly", "li", "e", "al", "ally", "ance", "ence", "anci", "enci", "able",
        "ible", "ably", "abli", "ant", "ent", "ement", "ment", "ently", "entli", "ism", "ate",
        "ated", "ating", "ation", "ational", "tional", "ator", "ations", "iti", "ity", "ities",
        "iviti", "ive", "ively", "iveness", "ize", "izer", "ization", "ise", "ous", "ously",
        "ousness", "ousli", "ion", "ions", "er", "ers", "ic", "ical", "ically", "icate", "iciti",
        "ative", "alize", "alism", "aliti", "alli", "ful", "fully", "fulli", "fulness", "ness",
        "less", "lessly", "lessli", "bli", "biliti", "ogi", "logy", "ll", "lled", "lling", "nce",
        "bility",
    ];
    for r in roots {
        for s in suffixes {
            out.insert(format!("{r}{s}"));
        }
    }
    for w in [
        "skis",
        "skies",
        "dying",
        "lying",
        "tying",
        "idly",
        "gently",
        "ugly",
        "early",
        "only",
        "singly",
        "sky",
        "news",
        "howe",
        "atlas",
        "cosmos",
        "bias",
        "andes",
        "inning",
        "innings",
        "outing",
        "outings",
        "canning",
        "herring",
        "earring",
        "proceeds",
        "exceeded",
        "succeeding",
        "yay",
        "yoyo",
        "youth",
        "ayes",
        "eyed",
        "bye",
        "by",
        "ay",
        "abc",
        "aaa",
        "yyy",
        "syzygy",
        "queueing",
    ] {
        out.insert(w.to_string());
    }
}

#[test]
fn rust_and_javascript_stemmers_agree() {
    let repo = common::repo();
    let mut words = BTreeSet::new();
    for e in walkdir::WalkDir::new(repo.join("content"))
        .into_iter()
        .flatten()
    {
        if e.file_type().is_file() {
            words_of(
                &std::fs::read_to_string(e.path()).unwrap_or_default(),
                &mut words,
            );
        }
    }
    for doc in ["README.md", "ARCHITECTURE.md", "CONTRIBUTING.md"] {
        words_of(
            &std::fs::read_to_string(repo.join(doc)).unwrap_or_default(),
            &mut words,
        );
    }
    made_words(&mut words);
    assert!(words.len() > 5000, "{} words", words.len());

    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    let expected: Vec<String> = words.iter().map(|w| stemmer.stem(w).into_owned()).collect();

    let module = repo.join("themes/default/static/search.js");
    let script = format!(
        "import {{ stem }} from {:?};\nimport fs from 'node:fs';\n\
         const words = fs.readFileSync(0, 'utf8').split('\\n').filter(Boolean);\n\
         process.stdout.write(words.map((w) => stem(w)).join('\\n') + '\\n');\n",
        url_of(&module)
    );
    let mut child = Command::new("node")
        .args(["--input-type=module", "-e", &script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("this test needs node: {e}"));
    let input: String = words.iter().map(|w| format!("{w}\n")).collect();
    child
        .stdin
        .take()
        .map(|mut s| s.write_all(input.as_bytes()))
        .transpose()
        .unwrap_or_else(|e| panic!("{e}"));
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(got.len(), expected.len());
    let differ: Vec<String> = words
        .iter()
        .zip(expected.iter().zip(&got))
        .filter(|(_, (e, g))| e != g)
        .map(|(w, (e, g))| format!("{w}: rust {e}, js {g}"))
        .collect();
    assert!(
        differ.is_empty(),
        "{} of {} words differ:\n{}",
        differ.len(),
        words.len(),
        differ.join("\n")
    );
}

fn url_of(p: &std::path::Path) -> String {
    let abs = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    format!("file://{}", abs.to_string_lossy())
}
