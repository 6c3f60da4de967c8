"""Who may follow a sample's processing, and the errors the others get on the wire."""

import logging
import uuid
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette

from app.config import Settings
from app.models import Role
from app.models.enums import ProcessingStep, SampleStatus
from app.processing.feed import EventReader
from tests.factories import make_sample, make_user
from tests.graphql.client import access_token
from tests.graphql.processing.subscribers import (
    both_protocols,
    drain,
    events,
    processing,
    processing_payload,
    raw_socket,
    receive,
    record,
    send,
    subscriber,
)
from tests.live import serving


async def _refused(host: str, subprotocol: str, token: str | None, sample: uuid.UUID) -> Any:
    async with subscriber(host, subprotocol, token) as ws:
        with pytest.raises(TransportQueryError) as refused:
            await drain(ws.subscribe(processing(sample)))
    assert refused.value.errors is not None
    [error] = refused.value.errors
    return error


@both_protocols
async def test_another_users_sample_is_not_found_like_a_missing_one(
    app: Starlette,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    subprotocol: str,
) -> None:
    # given: someone else's sample being processed
    owner = await make_user(session)
    sample = await make_sample(session, owner, status=SampleStatus.QUEUED)
    await record(sessionmaker, sample, SampleStatus.QUEUED)
    stranger = access_token(settings, await make_user(session))

    # when: a stranger follows it, and a sample that does not exist
    async with serving(app) as host:
        theirs = await _refused(host, subprotocol, stranger, sample)
        missing = await _refused(host, subprotocol, stranger, uuid.uuid4())

    # then: the same NOT_FOUND, so existence does not leak
    assert theirs["extensions"]["code"] == "NOT_FOUND"
    assert theirs["message"] == missing["message"]
    assert theirs["extensions"] == missing["extensions"]


@both_protocols
async def test_an_anonymous_client_must_sign_in(
    app: Starlette, session: AsyncSession, subprotocol: str
) -> None:
    # given: a sample
    sample = await make_sample(session, await make_user(session))

    # when: a client without a token follows it
    async with serving(app) as host:
        error = await _refused(host, subprotocol, None, sample)

    # then
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


@both_protocols
async def test_an_admin_may_follow_anyones_sample(
    app: Starlette,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    subprotocol: str,
) -> None:
    # given: a user's processed sample
    owner = await make_user(session)
    sample = await make_sample(session, owner, status=SampleStatus.QUEUED)
    await record(sessionmaker, sample, SampleStatus.QUEUED)
    await record(sessionmaker, sample, SampleStatus.READY, ProcessingStep.READY)
    admin = access_token(settings, await make_user(session, role=Role.ADMIN), role=Role.ADMIN)

    # when: an admin follows it
    async with serving(app) as host, subscriber(host, subprotocol, admin) as ws:
        results = await drain(ws.subscribe(processing(sample)))

    # then: its current (terminal) state, then the end
    assert events(results) == [(2, "READY", "READY")]


async def test_on_the_wire_a_refusal_is_a_next_with_coded_errors_then_complete(
    app: Starlette, session: AsyncSession, settings: Settings
) -> None:
    # given: a signed-in client (graphql-transport-ws, by hand)
    token = access_token(settings, await make_user(session))

    # when: it follows a sample that does not exist
    async with serving(app) as host, raw_socket(host, token) as socket:
        await send(
            socket, {"id": "1", "type": "subscribe", "payload": processing_payload(uuid.uuid4())}
        )
        refusal = await receive(socket)
        after = await receive(socket)

    # then: a `next` carrying the coded error (the operation had started), then `complete`
    assert refusal == {
        "id": "1",
        "type": "next",
        "payload": {
            "data": None,
            "errors": [
                {
                    "message": "No such sample of yours.",
                    "extensions": {"code": "NOT_FOUND", "field": "id"},
                }
            ],
        },
    }
    assert after == {"id": "1", "type": "complete"}


@both_protocols
async def test_an_unexpected_failure_is_masked_and_logged(
    app: Starlette,
    session: AsyncSession,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    subprotocol: str,
) -> None:
    # given: a database read that fails with internals in its message
    user = await make_user(session)
    sample = await make_sample(session, user, status=SampleStatus.QUEUED)

    async def explode(_self: EventReader, _sample_id: uuid.UUID) -> None:
        raise RuntimeError("password=hunter2 at db-internal-host:5432")

    monkeypatch.setattr(EventReader, "latest", explode)

    # when: the owner follows the sample
    with caplog.at_level(logging.ERROR, logger="app.graphql"):
        async with serving(app) as host:
            error = await _refused(host, subprotocol, access_token(settings, user), sample)

    # then: the client learns nothing of it; the log has it
    assert error == {
        "message": "Unexpected error.",
        "extensions": {"code": "INTERNAL_SERVER_ERROR"},
    }
    assert "hunter2" in caplog.text
