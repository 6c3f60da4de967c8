"""Decoding a probed file to float32 samples."""

from pathlib import Path

import numpy as np
import soundfile as sf

from app.processing.analysis.errors import CorruptAudioError
from app.processing.analysis.probe import audio_error, probe


def decode(path: Path) -> tuple[np.ndarray, int]:
    """Samples shaped (frames, channels) and the sample rate.

    A WAV or AIFF whose data is cut short decodes to the frames that exist, as libsndfile
    reads it, and bytes that are not audio after a valid header decode as noise: PCM has
    no checksums. A compressed stream that loses sync raises CorruptAudioError. For MP3
    without a Xing header the frame count is libsndfile's estimate, and reading stops there.
    """
    info = probe(path)
    try:
        # One float32 buffer of the announced size: no float64 copy of the file.
        samples: np.ndarray = sf.read(str(path), dtype="float32", always_2d=True)[0]
    except sf.LibsndfileError as error:
        raise audio_error(error) from error
    if samples.shape[0] == 0:
        raise CorruptAudioError("The header announces audio but none could be decoded.")
    if info.bit_depth in (32, 64) and not np.isfinite(samples).all():
        # FLOAT and DOUBLE files can carry NaN or infinities (PCM_32 passes harmlessly).
        np.nan_to_num(samples, copy=False, nan=0.0, posinf=1.0, neginf=-1.0)
    return samples, info.sample_rate
