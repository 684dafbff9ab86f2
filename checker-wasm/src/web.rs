//! The browser front end: the engine's entry points for the theme's script, run in a Web Worker.
//!
//! ## How the page uses it
//! The theme's `fixbook.js` imports the checker's front end (`js/checker_ui.js`) only when the reader needs
//! the checker (focus in a checker box, a `#check=` link, a dialog pasted into search). It starts itself
//! as a module Web Worker, which loads this module, fetches the knowledge index's common part and hands
//! its text to [`load_index`], then answers the page's messages with [`check`] (a paste -> the report's
//! view and ticket text), [`spec_from_hash`] and [`paste_for_codes`]. Before each of the last two it asks
//! [`needed`] (or [`needed_for_codes`]) which of the index's buckets (see `shard`) are missing, fetches
//! those and hands each to [`add_shard`]; before [`check`] it then asks [`needed_details`] which listed
//! causes' details are missing and hands each to [`add_details`] (the second round). The page builds the view (see `view.rs`), so a long
//! paste costs the page only the message, never a frozen main thread.
//!
//! ## Invariants
//! - The report is a tree of elements and texts ([`crate::El`]) that the page builds with
//!   `createElement` and `textContent`, never from HTML. Only URLs from the knowledge index become `href`s.
//! - A private key is never echoed: the report holds only its type and position, and the view shows a
//!   warning instead.
//! - No network, no storage here: the module reads what it is given and returns text. "Copy for a ticket"
//!   copies [`crate::report_to_text`], which holds what was decoded, never the paste.

// The `#[wasm_bindgen]` functions are `pub` for JavaScript, not for Rust callers.
#![allow(unreachable_pub)]

use std::cell::RefCell;
use std::rc::Rc;

use time::OffsetDateTime;
use wasm_bindgen::prelude::*;

use crate::index::{KnowledgeIndex, Stage};
use crate::report::{Report, Signal};
use crate::shard::Partial;
use crate::{check_link, diagnose, report_summary_view, report_to_text, report_view};

thread_local! {
    /// The site's knowledge index: its common part and the buckets fetched so far, once per page.
    static PARTIAL: RefCell<Option<Partial>> = const { RefCell::new(None) };
    /// The index those make, assembled again only after a bucket is added.
    static INDEX: RefCell<Option<Rc<KnowledgeIndex>>> = const { RefCell::new(None) };
}

fn index() -> Option<Rc<KnowledgeIndex>> {
    if let Some(i) = INDEX.with(|i| i.borrow().clone()) {
        return Some(i);
    }
    let assembled = PARTIAL.with(|p| p.borrow().as_ref().map(|p| Rc::new(p.index())))?;
    INDEX.with(|i| *i.borrow_mut() = Some(assembled.clone()));
    Some(assembled)
}

/// Parses the common part of the site's knowledge index (the text of `assets/knowledge.<hash>.json`) and
/// keeps it for every checker box of the page.
#[wasm_bindgen]
pub fn load_index(json: &str) -> Result<(), JsError> {
    let partial = Partial::from_common(json).map_err(|e| JsError::new(&e))?;
    PARTIAL.with(|p| *p.borrow_mut() = Some(partial));
    INDEX.with(|i| *i.borrow_mut() = None);
    Ok(())
}

/// Adds bucket `bucket` of the index from its file's text (fetched for [`needed`]).
#[wasm_bindgen]
pub fn add_shard(bucket: usize, json: &str) -> Result<(), JsError> {
    PARTIAL.with(|p| match p.borrow_mut().as_mut() {
        Some(p) => p.add_json(bucket, json).map_err(|e| JsError::new(&e)),
        None => Err(JsError::new("the knowledge index is not loaded")),
    })?;
    INDEX.with(|i| *i.borrow_mut() = None);
    Ok(())
}

/// The buckets to fetch before [`check`] can check `paste`, as JSON `[[bucket, "k/<bucket>.<hash>.json"],
/// ...]` (paths relative to the common part's URL); `[]` when none is missing.
#[wasm_bindgen]
pub fn needed(paste: &str) -> String {
    buckets_json(|p| p.needed(paste, now()))
}

/// The second round of fetches before [`check`] (after [`needed`]'s buckets are added): the causes whose
/// details the report will list, as JSON `[[cause, "k/d/<cause>.<hash>.json"], ...]`; `[]` when none is
/// missing.
#[wasm_bindgen]
pub fn needed_details(paste: &str) -> String {
    let Some(index) = index() else {
        return "[]".to_string();
    };
    let report = diagnose(paste, &index, now());
    let list: Vec<(usize, String)> = PARTIAL.with(|p| {
        p.borrow().as_ref().map_or_else(Vec::new, |p| {
            p.details_for(&report)
                .into_iter()
                .filter_map(|c| Some((c, p.details_path(c)?)))
                .collect()
        })
    });
    serde_json::to_string(&list).unwrap_or_else(|_| "[]".to_string())
}

/// Adds cause `cause`'s details from its file's text (fetched for [`needed_details`]).
#[wasm_bindgen]
pub fn add_details(cause: usize, json: &str) -> Result<(), JsError> {
    PARTIAL.with(|p| match p.borrow_mut().as_mut() {
        Some(p) => p.add_details(cause, json).map_err(|e| JsError::new(&e)),
        None => Err(JsError::new("the knowledge index is not loaded")),
    })?;
    INDEX.with(|i| *i.borrow_mut() = None);
    Ok(())
}

/// The buckets to fetch before [`paste_for_codes`] can read `spec`, like [`needed`].
#[wasm_bindgen]
pub fn needed_for_codes(spec: &str) -> String {
    buckets_json(|p| p.needed_for_codes(spec))
}

fn buckets_json(f: impl FnOnce(&Partial) -> Vec<usize>) -> String {
    let list: Vec<(usize, String)> = PARTIAL.with(|p| {
        p.borrow().as_ref().map_or_else(Vec::new, |p| {
            f(p).into_iter()
                .filter_map(|b| Some((b, p.path(b)?)))
                .collect()
        })
    });
    serde_json::to_string(&list).unwrap_or_else(|_| "[]".to_string())
}

/// The `check=` part of a location hash, decoded, or `undefined`.
#[wasm_bindgen]
pub fn spec_from_hash(hash: &str) -> Option<String> {
    check_link::spec_from_hash(hash)
}

/// The lines a dialog would show for the codes of a `#check=` link (see [`check_link::paste_for_codes`]).
/// Empty when no index is loaded or nothing in `spec` could be read.
#[wasm_bindgen]
pub fn paste_for_codes(spec: &str) -> String {
    index().map_or_else(String::new, |i| check_link::paste_for_codes(spec, &i))
}

/// Checks a paste: the report as the page shows it ([`crate::report_view`], a tree the page turns into DOM
/// nodes), its summary for a box in a narrow side column ([`crate::report_summary_view`]) and the report as
/// text for a ticket, as one JSON object `{"view": …, "summary": …, "ticket": …}` (`summary` is `null`
/// when nothing was recognised: the view is then short and shown whole). `heading_level` is
/// the checker box's heading level; `origin` makes the ticket's site links absolute. Empty when no index
/// is loaded.
#[wasm_bindgen]
pub fn check(paste: &str, heading_level: u8, origin: &str) -> String {
    let Some(index) = index() else {
        return String::new();
    };
    let mut report = diagnose(paste, &index, now());
    PARTIAL.with(|p| {
        if let Some(p) = p.borrow().as_ref() {
            p.name_causes(&mut report);
        }
    });
    let view = report_view(&report, &index.stages, heading_level);
    // A report of nothing recognised is its advice alone: the summary would be the whole of it, and a
    // button to "the full report" would open the same words. `null` tells the page to show the view.
    let nothing = report.signals.is_empty() && report.unreadable.is_empty();
    let summary = if nothing {
        "null".to_string()
    } else {
        serde_json::to_string(&report_summary_view(&report, &index.stages, heading_level))
            .unwrap_or_default()
    };
    // Written out rather than through `serde_json::json!`, whose `Value` costs the module kilobytes.
    let ticket = ticket_text(&report, &index.stages, origin);
    format!(
        "{{\"view\":{},\"summary\":{summary},\"ticket\":{}}}",
        serde_json::to_string(&view).unwrap_or_default(),
        serde_json::to_string(&ticket).unwrap_or_default(),
    )
}

/// The report as text for a ticket, with the site's links made absolute so they work outside the page.
fn ticket_text(report: &Report, stages: &[Stage], origin: &str) -> String {
    let mut text = report_to_text(report, stages);
    if origin.is_empty() {
        return text;
    }
    let mut urls: Vec<&str> = Vec::new();
    for s in &report.signals {
        if let Signal::Code { url: Some(u), .. } = s {
            urls.push(u);
        }
    }
    for c in &report.causes {
        urls.push(&c.url);
        urls.extend(c.fixes.iter().map(|f| f.url.as_str()));
    }
    // Longest first, so `/fixes/x/#step` is rewritten before `/fixes/x/` could match inside it.
    crate::order::sort_by(&mut urls, |a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    urls.dedup();
    for u in urls.into_iter().filter(|u| u.starts_with('/')) {
        for lead in [" ", "("] {
            text = text.replace(&format!("{lead}{u}"), &format!("{lead}{origin}{u}"));
        }
    }
    text
}

/// The browser's clock: the only place the front end reads time; the engine gets it as an argument.
fn now() -> OffsetDateTime {
    let ms = js_sys::Date::now();
    OffsetDateTime::from_unix_timestamp_nanos((ms as i128) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}
