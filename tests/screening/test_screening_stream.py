"""Large tables: chunks, caps over the whole table, Parquet in and out, the HTML page."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from screening_flows import flow, table
from typer.testing import CliRunner

from tumen.cli import app
from tumen.screening import build_rules, read_chunks, screen, screen_file


def _oil(day: str, bbl: int) -> dict[str, str]:
    return flow(
        date=day,
        origin="RU",
        destination="KP",
        commodity="diesel",
        quantity=str(bbl),
        unit="bbl",
        purpose="livelihood",
        notified_1718="true",
    )


def _mixed() -> pd.DataFrame:
    rows = []
    for i in range(60):
        rows.append(_oil(f"2019-{1 + i % 12:02d}-{1 + i % 27:02d}", 12_000))
        rows.append(flow(date=f"2018-{1 + i % 12:02d}-05", origin="KP", destination="CN"))
        rows.append(flow(date="2016-01-10", origin="CN", destination="RU", commodity="wheat"))
    return table(*rows)


def test_chunked_file_equals_the_whole_table_in_memory(tmp_path: Path) -> None:
    frame = _mixed()
    src = tmp_path / "flows.csv"
    frame.to_csv(src, index=False)
    whole = screen(frame)
    out = tmp_path / "out.parquet"
    summary = screen_file(src, out, build_rules(), chunk_rows=7, progress=False)
    got = pd.read_parquet(out)
    assert len(got) == len(frame)
    for col in ("verdict", "measures", "reason", "conditions", "screened_on"):
        assert got[col].tolist() == whole[col].astype(str).tolist(), col
    # The refined-products cap is a total over the whole table, across chunks.
    assert (got["verdict"] == "cap_exceeded").sum() == (whole["verdict"] == "cap_exceeded").sum()
    assert (whole["verdict"] == "cap_exceeded").sum() > 0
    assert summary.counts["cap_exceeded"] == (whole["verdict"] == "cap_exceeded").sum()
    assert sum(summary.counts.values()) == len(frame)


def test_parquet_in_and_csv_out(tmp_path: Path) -> None:
    frame = _mixed()
    src = tmp_path / "flows.parquet"
    frame.to_parquet(src, index=False)
    assert sum(len(c) for c in read_chunks(src, 50)) == len(frame)
    out = tmp_path / "out.csv"
    screen_file(src, out, build_rules(), chunk_rows=50, progress=False)
    got = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert got["verdict"].tolist() == screen(frame)["verdict"].tolist()


def test_errors_are_numbered_across_chunks(tmp_path: Path) -> None:
    frame = _mixed()
    frame.loc[100, "origin"] = "XX"
    src = tmp_path / "flows.csv"
    frame.to_csv(src, index=False)
    res = CliRunner().invoke(app, ["screen", str(src), "--out", str(tmp_path / "o.csv")])
    assert res.exit_code == 2
    assert "row 101" in res.output
    assert not (tmp_path / "o.csv").exists()


def test_html_page_is_offline_and_escaped(tmp_path: Path) -> None:
    frame = table(
        flow(
            date="2018-03-01",
            origin="KP",
            destination="CN",
            commodity="<script>alert(1)</script> coal",
        ),
        flow(date="2018-03-01", origin="KP", destination="CN"),
    )
    frame["note"] = ["<b>x</b>", "&"]
    src = tmp_path / "flows.csv"
    frame.to_csv(src, index=False)
    page = tmp_path / "page.html"
    res = CliRunner().invoke(
        app, ["screen", str(src), "--out", str(tmp_path / "o.csv"), "--html", str(page)]
    )
    assert res.exit_code == 0, res.output
    text = page.read_text(encoding="utf-8")
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "UNSCR 2371 para 8" in text
    assert "http" not in text.split("<body>")[0]  # nothing fetched: no external resource
    assert "<link" not in text and "src=" not in text
    # Rows that matter come before the measures; counts by verdict first of all.
    assert text.index("Verdicts") < text.index("Rows that matter") < text.index("Measures")


def test_chunks_read_a_users_csv_as_read_shipments_does(tmp_path: Path) -> None:
    frame = _mixed()
    frame.loc[4, "commodity"] = "уголь"
    whole = screen(frame)
    src = tmp_path / "flows.csv"
    text = frame.to_csv(index=False, sep=";")
    src.write_bytes(text.encode("cp1251"))
    out = tmp_path / "out.csv"
    screen_file(src, out, build_rules(), chunk_rows=11, progress=False, encoding="cp1251")
    got = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert got["verdict"].tolist() == whole["verdict"].tolist()
    assert got["commodity"].iloc[4] == "уголь"
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    chunks = list(read_chunks(bom, 50))
    assert chunks[0].columns[0] == "date"
    assert sum(len(c) for c in chunks) == len(frame)


def test_chunked_reader_gives_the_user_table_errors(tmp_path: Path) -> None:
    frame = _mixed()
    src = tmp_path / "flows.csv"
    src.write_bytes(frame.assign(commodity="уголь").to_csv(index=False).encode("cp1251"))
    res = CliRunner().invoke(app, ["screen", str(src), "--out", str(tmp_path / "o.csv")])
    assert res.exit_code == 2
    assert "the file is not UTF-8" in res.stderr and "--encoding cp1251" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    lines = frame.to_csv(index=False).splitlines()
    lines[150] = lines[150] + ",extra"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["screen", str(src), "--out", str(tmp_path / "o.csv")])
    assert res.exit_code == 2
    assert "row 150: expected" in res.stderr and "fields separated by ','" in res.stderr
    assert not (tmp_path / "o.csv").exists()
