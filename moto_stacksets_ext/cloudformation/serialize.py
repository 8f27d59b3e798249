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

import threading
from collections.abc import Callable, Mapping
from typing import Any
from xml.sax.saxutils import quoteattr

from moto import settings
from moto.core import serialize as moto_serialize
from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import get_service_model

from .serialize_members import (
    Member,
    Render,
    blob,
    boolean,
    element,
    float_,
    generate,
    integer,
    plain_class,
    raw,
    string,
    timestamp,
)

Transformers = Mapping[str, Callable[[Any], Any]]

_SERVICE = "cloudformation"
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


# -- compiling shapes ---------------------------------------------------------------------------------
#: A structure's renderer -> its renderers generated per class, so that a generated renderer calls a member
#: structure's generated renderer directly (what the structure's renderer would call first).
_generated_by: dict[Render, Mapping[type, Render]] = {}


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
            return string
        if kind == "boolean":
            return boolean
        if kind in ("integer", "long"):
            return integer
        if kind in ("float", "double"):
            return float_
        if kind == "timestamp":
            default = moto_serialize.ResponseSerializer.DEFAULT_TIMESTAMP_FORMAT
            return timestamp(serialization.get("timestampFormat", default))
        if kind == "blob":
            return blob
        return raw

    def structure(self, shape: Any, path: tuple[str, ...]) -> Render:
        members: list[Member] = []
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
            if hasattr(value, "__getitem__") or not hasattr(value, "__dict__") or not plain_class(cls):
                return None
            lookups = [member.plain_lookups(value) for member in members]
            if any(lookup is None for lookup in lookups):
                return None
            function = generate(
                shape.name,
                cls,
                members,
                [lookup for lookup in lookups if lookup is not None],
                frozenset(vars(value)),
                [_generated_by.get(member.render) for member in members],
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

        _generated_by[render] = generated
        return render

    def member(self, parent: Any, siblings: Mapping[str, Any], key: str, shape: Any, path: tuple[str, ...]) -> Member:
        serialized_name = shape.serialization.get("name", key)
        before: list[str] = []
        if shape.type_name in ("list", "structure") and shape.name not in siblings and key != shape.name:
            before.append(shape.name)  # ShapeNameAlias
        before.append(key)  # NoAlias
        if key.lower().startswith(parent.name.lower()) and key[len(parent.name) :] not in siblings:
            before.append(key[len(parent.name) :])  # ShapePrefixAlias
        after = (serialized_name,) if serialized_name != key else ()  # ModelAlias
        member_path = (*path, key)
        return Member(
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
                parts.append(f"<entry>{element(key_name, key_render(k))}{element(value_name, value_render(v))}</entry>")
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
        return self._open + element(self._wrapper, content) + self._close


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
