import strawberry

from app.graphql.context import Info
from app.graphql.users.loaders import UserByIdLoader
from app.graphql.users.types import User


@strawberry.type
class UserQueries:
    @strawberry.field(description="The signed-in user, or null when anonymous.")
    async def me(self, info: Info) -> User | None:
        viewer = info.context.viewer
        if viewer is None:
            return None
        return await info.context.loader(UserByIdLoader).load(viewer.id)
