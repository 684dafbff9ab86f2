// The checker's browser front end, both halves of it in one ES module so they cannot drift apart:
// - on the page, the theme's `fixbook.js` imports it (`assets.checker_ui`) when the reader first needs the
//   checker and calls `start`, then `mount` on each checker box and `codes` for a `#check=` link;
// - `start` runs this same file as a module Web Worker (from `import.meta.url`: same origin, no inline
//   script, no blob: URL), which loads wasm-bindgen's module (`checker.js`, the `.wasm`) and the knowledge
//   index's common part and runs the engine there, so a long paste never freezes the page. Before checking,
//   it asks the engine which buckets of the index the paste needs and fetches only those (see
//   checker-wasm/src/shard.rs), then which causes the report will list and fetches only their details
//   (checker-wasm/src/shard/details.rs), each file once per page.
//
// Page and worker exchange `{id, op, ...}` messages, answered in order:
//   load  {js, wasm, index}        -> {}              (fetches the three files; the first message)
//   (check and codes first fetch the index's buckets they need; answers keep the order of the questions)
//   check {paste, level, origin}   -> {view, summary, ticket}  (`check` in checker-wasm/src/web.rs)
//   codes {hash}                   -> {text}          (a `#check=` link as the lines a dialog shows)
// or `{id, error}`. The page builds the report from `view` (checker-wasm/src/view.rs) with createElement and
// textContent only; a box marked `data-checker-summary` (in a page's narrow side column) shows `summary`
// and the full `view` in a dialog, so a long report never stretches the page and never leaves it. Nothing
// pasted is stored or sent: the worker fetches only those same-origin files (which buckets of the index are
// fetched depends on the codes and known phrase words in the paste, hashed many to a bucket, never on its
// other text).

// ---- The worker half -----------------------------------------------------------------------------------

if (typeof document === "undefined") {
  // At most this many bucket requests at once: a long log can name dozens of codes.
  const FETCHES = 6;
  let engine = null;
  let indexUrl = "";
  // Bucket (or cause, for details) -> its fetch, so each file is fetched once per page, also by checks that
  // overlap.
  const buckets = new Map();
  const details = new Map();
  // Messages are handled one after another, so answers keep their order while buckets are fetched.
  let queue = Promise.resolve();
  const fetchText = (url, what) => fetch(url, { credentials: "same-origin" }).then((r) => {
    if (!r.ok) throw new Error(what + " answered " + r.status);
    return r.text();
  });
  // Fetches the files the engine lists as `[[n, path], ...]` (paths relative to the index's URL) and hands
  // each to `add(n, json)`; `seen` remembers them.
  const fetchAll = (list, seen, add, what) => {
    const todo = JSON.parse(list).filter(([b]) => !seen.has(b));
    let next = 0;
    const worker = () => {
      if (next >= todo.length) return Promise.resolve();
      const [b, path] = todo[next++];
      const got = fetchText(new URL(path, indexUrl).href, what)
        .then((json) => add(b, json))
        .catch((e) => { seen.delete(b); throw e; });
      seen.set(b, got);
      return got.then(worker);
    };
    const pool = Array.from({ length: Math.min(FETCHES, todo.length) }, worker);
    return Promise.all(pool.concat(JSON.parse(list).map(([b]) => seen.get(b))));
  };
  const ensure = (m, list) =>
    fetchAll(list, buckets, (b, json) => m.add_shard(b, json), "a knowledge shard").then(() => m);
  const answer = (id, fn) => {
    queue = queue
      .then(() => engine || Promise.reject(new Error("the checker is not loaded")))
      .then(fn)
      .then((out) => self.postMessage(Object.assign(out, { id })))
      .catch((e) => self.postMessage({ id, error: String((e && e.message) || e) }));
  };
  self.onmessage = (e) => {
    const q = e.data || {};
    if (q.op === "load") {
      if (!engine) {
        indexUrl = q.index;
        const mod = import(q.js).then((m) => m.default({ module_or_path: q.wasm }).then(() => m));
        const index = fetchText(q.index, "the knowledge index");
        engine = Promise.all([mod, index]).then(([m, json]) => { m.load_index(json); return m; });
      }
      answer(q.id, () => ({}));
    } else if (q.op === "check") {
      const paste = String(q.paste);
      const more = (m) => fetchAll(m.needed_details(paste), details, (c, json) => m.add_details(c, json), "a cause's details");
      answer(q.id, (m) => ensure(m, m.needed(paste)).then(() => more(m)).then(() => {
        const out = m.check(paste, q.level, String(q.origin));
        return out ? JSON.parse(out) : {};
      }));
    } else if (q.op === "codes") {
      answer(q.id, (m) => {
        const spec = m.spec_from_hash(String(q.hash));
        if (!spec) return { text: "" };
        return ensure(m, m.needed_for_codes(spec)).then(() => ({ text: m.paste_for_codes(spec) }));
      });
    }
  };
}

// ---- The page half -------------------------------------------------------------------------------------

// Typing waits this long for a pause before the text is checked again; a paste is checked at once.
const DEBOUNCE_MS = 150;
// A paste longer than this is checked without being put in the textarea: laying out megabytes of text in
// a textarea costs the browser far more (about a second for 3 MB) than checking it does.
const LARGE_PASTE = 256 * 1024;
// The only tags and attributes a report's view may create (defence in depth: the view is the engine's).
const TAGS = /^(div|p|ul|ol|li|section|h[1-6]|a|code|span|strong|article|dl|dt|dd|wbr)$/;
const ATTRS = /^(href|aria-label|aria-current)$/;

let worker = null;
let started = null;
let nextId = 0;
const waiting = new Map();

// A request to the worker; the answer comes back with the same id.
function ask(msg) {
  return new Promise((resolve, reject) => {
    msg.id = ++nextId;
    waiting.set(msg.id, { resolve, reject });
    worker.postMessage(msg);
  });
}

// The worker resolves URLs against its own; absolute ones mean the same there (and this cannot throw).
function absolute(u) {
  try { return new URL(u, location.href).href; } catch (e) { return String(u); }
}

/** Starts the worker and has it load the module and the index; resolves when it can check. */
export function start({ js, wasm, index }) {
  if (started) return started;
  started = new Promise((resolve, reject) => {
    worker = new Worker(import.meta.url, { type: "module" });
    worker.onmessage = (e) => {
      const m = e.data || {};
      const w = waiting.get(m.id);
      if (!w) return;
      waiting.delete(m.id);
      if (m.error) w.reject(new Error(m.error)); else w.resolve(m);
    };
    worker.onerror = (e) => { e.preventDefault(); reject(new Error("the checker's worker failed")); };
    ask({ op: "load", js: absolute(js), wasm: absolute(wasm), index: absolute(index) }).then(resolve, reject);
  });
  return started;
}

/** The lines a dialog would show for the codes of a `#check=` link (empty if it names none). */
export function codes(hash) {
  return ask({ op: "codes", hash: String(hash) }).then((m) => m.text || "");
}

// The report's view as DOM nodes: texts only through text nodes, and only the view's own tags and
// attributes.
function build(n) {
  if (typeof n === "string") return document.createTextNode(n);
  if (!n || !TAGS.test(n.t)) return document.createTextNode("");
  const el = document.createElement(n.t);
  if (n.c) el.className = n.c;
  for (const [k, v] of n.a || []) if (ATTRS.test(k)) el.setAttribute(k, v);
  for (const k of n.k || []) el.appendChild(build(k));
  return el;
}

/**
 * The full report of a summary box: a button after the summary opens it in a modal dialog, wide and
 * scrolling on its own, which Escape or its Close button shuts (focus goes back to the button). The paste
 * stays where it is: nothing is put in the URL or in storage to show it elsewhere.
 */
function fullReport(root, region) {
  const dialog = document.createElement("dialog");
  dialog.className = "report-dialog";
  const id = region.id + "-full";
  dialog.setAttribute("aria-labelledby", id + "-h");
  const head = document.createElement("div");
  head.className = "report-dialog-head";
  const h = document.createElement("h2");
  h.id = id + "-h";
  h.textContent = "Full report";
  const close = document.createElement("button");
  close.type = "button";
  close.className = "button";
  close.textContent = "Close";
  close.addEventListener("click", () => dialog.close());
  head.append(h, close);
  const body = document.createElement("div");
  body.className = "checker-report";
  dialog.append(head, body);
  // Beside the box, not in it: the box holds one report, the summary.
  root.after(dialog);
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button report-more";
  button.textContent = "Show the full report";
  button.setAttribute("aria-haspopup", "dialog");
  button.addEventListener("click", () => { dialog.showModal(); close.focus(); });
  dialog.addEventListener("close", () => { if (button.isConnected) button.focus(); });
  return {
    button,
    set(view) { body.textContent = ""; body.appendChild(build(view)); },
  };
}

/**
 * Connects a checker box (a `textarea`, a `.checker-report` region, optionally `.checker-actions` with a
 * `.checker-copy` button and a `.checker-status` line): from now on its text is checked as the reader types
 * or pastes, and the latest answer is shown. Mounting a box twice does nothing.
 */
export function mount(root) {
  const ta = root.querySelector("textarea");
  const region = root.querySelector(".checker-report");
  if (!ta || !region || root.hasAttribute("data-checker-mounted")) return;
  const actions = root.querySelector(".checker-actions");
  const status = root.querySelector(".checker-status");
  const copy = root.querySelector(".checker-copy");
  const level = Number(root.getAttribute("data-heading-level")) || 3;
  const full = root.hasAttribute("data-checker-summary") ? fullReport(root, region) : null;
  const placeholder = ta.placeholder;
  // A large paste, held in memory only until the reader types or pastes again; never put in the page.
  let large = null;
  let timer = null;
  let asked = 0;
  let ticket = "";

  function setActions(shown) {
    if (actions) actions.hidden = !shown;
    if (status) status.textContent = "";
  }
  function setLarge(text) {
    if (text === null && large === null) return;
    large = text;
    ta.placeholder = text === null ? placeholder
      : `A ${(text.length / (1024 * 1024)).toFixed(1)} MB paste is being read: it is not shown here, to keep the page fast. Type or paste to replace it.`;
  }
  function run() {
    clearTimeout(timer);
    timer = null;
    const text = large !== null ? large : ta.value;
    const n = ++asked;
    if (!text.trim()) {
      region.textContent = "";
      ticket = "";
      setActions(false);
      return;
    }
    ask({ op: "check", paste: text, level, origin: location.origin }).then((m) => {
      if (n !== asked || !m.view) return;
      region.textContent = "";
      if (full && m.summary) {
        region.appendChild(build(m.summary));
        full.set(m.view);
        region.appendChild(full.button);
      } else {
        region.appendChild(build(m.view));
      }
      ticket = m.ticket || "";
      setActions(true);
    }, () => {
      if (n === asked) region.textContent = "The report could not be shown.";
    });
  }

  ta.addEventListener("input", (e) => {
    // Whatever the reader types or pastes into the box replaces a large paste held aside.
    setLarge(null);
    if (e.inputType && e.inputType.startsWith("insertFrom")) { run(); return; }
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  });
  ta.addEventListener("paste", (e) => {
    const text = e.clipboardData ? e.clipboardData.getData("text/plain") : "";
    if (text.length <= LARGE_PASTE) return;
    e.preventDefault();
    ta.value = "";
    setLarge(text);
    run();
  });
  if (copy) {
    copy.addEventListener("click", () => {
      if (!ticket || !navigator.clipboard) return;
      const say = (t) => { if (status) status.textContent = t; };
      navigator.clipboard.writeText(ticket).then(
        () => say("Copied: the decoded summary and links, not your whole paste. It keeps the host names, addresses and certificate names it shows: check them before sharing."),
        () => say("The browser did not allow copying. Select the report and copy it instead."));
    });
  }
  root.setAttribute("data-checker-mounted", "");
  // Text typed before the checker arrived is read now.
  run();
}
