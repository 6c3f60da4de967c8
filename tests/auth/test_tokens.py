import base64
import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app.auth.tokens import AccessTokens
from app.config import Settings
from app.errors import AuthenticationError
from app.models import Role
from tests.clock import FakeClock

USER = uuid.uuid4()


@pytest.fixture
def tokens(settings: Settings) -> AccessTokens:
    return AccessTokens(settings, FakeClock())


def _claims(settings: Settings, **overrides: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "iss": settings.token_issuer,
        "aud": settings.token_audience,
        "sub": str(USER),
        "role": "ADMIN",
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=5)).timestamp()),
        "jti": uuid.uuid4().hex,
    } | overrides


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def test_issued_token_carries_the_viewer_and_expires_after_the_ttl(
    settings: Settings, tokens: AccessTokens
) -> None:
    issued = tokens.issue(USER, Role.MODERATOR)

    claims = tokens.verify(issued.token)
    raw = jwt.decode(issued.token, options={"verify_signature": False})

    assert claims.viewer.id == USER
    assert claims.viewer.role is Role.MODERATOR
    assert claims.expires_at == issued.expires_at
    assert raw["exp"] - raw["iat"] == settings.access_token_ttl_seconds == 15 * 60
    assert set(raw) == {"iss", "aud", "sub", "role", "iat", "exp", "jti"}
    assert jwt.get_unverified_header(issued.token)["alg"] == "HS256"


def test_token_stops_working_when_it_expires(settings: Settings) -> None:
    clock = FakeClock()
    tokens = AccessTokens(settings, clock)
    issued = tokens.issue(USER, Role.USER)

    clock.advance(seconds=settings.access_token_ttl_seconds - 5)
    assert tokens.verify(issued.token).viewer.id == USER
    clock.advance(seconds=5)
    with pytest.raises(AuthenticationError, match="expired"):
        tokens.verify(issued.token)


def test_tampered_payload_is_refused(tokens: AccessTokens) -> None:
    header, payload, signature = tokens.issue(USER, Role.USER).token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged = f"{header}.{_b64(claims | {'role': 'ADMIN'})}.{signature}"

    with pytest.raises(AuthenticationError, match="Invalid access token"):
        tokens.verify(forged)


def test_tampered_signature_is_refused(tokens: AccessTokens) -> None:
    token = tokens.issue(USER, Role.USER).token
    flipped = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    with pytest.raises(AuthenticationError):
        tokens.verify(flipped)


def test_token_signed_with_another_key_is_refused(settings: Settings, tokens: AccessTokens) -> None:
    token = jwt.encode(_claims(settings), "another-secret-key-of-sufficient-length!", "HS256")

    with pytest.raises(AuthenticationError):
        tokens.verify(token)


def test_alg_none_is_refused(settings: Settings, tokens: AccessTokens) -> None:
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims(settings))}."
    none_by_pyjwt = jwt.encode(_claims(settings), None, algorithm="none")  # type: ignore[arg-type]

    for token in (unsigned, none_by_pyjwt):
        with pytest.raises(AuthenticationError):
            tokens.verify(token)


def test_rs256_token_is_refused(settings: Settings, tokens: AccessTokens) -> None:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(_claims(settings), private_key, algorithm="RS256")

    with pytest.raises(AuthenticationError):
        tokens.verify(token)


def test_public_key_used_as_hmac_secret_is_refused(
    settings: Settings, tokens: AccessTokens
) -> None:
    # The classic RS/HS confusion: sign HS256 with the (public) RSA key as the secret,
    # hoping the server verifies with that same public key. Ours only knows its secret.
    public_pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    header = _b64({"alg": "HS256", "typ": "JWT"})
    body = _b64(_claims(settings))
    mac = hmac.new(public_pem, f"{header}.{body}".encode(), hashlib.sha256).digest()
    token = f"{header}.{body}.{base64.urlsafe_b64encode(mac).decode().rstrip('=')}"

    with pytest.raises(AuthenticationError):
        tokens.verify(token)


@pytest.mark.parametrize(
    "overrides",
    [
        {"iss": "someone-else"},
        {"aud": "another-api"},
        {"aud": ["samplebase-api", "another-api"]},
        {"role": "SUPERUSER"},
        {"sub": "not-a-uuid"},
        {"exp": "tomorrow"},
    ],
    ids=["issuer", "audience", "audience-list", "role", "subject", "exp"],
)
def test_foreign_or_malformed_claims_are_refused(
    settings: Settings, tokens: AccessTokens, overrides: dict[str, Any]
) -> None:
    token = jwt.encode(_claims(settings, **overrides), settings.secret_key, "HS256")

    with pytest.raises(AuthenticationError):
        tokens.verify(token)


@pytest.mark.parametrize("claim", ["iss", "aud", "sub", "role", "iat", "exp", "jti"])
def test_every_claim_is_required(settings: Settings, tokens: AccessTokens, claim: str) -> None:
    claims = _claims(settings)
    del claims[claim]
    token = jwt.encode(claims, settings.secret_key, "HS256")

    with pytest.raises(AuthenticationError):
        tokens.verify(token)


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "Bearer x.y.z"])
def test_garbage_is_refused(tokens: AccessTokens, garbage: str) -> None:
    with pytest.raises(AuthenticationError):
        tokens.verify(garbage)
