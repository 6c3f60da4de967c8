"""GraphQL multipart requests, as in github.com/jaydenseric/graphql-multipart-request-spec."""

import uuid
from typing import Any, NamedTuple

import httpx
import orjson

from app.graphql.core.ids import decode_id

UPLOAD = """
mutation ($input: UploadSampleInput!) {
  uploadSample(input: $input) {
    sample { id title status format sizeBytes bpm bpmSource key tags { name } }
    errors { field message code existingSampleId }
  }
}
"""


async def upload(
    client: httpx.AsyncClient,
    data: bytes,
    *,
    filename: str = "loop.wav",
    token: str | None = None,
    fields: dict[str, Any] | None = None,
    preflight: bool = True,
    query: str = UPLOAD,
) -> httpx.Response:
    operations = {"query": query, "variables": {"input": {"file": None, **(fields or {})}}}
    headers = {"GraphQL-Require-Preflight": "1"} if preflight else {}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return await client.post(
        "/graphql",
        data={
            "operations": orjson.dumps(operations).decode(),
            "map": orjson.dumps({"0": ["variables.input.file"]}).decode(),
        },
        files={"0": (filename, data, "application/octet-stream")},
        headers=headers,
    )


class UploadedSample(NamedTuple):
    id: str  # the global ID
    key: uuid.UUID


async def uploaded(
    client: httpx.AsyncClient,
    data: bytes,
    *,
    token: str,
    filename: str = "loop.wav",
    fields: dict[str, Any] | None = None,
) -> UploadedSample:
    """An upload that must be accepted (the test fails on any error)."""
    response = await upload(client, data, filename=filename, token=token, fields=fields)
    result = response.json()["data"]["uploadSample"]
    assert result["errors"] == [], result
    global_id: str = result["sample"]["id"]
    return UploadedSample(global_id, decode_id(global_id)[1])
