// End-to-end test of Mandala's web page in a real browser: Debian's Chromium driven by
// playwright-core. It indexes the default corpus into a temporary folder, starts `mandala serve`
// on a free loopback port, and walks through what a trainer does: search, filter by a category,
// open a passage, build a reading pack, reorder it, export it to DOCX and HTML; then visits the
// document, category, mission and trace pages, then (over a second index of tests/fixtures/lineage)
// the trace grid and a mandate lineage page, checks the keyboard path and a phone-width layout.
// Every page visited is saved as a PNG under build/screenshots/ (MANDALA_SCREENSHOTS overrides).
//
// Environment: MANDALA_BINARY (default build/cli/mandala), MANDALA_CORPUS (default: the CLI's own
// default, ../shared/corpus), MANDALA_STATIC (default web/static), CHROMIUM (default /usr/bin/chromium).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { run, startServer, stopServer, unzipEntry, docxParagraphs } from "./lib.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const binary = process.env.MANDALA_BINARY || path.join(repo, "build/cli/mandala");
const shots = process.env.MANDALA_SCREENSHOTS || path.join(repo, "build/screenshots");
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

let tmp, server, browser, context, page;
const problems = [];   // console errors, uncaught exceptions, failed requests
const state = {};      // what one step hands to the next

// A step that needs what an earlier one found fails at once, not after a time-out, when that step failed.
function needs(...keys) {
  const missing = keys.filter((k) => state[k] === undefined);
  if (missing.length) throw new Error(`an earlier step failed (no ${missing.join(", ")})`);
}

function watch(p) {
  p.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()} (${p.url()})`); });
  p.on("pageerror", (e) => problems.push(`page error: ${e.message} (${p.url()})`));
  p.on("requestfailed", (r) => {
    // Downloads are handed to the download manager and reported as aborted: not a failure.
    if (!/\/export\?/.test(r.url())) problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  p.on("response", (r) => { if (r.status() >= 500) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
}

let shotNo = 0;
async function shot(name, p = page, fullPage = true) {
  const file = path.join(shots, `${String(++shotNo).padStart(2, "0")}-${name}.png`);
  await p.screenshot({ path: file, fullPage });
  return file;
}

// The page shows errors in <p class="error">; none may be on screen after a view has rendered.
async function noError(p = page) {
  const errors = await p.locator("#main .error").allTextContents();
  assert.deepEqual(errors, [], "the page shows an error");
}

// A list passage's item lines open with a bullet and a space (indexer/list_markers.h).
const BULLET = /^(-|\u2022|\u25AA|\u25CF|\u00B7|\u2013|\u2014|\u25E6|\u25A0|\u25A1|\u25CB|\u25BA|\u25B8|\u27A2|\u2713|\u2043|\uF0B7|\uF0A7|\?) /;

// What a passage shows as text: a list passage's item lines become list items (no bullet, no
// line breaks in textContent); one paragraph is its text.
function shown(text) { return text.includes("\n") || BULLET.test(text) ? text.split("\n").map((l) => l.replace(BULLET, "")).join("") : text; }

// A passage's text as a DOCX export gives it back: list items with "- ".
function asDocx(text) { return text.split("\n").map((l) => l.replace(BULLET, "- ")).join("\n"); }

// The quoted passages of a DOCX pack export, item by item, as the passage texts they came from:
// Quote paragraphs are paragraphs, ListBullet paragraphs (Word list items) are "- item" lines.
function docxQuotes(paras) {
  const items = [];
  for (const p of paras) {
    if (p.style === "Heading1") items.push([]);
    else if (p.style === "Quote") items.at(-1).push(p.text);
    else if (p.style === "ListBullet") items.at(-1).push("- " + p.text);
  }
  return items.map((lines) => lines.join("\n"));
}

async function heading(p = page) { return (await p.locator("#main h1").textContent()).trim(); }

async function api(pathname) {
  const res = await fetch(server.base + pathname);
  assert.equal(res.status, 200, `GET ${pathname}`);
  return res.json();
}

before(async () => {
  assert.ok(fs.existsSync(binary), `no mandala binary at ${binary} (build first, or set MANDALA_BINARY)`);
  fs.mkdirSync(shots, { recursive: true });
  for (const f of fs.readdirSync(shots)) if (f.endsWith(".png")) fs.rmSync(path.join(shots, f));
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mandala-browser-"));
  process.on("exit", () => fs.rmSync(tmp, { recursive: true, force: true }));  // also when killed
  const db = path.join(tmp, "db");
  const corpus = process.env.MANDALA_CORPUS ? ["--corpus", process.env.MANDALA_CORPUS] : [];
  await run(binary, ["index", "--db", db, "--quiet", ...corpus], { cwd: repo });
  server = await startServer(binary, ["--db", db, "--static", process.env.MANDALA_STATIC || path.join(repo, "web/static"), "--threads", "8"], { cwd: repo });
  browser = await chromium.launch({ executablePath, headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
  context = await browser.newContext({ baseURL: server.base, viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  context.setDefaultTimeout(15000);
  page = await context.newPage();
  watch(page);
});

after(async () => {
  // The server is killed whatever happened; its log is printed when something went wrong.
  try { if (browser) await browser.close(); } catch { /* already gone */ }
  await stopServer(server);
  if (process.exitCode && server) process.stderr.write(`--- server log (tail) ---\n${server.log().slice(-4000)}\n`);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test("home page, then a search typed in the box and sent with Enter", async () => {
  await page.goto("/");
  await page.locator("#main h1").waitFor();
  assert.equal(await heading(), "All passages");
  await noError();
  await shot("home");

  // "/" focuses the search box; Enter sends the form.
  await page.locator("body").click({ position: { x: 5, y: 500 } });
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.id), "q");
  await page.keyboard.type("DDR benchmarks");
  await page.keyboard.press("Enter");
  await page.waitForURL(/[?&]q=DDR\+benchmarks/);
  await page.locator("#main .summary", { hasText: "for “DDR benchmarks”" }).waitFor();
  // The suggestions list must not pop up over the results after the search was sent.
  await page.waitForTimeout(600);
  assert.equal(await page.locator("#suggestions").isVisible(), false, "suggestions stay open after Enter");
  await noError();

  const summary = await page.locator("#main .summary").textContent();
  const total = Number(summary.match(/^(\d+) passages? /)[1]);
  const expected = await api("/api/search?q=" + encodeURIComponent("DDR benchmarks"));
  assert.equal(total, expected.total);
  assert.ok(total >= 2, "the search finds at least two passages");
  const shown = await page.locator("#main article.result").count();
  assert.equal(shown, Math.min(10, total));
  // Results show highlighted terms and the top result is the API's top result.
  const marks = await page.locator("#main .result mark").allTextContents();
  assert.ok(marks.length > 0, "no highlighted terms in the snippets");
  const stop = marks.filter((m) => ["and", "of", "the", "in", "to", "a"].includes(m.toLowerCase()));
  assert.deepEqual(stop, [], "function words are highlighted in the snippets");
  const firstHref = await page.locator("#main .result h2 a").first().getAttribute("href");
  assert.equal(new URLSearchParams(firstHref.split("?")[1]).get("id"), expected.results[0].id);
  // The query reads as one about DDR: the page says so and offers the filter.
  assert.deepEqual(expected.about, ["ddr"]);
  await page.locator("#facets p.about a", { hasText: "only ddr" }).waitFor();
  state.total = total;
  await shot("search-ddr-benchmarks");
});

test("a category facet narrows the results and the counts change", async () => {
  const facetCounts = async () => Object.fromEntries(await page.locator("#facets label").evaluateAll(
    (labels) => labels.map((l) => [l.getAttribute("for"), Number(l.querySelector(".count").textContent)])));
  const before = await facetCounts();
  const categories = Object.entries(before).filter(([id, n]) => id.startsWith("f-category-") && n < state.total);
  assert.ok(categories.length > 0, "no category facet that would narrow the results");
  const [id, count] = categories[0];
  const category = id.slice("f-category-".length);

  await page.locator(`label[for="${id}"]`).click();
  await page.waitForURL(new RegExp(`[?&]category=${category}`));
  await page.locator("#main .summary", { hasText: new RegExp(`^${count} passages? `) }).waitFor();
  assert.equal(await page.locator(`#${id}`).isChecked(), true, "the chosen facet is not checked after the reload");
  const afterCounts = await facetCounts();
  assert.notDeepEqual(afterCounts, before, "facet counts did not change");
  assert.equal(afterCounts[id], count);
  for (const [k, n] of Object.entries(afterCounts)) assert.ok(n <= count, `facet ${k} counts ${n} > ${count}`);
  // Every result on the page carries the chosen category.
  const chips = await page.locator("#main article.result").evaluateAll((rs) => rs.map((r) => [...r.querySelectorAll(".chip")].map((c) => c.textContent)));
  for (const c of chips) assert.ok(c.includes(category), `a result without category ${category}: ${c}`);
  await noError();
  await shot("search-facet-" + category);

  // Unchecking restores the full result set.
  await page.locator(`label[for="${id}"]`).click();
  await page.locator("#main .summary", { hasText: new RegExp(`^${state.total} passages? `) }).waitFor();
  assert.ok(!page.url().includes("category="));

  // Long facets show their first values and open on request.
  const long = page.locator("#facets fieldset:has(button.more)").first();
  assert.ok(await long.count() > 0, "no facet has more values than its preview");
  const shown = await long.locator("label").count();
  await long.locator("button.more").click();
  await page.locator("#facets button.more", { hasText: "Show fewer" }).waitFor();
  const opened = page.locator("#facets fieldset:has(button.more[aria-expanded=true])");
  assert.ok(await opened.locator("label").count() > shown, "the facet did not open");
  assert.equal(await page.locator("#facets p.about").count(), 1, "opening a facet lost the query's categories");
  await opened.locator("button.more").click();
  assert.equal(await page.locator("#facets fieldset:has(button.more[aria-expanded=true])").count(), 0);
});

test("keyboard: skip link and Tab reach the results, Enter opens a passage", async () => {
  needs("total");
  // From the search box, Tab walks through the header, then the results (filters come after them).
  await page.locator("#q").focus();
  let reached = null;
  for (let i = 0; i < 20 && !reached; ++i) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => {
      const a = document.activeElement;
      return a && a.closest("#main article.result") ? a.getAttribute("href") || a.textContent : null;
    });
  }
  assert.ok(reached, "Tab from the search box does not reach a result within 20 presses");

  // On a freshly loaded page the skip link is the first stop and moves focus to the main region.
  await page.reload();
  await page.locator("#main article.result").first().waitFor();
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.className), "skip");
  assert.ok(await page.locator(".skip").isVisible(), "the focused skip link is not visible");
  // Following it moves the focus only: the view is not drawn (and searched) again under it.
  const searches = [];
  const count = (r) => { if (r.url().includes("/api/search")) searches.push(r.url()); };
  page.on("request", count);
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement.id === "main");
  await page.waitForTimeout(300);
  page.off("request", count);
  assert.deepEqual(searches, [], "the skip link draws the view again");
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => document.activeElement.closest("#main article.result") !== null);
  assert.ok(first, "Tab after the skip link does not land on the first result");
  assert.ok(!page.url().includes("view=passage"));

  // Enter on the focused result title opens the passage.
  const href = await page.evaluate(() => document.activeElement.getAttribute("href"));
  await page.keyboard.press("Enter");
  await page.waitForURL((u) => u.search.includes("view=passage"));
  assert.equal(new URL(page.url()).search, href.slice(1));
  await page.locator("#passage-text").waitFor();
  await page.waitForFunction(() => document.activeElement.id === "main");
  assert.equal(await page.evaluate(() => window.scrollY), 0, "the passage page does not start at its top");
});

test("a passage page shows the text, its place and its citation", async () => {
  needs("total");
  assert.match(page.url(), /view=passage/);
  const id = new URL(page.url()).searchParams.get("id");
  const p = await api("/api/passages/" + encodeURIComponent(id));
  assert.equal((await page.locator("#passage-text").textContent()), shown(p.text));
  assert.equal(await heading(), p.title || p.doc);
  await page.locator("#main", { hasText: "Cite as: " + p.citation }).waitFor();
  assert.equal(await page.title(), (p.title || p.doc) + " — Mandala");
  await noError();
  await shot("passage");
  state.passage = p;
});

test("two passages go into a new reading pack", async () => {
  needs("passage");
  // The first from the passage page...
  assert.equal(await page.locator("#pack-count").textContent(), "0");
  await page.locator("#main button.add").click();
  await page.locator("#main button.add", { hasText: "Added" }).waitFor();
  await page.locator("#pack-count", { hasText: "1" }).waitFor();
  // ...the second from the results list (Back returns to it).
  await page.goBack();
  await page.locator("#main article.result").first().waitFor();
  const results = page.locator("#main article.result");
  let second = null;
  for (let i = 0; i < await results.count(); ++i) {
    const href = await results.nth(i).locator("h2 a").getAttribute("href");
    const pid = new URLSearchParams(href.split("?")[1]).get("id");
    if (pid !== state.passage.id) { second = { index: i, id: pid }; break; }
  }
  assert.ok(second, "no second passage among the results");
  await results.nth(second.index).locator("button.add").click();
  await results.nth(second.index).locator("button.add", { hasText: "Added" }).waitFor();
  await page.locator("#pack-count", { hasText: "2" }).waitFor();
  state.ids = [state.passage.id, second.id];

  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem("mandala-pack")));
  assert.match(stored.id, /^[0-9a-f]{32}$/);
  state.pack = stored.id;
  const pack = await api("/api/packs/" + stored.id);
  assert.deepEqual(pack.items.map((i) => i.passage), state.ids);
});

test("the pack page renames and reorders the pack", async () => {
  needs("pack", "ids");
  await page.locator("#pack-link").click();
  await page.waitForURL(/view=pack/);
  await page.locator("#pack-items li").nth(1).waitFor();
  const texts = () => page.locator("#pack-items li blockquote").allTextContents();
  const pack = await api("/api/packs/" + state.pack);
  assert.deepEqual(await texts(), pack.items.map((i) => shown(i.text)));
  await shot("pack");

  await page.locator("#pack-title").fill("DDR benchmarks: two passages");
  await page.locator("#pack-title").press("Tab");
  await page.locator("#main h1", { hasText: "DDR benchmarks: two passages" }).waitFor();

  // The first item's ↑ is disabled, the last one's ↓ too.
  assert.equal(await page.locator("#pack-items > li").first().locator("button.up").isDisabled(), true);
  assert.equal(await page.locator("#pack-items > li").last().locator("button.down").isDisabled(), true);
  // Move the first item down with the keyboard: the order becomes second, first, and the focus
  // stays with the moved item.
  await page.locator("#pack-items > li").first().locator("button.down").focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction((first) => document.querySelector("#pack-items li blockquote")?.textContent === first, shown(pack.items[1].text));
  await page.waitForFunction(() => document.activeElement.closest("#pack-items > li:nth-child(2)") !== null);
  assert.equal(await page.evaluate(() => document.activeElement.className), "small up");
  const reordered = await api("/api/packs/" + state.pack);
  assert.deepEqual(reordered.items.map((i) => i.passage), [state.ids[1], state.ids[0]]);
  assert.equal(reordered.title, "DDR benchmarks: two passages");
  assert.deepEqual(await texts(), reordered.items.map((i) => shown(i.text)));
  const citations = await page.locator("#pack-items li .path").allTextContents();
  assert.deepEqual(citations, reordered.items.map((i) => i.citation));
  await noError();
  await shot("pack-reordered");
  state.items = reordered.items;
});

async function download(label) {
  const [d] = await Promise.all([page.waitForEvent("download"), page.locator("#main .actions a", { hasText: label }).click()]);
  assert.equal(await d.failure(), null);
  const file = path.join(tmp, d.suggestedFilename());
  await d.saveAs(file);
  return { name: d.suggestedFilename(), body: fs.readFileSync(file) };
}

test("the pack exports to DOCX with both passages and citations in the new order", async () => {
  needs("items");
  const { name, body } = await download("DOCX");
  assert.match(name, /^pack-[0-9a-f]{8}\.docx$/);
  const xml = unzipEntry(body, "word/document.xml").toString("utf8");
  const paras = docxParagraphs(xml);
  assert.deepEqual(paras[0], { style: "Title", text: "DDR benchmarks: two passages" });
  const cites = paras.filter((p) => p.style === "Citation").map((p) => p.text);
  assert.deepEqual(docxQuotes(paras), state.items.map((i) => asDocx(i.text)));
  assert.deepEqual(cites, state.items.map((i) => `${i.citation} [${i.passage}]`));
  const heads = paras.filter((p) => p.style === "Heading1").map((p) => p.text);
  assert.deepEqual(heads.map((h) => h.split(".")[0]), ["1", "2"]);
  // Word needs the content types and the package relationships.
  unzipEntry(body, "[Content_Types].xml");
  unzipEntry(body, "_rels/.rels");
});

test("the pack exports to HTML with both passages in the new order", async () => {
  needs("items");
  const { name, body } = await download("HTML");
  assert.match(name, /^pack-[0-9a-f]{8}\.html$/);
  const html = body.toString("utf8");
  // The export is a page of its own: open it and read it as a reader would see it.
  const view = await context.newPage();
  watch(view);
  await view.setContent(html);
  assert.equal(await view.locator("h1").textContent(), "DDR benchmarks: two passages");
  assert.deepEqual(await view.locator("ol.items > li blockquote").allTextContents(), state.items.map((i) => shown(i.text)));
  assert.deepEqual(await view.locator("ol.items > li .cite").allTextContents(), state.items.map((i) => `${i.citation} [${i.passage}]`));
  await shot("pack-export-html", view);
  await view.close();
});

test("a bullet list is a list on the passage page, the pack page and in the DOCX export", async () => {
  needs("total");
  // A list passage of the corpus: a search hit whose text has items ("- item" lines).
  let list = null;
  for (const q of ["benchmarks", "include", "following"]) {
    const r = await api("/api/search?size=50&q=" + encodeURIComponent(q));
    list = r.results.find((h) => h.text.split("\n").filter((l) => BULLET.test(l)).length >= 2);
    if (list) break;
  }
  assert.ok(list, "no list passage among the results");
  const p = await api("/api/passages/" + encodeURIComponent(list.id));
  const items = p.text.split("\n").filter((l) => BULLET.test(l)).map((l) => l.replace(BULLET, ""));
  await page.goto("/?view=passage&id=" + encodeURIComponent(p.id));
  await page.locator("#passage-text").waitFor();
  assert.deepEqual(await page.locator("#passage-text ul > li").allTextContents(), items);
  await shot("passage-list");

  // A pack of its own (read-only view: no token in this browser for it).
  const res = await fetch(server.base + "/api/packs", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ title: "A list", items: [{ passage: p.id }] }) });
  assert.equal(res.status, 201);
  const pack = await res.json();
  await page.goto("/?view=pack&id=" + pack.id);
  await page.locator("#pack-items li blockquote").first().waitFor();
  assert.deepEqual(await page.locator("#pack-items li blockquote ul > li").allTextContents(), items);
  await noError();

  // DOCX: each item a Word list paragraph (List Bullet style with list numbering).
  const docx = Buffer.from(await (await fetch(`${server.base}/api/packs/${pack.id}/export?format=docx`)).arrayBuffer());
  const xml = unzipEntry(docx, "word/document.xml").toString("utf8");
  const bullets = docxParagraphs(xml).filter((q) => q.style === "ListBullet").map((q) => q.text);
  assert.deepEqual(bullets, items);
  assert.equal((xml.match(/<w:numPr>/g) || []).length, items.length);
  assert.match(unzipEntry(docx, "word/numbering.xml").toString("utf8"), /w:numFmt w:val="bullet"/);
});

test("document, category, mission and trace pages", async () => {
  needs("passage");
  // Document: from the passage page's link to its document.
  await page.goto("/?view=passage&id=" + encodeURIComponent(state.passage.id));
  await page.locator("#passage-text").waitFor();
  await page.locator("#main p.path a").first().click();
  await page.waitForURL(/view=document/);
  const doc = await api("/api/documents/" + encodeURIComponent(state.passage.doc));
  await page.locator("#main h1", { hasText: doc.title || doc.id }).waitFor();
  assert.ok(await page.locator("#main .outline li").count() > 0, "the document outline is empty");
  if (/^https?:/.test(doc.source_url || "")) assert.equal(await page.locator(`#main p.path a[href="${doc.source_url}"]`).count(), 1, "the document's source is not shown");
  await noError();
  await shot("document");

  // Category: a chip on the passage page.
  await page.goBack();
  await page.locator("#passage-text").waitFor();
  const chip = page.locator("#main .chips a.chip").first();
  const category = new URLSearchParams((await chip.getAttribute("href")).split("?")[1]).get("id");
  await chip.click();
  await page.waitForURL(/view=category/);
  const cat = await api("/api/categories/" + category);
  await page.locator("#main h1", { hasText: cat.label || cat.id }).waitFor();
  assert.ok(await page.locator("#main table.heatmap tr").count() > 0, "the category page has no heatmap rows");
  const widths = await page.locator("#main .heat").evaluateAll((bars) => bars.map((b) => b.getBoundingClientRect().width));
  assert.ok(widths.some((w) => w > 10), "the heatmap bars have no width");
  await noError();
  await shot("category-" + category);

  // Categories overview.
  await page.locator("header .links a", { hasText: "Categories" }).click();
  await page.locator("#main h1", { hasText: "Task categories" }).waitFor();
  await noError();
  await shot("categories");

  // Mission: the mission most mentioned in the list.
  await page.locator("header .links a", { hasText: "Missions" }).click();
  await page.locator("#main h1", { hasText: "Missions" }).waitFor();
  await noError();
  await shot("missions");
  const missions = await api("/api/missions");
  assert.ok(missions.missions.length > 0, "the index names no mission");
  const top = [...missions.missions].sort((a, b) => b.mentions - a.mentions)[0];
  await page.locator(`#main a[href="/?view=mission&id=${encodeURIComponent(top.key)}"]`).first().click();
  await page.waitForURL(/view=mission&/);
  await page.locator("#main h1", { hasText: top.key }).waitFor();
  assert.ok(await page.locator("#main ul li").count() > 0, "the mission page lists no mentions");
  await noError();
  await shot("mission");
  // A mission of the registry that no passage names says so instead of showing empty lists.
  const unnamed = missions.missions.find((m) => m.mentions === 0);
  if (unnamed) {
    await page.goto("/?view=mission&id=" + encodeURIComponent(unnamed.key));
    await page.locator("#main .summary", { hasText: "No passage" }).waitFor();
    assert.equal(await page.locator("#main h2").count(), 0, "an unnamed mission's page shows empty sections");
    await noError();
  }

  // Documents list.
  await page.locator("header .links a", { hasText: "Documents" }).click();
  await page.locator("#main h1", { hasText: "Documents" }).waitFor();
  await noError();
  await shot("documents");

  // Trace: type a phrase and press Enter.
  await page.locator("header .links a", { hasText: "Trace" }).click();
  await page.locator("#phrase").waitFor();
  await page.locator("#phrase").fill("protection of civilians");
  await page.locator("#phrase").press("Enter");
  await page.waitForURL(/phrase=protection/);
  await page.locator("#main .forms li").first().waitFor();
  const trace = await api("/api/trace?phrase=" + encodeURIComponent("protection of civilians"));
  // One group per mission; its lines (a page of them) are fetched when it is opened.
  assert.equal(await page.locator("#main details.mission-lines").count(), trace.missions.length);
  assert.equal(await page.locator("#main details.mission-lines .card").count(), 0);
  await page.locator("#main details.mission-lines summary").first().click();
  await page.locator("#main details.mission-lines .card mark").first().waitFor();
  assert.equal(await page.locator("#main details.mission-lines .card").count(), Math.min(50, trace.missions[0].count));
  assert.equal(await page.locator("#main .forms li").count(), trace.forms.length);
  assert.ok(trace.lines.length > 0);
  assert.ok(trace.total >= trace.lines.length);
  await noError();
  await shot("trace");

  // Related passages of the first passage.
  await page.goto("/?view=related&id=" + encodeURIComponent(state.passage.id));
  await page.locator("#main h1", { hasText: "Related passages" }).waitFor();
  const related = await api("/api/passages/" + encodeURIComponent(state.passage.id) + "/related");
  assert.ok(related.results.length > 0, "no related passages");
  assert.equal(await page.locator("#main article.result").count(), related.results.length);
  await noError();
  await shot("related");
});

// Trace grid and mandate lineage over the invented renewals of tests/fixtures/lineage (three
// documents of one mission, so the grid has cells in three years and the lineage has diffs).
test("trace grid: a cell shows its lines; lineage: a diff opens; both fit a phone", async () => {
  const db = path.join(tmp, "lineage-db");
  await run(binary, ["index", "--db", db, "--quiet", "--corpus", path.join(repo, "tests/fixtures/lineage")], { cwd: repo });
  const own = await startServer(binary, ["--db", db, "--static", process.env.MANDALA_STATIC || path.join(repo, "web/static"), "--threads", "2"], { cwd: repo });
  const ctx = await browser.newContext({ baseURL: own.base, viewport: { width: 1280, height: 900 } });
  try {
    const p = await ctx.newPage();
    watch(p);
    await p.goto("/?view=trace&phrase=" + encodeURIComponent("protect civilians"));
    const cells = p.locator("#main table.trace-grid button.cell");
    await cells.first().waitFor();
    assert.ok(await cells.count() >= 3, "the grid has fewer than three cells");
    assert.ok(await p.locator("#main table.trace-grid caption").count() === 1, "the grid table has no caption");
    await cells.nth(1).click();
    await p.locator("#cell-lines .card mark").first().waitFor();
    assert.match(await p.locator("#cell-lines h3").textContent(), /UNSMCA, 20\d\d/);
    assert.equal(await p.locator("#cell-lines .card").count(), Math.min(50, Number(await cells.nth(1).textContent())));
    await noError(p);
    await shot("trace-grid", p);

    await p.locator("#main table.trace-grid th a", { hasText: "UNSMCA" }).click();
    await p.waitForURL(/view=lineage/);
    await p.locator("#main h1", { hasText: "Mandate lineage: UNSMCA" }).waitFor();
    assert.equal(await p.locator("#main section.step").count(), 2);
    // A step shows its counts; its paragraphs and diffs come when it is opened.
    assert.equal(await p.locator("#main button.diff-toggle").count(), 0);
    for (const open of await p.locator("#main button.step-toggle").all()) await open.click();
    await p.locator('#main button.step-toggle[aria-expanded="true"]').nth(1).waitFor();
    const toggle = p.locator("#main button.diff-toggle").first();
    await toggle.waitFor();
    assert.equal(await toggle.getAttribute("aria-expanded"), "false");
    await toggle.click();
    assert.equal(await toggle.getAttribute("aria-expanded"), "true");
    const diff = p.locator("#main .diff-body:not([hidden]) .diff");
    await diff.first().waitFor();
    assert.ok(await diff.first().locator("ins, del").count() > 0, "the opened diff marks no words");
    assert.ok(await p.locator("#main section.step del").count() > 0, "no removed paragraph or sentence shown");
    await noError(p);
    await shot("lineage", p);

    await p.setViewportSize({ width: 390, height: 844 });
    for (const url of ["/?view=trace&phrase=" + encodeURIComponent("protect civilians"), "/?view=lineage&id=UNSMCA"]) {
      await p.goto(url);
      await p.locator("#main h2").first().waitFor();
      if (url.includes("lineage")) {  // with a step's paragraphs and diffs shown
        await p.locator("#main button.step-toggle").first().click();
        await p.locator("#main button.diff-toggle").first().click();
        await p.locator("#main .diff-body:not([hidden])").first().waitFor();
      }
      assert.deepEqual(await overflowing(p), [], `${url} scrolls sideways on a phone`);
    }
    await shot("phone-lineage", p);
  } finally {
    await ctx.close();
    await stopServer(own);
  }
});

// Elements that reach past the right edge of the viewport (what makes a page scroll sideways).
function overflowing(p) {
  return p.evaluate(() => [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)}px)`));
}

test("a search hit's category opens the passage's evidence, which names the terms that fired", async () => {
  await page.goto("/?q=" + encodeURIComponent("ex-combatants demobilization"));
  const why = page.locator("#main article.result .why a").first();
  await why.waitFor();
  const category = new URLSearchParams((await why.getAttribute("href")).split("?")[1]).get("evidence");
  await why.click();
  await page.waitForURL(/view=passage.*evidence=/);
  await page.locator("#passage-text").waitFor();
  const p = await api("/api/passages/" + encodeURIComponent(new URL(page.url()).searchParams.get("id")));
  const tag = p.tags.find((t) => t.category === category);
  assert.ok(tag, `the passage has no tag ${category}`);
  const details = page.locator(`#evidence-${category}`);
  assert.equal(await details.getAttribute("open"), "", "the linked category's evidence is not open");
  const terms = tag.evidence.filter((e) => !e.endsWith(" (heading)"));
  assert.ok(terms.length > 0, "the tag has no terms to show");
  const shown = await details.textContent();
  for (const term of terms) assert.ok(shown.includes(term), `the evidence does not name "${term}"`);
  // The sentences the terms fired in are shown with the terms marked.
  const marked = (await details.locator("ul.sentences mark").allTextContents()).map((m) => m.toLowerCase());
  assert.ok(marked.length > 0, "no sentence with a marked term");
  const folded = terms.map((t) => t.toLowerCase());  // acronyms ("DDR") fire on their surface form
  for (const m of marked) assert.ok(folded.includes(m), `marked "${m}" is not a term that fired`);
  // Another tag's evidence stays closed until asked for.
  const other = p.tags.find((t) => t.category !== category);
  if (other) {
    const summary = page.locator(`#evidence-${other.category} summary`);
    assert.equal(await page.locator(`#evidence-${other.category}`).getAttribute("open"), null);
    await summary.click();
    assert.equal(await page.locator(`#evidence-${other.category}`).getAttribute("open"), "");
  }
  await noError();
  await shot("evidence");
});

test("suggestions: arrow keys pick one, Escape closes, Enter opens it", async () => {
  await page.goto("/?view=categories");
  await page.locator("#main h1").waitFor();
  const expected = await api("/api/suggest?q=minus&size=8");
  assert.ok(expected.suggestions.length >= 2, "no suggestions for 'minus'");
  await page.keyboard.press("/");
  await page.keyboard.type("minus");
  await page.locator("#suggestions li").first().waitFor();
  assert.equal(await page.locator("#q").getAttribute("aria-expanded"), "true");
  assert.deepEqual(await page.locator("#suggestions li").allTextContents(), expected.suggestions.map((x) => x.type + x.label));
  await shot("suggestions");

  await page.keyboard.press("ArrowUp");   // from nothing, up is the last one
  assert.equal(await page.locator("#q").getAttribute("aria-activedescendant"), "sug-" + (expected.suggestions.length - 1));
  await page.keyboard.press("ArrowDown"); // and down again wraps to the first
  assert.equal(await page.locator("#q").getAttribute("aria-activedescendant"), "sug-0");
  assert.equal(await page.locator("#sug-0").getAttribute("aria-selected"), "true");
  await page.keyboard.press("Escape");
  await page.locator("#suggestions").waitFor({ state: "hidden" });
  assert.equal(await page.locator("#q").getAttribute("aria-expanded"), "false");
  assert.equal(await page.locator("#q").inputValue(), "minus", "Escape cleared the search box");

  await page.keyboard.press("Backspace");
  await page.keyboard.type("s");
  await page.locator("#suggestions li").first().waitFor();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  const first = expected.suggestions[0];
  const view = { category: "category", mission: "mission", document: "document" }[first.type];
  if (view) {
    await page.waitForURL((u) => u.searchParams.get("view") === view && u.searchParams.get("id") === first.value);
  } else {
    await page.waitForURL((u) => u.searchParams.get("q") === first.value);
  }
  await page.locator("#main h1").waitFor();
  await noError();
  assert.equal(await page.locator("#suggestions").isVisible(), false);
});

test("phone width (390 px): no sideways scrolling, results first", async () => {
  const phone = await browser.newContext({ baseURL: server.base, viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  const p = await phone.newPage();
  watch(p);
  await p.goto("/?q=" + encodeURIComponent("DDR benchmarks"));
  await p.locator("#main article.result").first().waitFor();
  assert.deepEqual(await overflowing(p), [], "the search page scrolls sideways on a phone");
  const [mainTop, facetsTop] = await p.evaluate(() => ["#main", "#facets"].map((s) => document.querySelector(s).getBoundingClientRect().top));
  assert.ok(mainTop < facetsTop, "the filters come before the results on a phone");
  await shot("phone-search", p, false);  // what a phone shows first
  await shot("phone-search-full", p);
  needs("pack");
  await p.goto("/?view=pack&id=" + state.pack);
  await p.locator("#pack-items li").first().waitFor();
  assert.deepEqual(await overflowing(p), [], "the pack page scrolls sideways on a phone");
  await shot("phone-pack", p);
  await phone.close();
});

test("no console errors, page errors or failed requests", () => {
  assert.deepEqual(problems, []);
});
