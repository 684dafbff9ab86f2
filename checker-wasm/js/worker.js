// The checker's Web Worker: the page (the theme's `fixbook.js`) starts it as a module worker from
// `assets.checker_worker` when the reader first needs the checker, so the engine's work never runs on the
// page's thread and a long paste never freezes the page. It loads wasm-bindgen's module (`checker.js`, the
// `.wasm`) and the knowledge index, then answers the page's messages in order, each `{id, op, ...}`:
//   load  {js, wasm, index}        -> {}              (fetches the three files; the first message)
//   check {paste, level, origin}   -> {view, ticket}  (`check` in checker-wasm/src/web.rs)
//   codes {hash}                   -> {text}          (a `#check=` link as the lines a dialog shows)
// and `{id, error}` when something failed. Nothing here touches storage, and the network only for those
// same-origin files. Part of the checker, not of a theme: every theme gets it, like `checker.js`.
"use strict";
(function () {
  var engine = null;
  function answer(id, fn) {
    return (engine || Promise.reject(new Error("the checker is not loaded"))).then(function (m) {
      var out = fn(m);
      out.id = id;
      self.postMessage(out);
    }).catch(function (e) { self.postMessage({ id: id, error: String(e && e.message || e) }); });
  }
  self.onmessage = function (e) {
    var q = e.data || {};
    if (q.op === "load") {
      if (!engine) {
        var mod = import(q.js).then(function (m) {
          return m.default({ module_or_path: q.wasm }).then(function () { return m; });
        });
        var index = fetch(q.index, { credentials: "same-origin" }).then(function (r) {
          if (!r.ok) throw new Error("the knowledge index answered " + r.status);
          return r.text();
        });
        engine = Promise.all([mod, index]).then(function (both) { both[0].load_index(both[1]); return both[0]; });
      }
      answer(q.id, function () { return {}; });
    } else if (q.op === "check") {
      answer(q.id, function (m) {
        var out = m.check(String(q.paste), q.level, String(q.origin));
        return out ? JSON.parse(out) : {};
      });
    } else if (q.op === "codes") {
      answer(q.id, function (m) {
        var spec = m.spec_from_hash(String(q.hash));
        return { text: spec ? m.paste_for_codes(spec) : "" };
      });
    }
  };
})();
