"""Who may see which sample: the single home of the visibility rules.

- A sample that is not READY is seen only by its uploader (and admins).
- PRIVATE: only the uploader and admins.
- UNLISTED: anyone holding its id, never in listings or search.
- PUBLIC and READY: everyone, anonymous included.
"""

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, or_

from app.models import Pack, Role, Sample, SampleStatus, Visibility


@dataclass(frozen=True, slots=True)
class Viewer:
    id: uuid.UUID
    role: Role

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


def can_view_sample(
    viewer: Viewer | None, uploader_id: uuid.UUID, status: SampleStatus, visibility: Visibility
) -> bool:
    if viewer is not None and (viewer.is_admin or viewer.id == uploader_id):
        return True
    return status is SampleStatus.READY and visibility is not Visibility.PRIVATE


def can_view_pack(viewer: Viewer | None, owner_id: uuid.UUID, visibility: Visibility) -> bool:
    if viewer is not None and (viewer.is_admin or viewer.id == owner_id):
        return True
    return visibility is not Visibility.PRIVATE


def listed_samples(viewer: Viewer | None) -> ColumnElement[bool]:
    """Which samples a listing or search may show: the public catalogue, plus the viewer's own.

    UNLISTED, PRIVATE and unfinished samples of others never appear in a listing, for
    admins neither: admins reach them by ID.
    """
    public = and_(Sample.status == SampleStatus.READY, Sample.visibility == Visibility.PUBLIC)
    if viewer is None:
        return public
    return or_(public, Sample.uploader_id == viewer.id)


def listed_packs(viewer: Viewer | None) -> ColumnElement[bool]:
    """Packs a listing may show: PUBLIC ones, plus the viewer's own."""
    public = Pack.visibility == Visibility.PUBLIC
    return public if viewer is None else or_(public, Pack.owner_id == viewer.id)
