//! The browser front end: runs the engine on what the reader pastes or types and renders the report into
//! the page with web-sys.
//!
//! ## How the page uses it
//! The theme's `fixbook.js` loads this module only when the reader needs it (focus in a checker box, a
//! `#check=` link, a dialog pasted into search), fetches the knowledge index and hands its text to
//! [`load_index`], then calls [`mount`] on each checker box: an element holding a `textarea`, a
//! `.checker-report` region (`aria-live`), and optionally a `.checker-actions` block with a
//! `.checker-copy` button and a `.checker-status` line.
//!
//! ## Invariants
//! - Pasted text is set only as text: every node is built with `createElement` and `textContent`, never
//!   from HTML. Only URLs from the knowledge index become `href`s.
//! - A private key is never echoed: the report holds only its type and position, and the page shows a
//!   warning instead.
//! - No network, no storage: the module reads the textarea and writes the report region, nothing else.
//!   "Copy for a ticket" copies [`crate::report_to_text`], which holds what was decoded, never the paste.

// The `#[wasm_bindgen]` functions are `pub` for JavaScript, not for Rust callers.
#![allow(unreachable_pub)]

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use time::OffsetDateTime;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlButtonElement, HtmlTextAreaElement, InputEvent};

use crate::index::{stage_label, CertFinding, KnowledgeIndex, Stage, INDEX_VERSION};
use crate::report::{CertificateFacts, RankedCause, Report, Signal, StageReport};
use crate::{check_link, diagnose, report_to_text, stage_strip, versions, StageState};

/// Typing waits this long for a pause before the paste is read again; a paste is read at once.
const DEBOUNCE_MS: i32 = 150;

/// A paste longer than this is read without being put in the textarea: laying out megabytes of text in a
/// textarea costs the browser far more (about a second for 3 MB) than reading it does.
const LARGE_PASTE: usize = 256 * 1024;

/// A long log can hold thousands of events; the list shows the first ones and says how many it left out.
const MAX_SIGNALS_SHOWN: usize = 60;

thread_local! {
    /// The site's knowledge index, parsed once per page.
    static INDEX: RefCell<Option<Rc<KnowledgeIndex>>> = const { RefCell::new(None) };
}

fn index() -> Option<Rc<KnowledgeIndex>> {
    INDEX.with(|i| i.borrow().clone())
}

/// Parses the site's knowledge index (the text of `assets/knowledge.<hash>.json`) and keeps it for every
/// checker box of the page.
#[wasm_bindgen]
pub fn load_index(json: &str) -> Result<(), JsError> {
    let index: KnowledgeIndex = serde_json::from_str(json)
        .map_err(|e| JsError::new(&format!("the knowledge index does not load: {e}")))?;
    if index.version != INDEX_VERSION {
        return Err(JsError::new(&format!(
            "the knowledge index has version {}, this checker reads version {INDEX_VERSION}: rebuild the site",
            index.version
        )));
    }
    INDEX.with(|i| *i.borrow_mut() = Some(Rc::new(index)));
    Ok(())
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

/// Connects a checker box: from now on its textarea is read as the reader types or pastes.
/// Mounting the same box twice does nothing.
#[wasm_bindgen]
pub fn mount(root: Element) -> Result<(), JsValue> {
    if root.has_attribute("data-checker-mounted") {
        return Ok(());
    }
    let doc = root
        .owner_document()
        .ok_or_else(|| JsValue::from_str("the checker box is not in a document"))?;
    let input: HtmlTextAreaElement = root
        .query_selector("textarea")?
        .ok_or_else(|| JsValue::from_str("the checker box has no textarea"))?
        .dyn_into()
        .map_err(|_| JsValue::from_str("the checker box's textarea is not a textarea"))?;
    let region = root
        .query_selector(".checker-report")?
        .ok_or_else(|| JsValue::from_str("the checker box has no .checker-report"))?;
    let heading_level = root
        .get_attribute("data-heading-level")
        .and_then(|l| l.parse::<u8>().ok())
        .filter(|l| (1..=5).contains(l))
        .unwrap_or(3);
    let state = Rc::new(Checker {
        doc,
        input: input.clone(),
        region,
        actions: root.query_selector(".checker-actions")?,
        status: root.query_selector(".checker-status")?,
        heading_level,
        timer: Cell::new(None),
        large: RefCell::new(None),
        placeholder: input.placeholder(),
        tick: RefCell::new(None),
        ticket: RefCell::new(String::new()),
    });

    let s = Rc::clone(&state);
    let tick: js_sys::Function = Closure::<dyn FnMut()>::new(move || {
        s.timer.set(None);
        s.run();
    })
    .into_js_value()
    .unchecked_into();
    *state.tick.borrow_mut() = Some(tick);

    let s = Rc::clone(&state);
    let on_input = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        let pasted = e
            .dyn_ref::<InputEvent>()
            .is_some_and(|ie| ie.input_type().starts_with("insertFrom"));
        // Whatever the reader types or pastes into the box replaces a large paste held aside.
        s.set_large(None);
        if pasted {
            s.cancel();
            s.run();
        } else {
            s.schedule();
        }
    });
    input.add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref())?;
    on_input.forget();

    let s = Rc::clone(&state);
    let on_paste =
        Closure::<dyn FnMut(web_sys::ClipboardEvent)>::new(move |e: web_sys::ClipboardEvent| {
            let text = e
                .clipboard_data()
                .and_then(|d| d.get_data("text/plain").ok())
                .unwrap_or_default();
            if text.len() > LARGE_PASTE {
                e.prevent_default();
                s.input.set_value("");
                s.set_large(Some(text));
                s.cancel();
                s.run();
            }
        });
    input.add_event_listener_with_callback("paste", on_paste.as_ref().unchecked_ref())?;
    on_paste.forget();

    if let Some(copy) = root
        .query_selector(".checker-copy")?
        .and_then(|b| b.dyn_into::<HtmlButtonElement>().ok())
    {
        let s = Rc::clone(&state);
        let on_copy = Closure::<dyn FnMut()>::new(move || s.copy());
        copy.add_event_listener_with_callback("click", on_copy.as_ref().unchecked_ref())?;
        on_copy.forget();
    }
    root.set_attribute("data-checker-mounted", "")?;
    // Text typed before the module arrived is read now.
    state.run();
    Ok(())
}

/// One mounted checker box.
struct Checker {
    doc: Document,
    input: HtmlTextAreaElement,
    region: Element,
    actions: Option<Element>,
    status: Option<Element>,
    heading_level: u8,
    timer: Cell<Option<i32>>,
    /// A large paste, read from the clipboard event instead of the textarea (see [`LARGE_PASTE`]). Kept in
    /// memory only, until the reader types or pastes again.
    large: RefCell<Option<String>>,
    /// The textarea's own placeholder, shown again once a large paste is replaced.
    placeholder: String,
    tick: RefCell<Option<js_sys::Function>>,
    /// The report as text, for "copy for a ticket". Never the paste.
    ticket: RefCell<String>,
}

impl Checker {
    fn cancel(&self) {
        if let (Some(handle), Some(w)) = (self.timer.take(), web_sys::window()) {
            w.clear_timeout_with_handle(handle);
        }
    }

    fn schedule(&self) {
        self.cancel();
        let (Some(w), Some(tick)) = (web_sys::window(), self.tick.borrow().clone()) else {
            return;
        };
        if let Ok(handle) =
            w.set_timeout_with_callback_and_timeout_and_arguments_0(&tick, DEBOUNCE_MS)
        {
            self.timer.set(Some(handle));
        }
    }

    fn set_large(&self, text: Option<String>) {
        if text.is_none() && self.large.borrow().is_none() {
            return;
        }
        let hint = match &text {
            Some(t) => format!(
                "A {:.1} MB paste is being read: it is not shown here, to keep the page fast. Type or paste to replace it.",
                t.len() as f64 / (1024.0 * 1024.0)
            ),
            None => self.placeholder.clone(),
        };
        self.input.set_placeholder(&hint);
        *self.large.borrow_mut() = text;
    }

    /// Reads the textarea (or the large paste held aside) and renders the report.
    fn run(&self) {
        let large = self.large.borrow();
        let typed;
        let paste: &str = match large.as_deref() {
            Some(t) => t,
            None => {
                typed = self.input.value();
                &typed
            }
        };
        if paste.trim().is_empty() {
            self.region.set_text_content(None);
            self.ticket.borrow_mut().clear();
            self.set_actions(false);
            return;
        }
        let Some(index) = index() else {
            return;
        };
        let report = diagnose(paste, &index, now());
        *self.ticket.borrow_mut() = ticket_text(&report, &index.stages);
        let r = Render {
            doc: &self.doc,
            level: self.heading_level,
            stages: &index.stages,
        };
        match r.report(&report) {
            Ok(node) => {
                self.region.set_text_content(None);
                let _ = self.region.append_child(&node);
            }
            Err(_) => self
                .region
                .set_text_content(Some("The report could not be shown.")),
        }
        self.set_actions(true);
    }

    fn set_actions(&self, shown: bool) {
        if let Some(a) = &self.actions {
            if shown {
                a.remove_attribute("hidden").ok();
            } else {
                a.set_attribute("hidden", "").ok();
            }
        }
        if let Some(s) = &self.status {
            s.set_text_content(None);
        }
    }

    /// Copies the report as text, and says whether it worked.
    fn copy(&self) {
        let text = self.ticket.borrow().clone();
        if text.is_empty() {
            return;
        }
        let Some(w) = web_sys::window() else {
            return;
        };
        let promise = w.navigator().clipboard().write_text(&text);
        let ok_status = self.status.clone();
        let err_status = self.status.clone();
        let ok = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
            if let Some(s) = &ok_status {
                s.set_text_content(Some(
                    "Copied: the decoded summary and links, not your whole paste.",
                ));
            }
        });
        let err = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
            if let Some(s) = &err_status {
                s.set_text_content(Some(
                    "The browser did not allow copying. Select the report and copy it instead.",
                ));
            }
        });
        let _ = promise.then2(&ok, &err);
        // One small leak per click: the callbacks must outlive this call, until the clipboard answers.
        ok.forget();
        err.forget();
    }
}

/// The report as text for a ticket, with the site's links made absolute so they work outside the page.
fn ticket_text(report: &Report, stages: &[Stage]) -> String {
    let mut text = report_to_text(report, stages);
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
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
    urls.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
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

/// Builds the report's nodes. Every text goes through `textContent` (or a text node).
struct Render<'a> {
    doc: &'a Document,
    /// Level of the report's section headings; certificate cards use the next one.
    level: u8,
    /// The site's connection stages, for the stage strip's labels.
    stages: &'a [Stage],
}

type Res<T> = Result<T, JsValue>;

impl Render<'_> {
    fn el(&self, tag: &str, class: &str) -> Res<Element> {
        let e = self.doc.create_element(tag)?;
        if !class.is_empty() {
            e.set_class_name(class);
        }
        Ok(e)
    }

    /// A child element holding `text`.
    fn add(&self, parent: &Element, tag: &str, class: &str, text: &str) -> Res<Element> {
        let e = self.el(tag, class)?;
        e.set_text_content(Some(text));
        parent.append_child(&e)?;
        Ok(e)
    }

    fn link(&self, parent: &Element, href: &str, text: &str) -> Res<Element> {
        let a = self.add(parent, "a", "", text)?;
        a.set_attribute("href", href)?;
        Ok(a)
    }

    fn heading(&self, parent: &Element, extra: u8, text: &str) -> Res<Element> {
        let level = (self.level + extra).min(6);
        self.add(parent, &format!("h{level}"), "report-heading", text)
    }

    fn section(&self, parent: &Element, title: &str, class: &str) -> Res<Element> {
        let s = self.el("section", &format!("report-section {class}"))?;
        self.heading(&s, 0, title)?;
        parent.append_child(&s)?;
        Ok(s)
    }

    fn report(&self, r: &Report) -> Res<Element> {
        let root = self.el("div", "report")?;
        let keys = r
            .signals
            .iter()
            .filter(|s| matches!(s, Signal::PrivateKey { .. }))
            .count();
        if keys > 0 {
            let w = self.el("div", "report-warning")?;
            self.add(
                &w,
                "p",
                "report-warning-title",
                if keys == 1 {
                    "A private key is in this paste."
                } else {
                    "Private keys are in this paste."
                },
            )?;
            self.add(
                &w,
                "p",
                "",
                "It is not shown here and was not sent anywhere, but treat it as exposed if it was ever \
                 pasted or mailed elsewhere: replace the certificate and its key, and paste only the \
                 certificate (the BEGIN CERTIFICATE block) in tickets.",
            )?;
            root.append_child(&w)?;
        }
        self.add(&root, "p", "report-summary", &summary(r))?;
        if let Some(st) = &r.stage {
            self.stage_strip(&root, st)?;
        }
        // Notes first: "no cause explains this failure" must be read before any candidate.
        for n in &r.notes {
            self.add(&root, "p", "report-note", n)?;
        }

        let listed: Vec<&Signal> = r
            .signals
            .iter()
            .filter(|s| !matches!(s, Signal::Certificate(_) | Signal::PrivateKey { .. }))
            .collect();
        if !listed.is_empty() {
            let s = self.section(&root, "Recognised", "report-signals")?;
            let ul = self.el("ul", "signal-list")?;
            for sig in listed.iter().take(MAX_SIGNALS_SHOWN) {
                self.signal(&ul, sig)?;
            }
            s.append_child(&ul)?;
            if listed.len() > MAX_SIGNALS_SHOWN {
                self.add(
                    &s,
                    "p",
                    "muted",
                    &format!("… and {} more.", listed.len() - MAX_SIGNALS_SHOWN),
                )?;
            }
        }

        let certs: Vec<&CertificateFacts> = r
            .signals
            .iter()
            .filter_map(|s| match s {
                Signal::Certificate(c) => Some(c.as_ref()),
                _ => None,
            })
            .collect();
        if !certs.is_empty() {
            let title = if certs.len() == 1 {
                "Certificate"
            } else {
                "Certificates"
            };
            let s = self.section(&root, title, "report-certs")?;
            for c in certs.iter().take(MAX_SIGNALS_SHOWN) {
                self.cert(&s, c)?;
            }
        }

        if !r.causes.is_empty() {
            let s = self.section(&root, "Causes, best first", "report-causes")?;
            let ol = self.el("ol", "cause-list")?;
            for c in &r.causes {
                self.cause(&ol, c)?;
            }
            s.append_child(&ol)?;
        }

        if !r.unreadable.is_empty() {
            let s = self.section(&root, "Could not be read", "report-unreadable")?;
            let ul = self.el("ul", "")?;
            for u in r.unreadable.iter().take(MAX_SIGNALS_SHOWN) {
                let li = self.el("li", "")?;
                self.add(&li, "strong", "", &u.what)?;
                li.append_with_str_1(&format!(": {}", u.why))?;
                ul.append_child(&li)?;
            }
            s.append_child(&ul)?;
        }
        Ok(root)
    }

    /// The stages as an ordered list: passed ones, the failing (or latest) one marked in words as well as
    /// in colour, then those not reached; and what in the paste shows it.
    fn stage_strip(&self, parent: &Element, st: &StageReport) -> Res<()> {
        let nav = self.el("div", "stage-strip")?;
        let ol = self.el("ol", "stages")?;
        ol.set_attribute("aria-label", "Connection stages")?;
        for (stage, state) in stage_strip(st, self.stages) {
            let li = self.add(
                &ol,
                "li",
                &format!("stage stage-{}", state.as_str()),
                &stage.label,
            )?;
            let mark = match state {
                StageState::Passed => " (passed)",
                StageState::PassedOrUnused => " (passed or not used)",
                StageState::Failed => " (failed here)",
                StageState::Reached => " (got this far)",
                StageState::Ahead => "",
            };
            if !mark.is_empty() {
                self.add(&li, "span", "stage-state", mark)?;
            }
            if matches!(state, StageState::Failed | StageState::Reached) {
                li.set_attribute("aria-current", "step")?;
            }
        }
        nav.append_child(&ol)?;
        if !st.why.is_empty() {
            let ul = self.el("ul", "stage-why")?;
            for w in &st.why {
                self.add(&ul, "li", "", w)?;
            }
            nav.append_child(&ul)?;
        }
        parent.append_child(&nav)?;
        Ok(())
    }

    fn signal(&self, ul: &Element, s: &Signal) -> Res<()> {
        let li = self.el("li", "")?;
        match s {
            Signal::Code {
                scheme,
                value,
                name,
                meaning,
                url,
                since,
                until,
                applies_to,
                ..
            } => {
                let code = self.el("code", "")?;
                code.set_text_content(Some(value));
                match url {
                    Some(u) => {
                        let a = self.el("a", "")?;
                        a.set_attribute("href", u)?;
                        a.append_child(&code)?;
                        li.append_child(&a)?;
                    }
                    None => {
                        li.append_child(&code)?;
                    }
                }
                self.add(&li, "span", "scheme", &format!(" {scheme} "))?;
                match name {
                    Some(n) => {
                        self.add(&li, "code", "code-name", n)?;
                    }
                    None => li.append_with_str_1("(not in this guide's table)")?,
                }
                if let Some(m) = meaning {
                    li.append_with_str_1(&format!(": {m}"))?;
                }
                if let Some(v) = versions(since.as_deref(), until.as_deref(), applies_to) {
                    self.add(&li, "span", "versions", &format!(" ({v})"))?;
                }
            }
            Signal::Event {
                log,
                source,
                id,
                level,
                meaning,
                ..
            } => {
                self.add(&li, "strong", "", &format!("Event {id}"))?;
                li.append_with_str_1(&format!(" from {source}"))?;
                let extra: Vec<&str> = [log.as_deref(), level.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect();
                if !extra.is_empty() {
                    li.append_with_str_1(&format!(" ({})", extra.join(", ")))?;
                }
                if let Some(m) = meaning {
                    li.append_with_str_1(&format!(": {m}"))?;
                }
            }
            Signal::PortTest {
                host,
                port,
                findings,
                ..
            } => {
                self.add(&li, "strong", "", "Port test")?;
                li.append_with_str_1(&format!(" {host}:{port}: "))?;
                if findings.is_empty() {
                    li.append_with_str_1("connection succeeded")?;
                } else {
                    let f: Vec<String> = findings
                        .iter()
                        .map(|f| f.as_str().replace('_', " "))
                        .collect();
                    self.add(&li, "span", "finding finding-bad", &f.join(", "))?;
                }
            }
            Signal::Message { text, .. } => {
                self.add(&li, "strong", "", "Message")?;
                li.append_with_str_1(&format!(" “{text}”"))?;
            }
            Signal::Progress { stage, text, .. } => {
                let label = stage_label(self.stages, stage);
                self.add(&li, "strong", "", &format!("{label} passed"))?;
                li.append_with_str_1(&format!(" “{text}”"))?;
            }
            Signal::LogLine {
                program,
                level,
                text,
                ..
            } => {
                // Pasted text: added as a text node only, never as markup.
                self.add(&li, "strong", "", &format!("{program} {level}"))?;
                li.append_with_str_1(&format!(" “{text}”"))?;
            }
            Signal::CertWarning {
                source,
                warning,
                host,
                subject,
                reason,
                findings,
                ..
            } => {
                self.add(&li, "strong", "", "Certificate warning")?;
                let mut text = format!(" from {source}: {}", warning.replace('_', " "));
                if let Some(h) = host {
                    text.push_str(&format!(" for {h}"));
                }
                if let Some(s) = subject {
                    text.push_str(&format!(", certificate {s}"));
                }
                if let Some(r) = reason {
                    text.push_str(&format!(" ({r})"));
                }
                li.append_with_str_1(&text)?;
                if !findings.is_empty() {
                    let f: Vec<String> = findings
                        .iter()
                        .map(|f| f.as_str().replace('_', " "))
                        .collect();
                    li.append_with_str_1(" ")?;
                    self.add(&li, "span", "finding finding-bad", &f.join(", "))?;
                }
            }
            Signal::Certificate(_) | Signal::PrivateKey { .. } => return Ok(()),
        }
        ul.append_child(&li)?;
        Ok(())
    }

    fn cert(&self, parent: &Element, c: &CertificateFacts) -> Res<()> {
        let card = self.el("article", "cert-card")?;
        let title = if c.subject.is_empty() {
            "(no subject)"
        } else {
            c.subject.as_str()
        };
        self.heading(&card, 1, title)?;
        if !c.findings.is_empty() {
            let ul = self.el("ul", "findings")?;
            for f in &c.findings {
                let (text, tone) = finding_text(*f);
                self.add(&ul, "li", &format!("finding finding-{tone}"), text)?;
            }
            card.append_child(&ul)?;
        }
        let dl = self.el("dl", "cert-facts")?;
        let row = |k: &str, v: &str| -> Res<()> {
            self.add(&dl, "dt", "", k)?;
            self.add(&dl, "dd", "", v)?;
            Ok(())
        };
        row("Validity", &validity(c))?;
        row("Issuer", &c.issuer)?;
        if !c.sans.is_empty() {
            row("Names", &c.sans.join(", "))?;
        }
        row("Key", &c.key)?;
        row("Signature", &c.signature_algorithm)?;
        row(
            "Extended key usage",
            &if c.extended_key_usage.is_empty() {
                "none listed (any purpose)".to_string()
            } else {
                c.extended_key_usage.join(", ")
            },
        )?;
        if !c.key_usage.is_empty() {
            row("Key usage", &c.key_usage.join(", "))?;
        }
        row("Serial", &c.serial)?;
        card.append_child(&dl)?;
        parent.append_child(&card)?;
        Ok(())
    }

    fn cause(&self, ol: &Element, c: &RankedCause) -> Res<()> {
        let li = self.el("li", "cause")?;
        let head = self.el("p", "cause-head")?;
        self.link(&head, &c.url, &c.title)?;
        let word = c.confidence.as_str();
        self.add(
            &head,
            "span",
            &format!("confidence confidence-{word}"),
            word,
        )?;
        li.append_child(&head)?;
        if !c.why.is_empty() {
            let ul = self.el("ul", "why")?;
            for w in &c.why {
                self.add(&ul, "li", "", w)?;
            }
            li.append_child(&ul)?;
        }
        if !c.fixes.is_empty() {
            let p = self.el("p", "fixes-label")?;
            p.set_text_content(Some("Fix:"));
            li.append_child(&p)?;
            let fl = self.el("ol", "fix-list")?;
            for f in &c.fixes {
                let item = self.el("li", "")?;
                let a = self.link(&item, &f.url, &f.title)?;
                // A cause often points at several steps of one fix: name the step, from its anchor.
                if let Some((_, step)) = f.url.split_once('#') {
                    self.add(
                        &a,
                        "span",
                        "step",
                        &format!(": step “{}”", step.replace('-', " ")),
                    )?;
                }
                fl.append_child(&item)?;
            }
            li.append_child(&fl)?;
        }
        ol.append_child(&li)?;
        Ok(())
    }
}

/// "2 codes, 1 certificate recognised; 3 causes ranked."
fn summary(r: &Report) -> String {
    let (mut codes, mut events, mut certs, mut messages, mut tests, mut keys) = (0, 0, 0, 0, 0, 0);
    for s in &r.signals {
        match s {
            Signal::Code { .. } => codes += 1,
            Signal::Event { .. } => events += 1,
            Signal::Certificate(_) | Signal::CertWarning { .. } => certs += 1,
            Signal::Message { .. } | Signal::Progress { .. } | Signal::LogLine { .. } => {
                messages += 1
            }
            Signal::PortTest { .. } => tests += 1,
            Signal::PrivateKey { .. } => keys += 1,
        }
    }
    let mut parts = Vec::new();
    for (n, one, many) in [
        (codes, "code", "codes"),
        (events, "event", "events"),
        (certs, "certificate", "certificates"),
        (messages, "message", "messages"),
        (tests, "port test", "port tests"),
        (keys, "private key", "private keys"),
    ] {
        match n {
            0 => {}
            1 => parts.push(format!("1 {one}")),
            n => parts.push(format!("{n} {many}")),
        }
    }
    let found = if parts.is_empty() {
        "Nothing recognised".to_string()
    } else {
        format!("Recognised {}", parts.join(", "))
    };
    match r.causes.len() {
        0 => format!("{found}."),
        1 => format!("{found}; 1 cause fits."),
        n => format!("{found}; {n} causes ranked."),
    }
}

fn validity(c: &CertificateFacts) -> String {
    let from = c.not_before.get(..10).unwrap_or(&c.not_before);
    let to = c.not_after.get(..10).unwrap_or(&c.not_after);
    let state = if c.findings.contains(&CertFinding::NotYetValid) {
        "not valid yet".to_string()
    } else if c.days_left < 0 {
        match -c.days_left {
            1 => "expired 1 day ago".to_string(),
            n => format!("expired {n} days ago"),
        }
    } else if c.findings.contains(&CertFinding::Expired) {
        "expired today".to_string()
    } else {
        match c.days_left {
            1 => "1 day left".to_string(),
            n => format!("{n} days left"),
        }
    };
    format!("{from} to {to} ({state})")
}

/// A finding as the card shows it, and its tone (`bad`, `warn` or `info`) for the badge's colour.
fn finding_text(f: CertFinding) -> (&'static str, &'static str) {
    match f {
        CertFinding::Expired => ("Expired", "bad"),
        CertFinding::NotYetValid => ("Not valid yet", "bad"),
        CertFinding::WeakKey => ("Weak key (RSA under 2048 bits)", "bad"),
        CertFinding::Sha1Signature => ("SHA-1 signature", "warn"),
        CertFinding::MissingServerAuthEku => ("No Server Authentication EKU", "bad"),
        CertFinding::HostnameMismatch => ("Name does not match the host", "bad"),
        CertFinding::SelfSigned => ("Self-signed", "info"),
        CertFinding::ChainIncomplete => ("Chain incomplete", "warn"),
    }
}
