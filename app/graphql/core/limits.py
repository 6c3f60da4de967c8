"""Query-size limits, built once so that `ValidationCache` can key on the same rule objects."""

from collections.abc import Callable

from graphql import ASTValidationRule, GraphQLError, ValidationRule
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, SchemaExtension
from strawberry.extensions.max_aliases import create_validator as alias_validator
from strawberry.extensions.query_depth_limiter import IgnoreContext
from strawberry.extensions.query_depth_limiter import create_validator as depth_validator

from app.config import Settings
from app.graphql.core.errors import ErrorCode


def _too_complex(rule: type[ValidationRule]) -> type[ValidationRule]:
    class TooComplex(rule):  # type: ignore[valid-type, misc]
        def report_error(self, error: GraphQLError) -> None:
            error.extensions = {
                **(error.extensions or {}),
                "code": ErrorCode.QUERY_TOO_COMPLEX.value,
            }
            super().report_error(error)

    TooComplex.__name__ = f"TooComplex{rule.__name__}"
    return TooComplex


def _ignore_introspection(context: IgnoreContext) -> bool:
    return context.field_name.startswith("__")


def limit_extensions(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    rules: list[type[ASTValidationRule]] = [
        _too_complex(depth_validator(settings.max_query_depth, _ignore_introspection, None)),
        _too_complex(alias_validator(settings.max_aliases)),
    ]
    max_tokens = settings.max_tokens
    return [
        lambda: MaxTokensLimiter(max_tokens),
        lambda: AddValidationRules(rules),
    ]
