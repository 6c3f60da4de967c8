from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    build_schema,
)

from app.graphql.schema import export_sdl


def test_committed_schema_equals_the_exported_one(project_root: Path) -> None:
    committed = (project_root / "schema.graphql").read_text()

    assert committed == export_sdl(), (
        "schema.graphql is stale: run `uv run samplebase export-schema > schema.graphql`"
    )


def test_every_type_field_and_argument_is_described() -> None:
    schema = build_schema(export_sdl())
    missing = []
    for name, type_ in schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not type_.description:
            missing.append(name)
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in type_.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
        if isinstance(type_, GraphQLEnumType) and not type_.description:
            missing.append(name)

    assert missing == []
