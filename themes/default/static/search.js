// fixbook's search box, loaded by fixbook.js on first use (focus, typing, "/", or a 404 page's suggestions).
// It reads the sharded index that `fixbook build` writes (format: generator/src/derive/search/files.rs):
// a small manifest, then only the term shards of the words typed and the fragments of the results shown.
// Nothing typed or pasted is stored or sent anywhere; the only requests are for index files.

// ---- Terms: the same rules as generator/src/derive/search/terms.rs ------------------------------------

// Common English words, which the index leaves out.
const STOP = new Set(["an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for", "from",
  "has", "have", "if", "in", "into", "is", "it", "its", "not", "of", "on", "or", "so", "that", "the", "their",
  "then", "there", "these", "this", "to", "was", "were", "what", "when", "which", "with", "you", "your", "will",
  "than", "they", "one"]);

// Snowball English ("Porter2"), written from the algorithm's description at snowballstem.org to give what
// the generator's stemmer (the `rust-stemmers` crate) gives; generator/tests/search_stem.rs checks that the
// two agree on every word of the site and a long word list. Input: lower-case ASCII letters.
const EXCEPTIONS = {
  skis: "ski", skies: "sky", dying: "die", lying: "lie", tying: "tie", idly: "idl", gently: "gentl",
  ugly: "ugli", early: "earli", only: "onli", singly: "singl", sky: "sky", news: "news", howe: "howe",
  atlas: "atlas", cosmos: "cosmos", bias: "bias", andes: "andes",
};
const EXCEPTIONS_AFTER_1A = new Set(["inning", "outing", "canning", "herring", "earring", "proceed", "exceed",
  "succeed"]);
const VOWELS = "aeiouy";
function isV(c) { return VOWELS.indexOf(c) >= 0; }
const DOUBLES = ["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"];
const VALID_LI = "cdeghkmnrt";
const STEP2 = [["ization", "ize"], ["ational", "ate"], ["fulness", "ful"], ["ousness", "ous"], ["iveness", "ive"],
  ["tional", "tion"], ["biliti", "ble"], ["lessli", "less"], ["entli", "ent"], ["ation", "ate"], ["alism", "al"],
  ["aliti", "al"], ["ousli", "ous"], ["iviti", "ive"], ["fulli", "ful"], ["enci", "ence"], ["anci", "ance"],
  ["abli", "able"], ["izer", "ize"], ["ator", "ate"], ["alli", "al"], ["bli", "ble"], ["ogi", "og"], ["li", ""]];
const STEP3 = [["ational", "ate"], ["tional", "tion"], ["alize", "al"], ["icate", "ic"], ["iciti", "ic"],
  ["ative", ""], ["ical", "ic"], ["ness", ""], ["ful", ""]];
const STEP4 = ["ement", "ment", "able", "ible", "ance", "ence", "ate", "iti", "ion", "ism", "ive", "ize", "ous",
  "ant", "ent", "al", "er", "ic"];

export function stem(word) {
  if (word.length <= 2) return word;
  if (Object.prototype.hasOwnProperty.call(EXCEPTIONS, word)) return EXCEPTIONS[word];
  // Prelude: `y` at the start or after a vowel is a consonant, written `Y` until the end.
  let w = word.split("");
  for (let i = 0; i < w.length; i++) {
    if (w[i] === "y" && (i === 0 || isV(w[i - 1]))) w[i] = "Y";
  }
  w = w.join("");
  // Regions: R1 after the first non-vowel that follows a vowel (or after one of three prefixes), R2 the
  // same within R1.
  function after(from) {
    for (let i = from + 1; i < w.length; i++) if (!isV(w[i]) && isV(w[i - 1])) return i + 1;
    return w.length;
  }
  let p1;
  const pre = /^(gener|commun|arsen)/.exec(w);
  p1 = pre ? pre[0].length : after(0);
  // `after(p1 - 1)` looks for a vowel then a non-vowel at or after p1.
  const p2 = after(p1);
  const ends = (s) => w.endsWith(s);
  const inR1 = (s) => w.length - s.length >= p1;
  const inR2 = (s) => w.length - s.length >= p2;
  const cut = (n) => { w = w.slice(0, w.length - n); };
  // A short syllable at the end of `s`: non-vowel, vowel, non-vowel other than w, x, Y; or, at the start,
  // vowel then non-vowel.
  function shortEnd(s) {
    const n = s.length;
    if (n >= 3 && !isV(s[n - 1]) && "wxY".indexOf(s[n - 1]) < 0 && isV(s[n - 2]) && !isV(s[n - 3])) return true;
    return n === 2 && isV(s[0]) && !isV(s[1]);
  }

  // Step 1a.
  if (ends("sses")) cut(2);
  else if (ends("ied") || ends("ies")) w = w.slice(0, w.length - 3) + (w.length > 4 ? "i" : "ie");
  else if (ends("us") || ends("ss")) { /* unchanged */ }
  else if (ends("s")) {
    // Delete if a vowel comes before the letter preceding the s.
    const before = w.slice(0, w.length - 2);
    if (/[aeiouy]/.test(before)) cut(1);
  }
  if (EXCEPTIONS_AFTER_1A.has(w)) return w.replace(/Y/g, "y");

  // Step 1b.
  const s1b = ["eedly", "ingly", "edly", "eed", "ing", "ed"].find(ends);
  if (s1b === "eed" || s1b === "eedly") {
    if (inR1(s1b)) w = w.slice(0, w.length - s1b.length) + "ee";
  } else if (s1b) {
    const stemPart = w.slice(0, w.length - s1b.length);
    if (/[aeiouy]/.test(stemPart)) {
      w = stemPart;
      if (ends("at") || ends("bl") || ends("iz")) w += "e";
      else if (DOUBLES.some(ends)) cut(1);
      else if (p1 === w.length && shortEnd(w)) w += "e";
    }
  }

  // Step 1c.
  if ((ends("y") || ends("Y")) && w.length > 2 && !isV(w[w.length - 2])) w = w.slice(0, -1) + "i";

  // Step 2.
  const s2 = STEP2.find((s) => ends(s[0]));
  if (s2 && inR1(s2[0])) {
    const stemPart = w.slice(0, w.length - s2[0].length);
    if (s2[0] === "ogi") { if (stemPart.endsWith("l")) w = stemPart + "og"; }
    else if (s2[0] === "li") { if (stemPart && VALID_LI.indexOf(stemPart[stemPart.length - 1]) >= 0) w = stemPart; }
    else w = stemPart + s2[1];
  }

  // Step 3.
  const s3 = STEP3.find((s) => ends(s[0]));
  if (s3 && inR1(s3[0]) && (s3[0] !== "ative" || inR2(s3[0]))) w = w.slice(0, w.length - s3[0].length) + s3[1];

  // Step 4.
  const s4 = STEP4.find(ends);
  if (s4 && inR2(s4)) {
    if (s4 === "ion") {
      const c = w[w.length - 4];
      if (c === "s" || c === "t") cut(3);
    } else cut(s4.length);
  }

  // Step 5.
  if (ends("e")) {
    const stemPart = w.slice(0, -1);
    if (inR2("e") || (inR1("e") && !shortEnd(stemPart))) w = stemPart;
  } else if (ends("ll") && inR2("l")) cut(1);

  return w.replace(/Y/g, "y");
}

// Whether the index stems a term: words of ASCII letters, three or more (terms.rs `stems`).
function stems(t) { return t.length >= 3 && /^[a-z]+$/.test(t); }

export function term(word) { return stems(word) ? stem(word) : word; }

// Codes in a query: `0x904`, `904`, `2308`, `0x00000904`, `-2146885613` all become canonical hex candidates
// (`0x904`, `0x80092013`), the form the index stores codes in.
function codeCandidates(tok) {
  const out = [];
  if (typeof BigInt !== "function") return out;
  try {
    if (/^-\d{1,10}$/.test(tok)) {
      const n = BigInt(tok);
      if (n >= BigInt("-2147483648")) out.push("0x" + BigInt.asUintN(32, n).toString(16));
      return out;
    }
    const hex = tok.replace(/^0x/, "");
    if (/^0x[0-9a-f]{1,16}$/.test(tok) || (/^[0-9a-f]{1,16}$/.test(tok) && /\d/.test(tok))) {
      out.push("0x" + BigInt("0x" + hex).toString(16));
    }
    if (/^\d{1,19}$/.test(tok)) out.push("0x" + BigInt(tok).toString(16));
  } catch (e) { /* not a number after all */ }
  return out;
}

// The words of a query: each with the terms to look up exactly, and whether it is a prefix (the last word
// while the reader is still typing it).
export function parse(q) {
  const raw = (q.toLowerCase().match(/-?[\p{L}\p{N}_]+/gu) || []).slice(0, 12);
  const typing = !/\s$/.test(q);
  const words = [];
  // A word typed twice counts once ("error code 0x904, extended error code 0x7" is not twice about errors).
  const seen = new Set();
  raw.forEach((tok, i) => {
    const word = tok.replace(/^-+/, "");
    if (seen.has(word)) return;
    seen.add(word);
    const codes = codeCandidates(tok);
    const plain = word.length >= 2 && word.length <= 40 && !STOP.has(word) && !/^0x/.test(word);
    if (!codes.length && !plain) return;
    words.push({
      word,
      codes,
      term: plain ? term(word) : null,
      prefix: plain && typing && i === raw.length - 1 && word.length >= 3 ? word : null,
    });
  });
  return words;
}

// Edit distance with a cap: anything above `max` is `max + 1`.
function distance(a, b, max) {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = [];
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let low = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      low = Math.min(low, cur[j]);
    }
    if (low > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

// ---- The index: fetched file by file, each at most once --------------------------------------------------

const WEIGHT = { exact: 10, code: 12, prefix: 6, typo: 5 };

export function openIndex(manifestUrl) {
  const cache = new Map();
  function get(url) {
    if (!cache.has(url)) {
      const p = fetch(url, { credentials: "same-origin" }).then((r) => {
        if (!r.ok) throw new Error(r.status + " " + url);
        return r.json();
      });
      p.catch(() => cache.delete(url));
      cache.set(url, p);
    }
    return cache.get(url);
  }
  const base = new URL(manifestUrl, location.href);
  const file = (kind, hash) => new URL("search/" + kind + "." + hash + ".json", base).href;
  const manifest = get(base.href);
  const decoded = new Map();

  // The shard that holds `t`: the last whose first term is <= t.
  function shardOf(m, t) {
    let lo = 0, hi = m.t.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (m.t[mid][0] <= t) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  function shard(m, i) {
    const url = file("t", m.t[i][1]);
    return get(url).then((s) => {
      if (!decoded.has(url)) decoded.set(url, { raw: s, keys: null, lists: new Map() });
      return decoded.get(url);
    });
  }
  function list(sh, t) {
    if (!sh.lists.has(t)) {
      const r = sh.raw[t];
      let out = null;
      if (r) {
        const ids = new Array(r.length - 1);
        let acc = 0;
        for (let i = 1; i < r.length; i++) { acc += r[i]; ids[i - 1] = acc; }
        out = { count: r[0], ids };
      }
      sh.lists.set(t, out);
    }
    return sh.lists.get(t);
  }

  return {
    manifest,
    // Postings of a term: { count, ids } or null.
    async postings(t) {
      const m = await manifest;
      return list(await shard(m, shardOf(m, t)), t);
    },
    // Terms that start with `p` (at most `limit`), from the one or two shards that hold them.
    async prefixed(p, limit) {
      const m = await manifest;
      const first = shardOf(m, p);
      const out = [];
      for (let i = first; i < m.t.length && i < first + 2; i++) {
        if (i > first && !m.t[i][0].startsWith(p)) break;
        const sh = await shard(m, i);
        if (!sh.keys) sh.keys = Object.keys(sh.raw).sort();
        for (const k of sh.keys) {
          if (k.startsWith(p) && out.length < limit) out.push(k);
        }
      }
      return out;
    },
    // Word terms near `w` (edit distance <= max), read from the vocabulary of its first letter.
    async near(w, max) {
      const m = await manifest;
      const hash = m.w[w[0]];
      if (!hash) return [];
      const words = await get(file("v", hash));
      const found = [];
      for (const v of words) {
        const d = distance(w, v, max);
        if (d <= max) found.push([d, v]);
      }
      found.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
      return found.filter((f) => f[0] === found[0][0]).slice(0, 3).map((f) => f[1]);
    },
    // The text of unit `u`: [url, title, kind, [[anchor, heading, snippet], ...]].
    async unit(u) {
      const m = await manifest;
      const g = Math.floor(u / m.p);
      const listHash = m.d[Math.floor(g / m.l)];
      if (!listHash) return null;
      const hashes = await get(file("d", listHash));
      const frag = await get(file("f", hashes[g % m.l]));
      return frag[u % m.p] || null;
    },
  };
}

// Runs a query: pages (units) best first, each with its best section and the terms that matched.
// `typo` says whether the words were replaced by near ones because the query found nothing.
export async function query(index, q) {
  const words = parse(q);
  let r = await rank(index, words, false);
  if (!r.units.length) {
    const near = await Promise.all(words.map(async (w) => {
      const letters = w.term && /^\p{L}+$/u.test(w.word) && w.word.length >= 5;
      if (!letters) return w;
      const got = await index.postings(w.term);
      if (got) return w;
      const max = w.word.length >= 8 ? 2 : 1;
      let alts = await index.near(w.term, max);
      if (!alts.length && w.term !== w.word) alts = await index.near(w.word, max);
      if (!alts.length && max < 2) alts = await index.near(w.term, 2);
      return alts.length ? Object.assign({}, w, { alts }) : w;
    }));
    if (near.some((w) => w.alts)) {
      r = await rank(index, near, true);
      r.typo = true;
    }
  }
  return r;
}

async function rank(index, words, typo) {
  // A word held by few units says more than one held by most ("0x904" more than "error"): each word's
  // scores are weighed by its inverse document frequency, ln(1 + units / postings), when the manifest
  // gives the number of units (`n`, format 3).
  const n = (await index.manifest).n;
  const units = new Map();
  const matched = new Set();
  let truncated = false;
  let used = 0;
  await Promise.all(words.map(async (w, wi) => {
    const lookups = [];
    w.codes.forEach((c) => lookups.push([c, WEIGHT.code, true]));
    if (w.alts) w.alts.forEach((a) => lookups.push([a, WEIGHT.typo, false]));
    else if (w.term) lookups.push([w.term, WEIGHT.exact, false]);
    if (w.prefix && !w.alts) {
      const seen = new Set(lookups.map((l) => l[0]));
      for (const p of new Set([w.prefix, w.term])) {
        for (const t of await index.prefixed(p, 40)) if (!seen.has(t)) { seen.add(t); lookups.push([t, WEIGHT.prefix, false]); }
      }
    }
    if (!lookups.length) return;
    used++;
    const best = new Map(); // unit -> Map(section -> score) for this word
    await Promise.all(lookups.map(async ([t, weight, code]) => {
      const p = await index.postings(t);
      if (!p) return;
      matched.add(t);
      if (p.count > p.ids.length) truncated = true;
      const idf = n ? Math.log(1 + n / Math.max(1, p.count)) : 1;
      for (const id of p.ids) {
        const u = Math.floor(id / 1024), sec = (id >> 4) & 63, flags = id & 15, kind = flags >> 2;
        let s = weight + (flags & 2 ? 6 : 0) + (flags & 1 ? 8 : 0);
        if (code && kind === 2) s += 2;
        s *= idf;
        if (!best.has(u)) best.set(u, new Map());
        const m = best.get(u);
        m.set(sec, Math.max(m.get(sec) || 0, s));
        if (!best.kindOf) best.kindOf = new Map();
        best.kindOf.set(u, kind);
      }
    }));
    for (const [u, secs] of best) {
      let r = units.get(u);
      if (!r) { r = { unit: u, kind: best.kindOf.get(u), words: new Set(), secs: new Map() }; units.set(u, r); }
      r.words.add(wi);
      for (const [sec, s] of secs) r.secs.set(sec, (r.secs.get(sec) || 0) + s);
    }
  }));
  const out = [];
  for (const r of units.values()) {
    let sec = 0, top = -1, sum = 0;
    for (const [s, v] of r.secs) {
      if (v > top || (v === top && s < sec)) { top = v; sec = s; }
    }
    // A page scores by its best section, plus a little for each other section that matches.
    for (const v of r.secs.values()) sum += v;
    const actionable = r.kind === 1 ? 2 : 0;
    out.push({ unit: r.unit, section: sec, score: top + actionable + Math.min(sum - top, 20) / 10, all: r.words.size === used });
  }
  out.sort((a, b) => (b.all - a.all) || (b.score - a.score) || (a.unit - b.unit));
  return { units: out, terms: matched, words, truncated, typo };
}

// The fewest consecutive words of `title` that hold every one of `terms` (Infinity when one is missing).
export function span(title, terms) {
  if (!terms.length) return Infinity;
  const words = (title.toLowerCase().match(/[\p{L}\p{N}_]+/gu) || []).map(term);
  let best = Infinity;
  for (let i = 0; i < words.length; i++) {
    if (!terms.includes(words[i])) continue;
    const left = new Set(terms);
    for (let j = i; j < words.length && j - i < best; j++) {
      left.delete(words[j]);
      if (!left.size) { best = j - i + 1; break; }
    }
  }
  return best;
}

// ---- Snippets: the words of a section around the first one that matched ------------------------------------

// Splits `text` into words and gaps; marks the words whose term is in `terms` (or starts with a prefix).
function marked(text, terms, prefixes) {
  const parts = [];
  const re = /[\p{L}\p{N}_]+/gu;
  let last = 0, m, first = -1;
  while ((m = re.exec(text))) {
    if (m.index > last) parts.push([text.slice(last, m.index), false]);
    const lower = m[0].toLowerCase();
    const t = /^0x/.test(lower) ? canonicalHex(lower) : term(lower);
    const hit = terms.has(t) || prefixes.some((p) => lower.startsWith(p));
    if (hit && first < 0) first = parts.length;
    parts.push([m[0], hit]);
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push([text.slice(last), false]);
  return { parts, first };
}

function canonicalHex(s) {
  try { return "0x" + BigInt(s).toString(16); } catch (e) { return s; }
}

// Appends `text` to `el`, the matched words in <mark>, cut to about `room` characters around the first match.
function appendMarked(el, text, terms, prefixes, room) {
  const { parts, first } = marked(text, terms, prefixes);
  let from = 0, to = parts.length;
  if (room) {
    let len = 0;
    from = Math.max(0, first);
    // Some words before the match, then as many after as fit.
    for (let i = from - 1, back = 0; i >= 0 && back < room / 3; i--) { back += parts[i][0].length; from = i; }
    for (to = from; to < parts.length && len < room; to++) len += parts[to][0].length;
  }
  if (from > 0) el.appendChild(document.createTextNode("…"));
  for (let i = from; i < to; i++) {
    const [s, hit] = parts[i];
    if (hit) {
      const mk = document.createElement("mark");
      mk.textContent = s;
      el.appendChild(mk);
    } else el.appendChild(document.createTextNode(s));
  }
  if (to < parts.length) el.appendChild(document.createTextNode("…"));
  if (first < 0) return null;
  // The matched word and a few words after it, as written: a phrase likely found once on the page.
  let phrase = "";
  for (let i = first; i < parts.length && phrase.length < 30; i++) {
    if (/[…\n]/.test(parts[i][0])) break;
    phrase += parts[i][0];
  }
  return phrase.trim();
}

// The link of a result: the page, or its section; for a typed query, with a text fragment that makes the
// browser scroll to and highlight the matched word on the landed page. The phrase is the section's own text
// around that word, never the query (a paste is never searched): where the browser does not find it, it
// falls back to the section's anchor.
function resultHref(url, anchor, phrase) {
  let h = url + (anchor ? "#" + encodeURIComponent(anchor) : "");
  if (phrase) h += (anchor ? "" : "#") + ":~:text=" + encodeURIComponent(phrase).replace(/-/g, "%2D");
  return h;
}

// ---- The search box ------------------------------------------------------------------------------------

const FIRST = 10, MORE = 40;

// Sets up the search box; returns the handlers that fixbook.js forwards its events to.
// What the status says for results `r` (`units`, `truncated`, `typo`) with the first `shown` listed, in the
// words of the "Show more" button: results. `truncated` means the index kept only the most relevant pages
// of a word found on many more, so the count is of those, not of every page that matches.
export function statusText(r, shown, offer) {
  const total = r.units.length;
  if (total === 0) return offer ? "" : "No results.";
  const n = Math.min(total, shown);
  const typo = r.typo ? "Nothing matches those words exactly; results with words close to them. " : "";
  let count;
  if (r.truncated) {
    count = (n < total ? n + " of the " + total : "The " + total) + " most relevant results"
      + " (more pages have these words: add a word to narrow the search)";
  } else if (total === 1) {
    count = "1 result";
  } else {
    count = n < total ? n + " of " + total + " results" : "All " + total + " results";
  }
  return typo + count + ". Arrow keys to choose, Enter to open.";
}

export function mount(o) {
  const { input, box, list, status, pasteOffer, pasteButton, checker } = o;
  const form = input.form;
  const index = openIndex(o.index);
  // `dismissed`: Escape closed the results from inside them; the focus it gives back to the box does not
  // open them again (typing does).
  let pasted = null, seq = 0, dismissed = false;
  index.manifest.catch(() => { status.textContent = "Search is unavailable: its index did not load."; });

  function close() { box.hidden = true; }

  if (pasteButton) {
    pasteButton.addEventListener("click", () => {
      const text = pasted;
      pasted = null;
      input.value = "";
      close();
      if (text) checker.check(text);
    });
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const first = list.querySelector("a");
    if (first) location.href = first.href;
  });

  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown") {
      const first = box.querySelector("a, button:not([hidden])");
      const target = pasteOffer && !pasteOffer.hidden ? pasteButton : list.querySelector("a");
      if (target || first) { e.preventDefault(); (target || first).focus(); }
    } else if (e.key === "Escape") {
      close();
    }
  });

  box.addEventListener("keydown", (e) => {
    const items = Array.prototype.slice.call(box.querySelectorAll("a, button"))
      .filter((x) => x.offsetParent !== null);
    const i = items.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && i >= 0) {
      e.preventDefault();
      if (i + 1 < items.length) items[i + 1].focus();
    } else if (e.key === "ArrowUp" && i >= 0) {
      e.preventDefault();
      if (i > 0) items[i - 1].focus(); else input.focus();
    } else if (e.key === "Escape") {
      e.preventDefault();
      close();
      // Focus goes back to the box, whose focus would run the query and open the results again.
      dismissed = true;
      input.focus();
    }
  });

  // The path as dispatched, not `form.contains(target)`: a "Show more" press whose results are already
  // fetched renders them (and replaces the button) in the microtasks between the button's listener and this
  // one, and the detached button would read as a click outside.
  document.addEventListener("click", (e) => { if (!e.composedPath().includes(form)) close(); });
  form.addEventListener("focusout", (e) => { if (e.relatedTarget && !form.contains(e.relatedTarget)) close(); });

  async function render(r, from, to, n) {
    const prefixes = r.words.map((w) => w.prefix).filter(Boolean);
    const rows = await Promise.all(r.units.slice(from, to).map((hit) => index.unit(hit.unit).then((u) => [hit, u])));
    if (n !== seq) return;
    // Results that score the same are ordered by how close together the query's words are in their titles
    // ("certificate has expired": the title that says just that before one that says "certificate is
    // untrusted, expired"); the index holds no title lengths, the fragments fetched to show them do.
    const terms = r.words.map((w) => w.term).filter(Boolean);
    const near = new Map(rows.map(([hit, u]) => [hit, u ? span(u[1], terms) : Infinity]));
    rows.sort(([a], [b]) => (b.all - a.all) || (b.score - a.score) || (near.get(a) - near.get(b)));
    for (const [hit, u] of rows) {
      if (!u) continue;
      const [url, title, kind, secs] = u;
      const sec = secs[hit.section] || secs[0] || ["", "", ""];
      const li = document.createElement("li");
      const a = document.createElement("a");
      const t = document.createElement("span");
      t.className = "result-title";
      appendMarked(t, title, r.terms, prefixes, 0);
      a.appendChild(t);
      if (kind) {
        const k = document.createElement("span");
        k.className = "kind kind-" + kind;
        k.textContent = " " + kind;
        a.appendChild(k);
      }
      if (sec[0]) {
        const h = document.createElement("span");
        h.className = "result-section";
        appendMarked(h, sec[1], r.terms, prefixes, 0);
        a.appendChild(h);
      }
      let word = null;
      if (sec[2]) {
        const s = document.createElement("span");
        s.className = "result-summary";
        word = appendMarked(s, sec[2], r.terms, prefixes, 160);
        a.appendChild(s);
      }
      a.href = resultHref(url, sec[0], kind === "codes" ? null : word);
      li.appendChild(a);
      list.appendChild(li);
    }
  }

  function showMore(r, shown, n) {
    const old = box.querySelector(".search-more");
    if (old) old.remove();
    const total = r.units.length;
    if (shown >= total) return;
    const b = document.createElement("button");
    b.type = "button";
    b.className = "button search-more";
    // The label says what a press does: all the results when the next batch is the last, else how many more.
    const more = Math.min(MORE, total - shown);
    b.textContent = shown + more === total ? "Show all " + total + " results" : "Show " + more + " more of " + total + " results";
    b.addEventListener("click", () => {
      if (b.disabled) return;
      b.disabled = true;
      const to = shown + more;
      const next = list.children.length;
      render(r, shown, to, n).then(() => {
        if (n !== seq) return;
        status.textContent = statusText(r, to, false);
        showMore(r, to, n);
        const a = list.children[next] && list.children[next].querySelector("a");
        if (a) a.focus();
      });
    });
    box.appendChild(b);
  }

  async function run() {
    const n = ++seq;
    const q = input.value;
    // Empty while a query runs: the status speaks for the results shown.
    status.textContent = "";
    const offer = pasted !== null;
    if (pasteOffer) pasteOffer.hidden = !offer;
    if (!q.trim() && !offer) {
      list.textContent = "";
      const more = box.querySelector(".search-more");
      if (more) more.remove();
      close();
      status.textContent = "";
      return;
    }
    box.hidden = false;
    let r;
    try { r = offer ? { units: [], words: [], terms: new Set() } : await query(index, q); } catch (e) { return; }
    if (n !== seq) return;
    list.textContent = "";
    await render(r, 0, FIRST, n);
    if (n !== seq) return;
    showMore(r, Math.min(FIRST, r.units.length), n);
    status.textContent = statusText(r, FIRST, offer);
  }

  return {
    focus() {
      if (dismissed) dismissed = false;
      else run();
    },
    input() {
      dismissed = false;
      run();
    },
    // A paste of several lines or a long one is offered to the checker instead of searched.
    paste(text) {
      if (text && (/\n/.test(text.trim()) || text.length > 160)) {
        pasted = text;
        checker.load();
      } else pasted = null;
    },
  };
}

// On the 404 page: the words of the URL that was not found, searched in the index, become suggestions
// ("/errors/0x904-extended/" suggests the 0x904 pages).
export async function suggest(box, manifestUrl, path) {
  const words = (path.toLowerCase().match(/[\p{L}\p{N}_]+/gu) || []).filter((w) => w.length >= 2 && w !== "html" && w !== "index");
  if (!words.length) return;
  const index = openIndex(manifestUrl);
  // Any word may be the one that matters (a typo in one is common): rank by all, keep the first five.
  const lists = [await query(index, words.join(" ") + " ")];
  for (const w of words) lists.push(await query(index, w + " "));
  const seen = new Set(), ids = [];
  for (const l of lists) for (const r of l.units) if (!seen.has(r.unit) && ids.length < 5) { seen.add(r.unit); ids.push(r.unit); }
  const list = box.querySelector("ul");
  for (const id of ids) {
    const u = await index.unit(id);
    if (!u) continue;
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = u[0];
    a.textContent = u[1];
    li.appendChild(a);
    const intro = u[3][0];
    if (intro && intro[2]) {
      const s = document.createElement("span");
      s.className = "summary";
      s.textContent = intro[2];
      li.appendChild(document.createElement("br"));
      li.appendChild(s);
    }
    list.appendChild(li);
  }
  box.hidden = ids.length === 0;
}
