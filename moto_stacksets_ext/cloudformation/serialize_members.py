"""How the compiled serializer (``serialize``) finds a value's members and writes scalars, as moto's does.

Scalars are written as moto's ``QuerySerializer`` writes them (strings escaped, booleans lower-case,
timestamps in the shape's format). A structure member is found on a value by moto's alias rules (explicit
``Meta.serialization_aliases``, shape-name and no-alias candidates, class-name prefixes, the model's name),
each candidate with and without ``xform_name``, in moto's order; ``Member`` resolves the per-class part once.
For plain classes, ``generate`` writes a structure's renderer as straight-line Python once per class, with a
shorter path for values whose instance attributes are the ones seen when it was generated.
"""

from __future__ import annotations

import base64
import inspect
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any
from xml.sax.saxutils import escape

from botocore import xform_name
from botocore.utils import parse_to_aware_datetime
from moto.core import serialize as moto_serialize
from moto.core.utils import get_value as moto_get_value

from ..engine.vocabulary import Vocabulary

#: Renders a value as an element's content: text or child elements ("" for an empty element).
Render = Callable[[Any], str]

_ISO8601 = "%Y-%m-%dT%H:%M:%SZ"
_ISO8601_MICRO = "%Y-%m-%dT%H:%M:%S.%fZ"
MISSING = object()


_VOCABULARY_STR = Vocabulary.__str__


# -- scalars ------------------------------------------------------------------------------------------
def text_of(value: Any) -> str:
    """``str(value)``; for the engine's vocabulary (whose ``str()`` is its value) the value itself, read
    without the enum's ``value`` property."""
    if isinstance(value, Vocabulary) and type(value).__str__ is _VOCABULARY_STR:
        found = value._value_
        if type(found) is str:
            return found
    return str(value)


def string(value: Any) -> str:
    text = value if type(value) is str else text_of(value)
    if "&" in text or "<" in text or ">" in text:  # all that escape() replaces
        return escape(text)
    return text


def boolean(value: Any) -> str:
    return "true" if value is True or str(value).lower() == "true" else "false"


def integer(value: Any) -> str:
    return str(int(value))


def float_(value: Any) -> str:
    return str(float(value))


#: Timestamps (UTC or naive ``datetime``) already written, and their text: ``isoformat`` costs about 2 µs, and
#: a listing writes the same operations' timestamps at every poll. Equal values of one of these two kinds have
#: the same fields (``fold`` aside, which the text does not show), so the same text. Emptied when full.
_WRITTEN: dict[datetime, str] = {}
_WRITTEN_MAX = 4096


def _timestamp_iso8601(value: Any) -> str:
    if type(value) is datetime and value.year >= 1000:  # isoformat and strftime agree from year 1000
        zone = value.tzinfo
        if zone is None or zone is timezone.utc:
            text = _WRITTEN.get(value)  # a naive value never equals an aware one
            if text is None:
                # without "+00:00" for UTC
                text = value.isoformat() + "Z" if zone is None else value.isoformat()[:-6] + "Z"
                if len(_WRITTEN) >= _WRITTEN_MAX:
                    _WRITTEN.clear()
                _WRITTEN[value] = text
            return text
    if type(value) is not datetime or value.tzinfo is not None:
        value = parse_to_aware_datetime(value)
    return str(value.strftime(_ISO8601_MICRO if value.microsecond > 0 else _ISO8601))


def timestamp(timestamp_format: str) -> Render:
    if timestamp_format.lower() == "iso8601":
        return _timestamp_iso8601
    converter = moto_serialize.TimestampSerializer(timestamp_format)

    def render(value: Any) -> str:
        return escape(str(converter._convert_timestamp_to_str(value, timestamp_format)))

    return render


def blob(value: Any) -> str:
    if isinstance(value, str):
        value = value.encode("utf-8")
    return base64.b64encode(value).strip().decode("utf-8")


def raw(value: Any) -> str:
    """moto's default: the value as it is, converted by xmltodict."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return escape(bytes(value).decode("utf-8", errors="replace"))
    return escape(str(value))


def element(name: str, content: str) -> str:
    return f"<{name}/>" if content == "" else f"<{name}>{content}</{name}>"


# -- attribute picking (moto's alias providers, resolved once per member and class) --------------------
class Member:
    """How one structure member is found on a value, transformed, named and rendered."""

    __slots__ = ("after_class", "before_class", "key", "render", "transform", "xml_name")

    def __init__(
        self,
        key: str,
        xml_name: str,
        before_class: tuple[str, ...],
        after_class: tuple[str, ...],
        transform: Callable[[Any], Any] | None,
        render: Render,
    ) -> None:
        self.key = key
        self.xml_name = xml_name
        self.before_class = before_class
        self.after_class = after_class
        self.transform = transform
        self.render = render

    def _candidates(self, obj: Any) -> list[str]:
        key = self.key
        aliases: list[str] = []
        meta = getattr(obj, "Meta", None)
        explicit = getattr(meta, "serialization_aliases", None) if meta is not None else None
        if explicit is not None and key in explicit:  # ExplicitAlias
            aliases.append(explicit[key])
        aliases.extend(self.before_class)  # ShapeNameAlias, NoAlias, ShapePrefixAlias
        class_name = obj.__class__.__name__
        if key.lower().startswith(class_name.lower()):  # ClassPrefixAlias
            aliases.append(key[len(class_name) :])
        aliases.extend(self.after_class)  # ModelAlias
        return [name for alias in aliases for name in (alias, xform_name(alias))]

    def plain_lookups(self, obj: Any) -> tuple[tuple[str, bool], ...] | None:
        """For a plain object (no ``__getitem__``, no custom attribute lookup): each candidate name and
        whether the class defines it (else only the instance dictionary can); None for anything else."""
        cls = type(obj)
        if hasattr(obj, "__getitem__") or not hasattr(obj, "__dict__") or not plain_class(cls):
            return None
        names = self._candidates(obj)
        if any("." in name for name in names):
            return None
        return tuple((name, hasattr(cls, name)) for name in names)

    def getter(self, obj: Any) -> tuple[Callable[[Any], Any], bool]:
        """How to read this member from values of ``obj``'s class, and whether that holds for the class."""
        names = tuple(self._candidates(obj))
        cls = type(obj)
        getter: Callable[[Any], Any]
        if any("." in name for name in names):

            def getter(value: Any) -> Any:  # dotted aliases: moto's own traversal
                for name in names:
                    found = moto_get_value(value, name, MISSING)
                    if found is not MISSING:
                        return found
                return None

        elif hasattr(obj, "__getitem__"):

            def getter(value: Any) -> Any:
                for name in names:
                    try:
                        return value[name]
                    except (KeyError, IndexError, TypeError, AttributeError):
                        pass
                return None

        elif plain_class(cls) and hasattr(obj, "__dict__"):
            # Names the class does not define can only come from the instance's own dictionary.
            plan = tuple((name, hasattr(cls, name)) for name in names)

            def getter(value: Any) -> Any:
                own = value.__dict__
                for name, on_class in plan:
                    found = getattr(value, name, MISSING) if on_class else own.get(name, MISSING)
                    if found is not MISSING:
                        return found
                return None

        else:

            def getter(value: Any) -> Any:
                for name in names:
                    found = getattr(value, name, MISSING)
                    if found is not MISSING:
                        return found
                return None

        # an instance-level __getitem__ decides per value
        return getter, hasattr(cls, "__getitem__") or not hasattr(obj, "__getitem__")


def generate(
    shape_name: str,
    cls: type,
    members: list[Member],
    lookups: list[tuple[tuple[str, bool], ...]],
    keys: frozenset[str],
    tables: list[Mapping[type, Render] | None],
) -> Render:
    """A structure's renderer for one plain class, as straight-line Python: the same lookups, transforms
    and elements as the generic renderer, without a call per member to find its value.

    ``keys`` are the instance attributes of the first value seen. Values with exactly those (every value
    of a dataclass, say) take a shorter path: each member's first candidate name that such a value can
    have is known, so it is read once instead of trying the names before it. Any other value takes the
    path that tries every name in moto's order. ``tables`` holds, for a member rendered by a structure's
    renderer, that renderer's table of generated renderers per class: one found there is called directly,
    as the structure's renderer calls it."""
    lines = [
        "def render(value):",
        "    own = value.__dict__",
        "    if own.keys() != KEYS:",
        "        return chain(value)",
    ]
    lines += ["    parts = []", "    append = parts.append"]
    chain = ["def chain(value):", "    own = value.__dict__", "    parts = []", "    append = parts.append"]
    namespace: dict[str, Any] = {"MISSING": MISSING, "getattr": getattr, "KEYS": keys, "text_of": text_of, "str": str}
    namespace.update(escape=escape, int=int, type=type)
    for index, (member, lookup) in enumerate(zip(members, lookups, strict=True)):
        indent = "    "
        for position, (name, on_class) in enumerate(lookup):
            read = f"getattr(value, {name!r}, MISSING)" if on_class else f"own.get({name!r}, MISSING)"
            if position == 0:
                chain.append(f"{indent}v = {read}")
            else:
                chain.append(f"{indent}if v is MISSING:")
                indent += "    "
                chain.append(f"{indent}v = {read}")
        chain += ["    if v is MISSING:", "        v = None"]  # every member has a name to look up
        lines += _known_keys_read(cls, lookup, keys)
        namespace[f"render_{index}"] = member.render
        name = member.xml_name
        tail = []
        if member.transform is not None:
            namespace[f"transform_{index}"] = member.transform
            tail.append(f"    v = transform_{index}(v)")
        table = tables[index]
        if table is not None:
            namespace[f"table_{index}"] = table
        tail += _write(index, member.render, name, table is not None)
        lines += tail
        chain += tail
    lines.append("    return ''.join(parts)")
    chain.append("    return ''.join(parts)")
    exec(compile("\n".join(chain + lines), f"<serializer {shape_name}>", "exec"), namespace)
    function: Render = namespace["render"]
    return function


def _write(index: int, render: Render, name: str, table: bool) -> list[str]:
    """The lines writing member ``index`` (its value in ``v``) as ``render`` would, strings and integers
    inline (the text of ``string`` and ``integer``; an integer's text is never empty), a structure through
    its generated renderer for the value's class when there is one (``table_<index>``)."""
    opening, closing, empty = f"<{name}>", f"</{name}>", f"<{name}/>"
    if render is string:
        return [
            "    if v is not None:",
            "        if type(v) is not str:",
            "            v = text_of(v)",
            "        if '&' in v or '<' in v or '>' in v:",
            "            v = escape(v)",
            f"        append({empty!r} if v == '' else {opening!r} + v + {closing!r})",
        ]
    if render is integer:
        return ["    if v is not None:", f"        append({opening!r} + str(int(v)) + {closing!r})"]
    if table:
        return [
            "    if v is not None:",
            f"        f = table_{index}.get(type(v))",
            f"        c = f(v) if f is not None else render_{index}(v)",
            f"        append({empty!r} if c == '' else {opening!r} + c + {closing!r})",
        ]
    return [
        "    if v is not None:",
        f"        c = render_{index}(v)",
        f"        append({empty!r} if c == '' else {opening!r} + c + {closing!r})",
    ]


def _known_keys_read(cls: type, lookup: tuple[tuple[str, bool], ...], keys: frozenset[str]) -> list[str]:
    """The lines reading a member from a value of ``cls`` whose instance attributes are exactly ``keys``.

    A candidate neither on the class nor in ``keys`` cannot be found: skipped. One in ``keys`` is found in
    the instance dictionary (unless the class has a data descriptor of that name, which ``getattr`` asks
    first): read there, and the search ends. Any other name the class defines is read with ``getattr`` and
    the search goes on if it is missing, as the chain does."""
    lines: list[str] = []
    indent = "    "
    for name, on_class in lookup:
        if name in keys and not (on_class and _data_descriptor(cls, name)):
            lines.append(f"{indent}v = own[{name!r}]")
            break
        if not on_class:
            continue
        lines.append(f"{indent}v = getattr(value, {name!r}, MISSING)")
        lines.append(f"{indent}if v is MISSING:")
        indent += "    "
    else:
        lines.append(f"{indent}v = None")
    return lines


def _data_descriptor(cls: type, name: str) -> bool:
    found = inspect.getattr_static(cls, name, None)
    return hasattr(type(found), "__set__") or hasattr(type(found), "__delete__")


def plain_class(cls: type) -> bool:
    """No custom attribute lookup: ``getattr`` finds class attributes, else the instance dictionary."""
    overrides = [klass for klass in cls.__mro__ if klass is not object and "__getattribute__" in vars(klass)]
    return not overrides and not hasattr(cls, "__getattr__")
