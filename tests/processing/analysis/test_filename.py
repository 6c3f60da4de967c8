import pytest

from app.processing.analysis import bpm_from_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("120bpm", 120.0),
        ("120 BPM", 120.0),
        ("Drums_174BPM_Am.wav", 174.0),
        ("loop-90-bpm", 90.0),
        ("Funky Guitar 98 Bpm.aif", 98.0),
        ("bass_BPM128_F.wav", 128.0),
        ("pad bpm: 72", 72.0),
        ("Break 87.5bpm", 87.5),
        ("Kick120bpm", 120.0),
        ("20bpm drone", 20.0),
        ("999 bpm gabber", 999.0),
    ],
)
def test_a_tagged_tempo_is_read(text: str, expected: float) -> None:
    assert bpm_from_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Drums_174_Am.wav",  # a number, but not tagged as a tempo
        "kit 2 take 120.wav",
        "12bpm",  # below 20
        "1200bpm",  # part of a longer number
        "bpm1205",
        "120bpms",  # part of a longer word
        "bpmax 90",  # not the word bpm
    ],
)
def test_untagged_or_out_of_range_numbers_are_ignored(text: str) -> None:
    assert bpm_from_text(text) is None


def test_the_first_text_with_a_tempo_wins() -> None:
    assert bpm_from_text("Snare roll", "roll_140bpm.wav", "128 BPM") == 140.0


def test_out_of_range_tempi_are_skipped_for_later_ones() -> None:
    assert bpm_from_text("10bpm then 100bpm") == 100.0
