"""An open-loop request rate: requests start on a fixed schedule whatever the answers take,
so a stalled server shows up as latency instead of slowing the client down."""

import asyncio
import time
from collections.abc import Mapping

import httpx


async def paced_latencies(
    client: httpx.AsyncClient,
    url: str,
    body: Mapping[str, object],
    rate: float,
    stop: asyncio.Event,
) -> list[float]:
    """Latencies (seconds) of POSTs of `body` at `rate` per second until `stop` is set."""
    latencies: list[float] = []

    async def one() -> None:
        started = time.perf_counter()
        response = await client.post(url, json=body)
        response.raise_for_status()
        if "errors" in response.json():
            raise RuntimeError(f"query failed: {response.text}")
        latencies.append(time.perf_counter() - started)

    tasks = []
    began = time.perf_counter()
    index = 0
    while not stop.is_set():
        tasks.append(asyncio.create_task(one()))
        index += 1
        delay = began + index / rate - time.perf_counter()
        if delay > 0:
            try:
                async with asyncio.timeout(delay):
                    await stop.wait()
            except TimeoutError:
                pass
    await asyncio.gather(*tasks)
    return latencies
