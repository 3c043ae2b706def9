"""The TTP model's part of the analysis: its calibration targets (T1-T7) and what the report says
about its scenarios. Found from a file's `model` attribute ("ttp")."""
