"""Access tokens: short-lived HS256 JWTs that say who the viewer is, checked without a query.

Claims: `iss` and `aud` (this API, so tokens of other services sharing a key are refused),
`sub` (user id), `role`, `iat`, `exp` and `jti` (a unique id, for logs and future
deny-lists). Verification pins the algorithm to HS256: `alg: none`, RS256 and every
other algorithm are refused before any signature check, which closes the RS/HS
key-confusion hole. Time is read from the injected clock, for issuing and checking.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from app.access import Viewer
from app.auth.clock import Clock
from app.config import Settings
from app.errors import AuthenticationError
from app.models import Role

ALGORITHM = "HS256"
_REQUIRED_CLAIMS = ["iss", "aud", "sub", "role", "iat", "exp", "jti"]


@dataclass(frozen=True, slots=True)
class AccessToken:
    token: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class AccessClaims:
    viewer: Viewer
    token_id: str
    expires_at: datetime


class AccessTokens:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self._key = settings.secret_key
        self._issuer = settings.token_issuer
        self._audience = settings.token_audience
        self._ttl = timedelta(seconds=settings.access_token_ttl_seconds)
        self._clock = clock

    def issue(self, user_id: uuid.UUID, role: Role) -> AccessToken:
        now = self._clock().replace(microsecond=0)
        expires_at = now + self._ttl
        claims = {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": str(user_id),
            "role": role.value,
            "iat": int(now.timestamp()),
            "exp": int(expires_at.timestamp()),
            "jti": uuid.uuid4().hex,
        }
        return AccessToken(jwt.encode(claims, self._key, algorithm=ALGORITHM), expires_at)

    def verify(self, token: str) -> AccessClaims:
        """The token's claims; AuthenticationError when forged, malformed, foreign or expired."""
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                issuer=self._issuer,
                audience=self._audience,
                options={
                    "require": _REQUIRED_CLAIMS,
                    "strict_aud": True,
                    # Checked below against the injected clock instead of the wall clock.
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                },
            )
            viewer = Viewer(uuid.UUID(claims["sub"]), Role(claims["role"]))
            expires_at = datetime.fromtimestamp(int(claims["exp"]), UTC)
        except (jwt.InvalidTokenError, ValueError, TypeError, OverflowError):
            raise AuthenticationError("Invalid access token.") from None
        if expires_at <= self._clock():
            raise AuthenticationError("Access token expired; refresh it or sign in again.")
        return AccessClaims(viewer, str(claims["jti"]), expires_at)
