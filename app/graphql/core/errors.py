"""The one place where exceptions become GraphQL errors with an `extensions.code`.

Codes: UNAUTHENTICATED FORBIDDEN NOT_FOUND BAD_USER_INPUT GRAPHQL_PARSE_FAILED
GRAPHQL_VALIDATION_FAILED QUERY_TOO_COMPLEX RATE_LIMITED PERSISTED_QUERY_NOT_FOUND
INTERNAL_SERVER_ERROR. Domain errors (`app.errors`) keep their message; anything
else raised by a resolver is a bug: logged with its traceback and masked.
"""

import logging
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult, StreamExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType

from app.errors import RateLimitedError, SamplebaseError

logger = logging.getLogger("app.graphql")

MASKED_MESSAGE = "Unexpected error."
_TOKEN_LIMIT_MARK = "tokens. Parsing aborted."  # noqa: S105 - graphql-core's message


class ErrorCode(StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    RATE_LIMITED = "RATE_LIMITED"
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


def is_unexpected(error: GraphQLError, *, streaming: bool = False) -> bool:
    """A resolver failed with something other than a domain error: a bug, to be masked.

    Request-level errors (parse, validation, variable coercion) carry no path; only
    field resolution fails on a path. Except in a subscription's event stream
    (`streaming`): graphql-core lets what its source raises propagate, and Strawberry
    reports it without a path. Errors already carrying a code were classified.
    """
    extensions = error.extensions or {}
    if "code" in extensions:
        return bool(extensions["code"] == ErrorCode.INTERNAL_SERVER_ERROR)
    if error.path is None and not (streaming and error.original_error is not None):
        return False
    return not isinstance(error.original_error, SamplebaseError)


def _classify(error: GraphQLError, validation_errors: set[int]) -> dict[str, Any]:
    extensions = dict(error.extensions or {})
    original = error.original_error
    if isinstance(error, GraphQLSyntaxError):
        too_big = _TOKEN_LIMIT_MARK in error.message
        extensions["code"] = (
            ErrorCode.QUERY_TOO_COMPLEX if too_big else ErrorCode.GRAPHQL_PARSE_FAILED
        )
    elif "code" in extensions:
        pass
    elif isinstance(original, SamplebaseError):
        extensions["code"] = original.code
        if original.field is not None:
            extensions["field"] = original.field
        if isinstance(original, RateLimitedError):
            extensions["retryAfterSeconds"] = original.retry_after_seconds
    elif id(error) in validation_errors:
        extensions["code"] = ErrorCode.GRAPHQL_VALIDATION_FAILED
    else:
        extensions["code"] = ErrorCode.BAD_USER_INPUT
    return extensions


def format_errors(
    errors: list[GraphQLError], validation_errors: set[int], *, streaming: bool = False
) -> list[GraphQLError]:
    formatted = []
    for error in errors:
        if is_unexpected(error, streaming=streaming):
            path = ".".join(map(str, error.path or ()))
            logger.error("Unexpected error in %s", path, exc_info=error.original_error or error)
            formatted.append(
                GraphQLError(
                    MASKED_MESSAGE,
                    nodes=error.nodes,
                    path=error.path,
                    extensions={"code": ErrorCode.INTERNAL_SERVER_ERROR.value},
                )
            )
            continue
        formatted.append(
            GraphQLError(
                error.message,
                nodes=error.nodes,
                source=error.source,
                positions=error.positions,
                path=error.path,
                original_error=error.original_error,
                extensions=_classify(error, validation_errors),
            )
        )
    return formatted


class ErrorCodes(SchemaExtension):
    """Gives every error a code and masks unexpected ones (our predicate: `is_unexpected`)."""

    def __init__(self) -> None:
        self._validation_errors: set[int] = set()
        self._streamed: ExecutionResult | None = None

    def on_validate(self) -> Iterator[None]:
        yield
        self._validation_errors = {
            id(error) for error in self.execution_context.pre_execution_errors or ()
        }

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors and result is not self._streamed:
            result.errors = format_errors(result.errors, self._validation_errors)

    def on_stream_result(self, result: StreamExecutionResult) -> Iterator[None]:
        # Over WebSockets every result (each subscription event, and a query's one) is
        # sent while the operation still runs, before `on_operation` resumes: classify
        # and mask each one here, on its way out. The last one is `on_operation`'s
        # result too, which must not mask (and log) its errors a second time.
        if isinstance(result, ExecutionResult) and result.errors:
            streaming = (
                self.execution_context.operation_type is OperationType.SUBSCRIPTION
                and not isinstance(result, PreExecutionError)
            )
            result.errors = format_errors(
                result.errors, self._validation_errors, streaming=streaming
            )
            self._streamed = result
        yield
