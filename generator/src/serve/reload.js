// fixbook serve: reloads the page when the site is rebuilt, and shows content errors over the last good
// version of the site (or, for problems that do not stop a preview, such as placeholders left from
// `fixbook new`, over the latest one). Served only by `fixbook serve`, never written to a built site.
// Text from the server is set with textContent only.
(function () {
  "use strict";
  var overlay = null;
  var generation = null;

  function hide() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  function show(errors, draft) {
    if (!overlay) {
      if (!document.getElementById("fixbook-overlay-css")) {
        var link = document.createElement("link");
        link.id = "fixbook-overlay-css";
        link.rel = "stylesheet";
        link.href = "/__fixbook/overlay.css";
        document.head.appendChild(link);
      }
      overlay = document.createElement("section");
      overlay.id = "fixbook-overlay";
      overlay.setAttribute("role", "alert");
      document.body.appendChild(overlay);
    }
    overlay.replaceChildren();
    // A page being written is the normal state of `serve`: its to-do list stays small (and polite) so the
    // page it covers can be read, on a phone too; a broken site keeps the large, assertive overlay.
    overlay.className = draft ? "fixbook-draft" : "";
    overlay.setAttribute("role", draft ? "status" : "alert");
    var title = document.createElement("h2");
    var placeholders = errors.every(function (e) { return e.code === "placeholder"; });
    var count = errors.length + (placeholders
      ? (errors.length === 1 ? " placeholder from \u201cfixbook new\u201d" : " placeholders from \u201cfixbook new\u201d")
      : (errors.length === 1 ? " content error" : " content errors"));
    title.textContent = draft
      ? count + " left to fix: the site shows your latest edit"
      : count + ": the site shows its last good version, from before the edit";
    overlay.appendChild(title);
    // Placeholders are a to-do list, not a failure: one line per file, the full messages folded.
    var into = overlay;
    if (draft) {
      var files = {};
      errors.forEach(function (e) {
        (files[e.file] = files[e.file] || []).push(e.line);
      });
      var list = document.createElement("ul");
      Object.keys(files).forEach(function (f) {
        var li = document.createElement("li");
        li.textContent = f + ": line" + (files[f].length === 1 ? " " : "s ") + files[f].join(", ");
        list.appendChild(li);
      });
      overlay.appendChild(list);
      into = document.createElement("details");
      var summary = document.createElement("summary");
      summary.textContent = "Each placeholder";
      into.appendChild(summary);
      overlay.appendChild(into);
    }
    errors.forEach(function (e) {
      var pre = document.createElement("pre");
      pre.textContent = e.text;
      into.appendChild(pre);
    });
    var hint = document.createElement("p");
    hint.textContent = draft
      ? "\u201cfixbook check\u201d and \u201cfixbook build\u201d fail until these are fixed; save to update."
      : "Fix the file and save it: the page reloads by itself.";
    overlay.appendChild(hint);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.addEventListener("click", hide);
    overlay.appendChild(close);
  }

  var events = new EventSource("/__fixbook/events");
  events.addEventListener("hello", function (ev) {
    // After a restart of `serve`, the stream reconnects to a newer site: reload to show it.
    if (generation !== null && ev.data !== generation) {
      location.reload();
    }
    generation = ev.data;
  });
  events.addEventListener("reload", function () {
    location.reload();
  });
  events.addEventListener("errors", function (ev) {
    try {
      var data = JSON.parse(ev.data);
      show(data.errors, data.draft === true);
    } catch (err) {
      // A malformed message is not worth breaking the page for.
    }
  });
  events.addEventListener("ok", hide);
})();
