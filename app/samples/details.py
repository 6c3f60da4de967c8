"""What an uploader tells about a sample (title, description, tags, tempo, key): checked
the same way on upload and on edit, every problem reported at once."""

import uuid

from sqlalchemy import delete, insert, literal, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import InvalidInputError, InvalidInputsError
from app.models import Tag, sample_tags
from app.samples.keys import normalize_key
from app.samples.search import refresh_search_vectors
from app.tags.names import normalize_tag

MAX_TITLE = 200
MAX_DESCRIPTION = 5000
MAX_TAGS = 20
MIN_BPM, MAX_BPM = 1, 999  # the database's own range


class Checks:
    """Collects the problems of a form; `raise_if_any` reports them together."""

    def __init__(self) -> None:
        self.errors: list[InvalidInputError] = []

    def title(self, title: str) -> str:
        title = title.strip()
        if not 1 <= len(title) <= MAX_TITLE:
            self._fail(f"A title is 1 to {MAX_TITLE} characters.", "title")
        return title

    def description(self, description: str) -> str:
        if len(description) > MAX_DESCRIPTION:
            self._fail(f"A description is at most {MAX_DESCRIPTION} characters.", "description")
        return description.strip()

    def tags(self, names: list[str]) -> list[str]:
        if len(names) > MAX_TAGS:
            self._fail(f"At most {MAX_TAGS} tags.", "tags")
        normalized = set()
        for name in names:
            try:
                normalized.add(normalize_tag(name))
            except InvalidInputError as error:
                self.errors.append(error)
        return sorted(normalized)

    def bpm(self, bpm: float | None) -> float | None:
        if bpm is not None and not MIN_BPM <= bpm <= MAX_BPM:
            self._fail(f"bpm must be between {MIN_BPM} and {MAX_BPM}.", "bpm")
        return bpm

    def key(self, key: str | None) -> str | None:
        if key is None:
            return None
        try:
            return normalize_key(key)
        except InvalidInputError as error:
            self.errors.append(error)
            return None

    def raise_if_any(self) -> None:
        if self.errors:
            raise InvalidInputsError(self.errors)

    def _fail(self, message: str, field: str) -> None:
        self.errors.append(InvalidInputError(message, field=field))


async def replace_tags(session: AsyncSession, sample_id: uuid.UUID, names: list[str]) -> None:
    """Set the sample's tags to `names` (normalised), creating tags as needed."""
    await session.execute(delete(sample_tags).where(sample_tags.c.sample_id == sample_id))
    if names:
        await session.execute(
            text(
                "INSERT INTO tags (name) SELECT unnest(CAST(:names AS text[])) "
                "ON CONFLICT DO NOTHING"
            ),
            {"names": names},
        )
        tag_ids = select(Tag.id, literal(sample_id, Tag.id.type)).where(Tag.name.in_(names))
        await session.execute(insert(sample_tags).from_select(["tag_id", "sample_id"], tag_ids))
    await refresh_search_vectors(session, [sample_id])
