// Navigation that only matters once the reader moves: the header menu on small screens and the marker of
// the section in view in the table of contents. `fixbook.js` imports this module on first use (a press of
// the menu button, the first scroll, a link to an anchor), so a page's first load does not carry it.
// No framework, no scroll listener: the marker follows an IntersectionObserver, which the browser calls
// only when a heading crosses the band it watches.

/**
 * Connects the menu button (`aria-controls` names the menu) and returns `set(open)`. Escape closes the menu
 * and gives the focus back to the button; opening moves the focus to the menu's first link, so a keyboard
 * reader lands in what they opened. A click outside the header closes it too.
 */
export function menu(button) {
  const header = button.closest("header") || document.body;
  const panel = document.getElementById(button.getAttribute("aria-controls"));
  const isOpen = () => button.getAttribute("aria-expanded") === "true";
  function set(open, focusBack) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    header.classList.toggle("menu-open", open);
    if (open) {
      const first = panel && panel.querySelector("a, button:not([hidden])");
      if (first) first.focus();
    } else if (focusBack) {
      button.focus();
    }
  }
  button.addEventListener("click", () => set(!isOpen(), false));
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && isOpen()) { e.preventDefault(); set(false, true); }
  });
  document.addEventListener("click", (e) => {
    if (isOpen() && !header.contains(e.target)) set(false, false);
  });
  return set;
}

/**
 * Marks the table of contents' entry of the section being read with `aria-current="true"`: the last heading
 * that has reached the band between the sticky header and 40% of the window's height; once the page's end
 * is in view (the last sections can be too short to reach the band), the last heading in view.
 */
export function track() {
  const toc = document.querySelector(".toc");
  if (!toc || typeof IntersectionObserver !== "function") return;
  const links = [];
  const targets = [];
  for (const a of toc.querySelectorAll('a[href^="#"]')) {
    // The checker box is not a section of the article (on a wide screen it sits above the contents).
    if (a.closest(".toc-checker")) continue;
    let id = a.getAttribute("href").slice(1);
    try { id = decodeURIComponent(id); } catch (e) { /* the id as written */ }
    const el = document.getElementById(id);
    if (el) { links.push(a); targets.push(el); }
  }
  if (!targets.length) return;
  const reached = new Map();
  const end = document.querySelector(".site-footer");
  let atEnd = false;
  let current = null;
  function mark() {
    let k = -1;
    targets.forEach((t, i) => { if (reached.get(t)) k = i; });
    if (atEnd) {
      for (let i = targets.length - 1; i > k; i--) {
        if (targets[i].getBoundingClientRect().top < window.innerHeight) { k = i; break; }
      }
    }
    const a = k >= 0 ? links[k] : null;
    if (a === current) return;
    if (current) current.removeAttribute("aria-current");
    current = a;
    if (!a) return;
    a.setAttribute("aria-current", "true");
    // A long TOC scrolls in its own box: keep the marked entry in sight there (never the page).
    const box = toc.querySelector("ul");
    if (box && box.scrollHeight > box.clientHeight) {
      const top = a.offsetTop - box.offsetTop;
      if (top < box.scrollTop || top > box.scrollTop + box.clientHeight - a.offsetHeight) {
        box.scrollTop = top - box.clientHeight / 2;
      }
    }
  }
  const header = document.querySelector(".site-header");
  const sticky = header && getComputedStyle(header).position === "sticky";
  const top = sticky ? Math.round(header.getBoundingClientRect().height) : 0;
  const io = new IntersectionObserver((entries) => {
    for (const e of entries) {
      // In the band, or above it: the reader has got to this heading.
      const bottom = e.rootBounds ? e.rootBounds.bottom : window.innerHeight * 0.4;
      reached.set(e.target, e.isIntersecting || e.boundingClientRect.top < bottom);
    }
    mark();
  }, { rootMargin: `-${top}px 0px -60% 0px` });
  targets.forEach((t) => io.observe(t));
  // The page's end, watched in the whole window.
  if (end) new IntersectionObserver((entries) => { atEnd = entries[entries.length - 1].isIntersecting; mark(); }).observe(end);
}
