"""An offline HTML page of a screening result: counts, the rows that matter, the measures.

Self-contained: one file, inline style, no script, nothing fetched. Every piece of text
from the data (shipment cells, reasons, measure notes, source titles and addresses) goes
through the report package's escaping (:func:`tumen.report.escape_text`); a link is made
only from an ``http(s)`` address. The page itself is built here: the report package's page
builder inlines its scripts and charts, and this page has no script.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from tumen._atomic import write_file_atomically
from tumen.report._escape import escape_text
from tumen.screening._report import Summary

__all__ = ["render_html", "write_html"]

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;max-width:80rem;color:#222}
table{border-collapse:collapse;margin:0.5rem 0 1.5rem}
th,td{border:1px solid #ccc;padding:0.25rem 0.5rem;vertical-align:top;text-align:left}
th{background:#f3f3f3}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.prohibited,.cap_exceeded{color:#a00;font-weight:bold}
.needs_review{color:#8a6d00}
.within_cap{color:#006b8a}.exempt{color:#2a7a2a}.not_covered{color:#777}
.note{color:#555;font-style:italic}
"""
_ROW_COLUMNS = (
    "row",
    "date",
    "period",
    "origin",
    "destination",
    "reporter",
    "partner",
    "flow",
    "transit",
    "commodity",
    "hs",
    "quantity",
    "unit",
    "value_usd",
    "verdict",
    "measures",
    "reason",
    "conditions",
)


def _e(value: object) -> str:
    """Escape any value for HTML text or an attribute (empty for NaN/None/NaT)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    if isinstance(value, pd.Timestamp):
        return escape_text(value.date())
    return escape_text(value)


def _link(url: object, text: object) -> str:
    u = "" if url is None or (isinstance(url, float) and url != url) else str(url).strip()
    if u.lower().startswith(("http://", "https://")):
        return f'<a href="{_e(u)}">{_e(text)}</a>'
    return _e(text)


def _table(head: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    out = ["<table><thead><tr>"]
    out += [f"<th>{_e(h)}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    for r in rows:
        out.append("<tr>" + "".join(r) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def render_html(
    summary: Summary,
    measures: pd.DataFrame,
    sources: pd.DataFrame,
    title: str = "Screening result",
    source_name: str = "",
) -> str:
    """Return the page as text.

    Parameters
    ----------
    summary : Summary
        From :func:`summarise` or :func:`screen_file`.
    measures : pandas.DataFrame
        The measures table (for each cited measure's text and sources).
    sources : pandas.DataFrame
        ``sources.csv`` (``source_id``, ``title``, ``publisher``, ``url``).
    title : str
        Page title.
    source_name : str
        The screened table's name, shown at the top.

    Returns
    -------
    str
        A complete HTML document.
    """
    total = sum(summary.counts.values())
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f"<p>{_e(f'{total:,} rows')} from <code>{_e(source_name)}</code>; regime "
        f"<code>{_e(summary.regime)}</code>.</p>",
        '<p class="note">Screening reports which UN Security Council measures cover each '
        "flow and why; it never proposes a way around a measure. It is not legal advice.</p>",
        "<h2>Verdicts</h2>",
        _table(
            ("verdict", "rows"),
            (
                (f'<td class="{_e(v)}">{_e(v)}</td>', f'<td class="n">{c:,}</td>')
                for v, c in summary.counts.items()
            ),
        ),
    ]
    att = summary.attention
    shown_total = sum(
        summary.counts.get(v, 0) for v in ("prohibited", "cap_exceeded", "needs_review")
    )
    parts.append(f"<h2>Rows that matter ({shown_total:,})</h2>")
    if len(att):
        if len(att) < shown_total:
            parts.append(
                f'<p class="note">The first {len(att):,} are shown, most severe '
                "first; the result file holds every row.</p>"
            )
        cols = [c for c in _ROW_COLUMNS if c in att.columns]
        rows = []
        for rec in att[cols].to_dict("records"):
            cells = []
            for c in cols:
                cls = (
                    f' class="{_e(rec["verdict"])}"'
                    if c == "verdict"
                    else (' class="n"' if c in ("row", "quantity", "value_usd") else "")
                )
                cells.append(f"<td{cls}>{_e(rec[c])}</td>")
            rows.append(cells)
        parts.append(_table(cols, rows))
    else:
        parts.append("<p>None.</p>")
    parts.append("<h2>Measures cited</h2>")
    if summary.measures:
        src = sources.set_index("source_id") if "source_id" in sources.columns else sources
        by_cite = measures.groupby("citation", sort=False)
        for cite, count in summary.measures.items():
            parts.append(f"<h3>{_e(cite)} <small>({count:,} rows)</small></h3>")
            if cite not in by_cite.groups:
                continue
            for rec in by_cite.get_group(cite).to_dict("records"):
                until = _e(rec.get("applies_until")) or "in force"
                goods = "; ".join(
                    x for x in (rec.get("goods_hs", ""), rec.get("goods_commodities", "")) if x
                )
                parts.append(
                    f"<p><b>{_e(rec['measure_id'])}</b>: {_e(rec['kind'])}, "
                    f"{_e(rec['direction'])}, {_e(rec['applies_from'])} to {until}; "
                    f"goods {_e(goods or 'any')}.</p><p>{_e(rec.get('notes', ''))}</p>"
                )
                items = []
                for sid in [s for s in str(rec.get("source", "")).split(";") if s]:
                    if sid in src.index:
                        s = src.loc[sid]
                        items.append(
                            f"<li><code>{_e(sid)}</code>: "
                            f"{_link(s.get('url'), s.get('title', sid))}</li>"
                        )
                    else:
                        items.append(f"<li><code>{_e(sid)}</code></li>")
                parts.append("<p>Sources:</p><ul>" + "".join(items) + "</ul>")
    else:
        parts.append("<p>None.</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_html(
    path: str | Path,
    summary: Summary,
    measures: pd.DataFrame,
    sources: pd.DataFrame,
    title: str = "Screening result",
    source_name: str = "",
) -> Path:
    """Write :func:`render_html`'s page atomically; return the path."""
    page = render_html(summary, measures, sources, title, source_name)
    return write_file_atomically(Path(path), lambda tmp: tmp.write_text(page, encoding="utf-8"))
