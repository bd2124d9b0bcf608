/* Tumen report: wires the data to the map, the charts and the panels. */
"use strict";
(() => {
  const { el, svg, body, table } = T;
  const D = T.data();
  const S = D.scenarios;
  const byId = (list) => Object.fromEntries(list.map((x) => [x.id, x]));
  const places = byId(D.places), links = byId(D.links), facilities = byId(D.facilities);
  const CF = "COUNTERFACTUAL";
  const label = (s) => s.name + (s.counterfactual ? " (" + CF + ")" : "");
  const placeName = (id) => (places[id] ? places[id].name : T.pretty(id));
  const elementName = (id) => (facilities[id] || links[id] || places[id] || { name: T.pretty(id) }).name;
  const scenarioColors = S.map((_, i) => T.palette[i % T.palette.length]);
  const commodities = [...new Set(S.flatMap((s) => Object.values(s.links).flatMap((l) => Object.keys(l.by))))].sort();
  const maxT = Math.max(1, ...S.flatMap((s) => Object.values(s.links).map((l) => l.t)));
  const dates = D.ledger.dates;
  const state = { si: 0, dateIndex: 0, colorBy: "mode" };
  const listeners = [];
  const onScenario = (fn) => listeners.push(fn);

  function cfBadge(s) { return s.counterfactual ? el("span", { class: "badge cf", text: CF }) : null; }
  function sourceButtons(ids) {
    const list = (Array.isArray(ids) ? ids : String(ids || "").split(";")).filter(Boolean);
    if (!list.length) return document.createTextNode("–");
    return el("span", null, list.map((id) => el("button", { class: "link src-btn", "data-source": id, text: id,
      onclick: () => showSources([id]) })));
  }
  function dateIndexOf(iso) {
    let best = 0;
    dates.forEach((d, i) => { if (d <= String(iso).slice(0, 10)) best = i; });
    return best;
  }

  /* ---- Map ---- */
  const mapBody = body("map");
  const picker = el("select", { id: "scenario-picker", "aria-label": "Scenario" },
    S.map((s, i) => el("option", { value: i, text: label(s) + " — " + s.title })));
  const slider = el("input", { id: "date-slider", type: "range", min: 0, max: dates.length - 1, step: 1, value: 0,
    "aria-label": "Date of the network" });
  const dateText = el("strong", { id: "date-label" });
  const colorBy = el("select", { id: "color-by", "aria-label": "Colour links by" },
    el("option", { value: "mode", text: "mode" }), el("option", { value: "commodity", text: "main commodity" }));
  const banner = el("p", { id: "scenario-banner" });
  const eventsToday = el("p", { id: "date-events", class: "note" });
  mapBody.appendChild(el("div", { class: "controls" },
    el("label", null, "Scenario ", picker),
    el("label", null, "Network on ", dateText, " ", slider),
    el("label", null, "Colour links by ", colorBy),
    el("button", { id: "view-tumen", text: "Tumen mouth", onclick: () => map.setView(D.map.views.tumen) }),
    el("button", { id: "view-bridges", text: "Khasan–Tumangang bridges", onclick: () => map.setView(D.map.views.bridges) }),
    el("button", { id: "view-region", text: "Whole region", onclick: () => map.setView(D.map.views.region) })));
  mapBody.appendChild(banner);
  mapBody.appendChild(eventsToday);
  const legendBox = el("div", { class: "legend", id: "map-legend" });
  mapBody.appendChild(legendBox);
  const wrapBox = el("div", { class: "map-wrap" });
  const mapBox = el("div");
  const details = el("div", { class: "details", id: "details" }, el("p", { class: "muted", text: "Click a link, crossing, port or place for its numbers and sources." }));
  wrapBox.appendChild(mapBox);
  wrapBox.appendChild(details);
  mapBody.appendChild(wrapBox);
  mapBody.appendChild(el("p", { class: "note", text: D.map.attribution }));
  const map = M.create(mapBox, D, showDetails);

  function drawLegend() {
    T.clear(legendBox);
    const items = state.colorBy === "mode"
      ? Object.entries(M.MODE_COLORS).map(([k, c]) => ({ name: k, color: c }))
      : commodities.map((c) => ({ name: T.pretty(c), color: T.colorOf(c, commodities) }));
    legendBox.appendChild(C.legend(items.concat([{ name: "closed on the date (dashed)", color: "#8a8f98" }])));
    legendBox.appendChild(C.legend([["< 50 %", 0.2], ["50–80 %", 0.6], ["80–99.9 %", 0.9], ["binding", 1], ["no capacity known", null]]
      .map(([n, u]) => ({ name: "crossing/port " + n, color: T.utilColor(u) }))));
    legendBox.appendChild(C.legend([{ name: "zone in force (dashed: proposed or not built)", color: "#33a02c" }]));
  }
  function redraw() {
    const s = S[state.si];
    dateText.textContent = dates[state.dateIndex];
    T.clear(banner);
    banner.appendChild(el("span", { text: s.title + " — results for " + s.date + ", sanctions regime " + (s.meta.regime || "–") + ". " }));
    if (s.counterfactual) banner.appendChild(el("span", { class: "cf", text: CF + ": no sanctions regime applied; not a picture of what is allowed." }));
    if (dates[state.dateIndex] !== String(s.date).slice(0, 10)) banner.appendChild(el("span", { class: "muted",
      text: " Flows are the scenario's; the network drawn (open or closed) is the ledger's on " + dates[state.dateIndex] + "." }));
    const evs = D.ledger.events.filter((e) => String(e.date).slice(0, 10) === dates[state.dateIndex]);
    eventsToday.textContent = evs.length ? "On this date: " + evs.map((e) => e.description).join("; ") : "";
    drawLegend();
    map.draw({ scenario: s, dateIndex: state.dateIndex, colorBy: state.colorBy, maxT, commodities, sweep: D.sweep });
  }
  picker.addEventListener("change", () => {
    state.si = Number(picker.value);
    state.dateIndex = dateIndexOf(S[state.si].date);
    slider.value = state.dateIndex;
    redraw();
    listeners.forEach((fn) => fn());
  });
  slider.addEventListener("input", () => { state.dateIndex = Number(slider.value); redraw(); });
  colorBy.addEventListener("change", () => { state.colorBy = colorBy.value; redraw(); });

  function numberRow(name, value, src) {
    return el("tr", null, el("td", { text: name }), el("td", { class: "num", text: value }),
      el("td", null, src ? sourceButtons(src[0]) : "–", src ? el("span", { class: "muted", text: " " + src[1] }) : null));
  }
  function disputes(table, id) {
    const rows = D.conflicts.filter((c) => c.table === table && c.id === id);
    if (!rows.length) return null;
    return el("div", null, el("h3", { text: "Disputed values" }), T.table([
      { key: "field", label: "field" }, { key: "value", label: "value" },
      { label: "source", fmt: (r) => sourceButtons(r.source) },
      { label: "chosen", fmt: (r) => (r.chosen ? "chosen" : "") }, { key: "reason", label: "why" }], rows));
  }
  function showDetails(sel) {
    T.clear(details);
    const s = S[state.si];
    const rows = [];
    if (sel.type === "link") {
      const l = links[sel.id], f = s.links[sel.id];
      details.appendChild(el("h3", { text: l ? l.name : sel.id }));
      if (l) {
        rows.push(numberRow("length, km", T.num(l.length_km), l.src.length_km || l.src.row));
        if (l.water_km) rows.push(numberRow("drawn route over water, km (GSHHG shoreline; a check on the length above)", T.num(l.water_km), null));
        rows.push(numberRow("speed, km/h", T.num(l.speed_kmh), l.src.speed_kmh || l.src.row));
        if (l.capacity !== null) rows.push(numberRow("capacity, " + l.capacity_unit, T.num(l.capacity), l.src.capacity || l.src.row));
      } else details.appendChild(el("p", { class: "muted", text: "A link this scenario adds." }));
      if (f) {
        rows.push(numberRow("flow, t/yr (" + label(s) + ")", T.num(f.t), null));
        for (const [c, v] of Object.entries(f.by)) {
          const ds = s.demand_sources.by_commodity[c];
          rows.push(numberRow("  " + T.pretty(c), T.num(v), ds ? [ds.source, ds.confidence.join("/")] : null));
        }
        if (f.utilisation !== null) rows.push(numberRow("utilisation", T.pct(f.utilisation), null));
      }
    } else if (sel.type === "facility") {
      const f = facilities[sel.id], use = s.facilities.find((u) => u.facility_id === sel.id);
      details.appendChild(el("h3", { text: f.name }));
      if (f.capacity !== null) rows.push(numberRow("capacity, " + f.capacity_unit, T.num(f.capacity), f.src.capacity || f.src.row));
      if (use) {
        rows.push(numberRow("throughput, t/yr (" + label(s) + ")", T.num(use.throughput_t_yr), null));
        rows.push(numberRow("utilisation", T.pct(use.utilisation), null));
      }
      for (const o of D.observed.filter((o) => o.facility === sel.id)) rows.push(numberRow("observed " + o.year + ", " + o.unit, T.num(o.value, 2), [[o.source], o.confidence]));
    } else {
      const p = places[sel.id];
      details.appendChild(el("h3", { text: p.name }));
      rows.push(numberRow("latitude, longitude", p.lat + ", " + p.lon, p.src.lon || p.src.row));
      details.appendChild(el("p", { class: "muted", text: Object.values(p.names).join(" · ") }));
    }
    details.appendChild(el("table", { class: "data" }, el("tbody", null, rows)));
    const table_ = sel.type === "link" ? "links" : sel.type === "facility" ? "facilities" : "places";
    const d = disputes(table_, sel.id);
    if (d) details.appendChild(d);
  }

  /* ---- Throughput ---- */
  (() => {
    const b = body("throughput");
    const box = el("div", { class: "charts" });
    b.appendChild(box);
    const facIds = D.facilities.filter((f) => f.kind === "border_crossing" || f.kind === "port")
      .map((f) => f.id).filter((id) => S.some((s) => s.facilities.some((u) => u.facility_id === id && u.throughput_t_yr > 0)));
    C.bars(box, { title: "Modelled throughput by scenario (t/yr)", cls: "chart-throughput",
      categories: facIds.map(elementName),
      series: S.map((s, i) => ({ name: label(s), color: scenarioColors[i],
        values: facIds.map((id) => { const u = s.facilities.find((x) => x.facility_id === id); return u ? u.throughput_t_yr : null; }) })),
      tipLines: (ci, si) => { const u = S[si].facilities.find((x) => x.facility_id === facIds[ci]) || {};
        return [["scenario", label(S[si])], ["throughput", T.tonnes(u.throughput_t_yr)], ["capacity", T.tonnes(u.capacity_t_yr)], ["utilisation", T.pct(u.utilisation)]]; } });
    const obsIds = [...new Set(D.observed.filter((o) => o.tonnes !== null).map((o) => o.facility))];
    C.lines(box, { title: "Observed throughput by year (ledger, t/yr)", cls: "chart-observed", xLabel: "year", yLabel: "t/yr",
      xFmt: (v) => String(Math.round(v)), legend: true,
      series: obsIds.map((id, i) => ({ name: elementName(id), color: T.palette[(i + 3) % T.palette.length],
        points: D.observed.filter((o) => o.facility === id && o.tonnes !== null).sort((a, c) => a.year - c.year)
          .map((o) => ({ x: o.year, y: o.tonnes, label: elementName(id) + ", " + o.year, src: o.source, o })),
        tip: (p) => [["year", p.o.year], ["reported", T.num(p.o.value, 2) + " " + p.o.unit], ["source", p.o.source + " (" + p.o.confidence + ")"], ["note", p.o.description]] })) });
    // Observed against modelled, for each scenario whose year has observations.
    for (const s of S.filter((x) => (x.observed_vs_modelled || []).length)) {
      const rows = s.observed_vs_modelled;
      b.appendChild(el("h3", { text: "Observed against modelled, " + rows[0].year + " (" + label(s) + ")" }));
      b.appendChild(T.table([{ label: "crossing or port", fmt: (r) => placeName(r.facility) },
        { label: "observed", num: true, fmt: (r) => T.tonnes(r.observed) }, { label: "modelled", num: true, fmt: (r) => T.tonnes(r.modelled) },
        { label: "modelled / observed", num: true, fmt: (r) => (r.observed > 0 ? T.num(r.modelled / r.observed, 2) : "–") },
        { key: "source", label: "source" }], rows, () => "obs-vs-model"));
    }
  })();

  /* ---- Bottlenecks, costs, distance: follow the scenario picker ---- */
  function scenarioNote(target) {
    const s = S[state.si];
    target.appendChild(el("p", { class: "note" }, "Scenario: ", el("strong", { text: label(s) }), cfBadge(s), " (choose it on the map)."));
  }
  function drawBottlenecks() {
    const b = T.clear(body("bottlenecks"));
    scenarioNote(b);
    const s = S[state.si];
    const rows = s.bottlenecks.slice(0, 12);
    const box = el("div", { class: "charts" });
    b.appendChild(box);
    const tipB = (ci) => { const r = rows[ci]; return [["constraint", r.constraint], ["flow", T.tonnes(r.flow_t_yr)], ["capacity", T.tonnes(r.capacity_t_yr)], ["utilisation", T.pct(r.utilisation)], ["shadow price", T.usd(r.shadow_price_usd_per_t) + "/t"]]; };
    if (rows.some((r) => (r.shadow_price_usd_per_t || 0) > 0)) {
      C.bars(box, { title: "Shadow price, USD per t/yr of extra capacity", cls: "chart-shadow",
        categories: rows.map((r) => elementName(r.element_id)),
        series: [{ name: "shadow price", color: "#c62828", values: rows.map((r) => r.shadow_price_usd_per_t || 0) }], tipLines: tipB });
    } else b.insertBefore(el("p", { class: "note", text: "No capacity constraint binds in this scenario: every shadow price is zero." }), box);
    C.bars(box, { title: "Utilisation of the same constraints, %", cls: "chart-bottlenecks", empty: "No capacity constraint in this scenario.",
      categories: rows.map((r) => elementName(r.element_id)), fmt: (v) => Math.round(v) + " %",
      series: [{ name: "utilisation", color: "#ef6c00", values: rows.map((r) => 100 * (r.utilisation || 0)) }], tipLines: tipB });
    b.appendChild(table([{ label: "element", fmt: (r) => elementName(r.element_id) }, { key: "kind", label: "kind" },
      { label: "flow", num: true, fmt: (r) => T.tonnes(r.flow_t_yr) }, { label: "capacity", num: true, fmt: (r) => T.tonnes(r.capacity_t_yr) },
      { label: "utilisation", num: true, fmt: (r) => T.pct(r.utilisation) }, { label: "shadow price USD/t", num: true, fmt: (r) => T.num(r.shadow_price_usd_per_t, 2) }],
      s.bottlenecks.slice(0, 12)));
  }
  const PARTS = [["line_haul_usd", "line haul", "#4e79a7"], ["time_usd", "time value", "#a0cbe8"], ["handling_usd", "handling", "#f28e2b"],
    ["transshipment_usd", "transshipment", "#e15759"], ["border_usd", "border", "#76b7b2"], ["zone_fee_usd", "zone fee", "#59a14f"]];
  const routeName = (r) => placeName(r.origin) + " → " + placeName(r.destination) + " (" + T.pretty(r.commodity) + ")";
  function drawCosts() {
    const b = T.clear(body("costs"));
    scenarioNote(b);
    const s = S[state.si];
    const box = el("div", { class: "charts" });
    b.appendChild(box);
    C.bars(box, { title: "Cost per unit, main routes (largest flow first)", cls: "chart-costs", stacked: true, legend: true,
      categories: s.routes.map(routeName),
      series: PARTS.map(([k, n, c]) => ({ name: n, color: c, values: s.routes.map((r) => r[k] || 0) })),
      tipLines: (ci) => { const r = s.routes[ci]; return PARTS.map(([k, n]) => [n, T.num(r[k], 2) + " USD"]).concat([["total", T.num(r.total_usd, 2) + " USD per " + (String(r.unit).startsWith("person") ? "person" : "t")], ["flow", T.num(r.flow) + " " + r.unit], ["path", r.path.split(">").map(placeName).join(" › ")]]); } });
  }
  function drawDistance() {
    const b = T.clear(body("distance"));
    scenarioNote(b);
    b.appendChild(el("p", { class: "note", text: "Line haul and the value of time are spread by distance; border fees sit on the link that crosses a border, transshipment where the gauge or mode changes, handling at ports, zone fees where the route enters a zone (squares mark these steps). Each profile ends at the route's totals." }));
    const s = S[state.si];
    const box = el("div", { class: "charts" });
    b.appendChild(box);
    for (const p of s.profiles.slice(0, 4)) {
      const tip = (q) => [["at", q.label], ["distance", T.num(q.km) + " km"], ["cumulative cost", T.num(q.usd, 2) + " USD"], ["cumulative time", T.num(q.h, 2) + " h"]];
      C.lines(box, { title: p.label + ": cost", cls: "chart-distance-cost", xLabel: "km", yLabel: "USD per unit",
        series: [{ name: "cumulative cost", color: "#4e79a7", points: p.points.map((q) => ({ x: q.km, y: q.usd, label: q.label, kind: q.kind, ...q })), tip }] });
      C.lines(box, { title: p.label + ": time", cls: "chart-distance-time", xLabel: "km", yLabel: "hours",
        series: [{ name: "cumulative time", color: "#e15759", points: p.points.map((q) => ({ x: q.km, y: q.h, label: q.label, kind: q.kind, ...q })), tip }] });
    }
    if (!s.profiles.length) box.appendChild(el("p", { class: "empty", text: "No routes in this scenario." }));
  }
  onScenario(drawBottlenecks); onScenario(drawCosts); onScenario(drawDistance);

  /* ---- Unmet demand ---- */
  (() => {
    const b = body("unmet");
    const cats = [...new Set(S.flatMap((s) => s.demand.map((d) => d.category)))].sort();
    const box = el("div", { class: "charts" });
    b.appendChild(box);
    const sum = (s, c, persons) => s.unmet.filter((u) => u.category === c && String(u.unit).startsWith("person") === persons).reduce((a, u) => a + (u.unmet || 0), 0);
    C.bars(box, { title: "Unmet demand, t/yr, by category and scenario", cls: "chart-unmet", legend: true,
      categories: cats.map(T.pretty),
      series: S.map((s, i) => ({ name: label(s), color: scenarioColors[i], values: cats.map((c) => sum(s, c, false)) })),
      tipLines: (ci, si) => [["scenario", label(S[si])], ["unmet", T.tonnes(sum(S[si], cats[ci], false))], ["unmet persons/yr", T.num(sum(S[si], cats[ci], true))]] });
    const rows = S.flatMap((s) => s.unmet.map((u) => ({ ...u, s })));
    b.appendChild(rows.length ? table([{ label: "scenario", fmt: (r) => label(r.s) }, { label: "category", fmt: (r) => T.pretty(r.category) },
      { label: "origin → destination", fmt: (r) => placeName(r.origin) + " → " + placeName(r.destination) }, { label: "commodity", fmt: (r) => T.pretty(r.commodity) },
      { label: "unmet", num: true, fmt: (r) => T.num(r.unmet) + " " + r.unit }, { key: "reason", label: "reason" }], rows, (r) => (r.s.counterfactual ? "cf-row" : null))
      : el("p", { class: "empty", text: "All demand is served in every scenario." }));
  })();

  /* ---- Sweep (issue: sweeps write quantiles.parquet beside the results) ---- */
  (() => {
    const b = body("sweep");
    if (!D.sweep || !D.sweep.series || !D.sweep.series.length) {
      b.appendChild(el("p", { class: "empty", id: "sweep-empty", text: "No sweep results in this folder. A sweep that writes quantiles.parquet (and binding.parquet) beside the results is drawn here as fan charts, and its binding probabilities as red rings on the map." }));
      return;
    }
    const box = el("div", { class: "charts" });
    b.appendChild(box);
    for (const s of D.sweep.series.slice(0, 24)) C.fan(box, { title: T.pretty(s.metric) + ": " + (elementName(s.element_id) || s.label), points: s.points, unit: s.unit, cls: "chart-sweep" });
    if (D.sweep.binding && D.sweep.binding.length) b.appendChild(table([{ label: "element", fmt: (r) => elementName(r.element_id) },
      { label: "P(binding)", num: true, fmt: (r) => T.pct(r.p_binding) }, { label: "median shadow price USD/t", num: true, fmt: (r) => T.num(r.shadow_price_q50, 2) }], D.sweep.binding));
  })();

  /* ---- Sanctions ---- */
  (() => {
    const b = body("sanctions");
    b.appendChild(el("p", { class: "note", text: "Each routed flow a UN Security Council measure covers, with the verdict and the regime that applied. Rows of a counterfactual scenario, or screened under a reference regime, are labelled as such: they are not a picture of what is allowed." }));
    const rows = S.flatMap((s) => s.findings.map((f) => ({ ...f, s })));
    if (!rows.length) { b.appendChild(el("p", { class: "empty", text: "No findings." })); return; }
    b.appendChild(table([
      { label: "scenario", fmt: (r) => el("span", null, r.s.name, cfBadge(r.s)) },
      { label: "screening", fmt: (r) => el("span", null, r.screening, r.screening !== "scenario regime" ? el("span", { class: "badge cf", text: "reference" }) : null) },
      { label: "route", fmt: (r) => placeName(r.origin_place) + " → " + placeName(r.destination_place) },
      { label: "commodity", fmt: (r) => T.pretty(r.commodity) },
      { label: "quantity", num: true, fmt: (r) => T.num(r.quantity) + " " + r.unit },
      { key: "verdict", label: "verdict", cls: (r) => "verdict-" + r.verdict },
      { key: "measures", label: "measure" }, { key: "regime", label: "regime" }, { key: "reason", label: "reason" }],
      rows, (r) => (r.s.counterfactual ? "cf-row finding" : "finding")));
  })();

  /* ---- Compare ---- */
  (() => {
    const b = body("compare");
    const selA = el("select", { id: "compare-a", "aria-label": "Scenario A" }, S.map((s, i) => el("option", { value: i, text: label(s) })));
    const selB = el("select", { id: "compare-b", "aria-label": "Scenario B" }, S.map((s, i) => el("option", { value: i, text: label(s) })));
    selB.value = String(Math.min(1, S.length - 1));
    const out = el("div");
    b.appendChild(el("div", { class: "controls" }, el("label", null, "A ", selA), el("label", null, "B ", selB)));
    b.appendChild(out);
    function diffRow(name, a, c, fmt, coverage) {
      const d = (c || 0) - (a || 0);
      return { name, a: fmt(a), b: fmt(c), d: (d > 0 ? "+" : "") + fmt(d), coverage };
    }
    function draw() {
      T.clear(out);
      const A = S[Number(selA.value)], B = S[Number(selB.value)];
      out.appendChild(el("p", null, "B minus A. A: ", el("strong", { text: A.name }), cfBadge(A), " — B: ", el("strong", { text: B.name }), cfBadge(B)));
      const cats = [...new Set([...Object.keys(A.demand_sources.basis_by_category), ...Object.keys(B.demand_sources.basis_by_category)])].sort();
      const coverage = cats.filter((c) => (A.demand_sources.basis_by_category[c] || []).join() !== (B.demand_sources.basis_by_category[c] || []).join());
      if (coverage.length) out.appendChild(el("p", { class: "note" }, el("span", { class: "badge cov", text: "data coverage" }),
        " The demand's basis differs between A and B for: " + coverage.map((c) => T.pretty(c) + " (A " + ((A.demand_sources.basis_by_category[c] || []).join("/") || "none") + ", B " + ((B.demand_sources.basis_by_category[c] || []).join("/") || "none") + ")").join("; ") + ". Differences in these categories come partly from what the data covers, not only from the network."));
      const rows = [
        diffRow("demand, t/yr", A.meta.demand_t, B.meta.demand_t, T.num),
        diffRow("served, t/yr", A.meta.served_t, B.meta.served_t, T.num),
        diffRow("unmet, t/yr", A.meta.unmet_t, B.meta.unmet_t, T.num),
        diffRow("unmet persons/yr", A.meta.unmet_persons, B.meta.unmet_persons, T.num),
        diffRow("total cost, USD/yr", A.meta.objective_usd, B.meta.objective_usd, T.num),
        diffRow("screening findings", A.meta.findings, B.meta.findings, T.num)];
      for (const c of cats) {
        const sum = (s, key) => s.demand.filter((d) => d.category === c).reduce((x, d) => x + (d[key] || 0), 0);
        const un = (s) => s.unmet.filter((u) => u.category === c).reduce((x, u) => x + (u.unmet || 0), 0);
        rows.push(diffRow("demand: " + T.pretty(c), sum(A, "quantity"), sum(B, "quantity"), T.num, coverage.includes(c)));
        rows.push(diffRow("unmet: " + T.pretty(c), un(A), un(B), T.num, coverage.includes(c)));
      }
      const fids = [...new Set([...A.facilities, ...B.facilities].map((u) => u.facility_id))];
      for (const id of fids) {
        const a = (A.facilities.find((u) => u.facility_id === id) || {}).throughput_t_yr || 0;
        const c = (B.facilities.find((u) => u.facility_id === id) || {}).throughput_t_yr || 0;
        if (a || c) rows.push(diffRow("throughput: " + elementName(id), a, c, T.num));
      }
      out.appendChild(table([{ key: "name", label: "measure" }, { key: "a", label: "A", num: true }, { key: "b", label: "B", num: true },
        { key: "d", label: "B − A", num: true }, { label: "", fmt: (r) => (r.coverage ? el("span", { class: "badge cov", text: "data coverage" }) : "") }], rows,
        (r) => (r.coverage ? "coverage" : null)));
    }
    selA.addEventListener("change", draw); selB.addEventListener("change", draw);
    draw();
  })();

  /* ---- Ledger ---- */
  (() => {
    const b = body("ledger");
    b.appendChild(table([{ key: "date", label: "date" }, { label: "kind", fmt: (r) => T.pretty(r.kind) },
      { label: "what", fmt: (r) => elementName(r.target_id) }, { key: "description", label: "description" },
      { label: "sources", fmt: (r) => el("span", null, sourceButtons(r.source), el("span", { class: "muted", text: " " + r.confidence })) },
      { label: "", fmt: (r) => el("button", { text: "show on map", onclick: () => { state.dateIndex = dateIndexOf(r.date); slider.value = state.dateIndex; redraw(); document.getElementById("map").scrollIntoView(); } }) }],
      D.ledger.events));
  })();

  /* ---- Sources ---- */
  const srcBody = body("sources");
  const filter = el("input", { id: "source-filter", type: "search", placeholder: "filter sources (id or words)", "aria-label": "Filter sources" });
  srcBody.appendChild(el("div", { class: "controls" }, filter, el("button", { text: "show all", onclick: () => { filter.value = ""; applyFilter(); } })));
  const srcRows = [];
  const srcTable = el("table", { class: "data", id: "sources-table" }, el("thead", null, el("tr", null,
    ["id", "kind", "title", "publisher", "published", "address", "disputes"].map((h) => el("th", { text: h })))));
  const tbody = el("tbody");
  for (const [id, s] of Object.entries(D.sources)) {
    const dis = D.conflicts.filter((c) => String(c.source).split(";").includes(id));
    const tr = el("tr", { class: "source-row", "data-source-row": id },
      el("td", { text: id }), el("td", { text: s.kind }), el("td", { class: "source-title", text: s.title }),
      el("td", { text: s.publisher }), el("td", { text: s.published }), el("td", null, T.safeLink(s.url)),
      el("td", { text: dis.map((c) => c.table + " " + c.id + " " + c.field + " = " + c.value + (c.chosen ? " (chosen)" : "") + ": " + c.reason).join("; ") }));
    tr.dataset.search = (id + " " + s.title + " " + s.publisher + " " + s.notes).toLowerCase();
    srcRows.push(tr);
    tbody.appendChild(tr);
  }
  srcTable.appendChild(tbody);
  srcBody.appendChild(srcTable);
  srcBody.appendChild(el("h3", { text: "Disputes (conflicts.csv)" }));
  srcBody.appendChild(table([{ key: "table", label: "table" }, { label: "what", fmt: (r) => elementName(r.id) }, { key: "field", label: "field" },
    { key: "value", label: "value" }, { label: "source", fmt: (r) => sourceButtons(r.source) }, { label: "chosen", fmt: (r) => (r.chosen ? "chosen" : "") },
    { key: "reason", label: "why" }], D.conflicts));
  let only = null;
  function applyFilter() {
    const q = filter.value.trim().toLowerCase();
    for (const tr of srcRows) {
      const id = tr.getAttribute("data-source-row");
      const hit = only ? only.includes(id) : (!q || tr.dataset.search.includes(q));
      tr.hidden = !hit;
      tr.classList.toggle("hl", !!only && hit);
    }
    only = null;
  }
  filter.addEventListener("input", applyFilter);
  function showSources(ids) {
    only = ids;
    filter.value = ids.join(" ");
    applyFilter();
    document.getElementById("sources").scrollIntoView();
  }

  /* First draw: the first scenario on its own date. */
  state.dateIndex = dateIndexOf(S[0].date);
  slider.value = state.dateIndex;
  redraw();
  listeners.forEach((fn) => fn());
  /* "Drawn" once the browser has laid out and painted the first frame of all this. */
  requestAnimationFrame(() => setTimeout(() => {
    document.body.setAttribute("data-drawn-ms", String(Math.round(performance.now())));
    document.body.setAttribute("data-drawn", "true");
  }, 0));
})();
