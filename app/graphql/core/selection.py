"""Reading a resolver's selection set: which fields, under which arguments."""

from collections import defaultdict
from collections.abc import Iterable

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection


def by_name(selections: Iterable[Selection]) -> dict[str, list[SelectedField]]:
    """Selected fields by GraphQL name, fragments flattened; a name may appear with aliases."""
    fields: defaultdict[str, list[SelectedField]] = defaultdict(list)
    stack = list(selections)
    while stack:
        selection = stack.pop()
        if isinstance(selection, SelectedField):
            fields[selection.name].append(selection)
        elif isinstance(selection, FragmentSpread | InlineFragment):
            stack.extend(selection.selections)
    return fields


def children(fields: Iterable[SelectedField]) -> list[Selection]:
    return [child for field in fields for child in field.selections]


def connection_nodes(connection: SelectedField) -> list[Selection]:
    """What a connection's items select, through `edges { node }` and `nodes`."""
    fields = by_name(connection.selections)
    return children(by_name(children(fields.get("edges", ()))).get("node", ())) + children(
        fields.get("nodes", ())
    )


def selected_nodes(selected_fields: Iterable[Selection]) -> list[Selection]:
    """What the items of the resolver's own connection select (`info.selected_fields`)."""
    return [
        node
        for field in selected_fields
        if isinstance(field, SelectedField)
        for node in connection_nodes(field)
    ]
