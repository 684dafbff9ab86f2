// What the checker downloads for its first report: every request from the paste to the report (the
// checker's JS, the wasm module, the knowledge index's common part and its buckets), in real headless
// Chromium, counted as gzip -9 bytes of each body (what a static host with compression sends).
//
//   node bench/checker-weight.mjs SITE_DIR [SITE_DIR...]     # built sites (`fixbook build --output DIR`)
//
// Pastes the 0x904/0x7 dialog (and, with PASTE=file, that file's text instead) into the full checker page
// (`/check/`) of each site on a cold cache. Needs /usr/bin/chromium (or CHROMIUM=) and playwright-core from
// tests/browser (`npm ci` there; or PLAYWRIGHT_DIR=a folder whose node_modules has it).

import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const from = process.env.PLAYWRIGHT_DIR || path.join(repo, "tests", "browser");
const { chromium } = createRequire(path.join(from, "package.json"))("playwright-core");
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
const MIME = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".json": "application/json", ".wasm": "application/wasm", ".svg": "image/svg+xml",
};

const DIALOG = `Remote Desktop Connection
---------------------------
This computer can't connect to the remote computer.

Try connecting again. If the problem continues, contact the owner of the remote computer or your network administrator.

Error code: 0x904
Extended error code: 0x7

Timestamp (UTC): 2026-11-20T09:14:02.118Z
Activity ID: 5a8c2d30-6f1e-4d7c-9a3b-2c9e1b7f4d10`;
const text = process.env.PASTE ? fs.readFileSync(process.env.PASTE, "utf8") : DIALOG;

// A static server for `dir`, with the site's CSP; answers each file as written.
function serve(dir) {
  return new Promise((resolve) => {
    const s = http.createServer((req, res) => {
      let file = path.join(dir, path.normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)));
      if (!file.startsWith(dir)) { res.writeHead(403); res.end(); return; }
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
      if (!fs.existsSync(file)) { res.writeHead(404); res.end(); return; }
      res.writeHead(200, { "Content-Type": MIME[path.extname(file)] || "application/octet-stream", "Content-Security-Policy": CSP });
      res.end(fs.readFileSync(file));
    });
    s.listen(0, "127.0.0.1", () => resolve(s));
  });
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium" });
for (const dir of process.argv.slice(2).map((d) => path.resolve(d))) {
  const server = await serve(dir);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  await page.goto(origin + "/check/");
  await page.waitForLoadState("networkidle");
  const requests = [];
  context.on("request", (r) => requests.push(new URL(r.url()).pathname));
  const t0 = Date.now();
  await page.focus("#check-input");
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press("Control+V");
  await page.waitForSelector("[data-checker-full] .report-summary", { timeout: 120000 });
  const ms = Date.now() - t0;
  let raw = 0, gz = 0;
  const kinds = {};
  for (const p of requests) {
    let f = path.join(dir, p);
    if (fs.existsSync(f) && fs.statSync(f).isDirectory()) f = path.join(f, "index.html");
    if (!fs.existsSync(f)) continue;
    const body = fs.readFileSync(f);
    const z = zlib.gzipSync(body, { level: 9 }).length;
    raw += body.length;
    gz += z;
    const kind = /\.wasm$/.test(p) ? "wasm" : /\/k\/d\//.test(p) ? "details" : /\/k\//.test(p) ? "buckets" : /knowledge\./.test(p) ? "common" : "js";
    kinds[kind] = kinds[kind] || { n: 0, gz: 0 };
    kinds[kind].n += 1;
    kinds[kind].gz += z;
  }
  const parts = Object.entries(kinds).map(([k, v]) => `${k} ${v.n} file(s) ${v.gz} B`).join(", ");
  console.log(`${dir}: first report fetched ${requests.length} files, ${raw} B raw, ${gz} B gzipped (${parts}); report after ${ms} ms`);
  await context.close();
  server.close();
}
await browser.close();
