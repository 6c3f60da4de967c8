from sqlalchemy.orm import configure_mappers

from app.models import Base


def test_every_relationship_raises_on_lazy_load() -> None:
    configure_mappers()
    relationships = [
        (mapper.class_.__name__, relationship.key, relationship.lazy)
        for mapper in Base.registry.mappers
        for relationship in mapper.relationships
    ]

    assert len(relationships) >= 7
    assert [r for r in relationships if r[2] != "raise"] == []
