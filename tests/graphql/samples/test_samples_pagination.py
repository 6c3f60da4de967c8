"""Walking the catalogue page by page, in every order, both ways."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import make_sample, make_user
from tests.graphql.client import error_codes, graphql

PAGE = """
query ($orderBy: SampleOrder, $first: Int, $after: String, $last: Int, $before: String) {
  samples(orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""
T0 = datetime(2026, 3, 1, tzinfo=UTC)
ORDERS = ["CREATED_AT", "TITLE", "BPM", "DURATION", "POPULARITY"]


async def _catalogue(session: AsyncSession) -> dict[uuid.UUID, dict[str, Any]]:
    """25 samples with many equal sort keys and missing bpm/duration."""
    user = await make_user(session)
    rows: dict[uuid.UUID, dict[str, Any]] = {}
    for i in range(25):
        values = {
            "title": ["alpha", "bravo", "charlie", "delta"][i % 4],
            "created_at": T0 + timedelta(minutes=i // 3),
            "bpm": None if i % 5 == 0 else float(80 + 10 * (i % 4)),
            "duration_ms": None if i % 7 == 0 else 1000 * (i % 6),
            "like_count": i % 3,
        }
        rows[await make_sample(session, user, **values)] = values
    return rows


def _expected(
    rows: dict[uuid.UUID, dict[str, Any]], field: str, descending: bool
) -> list[uuid.UUID]:
    column = {
        "CREATED_AT": "created_at",
        "TITLE": "title",
        "BPM": "bpm",
        "DURATION": "duration_ms",
        "POPULARITY": "like_count",
    }[field]
    present = [k for k, v in rows.items() if v[column] is not None]
    missing = [k for k, v in rows.items() if v[column] is None]
    ordered = sorted(present, key=lambda k: (rows[k][column], k), reverse=descending)
    return ordered + sorted(missing, reverse=descending)  # missing values come last


async def _walk(
    client: httpx.AsyncClient, order: dict[str, str], size: int, *, backward: bool
) -> list[uuid.UUID]:
    seen: list[uuid.UUID] = []
    cursor = None
    while True:
        variables: dict[str, Any] = {"orderBy": order}
        if backward:
            variables |= {"last": size, "before": cursor}
        else:
            variables |= {"first": size, "after": cursor}
        body = await graphql(client, PAGE, variables)
        assert "errors" not in body, body
        connection = body["data"]["samples"]
        ids = [_key(edge["node"]["id"]) for edge in connection["edges"]]
        seen = ids + seen if backward else seen + ids
        info = connection["pageInfo"]
        more = info["hasPreviousPage"] if backward else info["hasNextPage"]
        if not more:
            return seen
        cursor = info["startCursor"] if backward else info["endCursor"]


def _key(global_id: str) -> uuid.UUID:
    from app.graphql.core.ids import decode_id

    return decode_id(global_id)[1]


@pytest.mark.parametrize("field", ORDERS)
@pytest.mark.parametrize("direction", ["ASC", "DESC"])
async def test_walks_visit_every_row_once_in_order(
    client: httpx.AsyncClient, session: AsyncSession, field: str, direction: str
) -> None:
    rows = await _catalogue(session)
    expected = _expected(rows, field, descending=direction == "DESC")
    order = {"field": field, "direction": direction}

    forward = await _walk(client, order, 4, backward=False)
    backward = await _walk(client, order, 4, backward=True)

    assert forward == expected
    assert backward == expected


async def test_rows_inserted_mid_walk_do_not_shift_later_pages(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    rows = await _catalogue(session)
    order = {"field": "CREATED_AT", "direction": "DESC"}
    first = await graphql(client, PAGE, {"orderBy": order, "first": 5})
    end = first["data"]["samples"]["pageInfo"]["endCursor"]
    expected_rest = _expected(rows, "CREATED_AT", descending=True)[5:10]

    # a newer sample arrives (it belongs on page one, already read) ...
    await make_sample(session, await make_user(session), created_at=T0 + timedelta(days=1))
    second = await graphql(client, PAGE, {"orderBy": order, "first": 5, "after": end})

    # ... and page two is exactly what it would have been
    assert [_key(e["node"]["id"]) for e in second["data"]["samples"]["edges"]] == expected_rest
    assert second["data"]["samples"]["pageInfo"]["hasPreviousPage"] is True


async def test_page_info_at_both_ends(client: httpx.AsyncClient, session: AsyncSession) -> None:
    await _catalogue(session)

    everything = await graphql(client, PAGE, {"first": 100})
    empty = await graphql(client, PAGE, {"first": 0})

    info = everything["data"]["samples"]["pageInfo"]
    assert info["hasNextPage"] is False
    assert info["hasPreviousPage"] is False
    assert len(everything["data"]["samples"]["edges"]) == 25
    assert empty["data"]["samples"]["edges"] == []
    assert empty["data"]["samples"]["pageInfo"] == {
        "hasNextPage": True,
        "hasPreviousPage": False,
        "startCursor": None,
        "endCursor": None,
    }


@pytest.mark.parametrize(
    ("variables", "field", "message"),
    [
        ({"after": "bm90LWEtY3Vyc29y"}, "after", "not a valid cursor"),
        ({"after": "%%%"}, "after", "not a valid cursor"),
        ({"last": 2, "before": "W10"}, "before", "not a valid cursor"),
        ({"first": 1, "last": 1}, "last", "not both"),
        ({"last": 101}, "last", "between 0 and 100"),
        ({"last": 2, "after": "x"}, "after", "use it with `first`"),
    ],
)
async def test_bad_page_arguments_are_bad_user_input(
    client: httpx.AsyncClient, variables: dict[str, Any], field: str, message: str
) -> None:
    body = await graphql(client, PAGE, variables)

    assert body["data"] is None
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == field
    assert message in body["errors"][0]["message"]


async def test_a_cursor_only_resumes_its_own_order(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _catalogue(session)
    page = await graphql(client, PAGE, {"orderBy": {"field": "TITLE"}, "first": 2})
    cursor = page["data"]["samples"]["pageInfo"]["endCursor"]

    body = await graphql(client, PAGE, {"orderBy": {"field": "BPM"}, "first": 2, "after": cursor})

    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert "belongs to another order (TITLE DESC)" in body["errors"][0]["message"]


async def test_a_cursor_only_resumes_its_own_direction(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _catalogue(session)
    page = await graphql(
        client, PAGE, {"orderBy": {"field": "BPM", "direction": "ASC"}, "first": 2}
    )
    cursor = page["data"]["samples"]["pageInfo"]["endCursor"]

    body = await graphql(
        client,
        PAGE,
        {"orderBy": {"field": "BPM", "direction": "DESC"}, "first": 2, "after": cursor},
    )

    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert "belongs to another order (BPM ASC)" in body["errors"][0]["message"]
