"""Why an uploaded file cannot be analysed.

    AudioError                  base; `code` is the stable machine-readable code
    ├── UnsupportedFormatError  UNSUPPORTED_FORMAT: not audio, or not a format we accept
    ├── EmptyAudioError         EMPTY_FILE: zero bytes, or a valid header with zero frames
    └── CorruptAudioError       CORRUPT_FILE: the header is recognised but the data won't decode

The codes are meant to be stored with a failed sample and shown to its uploader as they are.
"""

from typing import ClassVar


class AudioError(Exception):
    code: ClassVar[str] = "AUDIO_ERROR"


class UnsupportedFormatError(AudioError):
    code = "UNSUPPORTED_FORMAT"


class EmptyAudioError(AudioError):
    code = "EMPTY_FILE"


class CorruptAudioError(AudioError):
    code = "CORRUPT_FILE"
