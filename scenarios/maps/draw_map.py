#!/usr/bin/python3
"""Draw a borderland map asset: one PNG per layer and an overview map.

    /usr/bin/python3 scenarios/maps/draw_map.py [MAP.h5] [-o OUTDIR]

Defaults: scenarios/maps/afpak_0p05.h5 into docs/img/map/. Reads only the
asset (layout in docs/hdf5_layout.md), so it draws any map the builder makes.
Exit codes: 0 ok, 2 bad input (missing or unreadable file).
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import h5py
import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import colors  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

SEA, PK, AF, OTHER_LAND = 0, 1, 2, 3
FIG_SIZE_IN = (9.0, 7.6)
DPI = 100  # keeps each PNG well under 300 KB
SEA_COLOUR = "#cfe3f2"
OTHER_LAND_COLOUR = "#e6e2da"
BORDER_COLOUR = "#c0141c"
# Land part of matplotlib's "terrain" (green lowlands to white peaks), so that
# low plains are not drawn in the blue of the sea.
LAND_CMAP = colors.LinearSegmentedColormap.from_list("land", plt.get_cmap("terrain")(np.linspace(0.25, 1.0, 256)))
CITIES_LABELLED = 14  # largest places named on the overview

# Neighbouring countries are all "other land" in the asset; their names are
# placed by hand for orientation only.
NEIGHBOUR_LABELS = (
    ("IRAN", 60.55, 27.0, 90),
    ("INDIA", 75.3, 27.0, 0),
    ("CHINA", 76.9, 36.9, 0),
    ("TAJIKISTAN", 70.6, 37.85, 0),
    ("TURKMENISTAN", 61.6, 37.6, 0),
    ("UZBEKISTAN", 66.6, 37.85, 0),
    ("Arabian Sea", 63.0, 23.8, 0),
)
# Short labels of Pakistan's units on the overview.
PK_SHORT = {
    "PK.BA": "Balochistan", "PK.JK": "AJK", "PK.IS": "ICT", "PK.NA": "Gilgit-\nBaltistan",
    "PK.TA": "FATA", "PK.PB": "Punjab", "PK.SD": "Sindh", "PK.NW": "Khyber\nPakhtunkhwa",
}


@dataclass
class MapAsset:
    lon0: float
    lat0: float
    dlon: float
    dlat: float
    nx: int
    ny: int
    layers: dict
    attrs: dict
    provinces: dict
    places: dict
    crossings: dict
    tables: dict  # every table of /map by name (with the district layers: districts, presence, targets, place_info)

    @property
    def extent(self) -> list[float]:
        return [self.lon0, self.lon0 + self.nx * self.dlon, self.lat0, self.lat0 + self.ny * self.dlat]

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        return (self.lon0 + (np.arange(self.nx) + 0.5) * self.dlon,
                self.lat0 + (np.arange(self.ny) + 0.5) * self.dlat)


def text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def read_table(group: h5py.Group) -> dict:
    out = {}
    for col in text(group.attrs["columns"]).split(","):
        values = group[col][()]
        out[col] = [text(v) for v in values] if values.dtype.kind == "S" else values
    return out


def load(path: Path) -> MapAsset:
    try:
        with h5py.File(path, "r") as f:
            m = f["map"]
            layers, attrs = {}, {}
            for name, obj in m.items():
                if isinstance(obj, h5py.Dataset):
                    layers[name] = obj[()]
                    attrs[name] = {k: text(v) for k, v in obj.attrs.items()}
            tables = {name: read_table(obj) for name, obj in m.items() if isinstance(obj, h5py.Group)}
            return MapAsset(float(m.attrs["lon0"]), float(m.attrs["lat0"]), float(m.attrs["dlon"]),
                            float(m.attrs["dlat"]), int(m.attrs["nx"]), int(m.attrs["ny"]), layers, attrs,
                            tables["provinces"], tables["places"], tables["crossings"], tables)
    except (OSError, KeyError) as e:
        raise SystemExit(f"draw_map.py: error: cannot read map asset {path}: {e}") from None


# ----------------------------------------------------------------------------
# Building blocks
# ----------------------------------------------------------------------------
def new_axes(asset: MapAsset, title: str, colorbar: bool = False):
    size = (FIG_SIZE_IN[0] + 1.3, FIG_SIZE_IN[1] - 0.6) if colorbar else FIG_SIZE_IN
    fig, ax = plt.subplots(figsize=size, dpi=DPI)
    ax.set_xlim(asset.extent[0], asset.extent[1])
    ax.set_ylim(asset.extent[2], asset.extent[3])
    # Equal distances on the ground at the map's mid-latitude (~30.5 N).
    ax.set_aspect(1.0 / np.cos(np.radians(0.5 * (asset.extent[2] + asset.extent[3]))))
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    ax.set_title(title, fontsize=12)
    ax.grid(color="k", alpha=0.12, linewidth=0.5)
    return fig, ax


def show(ax, asset: MapAsset, data, **kw):
    return ax.imshow(data, origin="lower", extent=asset.extent, interpolation="nearest", **kw)


def draw_background(ax, asset: MapAsset) -> None:
    """Sea and foreign land in flat colours."""
    country = asset.layers["country"]
    rgb = np.zeros(country.shape + (4,))
    rgb[country == SEA] = colors.to_rgba(SEA_COLOUR)
    rgb[country == OTHER_LAND] = colors.to_rgba(OTHER_LAND_COLOUR)
    show(ax, asset, rgb)


def draw_outlines(ax, asset: MapAsset, provinces: bool = True, border_label: bool = True) -> None:
    """Province edges (from the raster), country edges, and the Durand Line (zero of border_distance)."""
    lon, lat = asset.centres()
    if provinces:
        draw_edges(ax, asset, asset.layers["province"], "#5a5a5a", 0.45)
    draw_edges(ax, asset, asset.layers["country"], "#222222", 0.9)
    bd = np.nan_to_num(asset.layers["border_distance"], nan=0.0)
    both = np.isfinite(asset.layers["border_distance"])
    # Contour the signed distance only where both sides are PK/AF.
    masked = np.ma.array(bd, mask=~both)
    ax.contour(lon, lat, masked, levels=[0.0], colors=BORDER_COLOUR, linewidths=1.8)
    if border_label:
        ax.plot([], [], color=BORDER_COLOUR, linewidth=1.8, label="Afghanistan–Pakistan border (Durand Line)")


def draw_edges(ax, asset: MapAsset, ids: np.ndarray, colour: str, width: float) -> None:
    """Lines along cell edges where neighbouring cells hold different ids."""
    x0, y0, dx, dy = asset.lon0, asset.lat0, asset.dlon, asset.dlat
    segs = []
    jy, ix = np.nonzero(ids[:, 1:] != ids[:, :-1])  # vertical edges
    xs = x0 + (ix + 1) * dx
    segs += [((x, y0 + j * dy), (x, y0 + (j + 1) * dy)) for x, j in zip(xs, jy)]
    jy, ix = np.nonzero(ids[1:, :] != ids[:-1, :])  # horizontal edges
    ys = y0 + (jy + 1) * dy
    segs += [((x0 + i * dx, y), (x0 + (i + 1) * dx, y)) for y, i in zip(ys, ix)]
    from matplotlib.collections import LineCollection
    ax.add_collection(LineCollection(segs, colors=colour, linewidths=width))


def draw_crossings(ax, asset: MapAsset, labels: bool = True) -> None:
    c = asset.crossings
    ax.scatter(c["lon"], c["lat"], marker="D", s=38, facecolor="#ffd400", edgecolor="k", linewidth=0.9,
               zorder=6, label="border crossing")
    if labels:
        for name, lon, lat in zip(c["name"], c["lon"], c["lat"]):
            short = name.split(" (")[0]
            ax.annotate(short, (lon, lat), xytext=(-6, 0), textcoords="offset points", ha="right", va="center",
                        fontsize=7.5, fontweight="bold", zorder=7,
                        bbox=dict(boxstyle="round,pad=0.15", fc="#fff6c2", ec="none", alpha=0.85))


def draw_cities(ax, asset: MapAsset, n: int = CITIES_LABELLED) -> None:
    p = asset.places
    order = np.argsort(-np.asarray(p["population"]), kind="stable")[:n]
    lon, lat = np.asarray(p["lon"])[order], np.asarray(p["lat"])[order]
    ax.scatter(lon, lat, s=18, c="k", zorder=5, label=f"{n} largest places (GeoNames)")
    for k, i in enumerate(order):
        ax.annotate(p["name"][i], (lon[k], lat[k]), xytext=(4, 3), textcoords="offset points", fontsize=7.5,
                    zorder=7, bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.7))


def draw_neighbour_labels(ax) -> None:
    for name, lon, lat, rot in NEIGHBOUR_LABELS:
        style = "italic" if name[0].islower() or " " in name else "normal"
        ax.text(lon, lat, name, fontsize=8, color="#6d6d6d", ha="center", va="center", rotation=rot,
                style=style)


def save(fig, out: Path) -> Path:
    fig.tight_layout()
    fig.savefig(out, dpi=DPI)
    plt.close(fig)
    return out


def credit(ax) -> None:
    ax.text(0.005, 0.005, "Data: Natural Earth; NOAA ETOPO5; GeoNames (CC-BY 4.0); PBS census 2017",
            transform=ax.transAxes, fontsize=6.5, ha="left", va="bottom", color="#444444")


# ----------------------------------------------------------------------------
# Figures
# ----------------------------------------------------------------------------
def province_colours(asset: MapAsset) -> np.ndarray:
    """RGBA per province id: Pakistan's units in distinct warm pastels,
    Afghanistan's provinces in pale blue-green tints, so that the two countries
    read apart at a glance and neighbouring provinces still differ."""
    n = len(asset.provinces["id"])
    pk_palette = ["#f4b183", "#f7d6a6", "#e8c1d8", "#d7b4f0", "#f6a5a5", "#fbe7a1", "#e2d1b3", "#f3c6a0"]
    af_cmap = plt.get_cmap("GnBu")
    out = np.zeros((n, 4))
    k_pk = k_af = 0
    for i, iso in enumerate(asset.provinces["country"]):
        if iso == "PK":
            out[i] = colors.to_rgba(pk_palette[k_pk % len(pk_palette)])
            k_pk += 1
        else:
            # Golden-ratio steps spread the tints so adjacent ids rarely match.
            out[i] = af_cmap(0.12 + 0.3 * ((k_af * 0.618034) % 1.0))
            k_af += 1
    return out


def draw_overview(asset: MapAsset, out: Path) -> Path:
    fig, ax = new_axes(asset, "borderland map: Pakistan and Afghanistan (provinces pre-2018, FATA separate)")
    draw_background(ax, asset)
    prov = asset.layers["province"]
    rgba = np.zeros(prov.shape + (4,))
    inside = prov >= 0
    rgba[inside] = province_colours(asset)[prov[inside]]
    show(ax, asset, rgba)
    draw_outlines(ax, asset)
    label_units(ax, asset)
    draw_neighbour_labels(ax)
    draw_cities(ax, asset)
    draw_crossings(ax, asset)
    ax.legend(loc="lower right", fontsize=8, framealpha=0.9,
              handles=ax.get_legend_handles_labels()[0] + [
                  Patch(fc="#f4b183", ec="#5a5a5a", label="Pakistani unit (8)"),
                  Patch(fc=plt.get_cmap("GnBu")(0.25), ec="#5a5a5a", label="Afghan province (34)"),
              ])
    credit(ax)
    return save(fig, out)


def label_units(ax, asset: MapAsset) -> None:
    """Names of Pakistan's units and of the country pair, at the units' centroids."""
    lon, lat = asset.centres()
    prov = asset.layers["province"]
    for pid, hasc in zip(asset.provinces["id"], asset.provinces["hasc"]):
        if hasc not in PK_SHORT:
            continue
        iy, ix = np.nonzero(prov == pid)
        if len(ix) == 0:
            continue
        x, y = lon[ix].mean(), lat[iy].mean()
        if hasc == "PK.IS":  # too small for a centred label
            ax.annotate("ICT", (x, y), xytext=(8, -10), textcoords="offset points", fontsize=7, style="italic")
            continue
        if hasc == "PK.TA":
            x, y = x + 0.25, y - 0.2
        ax.text(x, y, PK_SHORT[hasc], fontsize=8, style="italic", ha="center", va="center", color="#333333")
    ax.text(64.6, 32.6, "AFGHANISTAN", fontsize=13, color="#2d4f5e", ha="center", alpha=0.75, fontweight="bold")
    ax.text(69.2, 27.0, "PAKISTAN", fontsize=13, color="#7a3b12", ha="center", alpha=0.75, fontweight="bold")


def draw_categorical(asset: MapAsset, out: Path, title: str, data: np.ndarray, labels: dict,
                     palette: dict) -> Path:
    fig, ax = new_axes(asset, title)
    rgba = np.zeros(data.shape + (4,))
    for code, colour in palette.items():
        rgba[data == code] = colors.to_rgba(colour)
    show(ax, asset, rgba)
    draw_outlines(ax, asset, provinces=False)
    ax.legend(handles=[Patch(fc=palette[c], ec="k", lw=0.4, label=labels[c]) for c in palette]
              + ax.get_legend_handles_labels()[0], loc="lower right", fontsize=8, framealpha=0.9)
    credit(ax)
    return save(fig, out)


def draw_continuous(asset: MapAsset, out: Path, title: str, data: np.ndarray, label: str, cmap,
                    norm=None, mask_outside: bool = True, crossings: bool = False) -> Path:
    """A continuous layer over PK and AF (or all land when mask_outside is False)."""
    fig, ax = new_axes(asset, title, colorbar=True)
    draw_background(ax, asset)
    hidden = (SEA, OTHER_LAND) if mask_outside else (SEA,)
    shown = np.ma.masked_where(np.isin(asset.layers["country"], hidden) | ~np.isfinite(data), data)
    im = show(ax, asset, shown, cmap=cmap, norm=norm)
    draw_outlines(ax, asset, provinces=True)
    if crossings:
        draw_crossings(ax, asset)
    fig.colorbar(im, ax=ax, shrink=0.75, label=label)
    ax.legend(loc="lower right", fontsize=8, framealpha=0.9)
    credit(ax)
    return save(fig, out)


def draw_layers(asset: MapAsset, outdir: Path) -> list[Path]:
    L = asset.layers
    res = f"{asset.dlon:g}°"
    outs = [
        draw_overview(asset, outdir / "overview.png"),
        draw_categorical(asset, outdir / "country.png", f"country ({res} cells)", L["country"],
                         {SEA: "sea", PK: "Pakistan", AF: "Afghanistan", OTHER_LAND: "other land"},
                         {SEA: SEA_COLOUR, PK: "#e9a86b", AF: "#9cc98f", OTHER_LAND: OTHER_LAND_COLOUR}),
    ]
    fig, ax = new_axes(asset, f"province: {len(asset.provinces['id'])} admin-1 units (FATA separate)")
    draw_background(ax, asset)
    prov = L["province"]
    rgba = np.zeros(prov.shape + (4,))
    rgba[prov >= 0] = province_colours(asset)[prov[prov >= 0]]
    show(ax, asset, rgba)
    draw_outlines(ax, asset)
    label_all_provinces(ax, asset)
    ax.legend(loc="lower right", fontsize=8, framealpha=0.9)
    credit(ax)
    outs.append(save(fig, outdir / "province.png"))

    land = L["elevation"]
    outs.append(draw_continuous(asset, outdir / "elevation.png", "elevation (ETOPO5, coarse and quantised)",
                                land, "m above sea level", LAND_CMAP, norm=colors.Normalize(0, 6000),
                                mask_outside=False))
    outs.append(draw_continuous(asset, outdir / "ruggedness.png",
                                "ruggedness: std. dev. of ETOPO5 elevation in a ~25 km window",
                                L["ruggedness"], "m", "magma_r", norm=colors.Normalize(0, 1200)))
    pop_density = L["population"] / cell_area_km2(asset)
    outs.append(draw_continuous(asset, outdir / "population.png",
                                "population density (proxy: GeoNames places + kernels, scaled to census)",
                                np.where(pop_density > 0, pop_density, np.nan), "persons per km² (log scale)",
                                "YlOrRd", norm=colors.LogNorm(1, 30000)))
    outs.append(draw_categorical(asset, outdir / "urban.png", "urban cells (density ≥ 1500 per km² "
                                 "or a place ≥ 50 000)",
                                 np.select([L["country"] == SEA, L["country"] == OTHER_LAND], [-1, -2], L["urban"]),
                                 {-1: "sea", -2: "other land", 0: "not urban (PK, AF)", 1: "urban"},
                                 {-1: SEA_COLOUR, -2: OTHER_LAND_COLOUR, 0: "#fbf8ef", 1: "#b2182b"}))
    outs.append(draw_nearest_place(asset, outdir / "nearest_place.png"))
    outs.append(draw_continuous(asset, outdir / "border_distance.png",
                                "distance to the Afghanistan–Pakistan border (+ Pakistan, − Afghanistan)",
                                L["border_distance"], "km", "RdBu_r", norm=colors.TwoSlopeNorm(0, -600, 600),
                                crossings=True))
    outs.append(draw_border(asset, outdir / "border.png"))
    if "district" in L:  # the district, presence and target layers
        outs += draw_issue13_layers(asset, outdir)
    return outs


def draw_issue13_layers(asset: MapAsset, outdir: Path) -> list[Path]:
    L = asset.layers
    outs = [draw_districts(asset, outdir / "district.png")]
    pop_density = L["population_district"] / cell_area_km2(asset)
    outs.append(draw_continuous(asset, outdir / "population_district.png",
                                "population density, census totals per district (proxy)",
                                np.where(pop_density > 0, pop_density, np.nan), "persons per km² (log scale)",
                                "YlOrRd", norm=colors.LogNorm(1, 30000)))
    for layer, title in (("presence_ttp", "presence of the TTP and allied factions, 2020 – Feb 2023"),
                         ("presence_baloch", "presence of the Baloch insurgents (BLA, BLF, BRA), 2020 – Feb 2023")):
        outs.append(draw_presence(asset, outdir / f"{layer}.png", L[layer], title))
    outs.append(draw_targets(asset, outdir / "targets.png"))
    outs.append(draw_continuous(asset, outdir / "travel_cost.png",
                                "travel cost: hours to cross a cell (national highways fastest)",
                                L["travel_cost"], "hours per cell (log scale)", "viridis_r",
                                norm=colors.LogNorm(0.08, 3.0)))
    outs.append(draw_continuous(asset, outdir / "access_seat_hours.png",
                                "access: travel hours from the nearest district seat", L["access_seat_hours"],
                                "hours", "magma_r", norm=colors.Normalize(0, 24)))
    outs.append(draw_continuous(asset, outdir / "access_border_hours.png",
                                "access: travel hours from the Afghanistan–Pakistan border",
                                L["access_border_hours"], "hours", "magma_r", norm=colors.Normalize(0, 36),
                                crossings=True))
    return outs


def draw_districts(asset: MapAsset, out: Path) -> Path:
    """District cells in shuffled pale colours, seats as dots (hand-placed seats as rings)."""
    d = asset.tables["districts"]
    fig, ax = new_axes(asset, f"district: {len(d['id'])} census districts (2017), placed by their seats")
    draw_background(ax, asset)
    layer = asset.layers["district"]
    rng = np.random.default_rng(2017)  # fixed: the picture is reproducible
    palette = plt.get_cmap("tab20")(rng.permutation(len(d["id"])) % 20)
    palette[:, :3] = 0.55 * palette[:, :3] + 0.45
    rgba = np.zeros(layer.shape + (4,))
    rgba[layer >= 0] = palette[layer[layer >= 0]]
    outside = (layer < 0) & np.isin(asset.layers["country"], (PK, AF))
    rgba[outside] = colors.to_rgba("#f2f2f2")
    show(ax, asset, rgba)
    draw_edges(ax, asset, layer, "#7a7a7a", 0.3)
    draw_outlines(ax, asset)
    hand = np.array([m == "hand" for m in d["seat_match"]])
    ax.scatter(d["seat_lon"][~hand], d["seat_lat"][~hand], s=7, c="k", zorder=5, label="seat (GeoNames)")
    ax.scatter(d["seat_lon"][hand], d["seat_lat"][hand], s=16, facecolor="none", edgecolor="k", linewidth=0.8,
               zorder=5, label="seat placed by hand")
    ax.legend(loc="lower right", fontsize=8, framealpha=0.9)
    credit(ax)
    return save(fig, out)


PRESENCE_COLOURS = {0: "#f6f3ea", 1: "#fdd49e", 2: "#fc8d59", 3: "#b30000"}
PRESENCE_LABELS = {0: "0 none documented", 1: "1 occasional", 2: "2 sustained", 3: "3 base area / sanctuary"}


def draw_presence(asset: MapAsset, out: Path, data: np.ndarray, title: str) -> Path:
    fig, ax = new_axes(asset, title)
    draw_background(ax, asset)
    rgba = np.zeros(data.shape + (4,))
    land = np.isin(asset.layers["country"], (PK, AF))
    for level, colour in PRESENCE_COLOURS.items():
        rgba[land & (data == level)] = colors.to_rgba(colour)
    show(ax, asset, rgba)
    draw_edges(ax, asset, asset.layers["district"], "#9a9a9a", 0.3)
    draw_outlines(ax, asset)
    ax.legend(handles=[Patch(fc=c, ec="k", lw=0.4, label=PRESENCE_LABELS[v]) for v, c in PRESENCE_COLOURS.items()]
              + ax.get_legend_handles_labels()[0], loc="lower right", fontsize=8, framealpha=0.9)
    credit(ax)
    return save(fig, out)


TARGET_STYLE = {  # kind: (marker, size, colour, label)
    "police_station": ("o", 3, "#5b8bd6", "police station (by population)"),
    "district_police_hq": ("s", 14, "#1f4e9c", "district police HQ and police lines"),
    "provincial_police_hq": ("*", 90, "#0b1f4a", "provincial police HQ"),
    "fc_post": ("^", 30, "#2e7d32", "Frontier Corps post"),
    "cantonment": ("P", 40, "#6d4c41", "cantonment / garrison"),
    "ctd_office": ("D", 20, "#8e24aa", "CTD office"),
    "prison": ("X", 40, "#d84315", "central prison"),
}


def draw_targets(asset: MapAsset, out: Path) -> Path:
    t = asset.tables["targets"]
    fig, ax = new_axes(asset, "targets: state installations by kind, placed by district")
    draw_background(ax, asset)
    land = np.zeros(asset.layers["country"].shape + (4,))
    land[np.isin(asset.layers["country"], (PK, AF))] = colors.to_rgba("#f6f3ea")
    show(ax, asset, land)
    draw_edges(ax, asset, asset.layers["district"], "#b0b0b0", 0.3)
    draw_outlines(ax, asset)
    kinds = np.array(t["kind"])
    for kind, (marker, size, colour, label) in TARGET_STYLE.items():
        sel = kinds == kind
        ax.scatter(np.asarray(t["lon"])[sel], np.asarray(t["lat"])[sel], marker=marker, s=size, c=colour,
                   zorder=6 if kind != "police_station" else 4, label=f"{label} ({int(sel.sum())})",
                   linewidths=0.3, edgecolors="k" if size > 10 else "none")
    ax.legend(loc="lower right", fontsize=7.5, framealpha=0.9)
    credit(ax)
    return save(fig, out)


def label_all_provinces(ax, asset: MapAsset) -> None:
    lon, lat = asset.centres()
    prov = asset.layers["province"]
    for pid, name, hasc in zip(asset.provinces["id"], asset.provinces["name"], asset.provinces["hasc"]):
        iy, ix = np.nonzero(prov == pid)
        if len(ix) == 0:
            continue
        short = PK_SHORT.get(hasc, name)
        size = 7 if hasc.startswith("PK") else 5.5
        ax.text(lon[ix].mean(), lat[iy].mean(), short, fontsize=size, ha="center", va="center", color="#222222")


def cell_area_km2(asset: MapAsset) -> np.ndarray:
    r = 6371.0072
    south = np.radians(asset.lat0 + np.arange(asset.ny) * asset.dlat)
    north = south + np.radians(asset.dlat)
    return (r * r * np.radians(asset.dlon) * (np.sin(north) - np.sin(south)))[:, None]


def draw_nearest_place(asset: MapAsset, out: Path) -> Path:
    """Voronoi regions of the places: shuffled colours so neighbours differ."""
    fig, ax = new_axes(asset, "nearest_place: nearest GeoNames place of the same country")
    draw_background(ax, asset)
    near = asset.layers["nearest_place"]
    rng = np.random.default_rng(12345)  # fixed: the picture is reproducible
    palette = plt.get_cmap("tab20")(rng.permutation(len(asset.places["id"])) % 20)
    palette[:, :3] = 0.6 * palette[:, :3] + 0.4  # pale
    rgba = np.zeros(near.shape + (4,))
    rgba[near >= 0] = palette[near[near >= 0]]
    show(ax, asset, rgba)
    draw_edges(ax, asset, near, "#8a8a8a", 0.25)
    draw_outlines(ax, asset, provinces=False)
    draw_cities(ax, asset, n=20)
    ax.legend(loc="lower right", fontsize=8, framealpha=0.9)
    credit(ax)
    return save(fig, out)


def draw_border(asset: MapAsset, out: Path) -> Path:
    fig, ax = new_axes(asset, "border: cells the Durand Line passes through, and the crossing points")
    draw_background(ax, asset)
    country = asset.layers["country"]
    rgba = np.zeros(country.shape + (4,))
    rgba[country == PK] = colors.to_rgba("#f3dcc4")
    rgba[country == AF] = colors.to_rgba("#d5e8cc")
    rgba[asset.layers["border"] == 1] = colors.to_rgba(BORDER_COLOUR)
    show(ax, asset, rgba)
    draw_edges(ax, asset, country, "#222222", 0.8)
    draw_crossings(ax, asset)
    ax.legend(handles=[Patch(fc=BORDER_COLOUR, label=f"border cells ({int(asset.layers['border'].sum())})")]
              + ax.get_legend_handles_labels()[0], loc="lower right", fontsize=8, framealpha=0.9)
    credit(ax)
    return save(fig, out)


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(prog="draw_map.py", description="Draw a map asset: one PNG per layer and an overview.")
    ap.add_argument("map", type=Path, nargs="?", default=here / "afpak_0p05.h5", help="map asset (.h5)")
    ap.add_argument("-o", "--outdir", type=Path, default=here.parents[1] / "docs" / "img" / "map",
                    help="output directory (default: docs/img/map)")
    args = ap.parse_args(sys.argv[1:] if argv is None else argv)
    if not args.map.is_file():
        print(f"draw_map.py: error: map asset not found: {args.map}", file=sys.stderr)
        return 2
    asset = load(args.map)
    args.outdir.mkdir(parents=True, exist_ok=True)
    for path in draw_layers(asset, args.outdir):
        print(f"wrote {path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
