"""The unit of work of one GraphQL operation: its session, its loaders, its after-commit hooks.

A WebSocket keeps one context for its whole life, so nothing per-operation may live
in the context itself. `OperationScopes` (a schema extension) opens a scope when an
operation starts and publishes it through a context variable, which every resolver
task and DataLoader batch task inherits; `Context.scope` reads it back.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar

from graphql import GraphQLError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.extensions import SchemaExtension

from app.graphql.core.errors import is_unexpected

if TYPE_CHECKING:
    from app.access import Viewer
    from app.graphql.core.loaders import Loader

LoaderT = TypeVar("LoaderT", bound="Loader[Any, Any]")
T = TypeVar("T")
logger = logging.getLogger(__name__)

_current: ContextVar["OperationScope | None"] = ContextVar("operation_scope", default=None)


class OperationFinishedError(RuntimeError):
    """A late task asked for the session of an operation that has ended."""


class OperationScope:
    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], viewer: "Viewer | None"
    ) -> None:
        self.viewer = viewer
        self._sessionmaker = sessionmaker
        self._session: AsyncSession | None = None
        self._lock = asyncio.Lock()
        self._closed = False
        self._loaders: dict[type[Any], Any] = {}
        self._after_commit: list[Callable[[], Awaitable[None]]] = []
        self._after_rollback: list[Callable[[], Awaitable[None]]] = []

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """The operation's session, held exclusively for the duration of the block."""
        async with self._lock:
            if self._closed:
                # A loader batch still pending when its operation ended (a sibling field
                # failed): a new session here would never be committed nor closed.
                raise OperationFinishedError("the operation has already finished")
            if self._session is None:
                self._session = self._sessionmaker()
            yield self._session

    def loader(self, loader_class: type[LoaderT]) -> LoaderT:
        loader = self._loaders.get(loader_class)
        if loader is None:
            loader = self._loaders[loader_class] = loader_class(self)
        return loader

    def after_commit(self, hook: Callable[[], Awaitable[None]]) -> None:
        self._after_commit.append(hook)

    def after_rollback(self, hook: Callable[[], Awaitable[None]]) -> None:
        """Runs if the operation's work does not commit: to undo what lives outside it."""
        self._after_rollback.append(hook)

    async def close(self, *, commit: bool) -> None:
        # Under the lock: a statement still in flight finishes first, and none starts after.
        committed = False
        try:
            async with self._lock:
                self._closed = True
                session, self._session = self._session, None
                if session is not None:
                    try:
                        if commit:
                            await session.commit()
                        else:
                            await session.rollback()
                    finally:
                        await session.close()
                committed = commit
        finally:
            hooks = self._after_commit if committed else self._after_rollback
            self._after_commit, self._after_rollback = [], []
            for hook in hooks:
                try:
                    await hook()
                except Exception:
                    # The operation's outcome stands; the maintenance pass of the workers
                    # catches up with samples whose job could not be queued.
                    logger.exception(
                        "An after-%s hook failed", "commit" if committed else "rollback"
                    )


def current_scope() -> OperationScope:
    scope = _current.get()
    if scope is None:
        raise RuntimeError("No GraphQL operation is running in this task.")
    return scope


class OperationScopes(SchemaExtension):
    """Opens the operation's scope; commits it unless a resolver failed unexpectedly."""

    _scope: OperationScope | None = None

    async def on_operation(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        scope = self._scope = OperationScope(context.sessionmaker, context.viewer)
        token = _current.set(scope)
        try:
            yield
        except BaseException:
            await scope.close(commit=False)
            raise
        else:
            result = self.execution_context.result
            failed = any(is_unexpected(error) for error in (result and result.errors) or ())
            try:
                await scope.close(commit=not failed)
            except Exception as error:
                if result is None:
                    raise
                # The answer was ready but the work did not commit (e.g. a constraint
                # checked at commit, a lost connection): the client must not believe it
                # happened. `ErrorCodes` masks and logs this error like any other bug.
                result.data = None
                result.errors = [
                    GraphQLError("The operation did not commit.", original_error=error)
                ]
        finally:
            # An operation stream that a WebSocket handler abandons is closed later by
            # the event loop's async-generator finaliser, in another context, where the
            # token cannot be reset (seen with the legacy `graphql-ws` protocol); that
            # context is a throwaway, so there is nothing to restore.
            with contextlib.suppress(ValueError):
                _current.reset(token)

    async def on_stream_result(self, result: object) -> AsyncIterator[None]:
        # A subscription event's scope (`per_event_scopes`) is done once its result is
        # ready, which is now, before it is sent: a client that reads slowly must not keep
        # a connection of the pool (and a transaction) for as long as the send takes.
        scope = _current.get()
        if scope is not None and scope is not self._scope:
            await scope.close(commit=False)
        yield


async def per_event_scopes(
    source: AsyncIterator[T],
    sessionmaker: async_sessionmaker[AsyncSession],
    viewer: "Viewer | None",
) -> AsyncIterator[T]:
    """Yield each value of a subscription in a fresh operation scope of its own.

    A subscription lives as long as its client wants, so its operation's scope must not
    hold a session (an open transaction) or loader caches (stale data) between events.
    Each event's fields resolve in the scope set here: an async generator runs in its
    consumer's context, and graphql-core resolves the yielded value in that same task.
    """
    async with contextlib.aclosing(source):  # type: ignore[type-var]
        async for value in source:
            scope = OperationScope(sessionmaker, viewer)
            token = _current.set(scope)
            try:
                yield value
            finally:
                # Usually closed already, when its result was ready (`on_stream_result`).
                await scope.close(commit=False)  # read-only: nothing to commit
                with contextlib.suppress(ValueError):
                    _current.reset(token)
