"""What a file holds, judged from its content by libsndfile, never from its name."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import soundfile as sf

from app.models.enums import AudioFormat
from app.processing.analysis.errors import (
    AudioError,
    CorruptAudioError,
    EmptyAudioError,
    UnsupportedFormatError,
)

# libsndfile's container names, folded into the formats we accept. AU, CAF, NIST and the
# other containers libsndfile can open are refused: nothing downstream is tested on them.
_FORMATS = {
    "WAV": AudioFormat.WAV,
    "WAVEX": AudioFormat.WAV,
    "RF64": AudioFormat.WAV,
    "W64": AudioFormat.WAV,
    "AIFF": AudioFormat.AIFF,
    "FLAC": AudioFormat.FLAC,
}
# Ogg and MPEG are told apart by codec: Ogg FLAC/Speex and MPEG layers I/II are refused.
_CODECS = {
    ("OGG", "VORBIS"): AudioFormat.OGG,
    ("OGG", "OPUS"): AudioFormat.OPUS,
    ("MP3", "MPEG_LAYER_III"): AudioFormat.MP3,
}
_BIT_DEPTHS = {
    "PCM_S8": 8,
    "PCM_U8": 8,
    "PCM_16": 16,
    "PCM_24": 24,
    "PCM_32": 32,
    "FLOAT": 32,
    "DOUBLE": 64,
}
# sf_error() codes meaning "this is not something libsndfile can read at all"; any other
# failure to open means a format was recognised and then its header or data broke.
_UNRECOGNISED_FORMAT = 1
_UNSUPPORTED_ENCODING = 4


@dataclass(frozen=True)
class AudioInfo:
    format: AudioFormat
    sample_rate: int
    channels: int
    bit_depth: int | None
    frames: int
    duration_ms: int


def probe(path: Path) -> AudioInfo:
    if path.stat().st_size == 0:
        raise EmptyAudioError("The file is empty.")
    try:
        info: Any = sf.info(str(path))
    except sf.LibsndfileError as error:
        raise audio_error(error) from error
    audio_format = _FORMATS.get(info.format) or _CODECS.get((info.format, info.subtype))
    if audio_format is None:
        raise UnsupportedFormatError(f"{info.format_info} ({info.subtype}) is not accepted.")
    if info.samplerate <= 0 or info.channels <= 0:
        raise CorruptAudioError("The header gives no sample rate or no channels.")
    if info.frames <= 0:
        raise EmptyAudioError("The file holds no audio frames.")
    return AudioInfo(
        format=audio_format,
        sample_rate=int(info.samplerate),
        channels=int(info.channels),
        bit_depth=_BIT_DEPTHS.get(info.subtype),
        frames=int(info.frames),
        duration_ms=round(info.frames * 1000 / info.samplerate),
    )


def audio_error(error: Any) -> AudioError:
    """The AudioError for a LibsndfileError raised while opening or reading a file."""
    if error.code in (_UNRECOGNISED_FORMAT, _UNSUPPORTED_ENCODING):
        return UnsupportedFormatError("The file is not audio in a format we accept.")
    return CorruptAudioError(f"The audio cannot be decoded: {error.error_string}")
