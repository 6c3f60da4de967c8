import uuid

import pytest

from app.access import Viewer, can_view_pack, can_view_sample
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
