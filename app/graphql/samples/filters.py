"""GraphQL filter and order inputs → the domain's listing filter and order."""

import uuid
from typing import Any

from app.errors import InvalidInputError
from app.graphql.core.ids import decode_typed_id
from app.graphql.core.inputs import OrderDirection
from app.graphql.core.pagination import PageArgs
from app.graphql.samples.inputs import SampleFilter, SampleOrder, SampleOrderField
from app.graphql.samples.loaders import PageSpec
from app.samples import listing
from app.samples.keys import normalize_key
from app.samples.ordering import SORT_KEYS
from app.tags.names import normalize_tag


def domain_filter(given: SampleFilter | None) -> listing.SampleFilter:
    if given is None:
        return listing.SampleFilter()
    search = given.search.strip() if given.search is not None else None
    bpm = given.bpm
    duration = given.duration_ms
    created = given.created_at
    _check_range("filter.bpm", bpm.min if bpm else None, bpm.max if bpm else None)
    _check_range("filter.durationMs", *((duration.min, duration.max) if duration else (None, None)))
    _check_range(
        "filter.createdAt", *((created.after, created.before) if created else (None, None))
    )
    return listing.SampleFilter(
        search=search or None,
        tags=tuple(sorted({normalize_tag(t, field="filter.tags") for t in given.tags or ()})),
        any_tags=tuple(
            sorted({normalize_tag(t, field="filter.anyTags") for t in given.any_tags or ()})
        ),
        bpm_min=bpm.min if bpm else None,
        bpm_max=bpm.max if bpm else None,
        key=normalize_key(given.key, field="filter.key") if given.key is not None else None,
        duration_min_ms=duration.min if duration else None,
        duration_max_ms=duration.max if duration else None,
        kind=given.kind,
        uploader_id=_id(given.uploader, "User", "filter.uploader"),
        pack_id=_id(given.pack, "Pack", "filter.pack"),
        created_after=created.after if created else None,
        created_before=created.before if created else None,
    )


def domain_order(given: SampleOrder | None, filters: listing.SampleFilter) -> listing.Order:
    if given is None:
        name = "RELEVANCE" if filters.search else "CREATED_AT"
        return listing.Order(SORT_KEYS[name], descending=True)
    if given.field is SampleOrderField.RELEVANCE and not filters.search:
        raise InvalidInputError(
            "orderBy: RELEVANCE needs a search (filter.search).", field="orderBy.field"
        )
    return listing.Order(
        SORT_KEYS[given.field.value], descending=given.direction is OrderDirection.DESC
    )


def _check_range(field: str, low: object, high: object) -> None:
    if low is not None and high is not None and low > high:  # type: ignore[operator]
        raise InvalidInputError(f"{field}: the lower bound is above the upper one.", field=field)


def _id(global_id: str | None, type_name: str, field: str) -> uuid.UUID | None:
    return None if global_id is None else decode_typed_id(global_id, type_name, field=field)


def page_spec(
    order_by: SampleOrder | None,
    page: PageArgs,
    *,
    default: str = "CREATED_AT",
    default_descending: bool = True,
) -> PageSpec:
    """The shape of a nested sample page (no filter, so no RELEVANCE)."""
    if order_by is None:
        order = listing.Order(SORT_KEYS[default], descending=default_descending)
    else:
        order = domain_order(order_by, listing.SampleFilter())
    return PageSpec(order, page.request(order.cursor_key))


def raw_page_spec(arguments: dict[str, Any], **defaults: Any) -> PageSpec:
    """`page_spec` from a selection's raw arguments (enum values still as names)."""
    raw_order = arguments.get("orderBy")
    order_by = None
    if raw_order is not None:
        order_by = SampleOrder(
            field=SampleOrderField[raw_order["field"]],
            direction=OrderDirection[raw_order.get("direction", "DESC")],
        )
    return page_spec(order_by, PageArgs.from_arguments(arguments), **defaults)
