"""borderland from Python: run scenarios and sweeps in this process, read their files as xarray
and pandas, analyse ensembles, write reports.

    import borderland
    res = borderland.run("scenarios/ttp/baseline.yaml", seed=1, until="2023-12-31")
    res.dataset.attacks.resample(time="MS").sum()      # xarray: series on dates
    res.events.groupby("province_name").size()         # pandas: one row per event
    borderland.open("out/sweep.h5").summary            # a sweep: run x metric with the design

    python3 -m borderland COMMAND ...                  # plots, maps, comparison, dose-response,
                                                       # sensitivity, calibration, report

Parts: borderland.result (open, Result), borderland.io (low-level h5py readers),
borderland.analysis (model-agnostic analysis), borderland.ttp (the TTP model's part).
"""
from .api import models, run, sweep, validate
from .io import AnalysisInputError, InputError
from .result import Result, open  # noqa: A004  (borderland.open, like xarray.open_dataset)

__version__ = "0.1.0"
__all__ = ["run", "open", "sweep", "models", "validate", "Result", "InputError", "AnalysisInputError"]
