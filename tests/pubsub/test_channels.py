import logging
import uuid

import orjson
import pytest

from app.pubsub.channels import ProcessingNotice, PublishedNotice

SAMPLE = uuid.UUID("6b1f9a2e-0c47-4a8e-9d53-2f4b7c1e8a90")
UPLOADER = uuid.UUID("0d3c5e7f-1a2b-4c6d-8e9f-a0b1c2d3e4f5")


def test_processing_payload_is_ids_and_sequence() -> None:
    notice = ProcessingNotice(SAMPLE, UPLOADER, 7)

    payload = notice.payload()

    assert orjson.loads(payload) == {
        "sample": str(SAMPLE),
        "uploader": str(UPLOADER),
        "sequence": 7,
    }
    assert ProcessingNotice.parse(payload) == notice


def test_published_payload_is_the_sample_id() -> None:
    notice = PublishedNotice(SAMPLE)

    payload = notice.payload()

    assert orjson.loads(payload) == {"sample": str(SAMPLE)}
    assert PublishedNotice.parse(payload) == notice


@pytest.mark.parametrize(
    "payload",
    [
        "not json",
        "[1, 2]",
        "{}",
        f'{{"sample": "{SAMPLE}", "uploader": "{UPLOADER}"}}',
        f'{{"sample": "{SAMPLE}", "uploader": "{UPLOADER}", "sequence": "7"}}',
        f'{{"sample": "{SAMPLE}", "uploader": "{UPLOADER}", "sequence": true}}',
        f'{{"sample": "{SAMPLE}", "uploader": "{UPLOADER}", "sequence": 0}}',
        f'{{"sample": "{SAMPLE}", "uploader": "nope", "sequence": 7}}',
        f'{{"sample": 12, "uploader": "{UPLOADER}", "sequence": 7}}',
    ],
)
def test_malformed_processing_payload_is_ignored_with_a_warning(
    payload: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="app.pubsub"):
        assert ProcessingNotice.parse(payload) is None

    assert "malformed payload on samplebase_processing" in caplog.text


@pytest.mark.parametrize("payload", ["", "null", '{"sample": "x"}', '{"id": "x"}'])
def test_malformed_published_payload_is_ignored_with_a_warning(
    payload: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="app.pubsub"):
        assert PublishedNotice.parse(payload) is None

    assert "malformed payload on samplebase_published" in caplog.text
