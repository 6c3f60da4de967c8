import asyncio

from gql import Client, GraphQLRequest
from gql.transport.websockets import WebsocketsTransport
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette

from app.config import Settings
from app.models.enums import ProcessingStep, SampleStatus
from app.processing.events import record_event
from tests.factories import gid, make_sample, make_user
from tests.graphql.client import access_token
from tests.live import serving


async def test_smoke(
    app: Starlette,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    user = await make_user(session)
    sample = await make_sample(session, user, status=SampleStatus.QUEUED)
    async with sessionmaker.begin() as s:
        await record_event(s, sample, SampleStatus.QUEUED, message="Queued")
    token = access_token(settings, user)
    async with serving(app) as host:
        transport = WebsocketsTransport(
            url=f"ws://{host}/graphql",
            init_payload={"Authorization": f"Bearer {token}"},
            subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
        )
        async with Client(transport=transport) as client:
            query = GraphQLRequest(
                "subscription ($id: ID!) { sampleProcessing(id: $id) "
                "{ sequence status step progress sample { title } } }",
                variable_values={"id": gid("Sample", sample)},
            )
            got = []

            async def produce() -> None:
                await asyncio.sleep(0.5)
                for step in (ProcessingStep.PROBE, ProcessingStep.DECODE):
                    async with sessionmaker.begin() as s:
                        await record_event(
                            s, sample, SampleStatus.PROCESSING, step=step, progress=0.2
                        )
                async with sessionmaker.begin() as s:
                    await record_event(
                        s, sample, SampleStatus.READY, step=ProcessingStep.READY, progress=1.0
                    )

            task = asyncio.create_task(produce())
            async with asyncio.timeout(20):
                async for result in client.subscribe(query):
                    got.append(result)
            await task
    print(got)
    assert [g["sampleProcessing"]["sequence"] for g in got] == [1, 2, 3, 4]
