"""likeSample / unlikeSample: one like per user, the count kept in step."""

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app import models
from app.config import Settings
from app.models import Visibility
from tests.factories import gid, make_sample, make_user
from tests.graphql.client import access_token, graphql

LIKE = """
mutation ($id: ID!) {
  likeSample(input: {id: $id}) { sample { likeCount viewerHasLiked } errors { field code } }
}
"""
UNLIKE = """
mutation ($id: ID!) {
  unlikeSample(input: {id: $id}) { sample { likeCount viewerHasLiked } errors { field code } }
}
"""


async def _likes(session: AsyncSession) -> int:
    count = await session.scalar(select(func.count()).select_from(models.Like))
    return count or 0


async def test_liking_twice_counts_once_and_unliking_takes_it_back(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    sample = await make_sample(session, await make_user(session))
    token = access_token(settings, await make_user(session))
    variables = {"id": gid("Sample", sample)}

    first = await graphql(client, LIKE, variables, token=token)
    second = await graphql(client, LIKE, variables, token=token)

    expected = {"sample": {"likeCount": 1, "viewerHasLiked": True}, "errors": []}
    assert first["data"]["likeSample"] == expected
    assert second["data"]["likeSample"] == expected
    assert await _likes(session) == 1

    unliked = await graphql(client, UNLIKE, variables, token=token)
    again = await graphql(client, UNLIKE, variables, token=token)

    expected = {"sample": {"likeCount": 0, "viewerHasLiked": False}, "errors": []}
    assert unliked["data"]["unlikeSample"] == expected
    assert again["data"]["unlikeSample"] == expected
    assert await _likes(session) == 0


async def test_a_sample_you_cannot_see_cannot_be_liked(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    sample = await make_sample(session, await make_user(session), visibility=Visibility.PRIVATE)
    token = access_token(settings, await make_user(session))

    body = await graphql(client, LIKE, {"id": gid("Sample", sample)}, token=token)

    assert body["data"]["likeSample"] == {
        "sample": None,
        "errors": [{"field": "id", "code": "NOT_FOUND"}],
    }
    assert await _likes(session) == 0
    assert (await graphql(client, UNLIKE, {"id": gid("Sample", sample)}, token=token))["data"][
        "unlikeSample"
    ]["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
