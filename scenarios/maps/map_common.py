"""Pieces shared by the map builder's modules: the grid, the error type and
great-circle helpers. No knowledge of any data file lives here."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# Mean Earth radius of equal area (authalic radius of WGS84), km: a sphere of
# this radius has the ellipsoid's total area, so cell areas sum correctly.
EARTH_RADIUS_KM = 6371.0072
KM_PER_DEG = math.pi * EARTH_RADIUS_KM / 180.0


class InputError(Exception):
    """A problem with the command line or the input data (exit code 2)."""



@dataclass(frozen=True)
class Grid:
    lon0: float
    lat0: float
    d: float
    nx: int
    ny: int

    @property
    def lon_centres(self) -> np.ndarray:
        return self.lon0 + (np.arange(self.nx) + 0.5) * self.d

    @property
    def lat_centres(self) -> np.ndarray:
        return self.lat0 + (np.arange(self.ny) + 0.5) * self.d

    def cell_of(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(ix, iy) of the cells holding points; may be outside [0, n)."""
        ix = np.floor((np.asarray(lon) - self.lon0) / self.d).astype(np.int64)
        iy = np.floor((np.asarray(lat) - self.lat0) / self.d).astype(np.int64)
        return ix, iy

    def cell_area_km2(self) -> np.ndarray:
        """[ny, 1] area of one cell in each row, on the authalic sphere."""
        south = np.radians(self.lat0 + np.arange(self.ny) * self.d)
        north = np.radians(self.lat0 + (np.arange(self.ny) + 1) * self.d)
        area = EARTH_RADIUS_KM**2 * math.radians(self.d) * (np.sin(north) - np.sin(south))
        return area[:, None]



def unit_vectors(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lam, phi = np.radians(lon), np.radians(lat)
    return np.stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)], axis=-1)


def chord_to_km(chord: np.ndarray) -> np.ndarray:
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.clip(chord / 2.0, 0.0, 1.0))



def densify_line(coords: np.ndarray, step_km: float) -> np.ndarray:
    """Points along a lon/lat polyline no further apart than step_km (linear in lon/lat)."""
    out = [coords[:1]]
    for a, b in zip(coords[:-1], coords[1:]):
        mid_lat = math.radians(0.5 * (a[1] + b[1]))
        length = KM_PER_DEG * math.hypot((b[0] - a[0]) * math.cos(mid_lat), b[1] - a[1])
        n = max(1, math.ceil(length / step_km))
        t = (np.arange(1, n + 1) / n)[:, None]
        out.append(a + t * (b - a))
    return np.vstack(out)



def great_circle_km(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Great-circle distance between points (arrays broadcast), km."""
    chord = np.linalg.norm(unit_vectors(np.asarray(lon1, float), np.asarray(lat1, float))
                           - unit_vectors(np.asarray(lon2, float), np.asarray(lat2, float)), axis=-1)
    return chord_to_km(chord)
