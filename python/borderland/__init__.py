"""borderland from Python: read run and sweep files, analyse ensembles, write reports.

    python3 -m borderland COMMAND ...     # plots, maps, comparison, sensitivity, calibration, report

The readers are in borderland.io, the model-agnostic analysis in borderland.analysis, the TTP
model's part in borderland.ttp.
"""
__version__ = "0.1.0"
