//! Tests of `serve`'s incremental rebuild: after each kind of edit, what it serves (pages, fixed files and
//! the search index) equals a fresh build of the same files.

use super::super::affected::WINDOW;
use super::super::derived::SEARCH_JSON;
use super::super::files::{apply_update, Bytes};
use super::*;

/// A workspace on a copy of the good-site fixture, with the files it serves.
struct Site {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    ws: Workspace,
    files: HashMap<String, Bytes>,
    rendered: usize,
}

fn publish(files: &mut HashMap<String, Bytes>, outcome: Outcome) -> Result<usize, String> {
    match outcome {
        Outcome::Published {
            update,
            full,
            rendered,
            unfinished,
        } => {
            assert!(unfinished.is_empty(), "{unfinished:?}");
            apply_update(files, update, full);
            Ok(rendered)
        }
        Outcome::Errors(d) => Err(crate::diag::render(&d, crate::diag::Format::Human)),
    }
}

fn site() -> Site {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    let root = tmp.path().to_path_buf();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good-site");
    for e in walkdir::WalkDir::new(&fixture).into_iter().flatten() {
        let rel = e.path().strip_prefix(&fixture).unwrap_or(e.path());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(root.join(rel)).unwrap_or_default();
        } else {
            std::fs::copy(e.path(), root.join(rel)).unwrap_or_default();
        }
    }
    let mut ws =
        Workspace::load(&root, "http://127.0.0.1:1/").unwrap_or_else(|d| unreachable!("{d:?}"));
    let mut files = HashMap::new();
    let rendered = publish(&mut files, ws.rebuild()).unwrap_or_else(|e| unreachable!("{e}"));
    // The search index exists before the edits, so they update it rather than build it anew.
    assert!(ws.search_files().contains_key(SEARCH_JSON));
    Site {
        _tmp: tmp,
        root,
        ws,
        files,
        rendered,
    }
}

impl Site {
    /// Rewrites a file with `f`, applies the change, and checks that what is served equals a fresh
    /// build. Returns the number of pages re-rendered.
    #[track_caller]
    fn edit(&mut self, rel: &str, f: impl FnOnce(String) -> Option<String>) -> usize {
        let old = std::fs::read_to_string(self.root.join(rel)).unwrap_or_default();
        self.edit_all(&[(rel, f(old))])
    }

    /// Writes each file (or removes it, for `None`), applies the changes as one batch, as the watcher
    /// gives several files saved at once (a `git checkout`, an editor that saves by replacing), and checks
    /// that what is served equals a fresh build. Returns the number of pages re-rendered.
    #[track_caller]
    fn edit_all(&mut self, changes: &[(&str, Option<String>)]) -> usize {
        for (rel, new) in changes {
            let path = self.root.join(rel);
            match new {
                Some(new) => {
                    std::fs::create_dir_all(path.parent().unwrap_or(&self.root))
                        .unwrap_or_default();
                    std::fs::write(&path, new).unwrap_or_default();
                }
                None => std::fs::remove_file(&path).unwrap_or_default(),
            }
        }
        let rels: Vec<PathBuf> = changes.iter().map(|(r, _)| PathBuf::from(r)).collect();
        let rel = changes
            .iter()
            .map(|(r, _)| *r)
            .collect::<Vec<_>>()
            .join(" and ");
        assert!(self.ws.apply(&rels));
        let n = publish(&mut self.files, self.ws.rebuild()).unwrap_or_else(|e| unreachable!("{e}"));
        let (fresh, fresh_ws) = site_at(&self.root);
        // The search index too, file by file (`serve` derives it; the names are content hashes).
        let (ours, theirs) = (self.ws.search_files(), fresh_ws.search_files());
        same_as_build(&ours, &fresh_ws.model);
        let mut names: Vec<&String> = ours.keys().chain(theirs.keys()).collect();
        names.sort();
        names.dedup();
        for k in names {
            assert!(
                ours.get(k) == theirs.get(k),
                "after editing {rel}, the search index's `{k}` differs from a full build"
            );
        }
        let mut keys: Vec<_> = self.files.keys().chain(fresh.keys()).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            let a = self
                .files
                .get(k)
                .map(|b| String::from_utf8_lossy(b).into_owned());
            let b = fresh
                .get(k)
                .map(|b| String::from_utf8_lossy(b).into_owned());
            assert!(a == b, "after editing {rel}, `{k}` differs from a full build:\nincremental: {a:?}\nfull: {b:?}");
        }
        n
    }
}

fn site_at(root: &Path) -> (HashMap<String, Bytes>, Workspace) {
    let mut ws =
        Workspace::load(root, "http://127.0.0.1:1/").unwrap_or_else(|d| unreachable!("{d:?}"));
    let mut files = HashMap::new();
    publish(&mut files, ws.rebuild()).unwrap_or_else(|e| unreachable!("{e}"));
    (files, ws)
}

#[test]
fn incremental_rebuilds_equal_full_builds() {
    let mut s = site();
    let all = s.rendered;
    // A body edit re-renders the page alone (and the feed, which lists pages).
    let n = s.edit("content/guides/overview.md", |t| {
        Some(t.replace("TCP first", "TCP comes first"))
    });
    assert_eq!(n, 2);
    // A title shows in lists, neighbours, reverse links and the code tables.
    let n = s.edit("content/causes/cert-expired.md", |t| {
        Some(t.replace(
            "The listener's certificate has expired",
            "An expired listener certificate",
        ))
    });
    assert!(n > 1 && n < all, "{n} of {all}");
    // An error's title shows on the code-table pages, under each of its codes.
    s.edit("content/errors/0x904.md", |t| {
        Some(t.replace(
            "title: Error code 0x904, extended error code 0x7",
            "title: Disconnected with 0x904 (extended 0x7)",
        ))
    });
    // A step title shows on the causes that point at that step.
    s.edit("content/fixes/renew-cert.md", |t| {
        Some(t.replace(
            "## Replace the certificate {#replace-the-certificate}",
            "## Put in a new certificate {#replace-the-certificate}",
        ))
    });
    // A cause dropped from an error's list loses its "explained by" link.
    s.edit("content/errors/0x904.md", |t| {
        Some(t.replace(
            "  - id: cause-port-blocked\n    why: Rarely; a blocked port usually gives 0x204.\n",
            "",
        ))
    });
    // A new page joins its section's navigation and the home page's counts.
    s.edit("content/guides/another.md", |_| {
        Some("---\nid: guide-another\nkind: guide\ntitle: Another guide\nsummary: More.\nupdated: 2026-11-20\naliases: [/old/another/]\n---\n\nText.\n".into())
    });
    s.edit("content/guides/another.md", |t| {
        Some(t.replace("aliases: [/old/another/]", "aliases: [/old/other/]"))
    });
    // A deleted page goes, with its aliases.
    s.edit("content/guides/another.md", |_| None);
    // A code table row's name shows on the error pages.
    s.edit("content/codes/disconnect.yaml", |t| {
        Some(t.replace("disconnectReasonAtClientWinsockFDCLOSE", "SocketClosed"))
    });
    // A new section changes every page's navigation.
    s.edit("content/notes/first.md", |_| {
        Some("---\nid: guide-first-note\nkind: guide\ntitle: A note\nsummary: A note.\nupdated: 2026-11-20\n---\n\nText.\n".into())
    });
    assert!(!s.files.contains_key("old/other/index.html"));
}

#[test]
fn a_batch_that_adds_or_removes_a_page_before_an_edited_one_edits_the_right_page() {
    let mut s = site();
    let read = |s: &Site, rel: &str| std::fs::read_to_string(s.root.join(rel)).unwrap_or_default();
    // A page that sorts before every other (a new section, `about`) shifts every page's place in the
    // site; the guide edited in the same batch must still be the guide (it was the page before it).
    let guide = read(&s, "content/guides/overview.md").replace("TCP first", "TCP comes first");
    s.edit_all(&[
        ("content/about/first.md", Some("---\nid: guide-about\nkind: guide\ntitle: About\nsummary: About.\nupdated: 2026-11-20\n---\n\nText.\n".into())),
        ("content/guides/overview.md", Some(guide)),
    ]);
    // And removing it shifts them back.
    let error =
        read(&s, "content/errors/0x904.md").replace("updated: 2026-11-20", "updated: 2026-11-22");
    s.edit_all(&[
        ("content/about/first.md", None),
        ("content/errors/0x904.md", Some(error)),
    ]);
    // The same file twice in one batch (a new file is created, then written) is one page.
    s.edit_all(&[
        ("content/guides/again.md", Some("---\nid: guide-again\nkind: guide\ntitle: Again\nsummary: Again.\nupdated: 2026-11-20\n---\n\nText.\n".into())),
        ("content/guides/again.md", Some("---\nid: guide-again\nkind: guide\ntitle: Again\nsummary: Again.\nupdated: 2026-11-20\n---\n\nText.\n".into())),
    ]);
}

#[test]
fn a_file_that_no_longer_loads_is_reported_for_that_alone() {
    let mut s = site();
    let rel = "content/guides/overview.md";
    let good = std::fs::read_to_string(s.root.join(rel)).unwrap_or_default();
    let errors = |s: &mut Site, text: String| {
        std::fs::write(s.root.join(rel), text).unwrap_or_default();
        s.ws.apply(&[PathBuf::from(rel)]);
        match s.ws.rebuild() {
            Outcome::Errors(d) => d.iter().map(|d| d.code).collect::<Vec<_>>(),
            Outcome::Published { .. } => Vec::new(),
        }
    };
    let anchor = format!("{good}\nSee [the fix](/fixes/renew-cert/#no-such-step).\n");
    assert_eq!(
        errors(&mut s, anchor.clone()),
        [crate::diag::Code::BrokenAnchor]
    );
    // The same page, its front matter now broken: the anchor error was the old version's.
    let yaml = anchor.replacen("title: ", "title: \"", 1);
    assert_eq!(errors(&mut s, yaml), [crate::diag::Code::YamlSyntax]);
    assert!(errors(&mut s, good).is_empty());
}

#[test]
fn a_new_page_is_previewed_with_its_placeholders_listed_but_other_errors_hold_the_site() {
    use crate::load::Kind;
    for (kind, section) in [
        (Kind::Error, "errors"),
        (Kind::Cause, "causes"),
        (Kind::Fix, "fixes"),
        (Kind::Guide, "guides"),
    ] {
        let mut s = site();
        // What `fixbook new` writes: placeholders where the contributor has yet to write.
        let rel = format!("content/{section}/draft.md");
        let text = crate::scaffold::page_text(kind, "draft", None, "2026-12-01", &[]);
        std::fs::write(s.root.join(&rel), &text).unwrap_or_default();
        s.ws.apply(&[PathBuf::from(&rel)]);
        match s.ws.rebuild() {
            Outcome::Published {
                update,
                full,
                unfinished,
                ..
            } => {
                assert!(!unfinished.is_empty(), "{kind:?}");
                for d in &unfinished {
                    assert_eq!(d.code, crate::diag::Code::Placeholder, "{kind:?}: {d:?}");
                    assert_eq!(crate::diag::display_path(&d.file), rel, "{kind:?}");
                }
                apply_update(&mut s.files, update, full);
                let page = s
                    .files
                    .get(&format!("{section}/draft/index.html"))
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .unwrap_or_default();
                assert!(page.contains("TODO(fixbook)"), "{kind:?}: {page}");
            }
            Outcome::Errors(d) => unreachable!("{kind:?}: placeholders alone held the site: {d:?}"),
        }
        // A real error beside the placeholders holds the site as any error does.
        let before = s.files.clone();
        let other = "content/guides/overview.md";
        let broken = std::fs::read_to_string(s.root.join(other)).unwrap_or_default()
            + "\nSee [the fix](/fixes/renew-cert/#no-such-step).\n";
        std::fs::write(s.root.join(other), broken).unwrap_or_default();
        s.ws.apply(&[PathBuf::from(other)]);
        match s.ws.rebuild() {
            Outcome::Errors(d) => {
                assert!(
                    d.iter().any(|d| d.code == crate::diag::Code::BrokenAnchor),
                    "{d:?}"
                );
                assert!(
                    d.iter().any(|d| d.code == crate::diag::Code::Placeholder),
                    "{d:?}"
                );
            }
            Outcome::Published { .. } => unreachable!("{kind:?}: a broken anchor must not publish"),
        }
        assert_eq!(s.files, before);
    }
}

#[test]
fn an_edit_of_the_stage_map_rechecks_every_cause_on_it() {
    // A site whose stage map (the overview) links the tcp cause and not the tls one.
    let tmp = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad-off-stage-map");
    for e in walkdir::WalkDir::new(&fixture).into_iter().flatten() {
        let rel = e.path().strip_prefix(&fixture).unwrap_or(e.path());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(tmp.path().join(rel)).unwrap_or_default();
        } else {
            std::fs::copy(e.path(), tmp.path().join(rel)).unwrap_or_default();
        }
    }
    let mut ws = Workspace::load(tmp.path(), "http://127.0.0.1:1/")
        .unwrap_or_else(|d| unreachable!("{d:?}"));
    // A cause off the map does not stop a preview: the site is published with the problem listed.
    let off_map = |o: Outcome| -> Vec<String> {
        let d = match o {
            Outcome::Errors(d) => unreachable!("off the map only: {d:?}"),
            Outcome::Published { unfinished, .. } => unfinished,
        };
        d.iter()
            .filter(|d| d.code == crate::diag::Code::OffStageMap)
            .map(|d| crate::diag::display_path(&d.file))
            .collect()
    };
    assert_eq!(off_map(ws.rebuild()), ["content/causes/cert-expired.md"]);
    let map = "content/guides/overview.md";
    let text = std::fs::read_to_string(tmp.path().join(map)).unwrap_or_default();
    let save = |ws: &mut Workspace, text: String| {
        std::fs::write(tmp.path().join(map), text).unwrap_or_default();
        ws.apply(&[PathBuf::from(map)]);
        off_map(ws.rebuild())
    };
    // The map loses its link to the tcp cause, which is now off the map too.
    let unlinked = text.replace("([a blocked port](/causes/port-blocked/?from=map))", "");
    assert_eq!(
        save(&mut ws, unlinked),
        [
            "content/causes/cert-expired.md",
            "content/causes/port-blocked.md"
        ]
    );
    // Both linked: the site publishes, without touching the causes.
    let both = text.replace(
        "then TLS.",
        "then TLS ([an expired certificate](/causes/cert-expired/)).",
    );
    assert_eq!(save(&mut ws, both), Vec::<String>::new());
}

#[test]
fn errors_keep_the_last_good_site_and_accumulate_what_to_render() {
    let mut s = site();
    let before = s.files.clone();
    std::fs::write(
        s.root.join("content/guides/overview.md"),
        "---\nid: guide-overview\nkind: guide\ntitle: [broken\n---\n",
    )
    .unwrap_or_default();
    s.ws.apply(&[PathBuf::from("content/guides/overview.md")]);
    match s.ws.rebuild() {
        Outcome::Errors(d) => {
            assert_eq!(d.len(), 1, "{d:?}");
            assert_eq!(
                crate::diag::display_path(&d[0].file),
                "content/guides/overview.md"
            );
        }
        Outcome::Published { .. } => unreachable!("a broken page must not publish"),
    }
    // A second, valid edit elsewhere does not publish either while the first file is broken.
    std::fs::write(
        s.root.join("content/causes/port-blocked.md"),
        std::fs::read_to_string(s.root.join("content/causes/port-blocked.md"))
            .unwrap_or_default()
            .replace("updated: 2026-11-20", "updated: 2026-11-21"),
    )
    .unwrap_or_default();
    s.ws.apply(&[PathBuf::from("content/causes/port-blocked.md")]);
    assert!(matches!(s.ws.rebuild(), Outcome::Errors(_)));
    assert_eq!(s.files, before);
    // Fixing the first file publishes both changes.
    s.edit("content/guides/overview.md", |_| {
        Some("---\nid: guide-overview\nkind: guide\ntitle: Fixed\nsummary: From TCP to the desktop.\nupdated: 2026-11-20\n---\n\n## How a connection starts\n\nText.\n".into())
    });
    // A broken reference is an error too, reported at the page that has it.
    let mut s = site();
    std::fs::write(
        s.root.join("content/errors/0x904.md"),
        std::fs::read_to_string(s.root.join("content/errors/0x904.md"))
            .unwrap_or_default()
            .replace("  - id: cause-port-blocked", "  - id: cause-port-blockd"),
    )
    .unwrap_or_default();
    s.ws.apply(&[PathBuf::from("content/errors/0x904.md")]);
    match s.ws.rebuild() {
        Outcome::Errors(d) => assert_eq!(d[0].code, crate::diag::Code::UnknownRef, "{d:?}"),
        Outcome::Published { .. } => unreachable!("a broken reference must not publish"),
    }
    // Renaming the target's id breaks the other references to it, found without a full check.
    let mut s = site();
    std::fs::write(
        s.root.join("content/causes/port-blocked.md"),
        std::fs::read_to_string(s.root.join("content/causes/port-blocked.md"))
            .unwrap_or_default()
            .replace("id: cause-port-blocked", "id: cause-port-closed"),
    )
    .unwrap_or_default();
    s.ws.apply(&[PathBuf::from("content/causes/port-blocked.md")]);
    match s.ws.rebuild() {
        Outcome::Errors(d) => {
            let files: BTreeSet<String> = d
                .iter()
                .map(|d| crate::diag::display_path(&d.file))
                .collect();
            assert!(files.contains("content/errors/0x904.md"), "{d:?}");
            assert!(files.contains("content/codes/disconnect.yaml"), "{d:?}");
        }
        Outcome::Published { .. } => unreachable!("dangling references must not publish"),
    }
}

fn keys(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn classifies_content_files_like_the_walk() {
    assert!(matches!(
        classify(Path::new("content/errors/a.md")),
        Some(FileKind::Page)
    ));
    assert!(matches!(
        classify(Path::new("content/codes/event.yaml")),
        Some(FileKind::Table)
    ));
    assert!(classify(Path::new("content/errors/.a.md.swp")).is_none());
    assert!(classify(Path::new("content/a.md")).is_none());
    assert!(classify(Path::new("content/errors/deeper/a.md")).is_none());
    assert!(classify(Path::new("site.toml")).is_none());
}

#[test]
fn windows_mark_only_pages_near_a_change() {
    let old: Vec<String> = (0..40).map(|i| format!("/s/{i:02}/")).collect();
    let mut hot = HashSet::new();
    hot.insert("/s/20/".to_string());
    let mut out = BTreeSet::new();
    mark_windows(&old, &old, &hot, &mut out);
    assert_eq!(out.len(), 2 * WINDOW + 1);
    let at = |i: usize| format!("/s/{i:02}/");
    assert!(out.contains(&at(20 - WINDOW)) && out.contains(&at(20 + WINDOW)));
    assert!(!out.contains(&at(20 + WINDOW + 1)));

    // A page moving from the end to the front changes the windows at both ends; pages in the middle
    // keep the same neighbours in the same order.
    let mut new = old.clone();
    let last = new.pop().unwrap_or_default();
    new.insert(0, last);
    let mut out = BTreeSet::new();
    mark_windows(&old, &new, &HashSet::new(), &mut out);
    assert!(out.contains(&at(39)) && out.contains(&at(0)) && out.contains(&at(39 - WINDOW)));
    assert!(
        !out.contains(&at(20)) && !out.contains(&at(38 - WINDOW)),
        "{out:?}"
    );

    let mut out = BTreeSet::new();
    mark_windows(
        &keys(&["/a/", "/b/"]),
        &keys(&["/a/", "/b/"]),
        &HashSet::new(),
        &mut out,
    );
    assert!(out.is_empty());
}

/// The search files `serve` holds equal those `build` writes for the same model, file for file.
#[track_caller]
fn same_as_build(served: &HashMap<String, Vec<u8>>, model: &Model) {
    let built = crate::derive::search_files(model);
    assert_eq!(
        served.len(),
        built.files.len() + 1,
        "files in the search index"
    );
    assert!(served.get(SEARCH_JSON) == Some(&built.manifest.into_bytes()));
    for (path, body) in built.files {
        assert!(
            served.get(&path) == Some(&body.into_bytes()),
            "`{path}` differs from build's"
        );
    }
}

/// A word of letters only (the typo fallback's vocabularies hold those), different for each `n`.
fn word(n: usize) -> String {
    let mut w = String::from("qu");
    let mut n = n;
    loop {
        w.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            return w;
        }
    }
}

fn generated_page(n: usize) -> String {
    let words: Vec<String> = (0..40).map(|k| word(n * 40 + k)).collect();
    format!(
        "---\nid: guide-gen-{n}\nkind: guide\ntitle: Generated {n}\nsummary: Page {n}.\nupdated: 2026-11-20\n---\n\n{}\n",
        words.join(" ")
    )
}

#[test]
fn search_files_follow_edits_across_many_shards() {
    let mut s = site();
    let added: Vec<PathBuf> = (0..300)
        .map(|n| {
            let rel = format!("content/guides/gen-{n:03}.md");
            std::fs::write(s.root.join(&rel), generated_page(n)).unwrap_or_default();
            PathBuf::from(rel)
        })
        .collect();
    assert!(s.ws.apply(&added));
    publish(&mut s.files, s.ws.rebuild()).unwrap_or_else(|e| unreachable!("{e}"));
    let shards =
        s.ws.search_files()
            .keys()
            .filter(|k| k.starts_with("assets/search/t."))
            .count();
    assert!(shards >= 4, "{shards} shards");
    // A new title; a page's own terms gone and others in; new first and last terms.
    s.edit("content/guides/gen-150.md", |t| {
        Some(t.replace("title: Generated 150", "title: Renamed quokka"))
    });
    s.edit("content/guides/gen-007.md", |t| {
        Some(t.replace(
            &format!("{} {}", word(7 * 40), word(7 * 40 + 1)),
            "fresh words",
        ))
    });
    s.edit("content/guides/gen-299.md", |t| {
        Some(t + "\nzzzzlast aaaafirst\n")
    });
    // A term that starts a shard goes: that shard joins the one before it.
    let manifest = s.ws.search_files().remove(SEARCH_JSON).unwrap_or_default();
    let manifest: serde_json::Value = serde_json::from_slice(&manifest).unwrap_or_default();
    let firsts: Vec<&str> = manifest["t"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s[0].as_str())
        .collect();
    let n = firsts
        .iter()
        .skip(1)
        .find_map(|t| (0..300 * 40).find(|&n| word(n) == *t))
        .unwrap_or_else(|| unreachable!("no generated word starts a shard: {firsts:?}"));
    s.edit(&format!("content/guides/gen-{:03}.md", n / 40), |t| {
        assert!(t.contains(&word(n)));
        Some(t.replace(&word(n), ""))
    });
}

#[test]
fn reverse_links_from_the_back_references_equal_a_pass_over_the_site() {
    let s = site();
    let all: Vec<usize> = (0..s.ws.model.site.pages.len()).collect();
    let ours = s.ws.reverse_links_of(&all);
    let full = crate::derive::reverse_links(&s.ws.model);
    assert!(!full.explains.is_empty() && !full.resolves.is_empty());
    assert_eq!(ours.explains, full.explains);
    assert_eq!(ours.resolves, full.resolves);
}
