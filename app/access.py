"""Who may see which sample: the single home of the visibility rules.

- A sample that is not READY is seen only by its uploader (and admins).
- PRIVATE: only the uploader and admins.
- UNLISTED: anyone holding its id, never in listings or search.
- PUBLIC and READY: everyone, anonymous included.
"""

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, or_, true

from app.models import Role, Sample, SampleStatus, Visibility


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


def listed_samples(viewer: Viewer | None) -> ColumnElement[bool]:
    """Rows a listing (or search) may show to `viewer`; UNLISTED only to their owner and admins."""
    public = and_(Sample.status == SampleStatus.READY, Sample.visibility == Visibility.PUBLIC)
    if viewer is None:
        return public
    if viewer.is_admin:
        return true()
    return or_(public, Sample.uploader_id == viewer.id)


def can_view_pack(viewer: Viewer | None, owner_id: uuid.UUID, visibility: Visibility) -> bool:
    if viewer is not None and (viewer.is_admin or viewer.id == owner_id):
        return True
    return visibility is not Visibility.PRIVATE
