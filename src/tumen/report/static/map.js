/* Tumen report: the map. Base layers are SVG paths in map units; the overlay (links,
   facilities, places, names) is redrawn for each scenario, date and zoom. */
"use strict";
const M = (() => {
  const { svg, el } = T;
  const MODE_COLORS = { rail: "#6a3d9a", road: "#e66101", sea: "#0571b0", ferry: "#1b9e77" };

  function create(container, D, onSelect) {
    const geo = D.map;
    const places = Object.fromEntries(D.places.map((p) => [p.id, p]));
    const links = Object.fromEntries(D.links.map((l) => [l.id, l]));
    const facByPlace = {};
    for (const f of D.facilities) (facByPlace[f.place] = facByPlace[f.place] || []).push(f);
    let vb = geo.views.tumen.slice();
    const root = svg("svg", { class: "map", viewBox: vb.join(" "), preserveAspectRatio: "xMidYMid meet",
      "aria-label": "Map of the Tumen corridor" });
    const r0 = geo.views.detail, r1 = geo.views.region;
    const base = svg("g", { class: "base" },
      svg("rect", { class: "sea", x: r1[0], y: r1[1], width: r1[2], height: r1[3] }),
      svg("path", { class: "land context", d: geo.context }),
      svg("rect", { class: "sea", x: r0[0], y: r0[1], width: r0[2], height: r0[3] }),
      svg("path", { class: "land", d: geo.land }),
      svg("path", { class: "water", d: geo.water }),
      svg("path", { class: "border", d: geo.borders }),
      svg("path", { class: "river", d: geo.rivers }));
    const overlay = svg("g", { class: "overlay" });
    root.appendChild(base);
    root.appendChild(overlay);
    container.appendChild(root);
    let current = null;

    function unitsPerPx() {
      const w = root.clientWidth || 800, h = root.clientHeight || 600;
      return Math.max(vb[2] / w, vb[3] / h);
    }
    function setView(box) { vb = box.slice(); root.setAttribute("viewBox", vb.join(" ")); if (current) draw(current); }

    /* Pan and zoom. */
    root.addEventListener("wheel", (e) => {
      e.preventDefault();
      const r = root.getBoundingClientRect(), k = unitsPerPx();
      const cx = vb[0] + vb[2] / 2 + (e.clientX - r.left - r.width / 2) * k;
      const cy = vb[1] + vb[3] / 2 + (e.clientY - r.top - r.height / 2) * k;
      const f = e.deltaY > 0 ? 1.25 : 0.8;
      const w = Math.min(Math.max(vb[2] * f, 500), geo.width * 1.2), h = vb[3] * w / vb[2];
      setView([cx - (cx - vb[0]) * w / vb[2], cy - (cy - vb[1]) * h / vb[3], w, h]);
    }, { passive: false });
    let drag = null;
    root.addEventListener("pointerdown", (e) => { drag = { x: e.clientX, y: e.clientY, vb: vb.slice() }; });
    window.addEventListener("pointerup", () => { drag = null; });
    root.addEventListener("pointermove", (e) => {
      if (!drag || !(e.buttons & 1)) return;
      const k = unitsPerPx();
      const dx = (e.clientX - drag.x) * k, dy = (e.clientY - drag.y) * k;
      if (Math.abs(dx) + Math.abs(dy) < 2 * k) return;
      vb = [drag.vb[0] - dx, drag.vb[1] - dy, vb[2], vb[3]];
      root.setAttribute("viewBox", vb.join(" "));
    });

    function stateOf(kind, id, dateIndex) {
      const changes = (D.ledger[kind] || {})[id];
      if (!changes) return null;
      let s = null;
      for (const c of changes) { if (c[0] <= dateIndex) s = c; else break; }
      return s ? { status: s[1], open: s[2], capacity: s[3], unit: s[4] } : { status: "not yet", open: false };
    }

    function draw(state) {
      current = state;
      const k = unitsPerPx();
      T.clear(overlay);
      const sc = state.scenario;
      const flows = sc ? sc.links : {};
      const maxT = state.maxT || 1;
      const comKeys = state.commodities || [];
      const ids = new Set(D.links.map((l) => l.id));
      for (const id of Object.keys(flows)) ids.add(id);
      /* Parallel links between the same two places are drawn as curves side by side. */
      const pairs = {};
      const geom = {};
      for (const id of ids) {
        const l = links[id] || flows[id];
        const a = places[l.from], b = places[l.to];
        if (!a || !b) continue;
        const key = [l.from, l.to].sort().join("|");
        (pairs[key] = pairs[key] || []).push(id);
        geom[id] = { a, b, l };
      }
      /* Zones under the links: an outline around their places, solid while in force. */
      const gZones = svg("g", { class: "zones" });
      for (const z of D.zones || []) {
        if (!z.d) continue;
        const st = stateOf("zones", z.id, state.dateIndex);
        const open = st ? st.open : false;
        const shape = svg("path", { class: "zone" + (open ? " open" : " inactive"), d: z.d, "data-zone": z.id });
        T.hover(shape, z.name, () => zoneLines(z, st));
        gZones.appendChild(shape);
        gZones.appendChild(svg("text", { class: "zone-label", x: z.label[0], y: z.label[1],
          style: `font-size:${11 * k}px;stroke-width:${3 * k}px`, text: z.name }));
      }
      overlay.appendChild(gZones);
      const gLinks = svg("g", { class: "links" });
      for (const group of Object.values(pairs)) {
        group.sort();
        group.forEach((id, i) => {
          const { a, b, l } = geom[id];
          const off = (i - (group.length - 1) / 2) * 9 * k;
          const [p, q] = a.id < b.id ? [a, b] : [b, a];
          const dx = q.x - p.x, dy = q.y - p.y, len = Math.hypot(dx, dy) || 1;
          const mx = (p.x + q.x) / 2 - dy / len * off * 2, my = (p.y + q.y) / 2 + dx / len * off * 2;
          /* A sea leg follows its route over water; it is stored from l.from to l.to. */
          const d = (links[id] && links[id].path)
            ? "M" + links[id].path.map((pt) => pt[0] + " " + pt[1]).join("L")
            : `M${a.x} ${a.y}Q${mx} ${my} ${b.x} ${b.y}`;
          const f = flows[id];
          const st = links[id] ? stateOf("links", id, state.dateIndex) : { status: "added by scenario", open: true };
          const t = f ? f.t : 0, persons = f ? f.persons : 0;
          const width = t > 0 ? 1.5 + 14 * Math.sqrt(t / maxT) : (persons > 0 ? 2.5 : 1.2);
          let color = MODE_COLORS[l.mode] || "#555";
          if (state.colorBy === "commodity" && f && Object.keys(f.by).length) {
            const top = Object.entries(f.by).sort((x, y) => y[1] - x[1])[0][0];
            color = T.colorOf(top, comKeys);
          }
          const cls = "link" + (t > 0 || persons > 0 ? "" : " idle") + (st && !st.open ? " closed" : "");
          const path = svg("path", { class: cls, d, stroke: color, "stroke-width": width, "data-link": id,
            "data-flow": Math.round(t) });
          const hit = svg("path", { class: "link hit", d, "data-link-hit": id, "stroke-width": Math.max(width, 10) });
          T.hover(hit, (links[id] && links[id].name) || id, () => linkLines(id, l, f, st));
          hit.addEventListener("click", () => onSelect({ type: "link", id }));
          gLinks.appendChild(path);
          gLinks.appendChild(hit);
        });
      }
      overlay.appendChild(gLinks);
      /* Places, then facilities around them, then names. */
      const gPlaces = svg("g", { class: "places" }), gFac = svg("g", { class: "facilities" }), gText = svg("g", { class: "labels" });
      const facUse = {};
      if (sc) for (const u of sc.facilities) facUse[u.facility_id] = u;
      const binding = {};
      if (state.sweep && state.sweep.binding) for (const b of state.sweep.binding) binding[b.element_id] = b.p_binding;
      for (const p of D.places) {
        const c = svg("circle", { class: "place", cx: p.x, cy: p.y, r: 3.2 * k, "stroke-width": 1, "data-place": p.id });
        T.hover(c, p.name, () => placeLines(p));
        c.addEventListener("click", () => onSelect({ type: "place", id: p.id }));
        gPlaces.appendChild(c);
        const facs = facByPlace[p.id] || [];
        facs.forEach((f, i) => {
          const ang = (i / Math.max(facs.length, 1)) * 2 * Math.PI - Math.PI / 2;
          const r0 = facs.length > 1 ? 9 * k : 0;
          const x = p.x + Math.cos(ang) * r0, y = p.y + Math.sin(ang) * r0;
          const st = stateOf("facilities", f.id, state.dateIndex);
          const use = facUse[f.id];
          const open = st ? st.open : true;
          const fill = open ? T.utilColor(use ? use.utilisation : null) : "#ffffff";
          const s = 6.5 * k;
          const shape = f.kind === "border_crossing"
            ? svg("path", { d: `M${x} ${y - s}L${x + s} ${y}L${x} ${y + s}L${x - s} ${y}Z` })
            : (f.kind === "port" ? svg("rect", { x: x - s * 0.8, y: y - s * 0.8, width: s * 1.6, height: s * 1.6 })
              : svg("circle", { cx: x, cy: y, r: s * 0.8 }));
          shape.setAttribute("class", "facility" + (open ? "" : " closed"));
          shape.setAttribute("fill", fill);
          shape.setAttribute("stroke-width", open ? 1 : 1.5);
          if (!open) shape.setAttribute("stroke-dasharray", "2 2");
          shape.setAttribute("data-facility", f.id);
          shape.setAttribute("data-util", use && use.utilisation !== null ? use.utilisation.toFixed(3) : "");
          T.hover(shape, f.name, () => facilityLines(f, use, st, binding[f.id]));
          shape.addEventListener("click", () => onSelect({ type: "facility", id: f.id }));
          if (binding[f.id] !== undefined) {
            gFac.appendChild(svg("circle", { class: "binding-ring", cx: x, cy: y, r: s * 1.7, fill: "none",
              stroke: "#c62828", "stroke-width": 1 + 4 * binding[f.id], "vector-effect": "non-scaling-stroke" }));
          }
          gFac.appendChild(shape);
        });
        gText.appendChild(svg("text", { class: "label", x: p.x + 6 * k, y: p.y - 6 * k, style: `font-size:${12 * k}px;stroke-width:${3 * k}px`, text: p.name }));
      }
      overlay.appendChild(gPlaces);
      overlay.appendChild(gFac);
      overlay.appendChild(gText);
    }

    function srcLine(src, field) {
      const s = src && (src[field] || src.row);
      return s ? (s[0].join(", ") + " (" + s[1] + ")") : "–";
    }
    function linkLines(id, l, f, st) {
      const meta = links[id];
      const lines = [["mode", l.mode + (meta && meta.gauge ? " " + meta.gauge : "")]];
      if (meta) {
        lines.push(["length", T.num(meta.length_km) + " km"]);
        if (meta.water_km) lines.push(["drawn route over water", T.num(meta.water_km) + " km"]);
        if (meta.capacity !== null) lines.push(["capacity (data)", T.num(meta.capacity) + " " + meta.capacity_unit]);
      }
      if (st) lines.push(["status on " + D.ledger.dates[current.dateIndex], st.status + (st.open ? "" : " (closed)")]);
      if (f) {
        lines.push(["flow", T.tonnes(f.t) + (f.persons ? ", " + T.num(f.persons) + " persons/yr" : "")]);
        for (const [c, v] of Object.entries(f.by).sort((a, b) => b[1] - a[1]).slice(0, 6)) lines.push(["  " + T.pretty(c), T.num(v)]);
        if (f.utilisation !== null) lines.push(["utilisation", T.pct(f.utilisation) + " of " + T.tonnes(f.capacity_t_yr)]);
      } else lines.push(["flow", "none in this scenario"]);
      if (meta) lines.push(["sources", srcLine(meta.src, "capacity")]);
      lines.push("click for details and sources");
      return lines;
    }
    function zoneLines(z, st) {
      return [["kind", T.pretty(z.kind)], ["countries", z.countries],
        ["status on " + D.ledger.dates[current.dateIndex], st ? st.status : "–"],
        ["places", z.places.map((id) => (places[id] ? places[id].name : id)).join(", ")],
        ["sources", srcLine(z.src, "row")]];
    }
    function placeLines(p) {
      return [["country", p.country], ["kind", T.pretty(p.kind)],
        ["names", Object.entries(p.names).filter(([k]) => k !== "en").map(([, v]) => v).join(" · ")],
        ["coordinates", p.lat + ", " + p.lon], ["sources", srcLine(p.src, "lon")], "click for details and sources"];
    }
    function facilityLines(f, use, st, pBinding) {
      const lines = [["kind", T.pretty(f.kind) + (f.cargo_class ? ", " + f.cargo_class : "")]];
      if (st) lines.push(["status on " + D.ledger.dates[current.dateIndex], st.status + (st.open ? "" : " (closed)")]);
      if (use) {
        lines.push(["throughput", T.tonnes(use.throughput_t_yr)]);
        lines.push(["capacity", T.tonnes(use.capacity_t_yr)]);
        lines.push(["utilisation", T.pct(use.utilisation)]);
      }
      if (pBinding !== undefined) lines.push(["P(binding), sweep", T.pct(pBinding)]);
      lines.push(["sources", srcLine(f.src, "capacity")]);
      lines.push("click for details and sources");
      return lines;
    }
    return { root, draw, setView, MODE_COLORS };
  }
  return { create, MODE_COLORS };
})();
