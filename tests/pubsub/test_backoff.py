from app.pubsub.backoff import backoff_delay


def test_delays_grow_exponentially_within_the_bounds() -> None:
    for attempt in range(50):
        ceiling = min(5.0, 0.1 * 2**attempt)
        for _ in range(20):
            assert 0.1 <= backoff_delay(attempt, 0.1, 5.0) <= ceiling


def test_delays_are_jittered() -> None:
    assert len({backoff_delay(3, 0.1, 5.0) for _ in range(20)}) > 1
