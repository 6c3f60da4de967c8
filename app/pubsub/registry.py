"""The hub's subscriptions, indexed so a notice reaches only the subscriptions that want it.

Nearly every subscriber follows one sample (its processing, its publication), so each channel
keeps its subscriptions in a dict by sample id: dispatch costs O(subscribers of that sample)
plus O(unkeyed subscribers), not O(everyone), and 5,000 clients each watching their own upload
cost one dict lookup per notice. Anything else (e.g. "my uploads", by uploader) is a `match`
predicate on an unkeyed subscription, evaluated on every notice of the channel; index it too
if such subscribers ever become numerous.
"""

import logging
import uuid
from typing import Any

from app.pubsub.channels import Notice
from app.pubsub.subscription import ResyncReason, Subscription

logger = logging.getLogger("app.pubsub")

# dict[Subscription, None] rather than set: an ordered set, so dispatch order is stable.
_Subscriptions = dict[Subscription[Any], None]


class _ChannelSubscriptions:
    __slots__ = ("by_sample", "unkeyed")

    def __init__(self) -> None:
        self.by_sample: dict[uuid.UUID, _Subscriptions] = {}
        self.unkeyed: _Subscriptions = {}


class Registry:
    def __init__(self) -> None:
        self._channels: dict[str, _ChannelSubscriptions] = {}
        self._count = 0
        self._closed = False

    def __len__(self) -> int:
        return self._count

    @property
    def indexed_samples(self) -> int:
        """Sample ids with an index entry; 0 once every keyed subscription is gone."""
        return sum(len(channel.by_sample) for channel in self._channels.values())

    def add(self, subscription: Subscription[Any]) -> None:
        if self._closed or subscription.closed:
            # A subscription made while the hub shuts down simply ends.
            subscription.close()
            return
        bucket = self._bucket(subscription, create=True)
        if bucket is not None and subscription not in bucket:
            bucket[subscription] = None
            self._count += 1

    def discard(self, subscription: Subscription[Any]) -> None:
        bucket = self._bucket(subscription, create=False)
        if bucket is None or subscription not in bucket:
            return
        del bucket[subscription]
        self._count -= 1
        if not bucket and subscription.sample_id is not None:
            # An empty bucket per sample ever watched would leak over a process's lifetime.
            del self._channels[subscription.channel.name].by_sample[subscription.sample_id]

    def dispatch(self, channel: str, notice: Notice) -> None:
        subscriptions = self._channels.get(channel)
        if subscriptions is None:
            return
        keyed = subscriptions.by_sample.get(notice.sample_id, {})
        for subscription in (*keyed, *subscriptions.unkeyed):
            try:
                subscription.offer(notice)
            except Exception:
                # A broken `match` predicate costs its own subscription a notice, nobody else.
                logger.exception("Subscription failed to take a notice on %s", channel)

    def resync_all(self, reason: ResyncReason) -> None:
        for subscription in self._all():
            subscription.resync(reason)

    def close(self) -> None:
        self._closed = True
        for subscription in self._all():
            subscription.close()

    def _all(self) -> list[Subscription[Any]]:
        result: list[Subscription[Any]] = []
        for channel in self._channels.values():
            for bucket in channel.by_sample.values():
                result.extend(bucket)
            result.extend(channel.unkeyed)
        return result

    def _bucket(self, subscription: Subscription[Any], *, create: bool) -> _Subscriptions | None:
        channel = self._channels.get(subscription.channel.name)
        if channel is None:
            if not create:
                return None
            channel = self._channels[subscription.channel.name] = _ChannelSubscriptions()
        if subscription.sample_id is None:
            return channel.unkeyed
        bucket = channel.by_sample.get(subscription.sample_id)
        if bucket is None and create:
            bucket = channel.by_sample[subscription.sample_id] = {}
        return bucket
