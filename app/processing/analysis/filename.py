"""Tempo written into a file name or title, e.g. "Drums_174BPM_Am.wav" or "loop-90-bpm"."""

import re

# The number must be tagged as a tempo, on either side of "bpm": "120bpm", "loop-90-bpm",
# "BPM_128". Part of a longer number ("2120bpm") or of a longer word ("120bpms") doesn't count.
_TAGGED = re.compile(
    r"(?<![\d.])(\d{2,3}(?:\.\d+)?)[\s_-]*bpm(?![a-z])"
    r"|(?<![a-z])bpm[\s_:=-]*(\d{2,3}(?:\.\d+)?)(?!\d)",
    re.IGNORECASE,
)
_MIN_BPM = 20.0
_MAX_BPM = 999.0  # the column's CHECK


def bpm_from_text(*texts: str) -> float | None:
    """The first tagged tempo in range, reading the texts in the order given."""
    for text in texts:
        for match in _TAGGED.finditer(text):
            bpm = float(match.group(1) or match.group(2))
            if _MIN_BPM <= bpm <= _MAX_BPM:
                return bpm
    return None
