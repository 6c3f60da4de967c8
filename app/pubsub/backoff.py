"""How long the hub waits before its next connection attempt."""

import random


def backoff_delay(attempt: int, minimum: float, maximum: float) -> float:
    """Exponential with jitter, always within [minimum, maximum].

    The jitter spreads the reconnections of N API processes after a database restart, so
    they don't all knock at the same instant.
    """
    ceiling = min(maximum, minimum * 2 ** min(attempt, 32))
    return random.uniform(minimum, ceiling)  # noqa: S311 - jitter, not security
