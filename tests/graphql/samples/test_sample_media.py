"""audioUrl and previewUrl: handed out only with the sample, and they serve the files."""

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.config import Settings
from tests.audio import loop_file
from tests.factories import make_user
from tests.graphql.client import access_token, graphql
from tests.graphql.uploads import uploaded
from tests.worker import RunWorker, wait_until_settled

MEDIA = "query ($id: ID!) { sample(id: $id) { audioUrl previewUrl } }"


async def test_the_owner_gets_working_links_to_a_private_sample_and_others_get_nothing(
    client: httpx.AsyncClient,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    run_worker: RunWorker,
) -> None:
    owner = access_token(settings, await make_user(session, username="owner"))
    other = access_token(settings, await make_user(session, username="other"))
    data = loop_file()
    global_id, sample_id = await uploaded(
        client, data, token=owner, fields={"visibility": "PRIVATE"}
    )
    async with run_worker():
        await wait_until_settled(sessionmaker, sample_id)

    links = (await graphql(client, MEDIA, {"id": global_id}, token=owner))["data"]["sample"]

    assert links["audioUrl"].startswith("http://testserver/media/samples/")
    audio = await client.get(links["audioUrl"], headers={"Range": "bytes=0-99"})
    assert audio.status_code == 206
    assert audio.headers["content-type"] == "audio/wav"
    assert audio.content == data[:100]
    preview = await client.get(links["previewUrl"])
    assert preview.status_code == 200
    assert preview.headers["content-type"] == "audio/ogg"
    assert preview.content.startswith(b"OggS")
    for token in (other, None):
        body = await graphql(client, MEDIA, {"id": global_id}, token=token)
        assert body["data"] == {"sample": None}
        assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]


async def test_a_tampered_link_is_forbidden(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    owner = access_token(settings, await make_user(session))
    global_id = (await uploaded(client, loop_file(), token=owner)).id
    links = (await graphql(client, MEDIA, {"id": global_id}, token=owner))["data"]["sample"]
    assert links["previewUrl"] is None  # not processed yet

    tampered = links["audioUrl"].replace("/audio?", "/preview?")

    assert (await client.get(tampered)).status_code == 403
    assert (await client.get(links["audioUrl"])).status_code == 200
