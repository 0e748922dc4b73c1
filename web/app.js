// The filmsearch page: state lives in the URL (/?q=red+shoes&genre=Drama&page=2); every change
// of state runs one GET /search and redraws. Text from the index is only ever inserted as text
// (textContent, Node.append of strings): highlights are cut from the UTF-8 byte offsets the API
// gives, never by writing HTML.
const PAGE_SIZE = 10;
const FACETS = [
  ["genre", "Genre"], ["decade", "Decade"], ["type", "Type"], ["kind", "Section"], ["lang", "Language"],
];
const $ = (id) => document.getElementById(id);
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const details = new Map();  // film id -> Promise of its stored record (director, rating)

let state = readUrl();
let controller = null;
let debounce = 0;

function readUrl() {
  const p = new URLSearchParams(location.search);
  const s = { q: p.get("q") || "", sort: p.get("sort") || "relevance", spoilers: p.get("spoilers") || "tag",
              page: Math.max(1, parseInt(p.get("page") || "1", 10) || 1), ymin: "", ymax: "" };
  for (const [name] of FACETS) s[name] = p.getAll(name);
  const year = p.get("year") || "";
  const m = /^(\d{0,4})\.\.(\d{0,4})$/.exec(year);
  if (m) { s.ymin = m[1]; s.ymax = m[2]; } else if (/^\d{4}$/.test(year)) { s.ymin = s.ymax = year; }
  return s;
}

function yearParam(s) {
  if (!s.ymin && !s.ymax) return "";
  return `${s.ymin}..${s.ymax}`;
}

// The page's own URL for a state: only what differs from the defaults.
function pageUrl(s) {
  const p = new URLSearchParams();
  if (s.q) p.set("q", s.q);
  for (const [name] of FACETS) for (const v of s[name]) p.append(name, v);
  if (yearParam(s)) p.set("year", yearParam(s));
  if (s.sort !== "relevance") p.set("sort", s.sort);
  if (s.spoilers !== "tag") p.set("spoilers", s.spoilers);
  if (s.page > 1) p.set("page", String(s.page));
  const query = p.toString();
  return query ? `/?${query}` : "/";
}

// The API request for a state; `prefix` makes the last word a prefix (search as you type).
function apiUrl(s, prefix) {
  const p = new URLSearchParams();
  let q = s.q;
  if (prefix && /[\p{L}\p{N}]{2}$/u.test(q)) q += "*";
  p.set("q", q);
  for (const [name] of FACETS) for (const v of s[name]) p.append(name, v);
  if (yearParam(s)) p.set("year", yearParam(s));
  p.set("sort", s.sort);
  p.set("spoilers", s.spoilers);
  p.set("facets", FACETS.map(([n]) => n).join(","));
  p.set("facet_top", "12");
  p.set("limit", String(PAGE_SIZE));
  p.set("offset", String((s.page - 1) * PAGE_SIZE));
  return `/search?${p}`;
}

function setState(next, { push = true, typing = false } = {}) {
  state = next;
  const url = pageUrl(state);
  if (url !== location.pathname + location.search) {
    if (push && !typing) history.pushState(null, "", url); else history.replaceState(null, "", url);
  }
  run(typing);
}

async function fetchJson(url, signal) {
  const response = await fetch(url, { signal, headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({ message: `HTTP ${response.status}` }));
  if (!response.ok) throw new Error(body.message || `HTTP ${response.status}`);
  return body;
}

async function run(typing) {
  if (controller) controller.abort();
  controller = new AbortController();
  const signal = controller.signal;
  const asked = state;
  $("status").textContent = "Searching…";
  document.body.setAttribute("aria-busy", "true");
  try {
    let result = await fetchJson(apiUrl(asked, typing), signal);
    let prefixed = typing && result.query !== asked.q;
    if (prefixed && result.total === 0) {  // nothing starts so: ask plainly, for "did you mean"
      result = await fetchJson(apiUrl(asked, false), signal);
      prefixed = false;
    }
    if (asked !== state) return;
    render(result, prefixed);
  } catch (error) {
    if (error.name === "AbortError") return;
    $("status").textContent = `Search failed: ${error.message}`;
    $("results").replaceChildren();
    $("pages").replaceChildren();
  } finally {
    if (asked === state) document.body.removeAttribute("aria-busy");
  }
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

// `text` with <mark> around each [begin, end) byte range of its UTF-8 form.
function highlighted(node, text, highlights) {
  const bytes = encoder.encode(text);
  let at = 0;
  const ranges = [...highlights].sort((a, b) => a[0] - b[0]);
  for (const [begin, end] of ranges) {
    if (begin < at || end > bytes.length || begin >= end) continue;
    node.append(decoder.decode(bytes.subarray(at, begin)));
    node.append(el("mark", { text: decoder.decode(bytes.subarray(begin, end)) }));
    at = end;
  }
  node.append(decoder.decode(bytes.subarray(at)));
  return node;
}

let spoilerCount = 0;
function snippetNode(snippet) {
  const label = snippet.section + (snippet.heading ? `: ${snippet.heading}` : "");
  const p = highlighted(el("p", { class: "snippet" }, el("span", { class: "section", text: label })),
                        snippet.text, snippet.highlights);
  if (!snippet.spoiler || state.spoilers !== "tag") return p;
  const id = `spoiler-${++spoilerCount}`;
  p.id = id;
  p.setAttribute("aria-hidden", "true");
  p.inert = true;
  const box = el("div", { class: "spoiler hidden" });
  const button = el("button", { type: "button", "aria-expanded": "false", "aria-controls": id,
                                text: "Show spoiler" });
  button.addEventListener("click", () => {
    const show = box.classList.contains("hidden");
    box.classList.toggle("hidden", !show);
    p.setAttribute("aria-hidden", show ? "false" : "true");
    p.inert = !show;
    button.setAttribute("aria-expanded", String(show));
    button.textContent = show ? "Hide spoiler" : "Show spoiler";
  });
  box.append(p, button);
  return box;
}

function filmDetails(id) {
  if (!details.has(id)) {
    details.set(id, fetchJson(`/films/${encodeURIComponent(id)}`).catch(() => null));
  }
  return details.get(id);
}

function hitNode(hit) {
  const title = el("h3", {}, el("span", { class: "title", text: hit.title || hit.id }));
  if (hit.year) title.append(" ", el("span", { class: "year", text: `(${hit.year})` }));
  const meta = el("p", { class: "meta" });
  for (const g of hit.genres) meta.append(el("span", { class: "genre", text: g }));
  if (hit.type !== "film") meta.append(el("span", { text: hit.type }));
  const node = el("li", { class: "hit", "data-id": hit.id }, title, meta);
  for (const s of hit.snippets) node.append(snippetNode(s));
  if (hit.hidden_spoiler_match) {
    node.append(el("p", { class: "hidden-match", text: "Matched in spoiler text, not shown." }));
  }
  if (hit.type === "film") {
    filmDetails(hit.film_id || hit.id).then((record) => {
      if (!record) return;
      const extra = [];
      if (record.directors && record.directors.length) extra.push(`dir. ${record.directors.join(", ")}`);
      if (record.rating != null) extra.push(`★ ${record.rating}`);
      if (extra.length) meta.append(el("span", { class: "details", text: ` ${extra.join(" · ")}` }));
    });
  }
  return node;
}

function facetNode(name, label, counts) {
  const chosen = new Set(state[name]);
  const values = counts ? [...counts.values] : [];
  for (const v of chosen) if (!values.some((x) => x.value === v)) values.push({ value: v, count: null });
  if (!values.length) return null;
  const box = el("fieldset", { "data-facet": name }, el("legend", { text: label }));
  for (const v of values) {
    const input = el("input", { type: "checkbox", value: v.value });
    input.checked = chosen.has(v.value);
    input.addEventListener("change", () => {
      const list = state[name].filter((x) => x !== v.value);
      if (input.checked) list.push(v.value);
      setState({ ...state, [name]: list, page: 1 });
    });
    box.append(el("label", { class: "facet-value" },
                  el("span", {}, input, v.value),
                  el("span", { class: "count", text: v.count == null ? "" : String(v.count) })));
  }
  return box;
}

function render(result, prefixed) {
  const noun = result.total === 1 ? "match" : "matches";
  const about = result.total_exact ? "" : "about ";
  $("status").textContent = result.total === 0
    ? (state.q ? `No matches for “${state.q}”.` : "No matches.")
    : `${about}${result.total} ${noun}${state.q ? ` for “${state.q}”` : ""}` +
      (state.page > 1 ? `, page ${state.page}` : "") + ".";
  const dym = $("did-you-mean");
  if (result.did_you_mean && !prefixed) {
    const link = dym.querySelector("a");
    const next = { ...state, q: result.did_you_mean, page: 1 };
    link.textContent = result.did_you_mean;
    link.href = pageUrl(next);
    link.onclick = (e) => { e.preventDefault(); $("q").value = next.q; setState(next); };
    dym.hidden = false;
  } else {
    dym.hidden = true;
  }
  $("results").replaceChildren(...result.hits.map(hitNode));
  const panels = FACETS.map(([name, label]) => facetNode(name, label, result.facets[name])).filter(Boolean);
  $("facets").replaceChildren(...panels);
  const filtered = FACETS.some(([n]) => state[n].length) || yearParam(state);
  $("clear-filters").hidden = !filtered;
  renderPages(result.total);
}

function renderPages(total) {
  const pages = Math.min(100, Math.ceil(total / PAGE_SIZE));
  const nav = $("pages");
  nav.replaceChildren();
  if (pages <= 1) return;
  const go = (page) => () => { setState({ ...state, page }); window.scrollTo(0, 0); };
  const button = (text, page, extra = {}) => el("button", { type: "button", text, onclick: go(page), ...extra });
  const prev = button("‹ Previous", state.page - 1, { rel: "prev" });
  prev.disabled = state.page <= 1;
  nav.append(prev);
  const first = Math.max(1, Math.min(state.page - 3, pages - 6));
  for (let p = first; p <= Math.min(pages, first + 6); p++) {
    const b = button(String(p), p, { "aria-label": `Page ${p}` });
    if (p === state.page) b.setAttribute("aria-current", "page");
    nav.append(b);
  }
  const next = button("Next ›", state.page + 1, { rel: "next" });
  next.disabled = state.page >= pages;
  nav.append(next);
}

function showState() {
  $("q").value = state.q;
  $("sort").value = state.sort;
  $("spoilers").value = state.spoilers;
  $("year-min").value = state.ymin;
  $("year-max").value = state.ymax;
}

function init() {
  showState();
  $("search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(debounce);
    setState({ ...state, q: $("q").value.trim(), page: 1 });
  });
  $("q").addEventListener("input", () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => setState({ ...state, q: $("q").value.trim(), page: 1 }, { typing: true }), 200);
  });
  $("q").addEventListener("keydown", (e) => {
    if (e.key !== "Escape") return;
    if ($("q").value) { $("q").value = ""; setState({ ...state, q: "", page: 1 }); } else $("q").blur();
  });
  $("sort").addEventListener("change", () => setState({ ...state, sort: $("sort").value, page: 1 }));
  $("spoilers").addEventListener("change", () => setState({ ...state, spoilers: $("spoilers").value, page: 1 }));
  for (const id of ["year-min", "year-max"]) {
    $(id).addEventListener("change", () => {
      const ymin = $("year-min").value.trim(), ymax = $("year-max").value.trim();
      setState({ ...state, ymin, ymax, page: 1 });
    });
  }
  $("clear-filters").addEventListener("click", () => {
    const next = { ...state, ymin: "", ymax: "", page: 1 };
    for (const [name] of FACETS) next[name] = [];
    setState(next);
    showState();
  });
  document.addEventListener("keydown", (e) => {
    const t = e.target;
    const editing = t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement;
    if (e.key === "/" && !editing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      $("q").focus();
      $("q").select();
    }
  });
  window.addEventListener("popstate", () => { state = readUrl(); showState(); run(false); });
  run(false);
}

init();
