import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest

from app.errors import PermissionDeniedError
from app.media.signing import MediaKind, MediaSigner

SECRET = "test-secret-key-of-sufficient-length-for-hs256"
NOW = datetime(2026, 1, 1, 12, 0, 7, tzinfo=UTC)
SAMPLE = uuid.UUID("6f1c9a52-1a4b-4d51-9a43-5f0c7e0f3b11")


def _query(url: str) -> tuple[str, str, str]:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    return parts.path, query["exp"][0], query["sig"][0]


def test_a_url_verifies_and_gives_its_expiry() -> None:
    signer = MediaSigner(SECRET, ttl_seconds=3600)

    path, exp, sig = _query(signer.url(SAMPLE, MediaKind.AUDIO, NOW))

    assert path == f"/media/samples/{SAMPLE}/audio"
    assert signer.verify(SAMPLE, MediaKind.AUDIO, exp=exp, sig=sig, now=NOW) == int(exp)


def test_expiry_is_rounded_up_to_a_quarter_of_the_ttl() -> None:
    signer = MediaSigner(SECRET, ttl_seconds=3600)
    exp = signer.expiry(NOW)

    assert exp % 900 == 0
    assert NOW.timestamp() + 3600 <= exp < NOW.timestamp() + 3600 + 900


def test_urls_issued_within_one_bucket_are_identical() -> None:
    signer = MediaSigner(SECRET, ttl_seconds=3600)
    start = datetime.fromtimestamp(signer.expiry(NOW) - 3600 - 899, UTC)

    urls = {signer.url(SAMPLE, MediaKind.AUDIO, start + timedelta(seconds=s)) for s in range(899)}

    assert len(urls) == 1
    assert signer.url(SAMPLE, MediaKind.AUDIO, start + timedelta(seconds=900)) not in urls


@pytest.mark.parametrize(
    ("sample_id", "kind"),
    [(uuid.uuid4(), MediaKind.AUDIO), (SAMPLE, MediaKind.PREVIEW)],
    ids=["other sample", "other kind"],
)
def test_a_signature_is_bound_to_its_sample_and_kind(sample_id: uuid.UUID, kind: MediaKind) -> None:
    signer = MediaSigner(SECRET, ttl_seconds=3600)
    _, exp, sig = _query(signer.url(SAMPLE, MediaKind.AUDIO, NOW))

    with pytest.raises(PermissionDeniedError, match="signature is invalid"):
        signer.verify(sample_id, kind, exp=exp, sig=sig, now=NOW)


@pytest.mark.parametrize(
    "change",
    ["exp+1", "sig flipped", "sig truncated", "sig non-ascii", "other secret"],
)
def test_a_tampered_url_is_refused(change: str) -> None:
    signer = MediaSigner(SECRET, ttl_seconds=3600)
    _, exp, sig = _query(signer.url(SAMPLE, MediaKind.AUDIO, NOW))
    if change == "exp+1":
        exp = str(int(exp) + 1)
    elif change == "sig flipped":
        sig = ("A" if sig[0] != "A" else "B") + sig[1:]
    elif change == "sig truncated":
        sig = sig[:-1]
    elif change == "sig non-ascii":
        sig = "é" + sig[1:]
    else:
        _, exp, sig = _query(MediaSigner(SECRET + "x", 3600).url(SAMPLE, MediaKind.AUDIO, NOW))

    with pytest.raises(PermissionDeniedError, match="signature is invalid"):
        signer.verify(SAMPLE, MediaKind.AUDIO, exp=exp, sig=sig, now=NOW)


@pytest.mark.parametrize(
    ("exp", "sig"), [(None, "x"), ("1", None), ("-1", "x"), ("1e9", "x"), ("١٢", "x")]
)
def test_a_malformed_query_is_refused(exp: str | None, sig: str | None) -> None:
    signer = MediaSigner(SECRET, ttl_seconds=3600)

    with pytest.raises(PermissionDeniedError, match="malformed"):
        signer.verify(SAMPLE, MediaKind.AUDIO, exp=exp, sig=sig, now=NOW)


def test_a_url_expires_at_its_exp() -> None:
    signer = MediaSigner(SECRET, ttl_seconds=3600)
    _, exp, sig = _query(signer.url(SAMPLE, MediaKind.AUDIO, NOW))
    last_second = datetime.fromtimestamp(int(exp) - 1, UTC)

    assert signer.verify(SAMPLE, MediaKind.AUDIO, exp=exp, sig=sig, now=last_second) == int(exp)
    with pytest.raises(PermissionDeniedError, match="expired"):
        signer.verify(
            SAMPLE, MediaKind.AUDIO, exp=exp, sig=sig, now=datetime.fromtimestamp(int(exp), UTC)
        )


def test_the_media_key_is_not_the_token_key() -> None:
    # A JWT signed with SECRET must not be the MAC of anything the media signer checks.
    signer = MediaSigner(SECRET, ttl_seconds=3600)
    exp = str(signer.expiry(NOW))
    token_sig = jwt.encode({"x": 1}, SECRET, algorithm="HS256").rsplit(".", 1)[1]
    raw_key_sig = MediaSigner.__new__(MediaSigner)
    raw_key_sig._key = SECRET.encode()
    forged = raw_key_sig._signature(SAMPLE, MediaKind.AUDIO, int(exp))

    for sig in (token_sig, forged):
        with pytest.raises(PermissionDeniedError):
            signer.verify(SAMPLE, MediaKind.AUDIO, exp=exp, sig=sig, now=NOW)
