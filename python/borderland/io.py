"""Open and validate borderland HDF5 files (docs/hdf5_layout.md).

Every problem with an input file becomes an AnalysisInputError whose message
names the file and, where there is one, the dataset; the CLI prints it and
exits with status 2 (bad input), as the engine does.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import h5py
import numpy as np
import pandas as pd

# format_version each reader accepts (docs/hdf5_layout.md): run files 2 added variable-length text
# columns, dimension scales and CF time attributes, keeping every dataset of 1.
SUPPORTED_VERSIONS = {"borderland": (1, 2), "borderland-sweep": (1,), "borderland-map": (1,)}
SUPPORTED_FORMAT_VERSION = 1  # sweep files and map assets
RUN_FORMAT = "borderland"
SWEEP_FORMAT = "borderland-sweep"
MAP_FORMAT = "borderland-map"


class InputError(ValueError):
    """Bad input: a file that is not HDF5, a wrong format or version, a missing dataset, or (from
    the engine) a bad scenario, key or value. The message says where and what; the command line
    prints it and exits with status 2."""


AnalysisInputError = InputError  # the name the analysis code has always used


def text(value) -> str:
    """Decode an HDF5 string (h5py gives bytes, numpy.bytes_ or str)."""
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, np.ndarray) and value.shape == ():
        return text(value[()])
    return str(value)


def texts(values) -> list[str]:
    return [text(v) for v in np.asarray(values).ravel()]


def attr_list(obj, key: str) -> list[str]:
    """A list-valued attribute: today's comma-separated text, or an array of strings (either
    fixed-length bytes or variable-length UTF-8, as h5py returns them)."""
    if key not in obj.attrs:
        return []
    raw = obj.attrs[key]
    arr = np.asarray(raw)
    items = texts(arr) if arr.shape != () else text(raw).split(",")
    return [s.strip() for s in items if s.strip()]


def open_h5(path: str) -> h5py.File:
    """Open read-only, turning every failure into a message naming the file."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise AnalysisInputError(f"{path}: no such file")
    if os.path.isdir(path):
        raise AnalysisInputError(f"{path}: is a directory, expected an HDF5 file")
    if not h5py.is_hdf5(path):
        raise AnalysisInputError(f"{path}: not an HDF5 file")
    try:
        return h5py.File(path, "r")
    except OSError as exc:  # truncated or corrupt despite a valid signature
        raise AnalysisInputError(f"{path}: cannot open as HDF5 ({exc})") from exc


def check_format(f: h5py.File, expected: tuple[str, ...]) -> str:
    """Check the root attrs `format` and `format_version`; return the format."""
    path = f.filename
    if "format" not in f.attrs:
        raise AnalysisInputError(f"{path}: attribute '/format' is missing; not a borderland file")
    fmt = text(f.attrs["format"])
    if fmt not in expected:
        raise AnalysisInputError(
            f"{path}: attribute '/format' is '{fmt}', expected {' or '.join(repr(e) for e in expected)}")
    if "format_version" not in f.attrs:
        raise AnalysisInputError(f"{path}: attribute '/format_version' is missing")
    version = int(np.asarray(f.attrs["format_version"]).ravel()[0])
    supported = SUPPORTED_VERSIONS.get(fmt, (SUPPORTED_FORMAT_VERSION,))
    if version not in supported:
        raise AnalysisInputError(
            f"{path}: attribute '/format_version' is {version}, this analysis reads "
            f"format_version {' or '.join(map(str, supported))} of '{fmt}' files")
    return fmt


AXES = ("step", "date")  # a series or snapshot group's own time axis, not data


def is_scale(obj) -> bool:
    """A dimension scale (attribute CLASS = DIMENSION_SCALE): a coordinate, not a series or field."""
    return isinstance(obj, h5py.Dataset) and text(obj.attrs.get("CLASS", b"")) == "DIMENSION_SCALE"


def data_names(group) -> list[str]:
    """The datasets of a /timeseries, /snapshots or /runs/timeseries group that hold data: neither
    its time axis (step, date) nor a dimension scale (lat, lon, ...), in file order."""
    return [k for k, v in group.items() if k not in AXES and isinstance(v, h5py.Dataset) and not is_scale(v)]


def require(f: h5py.File, name: str) -> h5py.Dataset | h5py.Group:
    """The object at `name`, or an error naming the file and the dataset."""
    if name not in f:
        raise AnalysisInputError(f"{f.filename}: dataset '/{name.lstrip('/')}' is missing")
    return f[name]


def read_array(f: h5py.File, name: str) -> np.ndarray:
    obj = require(f, name)
    if not isinstance(obj, h5py.Dataset):
        raise AnalysisInputError(f"{f.filename}: '/{name.lstrip('/')}' is a group, expected a dataset")
    try:
        return obj[()]
    except OSError as exc:  # a damaged chunk
        raise AnalysisInputError(f"{f.filename}: dataset '/{name.lstrip('/')}' cannot be read ({exc})") from exc


def read_dates(f: h5py.File, name: str) -> np.ndarray:
    """A YYYY-MM-DD string dataset as numpy datetime64[D]."""
    raw = read_array(f, name)
    try:
        return np.array(texts(raw), dtype="datetime64[D]")
    except ValueError as exc:
        raise AnalysisInputError(f"{f.filename}: dataset '/{name}' does not hold YYYY-MM-DD dates ({exc})") from exc


def attr_text(obj, key: str, default: str = "") -> str:
    return text(obj.attrs[key]) if key in obj.attrs else default


def labels_of(obj) -> list[str]:
    """The `labels` attr of a [T,k] series, as a list."""
    return attr_list(obj, "labels")


def read_table(f: h5py.File, name: str) -> pd.DataFrame:
    """A contract table (group of equal-length columns) as a DataFrame, strings decoded."""
    group = require(f, name)
    if not isinstance(group, h5py.Group):
        raise AnalysisInputError(f"{f.filename}: '/{name}' is not a table group")
    columns = attr_list(group, "columns") or list(group.keys())
    data = {}
    for column in columns:
        values = read_array(f, f"{name}/{column}")
        if values.dtype.kind in "SO":
            values = np.array(texts(values), dtype=object)
        data[column] = values
    lengths = {len(v) for v in data.values()}
    if len(lengths) > 1:
        raise AnalysisInputError(f"{f.filename}: table '/{name}' has columns of unequal length {sorted(lengths)}")
    return pd.DataFrame(data)


def read_design(f: h5py.File) -> pd.DataFrame:
    """A sweep's /design table, where a column chooses between named alternatives (`scenario`,
    `policy_set`: the index with a `labels` attr, docs/experiments.md) with the alternative's name
    in place of its index, so that every reader shows "policy_set=reform", not "policy_set=1"."""
    design = read_table(f, "design")
    for column in design.columns:
        labels = labels_of(f["design"][column]) if column in f["design"] else []
        if labels:
            index = design[column].to_numpy()
            design[column] = np.array([labels[int(i)] if 0 <= int(i) < len(labels) else str(i) for i in index],
                                      dtype=object)
    return design


def provenance(f: h5py.File) -> dict[str, str]:
    """Root attributes as text, for reports."""
    out = {}
    for key, value in f.attrs.items():
        arr = np.asarray(value)
        out[key] = text(value) if arr.shape == () else ", ".join(texts(arr))
    return out


def scenario_name(f: h5py.File) -> str:
    """The scenario a file belongs to: attr `scenario`, else `base_scenario`, else the file stem."""
    for key in ("scenario", "base_scenario"):
        if key in f.attrs and attr_text(f, key):
            return attr_text(f, key)
    return os.path.splitext(os.path.basename(f.filename))[0]


@dataclass
class MapInfo:
    """The georeferenced map of a run (corner registration, row 0 southernmost)."""
    lon0: float
    lat0: float
    dlon: float
    dlat: float
    nx: int
    ny: int
    layers: dict[str, np.ndarray] = field(default_factory=dict)
    provinces: pd.DataFrame | None = None
    places: pd.DataFrame | None = None
    crossings: pd.DataFrame | None = None

    @property
    def extent(self) -> list[float]:
        return [self.lon0, self.lon0 + self.nx * self.dlon, self.lat0, self.lat0 + self.ny * self.dlat]

    def cell_centre(self, ix, iy):
        return self.lon0 + (np.asarray(ix) + 0.5) * self.dlon, self.lat0 + (np.asarray(iy) + 0.5) * self.dlat


def read_map(f: h5py.File, layers: tuple[str, ...] = ("province", "border", "country")) -> MapInfo:
    group = require(f, "map")
    for key in ("lon0", "lat0", "dlon", "dlat"):
        if key not in group.attrs:
            raise AnalysisInputError(f"{f.filename}: attribute '/map/{key}' is missing")
    a = group.attrs
    found = {name: read_array(f, f"map/{name}") for name in layers if name in group
             and isinstance(group[name], h5py.Dataset)}
    first = next(iter(found.values()), None)
    ny = int(a["ny"]) if "ny" in a else (first.shape[0] if first is not None else 0)
    nx = int(a["nx"]) if "nx" in a else (first.shape[1] if first is not None else 0)
    info = MapInfo(float(a["lon0"]), float(a["lat0"]), float(a["dlon"]), float(a["dlat"]), nx, ny, found)
    for table in ("provinces", "places", "crossings"):
        if table in group and isinstance(group[table], h5py.Group):
            setattr(info, table, read_table(f, f"map/{table}"))
    return info


def is_sweep(path: str) -> bool:
    with open_h5(path) as f:
        return text(f.attrs.get("format", b"")) == SWEEP_FORMAT
