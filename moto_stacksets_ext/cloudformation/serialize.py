"""A fast XML renderer for the plugin's own CloudFormation actions, compiled once per output shape.

moto's generic ``QuerySerializer`` walks the botocore model for every value of every response: for each
structure member it builds an ``AttributePickerContext``, asks six alias providers for candidate names
(each with and without ``xform_name``), matches the member's key path against every response
transformer, then builds a dict tree that ``xmltodict`` turns into text. A 100-item page costs about
19,000 ``get_value`` calls.

This module does that work once per (operation, response transformers): it compiles the operation's
output shape into nested closures that know, per member, its XML name, its static candidate names, the
transformer that applies to it (if any), and how to render its type, and it resolves the per-class
candidates (moto's ``Meta.serialization_aliases`` and class-name prefix aliases) once per class. The text
it writes is the text moto's serializer writes, byte for byte: ``tests/aws/test_serialize.py`` checks that
for every action the plugin serves, over generated values (``hypothesis``), and over the engine's real
objects.

``render`` is the one seam: ``StackSetsResponse.serialized`` asks it first and falls back to moto's
serializer whenever it declines (errors, JSON or pretty-printed responses, a shape feature it does not
model, an action the plugin does not serve, or a moto whose attribute picking differs from the one
modelled here).
"""

from __future__ import annotations

import base64
import inspect
import threading
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from botocore import xform_name
from botocore.utils import parse_to_aware_datetime
from moto import settings
from moto.core import serialize as moto_serialize
from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import get_service_model
from moto.core.utils import get_value as moto_get_value

#: Renders a value as an element's content: text or child elements ("" for an empty element).
Render = Callable[[Any], str]
Transformers = Mapping[str, Callable[[Any], Any]]

_SERVICE = "cloudformation"
_ISO8601 = "%Y-%m-%dT%H:%M:%SZ"
_ISO8601_MICRO = "%Y-%m-%dT%H:%M:%S.%fZ"
MISSING = object()
_REQUEST_ID = "request-id"  # moto's SerializationContext default; moto's _enrich_response may rewrite it


class Unsupported(Exception):
    """The shape uses a serialization feature this renderer does not model (moto's serializer is used)."""


def _moto_picks_like_this_module() -> bool:
    """Whether the installed moto picks attributes the way this module models (else: always moto's path)."""
    providers = getattr(moto_serialize, "DEFAULT_ALIAS_PROVIDERS", None)
    expected = ["ExplicitAlias", "ShapeNameAlias", "NoAlias", "ShapePrefixAlias", "ClassPrefixAlias", "ModelAlias"]
    return (
        isinstance(providers, list)
        and [p.__name__ for p in providers] == expected
        and hasattr(moto_serialize, "XFormedAttributePicker")
        and hasattr(moto_serialize, "QuerySerializer")
    )


_ENABLED = _moto_picks_like_this_module()


# -- scalars ------------------------------------------------------------------------------------------
def _string(value: Any) -> str:
    text = value if type(value) is str else str(value)
    if "&" in text or "<" in text or ">" in text:  # all that escape() replaces
        return escape(text)
    return text


def _boolean(value: Any) -> str:
    return "true" if value is True or str(value).lower() == "true" else "false"


def _integer(value: Any) -> str:
    return str(int(value))


def _float(value: Any) -> str:
    return str(float(value))


def _timestamp_iso8601(value: Any) -> str:
    if type(value) is datetime and value.year >= 1000:  # isoformat and strftime agree from year 1000
        zone = value.tzinfo
        if zone is None:
            return value.isoformat() + "Z"
        if zone is timezone.utc:
            return value.isoformat()[:-6] + "Z"  # without "+00:00"
    if type(value) is not datetime or value.tzinfo is not None:
        value = parse_to_aware_datetime(value)
    return str(value.strftime(_ISO8601_MICRO if value.microsecond > 0 else _ISO8601))


def _timestamp(timestamp_format: str) -> Render:
    if timestamp_format.lower() == "iso8601":
        return _timestamp_iso8601
    converter = moto_serialize.TimestampSerializer(timestamp_format)

    def render(value: Any) -> str:
        return escape(str(converter._convert_timestamp_to_str(value, timestamp_format)))

    return render


def _blob(value: Any) -> str:
    if isinstance(value, str):
        value = value.encode("utf-8")
    return base64.b64encode(value).strip().decode("utf-8")


def _raw(value: Any) -> str:
    """moto's default: the value as it is, converted by xmltodict."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return escape(bytes(value).decode("utf-8", errors="replace"))
    return escape(str(value))


def _element(name: str, content: str) -> str:
    return f"<{name}/>" if content == "" else f"<{name}>{content}</{name}>"


# -- attribute picking (moto's alias providers, resolved once per member and class) --------------------
class _Member:
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
        if hasattr(obj, "__getitem__") or not hasattr(obj, "__dict__") or not _plain_class(cls):
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

        elif _plain_class(cls) and hasattr(obj, "__dict__"):
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


def _generate(
    shape_name: str,
    cls: type,
    members: list[_Member],
    lookups: list[tuple[tuple[str, bool], ...]],
    keys: frozenset[str],
) -> Render:
    """A structure's renderer for one plain class, as straight-line Python: the same lookups, transforms
    and elements as the generic renderer, without a call per member to find its value.

    ``keys`` are the instance attributes of the first value seen. Values with exactly those (every value
    of a dataclass, say) take a shorter path: each member's first candidate name that such a value can
    have is known, so it is read once instead of trying the names before it. Any other value takes the
    path that tries every name in moto's order."""
    lines = [
        "def render(value):",
        "    own = value.__dict__",
        "    if own.keys() != KEYS:",
        "        return chain(value)",
    ]
    lines += ["    parts = []", "    append = parts.append"]
    chain = ["def chain(value):", "    own = value.__dict__", "    parts = []", "    append = parts.append"]
    namespace: dict[str, Any] = {"MISSING": MISSING, "getattr": getattr, "KEYS": keys}
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
        tail += [
            "    if v is not None:",
            f"        c = render_{index}(v)",
            f"        append({f'<{name}/>'!r} if c == '' else {f'<{name}>'!r} + c + {f'</{name}>'!r})",
        ]
        lines += tail
        chain += tail
    lines.append("    return ''.join(parts)")
    chain.append("    return ''.join(parts)")
    exec(compile("\n".join(chain + lines), f"<serializer {shape_name}>", "exec"), namespace)
    function: Render = namespace["render"]
    return function


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


def _plain_class(cls: type) -> bool:
    """No custom attribute lookup: ``getattr`` finds class attributes, else the instance dictionary."""
    overrides = [klass for klass in cls.__mro__ if klass is not object and "__getattribute__" in vars(klass)]
    return not overrides and not hasattr(cls, "__getattr__")


# -- compiling shapes ---------------------------------------------------------------------------------
class _Compiler:
    def __init__(self, transformers: Transformers) -> None:
        self.transformers = list(transformers.items())

    def transformer_for(self, key_path: str) -> Callable[[Any], Any] | None:
        for path, transform in self.transformers:
            if key_path.endswith(path):
                return transform
        return None

    def shape(self, shape: Any, path: tuple[str, ...]) -> Render:
        serialization = shape.serialization
        if serialization.get("xmlNamespace") or serialization.get("xmlAttribute") or serialization.get("flattened"):
            raise Unsupported(f"{shape.name}: {sorted(serialization)}")
        kind = shape.type_name
        if kind == "structure":
            return self.structure(shape, path)
        if kind == "list":
            return self.list(shape, path)
        if kind == "map":
            return self.map(shape, path)
        if kind == "string":
            return _string
        if kind == "boolean":
            return _boolean
        if kind in ("integer", "long"):
            return _integer
        if kind in ("float", "double"):
            return _float
        if kind == "timestamp":
            default = moto_serialize.ResponseSerializer.DEFAULT_TIMESTAMP_FORMAT
            return _timestamp(serialization.get("timestampFormat", default))
        if kind == "blob":
            return _blob
        return _raw

    def structure(self, shape: Any, path: tuple[str, ...]) -> Render:
        members: list[_Member] = []
        member_shapes = shape.members
        for key, member_shape in member_shapes.items():
            members.append(self.member(shape, member_shapes, key, member_shape, path))

        # Per class of value: (getter, transform, render, "<Name>", "</Name>", "<Name/>") for every member.
        Plan = list[tuple[Callable[[Any], Any], Callable[[Any], Any] | None, Render, str, str, str]]
        plans: dict[type, Plan] = {}
        lock = threading.Lock()

        generated: dict[type, Render] = {}

        def generated_for(value: Any) -> Render | None:
            cls = type(value)
            if hasattr(value, "__getitem__") or not hasattr(value, "__dict__") or not _plain_class(cls):
                return None
            lookups = [member.plain_lookups(value) for member in members]
            if any(lookup is None for lookup in lookups):
                return None
            function = _generate(
                shape.name, cls, members, [lookup for lookup in lookups if lookup is not None], frozenset(vars(value))
            )
            with lock:
                generated[type(value)] = function
            return function

        def plan_for(value: Any) -> Plan:
            plan: Plan = []
            cacheable = True
            for member in members:
                getter, for_class = member.getter(value)
                cacheable = cacheable and for_class
                name = member.xml_name
                plan.append((getter, member.transform, member.render, f"<{name}>", f"</{name}>", f"<{name}/>"))
            if cacheable:
                with lock:
                    plans[type(value)] = plan
            return plan

        def render(value: Any) -> str:
            function = generated.get(type(value))
            if function is not None:
                return function(value)
            if type(value) not in plans:
                function = generated_for(value)
                if function is not None:
                    return function(value)
            plan = plans.get(type(value)) or plan_for(value)
            parts: list[str] = []
            for getter, transform, render_member, opening, closing, empty in plan:
                member_value = getter(value)
                if transform is not None:
                    member_value = transform(member_value)
                if member_value is None:
                    continue
                content = render_member(member_value)
                parts.append(empty if content == "" else opening + content + closing)
            return "".join(parts)

        return render

    def member(self, parent: Any, siblings: Mapping[str, Any], key: str, shape: Any, path: tuple[str, ...]) -> _Member:
        serialized_name = shape.serialization.get("name", key)
        before: list[str] = []
        if shape.type_name in ("list", "structure") and shape.name not in siblings and key != shape.name:
            before.append(shape.name)  # ShapeNameAlias
        before.append(key)  # NoAlias
        if key.lower().startswith(parent.name.lower()) and key[len(parent.name) :] not in siblings:
            before.append(key[len(parent.name) :])  # ShapePrefixAlias
        after = (serialized_name,) if serialized_name != key else ()  # ModelAlias
        member_path = (*path, key)
        return _Member(
            key=key,
            xml_name=serialized_name,
            before_class=tuple(before),
            after_class=after,
            transform=self.transformer_for(".".join(member_path)),
            render=self.shape(shape, member_path),
        )

    def list(self, shape: Any, path: tuple[str, ...]) -> Render:
        item_shape = shape.member
        item_path = (*path, item_shape.name)
        item_render = self.shape(item_shape, item_path)  # transformers apply to structure members only
        item_name = item_shape.serialization.get("name", "member")
        drops_empty = item_shape.type_name == "structure"

        opening, closing, empty = f"<{item_name}>", f"</{item_name}>", f"<{item_name}/>"

        def render(value: Any) -> str:
            parts: list[str] = []
            for item in value:
                if drops_empty and item is None:
                    continue
                content = item_render(item)
                if content == "":
                    if drops_empty:
                        continue  # moto drops items that serialize to {}
                    parts.append(empty)
                else:
                    parts.append(opening + content + closing)
            return "".join(parts)

        return render

    def map(self, shape: Any, path: tuple[str, ...]) -> Render:
        key_render = self.shape(shape.key, (*path, "key"))
        value_render = self.shape(shape.value, (*path, "value"))
        key_name = shape.key.serialization.get("name", "key")
        value_name = shape.value.serialization.get("name", "value")

        def render(value: Any) -> str:
            parts: list[str] = []
            for k, v in value.items():
                if v is None:
                    continue
                parts.append(
                    f"<entry>{_element(key_name, key_render(k))}{_element(value_name, value_render(v))}</entry>"
                )
            return "".join(parts)

        return render


class _Operation:
    """An operation's compiled response: ``body(result)`` is the XML text moto's serializer would write."""

    def __init__(self, operation_model: Any, transformers: Transformers) -> None:
        name = str(operation_model.name)
        output = operation_model.output_shape
        namespace = operation_model.metadata.get("xmlNamespace")
        attributes = f" xmlns={quoteattr(namespace)}" if namespace else ""
        self.status = int(operation_model.http.get("responseCode", 200))
        self._open = f"<{name}Response{attributes}>"
        self._close = f"<ResponseMetadata><RequestId>{_REQUEST_ID}</RequestId></ResponseMetadata></{name}Response>"
        self._result: Render | None = None
        self._wrapper = ""
        if output is not None:
            self._wrapper = output.serialization.get("resultWrapper", f"{output.name}Result")
            self._result = _Compiler(transformers).structure(output, (name, output.name))

    def body(self, result: Any) -> str:
        if self._result is None:
            return self._open + self._close
        content = "" if result is None else self._result(result)
        return self._open + _element(self._wrapper, content) + self._close


_cache_lock = threading.Lock()
_compiled: dict[tuple[str, tuple[tuple[str, Any], ...]], _Operation | None] = {}
_model: Any = None


def _service_model() -> Any:
    global _model
    if _model is None:
        _model = get_service_model(_SERVICE)
    return _model


def compiled(action: str, transformers: Transformers) -> _Operation | None:
    """The compiled response of ``action`` under ``transformers`` (None: moto's serializer must render it)."""
    key = (action, tuple(transformers.items()))
    try:
        return _compiled[key]
    except KeyError:
        pass
    try:
        operation: _Operation | None = _Operation(_service_model().operation_model(action), transformers)
    except Unsupported:
        operation = None
    with _cache_lock:
        _compiled[key] = operation
    return operation


def render(response: Any, action: str, action_result: ActionResult) -> tuple[int, dict[str, str], str] | None:
    """``(status, headers, body)`` for ``action_result`` of ``action``, or None when moto's serializer
    should render it (see the module's docstring)."""
    if not _ENABLED or type(action_result) not in (ActionResult, EmptyResult) or settings.PRETTIFY_RESPONSES:
        return None
    result = action_result.result
    if isinstance(result, Exception):
        return None
    if response.determine_response_protocol(_service_model()) != "query":
        return None
    operation = compiled(action, response.RESPONSE_KEY_PATH_TO_TRANSFORMER)
    if operation is None:
        return None
    return operation.status, {"Content-Type": "text/xml"}, operation.body(result)
