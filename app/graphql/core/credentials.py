"""Who is asking: the viewer from an access token, on HTTP and on WebSockets.

HTTP: `Authorization: Bearer <token>`. No header means anonymous; anything else that
is not a valid, unexpired token fails the request's operations with UNAUTHENTICATED,
never a quiet downgrade to anonymous (a client would otherwise see "not found" for its
own private samples and never learn that it should refresh its token).

WebSocket: the `connection_init` payload carries `{"Authorization": "Bearer <token>"}`
or `{"authToken": "<token>"}`; a bad token closes the socket with 4403.

The token is trusted for its 15 minutes without a database query: a deleted or demoted
user's access tokens run out on their own, and their refresh fails at once.
"""

from collections.abc import Iterator, Mapping

from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension

from app.access import Viewer
from app.auth.tokens import AccessTokens
from app.errors import AuthenticationError
from app.graphql.context import Info

_SCHEME = "bearer"


def viewer_from_authorization(header: str | None, tokens: AccessTokens) -> Viewer | None:
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != _SCHEME or not token.strip():
        raise AuthenticationError("Send the access token as 'Authorization: Bearer <token>'.")
    return tokens.verify(token.strip()).viewer


def viewer_from_connection_params(
    params: Mapping[str, object] | None, tokens: AccessTokens
) -> Viewer | None:
    params = params or {}
    header = params.get("Authorization", params.get("authorization"))
    if header is not None:
        if not isinstance(header, str):
            raise AuthenticationError("'Authorization' must be a string.")
        return viewer_from_authorization(header, tokens)
    token = params.get("authToken")
    if token is None:
        return None
    if not isinstance(token, str):
        raise AuthenticationError("'authToken' must be a string.")
    return tokens.verify(token).viewer


def require_viewer(info: Info) -> Viewer:
    viewer = info.context.viewer
    if viewer is None:
        raise AuthenticationError("Sign in first: this needs an access token.")
    return viewer


class RejectBadCredentials(SchemaExtension):
    """Answers an operation sent with bad credentials with UNAUTHENTICATED, unexecuted."""

    def on_execute(self) -> Iterator[None]:
        error = self.execution_context.context.credentials_error
        if error is not None:
            # A result set before execution replaces it (Strawberry skips `execute`).
            self.execution_context.result = ExecutionResult(
                data=None, errors=[GraphQLError(error.message, original_error=error)]
            )
        yield
