#!/usr/bin/env node
// What a reader downloads to search, counted in Chromium: for each query, the bytes (gzipped, as a server
// would send them) that the first search of a fresh page fetches, cold cache, and the bytes a further query
// fetches on the same page. Optionally the same for Pagefind's index of the same output.
//
//   node bench/search-weight.mjs OUT_DIR [OUT_DIR...]          # folders written by `fixbook build`
//   node bench/search-weight.mjs --pagefind PF_DIR OUT_DIR      # PF_DIR: a copy of OUT_DIR that
//                                                              # `npx pagefind --site PF_DIR` indexed
//
// Uses playwright-core from tests/browser/node_modules (run `npm ci` there) and /usr/bin/chromium (or
// $CHROMIUM). The search box is driven as a reader would: the query is typed into it (one input event per
// query, as a paste or autofill gives; typing letter by letter fetches a few more shards), and the results
// are waited for. Bytes are each fetched file's size gzipped at level 9, read from disk.

import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "../tests/browser/package.json"));
const { chromium } = require("playwright-core");

const QUERIES = ["0x904", "certificate expired", "credssp", "firewall", "renewing", "credsp"];
const MIME = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".mjs": "text/javascript",
  ".json": "application/json", ".wasm": "application/wasm", ".svg": "image/svg+xml" };
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

function serve(dir, csp) {
  return new Promise((resolve) => {
    const s = http.createServer((req, res) => {
      let p;
      try { p = decodeURIComponent(new URL(req.url, "http://x").pathname); } catch { p = "/"; }
      let file = path.join(dir, path.normalize(p));
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
      if (!file.startsWith(dir) || !fs.existsSync(file)) { res.writeHead(404); res.end(); return; }
      const headers = { "Content-Type": MIME[path.extname(file)] || "application/octet-stream" };
      if (csp) headers["Content-Security-Policy"] = csp;
      res.writeHead(200, headers);
      res.end(fs.readFileSync(file));
    });
    s.listen(0, "127.0.0.1", () => resolve(s));
  });
}

const gzCache = new Map();
function gzSize(dir, urlPath) {
  const key = dir + urlPath;
  if (!gzCache.has(key)) {
    let f = path.join(dir, decodeURIComponent(urlPath));
    if (fs.existsSync(f) && fs.statSync(f).isDirectory()) f = path.join(f, "index.html");
    gzCache.set(key, fs.existsSync(f) ? zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length : 0);
  }
  return gzCache.get(key);
}

// A page of the site to search from: the first error page (any page has the search box).
function startPage(dir) {
  for (const section of fs.readdirSync(dir).sort()) {
    const sub = path.join(dir, section);
    if (!fs.statSync(sub).isDirectory() || section === "assets") continue;
    for (const slug of fs.readdirSync(sub).sort()) {
      if (fs.existsSync(path.join(sub, slug, "index.html"))) return `/${section}/${slug}/`;
    }
  }
  return "/";
}

async function fixbookRun(browser, dir, origin, q, next) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(origin + startPage(dir));
  await page.waitForLoadState("networkidle");
  const seen = [];
  page.on("request", (r) => seen.push(new URL(r.url()).pathname));
  async function ask(query) {
    const from = seen.length;
    await page.focus("#search-input");
    await page.fill("#search-input", query);
    await page.waitForFunction(() => document.querySelector("#search-status").textContent.length > 0, null, { timeout: 30000 });
    await page.waitForLoadState("networkidle");
    const files = seen.slice(from);
    const results = await page.locator("#search-list a").count();
    return { files: files.length, bytes: files.reduce((s, p) => s + gzSize(dir, p), 0), results,
      status: await page.textContent("#search-status") };
  }
  const first = await ask(q);
  const further = await ask(next);
  await context.close();
  return { first, further };
}

async function pagefindRun(browser, dir, origin, q, next) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(origin + startPage(dir));
  await page.waitForLoadState("networkidle");
  const seen = [];
  page.on("request", (r) => seen.push(new URL(r.url()).pathname));
  async function ask(query) {
    const from = seen.length;
    // What Pagefind's own UI does for a query: search, then load the first page of results' fragments.
    const n = await page.evaluate(async (qq) => {
      window.__pf = window.__pf || await import("/pagefind/pagefind.js");
      const r = await window.__pf.search(qq);
      await Promise.all(r.results.slice(0, 5).map((x) => x.data()));
      return r.results.length;
    }, query);
    await page.waitForLoadState("networkidle");
    const files = seen.slice(from);
    return { files: files.length, bytes: files.reduce((s, p) => s + gzSize(dir, p), 0), results: n };
  }
  const first = await ask(q);
  const further = await ask(next);
  await context.close();
  return { first, further };
}

async function main() {
  const args = process.argv.slice(2);
  let pagefind = null;
  const dirs = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--pagefind") pagefind = path.resolve(args[++i]);
    else dirs.push(path.resolve(args[i]));
  }
  if (!dirs.length) { console.error("usage: node bench/search-weight.mjs [--pagefind PF_DIR] OUT_DIR..."); process.exit(2); }
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  const kb = (b) => (b / 1024).toFixed(1);
  const runs = dirs.map((d) => ["fixbook", d, fixbookRun, CSP]);
  if (pagefind) runs.push(["pagefind", pagefind, pagefindRun, null]);
  for (const [what, dir, run, csp] of runs) {
    const server = await serve(dir, csp);
    const origin = `http://127.0.0.1:${server.address().port}`;
    console.log(`\n${what} ${dir}`);
    console.log("query                 first KB gz (files, results)   further KB gz (files)");
    let worstFirst = 0, worstFurther = 0;
    for (let i = 0; i < QUERIES.length; i++) {
      const q = QUERIES[i], next = QUERIES[(i + 1) % QUERIES.length];
      const r = await run(browser, dir, origin, q, next);
      worstFirst = Math.max(worstFirst, r.first.bytes);
      worstFurther = Math.max(worstFurther, r.further.bytes);
      console.log(`${q.padEnd(22)}${kb(r.first.bytes).padStart(8)} (${r.first.files}, ${r.first.results})`.padEnd(54)
        + `${kb(r.further.bytes).padStart(8)} (${r.further.files}) [then "${next}"]`);
    }
    console.log(`worst first query ${kb(worstFirst)} KB, worst further query ${kb(worstFurther)} KB (gzipped)`);
    server.close();
  }
  await browser.close();
}

main().catch((e) => { console.error(e); process.exit(1); });
