import logging
import uuid
from collections.abc import Mapping, Sequence

import httpx
import pytest
from graphql import get_introspection_query
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.graphql.samples.loaders import SampleByIdLoader
from app.graphql.samples.types import Sample
from app.main import create_app
from tests.factories import gid, make_sample, make_user
from tests.graphql.client import error_codes, graphql


async def test_unexpected_exception_is_masked_and_logged(
    client: httpx.AsyncClient,
    session: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sample = await make_sample(session, await make_user(session))

    async def explode(
        _self: SampleByIdLoader, _keys: Sequence[uuid.UUID]
    ) -> Mapping[uuid.UUID, Sample]:
        raise RuntimeError("password=hunter2 at db-internal-host:5432")

    monkeypatch.setattr(SampleByIdLoader, "fetch", explode)

    with caplog.at_level(logging.ERROR, logger="app.graphql"):
        body = await graphql(
            client, "query ($id: ID!) { sample(id: $id) { title } }", {"id": gid("Sample", sample)}
        )

    assert body["data"] == {"sample": None}
    assert body["errors"] == [
        {
            "message": "Unexpected error.",
            "locations": [{"line": 1, "column": 20}],
            "path": ["sample"],
            "extensions": {"code": "INTERNAL_SERVER_ERROR"},
        }
    ]
    assert "hunter2" in caplog.text  # logged for us, with the traceback
    assert "RuntimeError" in caplog.text


async def test_validation_error_keeps_its_message_and_code(client: httpx.AsyncClient) -> None:
    body = await graphql(client, '{ sample(id: "x") { noSuchField } }')

    assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    assert body["errors"][0]["message"] == "Cannot query field 'noSuchField' on type 'Sample'."


async def test_parse_error_has_its_code(client: httpx.AsyncClient) -> None:
    body = await graphql(client, "{ sample(id: ")

    assert error_codes(body) == ["GRAPHQL_PARSE_FAILED"]
    assert body["errors"][0]["message"].startswith("Syntax Error")


async def test_bad_variable_is_bad_user_input(client: httpx.AsyncClient) -> None:
    body = await graphql(client, "query ($id: ID!) { sample(id: $id) { title } }", {"id": None})

    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert "$id" in body["errors"][0]["message"]


async def test_too_deep_query_is_too_complex(settings: Settings, database_url: str) -> None:
    shallow = settings.model_copy(update={"max_query_depth": 2})
    app = create_app(shallow, database_url=database_url)
    query = '{ sample(id: "x") { pack { owner { id } } } }'  # depth 3

    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            body = await graphql(client, query)
            allowed = await graphql(client, '{ sample(id: "x") { pack { name } } }')

    assert error_codes(body) == ["QUERY_TOO_COMPLEX"]
    assert "exceeds maximum operation depth of 2" in body["errors"][0]["message"]
    assert error_codes(allowed) == ["BAD_USER_INPUT"]  # past validation, only the ID is bad


async def test_too_many_aliases_is_too_complex(client: httpx.AsyncClient) -> None:
    aliases = " ".join(f"a{i}: me {{ id }}" for i in range(31))

    body = await graphql(client, f"{{ {aliases} }}")

    assert error_codes(body) == ["QUERY_TOO_COMPLEX"]


async def test_too_many_tokens_is_too_complex(client: httpx.AsyncClient) -> None:
    body = await graphql(client, "{ " + "__typename " * 2500 + "}")

    assert error_codes(body) == ["QUERY_TOO_COMPLEX"]


async def test_full_introspection_is_allowed(client: httpx.AsyncClient) -> None:
    body = await graphql(client, get_introspection_query(descriptions=True))

    assert "errors" not in body
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"
