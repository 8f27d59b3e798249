"""One pagination mechanism for every list call of every front-end.

Items live in a ``SequencedList``: kept in the order of their ``seq`` (a number that only grows), so
the position after a served item is found by bisection and a page costs O(log n + page), however many
items are stored. Newest-first listings walk the same list backwards.

A token names the last ``seq`` served, never an offset, so pages stay consistent while new items arrive:
nothing is skipped or repeated. Tokens are opaque: a base64 payload and an HMAC over the payload and the
call's *binding* (action, account, region, parent id, filters...). A token that fails to decode, fails
to verify, or was issued for another binding raises ``errors.InvalidPageToken``.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import hashlib
import hmac
import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from .errors import InvalidPageToken

DEFAULT_PAGE_SIZE = 100


class Sequenced(Protocol):
    @property
    def seq(self) -> int: ...


T = TypeVar("T", bound=Sequenced)


class SequencedList(Generic[T]):
    """Items kept in ascending ``seq`` order; appends must carry a larger ``seq`` than the last.

    Slotted: every operation result carries one (its resource drifts), so a rollout makes one per target."""

    __slots__ = ("_items", "_keys")

    def __init__(self) -> None:
        self._items: list[T] = []
        self._keys: list[int] = []

    def append(self, item: T) -> None:
        if self._keys and item.seq <= self._keys[-1]:
            raise ValueError("items must be appended in increasing seq order")
        self._items.append(item)
        self._keys.append(item.seq)

    def remove(self, item: T) -> None:
        index = bisect.bisect_left(self._keys, item.seq)
        if index < len(self._keys) and self._keys[index] == item.seq:
            del self._items[index]
            del self._keys[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        return iter(self._items)

    def __getitem__(self, index: int) -> T:
        return self._items[index]

    def last(self) -> T | None:
        return self._items[-1] if self._items else None

    def walk(self, after: int | None, newest_first: bool) -> Iterator[T]:
        """Items strictly after ``after`` in the walking direction (all of them when ``after`` is None)."""
        if newest_first:
            end = len(self._keys) if after is None else bisect.bisect_left(self._keys, after)
            for index in range(end - 1, -1, -1):
                yield self._items[index]
        else:
            start = 0 if after is None else bisect.bisect_right(self._keys, after)
            for index in range(start, len(self._items)):
                yield self._items[index]


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_token: str | None
    #: How many items match in all (page-number pagination only; None where tokens are used).
    total: int | None = None


class TokenCodec:
    """Issues and verifies opaque page tokens bound to a call's arguments."""

    def __init__(self, secret: bytes | None = None) -> None:
        self._secret = secret if secret is not None else os.urandom(32)

    @staticmethod
    def _canonical(binding: Mapping[str, object]) -> bytes:
        return json.dumps(binding, sort_keys=True, separators=(",", ":"), default=str).encode()

    def _mac(self, payload: bytes, binding: Mapping[str, object]) -> bytes:
        return hmac.new(self._secret, payload + b"\x00" + self._canonical(binding), hashlib.sha256).digest()[:18]

    def issue(self, binding: Mapping[str, object], position: int) -> str:
        payload = json.dumps({"v": 1, "after": position}, separators=(",", ":")).encode()
        mac = self._mac(payload, binding)
        return (
            base64.urlsafe_b64encode(payload).decode().rstrip("=")
            + "."
            + base64.urlsafe_b64encode(mac).decode().rstrip("=")
        )

    def resolve(self, token: str, binding: Mapping[str, object]) -> int:
        """The position a token names, or ``InvalidPageToken``."""
        try:
            encoded_payload, encoded_mac = token.split(".")
            payload = base64.urlsafe_b64decode(encoded_payload + "=" * (-len(encoded_payload) % 4))
            mac = base64.urlsafe_b64decode(encoded_mac + "=" * (-len(encoded_mac) % 4))
        except (ValueError, binascii.Error) as error:
            raise InvalidPageToken() from error
        if not hmac.compare_digest(mac, self._mac(payload, binding)):
            raise InvalidPageToken()
        try:
            decoded = json.loads(payload)
            position = decoded["after"]
        except (ValueError, KeyError, TypeError) as error:
            raise InvalidPageToken() from error
        if decoded.get("v") != 1 or not isinstance(position, int) or isinstance(position, bool):
            raise InvalidPageToken()
        return position


def paginate(
    source: SequencedList[T],
    *,
    codec: TokenCodec,
    binding: Mapping[str, object],
    token: str | None,
    limit: int | None,
    newest_first: bool = False,
    predicate: Callable[[T], bool] | None = None,
) -> Page[T]:
    """One page of ``source``: at most ``limit`` items matching ``predicate`` after the token's position."""
    size = DEFAULT_PAGE_SIZE if limit is None else limit
    after = codec.resolve(token, binding) if token is not None else None
    items: list[T] = []
    more = False
    for item in source.walk(after, newest_first):
        if predicate is not None and not predicate(item):
            continue
        if len(items) == size:
            more = True
            break
        items.append(item)
    next_token = codec.issue(binding, items[-1].seq) if more and items else None
    return Page(items, next_token)


def number_page(
    source: SequencedList[T],
    number: int,
    size: int | None,
    *,
    newest_first: bool = False,
    predicate: Callable[[T], bool] | None = None,
) -> Page[T]:
    """Page ``number`` (from 1) of ``size`` items, with the count of all matches (providers that count pages).

    Unfiltered, a page is cut by index: O(page) however many items exist; filtered, the matches are counted.
    """
    size = DEFAULT_PAGE_SIZE if size is None else size
    offset = (number - 1) * size
    total = len(source)
    if predicate is None:
        if newest_first:
            stop = max(total - offset, 0)
            indices = range(stop - 1, max(stop - size, 0) - 1, -1)
        else:
            indices = range(min(offset, total), min(offset + size, total))
        return Page([source[index] for index in indices], None, total)
    items: list[T] = []
    matched = 0
    for item in source.walk(None, newest_first):
        if not predicate(item):
            continue
        if offset <= matched < offset + size:
            items.append(item)
        matched += 1
    return Page(items, None, matched)
