"""Who may see and do what: the single home of the permission rules.

Seeing a sample:
- A sample that is not READY is seen only by its uploader (and admins).
- PRIVATE: only the uploader and admins.
- UNLISTED: anyone holding its id, never in listings or search.
- PUBLIC and READY: everyone, anonymous included.

Changing things:
- Uploaders edit and delete their own samples and packs; admins anyone's.
- Moderators may hide a public, ready sample (make it UNLISTED or PRIVATE), nothing
  more: they cannot read private or unfinished samples, so they could not act on
  them knowingly, and they cannot make anything public.
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

    @property
    def is_moderator(self) -> bool:
        return self.role is Role.MODERATOR

    def owns(self, owner_id: uuid.UUID) -> bool:
        return self.id == owner_id


def can_view_sample(
    viewer: Viewer | None, uploader_id: uuid.UUID, status: SampleStatus, visibility: Visibility
) -> bool:
    if viewer is not None and (viewer.is_admin or viewer.owns(uploader_id)):
        return True
    return status is SampleStatus.READY and visibility is not Visibility.PRIVATE


def can_view_pack(viewer: Viewer | None, owner_id: uuid.UUID, visibility: Visibility) -> bool:
    if viewer is not None and (viewer.is_admin or viewer.owns(owner_id)):
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


def can_moderate(viewer: Viewer | None) -> bool:
    return viewer is not None and (viewer.is_moderator or viewer.is_admin)


def can_edit_sample(viewer: Viewer | None, uploader_id: uuid.UUID) -> bool:
    return viewer is not None and (viewer.is_admin or viewer.owns(uploader_id))


def can_delete_sample(viewer: Viewer | None, uploader_id: uuid.UUID) -> bool:
    return can_edit_sample(viewer, uploader_id)


def can_change_sample_visibility(
    viewer: Viewer | None,
    uploader_id: uuid.UUID,
    status: SampleStatus,
    current: Visibility,
    new: Visibility,
) -> bool:
    if can_edit_sample(viewer, uploader_id):
        return True
    hiding = current is Visibility.PUBLIC and new is not Visibility.PUBLIC
    return can_moderate(viewer) and status is SampleStatus.READY and hiding


def can_edit_pack(viewer: Viewer | None, owner_id: uuid.UUID) -> bool:
    return viewer is not None and (viewer.is_admin or viewer.owns(owner_id))


def can_view_account_details(viewer: Viewer | None, user_id: uuid.UUID) -> bool:
    """E-mail address and role: the user themselves and admins."""
    return viewer is not None and (viewer.is_admin or viewer.owns(user_id))
