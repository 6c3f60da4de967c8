import strawberry


@strawberry.interface(description="An object with a globally unique, opaque ID (Relay).")
class Node:
    id: strawberry.ID = strawberry.field(
        description="Opaque global ID; pass it to `node(id:)` to fetch the object again."
    )
