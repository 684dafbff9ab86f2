//! The Remote Desktop guide in `content/` keeps to its facts: every hex code and event ID it mentions has a
//! row in a code table, no page but "Myths" ties 0x904 to licensing, and a reader gets from the home page to
//! a fix step for 0x904 / 0x7 in three clicks.

mod common;

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;

use common::{build_into_temp, repo};

fn pages() -> Vec<(PathBuf, String)> {
    walkdir::WalkDir::new(repo().join("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            (
                e.path().to_path_buf(),
                std::fs::read_to_string(e.path()).unwrap_or_default(),
            )
        })
        .collect()
}

/// Canonical values of every table: hex codes, and decimal event ids of the `event` table.
fn table_values() -> (HashSet<String>, HashSet<u32>) {
    let mut codes = HashSet::new();
    let mut events = HashSet::new();
    for entry in std::fs::read_dir(repo().join("content/codes"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let doc: serde_yaml::Value =
            serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{:?}: {e}", entry.path()));
        let is_event = doc["scheme"].as_str() == Some("event");
        for row in doc["rows"].as_sequence().into_iter().flatten() {
            // A plain `0x904` is a YAML number; only its value survives, so print it back as hex.
            let v = match &row["value"] {
                serde_yaml::Value::Number(n) if is_event => n.to_string(),
                serde_yaml::Value::Number(n) => {
                    format!("{:#x}", n.as_u64().unwrap_or_else(|| panic!("code {n}")))
                }
                serde_yaml::Value::String(s) => s.clone(),
                other => panic!("odd value {other:?}"),
            };
            if is_event {
                events.insert(v.parse().unwrap_or_else(|_| panic!("event id {v}")));
            } else {
                codes.insert(
                    fixbook_checker::canonical_code(&v).unwrap_or_else(|| panic!("code {v}")),
                );
            }
        }
    }
    (codes, events)
}

/// Every `0x...` token (not part of a longer word: thumbprints and OIDs are not codes), except a value in
/// brackets right after a symbolic name (`ERRINFO_IDLE_TIMEOUT [0x00010003]`): FreeRDP prints the name with
/// its own encoding of the value (class << 16 | code), and the name is what identifies the row, as it is
/// for the checker's code detector.
fn hex_tokens(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = text[i..].find("0x") {
        let start = i + off;
        let before_ok = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
        let mut end = start + 2;
        while end < bytes.len() && bytes[end].is_ascii_hexdigit() {
            end += 1;
        }
        let after_ok = end == bytes.len() || !bytes[end].is_ascii_alphanumeric();
        if before_ok && after_ok && end > start + 2 && !after_symbolic_name(&text[..start]) {
            out.push(text[start..end].to_string());
        }
        i = end.max(start + 2);
    }
    out
}

/// Does `before` end with `NAME [` (a symbolic name of at least 6 characters holding a `_`)?
fn after_symbolic_name(before: &str) -> bool {
    let Some(rest) = before.strip_suffix('[') else {
        return false;
    };
    let name: String = rest
        .trim_end()
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    name.len() >= 6 && name.contains('_')
}

/// Event ids as prose writes them: "event 1057", "events 1057/1058", "Event ID 36870", "EventID=36870",
/// "event ID: 1026", "36870 and 36871 events" is not matched (write "events 36870 and 36871").
fn event_ids(text: &str) -> Vec<u32> {
    let lower = text.to_lowercase();
    let mut out = Vec::new();
    for key in ["event id", "eventid", "events", "event"] {
        let mut from = 0;
        while let Some(off) = lower[from..].find(key) {
            let mut j = from + off + key.len();
            from = j;
            // Skip separators, then read a list of numbers joined by "/", ",", "and", "or".
            loop {
                let rest = &lower[j..];
                let skip = rest.len()
                    - rest
                        .trim_start_matches([' ', ':', '=', '`', '*', '(', '#'])
                        .len();
                j += skip;
                let digits = lower[j..].bytes().take_while(u8::is_ascii_digit).count();
                if !(3..=5).contains(&digits) {
                    break;
                }
                out.push(lower[j..j + digits].parse().unwrap_or(0));
                j += digits;
                let rest = &lower[j..];
                let sep = [
                    "/", ", ", " and ", " or ", "`/`", "` and `", "`, `", "` or `",
                ]
                .iter()
                .find(|s| rest.starts_with(**s));
                match sep {
                    Some(s) => j += s.len(),
                    None => break,
                }
            }
        }
    }
    out
}

#[test]
fn every_code_and_event_id_has_a_table_row() {
    let (codes, events) = table_values();
    assert!(
        codes.contains("0x904") && events.contains(&36870),
        "tables did not load"
    );
    let mut missing = BTreeSet::new();
    for (path, text) in pages() {
        let rel = path
            .strip_prefix(repo())
            .unwrap_or(&path)
            .display()
            .to_string();
        for tok in hex_tokens(&text) {
            let canon = fixbook_checker::canonical_code(&tok).unwrap_or_default();
            if !codes.contains(&canon) {
                missing.insert(format!("{rel}: code {tok}"));
            }
        }
        for id in event_ids(&text) {
            if !events.contains(&id) {
                missing.insert(format!("{rel}: event {id}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "no table row for:\n{}",
        missing.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn the_scanners_find_what_they_should() {
    assert_eq!(
        hex_tokens("Error code: 0x904, thumbprint 0a0x904 and 0x7."),
        ["0x904", "0x7"]
    );
    assert_eq!(
        hex_tokens("ERRINFO_IDLE_TIMEOUT [0x00010003] and [0x00010003] alone"),
        ["0x00010003"]
    );
    let mut ids = event_ids(
        "System events 1057/1058 and Event ID: 36870, then events 36871 and 36874; port 3389.",
    );
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids, [1057, 1058, 36870, 36871, 36874]);
}

#[test]
fn only_the_myths_page_ties_0x904_to_licensing() {
    for (path, text) in pages() {
        if path.ends_with("myths-0x904.md") {
            continue;
        }
        for sentence in text.split(['.', '\n']) {
            let s = sentence.to_lowercase();
            if s.contains("0x904") && s.contains("licens") {
                let negated = [
                    "not",
                    "n't",
                    "no ",
                    "never",
                    "neither",
                    "myth",
                    "wrong",
                    "confus",
                    "unlike",
                    "instead",
                    "rather than",
                ]
                .iter()
                .any(|w| s.contains(w));
                assert!(
                    negated,
                    "{}: ties 0x904 to licensing: {sentence}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn home_reaches_a_fix_step_for_0x904_in_three_clicks() {
    let built = build_into_temp(&repo(), &[]);
    let out = &built.out;
    let read = |url: &str| {
        std::fs::read_to_string(out.join(url.trim_start_matches('/')).join("index.html"))
            .unwrap_or_default()
    };
    let links = |html: &str| -> Vec<String> {
        html.split("href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .filter(|h| h.starts_with('/'))
            .map(String::from)
            .collect()
    };
    let home = read("/");
    // The home page's way in is the stage map (`start_here` in site.toml), in its "Start here" section.
    let start = home
        .find("class=\"start-here\"")
        .expect("home has a Start here section");
    assert!(
        home[start..].contains("href=\"/guides/where-a-connection-fails/\""),
        "Start here links the stage map"
    );
    // Click 1: home -> the 0x904 / 0x7 error page.
    let error = links(&home)
        .into_iter()
        .find(|l| l == "/errors/0x904-0x7/")
        .unwrap_or_else(|| panic!("home does not link the 0x904 page"));
    // Click 2: error page -> a cause; click 3: cause -> a fix step with an anchor that exists.
    let mut reached = Vec::new();
    for cause in links(&read(&error))
        .into_iter()
        .filter(|l| l.starts_with("/causes/"))
    {
        for step in links(&read(&cause))
            .into_iter()
            .filter(|l| l.starts_with("/fixes/") && l.contains('#'))
        {
            let (page, anchor) = step.split_once('#').unwrap_or_default();
            if read(page).contains(&format!("id=\"{anchor}\"")) {
                reached.push(step.clone());
            }
        }
    }
    assert!(
        !reached.is_empty(),
        "no fix step within three clicks of the home page"
    );
    // The error page itself may link steps directly (two clicks); either way the anchors must exist.
    for step in links(&read(&error))
        .into_iter()
        .filter(|l| l.starts_with("/fixes/") && l.contains('#'))
    {
        let (page, anchor) = step.split_once('#').unwrap_or_default();
        assert!(
            read(page).contains(&format!("id=\"{anchor}\"")),
            "broken step link {step}"
        );
    }
}

/// The stage map: every cause belongs to a declared stage, every stage has a cause, and the guide "Where a
/// connection fails" links each stage's section to every cause of that stage (so a new cause is not
/// forgotten on the map).
#[test]
fn the_stage_map_links_every_stage_to_every_cause_of_it() {
    let analysis = fixbook::analyse(&repo(), None, false).unwrap_or_else(|d| panic!("{d:?}"));
    let index = &analysis.index;
    assert!(
        index.stages.len() >= 9,
        "site.toml declares the connection stages"
    );
    let guide = std::fs::read_to_string(repo().join("content/guides/where-a-connection-fails.md"))
        .expect("the guide content/guides/where-a-connection-fails.md exists");
    let mut missing = Vec::new();
    for stage in &index.stages {
        let causes: Vec<&str> = index
            .causes
            .iter()
            .filter(|c| c.stage.as_deref() == Some(stage.id.as_str()))
            .map(|c| c.url.as_str())
            .collect();
        if causes.is_empty() {
            missing.push(format!("stage `{}` has no cause", stage.id));
        }
        // The stage's section: from its `{#id}` heading to the next second-level heading.
        let head = format!("{{#{}}}", stage.id);
        let Some(start) = guide.find(&head) else {
            missing.push(format!("the guide has no section `## ... {head}`"));
            continue;
        };
        let section = &guide[start..];
        let section = &section[..section.find("\n## ").unwrap_or(section.len())];
        for url in causes {
            if !section.contains(&format!("]({url})")) {
                missing.push(format!(
                    "the guide's `{}` section does not link {url}",
                    stage.id
                ));
            }
        }
    }
    for c in &index.causes {
        if c.stage.is_none() {
            missing.push(format!("cause `{}` has no stage", c.id));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// Every cause carries at least two example pastes (which `check` ranks first), so a cause is tried on more
/// than the one shape its author had in mind.
#[test]
fn every_cause_has_two_examples() {
    let mut thin = Vec::new();
    for (path, text) in pages() {
        if !text.contains("\nkind: cause\n") {
            continue;
        }
        let front = text.split("\n---\n").next().unwrap_or("");
        let n = front
            .lines()
            .filter(|l| {
                l.trim_start()
                    .trim_start_matches("- ")
                    .starts_with("paste:")
            })
            .count();
        if n < 2 {
            thin.push(format!("{}: {n} example(s)", path.display()));
        }
    }
    assert!(thin.is_empty(), "{}", thin.join("\n"));
}

/// Every source in the guide is shown to readers by its published title, never as a raw URL: each `sources:`
/// entry of a page or code table is written as `{url, title}`, and every page of the built site lists its
/// sources by title (a link whose text is its own URL, or any `http` text, would mean a bare one slipped in).
#[test]
fn every_source_is_shown_with_its_title() {
    let mut files: Vec<(PathBuf, serde_yaml::Value)> = pages()
        .into_iter()
        .filter_map(|(p, text)| {
            let front = text
                .strip_prefix("---\n")?
                .split("\n---")
                .next()?
                .to_string();
            Some((p, serde_yaml::from_str(&front).unwrap_or_default()))
        })
        .collect();
    for entry in std::fs::read_dir(repo().join("content/codes"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        files.push((
            entry.path(),
            serde_yaml::from_str(&text).unwrap_or_default(),
        ));
    }
    let mut untitled = Vec::new();
    let mut n = 0;
    for (path, doc) in &files {
        for s in doc["sources"].as_sequence().into_iter().flatten() {
            n += 1;
            let title = s["title"].as_str().unwrap_or("").trim();
            if title.is_empty() || title.starts_with("http") {
                untitled.push(format!("{}: {s:?}", path.display()));
            }
        }
    }
    assert!(n > 300, "only {n} sources found: is the walk broken?");
    assert!(
        untitled.is_empty(),
        "sources without a title:\n{}",
        untitled.join("\n")
    );

    let built = build_into_temp(&repo(), &[]);
    let mut pages_with_sources = 0;
    for entry in walkdir::WalkDir::new(&built.out).into_iter().flatten() {
        if entry.path().file_name().is_none_or(|n| n != "index.html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let Some(start) = html.find("<section class=\"sources\"") else {
            continue;
        };
        pages_with_sources += 1;
        let section = &html[start
            ..html[start..]
                .find("</section>")
                .map_or(html.len(), |e| start + e)];
        for link in section.split("rel=\"noopener\">").skip(1) {
            let text = link.split("</a>").next().unwrap_or("");
            assert!(
                !text.is_empty() && !text.contains("http"),
                "{}: source shown as {text:?}",
                entry.path().display()
            );
        }
    }
    assert!(
        pages_with_sources > 100,
        "only {pages_with_sources} pages list sources"
    );
}

/// Prev/next follows the order the content gives (`weight:` on the guides, stages for causes), not the
/// alphabet: the guides read from "what to collect" to the myths, and causes go from name resolution to the
/// session, as a connection does.
#[test]
fn prev_and_next_follow_the_reading_order() {
    let built = build_into_temp(&repo(), &[]);
    let next = |url: &str| -> Option<String> {
        let html = std::fs::read_to_string(
            built
                .out
                .join(url.trim_start_matches('/'))
                .join("index.html"),
        )
        .ok()?;
        let at = html.find("rel=\"next\" href=\"")? + "rel=\"next\" href=\"".len();
        html[at..].split('"').next().map(String::from)
    };
    let mut order = vec!["/guides/what-to-collect/".to_string()];
    while let Some(n) = next(order.last().map(String::as_str).unwrap_or("")) {
        order.push(n);
    }
    assert_eq!(
        order,
        [
            "/guides/what-to-collect/",
            "/guides/how-rdp-connects/",
            "/guides/where-a-connection-fails/",
            "/guides/0x904-decision-tree/",
            "/guides/reading-freerdp-logs/",
            "/guides/myths-0x904/",
        ]
    );
    let html = std::fs::read_to_string(built.out.join("causes/index.html")).unwrap_or_default();
    let pos = |url: &str| {
        html.find(&format!("href=\"{url}\""))
            .unwrap_or_else(|| panic!("{url} not listed"))
    };
    assert!(
        pos("/causes/name-not-resolved/") < pos("/causes/port-blocked/"),
        "name resolution before TCP"
    );
    assert!(
        pos("/causes/port-blocked/") < pos("/causes/credssp-oracle/"),
        "TCP before NLA"
    );
    assert!(
        pos("/causes/credssp-oracle/") < pos("/causes/no-license-server/"),
        "NLA before licensing"
    );
}
