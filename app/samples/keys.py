"""Musical keys: one spelling per key, so that filters and analysis agree.

Stored and returned as a tonic with sharps and an optional "m" for minor ("F#m", "A#").
Input is forgiving: "f# minor", "Gbm", "Bb major", "c#min", "Dmaj" are all understood.
"""

import re

from app.errors import InvalidInputError

_FLAT_TO_SHARP = {"Db": "C#", "Eb": "D#", "Gb": "F#", "Ab": "G#", "Bb": "A#", "Cb": "B", "Fb": "E"}
_SHARP_EXCEPTIONS = {"E#": "F", "B#": "C"}
_PATTERN = re.compile(r"^\s*([a-g])\s*([#♯b♭]?)\s*(m|min|minor|maj|major|)?\s*$", re.IGNORECASE)

KEYS = tuple(
    f"{tonic}{mode}"
    for mode in ("", "m")
    for tonic in ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
)


def normalize_key(text: str, *, field: str = "key") -> str:
    match = _PATTERN.match(text)
    if match is None:
        raise InvalidInputError(
            f'{text!r} is not a musical key (try e.g. "F#m" or "Bb").', field=field
        )
    letter, accidental, mode = match.groups()
    tonic = letter.upper() + {"♯": "#", "♭": "b"}.get(accidental, accidental.lower())
    tonic = _FLAT_TO_SHARP.get(tonic, _SHARP_EXCEPTIONS.get(tonic, tonic))
    minor = (mode or "").lower() in {"m", "min", "minor"} and mode != "M"
    return tonic + ("m" if minor else "")
