"""The compiled serializer writes exactly what moto's serializer writes, for every action the plugin serves.

Values are generated from each action's output shape in botocore's model (``hypothesis``): dictionaries
keyed by AWS member names or by snake_case names, and objects of generated classes (with snake_case or
AWS-named attributes, named like the shape or not, so moto's class-prefix aliases come into play), with
members missing or None, empty and non-empty lists, strings with XML's special characters, booleans
written as strings, aware and naive timestamps. The real engine objects are cross-checked on every
response of the whole suite (``tests/conftest.py``).
"""

from __future__ import annotations

import string
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from botocore import xform_name
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto.core.serialize import QuerySerializer, XFormedAttributePicker, never_return
from moto.core.utils import get_service_model

from moto_stacksets_ext.cloudformation import serialize
from moto_stacksets_ext.cloudformation.responses import StackSetsResponse

MODEL = get_service_model("cloudformation")
RENDER = serialize.render  # the real one (tests/conftest.py wraps the module attribute to cross-check)
ACTIONS = sorted(StackSetsResponse.SERVED)
MAX_DEPTH = 5

CHARACTERS = string.ascii_letters + string.digits + "&<>\"' -_:/.\n\t\u00e9\u4e2d"
TEXT = st.text(alphabet=st.sampled_from(CHARACTERS), max_size=12)
ZONES = st.sampled_from([None, timezone.utc, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))])
TIMESTAMPS = st.builds(
    lambda moment, zone: moment.replace(tzinfo=zone),
    st.datetimes(min_value=datetime(2, 1, 2), max_value=datetime(2099, 12, 30)),
    ZONES,
)


def moto_writes(action: str, result: Any, transformers: dict[str, Any]) -> tuple[int, str]:
    serializer = QuerySerializer(
        operation_model=MODEL.operation_model(action),
        pretty_print=False,
        value_picker=XFormedAttributePicker(response_transformers=transformers),
    )
    written = serializer.serialize(result)
    return written["status_code"], str(written["body"])


def we_write(action: str, result: Any, transformers: dict[str, Any]) -> tuple[int, str]:
    operation = serialize.compiled(action, transformers)
    assert operation is not None, f"{action} is not compiled"
    return operation.status, operation.body(result)


_classes: dict[tuple[str, str], type] = {}


def _class(shape_name: str, style: str) -> type:
    """A plain class per shape and naming style (``Shape`` triggers moto's class-prefix aliases)."""
    key = (shape_name, style)
    if key not in _classes:
        _classes[key] = type(shape_name if style == "shape" else f"Generated{shape_name}", (), {})
    return _classes[key]


def _names(shape: Any, key: str, member_shape: Any) -> list[str]:
    """Every name moto's attribute picker may find a member under (in AWS and snake_case spelling)."""
    names = [key]
    if member_shape.type_name in ("list", "structure") and member_shape.name != key:
        names.append(member_shape.name)  # the member's shape name
    if key.lower().startswith(shape.name.lower()) and len(key) > len(shape.name):
        names.append(key[len(shape.name) :])  # the parent shape's (and a class named like it) prefix dropped
    return [spelling for name in names for spelling in (name, xform_name(name))]


def _structure(shape: Any, depth: int) -> st.SearchStrategy[Any]:
    members = list(shape.members.items())

    @st.composite
    def build(draw: Any) -> Any:
        style = draw(st.sampled_from(["dict", "object", "shape"]))
        values: dict[str, Any] = {}
        for key, member_shape in members:
            if draw(st.integers(0, 3)) == 0:
                continue  # member absent
            names = _names(shape, key, member_shape)
            # one name, sometimes two (which one moto prefers is then part of what is compared)
            for name in draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True)):
                values[name] = None if draw(st.integers(0, 7)) == 0 else draw(values_for(member_shape, depth + 1))
        if style == "dict":
            return values
        instance = _class(shape.name, style)()
        for name, value in values.items():
            setattr(instance, name, value)
        return instance

    return build()


def values_for(shape: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    kind = shape.type_name
    if kind == "structure":
        return st.none() if depth > MAX_DEPTH else _structure(shape, depth)
    if kind == "list":
        item = values_for(shape.member, depth + 1)
        return st.lists(st.none() | item if shape.member.type_name == "structure" else item, max_size=3)
    if kind == "map":
        return st.dictionaries(TEXT, st.none() | values_for(shape.value, depth + 1), max_size=3)
    if kind == "string":
        return TEXT | st.integers(-5, 5)
    if kind == "boolean":
        return st.booleans() | st.sampled_from(["true", "True", "false", "no"])
    if kind in ("integer", "long"):
        return st.integers(-(2**40), 2**40) | st.booleans() | st.sampled_from(["7", "-3"])
    if kind in ("float", "double"):
        return st.floats(allow_nan=False) | st.integers(-100, 100)
    if kind == "timestamp":
        return TIMESTAMPS
    if kind == "blob":
        return st.binary(max_size=8)
    raise AssertionError(f"no strategy for {kind}")


@pytest.mark.parametrize("action", ACTIONS)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_served_action_is_written_as_moto_writes_it(action: str, data: Any) -> None:
    output = MODEL.operation_model(action).output_shape
    result = None if output is None else data.draw(values_for(output), label="result")
    transformers = StackSetsResponse.RESPONSE_KEY_PATH_TO_TRANSFORMER
    assert we_write(action, result, transformers) == moto_writes(action, result, transformers)


def _nested_paths(shape: Any, path: str, found: list[str]) -> list[str]:
    """Every member key path under ``shape`` (as moto names them: list items by the item shape's name)."""
    if shape.type_name == "structure":
        for key, member in shape.members.items():
            found.append(f"{path}.{key}")
            _nested_paths(member, f"{path}.{key}", found)
    elif shape.type_name == "list" and len(path.split(".")) < 8:
        _nested_paths(shape.member, f"{path}.{shape.member.name}", found)
    return found


@pytest.mark.parametrize("action", ["ListStackSetOperations", "DescribeStackSet", "ListHookResults"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_response_transformers_apply_where_moto_applies_them(action: str, data: Any) -> None:
    output = MODEL.operation_model(action).output_shape
    paths = _nested_paths(output, output.name, [])
    chosen = data.draw(st.lists(st.sampled_from(paths), min_size=1, max_size=3, unique=True), label="paths")
    transformers: dict[str, Any] = {path: never_return for path in chosen}
    transformers[f"{output.name}.NoSuchMember"] = lambda value: "unused"
    result = data.draw(values_for(output), label="result")
    assert we_write(action, result, transformers) == moto_writes(action, result, transformers)


def test_an_empty_result_and_a_missing_result_are_written_as_moto_writes_them() -> None:
    for action in ("DeleteStackSet", "StopStackSetOperation", "ListStackSetOperations"):
        assert we_write(action, None, {}) == moto_writes(action, None, {})
        assert we_write(action, {}, {}) == moto_writes(action, {}, {})


def test_declines_what_it_does_not_model() -> None:
    class Response:
        RESPONSE_KEY_PATH_TO_TRANSFORMER: dict[str, Any] = {}  # noqa: RUF012

        def __init__(self, protocol: str) -> None:
            self.protocol = protocol

        def determine_response_protocol(self, service_model: Any) -> str:
            return self.protocol

    from moto.core.responses import ActionResult

    class Paged(ActionResult):
        pass

    assert RENDER(Response("query-json"), "DescribeStackSet", ActionResult({})) is None  # ContentType=JSON
    assert RENDER(Response("query"), "DescribeStackSet", ActionResult(ValueError("x"))) is None  # errors
    assert RENDER(Response("query"), "DescribeStackSet", Paged({})) is None  # result subclasses
    rendered = RENDER(Response("query"), "DescribeStackSet", ActionResult({}))
    assert rendered is not None and rendered[0] == 200 and rendered[1] == {"Content-Type": "text/xml"}


def test_text_of_is_str_for_the_engines_vocabulary_and_anything_else() -> None:
    """``text_of`` reads a vocabulary member's value directly: the same text as ``str()``."""
    from enum import Enum

    from moto_stacksets_ext.cloudformation.serialize_members import text_of
    from moto_stacksets_ext.engine import vocabulary

    words = [
        member
        for kind in vars(vocabulary).values()
        if isinstance(kind, type) and issubclass(kind, vocabulary.Vocabulary) and kind is not vocabulary.Vocabulary
        for member in kind
    ]
    assert words
    for word in words:
        assert text_of(word) == str(word) and type(text_of(word)) is str

    class Loud(vocabulary.Vocabulary):
        YES = "yes"

        def __str__(self) -> str:
            return "LOUD"

    class Plain(Enum):
        ONE = 1

    for other in (Loud.YES, Plain.ONE, 12, 1.5, None, b"x"):
        assert text_of(other) == str(other)


def test_timestamps_written_once_are_written_the_same_again() -> None:
    """The kept texts of UTC and naive timestamps: the same as written afresh, for equal values of other
    zones, other folds and after the store empties itself."""
    from moto_stacksets_ext.cloudformation import serialize_members

    write = serialize_members._timestamp_iso8601
    utc = datetime(2026, 12, 7, 4, 29, 10, 113000, tzinfo=timezone.utc)
    values = [
        utc,
        utc.replace(tzinfo=None),
        utc.replace(microsecond=0),
        utc.replace(fold=1),
        utc.astimezone(timezone(timedelta(hours=5, minutes=30))),  # equal to ``utc``, written from its own zone
        datetime(999, 1, 2, tzinfo=timezone.utc),
    ]

    def fresh(value: datetime) -> str:
        serialize_members._WRITTEN.clear()
        return write(value)

    expected = [fresh(value) for value in values]
    assert expected[0] == "2026-12-07T04:29:10.113000Z" and expected[2] == "2026-12-07T04:29:10Z"
    serialize_members._WRITTEN.clear()
    for _ in range(2):
        assert [write(value) for value in values] == expected
    assert [write(value) for value in reversed(values)] == list(reversed(expected))
    for second in range(serialize_members._WRITTEN_MAX + 1):  # fills the store, which empties itself
        write(utc + timedelta(seconds=second))
    assert len(serialize_members._WRITTEN) <= serialize_members._WRITTEN_MAX
    assert [write(value) for value in values] == expected
