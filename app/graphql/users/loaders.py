import uuid
from collections.abc import Mapping, Sequence

from sqlalchemy import select

from app import models
from app.graphql.core.loaders import Loader
from app.graphql.users.types import User
from app.paging import key_in

_COLUMNS = (
    models.User.id,
    models.User.username,
    models.User.email,
    models.User.role,
    models.User.created_at,
)


class UserByIdLoader(Loader[uuid.UUID, User | None]):
    async def fetch(self, keys: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, User | None]:
        rows = await self.rows(select(*_COLUMNS).where(key_in(models.User.id, keys)))
        return {row.id: User.from_row(row) for row in rows}


class UserByUsernameLoader(Loader[str, User | None]):
    async def fetch(self, keys: Sequence[str]) -> Mapping[str, User | None]:
        rows = await self.rows(select(*_COLUMNS).where(key_in(models.User.username, keys)))
        return {row.username: User.from_row(row) for row in rows}
