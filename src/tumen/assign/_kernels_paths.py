"""Compiled shortest paths and all-or-nothing loading over the forward star (plain arrays).

A link whose cost is ``+inf`` is closed. A node flagged ``no_thru`` may start or end a path
but is never passed through.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

#: Most bucket widths the finite link costs may span for :func:`dijkstra_buckets` to be used
#: (beyond, the empty buckets it would scan could cost more than the heap it replaces).
MAX_BUCKETS = 4096


@njit(cache=True, inline="always")
def _heap_push(keys, nodes, size, key, node):
    """Add ``node`` with ``key`` to a 4-ary min-heap of ``size`` entries; return the new size."""
    i = size
    while i > 0:
        parent = (i - 1) >> 2
        if keys[parent] <= key:
            break
        keys[i] = keys[parent]
        nodes[i] = nodes[parent]
        i = parent
    keys[i] = key
    nodes[i] = node
    return size + 1


@njit(cache=True, inline="always")
def _heap_pop(keys, nodes, size):
    """Remove the root of a 4-ary min-heap of ``size`` entries; return the new size."""
    size -= 1
    key = keys[size]
    node = nodes[size]
    i = 0
    while True:
        first = 4 * i + 1
        if first >= size:
            break
        best = first
        best_key = keys[first]
        for q in range(first + 1, min(first + 4, size)):
            if keys[q] < best_key:
                best_key = keys[q]
                best = q
        if best_key >= key:
            break
        keys[i] = best_key
        nodes[i] = nodes[best]
        i = best
    keys[i] = key
    nodes[i] = node
    return size


@njit(cache=True)
def dijkstra(
    origin,
    out_ptr,
    out_links,
    csr_to,
    csr_cost,
    no_thru,
    dist,
    pred,
    order,
    heap_keys,
    heap_nodes,
    mark,
    stamp,
    n_targets,
):
    """Label-setting shortest paths from ``origin``; return how many nodes were settled.

    A 4-ary heap with lazy deletion (a node may sit in it more than once; stale entries
    are skipped). The forward star is read in CSR order: ``csr_to[p]`` and ``csr_cost[p]``
    are the head and cost of link ``out_links[p]`` (``csr_to``, ``order`` and ``heap_nodes``
    are uint32, which spares numba's negative-index checks in the hot loop). Fills ``dist``
    (cost from the origin, ``inf`` if unreached) and ``order`` (settled nodes in order of
    distance); ``pred[j]`` is
    the link into each settled node ``j`` on its shortest path (-1 at the origin; other
    entries are not meaningful). When ``n_targets > 0`` the search stops once the
    ``n_targets`` nodes with ``mark[node] == stamp`` are settled. ``heap_keys`` and
    ``heap_nodes`` are work arrays of one more entry than there are links.
    """
    n = dist.shape[0]
    for i in range(n):
        dist[i] = np.inf
    dist[origin] = 0.0
    pred[origin] = -1
    size = _heap_push(heap_keys, heap_nodes, 0, 0.0, origin)
    count = 0
    left = n_targets
    while size > 0:
        key = heap_keys[0]
        u = heap_nodes[0]
        size = _heap_pop(heap_keys, heap_nodes, size)
        if key > dist[u]:
            continue
        order[count] = u
        count += 1
        if left > 0 and mark[u] == stamp:
            left -= 1
            if left == 0:
                break
        if no_thru[u] and u != origin:
            continue
        for p in range(out_ptr[u], out_ptr[u + 1]):
            nd = key + csr_cost[p]
            j = csr_to[p]
            if nd < dist[j]:
                dist[j] = nd
                pred[j] = out_links[p]
                size = _heap_push(heap_keys, heap_nodes, size, nd, j)
    return count


@njit(cache=True)
def bucket_width(cost):
    """Return the bucket width and bucket mask for :func:`dijkstra_buckets`, or ``(0.0, 0)``.

    The width is just below the cheapest finite link cost, so that a node's label can
    never be improved by a node of its own bucket (Dinitz's rule); there are enough
    buckets (a power of two, ``mask + 1``) for the dearest link. ``(0.0, 0)`` (use the
    heap) when a link costs 0 or the costs span more than :data:`MAX_BUCKETS` widths.
    """
    low = np.inf
    high = 0.0
    for a in range(cost.shape[0]):
        c = cost[a]
        if c < low:
            low = c
        if c > high and c < np.inf:
            high = c
    if not (low > 0.0 and low < np.inf) or high > MAX_BUCKETS * low:
        return 0.0, 0
    width = low * (1.0 - 1e-9)
    need = int(high / width) + 2
    size = 1
    while size < need:
        size *= 2
    return width, size - 1


@njit(cache=True)
def dijkstra_buckets(
    origin,
    out_ptr,
    csr_to,
    csr_cost,
    no_thru,
    dist,
    pred,
    order,
    ent_node,
    ent_next,
    head,
    mask,
    inv_width,
    target,
    n_targets,
):
    """Label-setting shortest paths from ``origin`` with Dinitz's buckets instead of a heap.

    Same labels as :func:`dijkstra` when every link costs at least the bucket width
    ``1 / inv_width`` (see :func:`bucket_width`): all nodes of the lowest non-empty bucket
    are final, so they are settled without comparing labels. The buckets form a ring of
    ``mask + 1`` singly linked lists (``head``, all -1 between calls) over an entry pool
    ``ent_node`` (uint32) / ``ent_next`` (int32) of one more entry than there are links;
    stale entries are skipped. A settled node's label is kept negative during the search,
    which both marks it settled and keeps it from being relaxed again.

    ``dist`` must be ``inf`` at every node on entry (:func:`forget_labels` restores that
    after use). On return ``dist`` holds the cost from the origin of every settled node,
    ``order`` the ``count`` settled nodes in a topological order of the tree (origin
    first) and ``pred[j]`` the CSR position (index into ``csr_to``) of the link into each
    settled node ``j`` (-1 at the origin). The search stops once the ``n_targets`` nodes
    with ``target[node] != 0`` are settled (``n_targets = 0``: none marked, settle all).
    Returns ``(count, top)``, ``top`` being the number of pool entries used.
    """
    dist[origin] = 0.0
    pred[origin] = -1
    ent_node[0] = origin
    ent_next[0] = -1
    head[0] = 0
    top = 1
    live = 1
    k = 0
    count = 0
    left = n_targets
    while live > 0:
        b = k & mask
        e = head[b]
        if e < 0:
            k += 1
            continue
        head[b] = ent_next[e]
        live -= 1
        u = ent_node[e]
        du = dist[u]
        if du < 0.0:
            continue
        dist[u] = -du
        order[count] = u
        count += 1
        if target[u]:
            left -= 1
            if left == 0:
                break
        if no_thru[u] and u != origin:
            continue
        for p in range(out_ptr[u], out_ptr[u + 1]):
            nd = du + csr_cost[p]
            j = csr_to[p]
            if nd < dist[j]:
                dist[j] = nd
                pred[j] = p
                bj = np.int64(nd * inv_width) & mask
                ent_node[top] = j
                ent_next[top] = head[bj]
                head[bj] = top
                top += 1
                live += 1
    if live > 0:
        for b in range(mask + 1):
            head[b] = -1
    for idx in range(count):
        u = order[idx]
        dist[u] = -dist[u]
    return count, top


@njit(cache=True)
def forget_labels(dist, ent_node, top, origin):
    """Set back to ``inf`` every label a :func:`dijkstra_buckets` call from ``origin`` set."""
    dist[origin] = np.inf
    for e in range(top):
        dist[ent_node[e]] = np.inf


@njit(cache=True)
def _origin_tree(
    oi,
    o,
    dem_ptr,
    dem_dest,
    dem_vol,
    csr_ptr,
    csr_pos,
    csr_to,
    csr_cost,
    no_thru,
    dist,
    pred,
    order,
    heap_keys,
    ent_node,
    ent_next,
    head,
    mask,
    inv_width,
    target,
):
    """Shortest-path tree of origin ``o`` (row ``oi`` of the demand) up to its destinations.

    Uses :func:`dijkstra_buckets` when ``inv_width > 0``, else :func:`dijkstra` (whose
    ``pred`` then also holds CSR positions: ``csr_pos`` is ``0..links-1``). Returns
    ``(count, top)`` as :func:`dijkstra_buckets` (``top = 0`` on the heap path); call
    :func:`forget_labels` once ``dist`` has been read.
    """
    k = 0
    for p in range(dem_ptr[oi], dem_ptr[oi + 1]):
        d = dem_dest[p]
        if dem_vol[p] > 0.0 and d != o and target[d] == 0:
            target[d] = 1
            k += 1
    if inv_width > 0.0:
        count, top = dijkstra_buckets(
            o,
            csr_ptr,
            csr_to,
            csr_cost,
            no_thru,
            dist,
            pred,
            order,
            ent_node,
            ent_next,
            head,
            mask,
            inv_width,
            target,
            k,
        )
    else:
        count = dijkstra(
            o,
            csr_ptr,
            csr_pos,
            csr_to,
            csr_cost,
            no_thru,
            dist,
            pred,
            order,
            heap_keys,
            ent_node,
            target,
            1,
            k,
        )
        top = 0
    for p in range(dem_ptr[oi], dem_ptr[oi + 1]):
        target[dem_dest[p]] = 0
    return count, top


@njit(cache=True)
def _demand_on_tree(oi, o, dem_ptr, dem_dest, dem_vol, dist, node_flow):
    """Put origin ``o``'s demand on its destinations in ``node_flow``.

    Returns the sum of demand times shortest cost and the number of OD pairs with demand
    but no path.
    """
    sp = 0.0
    lost = 0
    for p in range(dem_ptr[oi], dem_ptr[oi + 1]):
        d = dem_dest[p]
        vol = dem_vol[p]
        if vol <= 0.0 or d == o:
            continue
        if dist[d] == np.inf:
            lost += 1
            continue
        node_flow[d] += vol
        sp += vol * dist[d]
    return sp, lost


@njit(cache=True)
def _load_tree(origin, pred, order, count, csr_from, node_flow, flows):
    """Push the demand held in ``node_flow`` back along the tree into ``flows``; clear it.

    ``pred`` holds CSR positions and ``flows`` is in CSR order (``csr_from[p]`` is the
    tail node of position ``p``).
    """
    for idx in range(count - 1, 0, -1):
        j = order[idx]
        f = node_flow[j]
        if f != 0.0:
            q = pred[j]
            flows[q] += f
            node_flow[csr_from[q]] += f
            node_flow[j] = 0.0
    node_flow[origin] = 0.0


@njit(cache=True)
def _load_tree_by_link(origin, pred, order, count, csr_from, out_links, node_flow, flows):
    """As :func:`_load_tree` but ``flows`` is by link (position ``p`` is ``out_links[p]``)."""
    for idx in range(count - 1, 0, -1):
        j = order[idx]
        f = node_flow[j]
        if f != 0.0:
            q = pred[j]
            flows[out_links[q]] += f
            node_flow[csr_from[q]] += f
            node_flow[j] = 0.0
    node_flow[origin] = 0.0


@njit(cache=True)
def _csr_arrays(out_ptr, out_links, from_node, to_node, cost):
    """Return the arrays the rounds read in CSR order, and the bucket settings.

    Node and position indices are 32-bit (``csr_ptr`` is ``out_ptr`` as uint32): smaller
    arrays stay in cache and spare numba's negative-index checks.
    """
    n_links = cost.shape[0]
    csr_ptr = out_ptr.astype(np.uint32)
    csr_pos = np.arange(n_links).astype(np.int32)
    csr_to = to_node[out_links].astype(np.uint32)
    csr_from = from_node[out_links].astype(np.uint32)
    csr_cost = cost[out_links]
    width, mask = bucket_width(csr_cost)
    inv_width = 1.0 / width if width > 0.0 else 0.0
    return csr_ptr, csr_pos, csr_to, csr_from, csr_cost, mask, inv_width


@njit(cache=True)
def _workspace(n_nodes, n_links, heap_n, mask):
    """Allocate one thread's shortest-path work arrays, reused across its origins.

    Returns labels ``dist`` (all inf), predecessor links ``pred``, settle ``order``, heap
    keys ``hk`` (length ``heap_n``; 1 when buckets are used), bucket entries ``ent_node``
    and ``ent_next``, bucket heads ``head`` (``mask + 1``, all -1) and destination flags
    ``target`` (all 0).
    """
    return (
        np.full(n_nodes, np.inf),
        np.empty(n_nodes, dtype=np.int32),
        np.empty(n_nodes, dtype=np.uint32),
        np.empty(heap_n),
        np.empty(n_links + 1, dtype=np.uint32),
        np.empty(n_links + 1, dtype=np.int32),
        np.full(mask + 1, -1, dtype=np.int32),
        np.zeros(n_nodes, dtype=np.uint8),
    )


@njit(cache=True, parallel=True)
def _load_origins(
    origins,
    dem_ptr,
    dem_dest,
    dem_vol,
    out_ptr,
    out_links,
    from_node,
    to_node,
    cost,
    no_thru,
    n_chunks,
    rows,
    by_origin,
):
    """Load every origin's demand on its shortest-path tree into ``rows``, in parallel.

    Origins are dealt to ``n_chunks`` chunks (one per thread), each with its own work
    arrays. With ``by_origin``, ``rows`` has one row per origin, by link, overwritten;
    otherwise one row per chunk, in CSR order, added to. Returns the total
    shortest-path cost (sum of demand times OD shortest cost) and the number of OD
    pairs with demand but no path.
    """
    n_nodes = out_ptr.shape[0] - 1
    n_links = cost.shape[0]
    n_orig = origins.shape[0]
    spsum = np.zeros(n_chunks)
    lost = np.zeros(n_chunks, dtype=np.int64)
    csr_ptr, csr_pos, csr_to, csr_from, csr_cost, mask, inv_width = _csr_arrays(
        out_ptr, out_links, from_node, to_node, cost
    )
    heap_n = 1 if inv_width > 0.0 else n_links + 1
    for c in prange(n_chunks):
        dist, pred, order, hk, ent_node, ent_next, head, target = _workspace(
            n_nodes, n_links, heap_n, mask
        )
        node_flow = np.zeros(n_nodes)
        for oi in range(c, n_orig, n_chunks):
            o = origins[oi]
            count, top = _origin_tree(
                oi,
                o,
                dem_ptr,
                dem_dest,
                dem_vol,
                csr_ptr,
                csr_pos,
                csr_to,
                csr_cost,
                no_thru,
                dist,
                pred,
                order,
                hk,
                ent_node,
                ent_next,
                head,
                mask,
                inv_width,
                target,
            )
            sp, nl = _demand_on_tree(oi, o, dem_ptr, dem_dest, dem_vol, dist, node_flow)
            spsum[c] += sp
            lost[c] += nl
            if by_origin:
                row = rows[oi]
                row[:] = 0.0
                _load_tree_by_link(o, pred, order, count, csr_from, out_links, node_flow, row)
            else:
                _load_tree(o, pred, order, count, csr_from, node_flow, rows[c])
            forget_labels(dist, ent_node, top, o)
    return spsum.sum(), lost.sum()


@njit(cache=True)
def all_or_nothing(
    origins,
    dem_ptr,
    dem_dest,
    dem_vol,
    out_ptr,
    out_links,
    from_node,
    to_node,
    cost,
    no_thru,
    n_chunks,
    flows,
):
    """Load every origin's demand on its shortest-path tree (:func:`_load_origins`).

    ``flows`` (one per link) is overwritten with the loaded flow: each chunk of origins
    loads a buffer of its own, in CSR order, and the buffers are summed at the end.
    Returns the total shortest-path cost (sum of demand times OD shortest cost) and the
    number of OD pairs with demand but no path.
    """
    n_links = cost.shape[0]
    buf = np.zeros((n_chunks, n_links))
    sp, lost = _load_origins(
        origins, dem_ptr, dem_dest, dem_vol, out_ptr, out_links, from_node, to_node,
        cost, no_thru, n_chunks, buf, False,
    )  # fmt: skip
    for q in range(n_links):
        s = 0.0
        for c in range(n_chunks):
            s += buf[c, q]
        flows[out_links[q]] = s
    return sp, lost


@njit(cache=True)
def all_or_nothing_by_origin(
    origins,
    dem_ptr,
    dem_dest,
    dem_vol,
    out_ptr,
    out_links,
    from_node,
    to_node,
    cost,
    no_thru,
    n_chunks,
    flows,
):
    """As :func:`all_or_nothing` but keeps one row of ``flows`` per origin (n_orig x links)."""
    return _load_origins(
        origins, dem_ptr, dem_dest, dem_vol, out_ptr, out_links, from_node, to_node,
        cost, no_thru, n_chunks, flows, True,
    )  # fmt: skip


@njit(cache=True, parallel=True)
def shortest_costs(
    origins, dem_ptr, dem_dest, dem_vol, out_ptr, out_links, to_node, cost, no_thru, n_chunks
):
    """Return the sum over OD pairs of demand times shortest-path cost (no loading).

    Each origin's sum is kept apart and the sums are added in origin order, so the result
    is the same for any number of threads (Algorithm B's steps depend on it).
    """
    n_nodes = out_ptr.shape[0] - 1
    n_links = cost.shape[0]
    n_orig = origins.shape[0]
    per_origin = np.zeros(n_orig)
    csr_ptr, csr_pos, csr_to, _, csr_cost, mask, inv_width = _csr_arrays(
        out_ptr, out_links, to_node, to_node, cost
    )
    heap_n = 1 if inv_width > 0.0 else n_links + 1
    for c in prange(n_chunks):
        dist, pred, order, hk, ent_node, ent_next, head, target = _workspace(
            n_nodes, n_links, heap_n, mask
        )
        for oi in range(c, n_orig, n_chunks):
            o = origins[oi]
            _, top = _origin_tree(
                oi,
                o,
                dem_ptr,
                dem_dest,
                dem_vol,
                csr_ptr,
                csr_pos,
                csr_to,
                csr_cost,
                no_thru,
                dist,
                pred,
                order,
                hk,
                ent_node,
                ent_next,
                head,
                mask,
                inv_width,
                target,
            )
            for p in range(dem_ptr[oi], dem_ptr[oi + 1]):
                d = dem_dest[p]
                if d != o and dem_vol[p] > 0.0:
                    per_origin[oi] += dem_vol[p] * dist[d]
            forget_labels(dist, ent_node, top, o)
    total = 0.0
    for oi in range(n_orig):
        total += per_origin[oi]
    return total
