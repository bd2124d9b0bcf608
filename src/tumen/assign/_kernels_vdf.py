"""Compiled volume-delay functions: time, derivative and integral per link (plain arrays).

Codes as :class:`tumen.assign.VDF`: 0 BPR, 1 conical (Spiess 1990), 2 queue (Akçelik 1991).
"""

from __future__ import annotations

import numpy as np
from numba import njit

#: Flow over capacity at which the slope of a BPR link with power below 1 is taken when its
#: flow is smaller (the true slope at 0 is infinite).
_SMALL_X = 1e-6


@njit(cache=True, inline="always")
def link_time(v: float, t0: float, c: float, code: int, a: float, b: float) -> float:
    """Return the travel time of one link at flow ``v`` (time units)."""
    x = v / c
    if code == 0:
        if b == 0.0:  # power 0: a constant time
            return t0 * (1.0 + a)
        if x <= 0.0:
            return t0
        return t0 * (1.0 + a * x**b)
    if code == 1:
        bb = (2.0 * a - 1.0) / (2.0 * a - 2.0)
        y = 1.0 - x
        return t0 * (2.0 + np.sqrt(a * a * y * y + bb * bb) - a * y - bb)
    y = x - 1.0
    return t0 + 0.25 * b * (y + np.sqrt(y * y + 8.0 * a * x / (c * b)))


@njit(cache=True, inline="always")
def link_derivative(v: float, t0: float, c: float, code: int, a: float, b: float) -> float:
    """Return the derivative of one link's time by its flow (time units per flow unit)."""
    x = v / c
    if code == 0:
        if b == 0.0:
            return 0.0
        if b < 1.0:
            # concave power: the slope is infinite at 0; use it at a small flow instead,
            # so that Newton steps onto an unused link stay finite
            x = max(x, _SMALL_X)
        elif x <= 0.0:
            return t0 * a / c if b == 1.0 else 0.0
        return t0 * a * b * x ** (b - 1.0) / c
    if code == 1:
        bb = (2.0 * a - 1.0) / (2.0 * a - 2.0)
        y = 1.0 - x
        return t0 * (a - a * a * y / np.sqrt(a * a * y * y + bb * bb)) / c
    y = x - 1.0
    m = 8.0 * a / (c * b)
    return 0.25 * b * (1.0 + (y + 0.5 * m) / np.sqrt(y * y + m * x)) / c


@njit(cache=True, inline="always")
def _sqrt_antiderivative(w: float, k: float) -> float:
    """Return F(w) with F' = sqrt(w**2 + k), for w**2 + k >= 0 (k of either sign)."""
    s = np.sqrt(max(w * w + k, 0.0))
    if k == 0.0:
        return 0.5 * w * s
    # log(w + s), written without cancellation when w < 0
    inner = w + s if w >= 0.0 else k / (s - w)
    return 0.5 * (w * s + k * np.log(inner))


@njit(cache=True)
def link_integral(v: float, t0: float, c: float, code: int, a: float, b: float) -> float:
    """Return the integral of one link's time from 0 to ``v`` (time units x flow units)."""
    if v <= 0.0:
        return 0.0
    x = v / c
    if code == 0:  # exact for every power b >= 0 (b = 0: the constant time t0 * (1 + a))
        return t0 * v * (1.0 + a * x**b / (b + 1.0))
    if code == 1:
        bb = (2.0 * a - 1.0) / (2.0 * a - 2.0)
        k = bb * bb
        root = (_sqrt_antiderivative(a, k) - _sqrt_antiderivative(a * (1.0 - x), k)) / a
        return c * t0 * ((2.0 - bb) * x - a * (x - 0.5 * x * x) + root)
    m = 8.0 * a / (c * b)
    p = 0.5 * (m - 2.0)
    k = 1.0 - p * p
    root = _sqrt_antiderivative(x + p, k) - _sqrt_antiderivative(p, k)
    return t0 * v + 0.25 * b * c * (0.5 * x * x - x + root)


@njit(cache=True)
def times(v, t0, cap, code, a, b, out):
    """Fill ``out`` with every link's travel time at flows ``v``."""
    for i in range(v.shape[0]):
        out[i] = link_time(v[i], t0[i], cap[i], code[i], a[i], b[i])


@njit(cache=True)
def derivatives(v, t0, cap, code, a, b, out):
    """Fill ``out`` with every link's time derivative at flows ``v``."""
    for i in range(v.shape[0]):
        out[i] = link_derivative(v[i], t0[i], cap[i], code[i], a[i], b[i])


@njit(cache=True)
def beckmann(v, t0, cap, code, a, b):
    """Sum over links of the integral of travel time from 0 to the flow."""
    total = 0.0
    for i in range(v.shape[0]):
        total += link_integral(v[i], t0[i], cap[i], code[i], a[i], b[i])
    return total


@njit(cache=True)
def dot(x, y):
    """Return the sum of ``x[i] * y[i]`` over two 1-D arrays of the same length.

    Used instead of numpy's ``@``, which hands long vectors to a multi-threaded BLAS whose
    threads then contend with numba's for the cores between shortest-path rounds.
    """
    total = 0.0
    for i in range(x.shape[0]):
        total += x[i] * y[i]
    return total


@njit(cache=True)
def _slope(s, v, d, fixed_slope, t0, cap, code, a, b):
    """Objective's slope along ``d`` at step ``s``, and its second derivative."""
    g = fixed_slope
    h = 0.0
    for i in range(v.shape[0]):
        di = d[i]
        if di != 0.0:
            w = v[i] + s * di
            g += link_time(w, t0[i], cap[i], code[i], a[i], b[i]) * di
            h += link_derivative(w, t0[i], cap[i], code[i], a[i], b[i]) * di * di
    return g, h


@njit(cache=True)
def line_search(v, d, fixed_slope, t0, cap, code, a, b):
    """Return the step in [0, 1] minimising the Beckmann objective from ``v`` along ``d``.

    Solves ``g(s) = sum_a t_a(v_a + s d_a) d_a + fixed_slope = 0`` by Newton's method
    safeguarded with bisection; ``fixed_slope`` is the flow-independent cost times the
    direction, summed over classes and links.
    """
    g1, _ = _slope(1.0, v, d, fixed_slope, t0, cap, code, a, b)
    if g1 <= 0.0:
        return 1.0
    g0, h0 = _slope(0.0, v, d, fixed_slope, t0, cap, code, a, b)
    if g0 >= 0.0:
        return 0.0
    lo = 0.0
    hi = 1.0
    s = 0.5
    if h0 > 0.0:
        s = min(max(-g0 / h0, 1e-12), 0.5)
    for _ in range(100):
        g, h = _slope(s, v, d, fixed_slope, t0, cap, code, a, b)
        if g > 0.0:
            hi = s
        elif g < 0.0:
            lo = s
        else:
            return s
        nxt = s - g / h if h > 0.0 else -1.0
        if not lo < nxt < hi:
            nxt = 0.5 * (lo + hi)
        if abs(nxt - s) <= 1e-15 * max(1.0, s) or hi - lo <= 1e-15:
            return nxt
        s = nxt
    return s
