"""Query-size limits, built once so that `ValidationCache` can key on the same rule objects."""

from collections.abc import Callable

from graphql import ASTValidationRule, GraphQLError, ValidationContext, ValidationRule
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, SchemaExtension
from strawberry.extensions.max_aliases import create_validator as alias_validator
from strawberry.extensions.query_depth_limiter import IgnoreContext
from strawberry.extensions.query_depth_limiter import create_validator as depth_validator

from app.config import Settings
from app.graphql.core.errors import ErrorCode


def _too_complex(rule: type[ValidationRule]) -> type[ValidationRule]:
    """`rule`, with its errors coded QUERY_TOO_COMPLEX (Strawberry's rules report in __init__)."""

    class TooComplex(rule):  # type: ignore[valid-type, misc]
        def __init__(self, context: ValidationContext) -> None:
            report = context.report_error

            def tagged(error: GraphQLError) -> None:
                code = {"code": ErrorCode.QUERY_TOO_COMPLEX.value}
                error.extensions = {**(error.extensions or {}), **code}
                report(error)

            context.report_error = tagged  # type: ignore[method-assign]
            try:
                super().__init__(context)
            finally:
                del context.report_error

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
