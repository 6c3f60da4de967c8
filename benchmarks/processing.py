"""Processing benchmarks, one subcommand each.

    uv run python benchmarks/processing.py analysis [--runs 5]

analysis: decode, analyze, waveform peaks and preview of synthetic 5 s and 60 s stereo
44.1 kHz 16-bit WAVs (drums and chords at 120 BPM); median wall time of each step over the
runs and the multiple of real time (audio seconds per wall second).
"""

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import soundfile as sf

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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    analysis_parser = commands.add_parser("analysis", help="decode, analyze, waveform, preview")
    analysis_parser.add_argument("--runs", type=int, default=5)
    # Add further subcommands here, e.g. `upload` (peak memory while uploading a 200 MB
    # file): a parser with its own arguments, and a branch below calling its function.
    arguments = parser.parse_args()
    if arguments.command == "analysis":
        analysis(arguments.runs)


if __name__ == "__main__":
    main()
