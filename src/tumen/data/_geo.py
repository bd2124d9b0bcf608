"""Distances on the sphere and the detour factors used to derive unsourced lengths."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["DETOUR_FACTORS", "EARTH_RADIUS_KM", "derived_length_km", "great_circle_km"]

#: Mean Earth radius, km (IUGG).
EARTH_RADIUS_KM = 6371.0088

#: Ratio of route length to great-circle distance, by mode, used where no source gives a
#: link's length (source ``ASSUMPTION-DERIVED-LENGTH``). Rail 1.5 and road 1.2 are the
#: rounded medians of the ratios on the links whose lengths are sourced (see
#: ``docs/data.md``); sea 1.1 pads the one sourced sea ratio (Rajin–Vladivostok, 1.03).
DETOUR_FACTORS: dict[str, float] = {"rail": 1.5, "road": 1.2, "sea": 1.1, "ferry": 1.1}


def great_circle_km(
    lon1: npt.ArrayLike, lat1: npt.ArrayLike, lon2: npt.ArrayLike, lat2: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Return the great-circle (haversine) distance between points.

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : array_like of float
        Coordinates in decimal degrees (WGS84, treated as a sphere).

    Returns
    -------
    numpy.ndarray of float
        Distance in km.
    """
    l1, p1, l2, p2 = (np.radians(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2))
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin((l2 - l1) / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))))


def derived_length_km(mode: str, lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Return a link length derived from its end coordinates, rounded to 0.1 km.

    Parameters
    ----------
    mode : str
        Link mode; selects the detour factor in :data:`DETOUR_FACTORS`.
    lon1, lat1, lon2, lat2 : float
        End coordinates in decimal degrees.

    Returns
    -------
    float
        Great-circle distance times the mode's detour factor, km.
    """
    gc = float(great_circle_km(lon1, lat1, lon2, lat2))
    return round(gc * DETOUR_FACTORS[mode], 1)
