"""GraphQL multipart requests, as in github.com/jaydenseric/graphql-multipart-request-spec."""

from typing import Any

import httpx
import orjson

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
