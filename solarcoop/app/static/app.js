// The app's page: asks the local server for everything, computes nothing.
// The tab's session id lives in this script's memory only, so two tabs never share one.
"use strict";

const ui = {
  session: null,
  lang: document.documentElement.lang,
  text: {},
  state: null,
  screen: "scenario",
  slot: 0,            // slot shown on the scenario, headline and download screens
  lastRun: {},        // slot -> job id of its last headline
  lastCompare: null,  // job id of the last side-by-side run
  rejected: {},       // "slot/path" -> [typed value, library message]
};

const $ = (id) => document.getElementById(id);

function t(key, values) {
  let found = key.split(".").reduce((table, part) => (table || {})[part], ui.text);
  if (typeof found !== "string") return key;
  for (const [name, value] of Object.entries(values || {})) found = found.replaceAll(`{${name}}`, value);
  return found;
}

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

function digits(value) {
  // the language's [signs] table, as the library writes numbers: digits, separators, minus
  const text = String(value);
  const signs = (ui.text || {}).signs;
  if (!signs) return text;
  const marks = { ".": signs.decimal, ",": signs.thousands, "-": signs.minus };
  return text.replace(/[0-9.,-]/g, (c) => marks[c] ?? signs.digits[c]);
}

async function api(name, body) {
  const response = await fetch(`/api/${name}?lang=${ui.lang}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Solarcoop-Session": ui.session },
    body: JSON.stringify(body || {}),
  });
  return { ok: response.ok, status: response.status, data: await response.json() };
}

function refuse(node, prefix, message, inPageLanguage) {
  // the library's messages are English, written left to right; the app's own refusals
  // (a queue full, a session refused) come from the catalog in the page's language
  node.hidden = false;
  node.replaceChildren(prefix, inPageLanguage ? el("span", { class: "own", text: message }) : el("span", { class: "library", dir: "ltr", text: message }));
}

function show(node, message) {
  node.hidden = !message;
  node.textContent = message || "";
}

// ------------------------------------------------------------------ language and screens

async function setLanguage(lang) {
  ui.lang = lang;
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === "fa" ? "rtl" : "ltr";
  ui.text = await (await fetch(`/api/text?lang=${lang}`)).json();
  document.title = t("page.title");
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
  await refresh();
  for (const [slot, job] of Object.entries(ui.lastRun)) await follow(job, "run-progress", "run-error", (answer) => showHeadline(slot, answer), true);
  if (ui.lastCompare) await follow(ui.lastCompare, "compare-progress", "compare-error", showCompare, true);
}

function setScreen(screen) {
  ui.screen = screen;
  for (const button of document.querySelectorAll("#screens button")) {
    button.setAttribute("aria-current", button.dataset.screen === screen ? "page" : "false");
  }
  for (const section of document.querySelectorAll("main > section")) section.hidden = section.id !== `screen-${screen}`;
  render();
}

async function refresh() {
  const answer = await api("state");
  ui.state = answer.data;
  render();
}

// ------------------------------------------------------------------ the scenario screen

function slotTabs(container, onlyOpen) {
  container.replaceChildren();
  ui.state.slots.forEach((slot, index) => {
    if (onlyOpen && slot.empty) return;
    const button = el("button", { type: "button", "aria-pressed": String(index === ui.slot), "data-slot": index,
      text: slot.empty ? t("scenario.slot", { letter: letter(index) }) : joined(t("scenario.slot", { letter: letter(index) }), slot.name) });
    button.addEventListener("click", () => { ui.slot = index; render(); });
    container.append(button);
  });
}

function joined(...parts) {
  // the catalog's joiner: a middle dot in English, a dash in Persian (where a dot reads as zero)
  return parts.join(t("page.joiner"));
}

function letter(index) {
  return ui.text.scenario.slot_letters[index];  // the catalog's letters: A, B, C or الف, ب, ج
}

function renderScenario() {
  slotTabs($("slot-tabs"), false);
  $("upload-limit").textContent = t("scenario.upload_limit", { kb: digits(ui.state.upload_kb) });
  const which = $("open-which");
  const chosen = which.value;
  which.replaceChildren(...ui.state.presets.map((p) => el("option", { value: p.name, text: p.label })));
  if (chosen) which.value = chosen;
  const slot = ui.state.slots[ui.slot];
  const copies = $("copy-buttons");
  copies.replaceChildren();
  const inputs = $("inputs");
  inputs.replaceChildren();
  if (slot.empty) return;
  ui.state.slots.forEach((_, target) => {
    if (target === ui.slot) return;
    const button = el("button", { type: "button", "data-copy": target, text: t("scenario.copy_to", { letter: letter(target) }) });
    button.addEventListener("click", async () => { ui.state = (await api("copy", { slot: ui.slot, to: target })).data; ui.slot = target; render(); });
    copies.append(button);
  });
  inputs.append(entry({ path: "name", label: t("scenario.name"), shown: slot.name, unit: "", hint: "", source: "" }, "name-field"));
  // what the library says about this scenario's inputs and who takes a change of its size
  for (const note of slot.notes || []) inputs.append(el("p", { class: note.finding ? "note finding" : "note", text: note.text }));
  const groups = el("div", { class: "groups" });
  for (const group of ui.state.groups) {
    const shown = slot.fields.filter((f) => f.group === group);
    if (!shown.length) continue; // a box whose controls would change nothing is left out
    const box = el("fieldset", { "data-group": group }, el("legend", { text: t(`group.${group}`) }));
    for (const field of shown) box.append(entry(field, ""));
    groups.append(box);
  }
  inputs.append(groups);
}

function entry(field, extraClass) {
  const id = `input-${field.path.replaceAll(".", "-")}`;
  const rejected = ui.rejected[`${ui.slot}/${field.path}`];
  const choosing = field.choices && field.choices.length;
  // a choice of words: each a radio button whose whole label wraps in the box (a select cut them off)
  const input = choosing
    ? el("div", { id, class: "choices", role: "radiogroup", "aria-labelledby": `${id}-label`, "data-path": field.path },
      ...field.choices.map((c) => el("label", { class: "choice" },
        el("input", { type: "radio", name: id, value: c.value, checked: c.value === field.value }), el("span", { text: c.label }))))
    : el("input", { id, type: "text", inputmode: field.path === "name" ? "text" : "decimal",
      "data-path": field.path, value: rejected ? rejected[0] : field.shown, "aria-invalid": rejected ? "true" : "false" });
  input.addEventListener("change", (event) => change(field.path, choosing ? event.target.value : input.value));
  const message = el("p", { class: "message refused", "data-message-for": field.path, hidden: !rejected });
  if (rejected) message.append(t("scenario.refused"), el("span", { class: "library", dir: "ltr", text: rejected[1] }));
  return el("div", { class: `field ${extraClass}` },
    choosing ? el("span", { class: "label", id: `${id}-label`, text: field.label }) : el("label", { for: id, text: field.label }),
    el("div", { class: "entry" }, input,
      field.unit ? el("span", { class: "unit", text: field.unit }) : null,
      field.hint ? el("span", { class: "hint", text: field.hint }) : null),
    message,
    field.source ? el("details", {}, el("summary", { text: t("scenario.source") }), el("span", { class: "library", dir: "auto", text: field.source })) : null);
}

async function change(path, value) {
  const answer = await api("change", { slot: ui.slot, path, value });
  const key = `${ui.slot}/${path}`;
  if (answer.ok) {
    delete ui.rejected[key];
    ui.state = answer.data;
  } else {
    ui.rejected[key] = [value, answer.data.error];
  }
  render();
  const input = document.querySelector(`[data-path="${path}"]`);
  if (input && !answer.ok) input.focus();
}

async function upload() {
  const file = $("upload-file").files[0];
  if (!file) return;
  const response = await fetch(`/api/upload?lang=${ui.lang}&slot=${ui.slot}&name=${encodeURIComponent(file.name)}`, {
    method: "POST",
    headers: { "Content-Type": "application/toml", "X-Solarcoop-Session": ui.session },
    body: file,
  });
  const data = await response.json();
  if (response.ok) {
    ui.state = data;
    show($("upload-message"), "");
    render();
  } else {
    refuse($("upload-message"), t("scenario.refused"), data.error);
  }
}

// ------------------------------------------------------------------ running

async function follow(job, progressId, errorId, onDone, quiet, status) {
  const progress = $(progressId);
  show($(errorId), "");
  progress.hidden = quiet === true;
  for (;;) {
    const answer = await api("job", { job });
    if (!answer.ok) { progress.hidden = true; show($(errorId), answer.data.error); return; }
    const data = answer.data;
    const seconds = digits(data.seconds.toFixed(1));
    progress.querySelector(".status").textContent = status ? t(status, { seconds }) : t("headline.running", { paths: digits(ui.paths || ""), seconds });
    if (data.done) {
      progress.hidden = true;
      if (data.error) { refuse($(errorId), t("headline.error"), data.error); return; }
      onDone(data);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function run(slots, progressId, errorId, onDone) {
  const answer = await api("run", { slots });
  if (!answer.ok) { refuse($(errorId), t("headline.error"), answer.data.error, Boolean(answer.data.refused)); return null; }
  ui.paths = answer.data.n_paths.toLocaleString("en");
  await follow(answer.data.job, progressId, errorId, onDone);
  return answer.data.job;
}

function numberCell(row, figure, extraClass, raw) {
  const value = raw === undefined ? row[`${figure}_rial`] : raw;
  const negative = value < -0.05e6 ? " negative" : "";  // shown as at least -0.1 million
  // a number reads left to right in Persian too: its minus sign stays on its left
  return el("td", { class: `number ${extraClass}${negative}`, "data-figure": figure, "data-value": value },
    el("bdi", { dir: "ltr", text: row[figure] }));
}

function headlineTable(view) {
  const head = el("tr", {}, el("th", { text: t("headline.year") }),
    el("th", { text: joined(t("headline.central"), t("headline.nominal")) }),
    el("th", { text: joined(t("headline.bad_year"), t("headline.nominal")) }),
    el("th", { text: joined(t("headline.central"), view.real_note) }),
    el("th", { text: joined(t("headline.bad_year"), view.real_note) }),
    el("th", { text: joined(t("headline.single"), t("headline.nominal")) }));
  const body = view.rows.map((row) => el("tr", { class: row.after_loan ? "after-loan" : null, "data-year": row.year },
    el("th", { text: row.label }),
    numberCell(row, "p50", ""),
    numberCell(row, "p90", "bad"),
    numberCell(row, "p50_real", "real"),
    numberCell(row, "p90_real", "real"),
    el("td", { class: "single", "data-figure": "single", "data-value": row.single_rial, "data-percentile": row.single_percentile },
      el("bdi", { class: "value", dir: "ltr", text: row.single }), el("span", { class: "note", text: ` (${row.single_above})` }))));
  return el("table", { class: "headline" }, el("thead", {}, head), el("tbody", {}, ...body));
}

const READINGS = ["sales", "distribution", "net"];

// the money the promise counts first (the chance every output shows), then the others
function chanceOrder(view) {
  const lead = view.chance_counts || "net";
  return [lead, ...READINGS.filter((r) => r !== lead)];
}

function chanceTable(view) {
  if (!view.chance_label) return null;
  const order = chanceOrder(view);
  const head = el("tr", {}, el("th", { text: t("headline.year") }), ...order.map((r) => el("th", { text: t(`headline.chance_${r}`) })));
  const body = view.rows.map((row) => el("tr", { "data-year": row.year }, el("th", { text: row.label }),
    ...order.map((r, i) => numberCell(row, `chance_${r}`, i === 0 ? "" : "real", row[`chance_${r}_fraction`]))));
  return el("div", {}, el("h3", { text: view.chance_label }), el("table", { class: "chance" }, el("thead", {}, head), el("tbody", {}, ...body)));
}

function showHeadline(slot, answer) {
  const view = answer.headlines[String(slot)];
  const box = $("headline");
  box.replaceChildren(...[
    el("p", { class: "unit-line", text: t("headline.unit") }),
    headlineTable(view),
    view.arrears_note ? el("p", { class: "note", id: "arrears-note", text: view.arrears_note }) : null,
    chanceTable(view),
    el("p", { class: "note", id: "run-took", text: t("headline.took", { paths: view.n_paths, seconds: digits(answer.seconds.toFixed(1)), seed: view.seed }) }),
    el("p", { class: "explain", text: t("headline.explain", { facts: ui.text.disputed_facts }) }),
  ].filter((node) => node !== null));
  box.dataset.slot = slot;
}

function renderHeadline() {
  slotTabs($("headline-slots"), true);
  const box = $("headline");
  if (box.dataset.slot !== String(ui.slot)) {
    box.replaceChildren(el("p", { class: "note", text: t("headline.not_run") }));
    box.dataset.slot = "";
    if (ui.lastRun[ui.slot]) follow(ui.lastRun[ui.slot], "run-progress", "run-error", (a) => showHeadline(ui.slot, a), true);
  }
}

// ------------------------------------------------------------------ comparing

function showCompare(answer) {
  const open = Object.keys(answer.headlines).map(Number).sort();
  const views = open.map((i) => answer.headlines[String(i)]);
  // one promise for all: named in the row; promises that differ: each under its scenario's name
  const samePromise = views.every((view) => view.chance_label === views[0].chance_label);
  const head = el("tr", {}, el("th", { text: t("compare.figure") }),
    ...open.map((i, k) => el("th", {}, joined(letter(i), ui.state.slots[i].name || ""),
      samePromise || !views[k].promise_label ? null : el("span", { class: "promise", text: views[k].promise_label }))));
  const promised = views.some((view) => view.chance_label);
  const chanceLabel = samePromise ? views[0].chance_label : t("compare.chance_own");
  const rows = [];
  views[0].rows.forEach((row, r) => {
    const lead = `chance_${chanceOrder(views[0])[0]}`;
    const figures = [["p50", joined(t("headline.central"), t("headline.nominal"))],
      ["p90", joined(t("headline.bad_year"), t("headline.nominal"))],
      [lead, promised ? `${chanceLabel} ${t(`headline.${lead}`)}` : ""]];
    for (const [figure, label] of figures.filter(([, label]) => label)) {
      rows.push(el("tr", { "data-year": row.year, "data-figure": figure }, el("th", { text: joined(row.label, label) }),
        ...views.map((view) => {
          const cell = view.rows[r] || {};
          const raw = figure.startsWith("chance_") ? cell[`${figure}_fraction`] : cell[`${figure}_rial`];
          const negative = !figure.startsWith("chance_") && raw < -0.05e6 ? " negative" : "";  // red only below zero
          return el("td", { class: `number${figure === "p90" ? " bad" : ""}${negative}`, "data-value": raw }, el("bdi", { dir: "ltr", text: cell[figure] || "" }));
        })));
    }
  });
  const differs = differences(open);
  $("compare").replaceChildren(
    el("p", { class: "unit-line", text: t("headline.unit") }),
    el("table", { class: "compare" }, el("thead", {}, head), el("tbody", {}, ...rows)),
    ...(differs ? [differs] : []));
}

function differences(open) {
  const fields = ui.state.slots[open[0]].fields;
  const rows = fields.filter((field) => open.some((i) => ui.state.slots[i].fields.find((f) => f.path === field.path).value !== field.value))
    .map((field) => el("tr", {}, el("th", { text: `${field.label} [${field.unit}]` }),
      ...open.map((i) => el("td", { text: ui.state.slots[i].fields.find((f) => f.path === field.path).shown }))));
  if (!rows.length) return null;
  return el("div", {}, el("h3", { text: t("compare.differs") }), el("table", {}, el("tbody", {}, ...rows)));
}

function renderCompare() {
  const open = ui.state.slots.map((s, i) => (s.empty ? -1 : i)).filter((i) => i >= 0);
  $("run-all").disabled = open.length < 2;
  if (open.length < 2) $("compare").replaceChildren(el("p", { class: "note", text: t("compare.need_two") }));
}

// ------------------------------------------------------------------ taking away

function renderDownloads() {
  slotTabs($("download-slots"), true);
  const buttons = $("download-buttons");
  buttons.replaceChildren();
  for (const what of ui.state.downloads) {
    const button = el("button", { type: "button", "data-make": what, text: t(`downloads.${what}`) });
    button.addEventListener("click", () => make(what));
    buttons.append(button);
  }
}

async function make(what) {
  const slot = ui.slot;
  const answer = await api("make", { slot, what });
  if (!answer.ok) { refuse($("download-error"), t("headline.error"), answer.data.error, Boolean(answer.data.refused)); return; }
  const progress = $("download-progress");
  await follow(answer.data.job, "download-progress", "download-error", (data) => {
    for (const file of data.files) {
      const link = el("a", { href: `/download/${ui.session}/${file.token}`, download: file.name, "data-file": file.name, text: file.name });
      $("files").append(el("li", {}, el("span", { text: `${t("downloads.ready")} ` }), link,
        el("span", { class: "note", text: ` (${t("downloads.for_slot", { letter: letter(slot) })}${(ui.text.signs || {}).list_separator ?? ", "}${t("downloads.kb", { kb: digits(Math.ceil(file.bytes / 1024)) })})` })));
    }
  }, false, "downloads.making");
  progress.hidden = true;
}

// ------------------------------------------------------------------ wiring

function render() {
  if (!ui.state) return;
  window.renders = (window.renders || 0) + 1;  // lets a test wait for the page to settle
  if (ui.screen === "scenario") renderScenario();
  if (ui.screen === "headline") renderHeadline();
  if (ui.screen === "compare") renderCompare();
  if (ui.screen === "downloads") renderDownloads();
}

async function start() {
  // the page's token proves to the server that this page, served by it, asks for a session
  const token = document.querySelector('meta[name="solarcoop-page"]').content;
  const answer = await (await fetch("/api/session", { method: "POST", headers: { "X-Solarcoop-Page": token } })).json();
  if (!answer.session) { $("loading").textContent = answer.error; return; }  // refused: the reason, in the page's language
  ui.session = answer.session;
  await api("open", { slot: 0, source: "baseline" });
  for (const button of document.querySelectorAll("#screens button")) button.addEventListener("click", () => setScreen(button.dataset.screen));
  $("language").addEventListener("click", () => setLanguage(t("page.other_lang")));
  $("open-button").addEventListener("click", async () => {
    const answer = await api("open", { slot: ui.slot, source: $("open-which").value });
    if (answer.ok) { ui.state = answer.data; render(); } else refuse($("upload-message"), t("scenario.refused"), answer.data.error);
  });
  $("upload-button").addEventListener("click", upload);
  $("upload-file").addEventListener("change", () => { $("upload-chosen").textContent = ($("upload-file").files[0] || {}).name || ""; });
  $("run").addEventListener("click", async () => {
    const slot = ui.slot;
    ui.lastRun[slot] = await run([slot], "run-progress", "run-error", (a) => showHeadline(slot, a));
  });
  $("run-all").addEventListener("click", async () => {
    const open = ui.state.slots.map((s, i) => (s.empty ? -1 : i)).filter((i) => i >= 0);
    ui.lastCompare = await run(open, "compare-progress", "compare-error", showCompare);
  });
  await setLanguage(ui.lang);
  $("loading").hidden = true;
  setScreen("scenario");
  document.body.dataset.ready = "true";
}

start();
