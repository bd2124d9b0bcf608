"""Compiled kernels of Algorithm B (Dial 2006): origin-based bushes of plain arrays.

A bush is the acyclic set of links that one (class, origin) pair may use. Bushes are
stored compactly, only their own links: bush ``b`` holds ``bn[b]`` links, whose ids
(int32, ascending) and flows (PCE units) are ``bl[b * width + k]`` and ``bv[b * width + k]``
for ``k < bn[b]`` (12 bytes per bush link; a bush is little more than a shortest-path tree,
about half the links of a grid and a third of Chicago Sketch's). While a bush is worked
on, it is spread into a dense per-thread scratch row ``bf_b`` (one float per link, its flow
where the link belongs to the bush and :data:`ABSENT` (-1) where not), then packed back.
``v``, ``t`` and ``dt`` are the total flow, travel time and its derivative on every link,
kept exact as flow moves (each shift updates the time and derivative of every link it
touches). A class's link cost is ``t + static[class]``
(``static`` is ``inf`` on links the class may not use).

One outer iteration (see ``_algorithm_b.py``) updates every bush's links in parallel
(:func:`improve_all`: each bush reads the same link times and writes only itself, so the
result does not depend on the number of threads), then runs flow-shifting passes over the
bushes one after another (:func:`shift_all`: shifts change the shared link times, so they
stay sequential and deterministic), skipping bushes already near equilibrium.

Reference: R. B. Dial (2006), "A path-based user-equilibrium traffic assignment algorithm
that obviates path storage and enumeration", Transportation Research Part B 40(10), 917-936.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from tumen.assign._kernels_paths import dijkstra
from tumen.assign._kernels_vdf import link_derivative, link_time

#: Flow value marking a link that is not in a bush.
ABSENT = -1.0


@njit(cache=True, parallel=True)
def init_bushes(
    bush_class,
    bush_origin,
    dptr,
    dest,
    vol,
    out_ptr,
    out_links,
    from_node,
    to_node,
    no_thru,
    static,
    t,
    bl,
    bv,
    bn,
    width,
):
    """Start each bush as its shortest-path tree at times ``t`` and load its demand on it.

    ``width`` must be at least the number of nodes less one (a tree's links). Returns the
    number of OD pairs with demand but no path.
    """
    n_b = bush_origin.shape[0]
    n_nodes = out_ptr.shape[0] - 1
    n_links = t.shape[0]
    lost = np.zeros(n_b, dtype=np.int64)
    csr_to = to_node[out_links].astype(np.uint32)
    no_mark = np.zeros(1, dtype=np.int64)
    for b in prange(n_b):
        csr_cost = t[out_links] + static[bush_class[b]][out_links]
        dist = np.empty(n_nodes)
        pred = np.empty(n_nodes, dtype=np.int64)
        order = np.empty(n_nodes, dtype=np.uint32)
        hk = np.empty(n_links + 1)
        hn = np.empty(n_links + 1, dtype=np.uint32)
        node_flow = np.zeros(n_nodes)
        bf_b = np.empty(n_links)
        o = bush_origin[b]
        count = dijkstra(
            o,
            out_ptr,
            out_links,
            csr_to,
            csr_cost,
            no_thru,
            dist,
            pred,
            order,
            hk,
            hn,
            no_mark,
            1,
            0,
        )
        bf_b[:] = ABSENT
        for idx in range(1, count):
            bf_b[pred[order[idx]]] = 0.0
        for p in range(dptr[b], dptr[b + 1]):
            d = dest[p]
            if vol[p] <= 0.0 or d == o:
                continue
            if dist[d] == np.inf:
                lost[b] += 1
                continue
            node_flow[d] += vol[p]
        for idx in range(count - 1, 0, -1):
            j = order[idx]
            f = node_flow[j]
            if f != 0.0:
                link = pred[j]
                bf_b[link] += f
                node_flow[from_node[link]] += f
        _pack(b, bf_b, bl, bv, bn, width)
    return lost.sum()


@njit(cache=True)
def _spread(bi, bl, bv, bn, width, bf_b):
    """Fill the dense row ``bf_b`` with bush ``bi`` (:data:`ABSENT` off the bush)."""
    bf_b[:] = ABSENT
    base = bi * width
    for k in range(bn[bi]):
        bf_b[bl[base + k]] = bv[base + k]


@njit(cache=True)
def _pack(bi, bf_b, bl, bv, bn, width):
    """Store the dense row ``bf_b`` as bush ``bi``; return its number of links.

    When the bush has more than ``width`` links nothing is stored (the caller grows the
    store and tries again).
    """
    n = 0
    for link in range(bf_b.shape[0]):
        if bf_b[link] >= 0.0:
            n += 1
    if n > width:
        return n
    base = bi * width
    k = 0
    for link in range(bf_b.shape[0]):
        f = bf_b[link]
        if f >= 0.0:
            bl[base + k] = link
            bv[base + k] = f
            k += 1
    bn[bi] = n
    return n


@njit(cache=True)
def _store_flows(bi, bf_b, bl, bv, bn, width):
    """Copy the flows of the dense row back into bush ``bi`` (its links unchanged)."""
    base = bi * width
    for k in range(bn[bi]):
        bv[base + k] = bf_b[bl[base + k]]


@njit(cache=True)
def restride(store, n_b, width, new_width):
    """Move each bush's slots from stride ``width`` to ``new_width`` in place (grown store)."""
    for bi in range(n_b - 1, -1, -1):
        for k in range(width - 1, -1, -1):
            store[bi * new_width + k] = store[bi * width + k]


@njit(cache=True)
def _topo(o, bf_b, out_ptr, out_links, to_node, n_links, indeg, order, pos):
    """Topological order of the bush's nodes (Kahn); returns how many nodes it holds."""
    indeg[:] = 0
    for link in range(n_links):
        if bf_b[link] >= 0.0:
            indeg[to_node[link]] += 1
    return _kahn(o, bf_b, out_ptr, out_links, to_node, indeg, order, pos)


@njit(cache=True)
def _topo_listed(o, bf_b, links, first, count, out_ptr, out_links, to_node, indeg, order, pos):
    """As :func:`_topo`, counting in-degrees over the bush's stored link list only."""
    indeg[:] = 0
    for q in range(first, first + count):
        indeg[to_node[links[q]]] += 1
    return _kahn(o, bf_b, out_ptr, out_links, to_node, indeg, order, pos)


@njit(cache=True)
def _kahn(o, bf_b, out_ptr, out_links, to_node, indeg, order, pos):
    """Kahn's pass from the origin given the bush's in-degrees; returns the node count."""
    pos[:] = -1
    head = 0
    tail = 1
    order[0] = o
    pos[o] = 0
    while head < tail:
        u = order[head]
        head += 1
        for p in range(out_ptr[u], out_ptr[u + 1]):
            link = out_links[p]
            if bf_b[link] >= 0.0:
                j = to_node[link]
                indeg[j] -= 1
                if indeg[j] == 0:
                    order[tail] = j
                    pos[j] = tail
                    tail += 1
    return tail


@njit(cache=True)
def _labels(
    m, order, in_ptr, in_links, from_node, bf_b, t, st, lmin, pmin, lmax, pmax, used_only, eps
):
    """Shortest (``lmin``/``pmin``) and longest (``lmax``/``pmax``) costs in the bush.

    Longest paths run over links with flow above ``eps`` when ``used_only``, else over all
    bush links.
    Nodes outside the bush keep ``inf``/``-inf`` and predecessor -1.
    """
    lmin[:] = np.inf
    lmax[:] = -np.inf
    pmin[:] = -1
    pmax[:] = -1
    o = order[0]
    lmin[o] = 0.0
    lmax[o] = 0.0
    for idx in range(1, m):
        j = order[idx]
        best = np.inf
        bl = -1
        worst = -np.inf
        wl = -1
        for p in range(in_ptr[j], in_ptr[j + 1]):
            link = in_links[p]
            if bf_b[link] < 0.0:
                continue
            i = from_node[link]
            c = t[link] + st[link]
            cand = lmin[i] + c
            if cand < best:
                best = cand
                bl = link
            if used_only and bf_b[link] <= eps:
                continue
            cand = lmax[i] + c
            if cand > worst:
                worst = cand
                wl = link
        lmin[j] = best
        pmin[j] = bl
        lmax[j] = worst
        pmax[j] = wl


@njit(cache=True)
def _improve(
    o,
    bf_b,
    st,
    t,
    out_ptr,
    out_links,
    in_ptr,
    in_links,
    from_node,
    to_node,
    no_thru,
    indeg,
    order,
    pos,
    lmin,
    pmin,
    lmax,
    pmax,
    eps,
):
    """Drop unused links off the shortest-path tree, then add links that shorten paths.

    Flows at or below ``eps`` (rounding residues) count as unused and are cleared.

    A link ``(i, j)`` joins when ``U_i + c_ij < U_j`` with ``U`` the longest-path cost over
    the bush's links: bush links never decrease ``U``, so the bush stays acyclic.
    Returns the number of nodes in the bush (in ``order``).
    """
    n_links = t.shape[0]
    m = _topo(o, bf_b, out_ptr, out_links, to_node, n_links, indeg, order, pos)
    _labels(m, order, in_ptr, in_links, from_node, bf_b, t, st, lmin, pmin, lmax, pmax, False, eps)
    for link in range(n_links):
        f = bf_b[link]
        if f >= 0.0 and f <= eps:
            bf_b[link] = 0.0 if pmin[to_node[link]] == link else ABSENT
    _labels(m, order, in_ptr, in_links, from_node, bf_b, t, st, lmin, pmin, lmax, pmax, False, eps)
    added = 0
    for link in range(n_links):
        if bf_b[link] >= 0.0:
            continue
        c = st[link]
        if c == np.inf:
            continue
        i = from_node[link]
        if pos[i] < 0 or (no_thru[i] and i != o):
            continue
        j = to_node[link]
        if lmax[i] + t[link] + c < lmax[j]:
            bf_b[link] = 0.0
            added += 1
    if added > 0:
        m = _topo(o, bf_b, out_ptr, out_links, to_node, n_links, indeg, order, pos)
    return m


@njit(cache=True)
def _bush_gap(links, first, count, bf_b, st, t, from_node, to_node, lmin):
    """Return the bush's excess cost over its shortest paths, relative to its total cost.

    Sums over the bush's stored links ``links[first:first + count]`` (ascending ids).
    """
    excess = 0.0
    total = 0.0
    for q in range(first, first + count):
        link = links[q]
        f = bf_b[link]
        if f > 0.0:
            c = t[link] + st[link]
            total += f * c
            excess += f * (c + lmin[from_node[link]] - lmin[to_node[link]])
    return excess / total if total > 0.0 else 0.0


@njit(cache=True)
def _shift(
    m,
    order,
    pos,
    bf_b,
    st,
    v,
    t,
    dt,
    t0,
    cap,
    code,
    a,
    b,
    in_ptr,
    in_links,
    from_node,
    to_node,
    lmin,
    pmin,
    lmax,
    pmax,
    rel_tol,
    eps,
    threshold,
    links,
    first,
    count,
):
    """Run one pass of Newton flow shifts from longest to shortest used segments.

    Skips the pass (returns -1.0) when the bush's relative gap is at most ``threshold``;
    else returns the largest cost difference met (time units). ``links[first:first +
    count]`` are the bush's link ids.
    """
    _labels(m, order, in_ptr, in_links, from_node, bf_b, t, st, lmin, pmin, lmax, pmax, True, eps)
    if (
        threshold > 0.0
        and _bush_gap(links, first, count, bf_b, st, t, from_node, to_node, lmin) <= threshold
    ):
        return -1.0
    worst = 0.0
    for idx in range(m - 1, 0, -1):
        j = order[idx]
        lmx = pmax[j]
        lmn = pmin[j]
        if lmx < 0 or lmx == lmn:
            continue
        if lmax[j] - lmin[j] <= rel_tol * lmax[j]:
            continue
        # find where the two paths into j meet
        ia = from_node[lmn]
        ib = from_node[lmx]
        ok = True
        while ia != ib:
            if pos[ia] > pos[ib]:
                ia = from_node[pmin[ia]]
            else:
                pl = pmax[ib]
                if pl < 0:
                    ok = False
                    break
                ib = from_node[pl]
        if not ok:
            continue
        meet = ia
        c1 = 0.0
        d1 = 0.0
        k = j
        while k != meet:
            link = pmin[k]
            c1 += t[link] + st[link]
            d1 += dt[link]
            k = from_node[link]
        c2 = 0.0
        d2 = 0.0
        fmin = np.inf
        k = j
        while k != meet:
            link = pmax[k]
            c2 += t[link] + st[link]
            d2 += dt[link]
            if bf_b[link] < fmin:
                fmin = bf_b[link]
            k = from_node[link]
        diff = c2 - c1
        if diff > worst:
            worst = diff
        if diff <= 0.0 or fmin <= 0.0:
            continue
        den = d1 + d2
        step = fmin if den <= 0.0 else min(diff / den, fmin)
        if step <= 0.0:
            continue
        k = j
        while k != meet:
            link = pmax[k]
            if step >= fmin and bf_b[link] == fmin:
                v[link] -= bf_b[link]
                bf_b[link] = 0.0
            else:
                bf_b[link] -= step
                v[link] -= step
                if bf_b[link] < 0.0:  # never below 0: a negative flow means "not in bush"
                    bf_b[link] = 0.0
            if v[link] < 0.0:
                v[link] = 0.0
            t[link] = link_time(v[link], t0[link], cap[link], code[link], a[link], b[link])
            dt[link] = link_derivative(v[link], t0[link], cap[link], code[link], a[link], b[link])
            k = from_node[link]
        k = j
        while k != meet:
            link = pmin[k]
            bf_b[link] += step
            v[link] += step
            t[link] = link_time(v[link], t0[link], cap[link], code[link], a[link], b[link])
            dt[link] = link_derivative(v[link], t0[link], cap[link], code[link], a[link], b[link])
            k = from_node[link]
    return worst


@njit(cache=True)
def _supply(o, bf_b, out_ptr, out_links):
    """Return the flow leaving the bush's origin (its demand, PCE)."""
    supply = 0.0
    for p in range(out_ptr[o], out_ptr[o + 1]):
        f = bf_b[out_links[p]]
        if f > 0.0:
            supply += f
    return supply


@njit(cache=True, parallel=True)
def improve_all(
    bush_class,
    bush_origin,
    bl,
    bv,
    bn,
    width,
    todo,
    static,
    t,
    out_ptr,
    out_links,
    in_ptr,
    in_links,
    from_node,
    to_node,
    no_thru,
    n_chunks,
):
    """Update the links of every bush flagged in ``todo`` at link times ``t``, in parallel.

    Each bush reads only ``t`` and itself, so the outcome does not depend on ``n_chunks``
    (the bushes are dealt to ``n_chunks`` chunks, one per thread). A bush that would
    outgrow ``width`` links is left unchanged, keeps its ``todo`` flag and has its size
    in ``need``; every other flag is cleared. Returns ``need`` (0 where stored).
    """
    n_nodes = out_ptr.shape[0] - 1
    n_links = t.shape[0]
    n_b = bush_origin.shape[0]
    need = np.zeros(n_b, dtype=np.int64)
    for c in prange(n_chunks):
        bf_b = np.empty(n_links)
        indeg = np.empty(n_nodes, dtype=np.int64)
        order = np.empty(n_nodes, dtype=np.int64)
        pos = np.empty(n_nodes, dtype=np.int64)
        lmin = np.empty(n_nodes)
        lmax = np.empty(n_nodes)
        pmin = np.empty(n_nodes, dtype=np.int64)
        pmax = np.empty(n_nodes, dtype=np.int64)
        for bi in range(c, n_b, n_chunks):
            if not todo[bi]:
                continue
            o = bush_origin[bi]
            _spread(bi, bl, bv, bn, width, bf_b)
            eps = 1e-12 * _supply(o, bf_b, out_ptr, out_links)
            _improve(
                o,
                bf_b,
                static[bush_class[bi]],
                t,
                out_ptr,
                out_links,
                in_ptr,
                in_links,
                from_node,
                to_node,
                no_thru,
                indeg,
                order,
                pos,
                lmin,
                pmin,
                lmax,
                pmax,
                eps,
            )
            n = _pack(bi, bf_b, bl, bv, bn, width)
            if n > width:
                need[bi] = n
            else:
                todo[bi] = 0
    return need


@njit(cache=True)
def shift_all(
    bush_class,
    bush_origin,
    bl,
    bv,
    bn,
    width,
    static,
    v,
    t,
    dt,
    t0,
    cap,
    code,
    a,
    b,
    out_ptr,
    out_links,
    in_ptr,
    in_links,
    from_node,
    to_node,
    active,
    threshold,
    rel_tol,
):
    """Run one shift pass on every bush flagged in ``active``, one bush after another.

    A bush whose relative gap (excess cost over its own shortest paths, over its total
    cost) is at most ``threshold`` is left as it is and its flag cleared. Returns the
    number of bushes whose flows were shifted.
    """
    n_nodes = out_ptr.shape[0] - 1
    n_links = t.shape[0]
    indeg = np.empty(n_nodes, dtype=np.int64)
    order = np.empty(n_nodes, dtype=np.int64)
    pos = np.empty(n_nodes, dtype=np.int64)
    lmin = np.empty(n_nodes)
    lmax = np.empty(n_nodes)
    pmin = np.empty(n_nodes, dtype=np.int64)
    pmax = np.empty(n_nodes, dtype=np.int64)
    bf_b = np.empty(n_links)
    done = 0
    for bi in range(bush_origin.shape[0]):
        if not active[bi]:
            continue
        o = bush_origin[bi]
        _spread(bi, bl, bv, bn, width, bf_b)
        eps = 1e-12 * _supply(o, bf_b, out_ptr, out_links)
        first = bi * width
        m = _topo_listed(o, bf_b, bl, first, bn[bi], out_ptr, out_links, to_node, indeg, order, pos)
        w = _shift(
            m,
            order,
            pos,
            bf_b,
            static[bush_class[bi]],
            v,
            t,
            dt,
            t0,
            cap,
            code,
            a,
            b,
            in_ptr,
            in_links,
            from_node,
            to_node,
            lmin,
            pmin,
            lmax,
            pmax,
            rel_tol,
            eps,
            threshold,
            bl,
            first,
            bn[bi],
        )
        if w < 0.0:
            active[bi] = 0
        else:
            _store_flows(bi, bf_b, bl, bv, bn, width)
            done += 1
    return done


@njit(cache=True)
def class_flows(bl, bv, bn, width, bush_class, n_classes, out):
    """Sum bush flows into per-class link flows ``out`` (classes x links)."""
    out[:] = 0.0
    for bi in range(bn.shape[0]):
        k = bush_class[bi]
        base = bi * width
        for q in range(bn[bi]):
            out[k, bl[base + q]] += bv[base + q]


@njit(cache=True)
def dense_flows(bl, bv, bn, width, first, last, n_links, scale):
    """Return the flows of bushes ``first .. last - 1`` as dense rows (0 off the bush).

    Each flow is divided by ``scale`` (a class's PCE, to give class units).
    """
    out = np.zeros((last - first, n_links))
    for bi in range(first, last):
        base = bi * width
        for q in range(bn[bi]):
            out[bi - first, bl[base + q]] = bv[base + q] / scale
    return out
