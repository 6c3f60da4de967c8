import contextlib
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import ParserCache


class CachedParser(ParserCache):
    """`ParserCache` whose syntax errors reach the extensions' `on_operation`.

    Strawberry's version raises from inside its hook, outside the operation, so error
    formatting never sees the error. Here a failed parse leaves the document unset and
    Strawberry parses again on its own error path (syntax errors are rare).
    """

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        with contextlib.suppress(GraphQLError):
            context.graphql_document = self.cached_parse_document(
                context.query, **context.parse_options
            )
        yield
