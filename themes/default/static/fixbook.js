// fixbook's page script: small, no framework, loaded with `defer`. The checker module and the indexes are
// fetched only when the reader uses them.
"use strict";
(function () {
  var input = document.getElementById("search-input");
  if (!input) return;
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" && document.activeElement && !/^(INPUT|TEXTAREA)$/.test(document.activeElement.tagName)) {
      e.preventDefault();
      input.focus();
    }
  });
})();
