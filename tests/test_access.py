import uuid

import pytest

from app.access import (
    Viewer,
    can_change_sample_visibility,
    can_delete_sample,
    can_edit_pack,
    can_edit_sample,
    can_moderate,
    can_view_account_details,
    can_view_pack,
    can_view_sample,
)
from app.models import Role, SampleStatus, Visibility

OWNER = uuid.uuid4()
OTHER = uuid.uuid4()

VIEWERS = {
    "anonymous": None,
    "owner": Viewer(OWNER, Role.USER),
    "other": Viewer(OTHER, Role.USER),
    "moderator": Viewer(uuid.uuid4(), Role.MODERATOR),
    "admin": Viewer(uuid.uuid4(), Role.ADMIN),
}


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("status", list(SampleStatus))
def test_sample_visibility_rules(viewer: str, visibility: Visibility, status: SampleStatus) -> None:
    privileged = viewer in {"owner", "admin"}
    seen_by_all = {
        (SampleStatus.READY, Visibility.PUBLIC),
        (SampleStatus.READY, Visibility.UNLISTED),
    }
    expected = privileged or (status, visibility) in seen_by_all

    assert can_view_sample(VIEWERS[viewer], OWNER, status, visibility) is expected


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("visibility", list(Visibility))
def test_pack_visibility_rules(viewer: str, visibility: Visibility) -> None:
    expected = viewer in {"owner", "admin"} or visibility is not Visibility.PRIVATE

    assert can_view_pack(VIEWERS[viewer], OWNER, visibility) is expected


@pytest.mark.parametrize("viewer", VIEWERS)
def test_only_moderators_and_admins_moderate(viewer: str) -> None:
    assert can_moderate(VIEWERS[viewer]) is (viewer in {"moderator", "admin"})


@pytest.mark.parametrize("viewer", VIEWERS)
def test_only_the_uploader_and_admins_edit_and_delete_samples(viewer: str) -> None:
    expected = viewer in {"owner", "admin"}

    assert can_edit_sample(VIEWERS[viewer], OWNER) is expected
    assert can_delete_sample(VIEWERS[viewer], OWNER) is expected
    assert can_edit_pack(VIEWERS[viewer], OWNER) is expected


@pytest.mark.parametrize("viewer", VIEWERS)
def test_only_the_user_and_admins_see_account_details(viewer: str) -> None:
    assert can_view_account_details(VIEWERS[viewer], OWNER) is (viewer in {"owner", "admin"})


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("status", list(SampleStatus))
@pytest.mark.parametrize("current", list(Visibility))
@pytest.mark.parametrize("new", list(Visibility))
def test_moderators_may_only_hide_public_ready_samples(
    viewer: str, status: SampleStatus, current: Visibility, new: Visibility
) -> None:
    moderator_may = (
        status is SampleStatus.READY
        and current is Visibility.PUBLIC
        and new in {Visibility.UNLISTED, Visibility.PRIVATE}
    )
    expected = viewer in {"owner", "admin"} or (viewer == "moderator" and moderator_may)

    assert can_change_sample_visibility(VIEWERS[viewer], OWNER, status, current, new) is expected


def test_moderators_cannot_read_private_or_unfinished_samples() -> None:
    moderator = VIEWERS["moderator"]

    assert not can_view_sample(moderator, OWNER, SampleStatus.READY, Visibility.PRIVATE)
    assert not can_view_sample(moderator, OWNER, SampleStatus.PROCESSING, Visibility.PUBLIC)
    assert can_view_sample(moderator, OWNER, SampleStatus.READY, Visibility.PUBLIC)
