"""Errors of the calibration: a located input error (exit 2) as the engine reports them."""
from __future__ import annotations

import difflib


class CalibrationInputError(Exception):
    """Bad input the user can fix: the message starts with file:line:col (or the flag)."""

    def __init__(self, messages: list[str] | str):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("\n".join(self.messages))


class CalibrationRunError(Exception):
    """A failure while calibrating that is not the input's fault (exit 1)."""


def did_you_mean(word: str, candidates) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
