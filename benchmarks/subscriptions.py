"""N WebSocket subscribers on one `samplebase serve --no-worker` process, all following
one sample's processing (`sampleProcessing`, graphql-transport-ws).

For each N: a throwaway database and a fresh server; one uploader and one uploaded WAV
(its QUEUED event is sequence 1). A client process opens N connections (at most
--handshakes at once) and subscribes each; once all N have the current state, the server's
RSS gives the memory per subscriber. This process then records --events PROCESSING events
and a READY one with `app.processing.events.record_event`, as the worker would, each in its
own transaction, waiting until every client has one before the next. Latency is receive
time (client) minus commit time (here): p50/p99/max over every client and event. Every
client must get every event, in order, then `complete`.

    uv run python benchmarks/subscriptions.py [--clients 100 1000 5000] [--events 20] [--runs 3]

The clients share the machine's cores with the server: their CPU time is in the figures.
"""

import argparse
import asyncio
import multiprocessing
import secrets
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import numpy as np
import soundfile as sf
from server import ReadinessWatch, Server, cpu_seconds, rss_kib, serving, upload_request
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from subscribers import Outcome, Plan, raise_file_limit, run_clients

from app.db import async_url
from app.graphql.core.ids import decode_typed_id
from app.models.enums import ProcessingStep, SampleStatus
from app.processing.events import record_event


async def _await_all(pipe: Connection, want: tuple[str, int], seconds: float) -> float | None:
    """When (monotonic) the client process said `want`, or None after `seconds`."""
    try:
        async with asyncio.timeout(seconds):
            while True:
                if await asyncio.to_thread(pipe.poll, 0.5) and tuple(pipe.recv()) == want:
                    return time.monotonic()
    except TimeoutError:
        return None


def _percentile(values: list[float], fraction: float) -> float:
    return float(np.percentile(values, fraction * 100))


@dataclass
class _Result:
    clients: int
    rss_before_kib: int
    rss_subscribed_kib: int
    rss_after_kib: int
    subscribe_seconds: float | None
    latencies: list[float]
    per_event_last: list[float]
    # CPU seconds of (server, clients) while subscribing, and while the events went out.
    subscribe_cpu: tuple[float, float]
    events_cpu: tuple[float, float]
    events_started: str
    readiness: ReadinessWatch
    problems: list[str]
    log: list[str]

    @property
    def per_subscriber_kib(self) -> float:
        return (self.rss_subscribed_kib - self.rss_before_kib) / self.clients

    def latency_ms(self, fraction: float) -> float:
        return _percentile(self.latencies, fraction) * 1000


def _upload_small(server: Server, token: str, directory: Path) -> str:
    path = directory / "one-second.wav"
    sf.write(path, np.zeros((44100, 2), dtype=np.float32), 44100, subtype="PCM_16")
    with path.open("rb") as file:
        payload = upload_request(server, token, file).json()["data"]["uploadSample"]
    if payload["errors"]:
        raise SystemExit(f"upload failed: {payload['errors']}")
    sample_id: str = payload["sample"]["id"]
    return sample_id


async def _produce(
    server: Server, sample: uuid.UUID, pipe: Connection, events: int, seconds: float
) -> tuple[dict[int, float], list[float], list[str]]:
    engine = create_async_engine(async_url(server.database_url))
    sessionmaker = async_sessionmaker(engine, expire_on_commit=False)
    committed: dict[int, float] = {}
    last: list[float] = []
    problems: list[str] = []
    try:
        for index in range(events + 1):
            ready = index == events
            async with sessionmaker.begin() as session:
                event = await record_event(
                    session,
                    sample,
                    SampleStatus.READY if ready else SampleStatus.PROCESSING,
                    step=ProcessingStep.READY if ready else ProcessingStep.ANALYZE,
                    progress=1.0 if ready else index / events,
                )
                sequence = event.sequence
            committed[sequence] = time.monotonic()
            arrived = await _await_all(pipe, ("all", sequence), seconds)
            if arrived is None:
                problems.append(f"not every client got sequence {sequence} in {seconds:g} s")
                break
            last.append(arrived - committed[sequence])
        if await _await_all(pipe, ("complete", 0), seconds) is None and not problems:
            problems.append(f"not every client got `complete` in {seconds:g} s")
    finally:
        await engine.dispose()
    return committed, last, problems


def measure(clients: int, events: int, handshakes: int, deflate: bool, timeout: float) -> _Result:
    with (
        serving() as server,
        tempfile.TemporaryDirectory(prefix="samplebase-bench-") as directory,
    ):
        token = server.register(f"uploader{secrets.token_hex(4)}")
        sample_gid = _upload_small(server, token, Path(directory))
        sample = decode_typed_id(sample_gid, "Sample")
        time.sleep(1.0)
        rss_before = rss_kib(server.pid)
        ours, theirs = multiprocessing.Pipe()
        plan = Plan(server.ws_url, token, sample_gid, clients, handshakes, deflate)
        process = multiprocessing.Process(target=run_clients, args=(plan, theirs))
        started = time.monotonic()
        process.start()
        assert process.pid is not None  # noqa: S101 - started just above
        cpu = [(cpu_seconds(server.pid), cpu_seconds(process.pid))]
        subscribed = asyncio.run(_await_all(ours, ("all", 1), timeout))
        subscribe_seconds = None if subscribed is None else subscribed - started
        cpu.append((cpu_seconds(server.pid), cpu_seconds(process.pid)))
        time.sleep(1.0)
        rss_subscribed = rss_kib(server.pid)
        events_started = time.strftime("%H:%M:%S")
        cpu.append((cpu_seconds(server.pid), cpu_seconds(process.pid)))
        problems: list[str] = []
        readiness = ReadinessWatch(server.port)
        committed: dict[int, float] = {}
        last: list[float] = []
        if subscribed is None:
            problems.append(f"not every client had sequence 1 after {timeout:g} s")
        else:
            with readiness:
                committed, last, problems = asyncio.run(
                    _produce(server, sample, ours, events, timeout)
                )
        rss_after = rss_kib(server.pid)
        cpu.append((cpu_seconds(server.pid), cpu_seconds(process.pid)))
        ours.send("stop")
        results: list[Outcome] = []
        if ours.poll(120):
            kind, results = ours.recv()
            while kind != "results":
                kind, results = ours.recv()
        process.join(30)
        latencies, client_problems = _check(results, committed, events)
        if len(results) != clients:
            client_problems.append(f"results of {len(results)} clients, not {clients}")
        return _Result(
            clients=clients,
            rss_before_kib=rss_before,
            rss_subscribed_kib=rss_subscribed,
            rss_after_kib=rss_after,
            subscribe_seconds=subscribe_seconds,
            latencies=latencies,
            per_event_last=last,
            subscribe_cpu=(cpu[1][0] - cpu[0][0], cpu[1][1] - cpu[0][1]),
            events_cpu=(cpu[3][0] - cpu[2][0], cpu[3][1] - cpu[2][1]),
            events_started=events_started,
            readiness=readiness,
            problems=problems + client_problems,
            log=server.log_lines("ERROR", "Error", "Traceback", "WARNING"),
        )


def _check(
    results: list[Outcome],
    committed: dict[int, float],
    events: int,
) -> tuple[list[float], list[str]]:
    expected = list(range(1, events + 3))
    latencies: list[float] = []
    wrong: dict[str, int] = {}
    for received, completed, problem in results:
        sequences = [sequence for sequence, _ in received]
        if problem is not None:
            wrong[f"client failed: {problem}"] = wrong.get(f"client failed: {problem}", 0) + 1
        elif sequences != expected:
            wrong["wrong sequences"] = wrong.get("wrong sequences", 0) + 1
        elif not completed:
            wrong["no complete"] = wrong.get("no complete", 0) + 1
        latencies += [at - committed[seq] for seq, at in received if seq in committed]
    return latencies, [f"{count} clients: {what}" for what, count in wrong.items()]


def _report_run(result: _Result) -> None:
    line = f"  run: {result.per_subscriber_kib:.1f} KiB/subscriber"
    if result.subscribe_seconds is not None:
        line += f", all subscribed in {result.subscribe_seconds:.2f} s"
    line += " (CPU s server {:.1f}, clients {:.1f})".format(*result.subscribe_cpu)
    if result.latencies:
        line += (
            f"; latency p50 {result.latency_ms(0.5):.0f} ms, p99 {result.latency_ms(0.99):.0f} "
            f"ms, max {result.latency_ms(1.0):.0f} ms over {len(result.latencies)} deliveries"
        )
        line += " (CPU s server {:.1f}, clients {:.1f}".format(*result.events_cpu)
        line += f", from {result.events_started})"
    print(line)
    ready = result.readiness
    if ready.seconds:
        print(
            f"    /readyz every 0.5 s during the events: {len(ready.failures)} of "
            f"{len(ready.seconds)} not 200, slowest answer {max(ready.seconds) * 1000:.0f} ms"
        )
        for failure in ready.failures[:5]:
            print(f"      {failure[:300]}")
    print(f"    problems: {result.problems or 'none'}; server log warnings: {len(result.log)}")
    for log_line in result.log[:10]:
        print(f"      {log_line[:300]}")


def _report(results: list[_Result]) -> None:
    def median(value: Callable[[_Result], float]) -> float:
        return statistics.median(value(result) for result in results)

    print(f"N = {results[0].clients}, median of {len(results)} runs:")
    print(
        f"  server RSS {median(lambda r: r.rss_before_kib) / 1024:.1f} MiB before, "
        f"{median(lambda r: r.rss_subscribed_kib) / 1024:.1f} MiB all subscribed, "
        f"{median(lambda r: r.rss_after_kib) / 1024:.1f} MiB after the events: "
        f"{median(lambda r: r.per_subscriber_kib):.1f} KiB per subscriber"
    )
    timed = [r for r in results if r.latencies]
    if timed:
        print(
            "  latency commit -> client: "
            f"p50 {statistics.median(r.latency_ms(0.5) for r in timed):.0f} ms, "
            f"p99 {statistics.median(r.latency_ms(0.99) for r in timed):.0f} ms, "
            f"max {statistics.median(r.latency_ms(1.0) for r in timed):.0f} ms; "
            "last client per event (fan-out): "
            f"{statistics.median(statistics.median(r.per_event_last) for r in timed) * 1000:.0f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--handshakes", type=int, default=100, help="connections opening at once")
    parser.add_argument("--no-deflate", action="store_true", help="do not offer permessage-deflate")
    parser.add_argument("--timeout", type=float, default=120.0)
    arguments = parser.parse_args()
    limit = raise_file_limit()  # the server inherits it
    print(f"file descriptor limit {limit}; deflate {'off' if arguments.no_deflate else 'offered'}")
    for clients in arguments.clients:
        results = []
        for _ in range(arguments.runs):
            results.append(
                measure(
                    clients,
                    arguments.events,
                    arguments.handshakes,
                    not arguments.no_deflate,
                    arguments.timeout,
                )
            )
            _report_run(results[-1])
        _report(results)


if __name__ == "__main__":
    main()
