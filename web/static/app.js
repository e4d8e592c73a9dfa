// Mandala's web page: one script, no dependencies. The view and its state live in the query
// string (?view=passage&id=...), so every page can be shared and the back button works.
// Text from documents and users is always inserted as text; snippets are rebuilt from their
// text and <mark> elements only.
"use strict";

const $ = (sel) => document.querySelector(sel);
const FACETS = ["category", "mission", "organization", "document", "section_kind", "decade", "year", "place"];

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "class") e.className = v;
    // Through the CSSOM: the Content-Security-Policy (no 'unsafe-inline') refuses style attributes.
    else if (k === "style") e.style.cssText = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  e.append(...nodes(children));
  return e;
}

// Children as given to el() and page(): nested arrays flattened, null/undefined/false dropped.
function nodes(children) {
  return children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false)
    .map((c) => (c instanceof Node ? c : String(c)));
}

function link(params, ...children) { return el("a", { href: "/?" + new URLSearchParams(params), onclick: navigate }, ...children); }

function navigate(ev) {
  if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button) return;
  ev.preventDefault();
  history.pushState(null, "", ev.currentTarget.getAttribute("href"));
  // A new view starts at its top, and keyboard and screen-reader users start reading there too
  // (the link that had the focus is gone).
  render().then(() => { window.scrollTo(0, 0); $("#main").focus({ preventScroll: true }); });
}

// To a new view from a form: the page starts at its top, the focus stays where it is.
function go(params) { history.pushState(null, "", "/?" + new URLSearchParams(params)); render().then(() => window.scrollTo(0, 0)); }

async function api(path, options) {
  const res = await fetch(path, options);
  const type = res.headers.get("content-type") || "";
  const body = type.includes("json") ? await res.json() : await res.text();
  if (!res.ok) throw Object.assign(new Error((body && body.detail) || res.statusText), { status: res.status });
  return body;
}

// A snippet is server-escaped text with <mark> elements; rebuild it from text nodes and marks only.
function snippet(html) {
  const doc = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
  const out = el("p", { class: "snippet" });
  for (const node of doc.body.firstChild.childNodes)
    out.append(node.nodeName === "MARK" ? el("mark", {}, node.textContent) : node.textContent);
  return out;
}

// A passage's text: one paragraph as plain text; a list passage keeps each item on a line of
// its own, opening with a bullet and a space (indexer/list_markers.h, docs/schema.md), shown as
// a list after its lead-in.
const BULLET = /^(-|\u2022|\u25AA|\u25CF|\u00B7|\u2013|\u2014|\u25E6|\u25A0|\u25A1|\u25CB|\u25BA|\u25B8|\u27A2|\u2713|\u2043|\uF0B7|\uF0A7|\?) /;

function passageBody(text) {
  const lines = (text || "").split("\n").filter((l) => l !== "");
  if (lines.length <= 1 && !BULLET.test(lines[0] || "")) return text || "";
  const out = [];
  let list = null;
  for (const line of lines) {
    const bullet = BULLET.exec(line);
    if (bullet) {
      if (!list) out.push(list = el("ul", {}));
      list.append(el("li", {}, line.slice(bullet[0].length)));
    } else {
      list = null;
      out.push(el("p", {}, line));
    }
  }
  return out;
}

// "1 passage", "2 passages".
function count(n, noun) { return `${n} ${noun}${n === 1 ? "" : "s"}`; }

// At most about n characters, cut at a word boundary, with an ellipsis when something was cut.
function clip(text, n) {
  text = text || "";
  if (text.length <= n) return text;
  const cut = text.slice(0, n);
  const space = cut.lastIndexOf(" ");
  return (space > n * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.\-–—]+$/, "") + "…";
}

function chips(hit) {
  return el("div", { class: "chips" },
    (hit.categories || []).map((c) => link({ view: "category", id: c }, c)).map((a) => (a.className = "chip", a)),
    whyLinks(hit),
    (hit.missions || []).map((m) => link({ view: "mission", id: m }, m)).map((a) => (a.className = "chip mission", a)));
}

// Per category of a search hit: a link to the evidence for it on the passage page.
function whyLinks(hit) {
  if (!(hit.categories || []).length) return null;
  return el("span", { class: "why" }, "Why: ", (hit.categories || []).map((c) => {
    const a = link({ view: "passage", id: hit.id, evidence: c }, c);
    a.title = `Why this passage is tagged ${c}`;
    return a;
  }));
}

function page(title, ...children) {
  const main = $("#main");
  main.replaceChildren(el("h1", {}, title), ...nodes(children));
  document.title = title + " — Mandala";
}

function failure(err) { $("#main").replaceChildren(el("p", { class: "error", role: "alert" }, String(err.message || err))); }

// ---- reading pack kept in this browser: id and edit token ----
const packStore = {
  get() { try { return JSON.parse(localStorage.getItem("mandala-pack")) || null; } catch { return null; } },
  set(p) { localStorage.setItem("mandala-pack", JSON.stringify(p)); },
};

async function refreshPackCount() {
  const p = packStore.get();
  if (!p) return ($("#pack-count").textContent = "0");
  try { $("#pack-count").textContent = (await api("/api/packs/" + p.id)).items.length; } catch { $("#pack-count").textContent = "0"; }
}

async function addToPack(passage, button) {
  let p = packStore.get();
  const create = async () => {
    const created = await api("/api/packs", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ title: "My reading pack", items: [{ passage }] }) });
    packStore.set({ id: created.id, token: created.edit_token });
  };
  try {
    if (!p) {
      await create();
    } else {
      try {
        await api("/api/packs/" + p.id + "/items", { method: "POST",
          headers: { "Content-Type": "application/json", "Authorization": "Bearer " + p.token }, body: JSON.stringify({ passage }) });
      } catch (err) {
        // The pack kept in this browser is gone (another server or index) or no longer ours: start a new one.
        if (err.status !== 404 && err.status !== 403) throw err;
        await create();
      }
    }
    if (button) { button.textContent = "Added ✓"; button.disabled = true; }
    refreshPackCount();
  } catch (err) { alert("Could not add to the pack: " + err.message); }
}

function addButton(id) { return el("button", { class: "small add", type: "button", onclick: (e) => addToPack(id, e.currentTarget) }, "+ Pack"); }

// ---- views ----

async function searchView(params) {
  const q = params.get("q") || "";
  $("#q").value = q;
  const query = new URLSearchParams(params);
  query.delete("view");
  const r = await api("/api/search?" + query);
  renderFacets(r.facets, params, r.about);
  const size = r.size, pageNo = r.page;
  const results = r.results.map((h) => el("article", { class: "result" },
    el("h2", {}, link({ view: "passage", id: h.id }, h.title || h.doc)),
    el("div", { class: "path" }, [h.year || "", (h.section || []).join(" › "), h.page ? "p. " + h.page : ""].filter(Boolean).join(" · ")),
    h.snippet ? snippet(h.snippet) : el("p", { class: "snippet" }, clip(h.text, 240)), chips(h),
    h.similar ? el("p", { class: "similar" }, link([...params].filter(([k]) => k !== "page").concat([["identical", "all"]]), `${h.similar} similar`)) : null,
    el("div", { class: "actions" }, link({ view: "passage", id: h.id }, "Open"), addButton(h.id))));
  const pager = el("nav", { class: "pager", "aria-label": "Pages" });
  if (pageNo > 1) pager.append(el("a", { href: "/?" + new URLSearchParams([...params].filter(([k]) => k !== "page").concat([["page", pageNo - 1]])), onclick: navigate }, "← Previous"));
  if (pageNo * size < r.total) pager.append(el("a", { href: "/?" + new URLSearchParams([...params].filter(([k]) => k !== "page").concat([["page", pageNo + 1]])), onclick: navigate }, "Next →"));
  const summary = el("p", { class: "summary" }, count(r.total, "passage"), q ? ` for “${q}”` : "", ` (${Math.round(r.timing.elapsed_ms)} ms)`);
  const did = r.suggestion ? el("p", {}, "Did you mean ", link({ q: r.suggestion }, r.suggestion), "?") : null;
  page(q ? "Search" : "All passages", did, summary, results, pager);
}

// Above the filters: the task categories the ranking read in the query, each a filter away (in
// the filter column, so the results stay the first stop after the skip link).
function renderAbout(about, params) {
  const open = (about || []).filter((c) => !params.getAll("category").includes(c));
  if (!open.length) return;
  $("#facets").prepend(el("p", { class: "about" }, "Passages about ",
    open.map((c, i) => [i ? " or " : "", link({ view: "category", id: c }, c)]), " rank first: ",
    open.map((c, i) => [i ? ", " : "", link([...params].filter(([k]) => k !== "page").concat([["category", c]]), "only " + c)])));
}

const FACET_PREVIEW = 5;
const expandedFacets = new Set();  // facets whose full list the reader asked for

function renderFacets(facets, params, about) {
  const box = $("#facets");
  box.replaceChildren();
  renderAbout(about, params);
  for (const name of FACETS) {
    const values = (facets || {})[name];
    if (!values || !values.length) continue;
    const chosen = params.getAll(name);
    const group = el("fieldset", { class: "facet" }, el("h3", {}, name.replace("_", " ")));
    // The first few values, and every chosen one; the rest behind a button (the list is long on a phone).
    const all = values.slice(0, 12), open = expandedFacets.has(name);
    const shown = open ? all : all.filter((v, i) => i < FACET_PREVIEW || chosen.includes(v.value));
    for (const v of shown) {
      const id = "f-" + name + "-" + v.value;
      const box2 = el("input", { type: "checkbox", id, checked: chosen.includes(v.value), onchange: (e) => {
        const p = new URLSearchParams(params);
        const rest = p.getAll(name).filter((x) => x !== v.value);
        p.delete(name); p.delete("page");
        for (const x of rest) p.append(name, x);
        if (e.target.checked) p.append(name, v.value);
        // The boxes are drawn anew: give the focus back to the one just changed.
        history.pushState(null, "", "/?" + p); render().then(() => document.getElementById(id)?.focus());
      } });
      group.append(el("label", { for: id }, el("span", {}, box2, " ", v.value), el("span", { class: "count" }, v.count)));
    }
    const more = all.length - shown.length;
    if (open || more > 0) {
      group.append(el("button", { class: "small more", type: "button", "aria-expanded": String(open), onclick: () => {
        open ? expandedFacets.delete(name) : expandedFacets.add(name);
        renderFacets(facets, params, about);
        box.querySelector(`fieldset[data-facet="${name}"] button.more`)?.focus();
      } }, open ? "Show fewer" : `Show ${more} more`));
    }
    group.dataset.facet = name;
    group.style.border = "0"; group.style.padding = "0"; group.style.margin = "0";
    box.append(group);
  }
}

// ---- tag evidence: why the passage carries each category ----

// Sentences of the passage (the browser's own sentence breaks, as the tagger uses ICU's).
function sentencesOf(text) {
  if (typeof Intl !== "undefined" && Intl.Segmenter) return [...new Intl.Segmenter("en", { granularity: "sentence" }).segment(text)].map((s) => s.segment.trim()).filter(Boolean);
  return text.split(/(?<=[.!?;])\s+/).filter(Boolean);
}

// The sentence with every fired term marked.
function markedSentence(sentence, terms) {
  const lower = sentence.toLowerCase(), spans = [];
  for (const t of terms) for (let i = lower.indexOf(t); t && i >= 0; i = lower.indexOf(t, i + t.length)) spans.push([i, i + t.length]);
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const out = [];
  let at = 0;
  for (const [b, e] of spans) { if (b < at) continue; out.push(sentence.slice(at, b), el("mark", {}, sentence.slice(b, e))); at = e; }
  out.push(sentence.slice(at));
  return out;
}

// One <details> per tag, opened on demand (or at once when the URL names it: &evidence=ddr):
// the terms that fired and the sentences they fired in.
function tagEvidence(p, opened) {
  if (!p.tags.length) return null;
  const body = (t) => {
    const terms = (t.evidence || []).filter((e) => !e.endsWith(" (heading)")).map((e) => e.toLowerCase());
    const headings = (t.evidence || []).filter((e) => e.endsWith(" (heading)"));
    const sentences = sentencesOf(p.text).map((s) => s.replace(/^[-*\u2022\u25AA\u25CF\u25E6\u2013]\s+/, ""))
      .filter((s) => terms.some((term) => s.toLowerCase().includes(term)));
    return [
      el("p", { class: "terms" }, "Terms that fired: ", (t.evidence || []).length ? (t.evidence || []).join(", ") : "none (the statistical model alone)"),
      sentences.length ? el("ul", { class: "sentences" }, sentences.map((s) => el("li", {}, markedSentence(s, terms)))) : null,
      headings.length ? el("p", { class: "path" }, "From the section heading: ", headings.map((h) => h.replace(/ \(heading\)$/, "")).join(", ")) : null,
    ];
  };
  return el("section", { id: "evidence" }, el("h3", {}, "Why these categories"),
    p.tags.map((t) => el("details", { class: "evidence", id: "evidence-" + t.category, open: t.category === opened },
      el("summary", {}, `${t.category} ${t.score.toFixed(2)}${t.primary ? " (primary)" : ""}`), body(t))));
}

async function passageView(params) {
  const p = await api("/api/passages/" + encodeURIComponent(params.get("id")));
  const ctx = (n, label) => n ? el("p", { class: "context" }, label, " ", link({ view: "passage", id: n.id }, clip(n.text, 200))) : null;
  const x = p.xref || {};
  const list = (title, items, fn) => items && items.length ? el("section", {}, el("h3", {}, title), el("ul", {}, items.map((i) => el("li", {}, fn(i))))) : null;
  page(p.title || p.doc,
    el("p", { class: "path" }, link({ view: "document", id: p.doc }, p.doc), " › ", (p.section || []).join(" › "), p.page ? ` · p. ${p.page}` : ""),
    ctx(p.previous, "↑"),
    el("blockquote", { id: "passage-text" }, passageBody(p.text)),
    ctx(p.next, "↓"),
    el("p", { class: "path" }, "Cite as: ", p.citation),
    el("div", { class: "chips" }, p.tags.map((t) => { const a = link({ view: "category", id: t.category }, `${t.category} ${t.score.toFixed(2)}`); a.className = "chip"; return a; })),
    tagEvidence(p, params.get("evidence")),
    el("div", { class: "actions" }, addButton(p.id), link({ view: "related", id: p.id }, "Related passages")),
    list("Footnotes", x.cites, (f) => link({ view: "passage", id: f.id }, f.text || f.id)),
    list("Cited by", x.cited_by, (f) => link({ view: "passage", id: f.id }, f.text || f.id)),
    list("Refers to", x.refers_to, (r) => `${r.label}${r.heading ? " — " + r.heading : ""}`),
    list("See also", x.see_also, (c) => link({ view: "category", id: c }, c)),
    list("Mentions", [...new Map((x.entities || []).map((e) => [`${e.type}: ${e.surface}`, e])).keys()], (m) => m));
}

async function relatedView(params) {
  const r = await api("/api/passages/" + encodeURIComponent(params.get("id")) + "/related");
  page("Related passages", el("p", {}, "Passages that share the most distinctive terms with ", link({ view: "passage", id: r.id || params.get("id") }, [r.title, (r.section || []).slice(-1)[0]].filter(Boolean).join(" › ") || params.get("id")), "."),
    el("p", { class: "summary" }, "Shared terms: ", (r.terms || []).join(", ")),
    (r.results || []).map((h) => el("article", { class: "result" }, el("h2", {}, link({ view: "passage", id: h.id }, h.title || h.id)),
      el("div", { class: "path" }, (h.section || []).join(" › ")),
      el("p", { class: "snippet" }, clip(h.text, 300)), el("div", { class: "actions" }, link({ view: "passage", id: h.id }, "Open"), addButton(h.id)))));
}

async function documentsView() {
  const r = await api("/api/documents");
  page("Documents", el("ul", {}, r.documents.map((d) => el("li", {}, link({ view: "document", id: d.id }, d.title || d.id), ` — ${d.publisher || ""} ${d.year || ""} (${count(d.passages, "passage")})`))));
}

async function documentView(params) {
  const d = await api("/api/documents/" + encodeURIComponent(params.get("id")));
  // The address the document names as its source (a web address only: never a script URL).
  const source = /^https?:\/\//i.test(d.source_url || "") ? el("p", { class: "path" }, "Source: ", el("a", { href: d.source_url, rel: "noopener noreferrer" }, d.source_url)) : null;
  page(d.title || d.id, el("p", { class: "path" }, [d.publisher, d.year, d.kind, d.format].filter(Boolean).join(" · ")), source,
    el("h2", {}, "Outline"),
    el("ul", { class: "outline" }, d.outline.filter((s) => s.id !== 0).map((s) => el("li", { style: `padding-left:${(s.level - 1) * 1.2}em` },
      s.first_passage ? link({ view: "passage", id: s.first_passage }, s.heading || s.title) : (s.heading || s.title),
      el("span", { class: "path" }, " " + count(s.passages, "passage"))))));
}

async function categoriesView() {
  const [r, list] = await Promise.all([api("/api/categories"), api("/api/documents")]);
  const titles = Object.fromEntries(list.documents.map((d) => [d.id, d.title || d.id]));
  const docs = Object.keys(r.by_document).sort();
  const max = Math.max(1, ...docs.flatMap((d) => Object.values(r.by_document[d])));
  // Column heads: the document's title, clipped, in full on hover, linking to the document.
  const head = (d) => el("th", { class: "doc", title: titles[d] || d }, link({ view: "document", id: d }, clip(titles[d] || d, 28)));
  const table = el("table", { class: "heatmap" }, el("tr", {}, el("th", {}, "Category"), el("th", {}, "Passages"), docs.map(head)),
    r.categories.map((c) => el("tr", {}, el("th", {}, link({ view: "category", id: c.id }, c.label)), el("td", {}, c.passages),
      docs.map((d) => { const n = (r.by_document[d] || {})[c.id] || 0; return el("td", { title: count(n, "passage") }, el("span", { class: "heat", style: `width:${Math.round(30 * n / max)}px;opacity:${0.25 + 0.75 * n / max}` }), " ", n || ""); }))));
  page("Task categories", el("div", { style: "overflow-x:auto" }, table));
}

async function categoryView(params) {
  const c = await api("/api/categories/" + encodeURIComponent(params.get("id")));
  const h = c.heatmap || { by_document: [], by_organization: [] };
  const max = Math.max(1, ...h.by_document.map((d) => d.passages), ...h.by_organization.map((o) => o.passages));
  const bar = (n) => el("span", { class: "heat", style: `width:${Math.round(120 * n / max)}px` });
  page(c.label || c.id, el("p", {}, c.scope || ""),
    el("p", {}, link({ q: "", category: c.id }, "Search passages in this category")),
    el("h2", {}, "Related categories"), el("div", { class: "chips" }, (c.related || []).map((r) => { const a = link({ view: "category", id: r.id }, r.id); a.className = "chip"; return a; })),
    el("h2", {}, "By document"), el("table", { class: "heatmap" }, h.by_document.map((d) => el("tr", {}, el("th", {}, link({ view: "document", id: d.doc }, d.title || d.doc)), el("td", {}, bar(d.passages), " ", d.passages)))),
    el("h2", {}, "By organization"), el("table", { class: "heatmap" }, h.by_organization.map((o) => el("tr", {}, el("th", {}, o.organization), el("td", {}, bar(o.passages), " ", o.passages)))),
    el("h2", {}, "Missions named"), el("div", { class: "chips" }, (c.missions || []).map((m) => { const a = link({ view: "mission", id: m.key }, `${m.key} (${m.count})`); a.className = "chip mission"; return a; })));
}

async function missionsView() {
  const r = await api("/api/missions");
  page("Missions", el("ul", {}, r.missions.map((m) => el("li", {}, link({ view: "mission", id: m.key }, m.key), ` ${m.name || ""} — ${count(m.mentions, "mention")}`))));
}

async function missionView(params) {
  const [m, list] = await Promise.all([api("/api/missions/" + encodeURIComponent(params.get("id"))), api("/api/documents")]);
  const titles = Object.fromEntries(list.documents.map((d) => [d.id, d.title || d.id]));
  const max = Math.max(1, ...(m.timeline || []).map((t) => t.mentions));
  const groups = Array.isArray(m.mentions) ? m.mentions : [];
  const about = [m.organization && `Organization: ${m.organization}`, m.host && `host: ${m.host}`].filter(Boolean).join(", ");
  // A mission known from an abbreviation table or the registry but named in no passage.
  if (!groups.length) return page(m.key + (m.expansion ? " — " + m.expansion : ""), about ? el("p", {}, about) : null,
    el("p", { class: "summary" }, "No passage of the indexed documents names this mission: it is known from an abbreviation table or the list of known missions."));
  page(m.key + (m.expansion ? " — " + m.expansion : ""),
    el("p", {}, link({ q: "", mission: m.key }, "Search passages naming this mission")),
    el("h2", {}, "Category profile"), el("div", { class: "chips" }, (m.categories || []).map((c) => { const a = link({ view: "category", id: c.key }, `${c.key} (${c.count})`); a.className = "chip"; return a; })),
    el("h2", {}, "Mentions over time"), el("table", { class: "heatmap" }, (m.timeline || []).map((t) => el("tr", {}, el("th", {}, t.year || "undated"), el("td", {}, el("span", { class: "heat", style: `width:${Math.round(150 * t.mentions / max)}px` }), " ", t.mentions)))),
    el("h2", {}, "Mentions"), el("ul", {}, groups.map((g) => g.passages ? el("li", {}, link({ view: "document", id: g.doc }, titles[g.doc] || g.doc), el("ul", {}, g.passages.map((p) => el("li", {}, link({ view: "passage", id: p.id }, p.text || p.id))))) : el("li", {}, link({ view: "passage", id: g.id }, g.text || g.id)))));
}

// ---- trace: a phrase by mission and year, its variant forms ----

function traceParams(phrase, forms, excluded) {
  const p = new URLSearchParams({ view: "trace", phrase });
  for (const f of forms) p.append("form", f);
  for (const f of excluded) p.append("exclude", f);
  return p;
}

function traceLine(l) {
  return el("div", { class: "card" },
    el("div", { class: "path" }, `${l.date || l.year || ""} ${l.title || l.doc || ""} · ${l.exact ? "exact" : "similarity " + Number(l.similarity).toFixed(2)}`,
      l.addressee === "other" ? " · addressed to others" : "", l.mission_from_document ? " · the document's mission" : ""),
    el("div", { class: "kwic" }, l.before, " ", el("mark", {}, l.match), " ", l.after), link({ view: "passage", id: l.id }, "Open"));
}

// The trace API pages its lines: the summaries count them all, and the lines of a cell or a
// mission are fetched when asked for, a page at a time (a common phrase has tens of thousands).
const TRACE_PAGE = 50;

// Appends to `box` the lines of `query` (a trace query with mission and/or year) from `offset`,
// and a button for the next page while some are left. A box shows one query: an answer to an
// earlier one (another cell clicked meanwhile) is dropped.
async function appendTraceLines(box, query, offset) {
  const q = new URLSearchParams(query);
  box.dataset.query = q.toString();
  q.set("limit", TRACE_PAGE);
  q.set("offset", offset);
  const r = await api("/api/trace?" + q);
  if (box.dataset.query !== new URLSearchParams(query).toString()) return;
  box.querySelector("button.more-lines")?.remove();
  box.append(...r.lines.map(traceLine));
  const shown = offset + r.lines.length;
  if (shown < r.selected)
    box.append(el("button", { type: "button", class: "small more-lines", onclick: () => appendTraceLines(box, query, shown).catch(failure) },
      `Show ${Math.min(TRACE_PAGE, r.selected - shown)} more of ${r.selected - shown}`));
}

// Missions (rows) by year (columns); a cell is a button fetching its lines below the table.
function traceGrid(r, query) {
  const years = r.years.map((y) => y.year);
  const missions = r.missions.filter((m) => m.mission);
  const out = el("div", { id: "cell-lines", "aria-live": "polite" });
  const cell = (m, year) => (m.years.find((y) => y.year === year) || { lines: 0 }).lines;
  const max = Math.max(1, ...missions.flatMap((m) => years.map((y) => cell(m, y))));
  const show = (m, year) => {
    out.replaceChildren(el("h3", {}, `${m.mission}, ${year}`));
    const q = new URLSearchParams(query);
    q.set("mission", m.mission);
    q.set("year", year);
    appendTraceLines(out, q, 0).catch(failure);
  };
  const table = el("table", { class: "trace-grid" }, el("caption", {}, "Passages carrying the phrase, by mission and year"),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Mission"), years.map((y) => el("th", { scope: "col" }, y)))),
    el("tbody", {}, missions.map((m) => el("tr", {}, el("th", { scope: "row" }, link({ view: "lineage", id: m.mission }, m.mission)),
      years.map((y) => { const n = cell(m, y);
        return el("td", {}, n ? el("button", { type: "button", class: "cell", "aria-label": `${m.mission} ${y}: ${count(n, "passage")}`,
          style: `background: rgba(31, 95, 174, ${(0.15 + 0.85 * n / max).toFixed(2)})`, onclick: () => show(m, y) }, n) : ""); })))));
  return [el("div", { class: "grid-wrap" }, table), out];
}

// A mission's lines in date order, fetched when its group is opened.
function missionLines(m, query) {
  const box = el("div", {});
  const q = new URLSearchParams(query);
  q.set("mission", m.mission);
  return el("details", { class: "mission-lines", ontoggle: (e) => { if (e.currentTarget.open && !box.childNodes.length) appendTraceLines(box, q, 0).catch(failure); } },
    el("summary", {}, `${m.mission || "No mission"} — ${count(m.count, "passage")}, ${m.first_year || "?"}–${m.last_year || "?"}`), box);
}

// Each variant form as a bar from its first to its last year, with keep/exclude links.
function formTimeline(r, phrase, forms, excluded) {
  const years = r.years.map((y) => y.year);
  // One slot per year from the first to the last, so a form of one year is one slot wide and the last year ends the track.
  const lo = Math.min(...years), slots = Math.max(...years) - lo + 1;
  return el("ul", { class: "forms" }, r.forms.map((f) => el("li", {},
    el("span", { class: "form" }, f.form), " ", el("span", { class: "path" }, `${count(f.count, "passage")}, ${f.first_year || "?"}–${f.last_year || "?"}`,
      f.missing.length ? ` · without “${f.missing.join(" ")}”` : "", f.extra.length ? ` · with “${f.extra.join(" ")}”` : ""),
    years.length && f.first_year ? el("span", { class: "bar-track", "aria-hidden": "true" }, el("span", { class: "bar",
      style: `margin-left: ${(100 * (f.first_year - lo) / slots).toFixed(1)}%; width: ${(100 * (f.last_year - f.first_year + 1) / slots).toFixed(1)}%` })) : null,
    " ", link(traceParams(phrase, [f.form], []), "only this"), " ", link(traceParams(phrase, forms, [...excluded, f.form]), "exclude"))));
}

async function traceView(params) {
  const phrase = params.get("phrase") || "";
  const forms = params.getAll("form"), excluded = params.getAll("exclude");
  const form = el("form", { onsubmit: (e) => { e.preventDefault(); go({ view: "trace", phrase: e.target.phrase.value }); } },
    el("label", { for: "phrase" }, "Phrase to trace "), el("input", { id: "phrase", name: "phrase", type: "text", value: phrase }), el("button", { class: "small", type: "submit" }, "Trace"));
  if (!phrase) return page("Trace a phrase", form);
  const query = traceParams(phrase, forms, excluded);
  query.delete("view");
  const r = await api("/api/trace?" + query + "&limit=0");
  const missions = r.missions.filter((m) => m.mission).length;
  page("Trace", form, el("p", { class: "summary" }, `${count(r.total, "passage")} in ${count(missions, "mission")}`,
      forms.length || excluded.length ? [" · ", link(traceParams(phrase, [], []), "all forms")] : "",
      " · ", el("a", { href: "/api/trace?" + query + "&format=csv", download: true }, "CSV")),
    el("h2", {}, "Variant forms"), formTimeline(r, phrase, forms, excluded),
    el("h2", {}, "By mission and year"), traceGrid(r, query),
    el("h2", {}, "By mission"), r.missions.map((m) => missionLines(m, query)));
}

// ---- lineage: a mission's documents in date order and what changed between them ----

function diffView(spans) {
  return el("p", { class: "diff" }, spans.map((s) => s.op === "added" ? el("ins", {}, s.text) : s.op === "removed" ? el("del", {}, s.text) : s.text));
}

function taskChips(tasks) {
  return el("div", { class: "chips" }, tasks.map((t) => el("span", { class: "chip", title: t.sentence }, `${t.category} · ${t.strength}`)));
}

function lineageLink(s, a, b, k) {
  const kind = s.kind, text = (i, d) => (i === null ? "" : d.paragraphs[i].text);
  if (kind === "added") return el("li", { class: "added" }, el("strong", {}, "Added "), el("ins", {}, text(s.after, b)));
  if (kind === "removed") return el("li", { class: "removed" }, el("strong", {}, "Removed "), el("del", {}, text(s.before, a)));
  const body = el("div", { class: "diff-body", hidden: true }, s.diff.length ? diffView(s.diff) : el("p", {}, text(s.after, b)));
  const label = `${kind === "moved" ? "Moved" : "Edited"} ¶${s.before + 1} → ¶${s.after + 1}`;
  return el("li", { class: kind }, el("button", { type: "button", class: "small diff-toggle", "aria-expanded": "false", "aria-controls": `diff-${k}`,
    onclick: (e) => { body.hidden = !body.hidden; e.currentTarget.setAttribute("aria-expanded", String(!body.hidden)); } }, label),
    " ", el("span", { class: "path" }, clip(text(s.after, b), 90)), Object.assign(body, { id: `diff-${k}` }));
}

// What changed in one step, fetched when the reader opens it: the paragraphs that were edited,
// moved, added or removed, and the sentences added and removed.
function stepDetails(d, n) {
  const a = d.before, b = d.after;
  return [el("ul", { class: "links-list" }, d.links.map((x, k) => (x.kind === "same" ? null : lineageLink(x, a, b, `${n}-${k}`)))),
    d.sentences.added.length ? [el("h3", {}, "Sentences added"), el("ul", {}, d.sentences.added.map((t) => el("li", {}, el("ins", {}, t))))] : null,
    d.sentences.removed.length ? [el("h3", {}, "Sentences removed"), el("ul", {}, d.sentences.removed.map((t) => el("li", {}, el("del", {}, t))))] : null];
}

// A step as counts and tasks; its details come from /api/lineage/{mission}?step=N on the first click.
function lineageStep(l, s, base) {
  const a = l.documents[s.before], b = l.documents[s.after], c = s.counts;
  const names = (tasks) => tasks.map((t) => `${t.category} (${t.strength})`).join(", ") || "none";
  const details = el("div", { class: "step-details", id: `step-${s.step}`, hidden: true });
  const toggle = el("button", { type: "button", class: "small step-toggle", "aria-expanded": "false", "aria-controls": `step-${s.step}`,
    onclick: (e) => open(e.currentTarget).catch(failure) }, "Show changes");
  async function open(button) {
    if (!details.childNodes.length) details.append(...nodes(stepDetails(await api(`${base}?step=${s.step}`), s.step)));
    details.hidden = !details.hidden;
    button.setAttribute("aria-expanded", String(!details.hidden));
    button.textContent = details.hidden ? "Show changes" : "Hide changes";
  }
  return el("section", { class: "card step" },
    el("h2", {}, `${a.date || a.year} → ${b.date || b.year}`),
    el("p", { class: "summary" }, `${count(c.same, "paragraph")} unchanged, ${c.changed} edited, ${c.moved} moved, ${c.added} added, ${c.removed} removed`,
      ` · tasks gained: ${names(s.tasks.gained)} · lost: ${names(s.tasks.lost)}`,
      s.tasks.strength.map((x) => ` · ${x.after.category}: ${x.before.strength} → ${x.after.strength}`)),
    toggle, details);
}

async function lineageView(params) {
  const id = params.get("id") || "";
  const l = await api("/api/lineage/" + encodeURIComponent(id));
  const related = (label, keys) => (keys.length ? el("p", {}, label, keys.map((k) => [" ", link({ view: "lineage", id: k }, k)])) : null);
  const base = "/api/lineage/" + encodeURIComponent(l.mission);
  page(`Mandate lineage: ${l.mission}`, l.name ? el("p", {}, l.name) : null,
    related("Predecessors:", l.predecessors), related("Successors:", l.successors),
    el("p", { class: "actions" }, "Export: ", el("a", { href: base + "?format=html", download: true }, "HTML"), el("a", { href: base + "?format=docx", download: true }, "DOCX")),
    el("h2", {}, count(l.documents.length, "document")),
    el("ol", { class: "lineage-docs" }, l.documents.map((d) => el("li", {}, el("strong", {}, d.date || d.year || "undated"), " ",
      link({ view: "document", id: d.doc }, d.title || d.doc), taskChips(d.tasks)))),
    l.steps.map((s) => lineageStep(l, s, base)));
}

async function packView(params) {
  const mine = packStore.get();
  const id = params.get("id") || (mine && mine.id);
  if (!id) return page("Reading pack", el("p", {}, "Add passages from any result with “+ Pack”."));
  const p = await api("/api/packs/" + encodeURIComponent(id));
  const token = mine && mine.id === id ? mine.token : null;
  const save = async (changes) => {
    try {
      await api("/api/packs/" + id, { method: "PATCH", headers: { "Content-Type": "application/json", "Authorization": "Bearer " + token }, body: JSON.stringify(changes) });
    } catch (err) {
      alert("Could not save the pack: " + err.message);
    }
    await render();
  };
  const items = p.items.map((i) => ({ passage: i.passage, note: i.note }));
  // The moved item keeps the focus (on its same button, or the other one at an end of the list).
  const move = async (n, d) => {
    const j = n + d;
    if (j < 0 || j >= items.length) return;
    [items[n], items[j]] = [items[j], items[n]];
    await save({ items });
    const moved = document.querySelectorAll("#pack-items > li")[j];
    const same = moved && moved.querySelector(d < 0 ? "button.up" : "button.down");
    (same && !same.disabled ? same : moved && moved.querySelector(d < 0 ? "button.down" : "button.up"))?.focus();
  };
  const exports = el("p", { class: "actions" }, "Export: ", ["docx", "html", "md", "json"].map((f) => el("a", { href: `/api/packs/${id}/export?format=${f}`, download: true }, f.toUpperCase())));
  const head = token
    ? el("div", {}, el("label", { for: "pack-title" }, "Title"), el("input", { id: "pack-title", type: "text", value: p.title, onchange: (e) => save({ title: e.target.value }) }),
        el("label", { for: "pack-desc" }, "Description"), el("textarea", { id: "pack-desc", onchange: (e) => save({ description: e.target.value }) }, p.description))
    : el("p", {}, p.description);
  page(p.title || "Reading pack", head, exports, el("p", { class: "path" }, "Share (read-only): ", location.origin + "/?view=pack&id=" + id),
    el("ol", { id: "pack-items" }, p.items.map((i, n) => el("li", { class: "card pack-item" },
      el("div", {}, el("h2", {}, `${n + 1}. `, link({ view: "passage", id: i.passage }, i.title || i.doc || i.passage)),
        el("blockquote", {}, passageBody(i.text)), el("p", { class: "path" }, i.citation),
        token ? el("textarea", { "aria-label": `Note on item ${n + 1}`, placeholder: "Note (optional)", onchange: (e) => { items[n].note = e.target.value; save({ items }); } }, i.note)
          : (i.note ? el("p", { class: "note" }, i.note) : null)),
      token ? el("div", { class: "actions pack-moves" },
        el("button", { class: "small up", type: "button", "aria-label": `Move item ${n + 1} up`, disabled: n === 0, onclick: () => move(n, -1) }, "↑"),
        el("button", { class: "small down", type: "button", "aria-label": `Move item ${n + 1} down`, disabled: n === p.items.length - 1, onclick: () => move(n, 1) }, "↓"),
        el("button", { class: "small remove", type: "button", "aria-label": `Remove item ${n + 1}`, onclick: async () => {
          await api(`/api/packs/${id}/items/${n + 1}`, { method: "DELETE", headers: { "Authorization": "Bearer " + token } }); render(); refreshPackCount(); } }, "✕")) : null))));
}

const VIEWS = { search: searchView, passage: passageView, related: relatedView, documents: documentsView, document: documentView,
  categories: categoriesView, category: categoryView, missions: missionsView, mission: missionView, trace: traceView, lineage: lineageView, pack: packView };

let rendered = null;  // the query string of the view on screen

async function render() {
  rendered = location.search;
  const params = new URLSearchParams(location.search);
  const view = VIEWS[params.get("view") || "search"] || searchView;
  if (view !== searchView) $("#facets").replaceChildren();
  try { await view(params); } catch (err) { failure(err); }
}

// ---- search box with suggestions (arrow keys, Enter, Escape) ----
function setupSearchBox() {
  const input = $("#q"), list = $("#suggestions");
  // `asked` numbers the suggestion requests: an answer that arrives after the list was closed
  // (Enter, Escape, blur) or after a newer request was sent is dropped.
  let active = -1, timer = null, asked = 0;
  const close = () => {
    clearTimeout(timer); ++asked;
    list.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); active = -1;
  };
  const choose = (s) => {
    close();
    if (s.type === "category") go({ view: "category", id: s.value });
    else if (s.type === "mission") go({ view: "mission", id: s.value });
    else if (s.type === "document") go({ view: "document", id: s.value });
    else go({ q: s.value });
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) return close();
    timer = setTimeout(async () => {
      const mine = ++asked;
      try {
        const r = await api("/api/suggest?q=" + encodeURIComponent(q) + "&size=8");
        if (mine !== asked || document.activeElement !== input) return;
        active = -1;
        list.replaceChildren(...r.suggestions.map((s, i) => el("li", { role: "option", id: "sug-" + i, onmousedown: (e) => { e.preventDefault(); choose(s); } },
          el("span", { class: "type" }, s.type), s.label)));
        list.hidden = !r.suggestions.length;
        input.setAttribute("aria-expanded", String(!list.hidden));
        list._items = r.suggestions;
      } catch { if (mine === asked) close(); }
    }, 150);
  });
  input.addEventListener("keydown", (e) => {
    const items = list.hidden ? [] : list.children;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!items.length) return;
      e.preventDefault();
      const n = items.length;
      active = e.key === "ArrowDown" ? (active + 1) % n : (active <= 0 ? n - 1 : active - 1);
      [...items].forEach((li, i) => li.setAttribute("aria-selected", String(i === active)));
      input.setAttribute("aria-activedescendant", "sug-" + active);
    } else if (e.key === "Enter" && active >= 0) {
      e.preventDefault(); choose(list._items[active]);
    } else if (e.key === "Escape" && !list.hidden) {
      e.preventDefault();  // in a search field Escape would also clear what was typed
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 100));
  $("#search-form").addEventListener("submit", (e) => {
    e.preventDefault(); close();
    const p = new URLSearchParams(location.search);
    const keep = (p.get("view") || "search") === "search" ? [...p].filter(([k]) => FACETS.includes(k)) : [];
    go([["q", input.value], ...keep]);
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "/" && document.activeElement !== input && !/INPUT|TEXTAREA/.test(document.activeElement.tagName)) { e.preventDefault(); input.focus(); }
  });
}

// Back and Forward draw the view of the query string; a fragment link (the skip link's #main) fires
// popstate too, and must not draw the same view again under the focus it just moved.
window.addEventListener("popstate", () => { if (location.search !== rendered) render(); });
document.addEventListener("DOMContentLoaded", () => { setupSearchBox(); render(); refreshPackCount(); });
