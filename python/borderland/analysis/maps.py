"""Where a policy changes things: maps of the difference between a policy's ensemble and the
baseline's, on the run's own map (provinces, the border, cities).

- Attacks by province: the mean number of attacks per province over the compared period, from
  the series `attacks_by_province` (every replica of a sweep) or, failing that, from the events
  table of run files (their `province` column); drawn as the policy's change per province.
- Attacks by district: where the run files' events carry a `district` column (ids into
  /map/districts) and the district layer can be found (the run's /map, else the map asset its
  scenario names), the same from the events of the map runs, district by district.
- Fighters (or any snapshot field): the mean over the snapshots in the period and over the map
  runs, summed on blocks of about a quarter degree, policy minus baseline.
"""
from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.colors import TwoSlopeNorm  # noqa: E402

from .. import io  # noqa: E402
from ..profiles import GENERIC, ModelProfile  # noqa: E402
from .figures import draw_basemap  # noqa: E402

BLOCK_DEG = 0.5  # sparse per-cell counts are summed over blocks of about this size to show a density


def province_attacks(ens, since=None) -> pd.Series | None:
    """Mean attacks per replica by province name over the period (None when the files cannot say)."""
    mask = ens.dates >= np.datetime64(since) if since else np.ones(len(ens.dates), bool)
    if ens.has_series("attacks_by_province"):
        values, meta = ens.series("attacks_by_province")
        return pd.Series(values[:, mask, :].sum(axis=1).mean(axis=0), index=meta.labels)
    events = ens.events()
    map_info = ens.map()
    if not events or map_info is None or map_info.provinces is None:
        return None
    names = dict(zip(map_info.provinces["id"].astype(int), map_info.provinces["name"]))
    start = np.datetime64(since) if since else ens.dates[0]
    counts = []
    for table in events:
        if "province" not in table or not len(table):
            counts.append(pd.Series(dtype=float))
            continue
        dates = np.array(table["date"].astype(str), dtype="datetime64[D]")
        counts.append(table.loc[dates >= start, "province"].astype(int).map(names).value_counts())
    return pd.concat(counts, axis=1).fillna(0).mean(axis=1)


def _map_asset(f) -> str | None:
    """The map asset a run's scenario names (`map:` relative to the scenario file), where it exists."""
    from . import policies
    try:
        scenario = policies.resolved_scenario(f.filename)
    except Exception:  # noqa: BLE001 (a file without a readable scenario: no asset)
        return None
    name = str((scenario.get("parameters") or {}).get("map") or scenario.get("map") or "")
    if not name:
        return None
    source = io.attr_text(f["scenario"], "source") if "scenario" in f else ""
    candidates = [name] if os.path.isabs(name) else [os.path.join(os.path.dirname(source), name)] if source else []
    return next((c for c in candidates if os.path.isfile(c)), None)


def district_layer(path: str) -> tuple[np.ndarray, pd.DataFrame] | None:
    """The district layer [ny, nx] (ids, -1 outside) and the /map/districts table of a run file: from
    its own /map, else from the map asset its scenario names (same grid). None where neither has one."""
    with io.open_h5(path) as f:
        if "map/district" in f and "map/districts" in f:
            return np.asarray(io.read_array(f, "map/district")), io.read_table(f, "map/districts")
        asset = _map_asset(f)
        shape = (int(f["map"].attrs["ny"]), int(f["map"].attrs["nx"])) if "map" in f and "ny" in f["map"].attrs \
            else None
    if asset is None:
        return None
    with io.open_h5(asset) as g:
        if "map/district" not in g or "map/districts" not in g:
            return None
        layer = np.asarray(io.read_array(g, "map/district"))
        if shape is not None and layer.shape != shape:
            return None
        return layer, io.read_table(g, "map/districts")


def district_ids(table: pd.DataFrame) -> dict[str, int]:
    """District name -> id of a /map/districts table."""
    return {str(name): int(i) for i, name in zip(table["id"], table["name"])}


def ensemble_district_attacks(ens, table: pd.DataFrame, since=None) -> pd.Series | None:
    """Mean attacks per replica by district id over the period, from the `attacks_by_district` series
    (its labels are /map/districts names); None when the files do not carry it."""
    if not ens.has_series("attacks_by_district"):
        return None
    values, meta = ens.series("attacks_by_district")
    mask = ens.dates >= np.datetime64(since) if since else np.ones(len(ens.dates), bool)
    ids = district_ids(table)
    means = values[:, mask, :].sum(axis=1).mean(axis=0)
    return pd.Series({ids[label]: v for label, v in zip(meta.labels, means) if label in ids}, dtype=float)


def district_attacks(paths: list[str], since=None, table: pd.DataFrame | None = None) -> pd.Series | None:
    """Mean attacks per run by district id over the period, from the events' `district` column (None
    when a file has no events or no such column: the province map stands alone then). The column
    holds district names (the TTP model) or ids; names are turned into ids with `table`."""
    if not paths:
        return None
    names = district_ids(table) if table is not None else {}
    counts = []
    for path in paths:
        with io.open_h5(path) as f:
            if "events" not in f:
                return None
            table = io.read_table(f, "events")
        if "district" not in table:
            return None
        dates = np.array(table["date"].astype(str), dtype="datetime64[D]") if len(table) else np.array([], "M8[D]")
        keep = dates >= np.datetime64(since) if since else np.ones(len(table), bool)
        column = table.loc[keep, "district"]
        if column.dtype == object or str(column.dtype).startswith(("str", "string")):
            column = column.astype(str).map(names).dropna()  # names; "" (outside districts) drops out
        district = column.astype(int)
        counts.append(district[district >= 0].value_counts())
    return pd.concat(counts, axis=1).fillna(0).sum(axis=1) / len(paths)


def district_raster(layer: np.ndarray, values: pd.Series) -> np.ndarray:
    """A per-cell image of per-district values (NaN outside districts and where no value)."""
    ids = layer.astype(int)
    lookup = np.full(max(int(ids.max()), int(max(values.index, default=0))) + 2, np.nan)
    for i, v in values.items():
        if int(i) >= 0:
            lookup[int(i)] = v
    return np.where(ids >= 0, lookup[np.clip(ids, 0, len(lookup) - 1)], np.nan)


def province_raster(map_info: io.MapInfo, values: pd.Series) -> np.ndarray:
    """A per-cell image of per-province values (NaN outside provinces without a value)."""
    prov = map_info.layers["province"].astype(int)
    by_id = {int(i): values.get(name, np.nan) for i, name in zip(map_info.provinces["id"], map_info.provinces["name"])}
    lookup = np.full(max(by_id) + 2, np.nan)
    for i, v in by_id.items():
        lookup[i] = v
    return np.where(prov >= 0, lookup[np.clip(prov, 0, len(lookup) - 1)], np.nan)


def mean_snapshot(paths: list[str], field: str, since=None) -> tuple[np.ndarray, io.MapInfo, int] | None:
    """The mean of /snapshots/FIELD over the snapshots on or after `since` and over the files:
    (mean [ny, nx], map, snapshots used per file)."""
    total, count, map_info, used = None, 0, None, 0
    for path in paths:
        with io.open_h5(path) as f:
            if f"snapshots/{field}" not in f:
                continue
            frames = np.asarray(io.read_array(f, f"snapshots/{field}"), dtype=float)
            dates = io.read_dates(f, "snapshots/date")
            keep = dates >= np.datetime64(since) if since else np.ones(len(dates), bool)
            if not keep.any():
                continue
            map_info = map_info or io.read_map(f)
            mean = frames[keep].mean(axis=0)
            total = mean if total is None else total + mean
            count += 1
            used = int(keep.sum())
    if total is None:
        return None
    return total / count, map_info, used


def blocks(grid: np.ndarray, map_info: io.MapInfo):
    """Sum a per-cell grid over blocks of about BLOCK_DEG: (blocked grid, extent, block size in degrees)."""
    k = max(1, int(round(BLOCK_DEG / map_info.dlon)))
    ny, nx = grid.shape
    padded = np.pad(np.nan_to_num(grid), ((0, (-ny) % k), (0, (-nx) % k)))
    summed = padded.reshape(padded.shape[0] // k, k, padded.shape[1] // k, k).sum(axis=(1, 3))
    extent = [map_info.lon0, map_info.lon0 + padded.shape[1] * map_info.dlon,
              map_info.lat0, map_info.lat0 + padded.shape[0] * map_info.dlat]
    return summed, extent, k * map_info.dlon


def _symmetric_norm(panels: list[np.ndarray]) -> TwoSlopeNorm:
    finite = np.concatenate([p[np.isfinite(p)].ravel() for p in panels]) if panels else np.array([0.0])
    reach = float(np.quantile(np.abs(finite), 0.99)) if finite.size else 1.0
    reach = reach or 1.0
    return TwoSlopeNorm(vcenter=0.0, vmin=-reach, vmax=reach)


def figure_difference_maps(map_info: io.MapInfo, panels: list[tuple[str, np.ndarray, list | None]], title: str,
                           colour_label: str, out_path: str, profile: ModelProfile = GENERIC):
    """One map per policy: a diverging image of policy minus baseline (blue fewer, red more).
    panels: (panel title, image, extent or None for the map's own)."""
    ncol = min(4, max(1, len(panels)))
    nrow = int(np.ceil(len(panels) / ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.2 * ncol, 3.9 * nrow + 0.8), squeeze=False)
    norm = _symmetric_norm([p[1] for p in panels])
    image = None
    for ax, (name, grid, extent) in zip(axes.ravel(), panels):
        draw_basemap(ax, map_info, n_cities=5, border_label=profile.border_label)
        shown = np.ma.masked_where(~np.isfinite(grid) | (grid == 0), grid)
        image = ax.imshow(shown, origin="lower", extent=extent or map_info.extent, cmap="RdBu_r", norm=norm,
                          interpolation="nearest", zorder=1, alpha=0.9)
        ax.set_title(name, fontsize=9)
        ax.tick_params(labelsize=7)
        ax.xaxis.label.set_size(7)
        ax.yaxis.label.set_size(7)
    for ax in axes.ravel()[len(panels):]:
        ax.set_visible(False)
    if image is not None:
        fig.colorbar(image, ax=axes.ravel().tolist(), label=colour_label, shrink=0.8, extend="both")
    fig.suptitle(title, fontsize=11)
    fig.savefig(out_path, dpi=90, bbox_inches="tight")
    plt.close(fig)
