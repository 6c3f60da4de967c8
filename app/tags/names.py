import re

from app.errors import InvalidInputError

MAX_LENGTH = 40
_SPACES = re.compile(r"\s+")


def normalize_tag(name: str, *, field: str = "tags") -> str:
    """Lower case, single spaces, no surrounding blanks: "  Lo-Fi   Drums" → "lo-fi drums"."""
    normalized = _SPACES.sub(" ", name).strip().lower()
    if not 1 <= len(normalized) <= MAX_LENGTH:
        raise InvalidInputError(f"A tag is 1 to {MAX_LENGTH} characters long.", field=field)
    return normalized
