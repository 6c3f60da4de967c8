import uuid

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app import models
from tests.factories import gid, make_sample, make_user
from tests.graphql.client import error_codes, graphql

QUERY = """
query ($id: ID!) {
  sample(id: $id) {
    id title status visibility sizeBytes bpm key likeCount viewerHasLiked
    uploader { id username email }
    tags { name }
    pack { title }
    waveform(points: 3)
  }
}
"""


async def test_sample_is_returned_with_its_relations(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    # given
    uploader = await make_user(session, username="alice")
    sample = await make_sample(
        session,
        uploader,
        title="Dusty break",
        bpm=92.0,
        key="F#m",
        waveform=[0.1, 0.9, 0.2, 0.4, 0.3, 0.8],
    )

    # when
    body = await graphql(client, QUERY, {"id": gid("Sample", sample)})

    # then
    assert "errors" not in body
    assert body["data"]["sample"] == {
        "id": gid("Sample", sample),
        "title": "Dusty break",
        "status": "READY",
        "visibility": "PUBLIC",
        "sizeBytes": body["data"]["sample"]["sizeBytes"],
        "bpm": 92.0,
        "key": "F#m",
        "likeCount": 0,
        "viewerHasLiked": False,
        "uploader": {"id": gid("User", uploader), "username": "alice", "email": None},
        "tags": [],
        "pack": None,
        "waveform": [0.9, 0.4, 0.8],
    }


async def test_missing_sample_is_not_found(client: httpx.AsyncClient) -> None:
    body = await graphql(client, QUERY, {"id": gid("Sample", uuid.uuid4())})

    assert body["data"] == {"sample": None}
    assert error_codes(body) == ["NOT_FOUND"]
    assert body["errors"][0]["path"] == ["sample"]


async def test_hidden_samples_are_not_found_for_anonymous(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    uploader = await make_user(session)
    private = await make_sample(session, uploader, visibility=models.Visibility.PRIVATE)
    queued = await make_sample(session, uploader, status=models.SampleStatus.QUEUED)
    unlisted = await make_sample(session, uploader, visibility=models.Visibility.UNLISTED)

    for hidden in (private, queued):
        body = await graphql(client, QUERY, {"id": gid("Sample", hidden)})
        assert body["data"] == {"sample": None}
        assert error_codes(body) == ["NOT_FOUND"]
    body = await graphql(client, QUERY, {"id": gid("Sample", unlisted)})
    assert body["data"]["sample"]["visibility"] == "UNLISTED"


async def test_malformed_and_mistyped_ids_are_bad_user_input(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await make_user(session)

    for bad in ("not-an-id", "", gid("User", user), "U2FtcGxlOm5vdC1hLXV1aWQ"):
        body = await graphql(client, QUERY, {"id": bad})
        assert body["data"] == {"sample": None}, bad
        assert error_codes(body) == ["BAD_USER_INPUT"], bad
