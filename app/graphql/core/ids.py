"""Opaque Relay global IDs: base64url("<TypeName>:<uuid>")."""

import base64
import binascii
import uuid

from app.errors import InvalidInputError


def encode_id(type_name: str, id_: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{id_}".encode()).decode().rstrip("=")


def decode_id(global_id: str, *, field: str = "id") -> tuple[str, uuid.UUID]:
    """Split a global ID into its type name and key; BAD_USER_INPUT when malformed."""
    try:
        padded = global_id + "=" * (-len(global_id) % 4)
        type_name, _, key = base64.urlsafe_b64decode(padded.encode("ascii")).decode().partition(":")
        return type_name, uuid.UUID(key)
    except (ValueError, UnicodeError, binascii.Error):
        raise InvalidInputError(f"{global_id!r} is not a valid ID.", field=field) from None


def decode_typed_id(global_id: str, type_name: str, *, field: str = "id") -> uuid.UUID:
    """The key of a global ID that must name `type_name`."""
    actual, key = decode_id(global_id, field=field)
    if actual != type_name:
        raise InvalidInputError(f"{global_id!r} is not the ID of a {type_name}.", field=field)
    return key
