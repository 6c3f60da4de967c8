"""Domain errors, raised by services and loaders, never by GraphQL code itself.

    SamplebaseError                 base; `code` is the stable machine-readable code
    ├── NotFoundError               NOT_FOUND: missing, or not visible to the viewer
    ├── InvalidInputError           BAD_USER_INPUT: an argument is malformed or out of range
    │   └── FileTooLargeError       BAD_USER_INPUT, reason FILE_TOO_LARGE: upload over the cap
    ├── InvalidInputsError          BAD_USER_INPUT: several of those at once (a whole form)
    ├── AuthenticationError         UNAUTHENTICATED: bad, expired or missing credentials
    ├── PermissionDeniedError       FORBIDDEN: authenticated, but not allowed
    └── RateLimitedError            RATE_LIMITED: too many attempts; retry later

`app.graphql.core.errors` maps each to a GraphQL error with `extensions.code`; any
other exception is a bug and is masked as INTERNAL_SERVER_ERROR. Mutations catch the
input errors they expect and list them in their payload instead; `reason` (e.g.
USERNAME_TAKEN) becomes the payload error's code there.
"""

from collections.abc import Sequence
from typing import ClassVar


class SamplebaseError(Exception):
    code: ClassVar[str] = "INTERNAL_SERVER_ERROR"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFoundError(SamplebaseError):
    code = "NOT_FOUND"


class InvalidInputError(SamplebaseError):
    code = "BAD_USER_INPUT"

    def __init__(self, message: str, *, field: str | None = None, reason: str = "INVALID") -> None:
        super().__init__(message, field=field)
        self.reason = reason


class FileTooLargeError(InvalidInputError):
    # The top-level codes are fixed by the API contract, so the specific one is the reason.
    def __init__(self, max_bytes: int, *, field: str | None = "file") -> None:
        super().__init__(
            f"The file is larger than the limit of {max_bytes} bytes.",
            field=field,
            reason="FILE_TOO_LARGE",
        )
        self.max_bytes = max_bytes


class InvalidInputsError(SamplebaseError):
    code = "BAD_USER_INPUT"

    def __init__(self, errors: Sequence[InvalidInputError]) -> None:
        super().__init__(" ".join(error.message for error in errors))
        self.errors = list(errors)


class AuthenticationError(SamplebaseError):
    code = "UNAUTHENTICATED"


class PermissionDeniedError(SamplebaseError):
    code = "FORBIDDEN"


class RateLimitedError(SamplebaseError):
    code = "RATE_LIMITED"

    def __init__(self, message: str, *, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds
