"""A real `samplebase serve` process on a throwaway database, for benchmarks that drive it
over HTTP or WebSockets and watch its memory.

The database is created on the PostgreSQL of ADMIN_URL (default: the local server, user
postgres) and dropped afterwards; the server's log goes to a file in its temporary data
dir, so that a benchmark can show what the server complained about.
"""

import asyncio
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import asyncpg
import httpx

ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")

REGISTER = """
mutation ($username: String!, $email: String!, $password: String!) {
  register(input: {username: $username, email: $email, password: $password}) {
    accessToken errors { code message }
  }
}
"""

UPLOAD = (
    "mutation ($input: UploadSampleInput!) { uploadSample(input: $input) "
    "{ sample { id sizeBytes } errors { code message } } }"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def rss_kib(pid: int, field_name: str = "VmRSS") -> int:
    """VmRSS (resident now) or VmHWM (peak since start or the last `reset_peak`), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field_name}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field_name} for process {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def reset_peak(pid: int) -> bool:
    """Reset VmHWM to the current RSS (Linux 4.0+, own processes); False if refused."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


class RssSampler:
    """Samples a process's VmRSS in a thread, every `interval` seconds, while entered."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        self.pid = pid
        self.interval = interval
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def peak_kib(self) -> int:
        return max(kib for _, kib in self.samples)

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            self.samples.append((time.perf_counter(), rss_kib(self.pid)))
            if self._stop.wait(self.interval):
                return


class ReadinessWatch:
    """Asks /readyz every `interval` seconds in a thread while entered: how long each answer
    took, and every answer that was not 200 (a load balancer would stop sending traffic)."""

    def __init__(self, port: int, interval: float = 0.5) -> None:
        self.url = f"http://127.0.0.1:{port}/readyz"
        self.interval = interval
        self.seconds: list[float] = []
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "ReadinessWatch":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(self.url, timeout=30):
                    pass
            except urllib.error.HTTPError as error:
                self.failures.append(f"{time.strftime('%H:%M:%S')} {error.code} {error.read()!r}")
            except OSError as error:
                self.failures.append(f"{time.strftime('%H:%M:%S')} {error!r}")
            self.seconds.append(time.perf_counter() - started)


@contextmanager
def throwaway_database() -> Iterator[str]:
    """A new empty database on ADMIN_URL's server; yields its URL, drops it afterwards."""
    name = f"samplebase_bench_{secrets.token_hex(4)}"

    async def admin(statement: str) -> None:
        connection = await asyncpg.connect(ADMIN_URL)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        yield ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        asyncio.run(admin(f'DROP DATABASE "{name}" WITH (FORCE)'))


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    database_url: str
    data_dir: Path
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/graphql"

    def log_lines(self, *words: str) -> list[str]:
        """Lines of the server's log that contain any of `words` (all lines without)."""
        lines = self.log.read_text(errors="replace").splitlines()
        return [line for line in lines if not words or any(word in line for word in words)]

    def register(self, username: str) -> str:
        """A new user's access token, through the `register` mutation."""
        variables = {
            "username": username,
            "email": f"{username}@example.com",
            "password": "correct horse battery",
        }
        response = httpx.post(
            self.url, json={"query": REGISTER, "variables": variables}, timeout=60
        )
        response.raise_for_status()
        payload: dict[str, Any] = response.json()["data"]["register"]
        if payload["errors"]:
            raise RuntimeError(f"register failed: {payload['errors']}")
        token: str = payload["accessToken"]
        return token


def multipart_fields() -> dict[str, str]:
    """`operations` and `map` of a GraphQL multipart `uploadSample` with its file as "0"."""
    operations = {"query": UPLOAD, "variables": {"input": {"file": None}}}
    return {
        "operations": json.dumps(operations),
        "map": json.dumps({"0": ["variables.input.file"]}),
    }


def upload_headers(token: str) -> dict[str, str]:
    return {"GraphQL-Require-Preflight": "1", "Authorization": f"Bearer {token}"}


def upload_request(
    server: Server, token: str, file: BinaryIO, *, timeout: float = 600
) -> httpx.Response:
    """One GraphQL multipart request; httpx streams the open file in 64 KiB chunks."""
    return httpx.post(
        server.url,
        data=multipart_fields(),
        files={"0": (Path(str(file.name)).name, file, "audio/wav")},
        headers=upload_headers(token),
        timeout=timeout,
    )


@contextmanager
def serving(*, worker: bool = False, env: dict[str, str] | None = None) -> Iterator[Server]:
    """`samplebase serve` (without its processing worker unless `worker`) on a throwaway
    database, until /readyz answers 200; stopped with SIGTERM afterwards."""
    with (
        throwaway_database() as database_url,
        tempfile.TemporaryDirectory(prefix="samplebase-bench-") as directory,
    ):
        data_dir = Path(directory) / "data"
        log = Path(directory) / "server.log"
        port = free_port()
        server_env = os.environ | {
            "DATABASE_URL": database_url,
            "SAMPLEBASE_DATA_DIR": str(data_dir),
            "SECRET_KEY": secrets.token_urlsafe(48),
            "LOG_LEVEL": "WARNING",
        }
        server_env |= env or {}
        command = [sys.executable, "-m", "app", "serve", "--port", str(port)]
        if not worker:
            command.append("--no-worker")
        with log.open("wb") as log_file:
            process = subprocess.Popen(command, env=server_env, stdout=log_file, stderr=log_file)
        server = Server(process, port, database_url, data_dir, log)
        try:
            _wait_ready(server)
            yield server
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_ready(server: Server) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(
                f"serve exited with {server.process.returncode}:\n{server.log_lines()}"
            )
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/readyz", timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("serve did not become ready within 60 s")
