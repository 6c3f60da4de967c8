"""`Content-Disposition` for a file name that may hold anything a client sent (RFC 6266)."""

import re
import unicodedata
from urllib.parse import quote

_UNSAFE = re.compile(r"[^A-Za-z0-9 ._()+,-]+")


def content_disposition(filename: str, *, disposition: str = "inline") -> str:
    """An ASCII `filename` for old clients and the exact name as RFC 5987 `filename*`."""
    name = "".join(char for char in filename if unicodedata.category(char)[0] != "C").strip()
    name = name or "audio"
    encoded = quote(name, safe="")
    return f"{disposition}; filename=\"{_ascii_fallback(name)}\"; filename*=UTF-8''{encoded}"


def _ascii_fallback(name: str) -> str:
    # Accented letters lose their accents; any other run outside the safe set (quotes,
    # backslashes, separators, other scripts) becomes one underscore.
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(char for char in decomposed if unicodedata.category(char) != "Mn")
    ascii_name = _UNSAFE.sub("_", bare).strip(" .")
    return ascii_name or "audio"
