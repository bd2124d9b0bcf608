/* Tumen offline pages: small SVG charts (bars, lines, fans). Labels are SVG text nodes. */
"use strict";
const C = (() => {
  const { svg, el } = T;
  function niceMax(v) {
    if (!(v > 0)) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
    return 10 * p;
  }
  /** A round step near span/n: 1, 2 or 5 times a power of ten. */
  function niceStep(span, n) {
    const raw = span / n;
    if (!(raw > 0)) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
    return 10 * p;
  }
  /** Ticks from lo to hi (hi rounded up to a whole step). */
  function ticks(hi, n, lo) {
    lo = lo || 0;
    const step = niceStep(hi - lo, n), out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.round(v / step) * step);
    return out;
  }
  function roundUp(v, n) { const step = niceStep(v, n || 4); return Math.ceil(v / step) * step || 1; }
  function shortNum(v) {
    const a = Math.abs(v);
    if (a >= 1e9) return (v / 1e9).toFixed(a >= 1e10 ? 0 : 1) + "G";
    if (a >= 1e6) return (v / 1e6).toFixed(a >= 1e7 ? 0 : 1) + "M";
    if (a >= 1e3) return (v / 1e3).toFixed(a >= 1e4 ? 0 : 1) + "k";
    return String(Math.round(v * 100) / 100);
  }
  function legend(items) {
    return el("div", { class: "legend" }, items.map((it) => el("span", null,
      el("span", { class: "sw", style: "background:" + it.color }), it.name)));
  }
  function wrap(container, title, chartClass) {
    const box = el("div", { class: "chart " + (chartClass || "") });
    if (title) box.appendChild(el("h3", { text: title }));
    container.appendChild(box);
    return box;
  }

  /**
   * Horizontal bars. opts: {title, categories: [label], series: [{name, color, values: [v]}],
   * stacked, unit, fmt(v), tipLines(ci, si) -> lines, cls}
   */
  function bars(container, opts) {
    const box = wrap(container, opts.title, opts.cls);
    const cats = opts.categories;
    const series = opts.series;
    if (!cats.length || !series.length) { box.appendChild(el("p", { class: "empty", text: opts.empty || "Nothing to show." })); return box; }
    const fmt = opts.fmt || shortNum;
    const labelW = 250, W = 700, barH = opts.stacked ? 16 : Math.max(6, Math.min(14, 36 / series.length));
    const rowH = opts.stacked ? 22 : barH * series.length + 8;
    const H = cats.length * rowH + 30;
    let max = 0;
    cats.forEach((_, ci) => {
      if (opts.stacked) max = Math.max(max, series.reduce((s, se) => s + Math.max(0, se.values[ci] || 0), 0));
      else series.forEach((se) => { max = Math.max(max, se.values[ci] || 0); });
    });
    max = roundUp(max, 4);
    const plotW = W - labelW - 20;
    const x = (v) => labelW + plotW * v / max;
    const root = svg("svg", { class: "chart-svg bars", viewBox: `0 0 ${W} ${H}`, role: "img" });
    for (const t of ticks(max, 4)) {
      root.appendChild(svg("line", { class: "grid", x1: x(t), x2: x(t), y1: 0, y2: H - 24 }));
      root.appendChild(svg("text", { x: x(t), y: H - 10, "text-anchor": "middle", text: fmt(t) }));
    }
    cats.forEach((cat, ci) => {
      const y0 = ci * rowH + 4;
      root.appendChild(svg("text", { x: labelW - 6, y: y0 + (opts.stacked ? barH : barH * series.length) / 2 + 4,
        "text-anchor": "end", text: cat.length > 38 ? cat.slice(0, 37) + "…" : cat }, svg("title", { text: cat })));
      let acc = 0;
      series.forEach((se, si) => {
        const v = se.values[ci];
        if (v === null || v === undefined) return;
        const w = Math.max(0, x(Math.max(0, v)) - labelW);
        const rx = opts.stacked ? x(acc) : labelW;
        const ry = opts.stacked ? y0 : y0 + si * barH;
        const r = svg("rect", { class: "bar", x: rx, y: ry, width: Math.max(w, v > 0 ? 1 : 0), height: barH - 1,
          fill: se.color, "data-series": se.name, "data-category": cat });
        T.hover(r, cat, () => (opts.tipLines ? opts.tipLines(ci, si) : [[se.name, fmt(v) + (opts.unit ? " " + opts.unit : "")]]));
        root.appendChild(r);
        if (opts.stacked) acc += Math.max(0, v);
      });
    });
    box.appendChild(root);
    if (series.length > 1 || opts.legend) box.appendChild(legend(series));
    return box;
  }

  /**
   * Lines over a numeric x. opts: {title, xLabel, yLabel, series: [{name, color, points: [{x, y, label, kind}], dash}],
   * xFmt, yFmt, markers: true, cls}
   */
  function lines(container, opts) {
    const box = wrap(container, opts.title, opts.cls);
    const series = opts.series.filter((s) => s.points.length);
    if (!series.length) { box.appendChild(el("p", { class: "empty", text: opts.empty || "Nothing to show." })); return box; }
    const W = 640, H = 300, L = 64, R = 16, TOP = 10, B = 40;
    let xmin = Infinity, xmax = -Infinity, ymax = 0, ymin = 0;
    for (const s of series) for (const p of s.points) {
      xmin = Math.min(xmin, p.x); xmax = Math.max(xmax, p.x);
      ymax = Math.max(ymax, p.y); if (opts.yFromMin) ymin = Math.min(ymin, p.y);
    }
    if (opts.xMin !== undefined) xmin = Math.min(xmin, opts.xMin);
    if (xmax === xmin) { xmax = xmin + 1; xmin -= 1; }
    ymax = roundUp(ymax, 4);
    const xs = (v) => L + (W - L - R) * (v - xmin) / (xmax - xmin);
    const ys = (v) => TOP + (H - TOP - B) * (1 - (v - ymin) / (ymax - ymin));
    const xFmt = opts.xFmt || shortNum, yFmt = opts.yFmt || shortNum;
    const root = svg("svg", { class: "chart-svg lines", viewBox: `0 0 ${W} ${H}`, role: "img" });
    for (const t of ticks(ymax, 4)) {
      root.appendChild(svg("line", { class: "grid", x1: L, x2: W - R, y1: ys(t), y2: ys(t) }));
      root.appendChild(svg("text", { x: L - 6, y: ys(t) + 4, "text-anchor": "end", text: yFmt(t) }));
    }
    const xt = opts.xTicks || ticks(xmax, 5, xmin);
    for (const t of xt) root.appendChild(svg("text", { x: xs(t), y: H - B + 16, "text-anchor": "middle", text: xFmt(t) }));
    root.appendChild(svg("text", { x: (L + W - R) / 2, y: H - 6, "text-anchor": "middle", text: opts.xLabel || "" }));
    root.appendChild(svg("text", { x: 12, y: TOP + (H - B) / 2, "text-anchor": "middle",
      transform: `rotate(-90 12 ${TOP + (H - B) / 2})`, text: opts.yLabel || "" }));
    for (const s of series) {
      const d = s.points.map((p, i) => (i ? "L" : "M") + xs(p.x).toFixed(1) + " " + ys(p.y).toFixed(1)).join("");
      root.appendChild(svg("path", { class: "series", d, fill: "none", stroke: s.color, "stroke-width": 2,
        "stroke-dasharray": s.dash || null, "data-series": s.name }));
      if (opts.markers !== false) for (const p of s.points) {
        const step = p.kind && p.kind !== "place";
        const m = svg(step ? "rect" : "circle", step
          ? { class: "marker step " + p.kind, x: xs(p.x) - 3.5, y: ys(p.y) - 3.5, width: 7, height: 7, fill: "#fff", stroke: s.color }
          : { class: "marker", cx: xs(p.x), cy: ys(p.y), r: 3, fill: s.color });
        T.hover(m, p.label || s.name, () => (s.tip ? s.tip(p) : [[opts.xLabel || "x", xFmt(p.x)], [opts.yLabel || "y", yFmt(p.y)]]));
        root.appendChild(m);
      }
    }
    box.appendChild(root);
    if (series.length > 1 || opts.legend) box.appendChild(legend(series));
    return box;
  }

  /**
   * Fan chart of quantiles. opts: {title, points: [{x, q05, q25, q50, q75, q95}], unit, color}
   * x may be text (categories) or numbers.
   */
  function fan(container, opts) {
    const box = wrap(container, opts.title, "fan " + (opts.cls || ""));
    const pts = opts.points || [];
    if (!pts.length) { box.appendChild(el("p", { class: "empty", text: "No quantiles." })); return box; }
    const W = 640, H = 260, L = 64, R = 16, TOP = 10, B = 40;
    const numeric = pts.every((p) => typeof p.x === "number");
    const xsVals = numeric ? pts.map((p) => p.x) : pts.map((_, i) => i);
    let xmin = Math.min(...xsVals), xmax = Math.max(...xsVals);
    if (xmax === xmin) { xmin -= 0.5; xmax += 0.5; }
    const ymax = roundUp(Math.max(...pts.map((p) => p.q95 || 0)), 4);
    const xs = (i) => L + (W - L - R) * (xsVals[i] - xmin) / (xmax - xmin);
    const ys = (v) => TOP + (H - TOP - B) * (1 - v / ymax);
    const root = svg("svg", { class: "chart-svg fan", viewBox: `0 0 ${W} ${H}`, role: "img" });
    for (const t of ticks(ymax, 4)) {
      root.appendChild(svg("line", { class: "grid", x1: L, x2: W - R, y1: ys(t), y2: ys(t) }));
      root.appendChild(svg("text", { x: L - 6, y: ys(t) + 4, "text-anchor": "end", text: shortNum(t) }));
    }
    const band = (lo, hi, op) => {
      if (pts.length === 1) {
        const w = 40;
        root.appendChild(svg("rect", { class: "band", x: xs(0) - w / 2, y: ys(pts[0][hi]), width: w,
          height: Math.max(1, ys(pts[0][lo]) - ys(pts[0][hi])), fill: opts.color || "#1f77b4", "fill-opacity": op }));
        return;
      }
      const top = pts.map((p, i) => `${xs(i)} ${ys(p[hi])}`);
      const bottom = pts.map((p, i) => `${xs(i)} ${ys(p[lo])}`).reverse();
      root.appendChild(svg("path", { class: "band", d: "M" + top.join("L") + "L" + bottom.join("L") + "Z",
        fill: opts.color || "#1f77b4", "fill-opacity": op }));
    };
    band("q05", "q95", 0.2);
    band("q25", "q75", 0.35);
    const med = svg("path", { class: "median", fill: "none", stroke: opts.color || "#1f77b4", "stroke-width": 2,
      d: pts.map((p, i) => (i ? "L" : "M") + xs(i) + " " + ys(p.q50)).join("") + (pts.length === 1 ? `h1` : "") });
    root.appendChild(med);
    pts.forEach((p, i) => {
      root.appendChild(svg("text", { x: xs(i), y: H - B + 16, "text-anchor": "middle", text: String(p.x) }));
      const hit = svg("circle", { cx: xs(i), cy: ys(p.q50), r: 4, fill: opts.color || "#1f77b4" });
      T.hover(hit, String(p.x), () => ["q05", "q25", "q50", "q75", "q95"].map((q) => [q, shortNum(p[q]) + " " + (opts.unit || "")]));
      root.appendChild(hit);
    });
    box.appendChild(root);
    box.appendChild(el("div", { class: "legend", text: "median line; 50 % band (q25–q75) and 90 % band (q05–q95)" }));
    return box;
  }
  return { bars, lines, fan, legend, shortNum, niceMax };
})();
