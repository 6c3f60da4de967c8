"""Which stored object a media URL names, and how to present it."""

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.media.signing import MediaKind
from app.models import AudioFormat, Sample

_MEDIA_TYPES = {
    AudioFormat.WAV: "audio/wav",
    AudioFormat.AIFF: "audio/aiff",
    AudioFormat.FLAC: "audio/flac",
    AudioFormat.OGG: "audio/ogg",
    AudioFormat.OPUS: "audio/ogg; codecs=opus",
    AudioFormat.MP3: "audio/mpeg",
}
_EXTENSIONS = {
    AudioFormat.WAV: ".wav",
    AudioFormat.AIFF: ".aiff",
    AudioFormat.FLAC: ".flac",
    AudioFormat.OGG: ".ogg",
    AudioFormat.OPUS: ".opus",
    AudioFormat.MP3: ".mp3",
}
# Not yet probed: the bytes are whatever was uploaded, so nothing more specific is promised.
_UNKNOWN_MEDIA_TYPE = "application/octet-stream"
PREVIEW_MEDIA_TYPE = "audio/ogg"
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")


@dataclass(frozen=True, slots=True)
class MediaObject:
    storage_key: str
    media_type: str
    filename: str


async def find_media(
    session: AsyncSession, sample_id: uuid.UUID, kind: MediaKind
) -> MediaObject | None:
    """None when the sample is gone, or its preview is not made yet."""
    statement = select(
        Sample.storage_key,
        Sample.preview_storage_key,
        Sample.format,
        Sample.title,
        Sample.original_filename,
    ).where(Sample.id == sample_id)
    row = (await session.execute(statement)).one_or_none()
    if row is None:
        return None
    audio_name = _audio_filename(row.original_filename, row.title, row.format)
    if kind is MediaKind.PREVIEW:
        if row.preview_storage_key is None:
            return None
        stem = _EXTENSION.sub("", audio_name)
        return MediaObject(row.preview_storage_key, PREVIEW_MEDIA_TYPE, f"{stem} (preview).ogg")
    media_type = _MEDIA_TYPES[row.format] if row.format else _UNKNOWN_MEDIA_TYPE
    return MediaObject(row.storage_key, media_type, audio_name)


def _audio_filename(original: str, title: str, audio_format: AudioFormat | None) -> str:
    # Browsers send a bare name, but some clients send a whole local path.
    basename = original.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if basename:
        return basename
    return title + (_EXTENSIONS[audio_format] if audio_format else "")
