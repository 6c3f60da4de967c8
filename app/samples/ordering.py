"""Sort orders of sample listings and the keyset conditions that page through them.

Every order is total: its sort key, then the id. Sort keys are never NULL (missing bpm
and duration are coalesced so that they come last in both directions), which keeps the
keyset condition a plain row comparison. The coalesce expressions are spelled exactly as
the partial listing indexes of migration 0001, so that the planner can use them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, literal_column

from app.models import Like, PackSample, Sample
from app.paging import load_datetime, load_int, load_str
from app.samples import search

Expression = Callable[[str | None], ColumnElement[Any]]


@dataclass(frozen=True, slots=True)
class SortKey:
    """One order: its SQL key per direction, and how key values travel inside cursors."""

    name: str
    ascending: Expression
    descending: Expression
    dump: Callable[[Any], Any]
    load: Callable[[Any], Any]

    def expression(self, *, descending: bool, search_text: str | None) -> ColumnElement[Any]:
        return (self.descending if descending else self.ascending)(search_text)


def _constant(expression: Any) -> Expression:
    return lambda _search: expression


def _relevance(search_text: str | None) -> ColumnElement[Any]:
    if search_text is None:  # checked before a query is built; this would be a bug
        raise RuntimeError("RELEVANCE order without a search")
    return search.rank(search_text)


def _load_number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(value)
    return float(value)


def _dump_float(value: float) -> float | str:
    # JSON has no infinities; the coalesced NULL keys are ±Infinity.
    return str(value) if value in (float("inf"), float("-inf")) else value


def _load_float(value: Any) -> float:
    return float(value) if value in ("inf", "-inf") else _load_number(value)


_BPM_ASC = func.coalesce(Sample.bpm, literal_column("'Infinity'::double precision"))
_BPM_DESC = func.coalesce(Sample.bpm, literal_column("'-Infinity'::double precision"))
_DURATION_ASC = func.coalesce(Sample.duration_ms, literal_column("2147483647"))
_DURATION_DESC = func.coalesce(Sample.duration_ms, literal_column("-1"))

_DATETIME = (datetime.isoformat, load_datetime)
_INT = (int, load_int)

SORT_KEYS: dict[str, SortKey] = {
    key.name: key
    for key in (
        SortKey(
            "CREATED_AT", _constant(Sample.created_at), _constant(Sample.created_at), *_DATETIME
        ),
        SortKey("TITLE", _constant(Sample.title), _constant(Sample.title), str, load_str),
        SortKey("BPM", _constant(_BPM_ASC), _constant(_BPM_DESC), _dump_float, _load_float),
        SortKey("DURATION", _constant(_DURATION_ASC), _constant(_DURATION_DESC), *_INT),
        SortKey("POPULARITY", _constant(Sample.like_count), _constant(Sample.like_count), *_INT),
        SortKey("RELEVANCE", _relevance, _relevance, float, _load_number),
        # Defaults of nested listings, valid only joined with their table:
        # Pack.samples in the curator's order, likedSamples by when they were liked.
        SortKey("POSITION", _constant(PackSample.position), _constant(PackSample.position), *_INT),
        SortKey("LIKED_AT", _constant(Like.created_at), _constant(Like.created_at), *_DATETIME),
    )
}
