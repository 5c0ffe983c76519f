"""Clusters of events per zoom level, computed when the map is built: a hierarchical grid in numpy.

At zoom ``z`` the Web Mercator world is ``256 * 2**z`` pixels wide; it is cut into square cells
of ``CELL_PX`` pixels and the events of one cell form one cluster. Each cell at zoom ``z`` is
exactly four cells at ``z + 1``, so the clusters nest from the widest zoom to the closest.

Events are put in Z-order (Morton order) of their cell at the closest zoom. In that order the
members of every cluster, at every zoom, are one contiguous run of events; a zoom level is then
just the set of positions where a new run starts. That is what the page receives (one bit per
event and zoom), and with running sums over the events that pass its filters (dates, types) it
counts a cluster and places it at its members' mean in constant time.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CELL_PX = 64                    # a cluster gathers the events of a 64 x 64 pixel square on screen
TILE_PX = 256
MAX_MERCATOR_LAT = 85.05112878  # Web Mercator's edge: points beyond it are drawn on it


def mercator_unit(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Web Mercator coordinates scaled to the unit square (x east from -180, y south from the top)."""
    phi = np.radians(np.clip(np.asarray(lat, dtype=float), -MAX_MERCATOR_LAT, MAX_MERCATOR_LAT))
    x = (np.asarray(lon, dtype=float) + 180.0) / 360.0
    y = 0.5 - np.log(np.tan(np.pi / 4 + phi / 2)) / (2 * np.pi)
    return x, y


def cells_per_side(zoom: int) -> int:
    return TILE_PX * 2 ** zoom // CELL_PX


def _spread_bits(v: np.ndarray) -> np.ndarray:
    """Put bit k of each value at bit 2k (interleaving for a Morton code); values below 2**31."""
    v = v.astype(np.uint64)
    for shift, mask in ((16, 0x0000FFFF0000FFFF), (8, 0x00FF00FF00FF00FF), (4, 0x0F0F0F0F0F0F0F0F),
                        (2, 0x3333333333333333), (1, 0x5555555555555555)):
        v = (v | (v << np.uint64(shift))) & np.uint64(mask)
    return v


@dataclass(frozen=True)
class GridClusters:
    """Events clustered on a nested grid, for zooms ``min_zoom`` .. ``max_zoom``.

    ``order``: the events' row numbers in Z-order (position -> row of the input). ``starts[z]``:
    the positions in that order where a cluster of zoom ``z`` begins (the first is 0). ``lat``,
    ``lon``: the events' coordinates in Z-order.
    """

    order: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    min_zoom: int
    max_zoom: int
    starts: dict[int, np.ndarray]

    def __len__(self) -> int:
        return len(self.order)

    def counts(self, zoom: int) -> np.ndarray:
        """Events per cluster at ``zoom``."""
        return np.diff(np.append(self.starts[zoom], len(self.order)))

    def members(self, zoom: int) -> list[np.ndarray]:
        """Each cluster's events at ``zoom``, as rows of the input."""
        return np.split(self.order, self.starts[zoom][1:])

    def centroids(self, zoom: int) -> tuple[np.ndarray, np.ndarray]:
        """Each cluster's mean latitude and longitude at ``zoom``."""
        starts, counts = self.starts[zoom], self.counts(zoom)
        if not len(starts):
            return np.empty(0), np.empty(0)
        return np.add.reduceat(self.lat, starts) / counts, np.add.reduceat(self.lon, starts) / counts

    def first_cell_bits(self) -> dict[int, np.ndarray]:
        """Per zoom, one flag per event in Z-order: does a new cluster start here?"""
        flags = {}
        for zoom, starts in self.starts.items():
            flag = np.zeros(len(self.order), dtype=bool)
            flag[starts] = True
            flags[zoom] = flag
        return flags


def cluster_grid(lat, lon, *, min_zoom: int, max_zoom: int) -> GridClusters:
    """Cluster points (degrees) on the nested grid of every zoom from ``min_zoom`` to ``max_zoom``.

    Deterministic: ties in Z-order are broken by latitude, longitude and then input row.
    """
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    if lat.shape != lon.shape or lat.ndim != 1:
        raise ValueError("latitudes and longitudes must be two 1-d arrays of the same length")
    if not (np.isfinite(lat).all() and np.isfinite(lon).all()):
        raise ValueError("every point needs a finite latitude and longitude")
    if not 0 <= min_zoom <= max_zoom <= 23:
        raise ValueError(f"zooms {min_zoom}..{max_zoom}: need 0 <= min_zoom <= max_zoom <= 23")
    side = cells_per_side(max_zoom)
    x, y = mercator_unit(lat, np.clip(lon, -180.0, 180.0))
    gx = np.clip(np.floor(x * side), 0, side - 1).astype(np.int64)
    gy = np.clip(np.floor(y * side), 0, side - 1).astype(np.int64)
    code = _spread_bits(gx) | (_spread_bits(gy) << np.uint64(1))
    order = np.lexsort((np.arange(len(lat)), lon, lat, code))
    code = code[order]
    starts = {}
    for zoom in range(min_zoom, max_zoom + 1):
        cell = code >> np.uint64(2 * (max_zoom - zoom))
        new = np.ones(len(cell), dtype=bool)
        new[1:] = cell[1:] != cell[:-1]
        starts[zoom] = np.flatnonzero(new)
    return GridClusters(order=order, lat=lat[order], lon=lon[order], min_zoom=min_zoom, max_zoom=max_zoom,
                        starts=starts)
