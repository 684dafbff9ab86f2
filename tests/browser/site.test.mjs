// The built site in real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core):
// the checker, search, keyboard use, accessibility (axe), the Content-Security-Policy and what the page
// sends over the network. Run with `node --test` from this folder; `scripts/test.sh` builds the site
// first and passes it in FIXBOOK_SITE. Figures (module size, first-load bytes, paste-to-report time) are
// printed as `# figure: ...` lines.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SHOTS = path.join(repo, "target", "screenshots");

const MIME = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8", ".json": "application/json", ".wasm": "application/wasm",
  ".xml": "application/xml", ".txt": "text/plain; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png",
  ".ico": "image/x-icon",
};

let site, server, origin, browser, tmp;

function buildSite() {
  if (process.env.FIXBOOK_SITE) return process.env.FIXBOOK_SITE;
  const out = path.join(tmp, "public");
  execFileSync("cargo", ["run", "--quiet", "--release", "--", "build", "--output", out], { cwd: repo, stdio: "inherit" });
  return out;
}

// A tiny static server: the built folder, correct MIME types (wasm too), and the site's CSP as a header.
function serve(dir) {
  return new Promise((resolve) => {
    const s = http.createServer((req, res) => {
      const url = new URL(req.url, "http://x");
      // A path that does not decode is a missing page, as for a real static host (not a crash).
      let decoded;
      try { decoded = decodeURIComponent(url.pathname); } catch { decoded = "/\0not-found"; }
      let p = path.normalize(decoded).replace(/^(\.\.[/\\])+/, "");
      let file = path.join(dir, p);
      if (!file.startsWith(dir)) { res.writeHead(403); res.end(); return; }
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
      let status = 200;
      if (!fs.existsSync(file)) { status = 404; file = path.join(dir, "404.html"); }
      res.writeHead(status, {
        "Content-Type": MIME[path.extname(file)] || "application/octet-stream",
        "Content-Security-Policy": CSP,
        "X-Content-Type-Options": "nosniff",
      });
      res.end(fs.readFileSync(file));
    });
    s.listen(0, "127.0.0.1", () => resolve(s));
  });
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "fixbook-browser-"));
  site = path.resolve(buildSite());
  server = await serve(site);
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  fs.mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

// A page that records console errors, CSP violations, uncaught errors and every request.
async function open(urlPath, { scheme = "light", wasm = true, viewport } = {}) {
  const context = await browser.newContext({
    colorScheme: scheme,
    viewport: viewport || { width: 1280, height: 900 },
    permissions: ["clipboard-read", "clipboard-write"],
  });
  const page = await context.newPage();
  const log = { errors: [], requests: [] };
  page.on("console", (m) => { if (m.type() === "error") log.errors.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => log.errors.push(`pageerror: ${e.message}`));
  page.on("request", (r) => log.requests.push(r.url()));
  page.on("response", (r) => { if (r.status() >= 400) log.errors.push(`HTTP ${r.status()} ${r.url()}`); });
  await page.addInitScript((noWasm) => {
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    if (noWasm) { delete window.WebAssembly; }
  }, !wasm);
  await page.goto(origin + urlPath);
  return { page, context, log };
}

async function clean({ page, context, log }) {
  const csp = await page.evaluate(() => window.__csp).catch(() => []);
  assert.deepEqual(csp, [], "no CSP violations");
  assert.deepEqual(log.errors, [], "no console errors");
  const foreign = log.requests.filter((u) => !u.startsWith(origin + "/"));
  assert.deepEqual(foreign, [], "no request leaves the origin");
  await context.close();
}

// A real paste: the text goes through the clipboard and Ctrl+V into the focused textarea.
async function paste(page, selector, text) {
  await page.focus(selector);
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press("Control+V");
}

const DIALOG = `Remote Desktop Connection
---------------------------
This computer can't connect to the remote computer.

Try connecting again. If the problem continues, contact the owner of the remote computer or your network administrator.

Error code: 0x904
Extended error code: 0x7

Timestamp (UTC): 2026-11-20T09:14:02.118Z
Activity ID: 5a8c2d30-6f1e-4d7c-9a3b-2c9e1b7f4d10`;

const FULL = "[data-checker-full]";
const FULL_INPUT = "#check-input";

async function waitReport(page, root = FULL) {
  await page.waitForSelector(`${root} .report-summary`, { timeout: 15000 });
}

// An expired certificate, made by openssl with dates in the past (OpenSSL 3.0 has no -not_after on req).
function expiredCert() {
  const dir = fs.mkdtempSync(path.join(tmp, "ca-"));
  const run = (args) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  run(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "k.pem", "-subj", "/CN=rdp-old.example.test", "-out", "r.csr"]);
  fs.mkdirSync(path.join(dir, "db"));
  fs.writeFileSync(path.join(dir, "db", "index.txt"), "");
  fs.writeFileSync(path.join(dir, "db", "serial"), "01\n");
  fs.writeFileSync(path.join(dir, "ca.cnf"), `[ca]\ndefault_ca = c\n[c]\ndatabase = db/index.txt\nnew_certs_dir = db\nserial = db/serial\ndefault_md = sha256\npolicy = p\n[p]\ncommonName = supplied\n[ext]\nextendedKeyUsage = serverAuth\n`);
  run(["ca", "-batch", "-notext", "-config", "ca.cnf", "-selfsign", "-keyfile", "k.pem", "-in", "r.csr",
    "-startdate", "20200101000000Z", "-enddate", "20210101000000Z", "-extensions", "ext", "-out", "c.pem"]);
  return fs.readFileSync(path.join(dir, "c.pem"), "utf8");
}

function privateKey() {
  return execFileSync("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"], { stdio: ["ignore", "pipe", "pipe"] }).toString();
}

test("1. a 0x904 / 0x7 dialog is decoded, and a ranked cause links to an existing fix step", async () => {
  const t = await open("/check/");
  const { page } = t;
  await paste(page, FULL_INPUT, DIALOG);
  await waitReport(page);
  const codes = await page.locator(`${FULL} .signal-list li`).allTextContents();
  assert.ok(codes.some((c) => c.includes("0x904") && c.includes("disconnectReasonAtClientWinsockFDCLOSE")), codes.join("\n"));
  assert.ok(codes.some((c) => c.includes("0x7") && c.includes("exDiscReasonServerDeniedConnection")), codes.join("\n"));
  const causes = page.locator(`${FULL} .cause`);
  assert.ok(await causes.count() >= 1, "at least one ranked cause");
  const fixHref = await page.locator(`${FULL} .fix-list a[href*="#"]`).first().getAttribute("href");
  assert.ok(fixHref, "a fix link with a step anchor");
  // Copy for a ticket: the decoded summary, never the pasted text.
  await page.click(`${FULL} .checker-copy`);
  await page.waitForFunction(() => document.querySelector("[data-checker-full] .checker-status").textContent.startsWith("Copied"));
  const ticket = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(ticket, /0x904/);
  assert.ok(ticket.includes(`${origin}/fixes/`), "the ticket's links are absolute");
  assert.ok(!ticket.includes("5a8c2d30-6f1e-4d7c-9a3b-2c9e1b7f4d10"), "the ticket text does not copy the paste");
  assert.ok(!page.url().includes("0x904"), "the paste does not go into the URL");
  // Steps are named by their headings, as the fix page shows them, not by their anchors.
  const stepLabel = await page.locator(`${FULL} .fix-list a[href="${fixHref}"] .step`).first().textContent();
  // Follow the link: the step exists on the fix page.
  await page.click(`${FULL} .fix-list a[href="${fixHref}"] >> nth=0`);
  await page.waitForURL((u) => u.pathname === fixHref.split("#")[0]);
  const anchor = decodeURIComponent(fixHref.split("#")[1]);
  assert.equal(await page.locator(`[id="${anchor}"]`).count(), 1, `step #${anchor} exists on ${fixHref}`);
  const heading = (await page.locator(`[id="${anchor}"]`).textContent()).replace(/\s*#\s*$/, "").trim();
  assert.equal(stepLabel, `: step “${heading}”`);
  await clean(t);
});

test("1b. #check= links decode codes, on the checker page and in a page's own box", async () => {
  let t = await open("/check/#check=disconnect:0x904,extended:0x7");
  await waitReport(t.page);
  let text = await t.page.locator(`${FULL} .signal-list`).textContent();
  assert.match(text, /0x904/);
  assert.match(text, /0x7/);
  assert.equal(await t.page.inputValue(FULL_INPUT), "Error code: 0x904\nExtended error code: 0x7");
  await clean(t);
  t = await open("/errors/0x904-0x7/#check=0x904");
  await waitReport(t.page, "[data-checker-root]");
  text = await t.page.locator("[data-checker-root] .signal-list").textContent();
  assert.match(text, /0x904/);
  await clean(t);
});

test("2. an expired certificate shows the expiry; a private key shows the warning and is never echoed", async () => {
  const t = await open("/check/");
  const { page } = t;
  await paste(page, FULL_INPUT, "Here is the listener's certificate:\n\n" + expiredCert());
  await waitReport(page);
  const card = await page.locator(`${FULL} .cert-card`).first().textContent();
  assert.match(card, /Expired/);
  assert.match(card, /expired \d+ days ago/);
  assert.match(card, /rdp-old\.example\.test/);

  const key = privateKey();
  await page.fill(FULL_INPUT, "");
  await paste(page, FULL_INPUT, "cert and key from the server:\n" + key);
  await page.waitForSelector(`${FULL} .report-warning`);
  const lines = key.split("\n").filter((l) => l && !l.startsWith("-----"));
  const dom = await page.evaluate(() => document.documentElement.outerHTML + "\n" + document.body.innerText);
  for (const line of lines) assert.ok(!dom.includes(line), "a line of the key appears in the DOM");
  const reportText = await page.locator(`${FULL} .checker-report`).textContent();
  assert.ok(!reportText.includes(lines[0].slice(0, 16)));
  await clean(t);
});

test("3. a paste with HTML and script changes nothing but text", async () => {
  const t = await open("/check/");
  const { page } = t;
  const title = await page.title();
  const before = await page.evaluate(() => document.querySelectorAll("body *").length);
  const evil = `Error code: 0x904 <img src=x onerror="window.__xss=1;document.title='pwned'">
<script>window.__xss=2</script><svg onload="window.__xss=3"></svg>
-----BEGIN CERTIFICATE-----
<img src=y onerror="window.__xss=4">
-----END CERTIFICATE-----
Remote computer: <b>host</b>"><iframe src="javascript:alert(1)">`;
  await paste(page, FULL_INPUT, evil);
  await waitReport(page);
  await page.waitForTimeout(300);
  assert.equal(await page.title(), title);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  const inReport = await page.evaluate(() => document.querySelector("[data-checker-full] .checker-report").querySelectorAll("img, script, svg, iframe, b").length);
  assert.equal(inReport, 0, "no element made from the paste");
  const outside = await page.evaluate(() => Array.from(document.querySelectorAll("body *")).filter((e) => !e.closest(".checker-report")).length);
  assert.ok(outside <= before, `no new element outside the report (${before} -> ${outside})`);
  await clean(t);
});

test("4. no request leaves the page during a paste but the index's buckets, and nothing is stored", async () => {
  const t = await open("/check/");
  const { page, log } = t;
  await page.focus(FULL_INPUT);
  await page.waitForFunction(() => document.querySelector("[data-checker-full]").hasAttribute("data-checker-mounted"));
  const n = log.requests.length;
  await paste(page, FULL_INPUT, DIALOG);
  await waitReport(page);
  await page.keyboard.type("\nEvent ID: 36870");
  await page.waitForTimeout(400);
  // The only requests: the knowledge index's buckets (same origin, content-hashed names), each once.
  const sent = log.requests.slice(n);
  assert.ok(sent.every((u) => /^\/assets\/k\/\d+\.[0-9a-f]+\.json$/.test(new URL(u).pathname) && u.startsWith(origin + "/")), sent.join("\n"));
  assert.equal(new Set(sent).size, sent.length, "each bucket is fetched once");
  assert.ok(!sent.some((u) => /0x904|36870|computer/i.test(u)), "no pasted text in a URL");
  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
  assert.ok(!storage.includes("0x904"), "nothing pasted is stored");
  await clean(t);
});

test("4b. the page is readable without WebAssembly and says the checker is unavailable", async () => {
  const t = await open("/errors/0x904-0x7/", { wasm: false });
  const { page } = t;
  assert.ok((await page.locator("h1").textContent()).length > 0);
  const state = page.locator("[data-checker-root] .checker-state").first();
  await state.waitFor();
  assert.match(await state.textContent(), /WebAssembly/);
  await clean(t);
});

const AXE_PAGES = ["/", "/errors/0x904-0x7/", "/fixes/bind-rdp-cert/", "/check/"];

for (const scheme of ["light", "dark"]) {
  test(`5. axe finds no violation (${scheme})`, async () => {
    for (const p of AXE_PAGES) {
      const t = await open(p, { scheme });
      if (p === "/check/") {
        await paste(t.page, FULL_INPUT, DIALOG + "\n\n" + expiredCert());
        await waitReport(t.page);
      }
      const r = await new AxeBuilder({ page: t.page }).analyze();
      const v = r.violations.map((x) => `${x.id}: ${x.help}\n    ${x.nodes.slice(0, 3).map((n) => n.target.join(" ") + " " + (n.failureSummary || "").replace(/\n/g, " ")).join("\n    ")}`);
      assert.deepEqual(v, [], `${p} in ${scheme}`);
      await clean(t);
    }
  });
}

test("5b. the theme toggle overrides the system and is remembered", async () => {
  const t = await open("/", { scheme: "light" });
  const { page } = t;
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await bg();
  // The label says what a press will do, in both states.
  assert.equal((await page.textContent(".theme-toggle")).trim(), "Dark theme");
  await page.click(".theme-toggle");
  assert.notEqual(await bg(), light);
  assert.equal((await page.textContent(".theme-toggle")).trim(), "Light theme");
  await page.reload();
  assert.equal(await page.getAttribute("html", "data-theme"), "dark");
  assert.equal((await page.textContent(".theme-toggle")).trim(), "Light theme");
  await clean(t);
});

test("6. keyboard only: search with / and arrows, the checker by Tab", async () => {
  const t = await open("/");
  const { page } = t;
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.id), "search-input");
  await page.keyboard.type("0x904");
  await page.waitForSelector("#search-list a");
  await page.keyboard.press("ArrowDown");
  const first = await page.evaluate(() => document.activeElement.getAttribute("href"));
  assert.ok(first && first.startsWith("/"), "arrow moves into the results");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowUp");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("href")), first);
  await page.keyboard.press("Enter");
  await page.waitForURL((u) => u.pathname === first);

  // Tab from the top of a page reaches the checker box.
  await page.goto(origin + "/");
  let found = false;
  for (let i = 0; i < 80 && !found; i++) {
    await page.keyboard.press("Tab");
    found = await page.evaluate(() => document.activeElement && document.activeElement.id === "home-input");
  }
  assert.ok(found, "the checker is reachable by Tab");
  await page.keyboard.type("Error code: 0x904");
  await waitReport(page, "[data-checker-root]");
  await clean(t);
});

test("6b. search understands codes in every notation", async () => {
  const t = await open("/");
  const { page } = t;
  async function results(q) {
    await page.fill("#search-input", q);
    await page.waitForFunction(() => document.querySelector("#search-status").textContent.length > 0);
    return page.locator("#search-list a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  }
  const base = await results("0x904");
  assert.ok(base.length > 0);
  for (const q of ["904", "2308", "0x00000904"]) assert.equal((await results(q))[0], base[0], `${q} finds ${base[0]} first`);
  const hr = await results("0x80092013");
  assert.ok(hr.length > 0, "0x80092013 finds a page");
  assert.equal((await results("-2146885613"))[0], hr[0], "-2146885613 finds the same page first");
  assert.ok((await results("certif")).length > 0, "words match as a prefix while typing");
  // A pasted dialog offers the checker's answer on the same page, without the URL.
  await page.fill("#search-input", "");
  await page.focus("#search-input");
  await page.evaluate((t) => navigator.clipboard.writeText(t), DIALOG);
  await page.keyboard.press("Control+V");
  await page.waitForSelector(".search-paste:not([hidden]) .search-check");
  await page.click(".search-check");
  await waitReport(page, "[data-checker-root]");
  assert.ok(!page.url().includes("check="), "the paste is not in the URL");
  await clean(t);
});

test("6c. fix variants are tabs, and the choice is remembered", async () => {
  const t = await open("/fixes/bind-rdp-cert/");
  const { page } = t;
  const tabs = page.locator('[role="tab"][data-variant="cmd"]');
  assert.ok(await tabs.count() >= 1);
  await tabs.first().click();
  assert.equal(await tabs.first().getAttribute("aria-selected"), "true");
  await page.reload();
  assert.equal(await page.locator('[role="tab"][data-variant="cmd"]').first().getAttribute("aria-selected"), "true");
  assert.ok(await page.locator(".code-block .copy-code").count() > 0, "code blocks have copy buttons");
  await clean(t);
});

test("6d. blocks that follow each other are steps to run in turn, not tabs; marked sections are tabs", async () => {
  const t = await open("/fixes/renew-rdp-cert/");
  const { page } = t;
  // "Restart the services" needs both the cmd and the PowerShell block: both visible, no tab list among them.
  const blocks = page.locator('xpath=//h2[@id="restart-the-services"]/following-sibling::*[preceding-sibling::h2[1][@id="restart-the-services"]]//pre[contains(@class,"code")]');
  assert.equal(await blocks.count(), 2, "both commands of the step are there");
  for (let i = 0; i < 2; i++) assert.ok(await blocks.nth(i).isVisible(), `block ${i + 1} is visible`);
  assert.deepEqual(await page.locator('xpath=//h2[@id="restart-the-services"]/following-sibling::*[preceding-sibling::h2[1][@id="restart-the-services"]]//span[@class="code-lang"]').allTextContents(),
    ["Command Prompt", "PowerShell"], "each block names its language");
  // "Delete the self-signed certificate" marks its alternatives: they are tabs with their own labels.
  const tabs = page.locator('[role="tablist"] [role="tab"]');
  assert.deepEqual(await tabs.allTextContents(), ["GUI", "PowerShell"]);
  // An Azure CLI block is called that, not "Bash".
  await page.goto(origin + "/fixes/open-rdp-port/");
  const langs = await page.locator(".code-lang").allTextContents();
  assert.ok(langs.includes("Azure CLI") && !langs.includes("Bash"), langs.join(", "));
  // The copy button sits in the block's head, never over the code (bounding boxes, one-line command).
  // The Undo step's block: the other Azure CLI block is in a tab that may be hidden.
  const block = page.locator(".code-block").filter({ has: page.locator('pre[data-lang="azurecli"]') }).last();
  await block.scrollIntoViewIfNeeded();
  const b = await block.locator(".copy-code").boundingBox();
  const code = await block.locator("pre.code").boundingBox();
  assert.ok(b && code && b.y + b.height <= code.y + 0.5, `copy button (${JSON.stringify(b)}) above the code (${JSON.stringify(code)})`);
  await clean(t);
});

test("7. screenshots of the checker with a report, light and dark", async () => {
  const cert = expiredCert();
  for (const scheme of ["light", "dark"]) {
    const t = await open("/check/", { scheme });
    await paste(t.page, FULL_INPUT, DIALOG + "\n\n" + cert);
    await waitReport(t.page);
    const file = path.join(SHOTS, `checker-${scheme}.png`);
    await t.page.screenshot({ path: file, fullPage: true });
    assert.ok(fs.statSync(file).size > 10000);
    await clean(t);
  }
  const t = await open("/errors/0x904-0x7/#check=0x904,0x7", { viewport: { width: 390, height: 844 } });
  await waitReport(t.page, "[data-checker-root]");
  await t.page.screenshot({ path: path.join(SHOTS, "error-page-phone.png"), fullPage: false });
  await clean(t);
});

// FreeRDP 2 accepts a self-signed certificate, then NLA fails: the stage strip must mark NLA, not TLS.
const FREERDP_NLA = `[09:41:07:512] [2210:2211] [WARN][com.freerdp.crypto] - Certificate verification failure 'self-signed certificate (18)' at stack position 0
[09:41:09:020] [2210:2211] [WARN][com.freerdp.core.nla] - SPNEGO received NTSTATUS: STATUS_PASSWORD_EXPIRED [0xC0000071] from server
[09:41:09:020] [2210:2211] [ERROR][com.freerdp.core] - nla_recv_pdu:freerdp_set_last_error_ex ERRCONNECT_PASSWORD_EXPIRED [0x0002000E]`;

test("7b. the stage strip marks where the connection failed, and causes carry confidence words", async () => {
  for (const scheme of ["light", "dark"]) {
    const t = await open("/check/", { scheme });
    const { page } = t;
    await paste(page, FULL_INPUT, FREERDP_NLA);
    await waitReport(page);
    const failed = page.locator(`${FULL} .stage-strip .stage-failed`);
    assert.equal(await failed.count(), 1, "one stage is marked failed");
    assert.match(await failed.textContent(), /NLA.*failed here/);
    assert.equal(await failed.getAttribute("aria-current"), "step");
    assert.ok(await page.locator(`${FULL} .stage-strip .stage-passed`).count() >= 4, "the stages before NLA are passed");
    const words = await page.locator(`${FULL} .cause .confidence`).allTextContents();
    assert.ok(words.length >= 2, words.join(", "));
    assert.ok(words.every((w) => ["confirmed", "likely", "candidate"].includes(w)), words.join(", "));
    const report = await page.locator(`${FULL} .report`).textContent();
    assert.ok(!/match \d+%/.test(report), "no percentage is shown");
    assert.match(await page.locator(`${FULL} .cause`).first().textContent(), /password/i);
    await page.locator(`${FULL} .stage-strip`).scrollIntoViewIfNeeded();
    const file = path.join(SHOTS, `checker-stages-${scheme}.png`);
    await page.screenshot({ path: file, fullPage: true });
    assert.ok(fs.statSync(file).size > 10000);
    const r = await new AxeBuilder({ page }).analyze();
    assert.deepEqual(r.violations.map((x) => `${x.id}: ${x.help}`), [], `stage report in ${scheme}`);
    await clean(t);
  }
});

test("7c. a code that exists only in some versions says which, in the report and on its table page", async () => {
  const t = await open("/check/");
  const { page } = t;
  await paste(page, FULL_INPUT, "[10:02:11:300] [3301:3302] [ERROR][com.freerdp.core] - freerdp_set_last_error_ex ERRCONNECT_TARGET_BOOTING [0x0002001D]");
  await waitReport(page);
  const versions = await page.locator(`${FULL} .signal-list .versions`).allTextContents();
  assert.deepEqual(versions, [" (since FreeRDP 3.18.0)"]);
  await page.goto(origin + "/codes/errconnect/");
  assert.match(await page.locator('tr[id="0x2001d"] .versions').textContent(), /since FreeRDP 3\.18\.0/);
  await clean(t);
});

test("7d. a row that holds only for some clients, a step's version note, and sources shown by title", async () => {
  const t = await open("/check/");
  const { page } = t;
  await paste(page, FULL_INPUT, "[10:02:11:300] [3301:3302] [ERROR][com.freerdp.core] - freerdp_set_last_error_ex ERRCONNECT_HYBRID_REQUIRED_BY_SERVER [0x0002001E]");
  await waitReport(page);
  const versions = await page.locator(`${FULL} .signal-list .versions`).allTextContents();
  assert.deepEqual(versions, [" (applies to FreeRDP development branch (after 3.30.0))"]);
  await page.goto(origin + "/codes/errconnect/");
  assert.match(await page.locator('tr[id="0x2001e"] .versions').textContent(), /applies to FreeRDP development branch/);
  await page.goto(origin + "/fixes/credssp-update/");
  const note = page.locator("#temporary-workaround + .step-versions");
  assert.match(await note.textContent(), /^Versions: applies to Windows with the CredSSP update/);
  const sources = await page.locator(".sources li a").allTextContents();
  assert.ok(sources.length >= 2, "the fix lists its sources");
  for (const s of sources) assert.ok(!/^https?:/.test(s), `source shown by title, not URL: ${s}`);
  await clean(t);
});

test("7e. code tables lead somewhere: rows link their error pages, long tables filter, values never break", async () => {
  const t = await open("/codes/disconnect/");
  const { page } = t;
  const links = page.locator('tr[id="0x904"] a[href^="/errors/"]');
  assert.ok(await links.count() >= 1, "the 0x904 row links an error page");
  const href = await links.first().getAttribute("href");
  await links.first().click();
  await page.waitForURL((u) => u.pathname === href);
  // The 119-row table: a filter box (hidden without script), a header that stays in view.
  await page.goto(origin + "/codes/errinfo/");
  await page.fill("#table-filter-input", "license");
  const shown = await page.locator(".code-table tbody tr:not([hidden])").count();
  const all = await page.locator(".code-table tbody tr").count();
  assert.ok(all > 100 && shown > 0 && shown < all, `${shown} of ${all} rows shown`);
  assert.match(await page.textContent(".table-filter-count"), new RegExp(`^${shown} of ${all} rows$`));
  await page.fill("#table-filter-input", "");
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight / 2));
  const th = await page.locator(".code-table thead th").first().boundingBox();
  assert.ok(th && th.y >= -1 && th.y < 5, `the header is in view after scrolling (y=${th && th.y})`);
  // A value is one line: its cell is no taller than one line of code.
  for (const v of ["0x10dd", "0x904"]) {
    const url = v === "0x904" ? "/codes/disconnect/" : "/codes/errinfo/";
    await page.goto(origin + url);
    for (const w of [390, 1280]) {
      await page.setViewportSize({ width: w, height: 800 });
      const lines = await page.locator(`tr[id="${v}"] td:first-child code`).evaluate((c) => c.getClientRects().length);
      assert.equal(lines, 1, `${v} on one line at ${w} px`);
    }
  }
  await clean(t);
});

test("7f. a page that does not exist suggests pages from the words of its URL", async () => {
  const t = await open("/errors/0x904-extended-error/");
  const { page } = t;
  await page.waitForSelector("[data-suggest]:not([hidden]) li a", { timeout: 10000 });
  const hrefs = await page.locator("[data-suggest] li a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.ok(hrefs.length >= 1 && hrefs.length <= 5, hrefs.join(", "));
  assert.ok(hrefs.some((h) => h.includes("0x904")), `a 0x904 page is suggested: ${hrefs.join(", ")}`);
  // A URL that cannot be decoded still gets a page (no script error).
  await page.goto(origin + "/causes/%E0%A4%A-expired-certificate/");
  await page.waitForSelector("[data-suggest]:not([hidden]) li a", { timeout: 10000 });
  // The two 404 responses are the point of the test; nothing else may fail.
  const expected = (e) => /^HTTP 404 .*\/(errors\/0x904-extended-error|causes\/%E0%A4%A-expired-certificate)\/$/.test(e)
    || e === "console: Failed to load resource: the server responded with a status of 404 (Not Found)";
  assert.equal(t.log.errors.filter(expected).length, 4, t.log.errors.join("\n"));
  t.log.errors = t.log.errors.filter((e) => !expected(e));
  await clean(t);
});

test("figures: module size, first load of an error page, paste-to-report on a 3 MB log", async () => {
  const assets = fs.readdirSync(path.join(site, "assets"));
  const wasm = fs.readFileSync(path.join(site, "assets", assets.find((f) => f.endsWith(".wasm"))));
  const gz = zlib.gzipSync(wasm, { level: 9 }).length;
  console.log(`# figure: wasm module ${wasm.length} bytes raw, ${gz} bytes gzipped`);
  assert.ok(gz < 200 * 1024, "wasm < 200 KB gzipped");

  // First load of an error page: what the browser fetches before anyone uses the checker.
  const t = await open("/errors/0x904-0x7/");
  await t.page.waitForLoadState("networkidle");
  let bytes = 0, gzBytes = 0;
  for (const u of t.log.requests) {
    const p = new URL(u).pathname;
    assert.ok(!/\.(wasm|json)$/.test(p), `nothing lazy loads up front (${p})`);
    let f = path.join(site, p);
    if (fs.statSync(f).isDirectory()) f = path.join(f, "index.html");
    const body = fs.readFileSync(f);
    bytes += body.length;
    gzBytes += zlib.gzipSync(body, { level: 9 }).length;
  }
  console.log(`# figure: first load of an error page ${bytes} bytes uncompressed, ${gzBytes} gzipped (HTML+CSS+JS+icon, ${t.log.requests.length} requests, no wasm, no index)`);
  assert.ok(bytes < 60 * 1024, "first load < 60 KB");

  // Paste-to-report on a 3 MB log with one error line buried in it (checked in the worker, rendered here).
  const { page } = t;
  await page.focus("#side-input");
  await page.waitForFunction(() => document.querySelector("[data-checker-root]").hasAttribute("data-checker-mounted"));
  const ms = await page.evaluate(async () => {
    const line = "2026-11-20 09:14:02.118 [INFO] session 4411 heartbeat ok, 1320 bytes in 12 ms from 10.1.2.3:50211\n";
    const n = Math.ceil(3 * 1024 * 1024 / line.length);
    const parts = new Array(n).fill(line);
    parts[Math.floor(n / 2)] = "2026-11-20 09:14:03.001 [ERROR] Remote Desktop: Error code: 0x904 Extended error code: 0x7\n";
    const text = parts.join("");
    const ta = document.getElementById("side-input");
    const region = document.getElementById("side-report");
    const times = [];
    for (let i = 0; i < 5; i++) {
      region.textContent = "";
      const data = new DataTransfer();
      data.setData("text/plain", text + (i % 2 ? " " : ""));
      const t0 = performance.now();
      ta.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
      const deadline = t0 + 10000;
      while (!region.textContent.includes("0x904")) {
        if (performance.now() > deadline) throw new Error("report not rendered");
        await new Promise((r) => setTimeout(r, 2));
      }
      void document.body.offsetHeight; // force layout of the page with the rendered report
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return times[2];
  });
  console.log(`# figure: paste-to-report on a 3 MB log ${ms.toFixed(1)} ms (median of 5, Chromium)`);
  assert.ok(ms < 500, "paste-to-report stays interactive");
  await clean(t);
});

// A location the page cannot decode (`#%`, a truncated UTF-8 escape) must not stop the page's script.
test("8. a malformed fragment breaks neither search nor the checker", async () => {
  for (const p of ["/errors/0x904-0x7/#%", "/fixes/bind-rdp-cert/#%E0%A4%A", "/errors/0x904-0x7/#check=%E0%A4%A%"]) {
    const t = await open(p);
    const { page } = t;
    await page.fill("#search-input", "0x904");
    await page.waitForSelector("#search-list a", { timeout: 15000 });
    if (await page.locator("[data-checker-root] textarea").count()) {
      // Filled at once: typed key by key, a slow machine reports on "Error code: 0" before the rest arrives.
      await page.fill("[data-checker-root] textarea", "Error code: 0x904");
      await page.waitForFunction(() => /0x904/.test(document.querySelector("[data-checker-root] .signal-list")?.textContent || ""), null, { timeout: 15000 });
      assert.match(await page.locator("[data-checker-root] .signal-list").textContent(), /0x904/, p);
    } else {
      // A page without a checker box still has its tabs.
      assert.ok(await page.locator('[role="tab"]').count() > 0, p);
    }
    await clean(t);
  }
});

// The checker runs in a Web Worker: the page answers while a long paste is read, and the report arrives.
test("9. a 3 MB paste keeps the page responsive while it is checked", async () => {
  const t = await open("/check/");
  const { page } = t;
  await page.focus(FULL_INPUT);
  await page.waitForFunction(() => document.querySelector("[data-checker-full]").hasAttribute("data-checker-mounted"));
  const r = await page.evaluate(async () => {
    // Many hosts and port tests: costly shapes for the engine, 3 MB in all, with a dialog's codes at the end.
    const block = "Test-NetConnection rdp-17.example.test -Port 3389\nComputerName     : rdp-17.example.test\nRemoteAddress    : 10.0.0.17\nRemotePort       : 3389\nTcpTestSucceeded : False\nRemote computer: h17.example\n\n";
    const text = block.repeat(Math.ceil(3 * 1024 * 1024 / block.length)) + "Error code: 0x904\nExtended error code: 0x7\n";
    const ta = document.querySelector("#check-input");
    const region = document.querySelector("[data-checker-full] .checker-report");
    region.textContent = "";
    let last = performance.now(), maxGap = 0, ticks = 0, running = true;
    (function tick() {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      ticks++;
      if (running) setTimeout(tick, 5);
    })();
    const data = new DataTransfer();
    data.setData("text/plain", text);
    const t0 = performance.now();
    ta.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    const dispatch = performance.now() - t0;
    const syncReport = region.textContent.length > 0;
    while (!region.textContent.includes("0x904")) {
      if (performance.now() - t0 > 60000) { running = false; throw new Error("no report in 60 s"); }
      await new Promise((res) => setTimeout(res, 5));
    }
    const total = performance.now() - t0;
    await new Promise((res) => setTimeout(res, 30)); // lets the timer loop see a stall that just ended
    running = false;
    return { maxGap, ticks, dispatch, total, syncReport, size: text.length };
  });
  console.log(`# figure: a ${(r.size / 1048576).toFixed(1)} MB paste: report after ${r.total.toFixed(0)} ms, paste handler ${r.dispatch.toFixed(1)} ms, longest main-thread gap ${r.maxGap.toFixed(0)} ms over ${r.ticks} timer ticks`);
  assert.equal(r.syncReport, false, "the paste is not checked on the page's thread");
  assert.ok(r.maxGap < 200, `the main thread stalled ${r.maxGap.toFixed(0)} ms`);
  assert.match(await page.locator(`${FULL} .signal-list`).textContent(), /0x904/);
  await clean(t);
});
