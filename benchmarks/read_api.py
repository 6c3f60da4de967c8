"""Read API under load: the nested catalogue query of the Read API issue, first: 50.

Seeds 50,000 samples into a fresh embedded data dir (or uses --data-dir as is), starts
`samplebase serve` with 1 and then 2 workers, and drives it with wrk (10 connections)
or, without wrk, a Python client. Prints median latency, requests/s, server CPU-ms per
request and SQL statements per request, as medians over --runs runs.

    uv run python benchmarks/read_api.py [--runs 3] [--seconds 10] [--data-dir DIR]
"""

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

QUERY = """{ samples(first: 50) { edges { node { title
  uploader { username samples(first: 3) { nodes { title } } }
  tags { name } pack { name } likeCount } } totalCount } }"""
BODY = json.dumps({"query": QUERY})
_LUA = f"""wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = {json.dumps(BODY)}
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %f %f\\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1e3))
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a process and its children (uvicorn's workers), in seconds."""
    total = 0.0
    pids = [pid] + [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for p in pids:
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _seed(data_dir: Path) -> None:
    env = os.environ | {"SAMPLEBASE_DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "app", "seed", "--users", "500", "--samples", "50000"],
        env=env,
        check=True,
        stderr=subprocess.DEVNULL,
    )


def _serve(data_dir: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = os.environ | {"SAMPLEBASE_DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/graphql"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1):
                return process, url
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("server did not start")


def _wrk(url: str, seconds: int) -> tuple[int, float, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_LUA)
    out = subprocess.run(
        ["wrk", "-t", "1", "-c", "10", "-d", f"{seconds}s", "-s", script.name, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    Path(script.name).unlink()
    _, requests, duration, p50 = next(
        line for line in out.splitlines() if line.startswith("RESULT")
    ).split()
    return int(requests), float(duration), float(p50)


def _python_client(url: str, seconds: int) -> tuple[int, float, float]:
    import httpx

    latencies: list[float] = []

    async def worker(client: httpx.AsyncClient, until: float) -> None:
        while time.monotonic() < until:
            started = time.perf_counter()
            response = await client.post(
                url, content=BODY, headers={"content-type": "application/json"}
            )
            response.raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)

    async def run() -> float:
        async with httpx.AsyncClient(timeout=30) as client:
            started = time.monotonic()
            await asyncio.gather(*(worker(client, started + seconds) for _ in range(10)))
            return time.monotonic() - started

    duration = asyncio.run(run())
    return len(latencies), duration, statistics.median(latencies)


def _statements(data_dir: Path) -> int:
    """SQL statements one request issues, counted in-process on the same database."""
    import httpx
    from sqlalchemy import event

    from app.config import Settings
    from app.database_server import EmbeddedPostgres
    from app.main import create_app

    embedded = EmbeddedPostgres(data_dir)
    url = embedded.start()
    count = 0

    async def run() -> None:
        nonlocal count
        app = create_app(Settings(data_dir=data_dir), database_url=url)
        async with app.router.lifespan_context(app):

            def record(*_args: object) -> None:
                nonlocal count
                count += 1

            event.listen(app.state.engine.sync_engine, "before_cursor_execute", record)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                response = await client.post("/graphql", json={"query": QUERY})
                if "errors" in response.json():
                    raise SystemExit(f"the query failed: {response.text}")

    asyncio.run(run())
    embedded.stop()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--data-dir", type=Path)
    args = parser.parse_args()
    temporary = None
    data_dir = args.data_dir
    if data_dir is None:
        temporary = tempfile.mkdtemp(prefix="samplebase-bench-")
        data_dir = Path(temporary) / "data"
        print("seeding 50,000 samples ...", flush=True)
        _seed(data_dir)
    load = _wrk if shutil.which("wrk") else _python_client
    try:
        print(f"SQL statements per request: {_statements(data_dir)}")
        for workers in (1, 2):
            results = []
            for _ in range(args.runs):
                process, url = _serve(data_dir, workers)
                try:
                    load(url, 2)  # warm-up: caches, connection pool, JIT-less CPython paths
                    cpu_before = _cpu_seconds(process.pid)
                    requests, duration, p50 = load(url, args.seconds)
                    cpu = _cpu_seconds(process.pid) - cpu_before
                finally:
                    process.send_signal(signal.SIGTERM)
                    process.wait(timeout=30)
                results.append((requests / duration, p50, 1000 * cpu / requests))
            rps, p50, cpu_ms = (statistics.median(r[i] for r in results) for i in range(3))
            print(
                f"{workers} worker(s), {load.__name__.strip('_')}, 10 connections: "
                f"{rps:.0f} req/s, median latency {p50:.1f} ms, "
                f"server CPU {cpu_ms:.2f} ms/request (median of {args.runs})"
            )
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    main()
