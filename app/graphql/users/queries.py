from typing import Annotated

import strawberry

from app.errors import NotFoundError
from app.graphql.context import Info
from app.graphql.users.loaders import UserByIdLoader, UserByUsernameLoader
from app.graphql.users.types import User


@strawberry.type
class UserQueries:
    @strawberry.field(description="The signed-in user, or null when anonymous.")
    async def me(self, info: Info) -> User | None:
        viewer = info.context.viewer
        if viewer is None:
            return None
        return await info.context.loader(UserByIdLoader).load(viewer.id)

    @strawberry.field(description="A user by username (case does not matter); NOT_FOUND if none.")
    async def user(
        self,
        info: Info,
        username: Annotated[str, strawberry.argument(description="The user's handle.")],
    ) -> User | None:
        user = await info.context.loader(UserByUsernameLoader).load(username.strip().lower())
        if user is None:
            raise NotFoundError(f"No user named {username!r}.", field="username")
        return user
