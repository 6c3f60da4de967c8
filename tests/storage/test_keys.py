import hashlib

import pytest

from app.storage import InvalidStorageKeyError, original_key, preview_key, validate_key

SHA = hashlib.sha256(b"kick").hexdigest()


def test_content_keys_fan_out_by_hash() -> None:
    assert original_key(SHA) == f"originals/{SHA[:2]}/{SHA[2:4]}/{SHA}"
    assert preview_key(SHA) == f"previews/{SHA[:2]}/{SHA[2:4]}/{SHA}.ogg"
    assert validate_key(original_key(SHA)) == original_key(SHA)


@pytest.mark.parametrize(
    "key",
    [
        "",
        "../x",
        "originals/../../etc/passwd",
        "/etc/passwd",
        "originals//x",
        "originals/",
        ".staging/upload",
        "originals/.hidden",
        "originals\\x",
        "originals/x y",
        "originals/é",
        "a" * 513,
    ],
)
def test_malformed_keys_are_refused(key: str) -> None:
    with pytest.raises(InvalidStorageKeyError):
        validate_key(key)


@pytest.mark.parametrize("digest", ["", "ABC", SHA.upper(), SHA[:-1], "../" + SHA[3:]])
def test_content_keys_need_a_lowercase_sha256(digest: str) -> None:
    with pytest.raises(InvalidStorageKeyError):
        original_key(digest)
