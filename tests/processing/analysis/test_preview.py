import io
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from app.processing.analysis import PREVIEW_MEDIA_TYPE, encode_preview
from tests.processing.analysis.signals import drum_loop, sine


def _read(preview: bytes) -> tuple[Any, np.ndarray, int]:
    info = sf.info(io.BytesIO(preview))
    samples, rate = sf.read(io.BytesIO(preview), dtype="float32", always_2d=True)
    return info, samples, rate


@pytest.mark.parametrize(
    ("rate", "channels", "preview_rate", "preview_channels"),
    [(44100, 2, 44100, 2), (22050, 1, 22050, 1), (96000, 2, 44100, 2), (48000, 6, 44100, 1)],
)
def test_the_preview_is_ogg_vorbis_of_the_same_duration(
    rate: int, channels: int, preview_rate: int, preview_channels: int
) -> None:
    samples = np.stack([sine(440, 3.0, rate)] * channels, axis=1)

    preview = encode_preview(samples, rate)

    info, decoded, decoded_rate = _read(preview)
    assert (info.format, info.subtype) == ("OGG", "VORBIS")
    assert (decoded_rate, decoded.shape[1]) == (preview_rate, preview_channels)
    assert decoded.shape[0] / decoded_rate == pytest.approx(3.0, abs=0.01)
    assert PREVIEW_MEDIA_TYPE == "audio/ogg"


def test_the_preview_is_much_smaller_than_the_pcm() -> None:
    samples = np.stack([drum_loop(120, bars=4)] * 2, axis=1)

    preview = encode_preview(samples, 44100)

    # 8 s of 16-bit stereo is 1.4 MB; Vorbis at ~80 kbps is about 80 kB.
    assert len(preview) < samples.shape[0] * 2 * 2 / 8


def test_the_preview_sounds_like_the_source() -> None:
    samples = sine(440, 1.0)

    _, decoded, _ = _read(encode_preview(samples, 44100))

    # Level within 1 dB and the same pitch: the encoder changed nothing that matters.
    rms = float(np.sqrt(np.mean(decoded**2)))
    assert 20 * np.log10(rms) == pytest.approx(-9.03, abs=1.0)
    spectrum = np.abs(np.fft.rfft(decoded[:, 0]))
    assert np.argmax(spectrum) * 44100 / decoded.shape[0] == pytest.approx(440, abs=2)


@pytest.mark.parametrize("frames", [0, 1, 100, 4409])
def test_very_short_audio_still_encodes(frames: int) -> None:
    samples = np.full((frames, 2), 0.1, dtype=np.float32)

    _, decoded, _ = _read(encode_preview(samples, 44100))

    assert decoded.shape == (frames, 2)


def test_a_long_preview_encodes_on_a_small_worker_thread_stack() -> None:
    # libvorbis puts a whole write on the stack; one 3 s write needs 0.5 MB per channel
    # and crashed the process outright on a 256 kB thread stack before writes were split.
    samples = np.stack([sine(440, 3.0)] * 2, axis=1)
    previous = threading.stack_size(256 * 1024)
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            preview = pool.submit(encode_preview, samples, 44100).result()
    finally:
        threading.stack_size(previous)

    _, decoded, _ = _read(preview)
    assert decoded.shape == samples.shape
