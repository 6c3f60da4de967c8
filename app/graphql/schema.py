"""Composes the schema from the domains; no resolvers live here."""

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ValidationCache
from strawberry.types import ExecutionContext

from app.config import Settings
from app.graphql.auth.mutations import AuthMutations
from app.graphql.core.credentials import RejectBadCredentials
from app.graphql.core.errors import ErrorCodes
from app.graphql.core.limits import limit_extensions
from app.graphql.core.parsing import CachedParser
from app.graphql.core.scope import OperationScopes
from app.graphql.packs.mutations import PackMutations
from app.graphql.packs.queries import PackQueries
from app.graphql.packs.types import Pack
from app.graphql.processing.subscriptions import ProcessingSubscriptions
from app.graphql.relay.queries import NodeQueries
from app.graphql.samples.mutations import SampleMutations
from app.graphql.samples.queries import SampleQueries
from app.graphql.samples.types import Sample
from app.graphql.tags.queries import TagQueries
from app.graphql.tags.types import Tag
from app.graphql.users.queries import UserQueries
from app.graphql.users.types import User


@strawberry.type(description="Entry points for reading the library.")
class Query(NodeQueries, SampleQueries, UserQueries, TagQueries, PackQueries):
    pass


@strawberry.type(description="Entry points for changing the library and your account.")
class Mutation(AuthMutations, SampleMutations, PackMutations):
    pass


@strawberry.type(description="Live updates, over WebSocket (graphql-transport-ws or graphql-ws).")
class Subscription(ProcessingSubscriptions):
    pass


class Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Silenced: `ErrorCodes` logs the unexpected errors, the others are the client's."""


_TYPES = [Sample, User, Tag, Pack]


def build_schema(settings: Settings) -> Schema:
    extensions: list[Any] = [
        *limit_extensions(settings),
        lambda: CachedParser(maxsize=1024),
        lambda: ValidationCache(maxsize=1024),
        ErrorCodes,
        OperationScopes,
        RejectBadCredentials,
    ]
    return Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=_TYPES,
        extensions=extensions,
    )


def export_sdl() -> str:
    schema = strawberry.Schema(
        query=Query, mutation=Mutation, subscription=Subscription, types=_TYPES
    )
    return schema.as_str() + "\n"
