"""Real audio files, encoded by libsndfile from synthetic signals, for upload tests."""

import io

import numpy as np
import soundfile as sf

# Format name → (libsndfile format, subtype, file extension).
ENCODINGS = {
    "WAV": ("WAV", "PCM_16", ".wav"),
    "AIFF": ("AIFF", "PCM_16", ".aiff"),
    "FLAC": ("FLAC", "PCM_16", ".flac"),
    "OGG": ("OGG", "VORBIS", ".ogg"),
    "OPUS": ("OGG", "OPUS", ".opus"),
    "MP3": ("MP3", "MPEG_LAYER_III", ".mp3"),
}


def encode(signal: np.ndarray, rate: int, format: str = "WAV") -> bytes:
    container, subtype, _ = ENCODINGS[format]
    buffer = io.BytesIO()
    sf.write(buffer, signal, rate, format=container, subtype=subtype)
    return buffer.getvalue()


def tone(
    format: str = "WAV",
    *,
    seconds: float = 1.0,
    rate: int = 48000,
    channels: int = 2,
    frequency: float = 440.0,
) -> bytes:
    """A sine; `frequency` also makes files of equal length differ in content."""
    t = np.arange(int(seconds * rate)) / rate
    mono = 0.5 * np.sin(2 * np.pi * frequency * t)
    return encode(np.repeat(mono[:, None], channels, axis=1), rate, format)


def loop_file(bpm: float = 120.0) -> bytes:
    """A 4-bar stereo drum loop as a 16-bit WAV: what most tests upload and process."""
    from tests.processing.analysis.signals import drum_loop

    mono = drum_loop(bpm, bars=4)
    return encode(np.stack([mono, mono * 0.8], axis=1), 44100, "WAV")


def extension(format: str) -> str:
    return ENCODINGS[format][2]
