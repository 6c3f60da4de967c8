import pytest

from app.media.disposition import content_disposition


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("kick.wav", "inline; filename=\"kick.wav\"; filename*=UTF-8''kick.wav"),
        (
            "Café snare.wav",
            "inline; filename=\"Cafe snare.wav\"; filename*=UTF-8''Caf%C3%A9%20snare.wav",
        ),
        (
            'a"b\\c/d.wav',
            "inline; filename=\"a_b_c_d.wav\"; filename*=UTF-8''a%22b%5Cc%2Fd.wav",
        ),
        (
            "ドラム.flac",
            "inline; filename=\"_.flac\"; filename*=UTF-8''%E3%83%89%E3%83%A9%E3%83%A0.flac",
        ),
        (
            "bad\r\nX-Injected: 1.wav",
            "inline; filename=\"badX-Injected_ 1.wav\"; filename*=UTF-8''badX-Injected%3A%201.wav",
        ),
        ("", "inline; filename=\"audio\"; filename*=UTF-8''audio"),
        ("..", "inline; filename=\"audio\"; filename*=UTF-8''.."),
    ],
)
def test_content_disposition_is_safe_ascii_with_the_exact_name_beside(
    filename: str, expected: str
) -> None:
    value = content_disposition(filename)

    assert value == expected
    assert value.isascii()
    assert "\r" not in value
    assert "\n" not in value
