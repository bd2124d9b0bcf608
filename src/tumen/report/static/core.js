/* Tumen offline pages: shared helpers. Text from data is only ever set with textContent
   or as an attribute value; nothing here parses data as markup. */
"use strict";
const T = (() => {
  const SVGNS = "http://www.w3.org/2000/svg";

  function setAttrs(node, attrs) {
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = String(value);
      else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, String(value));
    }
  }
  function append(node, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  /** An HTML element; strings among the children become text nodes. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    setAttrs(node, attrs);
    return append(node, children);
  }
  /** An SVG element. */
  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVGNS, tag);
    setAttrs(node, attrs);
    return append(node, children);
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  /** A link only for http(s) addresses; anything else is shown as text. */
  function safeLink(url, label) {
    const text = String(url || "");
    if (/^https?:\/\//i.test(text)) return el("a", { href: text, target: "_blank", rel: "noopener noreferrer", text: label || text });
    return document.createTextNode(text);
  }

  const nf = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });
  const nf2 = new Intl.NumberFormat("en", { maximumFractionDigits: 2 });
  function num(v, digits) {
    if (v === null || v === undefined || Number.isNaN(v)) return "–";
    if (digits === 2 || (Math.abs(v) < 10 && v !== 0 && digits === undefined)) return nf2.format(v);
    return nf.format(v);
  }
  function tonnes(t) {
    if (t === null || t === undefined) return "–";
    if (Math.abs(t) >= 1e6) return nf2.format(t / 1e6) + " Mt/yr";
    if (Math.abs(t) >= 1e3) return nf2.format(t / 1e3) + " kt/yr";
    return nf.format(t) + " t/yr";
  }
  function pct(u) { return (u === null || u === undefined) ? "–" : Math.round(u * 100) + " %"; }
  function usd(v) { return (v === null || v === undefined) ? "–" : nf2.format(v) + " USD"; }
  function pretty(id) { return String(id || "").replace(/_/g, " "); }

  /* One tooltip for the page: lines of [label, value] or plain strings. */
  const tipNode = () => document.getElementById("tooltip");
  function tip(evt, title, lines) {
    const node = tipNode();
    if (!node) return;
    clear(node);
    node.appendChild(el("div", { class: "t-title", text: title }));
    for (const line of lines || []) {
      if (Array.isArray(line)) node.appendChild(el("div", null, el("span", { class: "muted", text: line[0] + ": " }), String(line[1])));
      else node.appendChild(el("div", { text: line }));
    }
    node.hidden = false;
    const x = Math.min(evt.clientX + 14, window.innerWidth - 370);
    const y = Math.min(evt.clientY + 14, window.innerHeight - node.offsetHeight - 8);
    node.style.left = x + "px";
    node.style.top = Math.max(4, y) + "px";
  }
  function untip() { const node = tipNode(); if (node) node.hidden = true; }
  function hover(node, title, linesFn) {
    node.addEventListener("mousemove", (e) => tip(e, typeof title === "function" ? title() : title, linesFn()));
    node.addEventListener("mouseleave", untip);
    return node;
  }

  /** A table: columns [{key, label, num, fmt(row) -> string|Node}], rows of objects. */
  function table(columns, rows, rowClass) {
    const head = el("tr", null, columns.map((c) => el("th", { class: c.num ? "num" : null, text: c.label })));
    const body = rows.map((r) => el("tr", { class: rowClass ? rowClass(r) : null }, columns.map((c) => {
      const v = c.fmt ? c.fmt(r) : r[c.key];
      return el("td", { class: c.num ? "num" : (c.cls ? c.cls(r) : null) }, v instanceof Node ? v : (v === null || v === undefined ? "–" : String(v)));
    })));
    return el("table", { class: "data" }, el("thead", null, head), el("tbody", null, body));
  }

  /** The page's data: the JSON element with id "tumen-data". */
  function data() { return JSON.parse(document.getElementById("tumen-data").textContent); }
  /** The body <div> of a section made by the page builder. */
  function body(id) { return document.querySelector("#" + id + " > .body"); }

  const palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
    "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173"];
  function colorOf(key, keys) { const i = keys.indexOf(key); return palette[(i < 0 ? 0 : i) % palette.length]; }
  /** Utilisation 0..1+ to a colour: green, amber, red; grey when unknown. */
  function utilColor(u) {
    if (u === null || u === undefined) return "#b0b6bf";
    if (u >= 0.999) return "#c62828";
    if (u >= 0.8) return "#ef6c00";
    if (u >= 0.5) return "#f9a825";
    return "#2e7d32";
  }
  return { el, svg, clear, safeLink, num, tonnes, pct, usd, pretty, tip, untip, hover, table, data, body,
    palette, colorOf, utilColor, SVGNS };
})();
