"""A small Ogg Vorbis rendition of a sample, for streaming in the browser."""

import io
from math import gcd

import numpy as np
import scipy.signal
import soundfile as sf

from app.processing.analysis import channels

PREVIEW_MEDIA_TYPE = "audio/ogg"
_MAX_RATE = 44100
_MAX_CHANNELS = 2
# libsndfile maps 0..1 onto Vorbis quality 1..0 (roughly -q 10..0); 0.7 gives ~80 kbps on
# dense stereo material and much less on sparse material, plenty for a preview.
_COMPRESSION_LEVEL = 0.7
# libvorbis allocates a whole write's samples on the stack (alloca in block.c): one write
# of 60 s of stereo overflows the main thread's 8 MB, and a worker thread's stack far
# sooner. Small writes keep that allocation at 32 kB.
_WRITE_FRAMES = 8192


def encode_preview(samples: np.ndarray, sample_rate: int) -> bytes:
    """Full length, at most 2 channels and 44.1 kHz. Three or more channels mix to mono,
    since without a channel layout there is no right way to fold them to stereo."""
    samples = channels.as_frames(samples)
    if samples.shape[1] > _MAX_CHANNELS:
        samples = channels.mono(samples)[:, np.newaxis]
    rate = sample_rate
    if sample_rate > _MAX_RATE:
        divisor = gcd(_MAX_RATE, sample_rate)
        samples = scipy.signal.resample_poly(
            samples, _MAX_RATE // divisor, sample_rate // divisor, axis=0
        )
        rate = _MAX_RATE
    # Vorbis itself takes any float, but resampling overshoots a hair past full scale.
    samples = np.clip(samples, -1.0, 1.0).astype(np.float32, copy=False)
    buffer = io.BytesIO()
    with sf.SoundFile(
        buffer,
        "w",
        samplerate=rate,
        channels=samples.shape[1],
        format="OGG",
        subtype="VORBIS",
        compression_level=_COMPRESSION_LEVEL,
    ) as preview:
        for start in range(0, samples.shape[0], _WRITE_FRAMES):
            preview.write(samples[start : start + _WRITE_FRAMES])
    return buffer.getvalue()
