// fixbook's page script: small, hand-written, no framework. Loaded in <head> so the theme is set before the
// first paint; everything else waits for the document. The checker module, the knowledge index, the search
// box's code (search.js) and the search index are fetched only when the reader uses them. Nothing pasted is stored, sent or put in the URL:
// localStorage holds only the theme and the preferred fix variant.
"use strict";
(function () {
  var root = document.documentElement;

  // Percent-decoding that cannot throw: a malformed escape (`#%`, `#%E0%A4%A`) gives the text back as
  // written. Every decoding of the location goes through here.
  function decoded(s) {
    try { return decodeURIComponent(s); } catch (e) { return s; }
  }

  // Runs one part of the page's start-up: a part that fails is reported but does not stop the others.
  function part(fn, a, b) {
    try { return fn(a, b); } catch (e) { setTimeout(function () { throw e; }); return null; }
  }

  function stored(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function store(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode: not remembered */ }
  }

  // Theme: the system's, unless the reader chose one with the toggle.
  var chosen = stored("fixbook-theme");
  if (chosen === "dark" || chosen === "light") root.setAttribute("data-theme", chosen);
  // Before the first paint: with script, a phone's menu waits behind its button.
  root.classList.add("js");

  function ready(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  ready(function () {
    var body = document.body;
    part(themeToggle);
    part(headerRows);
    part(variantTabs);
    part(copyButtons);
    part(tableFilters);
    part(navigation, body);
    var checker = part(checkers, body) || { load: function () {}, check: function () {} };
    part(search, body, checker);
  });

  function currentTheme() {
    var t = root.getAttribute("data-theme");
    if (t) return t;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  function themeToggle() {
    var button = document.querySelector(".theme-toggle");
    if (!button) return;
    // The label says what a press will do ("Dark theme" in light, "Light theme" in dark): a button whose
    // label changes is not also a pressed/unpressed toggle, so it has no aria-pressed.
    function show() {
      var dark = currentTheme() === "dark";
      button.textContent = dark ? "Light theme" : "Dark theme";
      button.setAttribute("data-next", dark ? "light" : "dark");
    }
    button.hidden = false;
    show();
    button.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      store("fixbook-theme", next);
      show();
    });
    if (window.matchMedia) {
      var mq = window.matchMedia("(prefers-color-scheme: dark)");
      if (mq.addEventListener) mq.addEventListener("change", show);
    }
  }

  // ---- Tabs for fix variants -------------------------------------------------------------------------

  // Tabs come only from sections the content marks as alternatives (`### In PowerShell {.powershell}`):
  // fenced blocks that follow each other are steps to run in turn, and are never turned into tabs.
  var VARIANT_LABELS = {
    gui: "GUI", powershell: "PowerShell", cmd: "Command Prompt", "azure-portal": "Azure portal",
    "azure-cli": "Azure CLI", bash: "Bash", registry: "Registry"
  };
  var tabCount = 0;

  function isHeading(n, maxLevel) {
    return n.nodeType === 1 && /^H[1-6]$/.test(n.tagName) && Number(n.tagName.charAt(1)) <= maxLevel;
  }

  function variantTabs() {
    var contents = document.querySelectorAll(".content");
    var groups = [];
    Array.prototype.forEach.call(contents, function (content) {
      // Runs of `### Title {.variant}` sections: each section runs to the next heading of level 3 or above.
      var kids = Array.prototype.slice.call(content.children);
      var run = [];
      for (var i = 0; i < kids.length; i++) {
        var k = kids[i];
        if (k.matches("h3.variant-heading")) {
          var section = { variant: k.getAttribute("data-variant"), label: null, nodes: [k] };
          var j = i + 1;
          while (j < kids.length && !isHeading(kids[j], 3)) { section.nodes.push(kids[j]); j++; }
          run.push(section);
          i = j - 1;
          if (!(j < kids.length && kids[j].matches("h3.variant-heading"))) { flush(run, groups); run = []; }
        } else if (run.length) { flush(run, groups); run = []; }
      }
      flush(run, groups);
    });
    var preferred = stored("fixbook-variant");
    groups.forEach(function (g) { buildTabs(g, preferred); });
    revealTarget();
    window.addEventListener("hashchange", revealTarget);
  }

  function flush(run, groups) {
    if (run.length > 1) groups.push(run.slice());
  }

  var allTabGroups = [];

  function buildTabs(sections, preferred) {
    var n = ++tabCount;
    var first = sections[0].nodes[0];
    var wrap = document.createElement("div");
    wrap.className = "tabs";
    var list = document.createElement("div");
    list.className = "tab-list";
    list.setAttribute("role", "tablist");
    list.setAttribute("aria-label", "Ways to do this");
    first.parentNode.insertBefore(wrap, first);
    wrap.appendChild(list);
    var tabs = [], panels = [];
    sections.forEach(function (s, i) {
      var tab = document.createElement("button");
      tab.type = "button";
      tab.className = "tab";
      tab.id = "tab-" + n + "-" + i;
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", "panel-" + n + "-" + i);
      tab.setAttribute("data-variant", s.variant || "");
      tab.textContent = VARIANT_LABELS[s.variant] || s.variant;
      list.appendChild(tab);
      var panel = document.createElement("div");
      panel.className = "tab-panel";
      panel.id = "panel-" + n + "-" + i;
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.tabIndex = 0;
      s.nodes.forEach(function (node) { panel.appendChild(node); });
      wrap.appendChild(panel);
      tabs.push(tab);
      panels.push(panel);
    });
    var group = { tabs: tabs, panels: panels };
    allTabGroups.push(group);
    function select(i, focus) {
      tabs.forEach(function (t, k) {
        t.setAttribute("aria-selected", k === i ? "true" : "false");
        t.tabIndex = k === i ? 0 : -1;
        panels[k].hidden = k !== i;
      });
      if (focus) tabs[i].focus();
    }
    group.select = select;
    tabs.forEach(function (tab, i) {
      tab.addEventListener("click", function () {
        var v = tab.getAttribute("data-variant");
        store("fixbook-variant", v);
        // The reader's choice applies to every step of the page that offers it.
        allTabGroups.forEach(function (g) {
          var k = indexOfVariant(g, v);
          if (k >= 0) g.select(k, false);
        });
        select(i, false);
      });
      tab.addEventListener("keydown", function (e) {
        var k = null;
        if (e.key === "ArrowRight") k = (i + 1) % tabs.length;
        else if (e.key === "ArrowLeft") k = (i - 1 + tabs.length) % tabs.length;
        else if (e.key === "Home") k = 0;
        else if (e.key === "End") k = tabs.length - 1;
        if (k !== null) { e.preventDefault(); select(k, true); }
      });
    });
    var start = indexOfVariant(group, preferred);
    select(start >= 0 ? start : 0, false);
  }

  function indexOfVariant(group, v) {
    if (!v) return -1;
    for (var i = 0; i < group.tabs.length; i++) if (group.tabs[i].getAttribute("data-variant") === v) return i;
    return -1;
  }

  // A link to a heading inside a hidden tab selects that tab.
  function revealTarget() {
    var id = decoded(location.hash.slice(1));
    if (!id || id.indexOf("check=") === 0) return;
    var el = document.getElementById(id);
    if (!el) return;
    allTabGroups.forEach(function (g) {
      g.panels.forEach(function (p, i) {
        if (p.contains(el) && p.hidden) { g.select(i, false); el.scrollIntoView(); }
      });
    });
  }

  // ---- Copy buttons on code blocks ---------------------------------------------------------------------

  function copyText(text, done) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
    } else done(false);
  }

  function copyButtons() {
    Array.prototype.forEach.call(document.querySelectorAll("pre.code"), function (pre) {
      // A block wider than the page scrolls; keyboard users scroll it once it can take focus.
      if (!pre.hasAttribute("tabindex")) pre.tabIndex = 0;
      // The button goes in the block's head (written by the generator), above the code, never over it.
      var head = pre.previousElementSibling;
      if (!head || !head.classList.contains("code-head")) {
        var wrap = document.createElement("div");
        wrap.className = "code-block";
        pre.parentNode.insertBefore(wrap, pre);
        head = document.createElement("div");
        head.className = "code-head";
        wrap.appendChild(head);
        wrap.appendChild(pre);
      }
      var b = document.createElement("button");
      b.type = "button";
      b.className = "copy-code";
      b.textContent = "Copy";
      b.setAttribute("aria-label", "Copy code");
      b.addEventListener("click", function () {
        copyText(pre.textContent, function (ok) {
          b.textContent = ok ? "Copied" : "Select and copy";
          setTimeout(function () { b.textContent = "Copy"; }, 2000);
        });
      });
      head.appendChild(b);
    });
  }

  // ---- The header on a wide screen ----------------------------------------------------------------------

  // From 62rem the header stays in view on one line. When the sections do not fit there (the line
  // overflows, or the title is squeezed to more than two lines), they get a row of their own under it
  // (`nav-rows`); the class is taken off and the fit measured again on every resize, so a wider window
  // puts them back. `--header-offset` is the header's height, which anchors and the sticky contents keep
  // clear of.
  //
  // The sections' place in the document follows their place on the screen, so Tab goes the way the reader
  // reads (WCAG 2.4.3): on the line, between the title and the theme button (where the template puts them,
  // inside the menu); on their own row, after the search box, last in the header. Measuring does not need
  // them moved back: the line overflows or squeezes the title by the same widths in any order.
  function headerRows() {
    var header = document.querySelector(".site-header");
    var title = header && header.querySelector(".site-title");
    var nav = header && header.querySelector(".site-nav");
    var menu = nav && nav.parentNode;
    if (!title || !nav || !window.matchMedia) return;
    var wide = window.matchMedia("(min-width: 62rem)"), queued = false;
    function place(rows) {
      var there = rows ? header.lastElementChild === nav : nav.parentNode === menu;
      if (there) return;
      var focused = nav.contains(document.activeElement) ? document.activeElement : null;
      if (rows) header.appendChild(nav); else menu.insertBefore(nav, menu.firstChild);
      if (focused) focused.focus({ preventScroll: true });
    }
    function fit() {
      queued = false;
      header.classList.remove("nav-rows");
      if (!wide.matches) { place(false); root.style.removeProperty("--header-offset"); return; }
      var line = parseFloat(window.getComputedStyle(title).lineHeight) || 20;
      var rows = header.scrollWidth > header.clientWidth + 1 || title.getBoundingClientRect().height > line * 2.5;
      if (rows) header.classList.add("nav-rows");
      place(rows);
      // The exact height, not rounded: a sticky table header rounded up to the next pixel left a strip
      // between the two where rows showed through.
      root.style.setProperty("--header-offset", header.getBoundingClientRect().height + "px");
    }
    fit();
    window.addEventListener("resize", function () {
      if (!queued) { queued = true; window.requestAnimationFrame(fit); }
    });
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(fit);
  }

  // ---- Menu and table of contents: nav.js, imported on first use --------------------------------------

  function navigation(body) {
    var url = body.getAttribute("data-nav"), loaded = null;
    var details = document.querySelector(".toc-details");
    // Open beside the article on a wide screen; folded on top of it on a phone.
    if (details && window.matchMedia && window.matchMedia("(min-width: 62rem)").matches) details.open = true;
    if (!url) return;
    function nav() { return loaded || (loaded = import(url)); }
    var button = document.querySelector(".menu-button");
    if (button) {
      button.addEventListener("click", function first() {
        button.removeEventListener("click", first);
        nav().then(function (m) { m.menu(button)(true); }, function () {});
      });
    }
    if (details) {
      var go = function () { window.removeEventListener("scroll", go); nav().then(function (m) { m.track(); }, function () {}); };
      window.addEventListener("scroll", go, { passive: true });
      if (location.hash) go();
    }
  }

  // ---- Filter boxes on long code tables ----------------------------------------------------------------

  // The form is in the page, hidden: without script the table is a plain table. Matching is on the row's
  // text (value, decimal, name, meaning, pages), case-insensitively; every word typed must appear.
  function tableFilters() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-table-filter]"), function (form) {
      var input = form.querySelector("input");
      var count = form.querySelector("output");
      var table = form.nextElementSibling && form.nextElementSibling.querySelector("table");
      if (!input || !table) return;
      var rows = Array.prototype.slice.call(table.tBodies[0].rows);
      var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
      form.hidden = false;
      form.addEventListener("submit", function (e) { e.preventDefault(); });
      input.addEventListener("input", function () {
        var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
        var shown = 0;
        rows.forEach(function (r, i) {
          var hit = words.every(function (w) { return texts[i].indexOf(w) >= 0; });
          r.hidden = !hit;
          if (hit) shown++;
        });
        count.textContent = words.length ? shown + " of " + rows.length + " rows" : "";
      });
    });
  }

  // ---- The checker: loaded on first use, run in a worker (see checker-wasm/js/checker_ui.js) ----------

  function checkers(body) {
    var roots = Array.prototype.slice.call(document.querySelectorAll("[data-checker-root]"));
    var loading = null;
    var uiUrl = body.getAttribute("data-checker-ui");
    var jsUrl = body.getAttribute("data-checker");
    var wasmUrl = body.getAttribute("data-checker-wasm");
    var indexUrl = body.getAttribute("data-knowledge-index");

    function say(text) {
      roots.forEach(function (r) {
        var s = r.querySelector(".checker-state");
        if (!s) return;
        s.textContent = text || "";
        s.hidden = !text;
      });
    }

    var supported = typeof WebAssembly === "object" && typeof Worker === "function" && !!uiUrl && !!jsUrl &&
      !!wasmUrl && !!indexUrl;
    if (!supported && roots.length) {
      say("The checker needs WebAssembly, which this browser does not offer. Every page of the guide reads without it.");
    }

    function load() {
      if (loading) return loading;
      if (!supported) { loading = Promise.reject(new Error("no WebAssembly")); loading.catch(function () {}); return loading; }
      say("Loading the checker…");
      loading = import(uiUrl).then(function (m) {
        return m.start({ js: jsUrl, wasm: wasmUrl, index: indexUrl }).then(function () {
          roots.forEach(function (r) { m.mount(r); });
          say("");
          return m;
        });
      });
      loading.catch(function () {
        say("The checker could not start in this browser (WebAssembly blocked or unavailable). Every page of the guide reads without it.");
      });
      return loading;
    }

    roots.forEach(function (r) {
      var ta = r.querySelector("textarea");
      if (ta) {
        ta.addEventListener("focus", load);
        ta.addEventListener("input", load);
      }
    });

    // Puts text into a checker box as if pasted; the module reads it at once.
    function fill(r, text) {
      var ta = r.querySelector("textarea");
      if (!ta) return;
      ta.value = text;
      return load().then(function (m) {
        m.mount(r);
        ta.dispatchEvent(new InputEvent("input", { inputType: "insertFromPaste", bubbles: true }));
      });
    }

    function mainRoot() {
      return document.querySelector("[data-checker-full]") || roots[0] || null;
    }

    // `#check=0x904,0x7`: decode those codes. The hash holds codes only; pasted text never goes there.
    function fromHash() {
      if (!/(^#|&)check=/.test(location.hash)) return;
      var r = mainRoot();
      if (!r) {
        location.replace(body.getAttribute("data-base") + "check/" + location.hash);
        return;
      }
      load().then(function (m) { return m.codes(location.hash); }).then(function (text) {
        if (!text) { say("The link names no code that this guide knows."); return; }
        fill(r, text);
        if (!r.hasAttribute("data-checker-full")) r.scrollIntoView({ block: "start" });
      }, function () {});
    }
    fromHash();
    window.addEventListener("hashchange", fromHash);

    return {
      load: load,
      // Moves a paste from the search box into the page's checker, without touching the URL.
      check: function (text) {
        var r = mainRoot();
        if (!r) return;
        r.scrollIntoView({ block: "start" });
        var ta = r.querySelector("textarea");
        if (ta) ta.focus();
        fill(r, text);
      }
    };
  }

  // ---- Search: its code (search.js) and index files are fetched on first use ----------------------------

  function searchModule(body) {
    var url = body.getAttribute("data-search-ui");
    var loading = null;
    return function () {
      if (!loading) {
        loading = url ? import(url) : Promise.reject(new Error("no search module"));
        loading.catch(function () {});
      }
      return loading;
    };
  }

  function search(body, checker) {
    var module = searchModule(body);
    suggestFromUrl(body, module);
    var input = document.getElementById("search-input");
    var box = document.getElementById("search-results");
    if (!input || !box) return;
    var status = document.getElementById("search-status");

    document.addEventListener("keydown", function (e) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
      var a = document.activeElement;
      if (a && (/^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName) || a.isContentEditable)) return;
      e.preventDefault();
      input.focus();
      input.select();
    });

    var box_ = null;
    function controller() {
      if (!box_) {
        box_ = module().then(function (m) {
          return m.mount({
            input: input, box: box, list: document.getElementById("search-list"), status: status,
            pasteOffer: box.querySelector(".search-paste"), pasteButton: box.querySelector(".search-check"),
            index: body.getAttribute("data-search-index"), checker: checker
          });
        });
        box_.catch(function () { status.textContent = "Search is unavailable: it did not load."; box.hidden = false; });
      }
      return box_;
    }
    // Events reach the module in the order they happened, once it is loaded.
    input.addEventListener("focus", function () { controller().then(function (c) { c.focus(); }, function () {}); });
    input.addEventListener("input", function () { controller().then(function (c) { c.input(); }, function () {}); });
    input.addEventListener("paste", function (e) {
      var text = e.clipboardData && e.clipboardData.getData("text");
      controller().then(function (c) { c.paste(text); }, function () {});
    });
    // Enter before the module is loaded: nothing to open yet.
    input.form.addEventListener("submit", function (e) { e.preventDefault(); });
  }

  // On the 404 page: pages suggested from the words of the URL that was not found. The path is decoded by
  // a helper that cannot throw.
  function suggestFromUrl(body, module) {
    var box = document.querySelector("[data-suggest]");
    if (!box) return;
    var path = decoded(location.pathname);
    module().then(function (m) { return m.suggest(box, body.getAttribute("data-search-index"), path); })
      .catch(function () {});
  }
})();
