"""Sea routes drawn over water: shortest paths on a raster of the GSHHG shoreline.

A sea link in the dataset has two ends and a length; it has no line. Drawn as a straight
chord, Rajin–Vostochny would cross the Khasan district and Posyet–Busan the DPRK coast.
This module finds, for each pair of ports, the shortest path over water: the seas between
118.5° and 141.5° E and 27.5° and 47° N are cut into cells of :data:`CELL_DEG` degrees, a cell
whose centre lies on land (GSHHG level 1 at high resolution, lakes included) is blocked,
and Dijkstra's algorithm (``scipy.sparse.csgraph``) runs on the 8-connected open cells of
the one connected sea. Each port joins the sea at its nearest open cell, the path is
pulled tight (a corner is dropped while the straight line past it stays on open cells),
and its length is summed over great circles.

The path is for the map, and its length is a check on the dataset's sea distances
(``ASSUMPTION-SEA-WAYPOINTS``), not a replacement for them: at 4 km cells narrow
approaches (the Golden Horn, Rajin's piers) are joined by a straight last leg.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
from scipy import ndimage, sparse
from scipy.sparse import csgraph
from scipy.spatial import cKDTree

from tumen.data._geo import great_circle_km
from tumen.report._basemap import read_shapes
from tumen.report._geometry import MARKETS

__all__ = ["CELL_DEG", "SEA_BOX", "SeaPath", "sea_paths"]

#: The seas searched: ``(lon_min, lat_min, lon_max, lat_max)``, degrees; the map's context
#: box, which holds every bundled port from Shanghai and Ningbo to Niigata (one read of
#: the shoreline serves both).
SEA_BOX = MARKETS
#: Cell size, degrees (about 4.4 km of latitude): fine enough for the Korea and Jeju
#: straits and the Tumen's coast, coarse enough to build in well under a second.
CELL_DEG = 0.04
#: A port further than this from open water (km) gets no sea path.
_MAX_SNAP_KM = 25.0


@dataclass(frozen=True)
class SeaPath:
    """A sea route between two ports.

    Attributes
    ----------
    points : numpy.ndarray
        ``(n, 2)`` lon, lat in degrees, from the first port to the second.
    length_km : float
        Its length over great circles, km.
    """

    points: npt.NDArray[np.float64]
    length_km: float


@dataclass(frozen=True)
class _SeaGrid:
    """Open cells of the sea raster, the graph over them and a finder of the nearest."""

    open_: npt.NDArray[np.bool_]
    lons: npt.NDArray[np.float64]
    lats: npt.NDArray[np.float64]
    graph: sparse.csr_matrix
    cell_of_node: npt.NDArray[np.int64]
    tree: cKDTree


def _blocked_cells(
    lons: npt.NDArray[np.float64], lats: npt.NDArray[np.float64]
) -> npt.NDArray[np.bool_]:
    """Return a ``(len(lats), len(lons))`` mask of cells whose centre is on land.

    The land rings are filled row by row (even-odd rule): on each row of cell centres the
    crossings of every ring's edges are sorted and the cells between the first and second,
    third and fourth… are land. It needs no valid polygons, so GSHHG's rings are used as
    they are, and it is a few numpy passes over all edges at once.
    """
    rings = [s.points for s in read_shapes("coast", "h", SEA_BOX) if s.level == 1]
    rings = [r for r in rings if len(r) >= 4]
    ring_of_edge = np.repeat(np.arange(len(rings)), [len(r) for r in rings])
    start = np.vstack(rings)
    end = np.vstack([np.roll(r, -1, axis=0) for r in rings])
    (x0, y0), (x1, y1) = start.T, end.T
    # Rows whose centre latitude lies in [min(y0, y1), max(y0, y1)) of each edge.
    first = np.ceil((np.minimum(y0, y1) - lats[0]) / CELL_DEG).astype(np.int64)
    stop = np.ceil((np.maximum(y0, y1) - lats[0]) / CELL_DEG).astype(np.int64)
    first, stop = np.clip(first, 0, len(lats)), np.clip(stop, 0, len(lats))
    count = np.maximum(stop - first, 0)
    edge = np.repeat(np.arange(len(x0)), count)
    offset = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    row = np.repeat(first, count) + offset
    lat = lats[row]
    x = x0[edge] + (lat - y0[edge]) * (x1[edge] - x0[edge]) / (y1[edge] - y0[edge])
    order = np.lexsort((x, row, ring_of_edge[edge]))
    row, x = row[order], x[order]
    # Each ring crosses each row an even number of times: pairs are (0, 1), (2, 3)…
    row_in, x_in, x_out = row[0::2], x[0::2], x[1::2]
    j_in = np.clip(np.ceil((x_in - lons[0]) / CELL_DEG).astype(np.int64), 0, len(lons))
    j_out = np.clip(np.ceil((x_out - lons[0]) / CELL_DEG).astype(np.int64), 0, len(lons))
    runs = np.zeros((len(lats), len(lons) + 1), dtype=np.int32)
    np.add.at(runs, (row_in, j_in), 1)
    np.add.at(runs, (row_in, j_out), -1)
    return np.cumsum(runs, axis=1)[:, :-1] > 0


@cache
def _sea_grid() -> _SeaGrid:
    """Build the raster, keep its largest connected sea and the graph over it (cached)."""
    lons = np.arange(SEA_BOX[0] + CELL_DEG / 2, SEA_BOX[2], CELL_DEG)
    lats = np.arange(SEA_BOX[1] + CELL_DEG / 2, SEA_BOX[3], CELL_DEG)
    water = ~_blocked_cells(lons, lats)
    labels, _ = ndimage.label(water, structure=np.ones((3, 3), dtype=int))
    sizes = np.bincount(labels.ravel())
    sizes[0] = 0
    open_ = labels == int(np.argmax(sizes))
    n_rows, n_cols = open_.shape
    cell_of_node = np.flatnonzero(open_.ravel())
    node_of_cell = np.full(open_.size, -1, dtype=np.int64)
    node_of_cell[cell_of_node] = np.arange(len(cell_of_node))
    rows, cols = np.divmod(cell_of_node, n_cols)
    km_lat = great_circle_km(0.0, 0.0, 0.0, CELL_DEG)
    km_lon = km_lat * np.cos(np.radians(lats))
    heads: list[npt.NDArray[np.int64]] = []
    tails: list[npt.NDArray[np.int64]] = []
    weights: list[npt.NDArray[np.float64]] = []
    for di, dj in ((0, 1), (1, 0), (1, 1), (1, -1)):
        r2, c2 = rows + di, cols + dj
        inside = (r2 < n_rows) & (c2 >= 0) & (c2 < n_cols)
        target = np.full(len(rows), -1, dtype=np.int64)
        target[inside] = node_of_cell[r2[inside] * n_cols + c2[inside]]
        keep = target >= 0
        mid_lat_km = km_lon[rows[keep]] if di == 0 else (km_lon[rows[keep]] + km_lon[r2[keep]]) / 2
        step = np.hypot(dj * mid_lat_km, di * km_lat)
        heads.append(np.flatnonzero(keep))
        tails.append(target[keep])
        weights.append(step)
    head, tail, weight = (np.concatenate(x) for x in (heads, tails, weights))
    n = len(cell_of_node)
    graph = sparse.coo_matrix((weight, (head, tail)), shape=(n, n)).tocsr()
    graph = graph.maximum(graph.T).tocsr()
    centres = np.column_stack([lons[cols] * np.cos(np.radians(lats[rows])), lats[rows]])
    return _SeaGrid(open_, lons, lats, graph, cell_of_node, cKDTree(centres))


def _nearest_node(grid: _SeaGrid, lon: float, lat: float) -> int | None:
    """Return the open cell nearest a point, or None if it is too far from open water."""
    _, node = grid.tree.query([lon * np.cos(np.radians(lat)), lat])
    lon_c, lat_c = _cell_lonlat(grid, np.array([node]))[0]
    if great_circle_km(lon, lat, lon_c, lat_c) > _MAX_SNAP_KM:
        return None
    return int(node)


def _cell_lonlat(grid: _SeaGrid, nodes: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    rows, cols = np.divmod(grid.cell_of_node[nodes], len(grid.lons))
    return np.column_stack([grid.lons[cols], grid.lats[rows]])


def _clear(grid: _SeaGrid, a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> bool:
    """Say whether the straight line from ``a`` to ``b`` (lon, lat) stays on open cells."""
    steps = int(np.ceil(np.abs(b - a).max() / (CELL_DEG / 3))) + 1
    t = np.linspace(0.0, 1.0, steps)
    lon = a[0] + (b[0] - a[0]) * t
    lat = a[1] + (b[1] - a[1]) * t
    j = np.clip(np.rint((lon - grid.lons[0]) / CELL_DEG).astype(int), 0, len(grid.lons) - 1)
    i = np.clip(np.rint((lat - grid.lats[0]) / CELL_DEG).astype(int), 0, len(grid.lats) - 1)
    return bool(grid.open_[i, j].all())


def _pull_tight(grid: _SeaGrid, points: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Drop corners of a cell path while the straight line past them stays on open cells.

    From each kept point the reach is doubled while the line stays clear, then narrowed
    by bisection; every kept segment is checked, so the path never crosses a blocked cell.
    """
    kept = [0]
    i, last = 0, len(points) - 1
    while i < last:
        good, step = i + 1, 1
        while good < last:
            probe = min(i + 2 * step, last)
            if not _clear(grid, points[i], points[probe]):
                break
            good, step = probe, 2 * step
        bad = min(i + 2 * step, last + 1)
        while bad - good > 1:
            mid = (good + bad) // 2
            if _clear(grid, points[i], points[mid]):
                good = mid
            else:
                bad = mid
        kept.append(good)
        i = good
    return points[kept]


def _length_km(points: npt.NDArray[np.float64]) -> float:
    lon, lat = points[:, 0], points[:, 1]
    return float(np.sum(great_circle_km(lon[:-1], lat[:-1], lon[1:], lat[1:])))


def sea_paths(
    pairs: list[tuple[tuple[float, float], tuple[float, float]]],
) -> list[SeaPath | None]:
    """Return the shortest path over water for each pair of ports.

    Parameters
    ----------
    pairs : list of ((lon, lat), (lon, lat))
        The two ends of each sea link, degrees.

    Returns
    -------
    list of SeaPath or None
        One per pair, in order; ``None`` where an end lies outside :data:`SEA_BOX`, more
        than 25 km from open water, or the two ends are not joined by sea.

    Raises
    ------
    TumenError
        If the map data package is not installed.
    """
    grid = _sea_grid()
    ends: dict[tuple[float, float], int | None] = {}
    for pair in pairs:
        for lon, lat in pair:
            inside = SEA_BOX[0] <= lon <= SEA_BOX[2] and SEA_BOX[1] <= lat <= SEA_BOX[3]
            ends.setdefault((lon, lat), _nearest_node(grid, lon, lat) if inside else None)
    origins = sorted({n for n in (ends[p[0]] for p in pairs) if n is not None})
    if not origins:
        return [None] * len(pairs)
    dist, pred = csgraph.dijkstra(grid.graph, indices=origins, return_predecessors=True)
    row_of = {node: k for k, node in enumerate(origins)}
    out: list[SeaPath | None] = []
    for start, end in pairs:
        a, b = ends[start], ends[end]
        if a is None or b is None or not np.isfinite(dist[row_of[a], b]):
            out.append(None)
            continue
        nodes = [b]
        while nodes[-1] != a:
            nodes.append(int(pred[row_of[a], nodes[-1]]))
        cells = _pull_tight(grid, _cell_lonlat(grid, np.array(nodes[::-1])))
        points = np.vstack([np.array([start]), cells, np.array([end])])
        out.append(SeaPath(points, _length_km(points)))
    return out
