"""The TTP model's part of the analysis, found from a file's `model` attribute ("ttp"): its profile
(scenario and outcome names, the series a report draws, dates worth marking; ttp/profile.py) and
its calibration targets T1-T7 (ttp/calibration.py)."""
from .profile import PROFILE  # noqa: F401
