from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from app.models.enums import AudioFormat
from app.processing.analysis import (
    CorruptAudioError,
    EmptyAudioError,
    UnsupportedFormatError,
    probe,
)
from tests.processing.analysis.signals import sine

LOSSLESS = [
    ("WAV", "PCM_16", AudioFormat.WAV, 16),
    ("WAV", "PCM_24", AudioFormat.WAV, 24),
    ("WAV", "FLOAT", AudioFormat.WAV, 32),
    ("WAV", "PCM_U8", AudioFormat.WAV, 8),
    ("WAVEX", "PCM_24", AudioFormat.WAV, 24),
    ("RF64", "PCM_16", AudioFormat.WAV, 16),
    ("W64", "PCM_16", AudioFormat.WAV, 16),
    ("AIFF", "PCM_16", AudioFormat.AIFF, 16),
    ("AIFF", "PCM_24", AudioFormat.AIFF, 24),
    ("FLAC", "PCM_16", AudioFormat.FLAC, 16),
    ("FLAC", "PCM_24", AudioFormat.FLAC, 24),
]
LOSSY = [
    ("OGG", "VORBIS", 44100, AudioFormat.OGG),
    ("OGG", "OPUS", 48000, AudioFormat.OPUS),
    ("MP3", "MPEG_LAYER_III", 44100, AudioFormat.MP3),
]


def _write(path: Path, seconds: float, rate: int, channels: int, **kwargs: str) -> Path:
    tone = sine(440, seconds, rate)
    sf.write(path, np.stack([tone] * channels, axis=1), rate, **kwargs)
    return path


@pytest.mark.parametrize("channels", [1, 2])
@pytest.mark.parametrize("case", LOSSLESS, ids=lambda case: f"{case[0]}-{case[1]}")
def test_lossless_formats_are_probed_exactly(
    tmp_path: Path, case: tuple[str, str, AudioFormat, int], channels: int
) -> None:
    # Given 2.5 s at 44.1 kHz, named without an extension so only the content can tell
    container, subtype, expected, bit_depth = case
    path = _write(tmp_path / "upload", 2.5, 44100, channels, format=container, subtype=subtype)

    # When
    info = probe(path)

    # Then
    assert info.format == expected
    assert (info.sample_rate, info.channels, info.bit_depth) == (44100, channels, bit_depth)
    assert (info.frames, info.duration_ms) == (110250, 2500)


@pytest.mark.parametrize("channels", [1, 2])
@pytest.mark.parametrize("case", LOSSY, ids=lambda case: f"{case[0]}-{case[1]}")
def test_lossy_formats_are_probed_without_bit_depth(
    tmp_path: Path, case: tuple[str, str, int, AudioFormat], channels: int
) -> None:
    container, subtype, rate, expected = case
    path = _write(tmp_path / "upload.wav", 2.5, rate, channels, format=container, subtype=subtype)

    info = probe(path)

    assert (info.format, info.sample_rate, info.channels) == (expected, rate, channels)
    assert info.bit_depth is None
    # Encoder delay and padding move lossy lengths by a few frames.
    assert info.duration_ms == pytest.approx(2500, abs=60)


@pytest.mark.parametrize("rate", [8000, 22050, 48000, 96000])
def test_sample_rate_and_duration_follow_the_header(tmp_path: Path, rate: int) -> None:
    path = _write(tmp_path / "tone.wav", 1.5, rate, 1, subtype="PCM_16")

    info = probe(path)

    assert (info.sample_rate, info.frames, info.duration_ms) == (rate, round(1.5 * rate), 1500)


def test_an_empty_file_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    path.touch()

    with pytest.raises(EmptyAudioError) as raised:
        probe(path)
    assert raised.value.code == "EMPTY_FILE"


def test_a_valid_header_without_frames_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "no-frames.wav"
    sf.write(path, np.zeros((0, 2), dtype=np.float32), 44100, subtype="PCM_16")

    with pytest.raises(EmptyAudioError):
        probe(path)


@pytest.mark.parametrize(
    "content",
    [b"this is not audio, whatever its name says\n" * 20, bytes(range(256)) * 40],
    ids=["text", "binary"],
)
def test_non_audio_named_wav_is_unsupported(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.wav"
    path.write_bytes(content)

    with pytest.raises(UnsupportedFormatError) as raised:
        probe(path)
    assert raised.value.code == "UNSUPPORTED_FORMAT"


@pytest.mark.parametrize("container", ["AU", "CAF", "NIST", "VOC"])
def test_audio_in_a_container_we_do_not_accept_is_unsupported(
    tmp_path: Path, container: str
) -> None:
    path = _write(tmp_path / "tone.wav", 0.5, 16000, 1, format=container, subtype="PCM_16")

    with pytest.raises(UnsupportedFormatError):
        probe(path)


def test_a_broken_ogg_header_is_corrupt(tmp_path: Path) -> None:
    whole = _write(tmp_path / "whole.ogg", 1.0, 44100, 1, format="OGG", subtype="VORBIS")
    path = tmp_path / "broken.ogg"
    path.write_bytes(whole.read_bytes()[:200])

    with pytest.raises(CorruptAudioError) as raised:
        probe(path)
    assert raised.value.code == "CORRUPT_FILE"
