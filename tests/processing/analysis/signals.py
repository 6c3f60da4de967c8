"""Synthetic test signals whose tempo, key, level and shape are known by construction."""

import numpy as np

_RNG_SEED = 7


def sine(frequency: float, seconds: float, rate: int = 44100, amplitude: float = 0.5) -> np.ndarray:
    time = np.arange(round(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * frequency * time)).astype(np.float32)


def kick(rate: int, seconds: float = 0.4) -> np.ndarray:
    """A decaying sine sweeping down from 150 to 50 Hz, like an 808-ish kick."""
    time = np.arange(round(seconds * rate)) / rate
    frequency = 50 + 100 * np.exp(-time * 30)
    phase = 2 * np.pi * np.cumsum(frequency) / rate
    return (0.9 * np.sin(phase) * np.exp(-time * 9)).astype(np.float32)


def noise_hit(rate: int, seconds: float, decay: float, amplitude: float) -> np.ndarray:
    rng = np.random.default_rng(_RNG_SEED)
    time = np.arange(round(seconds * rate)) / rate
    return (amplitude * rng.uniform(-1, 1, time.size) * np.exp(-time * decay)).astype(np.float32)


def click_track(bpm: float, seconds: float, rate: int = 44100) -> np.ndarray:
    """Short decaying noise clicks on every beat."""
    return _place(noise_hit(rate, 0.03, 200, 0.8), 60 / bpm, seconds, rate)


def drum_loop(bpm: float, bars: int, rate: int = 44100) -> np.ndarray:
    """Kick on every beat, snare on 2 and 4, closed hats on the eighths."""
    beat = 60 / bpm
    seconds = bars * 4 * beat
    kicks = _place(kick(rate), beat, seconds, rate)
    snares = _place(noise_hit(rate, 0.2, 25, 0.5), 2 * beat, seconds, rate, offset=beat)
    hats = _place(noise_hit(rate, 0.05, 90, 0.2), beat / 2, seconds, rate)
    loop: np.ndarray = np.clip(kicks + snares + hats, -1, 1)
    return loop


def chords(progression: list[list[int]], seconds_each: float, rate: int = 44100) -> np.ndarray:
    """Each chord a set of MIDI notes, each note a tone with four decaying harmonics."""
    time = np.arange(round(seconds_each * rate)) / rate
    envelope = np.minimum(1, time / 0.01) * np.exp(-time * 0.8)
    parts = []
    for notes in progression:
        chord = np.zeros(time.size)
        for note in notes:
            frequency = 440 * 2 ** ((note - 69) / 12)
            for harmonic in range(1, 5):
                chord += np.sin(2 * np.pi * frequency * harmonic * time) / harmonic**2
        parts.append(chord * envelope)
    signal = np.concatenate(parts)
    scaled: np.ndarray = (0.8 * signal / np.abs(signal).max()).astype(np.float32)
    return scaled


def _place(
    hit: np.ndarray, period: float, seconds: float, rate: int, offset: float = 0.0
) -> np.ndarray:
    out = np.zeros(round(seconds * rate), dtype=np.float32)
    start = offset
    while start < seconds:
        index = round(start * rate)
        end = min(out.size, index + hit.size)
        out[index:end] += hit[: end - index]
        start += period
    return out
