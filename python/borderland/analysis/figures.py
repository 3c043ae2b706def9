"""Figures: ensemble time series, maps, comparison forest plots, Sobol bars, calibration.

Conventions every figure keeps: a title, axis labels with units, a legend,
dates on time axes, and one colour per scenario everywhere (scenario_colours).
"""
from __future__ import annotations

import textwrap

import matplotlib

matplotlib.use("Agg")  # files only, never a display
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

import pandas as pd  # noqa: E402

from . import stats  # noqa: E402
from .. import io  # noqa: E402
from ..io import AnalysisInputError  # noqa: E402
from ..profiles import GENERIC, ModelProfile, profile_of  # noqa: E402

SPARE_COLOURS = ["#393b79", "#e7ba52", "#637939", "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354",
                 "#756bb1", "#636363", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94"]
PROVINCE_TINTS = ["#fbe3d6", "#dbeaf7", "#e2f0d9", "#fff2cc", "#ead1f5", "#d9f2f2", "#f2e6d9",
                  "#e6e6fa", "#f9d9e6", "#e0f5e9", "#fdebd0", "#e8eaf6"]


def scenario_colours(names, profile: ModelProfile = GENERIC) -> dict[str, str]:
    """A fixed colour per scenario: the model profile's for its known names, the rest (sorted) from
    SPARE_COLOURS; a generic baseline is grey."""
    known = dict(profile.scenario_colours) or {profile.baseline: "#7f7f7f"}
    unknown = sorted(n for n in set(names) if n not in known)
    spare = {n: SPARE_COLOURS[i % len(SPARE_COLOURS)] for i, n in enumerate(unknown)}
    return {n: known.get(n) or spare[n] for n in names}


def ensemble_colours(ensembles, colours: dict[str, str]) -> list:
    """One colour per ensemble: its scenario's, except where several design points of one scenario
    are drawn together (a sweep): then one colour per point along a sequential scale (viridis, in
    the points' order), so that the points can be told apart."""
    count = {}
    for ens in ensembles:
        count[ens.scenario] = count.get(ens.scenario, 0) + 1
    seen, out = {}, []
    for ens in ensembles:
        n = count[ens.scenario]
        if n == 1:
            out.append(colours[ens.scenario])
            continue
        i = seen.get(ens.scenario, 0)
        seen[ens.scenario] = i + 1
        out.append(plt.get_cmap("viridis")(0.85 * i / (n - 1)))
    return out


def sort_scenarios(names, profile: ModelProfile = GENERIC) -> list[str]:
    return profile.order(list(dict.fromkeys(names)))


def period_text(dates) -> str:
    """'1 Mar 2023 - 31 Dec 2026': the period a figure shows, for its title."""
    dates = np.asarray(dates).astype("datetime64[D]")
    if dates.size == 0:
        return ""
    def day(d):
        return pd.Timestamp(d).strftime("%-d %b %Y")
    return f"{day(dates.min())} - {day(dates.max())}"


def date_axis(ax):
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    formatter = mdates.ConciseDateFormatter(locator, show_offset=False)  # ticks carry the year
    # month ticks carry their year too, so a projection starting in March is not ambiguous
    formatter.formats[1] = formatter.zero_formats[1] = "%b\n%Y"
    formatter.zero_formats[2] = "%b\n%Y"
    ax.xaxis.set_major_formatter(formatter)
    ax.set_xlabel("date")


def rolling_sum(values: np.ndarray, window: int) -> np.ndarray:
    """Trailing sum over `window` days along the last time axis ([R, T]); NaN before a full window."""
    if window <= 1:
        return values
    csum = np.cumsum(np.nan_to_num(values), axis=1)
    out = np.full(values.shape, np.nan)
    out[:, window - 1:] = csum[:, window - 1:] - np.concatenate(
        [np.zeros((values.shape[0], 1)), csum[:, :-window]], axis=1)
    return out


FLOW_SERIES = {"attacks", "attacks_by_tactic", "attacks_by_province", "attacks_by_group", "killed",
               "attack_killed", "attack_killed_by_province", "injured", "recruits", "arrests", "crossings"}


def is_flow(name: str, meta) -> bool:
    """Counts of things happening each day (summed over windows), as opposed to stocks like fighters."""
    if meta.units != "count":
        return False
    text = meta.description.lower()
    return name in FLOW_SERIES or "this day" in text or "per day" in text or "this step" in text


def series_values(ens, spec: str, window: int, profile: ModelProfile = GENERIC):
    """Resolve 'name' or 'name:label' to [R, T] values, a y-label and a readable name.

    Count series are shown as trailing sums over `window` days (daily counts of a few
    attacks are unreadable); other series are shown as they are.
    """
    name, _, label = spec.partition(":")
    values, meta = ens.series(name)
    if values.ndim == 3:
        if label:
            values = ens.column(name, label)
        else:
            values = values.sum(axis=2)
            label = "all"
    title = profile.series_title(spec if label != "all" else name)
    units = meta.units or "1"
    if is_flow(name, meta) and window > 1:
        values = rolling_sum(values, window)
        ylabel = f"{title} [per {window} days]"
    else:
        ylabel = f"{title} [{units}]"
    return values, ylabel, title


def plot_ensembles(ax, ensembles, spec: str, window: int, colours, bands=(0.5, 0.9), label_bands=True,
                   profile: ModelProfile = GENERIC):
    """One line per run for a single run; median with quantile bands for an ensemble."""
    ylabel = title = None
    for ens, colour in zip(ensembles, ensemble_colours(ensembles, colours)):
        values, ylabel, title = series_values(ens, spec, window, profile)
        dates = ens.dates.astype("datetime64[D]")
        if values.shape[0] == 1:
            ax.plot(dates, values[0], color=colour, lw=1.4, label=f"{ens.title(profile)} (seed {ens.seeds[0]})")
            continue
        median, band = stats.quantile_bands(values, bands)
        for level in sorted(bands, reverse=True):
            low, high = band[level]
            alpha = 0.12 if level >= 0.9 else 0.3
            lab = f"{ens.title(profile)}: {int(level * 100)} % of runs" if label_bands else None
            ax.fill_between(dates, low, high, color=colour, alpha=alpha, lw=0, label=lab)
        ax.plot(dates, median, color=colour, lw=1.6, label=f"{ens.title(profile)}: median ({values.shape[0]} runs)")
    ax.set_ylabel(ylabel)
    date_axis(ax)
    ax.grid(alpha=0.3)
    return title


def figure_series(ensembles, spec: str, out_path: str, window: int = 30):
    profile = profile_of(ensembles)
    colours = scenario_colours([e.scenario for e in ensembles], profile)
    fig, ax = plt.subplots(figsize=(10, 5))
    title = plot_ensembles(ax, ensembles, spec, window, colours, profile=profile)
    all_dates = np.concatenate([e.dates for e in ensembles])
    if any(profile.is_historical(e.scenario) for e in ensembles):
        mark_timeline(ax, np.array([all_dates.min(), all_dates.max()]), profile.timeline_marks)
    kinds = "one run" if all(e.replicas == 1 for e in ensembles) else "median, 50 % and 90 % of runs"
    ax.set_title(f"{title}, {period_text(all_dates)}\n{'; '.join(e.title(profile) for e in ensembles)} ({kinds})",
                 fontsize=10)
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    fig.savefig(out_path, dpi=110)
    plt.close(fig)


def mark_timeline(ax, dates, marks):
    """Dotted vertical lines at dated events (the model profile's timeline_marks) inside the plotted
    period; returns a legend handle or None."""
    shown = [(np.datetime64(d), text) for d, text in marks if dates[0] <= np.datetime64(d) <= dates[-1]]
    for day, text in shown:
        ax.axvline(day, color="#b2182b", lw=0.8, ls=":", zorder=0)
        ax.annotate(text, (day, 1.0), xycoords=("data", "axes fraction"), xytext=(2, -2),
                    textcoords="offset points", fontsize=6.5, color="#b2182b", rotation=90, va="top")
    return Line2D([], [], color="#b2182b", lw=0.8, ls=":", label="dated event") if shown else None


def figure_panels(ensembles, specs: list[str], out_path: str, window: int = 30, suptitle: str = "",
                  timeline: bool = False):
    """Several series in a grid, every scenario in each panel (median and 50 % band), for reports."""
    profile = profile_of(ensembles)
    colours = scenario_colours([e.scenario for e in ensembles], profile)
    ncol = 2
    nrow = (len(specs) + 1) // 2
    fig, axes = plt.subplots(nrow, ncol, figsize=(13, 3.6 * nrow), squeeze=False)
    mark = None
    for ax, spec in zip(axes.ravel(), specs):
        usable = [e for e in ensembles if e.has_series(spec.partition(":")[0])]
        if not usable:
            ax.set_visible(False)
            continue
        title = plot_ensembles(ax, usable, spec, window, colours, bands=(0.5,), label_bands=False, profile=profile)
        ax.set_title(f"{title}, {period_text(usable[0].dates)}", fontsize=9)
        if timeline:
            mark = mark_timeline(ax, usable[0].dates, profile.timeline_marks) or mark
    for ax in axes.ravel()[len(specs):]:
        ax.set_visible(False)
    handles = [Line2D([], [], color=colours[e.scenario], lw=6, alpha=0.6,
                      label=f"{e.title(profile)} ({e.replicas} runs)") for e in ensembles]
    if timeline and mark is not None:
        handles.append(mark)
    fig.legend(handles=handles, loc="lower center", ncol=min(len(handles), 5), fontsize=9,
               title="scenario: median line, shaded: the middle 50 % of runs")
    fig.suptitle(suptitle or "Time series by scenario")
    fig.tight_layout(rect=(0, 0.04 + 0.02 * ((len(handles) - 1) // 5), 1, 0.97))
    fig.savefig(out_path, dpi=100)
    plt.close(fig)


def figure_policy_grid(baseline, policies, spec: str, out_path: str, since=None, window: int = 30,
                       lead_days: int = 90):
    """One small panel per policy: the policy (its colour) against the baseline (grey), median and 50 % band.

    With `since` (the projection start) the panels begin `lead_days` before it, with a dashed line at it,
    so ten policies stay readable instead of ten overlapping lines on one axis.
    """
    profile = profile_of([baseline])
    colours = scenario_colours([baseline.scenario] + [e.scenario for e in policies], profile)
    ncol = min(5, max(1, len(policies)))
    nrow = int(np.ceil(len(policies) / ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.3 * ncol + 0.6, 2.7 * nrow + 1.3), squeeze=False,
                             sharex=True, sharey=True)
    start = np.datetime64(since) - np.timedelta64(lead_days, "D") if since else None
    ylabel = title = ""
    for ax, ens in zip(axes.ravel(), policies):
        for member, lw in ((baseline, 1.2), (ens, 1.6)):
            values, ylabel, title = series_values(member, spec, window, profile)
            dates = member.dates.astype("datetime64[D]")
            keep = dates >= start if start is not None else np.ones(len(dates), bool)
            median, band = stats.quantile_bands(values[:, keep], (0.5,))
            colour = colours[member.scenario]
            ax.fill_between(dates[keep], band[0.5][0], band[0.5][1], color=colour, alpha=0.25, lw=0)
            ax.plot(dates[keep], median, color=colour, lw=lw)
        if since:
            ax.axvline(np.datetime64(since), color="black", lw=0.8, ls="--")
        ax.set_title(ens.title(profile), fontsize=9, color=colours[ens.scenario])
        ax.grid(alpha=0.3)
        locator = mdates.AutoDateLocator(minticks=3, maxticks=5)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    for ax in axes.ravel()[len(policies):]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel(ylabel, fontsize=8)
    for ax in axes[-1, :]:
        ax.set_xlabel("date")
    replicas = min([baseline.replicas] + [e.replicas for e in policies])
    handles = [Line2D([], [], color=colours[baseline.scenario], lw=6, alpha=0.5,
                      label=f"{baseline.title(profile)} (every panel)"),
               Line2D([], [], color="#444444", lw=6, alpha=0.35, label="the panel's policy (its colour)")]
    if since:
        handles.append(Line2D([], [], color="black", lw=0.8, ls="--", label=f"projection starts {since}"))
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=8,
               title=f"median line, shaded: the middle 50 % of runs (at least {replicas} runs per scenario)",
               title_fontsize=8)
    shown = baseline.dates[baseline.dates >= start] if start is not None else baseline.dates
    fig.suptitle(f"{title}: each policy against the baseline, {period_text(shown)}")
    fig.tight_layout(rect=(0, 0.09 if nrow < 3 else 0.06, 1, 0.96))
    fig.savefig(out_path, dpi=100)
    plt.close(fig)


# ---------------------------------------------------------------- maps
def province_edges(map_info, prov):
    """Cell edges where the province id changes: outlines that stay visible under a field."""
    from matplotlib.collections import LineCollection
    x0, y0, dx, dy = map_info.lon0, map_info.lat0, map_info.dlon, map_info.dlat
    iy, ix = np.nonzero(prov[:, 1:] != prov[:, :-1])  # edge between columns ix and ix+1
    x = x0 + (ix + 1) * dx
    vertical = np.stack([np.stack([x, y0 + iy * dy], axis=1), np.stack([x, y0 + (iy + 1) * dy], axis=1)], axis=1)
    iy, ix = np.nonzero(prov[1:, :] != prov[:-1, :])  # edge between rows iy and iy+1
    y = y0 + (iy + 1) * dy
    horizontal = np.stack([np.stack([x0 + ix * dx, y], axis=1), np.stack([x0 + (ix + 1) * dx, y], axis=1)], axis=1)
    segments = np.concatenate([vertical, horizontal]).astype(float)
    return LineCollection(segments, colors="#666666", linewidths=0.5, zorder=2)


def draw_basemap(ax, map_info, n_cities: int = 8, border_label: str = "border"):
    """Provinces tinted lightly, the international border of the map's two countries (codes 1 and 2
    of the `country` layer, docs/hdf5_layout.md), crossings and the largest cities."""
    extent = map_info.extent
    handles = []
    prov = map_info.layers.get("province")
    if prov is not None:
        ids = np.ma.masked_less(prov.astype(float), 0)
        cmap = ListedColormap(PROVINCE_TINTS)
        ax.imshow(ids % len(PROVINCE_TINTS), origin="lower", extent=extent, cmap=cmap,
                  vmin=-0.5, vmax=len(PROVINCE_TINTS) - 0.5, interpolation="nearest", zorder=0)
        ax.add_collection(province_edges(map_info, prov))
        handles.append(Line2D([], [], marker="s", ls="-", lw=0.7, color="#666666", mfc=PROVINCE_TINTS[1],
                              markersize=9, label="provinces (tinted, outlined)"))
    country = map_info.layers.get("country")
    lon = map_info.lon0 + (np.arange(map_info.nx) + 0.5) * map_info.dlon
    lat = map_info.lat0 + (np.arange(map_info.ny) + 0.5) * map_info.dlat
    if country is not None:
        # 1 in Pakistan, 0 in Afghanistan, undefined elsewhere: the 0.5 contour is the AF-PK border only
        side = np.where(country == 1, 1.0, np.where(country == 2, 0.0, np.nan))
        ax.contour(lon, lat, np.ma.masked_invalid(side), levels=[0.5], colors="#b2182b", linewidths=1.6,
                   zorder=3)
        land = (country > 0).astype(float)
        ax.contour(lon, lat, land, levels=[0.5], colors="#777777", linewidths=0.6, zorder=2)
        handles.append(Line2D([], [], color="#b2182b", lw=1.6, label=border_label))
    elif "border" in map_info.layers:
        iy, ix = np.nonzero(map_info.layers["border"])
        x, y = map_info.cell_centre(ix, iy)
        ax.plot(x, y, "s", color="#b2182b", ms=2, zorder=3)
        handles.append(Line2D([], [], color="#b2182b", marker="s", ls="", label=border_label))
    if map_info.crossings is not None and len(map_info.crossings):
        c = map_info.crossings
        ax.plot(c["lon"], c["lat"], "^", color="#08519c", ms=7, mec="white", zorder=5)
        handles.append(Line2D([], [], color="#08519c", marker="^", ls="", label="border crossing"))
    if map_info.places is not None and len(map_info.places):
        p = map_info.places
        inside = (p["lon"] >= extent[0]) & (p["lon"] <= extent[1]) & (p["lat"] >= extent[2]) & (p["lat"] <= extent[3])
        ranked = p[inside].sort_values("population", ascending=False)
        if "province" in ranked:  # the largest city of each province first, so Peshawar and Quetta
            ranked = ranked.drop_duplicates("province")  # are named, not five Punjabi cities
        top = ranked.head(n_cities)
        ax.plot(top["lon"], top["lat"], "o", color="black", ms=4, zorder=5)
        for _, row in top.iterrows():
            ax.annotate(str(row["name"]), (row["lon"], row["lat"]), xytext=(3, 3), textcoords="offset points",
                        fontsize=7, zorder=6)
        handles.append(Line2D([], [], color="black", marker="o", ls="", ms=4,
                              label="largest city of a province"))
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_xlabel("longitude [deg E]")
    ax.set_ylabel("latitude [deg N]")
    ax.set_aspect(1.0 / np.cos(np.deg2rad(0.5 * (extent[2] + extent[3]))))
    return handles


def _field_image(ax, map_info, frame, vmax, cmap, extent=None):
    """Draw one snapshot; zero cells stay transparent so the provinces show through."""
    data = np.ma.masked_where(~np.isfinite(frame) | (frame <= 0), frame)
    return ax.imshow(data, origin="lower", extent=extent or map_info.extent, cmap=cmap, vmin=0, vmax=vmax,
                     alpha=0.85, interpolation="nearest", zorder=1)


def prepare_frames(map_info, frames, field: str, units: str, block_deg: float = 0.25):
    """Frames ready to draw: (frames, extent, vmax, colour-bar label).

    A sparse count field (fighters in a few cells of 0.05 deg) would show as specks: it is summed
    over blocks of about `block_deg` so its density shows, and the label says per what area.
    vmax is the 99th percentile of the cells that are not zero, so a few busy cells do not wash
    out the rest.
    """
    frames = np.asarray(frames, dtype=float)
    extent, label = map_info.extent, f"{field} [{units}]"
    positive = frames[np.isfinite(frames) & (frames > 0)]
    k = max(1, int(round(block_deg / map_info.dlon)))
    if units == "count" and k > 1 and positive.size < 0.05 * frames.size:
        s, ny, nx = frames.shape
        pad_y, pad_x = (-ny) % k, (-nx) % k
        padded = np.pad(np.nan_to_num(frames), ((0, 0), (0, pad_y), (0, pad_x)))
        frames = padded.reshape(s, (ny + pad_y) // k, k, (nx + pad_x) // k, k).sum(axis=(2, 4))
        extent = [map_info.lon0, map_info.lon0 + (nx + pad_x) * map_info.dlon,
                  map_info.lat0, map_info.lat0 + (ny + pad_y) * map_info.dlat]
        label = f"{field} [{units} per {k * map_info.dlon:g} deg cell]"
        positive = frames[frames > 0]
    vmax = float(np.quantile(positive, 0.99)) if positive.size else 1.0
    return frames, extent, vmax or 1.0, label


def figure_map_strip(map_info, frames, frame_dates, field: str, units: str, scenario: str, out_path: str,
                     max_panels: int = 6, border_label: str = "border"):
    picks = np.unique(np.linspace(0, len(frames) - 1, min(max_panels, len(frames))).round().astype(int))
    frames, extent, vmax, label = prepare_frames(map_info, frames, field, units)
    ncol = min(3, len(picks))
    nrow = int(np.ceil(len(picks) / ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(5.2 * ncol, 4.8 * nrow + 0.8), squeeze=False)
    image = handles = None
    for ax, k in zip(axes.ravel(), picks):
        handles = draw_basemap(ax, map_info, border_label=border_label)
        image = _field_image(ax, map_info, frames[k], vmax, "YlOrRd", extent)
        ax.set_title(str(frame_dates[k]))
    for ax in axes.ravel()[len(picks):]:
        ax.set_visible(False)
    fig.suptitle(f"{scenario}: {field} snapshots on the map")
    if handles:
        fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=8)
    fig.tight_layout(rect=(0, 0.05, 0.92, 0.97))
    cax = fig.add_axes((0.93, 0.15, 0.015, 0.7))
    fig.colorbar(image, cax=cax, label=label, extend="max")
    fig.savefig(out_path, dpi=100)
    plt.close(fig)


def animate_map(map_info, frames, frame_dates, field: str, units: str, scenario: str, out_path: str, fps=3,
                border_label: str = "border"):
    from matplotlib.animation import PillowWriter
    frames, extent, vmax, label = prepare_frames(map_info, frames, field, units)
    fig, ax = plt.subplots(figsize=(7, 6.4))
    handles = draw_basemap(ax, map_info, border_label=border_label)
    image = _field_image(ax, map_info, frames[0], vmax, "YlOrRd", extent)
    fig.colorbar(image, ax=ax, label=label, shrink=0.8, extend="max")
    if handles:
        ax.legend(handles=handles, loc="lower right", fontsize=7)
    title = ax.set_title(f"{scenario}: {field} on {frame_dates[0]}")
    fig.tight_layout()
    writer = PillowWriter(fps=fps)
    with writer.saving(fig, out_path, dpi=80):
        for frame, date in zip(frames, frame_dates):
            image.set_data(np.ma.masked_where(~np.isfinite(frame) | (frame <= 0), frame))
            title.set_text(f"{scenario}: {field} on {date}")
            writer.grab_frame()
    plt.close(fig)


# ---------------------------------------------------------------- comparison
def figure_compare(table, out_path: str, profile: ModelProfile = GENERIC, period: str = ""):
    """Forest plot: % change of each outcome's mean vs the baseline, 90 % CI, P(better) annotated."""
    outcomes = list(dict.fromkeys(table["outcome"]))
    scenarios = list(dict.fromkeys(table["scenario"]))
    colours = scenario_colours(scenarios + [table["baseline"].iloc[0]], profile)
    ncol = min(3, len(outcomes))
    nrow = int(np.ceil((len(outcomes) + 1) / ncol))  # one spare panel holds the legend
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.6 * ncol, nrow * (1.4 + 0.55 * len(scenarios))),
                             squeeze=False)
    base_name = table["baseline"].iloc[0]
    for ax, outcome in zip(axes.ravel(), outcomes):
        rows = table[table["outcome"] == outcome].set_index("scenario").loc[scenarios]
        y = np.arange(len(scenarios))[::-1]
        for yi, (name, row) in zip(y, rows.iterrows()):
            err = [[row["pct_change"] - row["pct_low"]], [row["pct_high"] - row["pct_change"]]]
            ax.errorbar(row["pct_change"], yi, xerr=err, fmt="o", color=colours[name], capsize=3, ms=6)
            ax.annotate(f"P={row['p_better']:.2f}", (row["pct_change"], yi), xytext=(0, 8),
                        textcoords="offset points", ha="center", fontsize=7)
        ax.axvline(0, color=colours[base_name], lw=1, ls="--")
        ax.set_yticks(y, [profile.scenario_title(n) for n in scenarios], fontsize=8)
        ax.set_ylim(-0.7, len(scenarios) - 0.2)
        units = rows["units"].iloc[0]
        units = "(index, 0 to 1)" if units == "1" else units
        base_mean = rows["baseline_mean"].iloc[0]
        ax.set_title(f"{outcome}\nbaseline mean {base_mean:.4g} {units}; lower is better", fontsize=9)
        ax.set_xlabel("change vs baseline mean [%]")
        ax.grid(alpha=0.3, axis="x")
    handles = [Line2D([], [], color=colours[s], marker="o", label=profile.scenario_title(s)) for s in scenarios]
    level = int(round(table["ci_level"].iloc[0] * 100)) if "ci_level" in table else 90
    handles.append(Line2D([], [], color="black", marker="|", ls="-", label=f"{level} % bootstrap CI"))
    handles.append(Line2D([], [], color=colours[base_name], ls="--", label=f"baseline: {profile.scenario_title(base_name)}"))
    for ax in axes.ravel()[len(outcomes):]:
        ax.axis("off")
    axes.ravel()[-1].legend(handles=handles, loc="center", fontsize=8, title="scenario")
    fig.suptitle(f"Policy outcomes against the baseline{', ' + period if period else ''} "
                 "(P = probability a policy does better than the baseline in a run with the same seed)")
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    fig.savefig(out_path, dpi=100)
    plt.close(fig)


# ---------------------------------------------------------------- dose-response
def figure_dose(table, out_path: str, title: str, xlabel: str, profile: ModelProfile = GENERIC):
    """The outcome against the lever's strength: median line, the middle 50 % and 90 % of runs shaded,
    the mean with its bootstrap interval as points; one curve per combination of other varied values."""
    fig, ax = plt.subplots(figsize=(8, 5))
    others = [c for c in table.columns if c not in ("lever", "strength", "runs", "outcome", "units", "median", "p25",
                                                    "p75", "p05", "p95", "mean", "mean_low", "mean_high", "ci_level")]
    groups = table.groupby(others if len(others) > 1 else others[0], sort=False) if others else [((), table)]
    for k, (key, rows) in enumerate(groups):
        colour = SPARE_COLOURS[k % len(SPARE_COLOURS)]
        key = key if isinstance(key, tuple) else (key,)
        name = ", ".join(f"{c.rsplit('.', 1)[-1]}={v:g}" for c, v in zip(others, key)) or "runs"
        x = rows["strength"].to_numpy(dtype=float)
        ax.fill_between(x, rows["p05"], rows["p95"], color=colour, alpha=0.12, lw=0)
        ax.fill_between(x, rows["p25"], rows["p75"], color=colour, alpha=0.3, lw=0)
        ax.plot(x, rows["median"], color=colour, lw=1.8, marker="o", ms=3, label=f"{name}: median, 50 % and 90 % of runs")
        ax.errorbar(x, rows["mean"], yerr=[rows["mean"] - rows["mean_low"], rows["mean_high"] - rows["mean"]],
                    fmt="s", color=colour, ms=3, capsize=2, alpha=0.8, label=f"{name}: mean, "
                    f"{int(round(rows['ci_level'].iloc[0] * 100))} % bootstrap interval")
    units = table["units"].iloc[0]
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"{table['outcome'].iloc[0]}" + (f" [{units}]" if units and units != "1" else ""))
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out_path, dpi=110)
    plt.close(fig)


# ---------------------------------------------------------------- sensitivity
def figure_sobol(result, output_name: str, units: str, out_path: str):
    d = len(result.parameters)
    x = np.arange(d)
    fig, ax = plt.subplots(figsize=(max(6, 1.2 * d + 2), 4.5))
    level = int(round(result.level * 100))
    for offset, values, ci, colour, label in (
            (-0.18, result.first, result.first_ci, "#4c72b0", "first order S1"),
            (0.18, result.total, result.total_ci, "#dd8452", "total order ST")):
        err = np.abs(np.vstack([values - ci[:, 0], ci[:, 1] - values]))
        ax.bar(x + offset, values, width=0.36, color=colour, label=label, yerr=err, capsize=3)
    ax.errorbar([], [], yerr=[], color="black", capsize=3, label=f"{level} % bootstrap CI")
    ax.set_xticks(x, result.parameters, rotation=20, ha="right")
    ax.set_ylabel("Sobol index [share of output variance, 1]")
    ax.set_xlabel("parameter")
    ax.axhline(0, color="black", lw=0.6)
    ax.set_title(f"Sensitivity of {output_name} [{units or '1'}] (Saltelli design, N={result.base_samples})")
    ax.legend()
    ax.grid(alpha=0.3, axis="y")
    fig.tight_layout()
    fig.savefig(out_path, dpi=100)
    plt.close(fig)


# ---------------------------------------------------------------- calibration
def figure_calibration(per_run: dict, targets, out_path: str, band_text=lambda t: f"{t.low} .. {t.high}",
                       profile: ModelProfile = GENERIC):
    """One panel per target quantity: each replica as a dot, the median as a bar, the band shaded.
    targets: objects with key, target, what, units, low, high, observed_value (a model's calibration)."""
    scenarios = list(per_run)
    colours = scenario_colours(scenarios, profile)
    ncol = 4
    nrow = int(np.ceil(len(targets) / ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.6 * ncol, 3.7 * nrow), squeeze=False)
    rng = np.random.default_rng(0)  # jitter only
    for ax, t in zip(axes.ravel(), targets):
        low = -1e9 if t.low is None else t.low
        high = 1e9 if t.high is None else t.high
        ax.axhspan(low, high, color="#2ca02c", alpha=0.12, lw=0)
        for i, name in enumerate(scenarios):
            values = per_run[name][t.key].to_numpy(dtype=float)
            values = values[np.isfinite(values)]
            if values.size == 0:
                ax.text(i, 0.5, "n/a", transform=ax.get_xaxis_transform(), ha="center")
                continue
            ax.plot(i + rng.uniform(-0.15, 0.15, values.size), values, "o", color=colours[name], alpha=0.6, ms=4)
            ax.hlines(np.median(values), i - 0.3, i + 0.3, color=colours[name], lw=2.5)
            if getattr(t, "statistic", "median") == "max":
                ax.hlines(values.max(), i - 0.3, i + 0.3, color=colours[name], lw=1, ls=":")
        if t.observed_value is not None:
            ax.plot([len(scenarios) - 0.5], [t.observed_value], "*", color="#d62728", ms=11, clip_on=False)
        finite = [v for n in scenarios for v in per_run[n][t.key].to_numpy(dtype=float) if np.isfinite(v)]
        ref = [x for x in (t.low, t.high, t.observed_value) if x is not None]
        lo_all, hi_all = min(finite + ref), max(finite + ref)
        pad = 0.15 * (hi_all - lo_all or 1)
        ax.set_ylim(lo_all - pad, hi_all + pad)
        ax.set_xlim(-0.6, len(scenarios) - 0.3)
        ax.set_xticks(range(len(scenarios)), scenarios, rotation=15, ha="right", fontsize=7)
        ax.set_ylabel(f"{t.target} [{t.units}]")
        ax.set_title(textwrap.fill(f"{t.target}: {t.what}", 42) + f"\nband {band_text(t)}", fontsize=8)
        ax.grid(alpha=0.3, axis="y")
    for ax in axes.ravel()[len(targets):]:
        ax.set_visible(False)
    handles = [Line2D([], [], color=colours[n], marker="o", ls="", label=f"{n}: one dot per replica") for n in
               scenarios]
    handles += [Line2D([], [], color="gray", lw=2.5, label="ensemble median"),
                Line2D([], [], color="#2ca02c", lw=8, alpha=0.3, label="tolerance band"),
                Line2D([], [], color="gray", lw=1, ls=":", label="ensemble max (targets judged on the max)"),
                Line2D([], [], color="#d62728", marker="*", ls="", ms=10, label="published figure")]
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=8)
    fig.suptitle("Calibration: each target quantity per run against its published figure and band")
    fig.tight_layout(rect=(0, 0.07, 1, 0.96))
    fig.savefig(out_path, dpi=100)
    plt.close(fig)


def require_snapshots(f, field: str | None):
    """The snapshot field to draw: the one asked for, else the first field that is not step/date."""
    group = f["snapshots"] if "snapshots" in f else None
    if group is None:
        raise AnalysisInputError(f"{f.filename}: dataset '/snapshots' is missing (run with snapshots on)")
    fields = io.data_names(group)
    if field is None:
        if not fields:
            raise AnalysisInputError(f"{f.filename}: group '/snapshots' holds no field")
        return fields[0]
    if field not in group:
        raise AnalysisInputError(
            f"{f.filename}: dataset '/snapshots/{field}' is missing (fields: {', '.join(fields) or 'none'})")
    return field
