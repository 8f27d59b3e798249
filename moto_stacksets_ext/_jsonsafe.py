"""The one JSON decoder of every front-end that reads JSON from a caller (RFS and ROS bodies and values, the
control API, Hook type configurations, the state file).

``json.loads`` turns hostile input into errors that are not ``ValueError``: a document nested a few
thousand levels deep raises ``RecursionError`` (and, parsed, would break whatever walks it next). ``loads``
refuses such a document before parsing it, so every caller needs only its ``except ValueError`` to answer
its provider's invalid-JSON error. What it refuses, all as ``UnreadableJson`` (a ``ValueError``):

* bytes that are not UTF-8 (or UTF-16/32, which ``json`` detects);
* nesting deeper than ``MAX_DEPTH`` arrays/objects (the providers' own limits are not published; Jackson,
  the JSON parser of the Java services, stops at 1,000; we stop lower so that what we accept can be
  walked, validated and echoed without recursion limits anywhere);
* anything ``json`` itself refuses, e.g. integers of more than 4,300 digits.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: The deepest nesting of arrays and objects accepted.
MAX_DEPTH = 100

# A JSON string (with its escapes) or one bracket: what decides the nesting depth.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)


class UnreadableJson(ValueError):
    """A document ``loads`` refuses (too deep, not text, or not JSON)."""


def depth(text: str) -> int:
    """The deepest nesting of arrays and objects in ``text`` (strings skipped; brackets not balanced
    are counted as written, which is enough to refuse and harmless to accept: ``json`` refuses them)."""
    deepest = level = 0
    for token in _TOKENS.finditer(text):
        char = token.group()[0]
        if char in "[{":
            level += 1
            deepest = max(deepest, level)
        elif char in "]}":
            level -= 1
    return deepest


def text_of(raw: str | bytes | bytearray) -> str:
    """``raw`` as text: bytes must be UTF-8 (a BOM or UTF-16/32 as ``json`` detects them)."""
    if isinstance(raw, str):
        return raw
    try:
        return bytes(raw).decode(json.detect_encoding(raw))
    except (UnicodeDecodeError, LookupError) as error:
        raise UnreadableJson(f"the document is not UTF-8 text ({error.__class__.__name__})") from None


def loads(raw: str | bytes | bytearray, *, max_depth: int = MAX_DEPTH) -> Any:
    """Decode ``raw`` like ``json.loads``; every refusal is an ``UnreadableJson`` (a ``ValueError``)."""
    text = text_of(raw)
    if depth(text) > max_depth:
        raise UnreadableJson(f"the document is nested deeper than {max_depth} levels")
    try:
        return json.loads(text)
    except RecursionError:  # unreachable after the depth check; kept so no caller ever sees one
        raise UnreadableJson(f"the document is nested deeper than {max_depth} levels") from None
    except ValueError as error:
        raise UnreadableJson(str(error)) from None
