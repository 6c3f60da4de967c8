"""Processing benchmarks, one subcommand each.

    uv run python benchmarks/processing.py analysis [--runs 5]
    uv run python benchmarks/processing.py upload [--runs 3] [--minutes 20 2]
    uv run python benchmarks/processing.py latency [--runs 3] [--files 8] [--rate 20]

analysis: decode, analyze, waveform peaks and preview of synthetic 5 s and 60 s stereo
44.1 kHz 16-bit WAVs (drums and chords at 120 BPM); median wall time of each step over the
runs and the multiple of real time (audio seconds per wall second).

upload: a real `samplebase serve --no-worker` on a throwaway database (BENCH_ADMIN_URL,
default the local PostgreSQL); stereo 44.1 kHz 16-bit WAVs of --minutes each (20 min is
212 MB) streamed from disk as GraphQL multipart requests. The server's RSS is sampled every
20 ms: baseline, peak (sampled, and VmHWM), peak - baseline, wall time and MB/s, medians
over the runs, with the client's own peak. Then the largest file against a server capped
at a tenth of its size: time to the 413 and bytes the client read from the file.

latency: `serve` with its processing worker; p50/p99/max of a small catalogue query sent at
--rate per second (open loop), first idle, then while --files 60 s WAVs are uploaded and
analysed (the analysis runs in the worker's thread pool, so this shows how much it holds
the event loop back).
"""

import argparse
import asyncio
import io
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import httpx
import numpy as np
import soundfile as sf
from load import paced_latencies
from server import (
    RssSampler,
    Server,
    cpu_seconds,
    multipart_fields,
    reset_peak,
    rss_kib,
    serving,
    upload_headers,
    upload_request,
)

from app.processing.analysis import analyze, decode, encode_preview, waveform_peaks

RATE = 44100
BPM = 120.0
DURATIONS = (5.0, 60.0)
# C, Am, F, G: one chord a bar, as MIDI notes.
PROGRESSION = ((60, 64, 67), (57, 60, 64), (53, 57, 60), (55, 59, 62))


def music(seconds: float, rate: int = RATE) -> np.ndarray:
    """Stereo float32: kick on the beats, snare on 2 and 4, hats on the eighths, chords."""
    rng = np.random.default_rng(1)
    frames = round(seconds * rate)
    beat = round(60 / BPM * rate)
    hit_time = np.arange(round(0.3 * rate)) / rate
    kick = np.sin(2 * np.pi * np.cumsum(50 + 100 * np.exp(-hit_time * 30)) / rate)
    kick *= np.exp(-hit_time * 9)
    snare = rng.uniform(-1, 1, hit_time.size) * np.exp(-hit_time * 25)
    hat = rng.uniform(-1, 1, hit_time.size) * np.exp(-hit_time * 90)
    drums = np.zeros(frames + hit_time.size)
    for hit, period, offset, level in ((kick, beat, 0, 0.8), (snare, 2 * beat, beat, 0.4)):
        for start in range(offset, frames, period):
            drums[start : start + hit.size] += level * hit
    for start in range(0, frames, beat // 2):
        drums[start : start + hat.size] += 0.15 * hat
    bar = 4 * beat
    notes = np.array([PROGRESSION[(index // bar) % 4] for index in range(0, frames, bar)])
    chord_notes = np.repeat(notes, bar, axis=0)[:frames]
    pads = np.zeros(frames)
    for voice in range(3):
        frequency = 440 * 2 ** ((chord_notes[:, voice] - 69) / 12)
        pads += np.sin(2 * np.pi * np.cumsum(frequency) / rate)
    left = drums[:frames] + 0.12 * pads
    right = drums[:frames] + 0.10 * pads
    mix = np.stack([left, right], axis=1)
    scaled: np.ndarray = (0.9 * mix / np.abs(mix).max()).astype(np.float32)
    return scaled


def _median_seconds(step: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def analysis(runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="samplebase-bench-") as directory:
        for seconds in DURATIONS:
            path = Path(directory) / f"music-{seconds:.0f}s.wav"
            sf.write(path, music(seconds), RATE, subtype="PCM_16")
            samples, rate = decode(path)
            steps: dict[str, Callable[[], object]] = {
                "decode": partial(decode, path),
                "analyze": partial(analyze, samples, rate),
                "waveform": partial(waveform_peaks, samples),
                "preview": partial(encode_preview, samples, rate),
            }
            medians = {name: _median_seconds(step, runs) for name, step in steps.items()}
            medians["total"] = sum(medians.values())
            result = analyze(samples, rate)
            print(
                f"{seconds:.0f} s stereo 44.1 kHz 16-bit WAV ({path.stat().st_size / 1e6:.1f} MB), "
                f"median of {runs}: bpm {result.bpm}, key {result.key}, {result.kind}"
            )
            for name, wall in medians.items():
                print(f"  {name:<9} {wall * 1000:8.1f} ms  {seconds / wall:8.1f}x real time")


MIB = 1024 * 1024


def write_long_wav(path: Path, seconds: float, seed: int = 0) -> None:
    """Quiet stereo noise, written ten seconds at a time: never all in memory."""
    rng = np.random.default_rng(seed)
    block = round(10 * RATE)
    with sf.SoundFile(path, "w", samplerate=RATE, channels=2, subtype="PCM_16") as wav:
        for start in range(0, round(seconds * RATE), block):
            frames = min(block, round(seconds * RATE) - start)
            wav.write((0.1 * rng.standard_normal((frames, 2))).astype(np.float32))


class _CountingFile(io.FileIO):
    """A file that counts what the client read from it (an upper bound on what it sent)."""

    read_bytes = 0

    def read(self, size: int | None = -1, /) -> bytes:
        chunk = super().read(size)
        self.read_bytes += len(chunk)
        return chunk


def chunked_upload_request(
    server: Server, token: str, file: io.FileIO, *, timeout: float = 600
) -> httpx.Response:
    """The same request without a Content-Length (chunked), as a client that does not
    know the size up front sends it: the server can only count what arrives."""
    boundary = secrets.token_hex(16)

    def body() -> Iterator[bytes]:
        for name, value in multipart_fields().items():
            yield (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            ).encode()
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="0"; '
            f'filename="{Path(str(file.name)).name}"\r\nContent-Type: audio/wav\r\n\r\n'
        ).encode()
        while chunk := file.read(64 * 1024):
            yield chunk
        yield f"\r\n--{boundary}--\r\n".encode()

    headers = upload_headers(token) | {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    return httpx.post(server.url, content=body(), headers=headers, timeout=timeout)


@dataclass(frozen=True)
class _UploadRun:
    baseline_kib: int
    sampled_peak_kib: int
    hwm_kib: int | None
    after_kib: int
    seconds: float
    client_baseline_kib: int
    client_peak_kib: int


def _upload_once(server: Server, path: Path) -> _UploadRun:
    # A new uploader each time: the same file twice is refused as a duplicate.
    token = server.register(f"up{secrets.token_hex(6)}")
    time.sleep(0.5)
    baseline = rss_kib(server.pid)
    hwm_reset = reset_peak(server.pid)
    client_baseline = rss_kib(os.getpid())
    with (
        RssSampler(server.pid) as sampler,
        RssSampler(os.getpid()) as client,
        _CountingFile(path) as file,
    ):
        started = time.perf_counter()
        response = upload_request(server, token, file)
        seconds = time.perf_counter() - started
    payload = response.json()["data"]["uploadSample"]
    size = path.stat().st_size
    if payload["errors"] or payload["sample"]["sizeBytes"] != size or file.read_bytes != size:
        raise SystemExit(f"upload failed: {response.status_code} {payload}")
    time.sleep(1.0)
    return _UploadRun(
        baseline_kib=baseline,
        sampled_peak_kib=sampler.peak_kib,
        hwm_kib=rss_kib(server.pid, "VmHWM") if hwm_reset else None,
        after_kib=rss_kib(server.pid),
        seconds=seconds,
        client_baseline_kib=client_baseline,
        client_peak_kib=client.peak_kib,
    )


def _mib(kib: float) -> str:
    return f"{kib / 1024:6.1f} MiB"


def _report_uploads(path: Path, runs: list[_UploadRun]) -> None:
    def median(value: Callable[[_UploadRun], float]) -> float:
        return statistics.median(value(run) for run in runs)

    size = path.stat().st_size
    peak = median(lambda r: max(r.sampled_peak_kib, r.hwm_kib or 0))
    growth = [max(r.sampled_peak_kib, r.hwm_kib or 0) - r.baseline_kib for r in runs]
    seconds = median(lambda r: r.seconds)
    print(f"{path.name} ({size / 1e6:.1f} MB), median of {len(runs)}:")
    print(f"  server RSS baseline     {_mib(median(lambda r: r.baseline_kib))}")
    print(f"  server RSS peak         {_mib(peak)}  (sampled every 20 ms, or VmHWM if higher)")
    print(
        f"  peak - baseline         {_mib(statistics.median(growth))}  "
        f"(runs: {', '.join(f'{g / 1024:.1f}' for g in growth)})"
    )
    print(f"  server RSS 1 s after    {_mib(median(lambda r: r.after_kib))}")
    print(f"  upload wall time        {seconds:6.2f} s   {size / 1e6 / seconds:6.1f} MB/s")
    print(
        f"  client RSS peak         {_mib(median(lambda r: r.client_peak_kib))}  "
        f"(+{median(lambda r: r.client_peak_kib - r.client_baseline_kib):.0f} KiB while sending)"
    )


def _over_limit_once(server: Server, path: Path, *, chunked: bool) -> tuple[float, int, str]:
    token = server.register(f"big{secrets.token_hex(6)}")
    request = chunked_upload_request if chunked else upload_request
    with _CountingFile(path) as file:
        started = time.perf_counter()
        try:
            response = request(server, token, file, timeout=60)
            outcome = f"HTTP {response.status_code} {response.json()['errors'][0]['extensions']}"
        except httpx.TransportError as error:
            outcome = f"{type(error).__name__}: {error}"
        return time.perf_counter() - started, file.read_bytes, outcome


def upload(runs: int, minutes: list[float]) -> None:
    with tempfile.TemporaryDirectory(prefix="samplebase-bench-") as directory:
        paths = []
        for length in minutes:
            path = Path(directory) / f"noise-{length:g}min.wav"
            write_long_wav(path, length * 60)
            paths.append(path)
        largest = max(path.stat().st_size for path in paths)
        limit = {"MAX_UPLOAD_BYTES": str(largest + 100 * MIB)}
        with serving(env=limit) as server:
            warm_up = Path(directory) / "warm-up.wav"
            write_long_wav(warm_up, 2)
            _upload_once(server, warm_up)  # first-request imports and pools, not uploads
            for path in paths:
                _report_uploads(path, [_upload_once(server, path) for _ in range(runs)])
            problems = server.log_lines("ERROR", "Traceback")
        biggest = max(paths, key=lambda path: path.stat().st_size)
        cap = biggest.stat().st_size // 10
        with serving(env={"MAX_UPLOAD_BYTES": str(cap)}) as server:
            for chunked in (False, True):
                cut = [_over_limit_once(server, biggest, chunked=chunked) for _ in range(runs)]
                how = "chunked, no Content-Length" if chunked else "with Content-Length"
                print(
                    f"over the limit ({how}): {biggest.stat().st_size / 1e6:.1f} MB against "
                    f"MAX_UPLOAD_BYTES {cap / 1e6:.1f} MB, median of {runs}:"
                )
                print(f"  time to the answer      {statistics.median(c[0] for c in cut):6.2f} s")
                print(
                    f"  bytes read by client    {statistics.median(c[1] for c in cut) / 1e6:6.1f}"
                    f" MB (runs: {', '.join(f'{c[1] / 1e6:.1f}' for c in cut)})"
                )
                for outcome in sorted({c[2] for c in cut}):
                    print(f"  outcome                 {outcome}")
            problems += server.log_lines("ERROR", "Traceback")
        print(f"server log errors: {len(problems)}")
        for line in problems[:20]:
            print(f"  {line}")


PROBE = {"query": "{ samples(first: 5) { nodes { id } } }"}
STATUS = "query ($id: ID!) { sample(id: $id) { status } }"


def _upload_file(server: Server, token: str, path: Path) -> str:
    with path.open("rb") as file:
        payload = upload_request(server, token, file).json()["data"]["uploadSample"]
    if payload["errors"]:
        raise SystemExit(f"upload failed: {payload['errors']}")
    sample_id: str = payload["sample"]["id"]
    return sample_id


async def _statuses(
    client: httpx.AsyncClient, server: Server, token: str, ids: list[str]
) -> list[str]:
    statuses = []
    for sample_id in ids:
        response = await client.post(
            server.url,
            json={"query": STATUS, "variables": {"id": sample_id}},
            headers={"Authorization": f"Bearer {token}"},
        )
        statuses.append(response.json()["data"]["sample"]["status"])
    return statuses


@dataclass(frozen=True)
class _LatencyRun:
    idle: list[float]
    busy: list[float]
    processing_seconds: float
    busy_cpu_seconds: float
    statuses: list[str]


async def _latency_once(
    server: Server, paths: list[Path], rate: float, idle_seconds: float
) -> _LatencyRun:
    # A new uploader each run: the same files twice would be refused as duplicates.
    token = await asyncio.to_thread(server.register, f"lat{secrets.token_hex(6)}")
    async with httpx.AsyncClient(timeout=60) as client:
        for _ in range(20):  # first-request costs (imports, pool) are not what is measured
            (await client.post(server.url, json=PROBE)).raise_for_status()
        stop = asyncio.Event()
        asyncio.get_running_loop().call_later(idle_seconds, stop.set)
        idle = await paced_latencies(client, server.url, PROBE, rate, stop)
        stop = asyncio.Event()
        load = asyncio.create_task(paced_latencies(client, server.url, PROBE, rate, stop))
        cpu = cpu_seconds(server.pid)
        started = time.perf_counter()
        ids = [await asyncio.to_thread(_upload_file, server, token, path) for path in paths]
        # The server is polled: it has no event to wait on from out here.
        while not {"READY", "FAILED"}.issuperset(  # noqa: ASYNC110
            statuses := await _statuses(client, server, token, ids)
        ):
            await asyncio.sleep(0.25)
        processing = time.perf_counter() - started
        stop.set()
        busy = await load
        return _LatencyRun(idle, busy, processing, cpu_seconds(server.pid) - cpu, statuses)


def _latency_line(name: str, runs: list[list[float]]) -> str:
    def median_of(fraction: float) -> float:
        return statistics.median(float(np.percentile(run, fraction * 100)) for run in runs)

    counts = ", ".join(str(len(run)) for run in runs)
    return (
        f"  {name:<17} p50 {median_of(0.5) * 1000:7.1f} ms  p99 {median_of(0.99) * 1000:7.1f} ms  "
        f"max {median_of(1.0) * 1000:7.1f} ms  ({counts} requests)"
    )


def latency(runs: int, files: int, rate: float, idle_seconds: float) -> None:
    with tempfile.TemporaryDirectory(prefix="samplebase-bench-") as directory:
        paths = []
        for index in range(files):
            path = Path(directory) / f"music-60s-{index}.wav"
            # Each file a little different: one uploader's identical files are duplicates.
            rng = np.random.default_rng(index)
            audio = music(60.0) + rng.normal(0, 1e-3, (round(60 * RATE), 2)).astype(np.float32)
            sf.write(path, audio, RATE, subtype="PCM_16")
            paths.append(path)
        with serving(worker=True) as server:
            results = [
                asyncio.run(_latency_once(server, paths, rate, idle_seconds)) for _ in range(runs)
            ]
            problems = server.log_lines("ERROR", "Traceback")
    print(
        f"`{PROBE['query']}` at {rate:g}/s; {files} x 60 s WAVs uploaded at once to "
        f"`serve` with its worker (WORKER_CONCURRENCY default), median of {runs} runs:"
    )
    print(_latency_line("idle", [r.idle for r in results]))
    print(_latency_line("during processing", [r.busy for r in results]))
    processing = statistics.median(r.processing_seconds for r in results)
    cpu = statistics.median(r.busy_cpu_seconds for r in results)
    print(f"  all {files} processed in {processing:.1f} s; server CPU {cpu:.1f} s meanwhile")
    outcomes = [status for result in results for status in result.statuses]
    print(f"  outcomes: {', '.join(f'{outcomes.count(s)} {s}' for s in sorted(set(outcomes)))}")
    print(f"server log errors: {len(problems)}")
    for line in problems[:20]:
        print(f"  {line}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    analysis_parser = commands.add_parser("analysis", help="decode, analyze, waveform, preview")
    analysis_parser.add_argument("--runs", type=int, default=5)
    upload_parser = commands.add_parser("upload", help="server memory while uploading")
    upload_parser.add_argument("--runs", type=int, default=3)
    upload_parser.add_argument("--minutes", type=float, nargs="+", default=[20.0, 2.0])
    latency_parser = commands.add_parser("latency", help="API latency during analysis")
    latency_parser.add_argument("--runs", type=int, default=3)
    latency_parser.add_argument("--files", type=int, default=8)
    latency_parser.add_argument("--rate", type=float, default=20.0, help="requests per second")
    latency_parser.add_argument("--idle-seconds", type=float, default=10.0)
    arguments = parser.parse_args()
    if arguments.command == "analysis":
        analysis(arguments.runs)
    elif arguments.command == "upload":
        upload(arguments.runs, arguments.minutes)
    elif arguments.command == "latency":
        latency(arguments.runs, arguments.files, arguments.rate, arguments.idle_seconds)


if __name__ == "__main__":
    main()
