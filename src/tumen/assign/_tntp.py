"""Readers for TNTP files (Transportation Networks for Research): net, trips, flow, README.

Format: https://github.com/bstabler/TransportationNetworks (metadata lines ``<KEY> value``
up to ``<END OF METADATA>``; ``~`` starts a comment; data rows end with ``;``).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from tumen.assign._classes import TrafficClass
from tumen.assign._network import Network
from tumen.errors import DataError, Problem

__all__ = ["read_tntp_flow", "read_tntp_net", "read_tntp_trips", "read_tntp_weights"]

_NET_FIELDS = (
    "init_node",
    "term_node",
    "capacity",
    "length",
    "free_flow_time",
    "b",
    "power",
    "speed",
    "toll",
    "link_type",
)
#: Most problems a reader lists (the message says how many more there were).
_MAX_PROBLEMS = 50
_PAIR = re.compile(r"(\S+)\s*:\s*([^;\s]+)\s*;?")
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise DataError(
            Problem(str(path), None, None, "a readable TNTP file", exc.strerror or str(exc))
        ) from None


def _metadata(path: Path, lines: list[str]) -> tuple[dict[str, str], int]:
    """Return the metadata and the index of the first line after it."""
    meta: dict[str, str] = {}
    for i, line in enumerate(lines):
        text = line.strip()
        if text.startswith("<END OF METADATA>"):
            return meta, i + 1
        m = re.match(r"<([^>]+)>\s*(.*)", text)
        if m:
            meta[m.group(1).strip().upper()] = m.group(2).strip()
    raise DataError(
        Problem(
            str(path),
            None,
            "<END OF METADATA>",
            "a metadata block ending with <END OF METADATA>",
            "none found",
        )
    )


def _first_data(lines: list[str], start: int) -> str:
    """Return the first data line after the metadata (comments and blanks skipped)."""
    for line in lines[start : start + 200]:
        text = line.split("~", 1)[0].strip()
        if text:
            return text
    return ""


def _looks_like(meta: dict[str, str], lines: list[str], start: int) -> str:
    """Guess what kind of TNTP file this is: ``"net"``, ``"trips"`` or ``"unknown"``."""
    first = _first_data(lines, start).lower()
    if "TOTAL OD FLOW" in meta or first.startswith("origin"):
        return "trips"
    if "NUMBER OF LINKS" in meta or "FIRST THRU NODE" in meta:
        return "net"
    return "unknown"


def _wrong_kind(path: Path, lines: list[str]) -> DataError | None:
    """Return a one-problem error when a file without metadata is a flow or node file."""
    for line in lines[:20]:
        text = line.split("~", 1)[0].strip().lower()
        if not text:
            continue
        words = text.replace(";", " ").split()
        if words[:3] == ["from", "to", "volume"]:
            return DataError(
                Problem(
                    str(path),
                    None,
                    None,
                    "a TNTP network or trips file",
                    "a link flow file (From To Volume Cost)",
                )
            )
        if words[:1] == ["node"]:
            return DataError(
                Problem(
                    str(path),
                    None,
                    None,
                    "a TNTP network or trips file",
                    "a node coordinate file (node x y)",
                )
            )
        return None
    return None


def _metadata_of(path: Path, lines: list[str]) -> tuple[dict[str, str], int]:
    """As :func:`_metadata`, but say in one line when the file is a flow or node file."""
    try:
        return _metadata(path, lines)
    except DataError:
        wrong = _wrong_kind(path, lines)
        if wrong is not None:
            raise wrong from None
        raise


def _meta_int(
    path: Path, meta: dict[str, str], key: str, problems: list[Problem], default: int | None = None
) -> int | None:
    text = meta.get(key)
    if text is None:
        if default is None:
            problems.append(Problem(str(path), None, f"<{key}>", "an integer", "missing"))
        return default
    try:
        return int(float(text.split()[0]))
    except (ValueError, IndexError):
        problems.append(Problem(str(path), None, f"<{key}>", "an integer", text))
        return default


def read_tntp_net(path: str | Path) -> Network:
    """Read a TNTP ``_net.tntp`` file into a :class:`Network`.

    Node ``k`` of the file becomes node index ``k - 1`` (``node_ids`` keeps ``k``); zones are
    nodes ``1 .. <NUMBER OF ZONES>``; nodes numbered below ``<FIRST THRU NODE>`` may start
    or end a path but not be passed through. Links use BPR with the file's ``b`` and
    ``power`` (any power >= 0; power 0 gives the constant time ``t0 * (1 + b)``). A link
    whose time cannot depend on its flow (``b = 0`` or ``power = 0``) may have capacity 0.

    Parameters
    ----------
    path : str or Path
        The network file.

    Returns
    -------
    Network

    Raises
    ------
    tumen.errors.DataError
        Listing every bad line (file, line number, field, what was expected).
    """
    path = Path(path)
    lines = _read_lines(path)
    meta, start = _metadata_of(path, lines)
    if _looks_like(meta, lines, start) == "trips":
        raise DataError(
            Problem(
                str(path),
                None,
                None,
                "a TNTP network file (one link per row)",
                "a trips file (Origin blocks): give it as the trips file",
            )
        )
    problems: list[Problem] = []
    n_zones = _meta_int(path, meta, "NUMBER OF ZONES", problems)
    n_nodes = _meta_int(path, meta, "NUMBER OF NODES", problems)
    first_thru = _meta_int(path, meta, "FIRST THRU NODE", problems, default=1)
    n_links = _meta_int(path, meta, "NUMBER OF LINKS", problems)
    rows: list[list[float]] = []
    for i in range(start, len(lines)):
        text = lines[i].split("~", 1)[0].strip().rstrip(";").strip()
        if not text:
            continue
        parts = text.split()
        if len(parts) < 7:
            problems.append(
                Problem(
                    str(path),
                    i + 1,
                    None,
                    "at least 7 fields: init node, term node, capacity, "
                    "length, free flow time, b, power",
                    text,
                )
            )
            continue
        row = []
        for j, name in enumerate(_NET_FIELDS):
            if j >= len(parts):
                row.append(0.0)
                continue
            try:
                value = float(parts[j])
            except ValueError:
                problems.append(Problem(str(path), i + 1, name, "a number", parts[j]))
                value = np.nan
            if j < 2 and np.isfinite(value) and (value != int(value) or value < 1):
                problems.append(Problem(str(path), i + 1, name, "a node number >= 1", parts[j]))
            row.append(value)
        row.append(float(i + 1))
        rows.append(row)
    if problems:
        raise DataError(_capped(problems))
    data = np.array(rows, dtype=np.float64).reshape(-1, len(_NET_FIELDS) + 1)
    line_no = data[:, -1].astype(int)
    if n_links is not None and data.shape[0] != n_links:
        problems.append(
            Problem(
                str(path),
                None,
                "<NUMBER OF LINKS>",
                f"{n_links} link rows as the metadata says",
                str(data.shape[0]),
            )
        )
    tail = data[:, 0].astype(np.int64)
    head = data[:, 1].astype(np.int64)
    nn = int(n_nodes or 0)
    for col, name in ((tail, "init_node"), (head, "term_node")):
        for r in np.flatnonzero(col > nn)[:20]:
            problems.append(
                Problem(
                    str(path),
                    int(line_no[r]),
                    name,
                    f"a node number <= <NUMBER OF NODES> {nn}",
                    str(col[r]),
                )
            )
    # a link whose time does not depend on its flow (b = 0 or power = 0) needs no capacity
    constant = (data[:, 5] == 0) | (data[:, 6] == 0)
    data[constant & (data[:, 2] <= 0), 2] = 1.0
    checks = (
        (2, "capacity", "a capacity > 0 (or b = 0 or power = 0)", lambda c: c > 0),
        (4, "free_flow_time", "a time >= 0", lambda c: c >= 0),
        (5, "b", "a number >= 0", lambda c: c >= 0),
        (6, "power", "a number >= 0", lambda c: c >= 0),
    )
    for col, name, expected, ok in checks:
        for r in np.flatnonzero(~ok(data[:, col]))[:20]:
            problems.append(
                Problem(str(path), int(line_no[r]), name, expected, f"{data[r, col]:g}")
            )
    if n_zones is not None and not 0 <= n_zones <= nn:
        problems.append(
            Problem(str(path), None, "<NUMBER OF ZONES>", f"a count in 0..{nn}", str(n_zones))
        )
    if problems:
        raise DataError(_capped(problems))
    return Network.from_arrays(
        tail - 1,
        head - 1,
        data[:, 4],
        data[:, 2],
        length=data[:, 3],
        toll=data[:, 8],
        alpha=data[:, 5],
        beta=data[:, 6],
        num_nodes=nn,
        zones=int(n_zones or 0),
        first_thru_node=max(int(first_thru or 1) - 1, 0),
    )


def read_tntp_trips(
    path: str | Path, network: Network, name: str = "trips", **settings: object
) -> TrafficClass:
    """Read a TNTP ``_trips.tntp`` file into a :class:`TrafficClass` on ``network``.

    Parameters
    ----------
    path : str or Path
        The trips file (``Origin k`` then ``destination : volume;`` pairs).
    network : Network
        The network the node numbers refer to (from :func:`read_tntp_net`).
    name : str
        Name of the class.
    **settings
        Other :class:`TrafficClass` fields (``toll_weight``, ``distance_weight``...).

    Returns
    -------
    TrafficClass
        Demand in the file's units per period, between node indices of ``network``.

    Raises
    ------
    tumen.errors.DataError
        Listing every bad line, unknown node and total mismatch.
    """
    path = Path(path)
    lines = _read_lines(path)
    meta, start = _metadata_of(path, lines)
    if _looks_like(meta, lines, start) == "net":
        raise DataError(
            Problem(
                str(path),
                None,
                None,
                "a TNTP trips file (Origin blocks)",
                "a network file (one link per row): give it as the network",
            )
        )
    problems: list[Problem] = []
    fast = _trips_fast(lines, start, network.node_ids)
    if fast is not None:
        org_arr, dst_arr, vol_arr = fast
    else:
        org_arr, dst_arr, vol_arr = _trips_by_line(path, lines, start, network, problems)
    total_text = meta.get("TOTAL OD FLOW")
    if total_text and not problems:
        try:
            total = float(total_text.split()[0])
        except ValueError:
            total = None
        found = float(vol_arr.sum())
        if total is not None and abs(found - total) > 1e-6 * max(1.0, abs(total)):
            problems.append(
                Problem(
                    str(path),
                    None,
                    "<TOTAL OD FLOW>",
                    f"the volumes to add up to {total_text}",
                    f"{found:.6f}",
                )
            )
    if problems:
        raise DataError(_capped(problems))
    return TrafficClass(name, org_arr, dst_arr, vol_arr, **settings)  # type: ignore[arg-type]


_ORIGIN_LINE = re.compile(r"^[ \t]*origin\b", re.IGNORECASE | re.MULTILINE)


def _node_index(node_ids: NDArray[np.int64], numbers: NDArray[np.float64]) -> NDArray[np.int64]:
    """Return the node index of each node number, or -1 where there is none."""
    order = np.argsort(node_ids, kind="stable")
    ids = node_ids[order]
    whole = numbers == np.floor(numbers)
    keys = np.where(whole, numbers, -1).astype(np.int64)
    pos = np.minimum(np.searchsorted(ids, keys), max(ids.shape[0] - 1, 0))
    if ids.shape[0] == 0:
        return np.full(numbers.shape[0], -1, dtype=np.int64)
    found = whole & (ids[pos] == keys)
    return np.where(found, order[pos], -1).astype(np.int64)


def _trips_fast(
    lines: list[str], start: int, node_ids: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]] | None:
    """Parse a well-formed trips file in bulk; None when anything is unusual.

    The line-by-line reader then runs and names every bad line; this path only handles
    files where each ``Origin k`` line is followed by ``destination : volume;`` pairs
    of known nodes and volumes >= 0.
    """
    text = "\n".join(lines[start:])
    if "~" in text:
        text = re.sub(r"~[^\n]*", "", text)
    if text.count("Origin") == text.lower().count("origin"):
        blocks = text.split("Origin")  # the usual spelling: a plain split is quicker
    else:
        blocks = _ORIGIN_LINE.split(text)
    if blocks[0].strip():
        return None
    numbers: list[float] = []
    counts: list[int] = []
    pairs: list[NDArray[np.float64]] = []
    for block in blocks[1:]:
        head, _, body = block.partition("\n")
        tokens = body.replace(":", " ").replace(";", " ").split()
        if len(tokens) != 2 * body.count(":"):
            return None
        try:
            numbers.append(float(int(head.strip())))
            pairs.append(np.array(list(map(float, tokens))).reshape(-1, 2))
        except ValueError:
            return None
        counts.append(pairs[-1].shape[0])
    if not pairs:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), np.zeros(0)
    table = np.concatenate(pairs)
    origin = _node_index(node_ids, np.array(numbers))
    dest = _node_index(node_ids, table[:, 0])
    vol = table[:, 1]
    if (origin < 0).any() or (dest < 0).any() or not np.all(np.isfinite(vol) & (vol >= 0)):
        return None
    org = np.repeat(origin, counts)
    keep = vol > 0
    return org[keep], dest[keep], vol[keep].copy()


def _trips_by_line(
    path: Path, lines: list[str], start: int, network: Network, problems: list[Problem]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """Parse a trips file line by line, adding a problem for every bad line."""
    index = {int(k): i for i, k in enumerate(network.node_ids)}
    origins: list[int] = []
    dests: list[int] = []
    vols: list[float] = []
    origin: int | None = None
    for i in range(start, len(lines)):
        text = lines[i].split("~", 1)[0].strip()
        if not text:
            continue
        if text.lower().startswith("origin"):
            parts = text.split()
            try:
                number = int(parts[1])
            except (IndexError, ValueError):
                problems.append(Problem(str(path), i + 1, "origin", "Origin <node number>", text))
                origin = None
                continue
            origin = index.get(number)
            if origin is None:
                problems.append(
                    Problem(str(path), i + 1, "origin", "a node of the network", str(number))
                )
            continue
        rest = re.sub(r"[\s;]+", " ", _PAIR.sub("", text)).strip()
        if rest:
            problems.append(Problem(str(path), i + 1, None, "pairs 'destination : volume;'", rest))
        for dest_text, vol_text in _PAIR.findall(text):
            try:
                number = int(dest_text)
                vol = float(vol_text)
            except ValueError:
                problems.append(
                    Problem(
                        str(path),
                        i + 1,
                        "destination : volume",
                        "an integer node and a number",
                        f"{dest_text} : {vol_text}",
                    )
                )
                continue
            dest = index.get(number)
            if dest is None:
                problems.append(
                    Problem(str(path), i + 1, "destination", "a node of the network", str(number))
                )
                continue
            if not (np.isfinite(vol) and vol >= 0):
                problems.append(Problem(str(path), i + 1, "volume", "a number >= 0", vol_text))
                continue
            if origin is None:
                problems.append(
                    Problem(str(path), i + 1, "origin", "an 'Origin' line before the volumes", None)
                )
                continue
            if vol > 0:
                origins.append(origin)
                dests.append(dest)
                vols.append(vol)
        if len(problems) > _MAX_PROBLEMS:
            break
    return (
        np.array(origins, dtype=np.int64),
        np.array(dests, dtype=np.int64),
        np.array(vols, dtype=np.float64),
    )


def _capped(problems: list[Problem]) -> list[Problem]:
    """Keep the first :data:`_MAX_PROBLEMS` problems and say how many more there were."""
    if len(problems) <= _MAX_PROBLEMS:
        return problems
    first = problems[0]
    more = Problem(
        first.file,
        None,
        None,
        "no more problems",
        f"{len(problems) - _MAX_PROBLEMS} more not listed",
    )
    return [*problems[:_MAX_PROBLEMS], more]


def read_tntp_flow(path: str | Path, network: Network) -> NDArray[np.float64]:
    """Read a TNTP ``_flow.tntp`` file (``From To Volume Cost``) as flows in link order.

    Parallel links between the same two nodes are matched in order of appearance.

    Raises
    ------
    tumen.errors.DataError
        For bad lines and links missing from, or unknown to, the network.
    """
    path = Path(path)
    lines = _read_lines(path)
    problems: list[Problem] = []
    slots: dict[tuple[int, int], list[int]] = {}
    ids = network.node_ids
    for link in range(network.num_links - 1, -1, -1):
        key = (int(ids[network.from_node[link]]), int(ids[network.to_node[link]]))
        slots.setdefault(key, []).append(link)
    flows = np.full(network.num_links, np.nan)
    for i, line in enumerate(lines):
        text = line.split("~", 1)[0].strip().rstrip(";")
        if not text or text.lower().startswith("from"):
            continue
        parts = text.split()
        try:
            key = (int(parts[0]), int(parts[1]))
            volume = float(parts[2])
        except (IndexError, ValueError):
            problems.append(Problem(str(path), i + 1, None, "From To Volume [Cost]", text))
            continue
        free = slots.get(key)
        if not free:
            problems.append(
                Problem(str(path), i + 1, "From/To", "a link of the network", f"{key[0]} {key[1]}")
            )
            continue
        flows[free.pop()] = volume
    missing = np.flatnonzero(np.isnan(flows))
    if missing.size and not problems:
        link = int(missing[0])
        problems.append(
            Problem(
                str(path),
                None,
                "From/To",
                f"a row for every link ({missing.size} missing)",
                f"{ids[network.from_node[link]]} {ids[network.to_node[link]]}",
            )
        )
    if problems:
        raise DataError(problems[:50])
    return flows


def read_tntp_weights(directory: str | Path) -> tuple[float, float]:
    """Return the generalised-cost weights ``(toll, distance)`` a TNTP network states.

    Looks for ``<TOLL FACTOR>``/``<DISTANCE FACTOR>`` in the ``_net.tntp`` metadata, then for
    the "Generalized Cost Weights" section of the folder's ``README.md`` (e.g. Chicago
    Sketch: "Toll: 0.02 minutes/cent", "Distance: 0.04 minutes/mile"). A weight not stated
    is 0.

    Parameters
    ----------
    directory : str or Path
        The network's folder, or its ``_net.tntp`` file.

    Returns
    -------
    tuple of float
        Time units per toll unit, and time units per distance unit.
    """
    folder = Path(directory)
    net_files = [folder] if folder.is_file() else sorted(folder.glob("*_net.tntp"))
    if folder.is_file():
        folder = folder.parent
    weights = {"toll": None, "distance": None}
    for net_file in net_files[:1]:
        meta, _ = _metadata_of(net_file, _read_lines(net_file))
        for key, name in (("TOLL FACTOR", "toll"), ("DISTANCE FACTOR", "distance")):
            m = re.match(_NUMBER, meta.get(key, ""))
            if m:
                weights[name] = float(m.group(0))
    readme = folder / "README.md"
    if readme.is_file():
        text = readme.read_text(encoding="utf-8", errors="replace")
        section = re.search(
            r"#+\s*Generali[sz]ed Cost Weights(.*?)(?:\n#|\Z)", text, re.IGNORECASE | re.DOTALL
        )
        if section:
            for name in ("toll", "distance"):
                m = re.search(rf"{name}\s*:[ \t]*({_NUMBER})", section.group(1), re.IGNORECASE)
                if m and weights[name] is None:
                    weights[name] = float(m.group(1))
    return float(weights["toll"] or 0.0), float(weights["distance"] or 0.0)
