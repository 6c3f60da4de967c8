"""Cold and warm start of `samplebase serve` on the embedded PostgreSQL, until /readyz is 200.

Cold: an empty data dir (initdb, migrations). Warm: the same data dir again.
    uv run python benchmarks/startup.py [--runs 5]
"""

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_once(data_dir: Path) -> float:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"SAMPLEBASE_DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING"}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            if process.poll() is not None:
                raise SystemExit(f"serve exited with {process.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1):
                    return time.perf_counter() - started
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.02)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    cold, warm = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="samplebase-bench-") as directory:
            data_dir = Path(directory) / "data"
            cold.append(start_once(data_dir))
            warm.append(start_once(data_dir))
    for name, times in (("cold", cold), ("warm", warm)):
        print(
            f"{name}: median {statistics.median(times):.2f} s "
            f"(min {min(times):.2f}, max {max(times):.2f}, n={runs})"
        )


if __name__ == "__main__":
    main()
