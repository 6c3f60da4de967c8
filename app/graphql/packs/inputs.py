import strawberry

from app.graphql.core.enums import Visibility


@strawberry.input(description="A new, empty pack.")
class CreatePackInput:
    name: str = strawberry.field(description="1 to 200 characters.")
    description: str = strawberry.field(default="", description="At most 5,000 characters.")
    visibility: Visibility = strawberry.field(
        default=Visibility.PUBLIC, description="Who may see the pack."
    )


@strawberry.input(description="One of your samples to put in one of your packs.")
class AddSampleToPackInput:
    pack_id: strawberry.ID = strawberry.field(description="ID of your pack.")
    sample_id: strawberry.ID = strawberry.field(
        description="ID of your sample; a sample belongs to at most one pack."
    )
    position: int | None = strawberry.field(
        default=None, description="1-based place in the pack; default: last."
    )


@strawberry.input(description="A sample to take out of a pack.")
class RemoveSampleFromPackInput:
    pack_id: strawberry.ID = strawberry.field(description="ID of your pack.")
    sample_id: strawberry.ID = strawberry.field(description="ID of a sample in it.")
