"""Terraform templates of RFS stacks: ``.tf.json`` (JSON syntax) or HCL ``.tf`` (read with ``python-hcl2``).

RFS deploys Terraform. The mock reads what a stack is made of: its ``resource`` and ``data`` blocks (expanded by
a literal or var-given ``count`` / ``for_each``), its ``variable`` defaults and its ``output`` blocks, and resolves
values that are literal or simple references: ``var.<name>``, ``<type>.<name>[<index>].<attribute>`` and
``data.<type>.<name>.<attribute>`` (``id`` is the resource's physical id, other attributes their literal
configuration), alone or interpolated in a string. Anything else (functions, operators, locals, modules) is
left unresolved: an output whose value needs it has no value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from .. import jsonsafe

Value = object
MAX_TEMPLATE_BYTES = 1024 * 1024


class TemplateError(ValueError):
    """The template (or vars body) cannot be read; the message says why."""


class _Unresolved(Exception):
    pass


@dataclass(frozen=True)
class TfResource:
    """One resource instance of the template (a ``count``/``for_each`` block gives one per index)."""

    type: str
    name: str
    mode: str  # "RESOURCE" or "DATA", RFS's ExecutionPlanItem.mode words
    index: str | None
    config: Mapping[str, Value]

    @property
    def address(self) -> str:
        base = f"{self.type}.{self.name}" if self.mode == "RESOURCE" else f"data.{self.type}.{self.name}"
        if self.index is None:
            return base
        return f"{base}[{self.index}]" if self.index.isdigit() else f'{base}["{self.index}"]'


@dataclass(frozen=True)
class TfOutput:
    name: str
    expression: Value
    description: str | None = None
    sensitive: bool = False


@dataclass(frozen=True)
class TfTemplate:
    resources: tuple[TfResource, ...] = ()
    outputs: tuple[TfOutput, ...] = ()
    #: Declared variables and their defaults (None: no default).
    variables: Mapping[str, Value] = field(default_factory=dict)


# -- reading ------------------------------------------------------------------------------------------------
def _hcl(text: str) -> dict[str, object]:
    import hcl2
    from hcl2 import SerializationOptions

    options = SerializationOptions(strip_string_quotes=True, explicit_blocks=False, with_comments=False)
    try:
        found = hcl2.loads(text, serialization_options=options)
    except Exception as error:  # python-hcl2 raises lark's parse errors and its own
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise TemplateError(f"The template is neither valid JSON nor valid HCL: {first}") from error
    return dict(found)


def _document(text: str) -> dict[str, object]:
    if len(text.encode()) > MAX_TEMPLATE_BYTES:
        raise TemplateError("The template is larger than 1 MB.")
    if text.lstrip().startswith("{"):
        try:
            decoded = jsonsafe.loads(text)
        except ValueError as error:
            raise TemplateError(f"The template is not valid JSON: {error}") from error
        if not isinstance(decoded, dict):
            raise TemplateError("A .tf.json template must be a JSON object.")
        return decoded
    return _hcl(text)


def _labelled(value: object, labels: int, where: str) -> Iterator[tuple[tuple[str, ...], dict[str, object]]]:
    """The blocks of a top-level key, JSON or HCL shape alike: ``labels`` nested names, then a body."""
    if isinstance(value, list):
        for item in value:
            yield from _labelled(item, labels, where)
        return
    if not isinstance(value, dict):
        raise TemplateError(f"{where} must be an object.")
    if labels == 0:
        yield (), value
        return
    for name, inner in value.items():
        for rest, body in _labelled(inner, labels - 1, f"{where}.{name}"):
            yield (str(name), *rest), body


def parse_template(text: str, vars_given: Mapping[str, Value] | None = None) -> TfTemplate:
    """Read a template; ``vars_given`` (the stack's vars) decide var-given ``count``/``for_each``."""
    document = _document(text)
    variables: dict[str, Value] = {}
    for (name,), body in _labelled(document.get("variable", {}), 1, "variable"):
        variables[name] = body.get("default")
    scope = Scope({**variables, **(vars_given or {})}, {})
    resources: list[TfResource] = []
    for key, mode in (("resource", "RESOURCE"), ("data", "DATA")):
        for (kind, name), body in _labelled(document.get(key, {}), 2, key):
            for index in _indexes(body, scope):
                config = {k: v for k, v in body.items() if k not in ("count", "for_each")}
                resources.append(TfResource(kind, name, mode, index, config))
    outputs: list[TfOutput] = []
    for (name,), body in _labelled(document.get("output", {}), 1, "output"):
        description = body.get("description")
        sensitive = body.get("sensitive") is True or body.get("sensitive") == "true"
        outputs.append(
            TfOutput(name, body.get("value"), description if isinstance(description, str) else None, sensitive)
        )
    return TfTemplate(tuple(resources), tuple(outputs), variables)


def _indexes(body: Mapping[str, Value], scope: Scope) -> list[str | None]:
    if "count" in body:
        try:
            count = scope.resolve(body["count"])
        except _Unresolved:
            return [None]
        if isinstance(count, str) and count.isdigit():
            count = int(count)
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise TemplateError(f"count must be a whole number, not {body['count']!r}.")
        return [str(n) for n in range(count)]
    if "for_each" in body:
        try:
            each = scope.resolve(body["for_each"])
        except _Unresolved:
            return [None]
        if isinstance(each, dict):
            return [str(key) for key in each]
        if isinstance(each, list) and all(isinstance(item, str) for item in each):
            return [str(item) for item in dict.fromkeys(each)]
        raise TemplateError("for_each must be a map or a set of strings.")
    return [None]


def parse_vars(text: str) -> dict[str, Value]:
    """A ``vars_body`` (tfvars: HCL ``name = value`` lines, or a JSON object) as typed values."""
    if not text.strip():
        return {}
    try:
        document = _document(text)
    except TemplateError as error:
        raise TemplateError(str(error).replace("template", "vars body")) from error
    return dict(document)


# -- resolving ----------------------------------------------------------------------------------------------
_INTERPOLATION = re.compile(r"\$\{([^{}]*)\}")
_NAME = r"[A-Za-z_][A-Za-z0-9_-]*"
_REFERENCE = re.compile(
    rf"(?:(?P<data>data)\.)?(?P<type>{_NAME})\.(?P<name>{_NAME})"
    rf"(?:\[(?:(?P<num>[0-9]+)|\"(?P<key>[^\"]*)\")\])?\.(?P<attr>{_NAME})"
)
_VAR = re.compile(rf"var\.(?P<name>{_NAME})")

#: The physical id of a resource instance by address.
IdOf = Callable[[TfResource], str]


@dataclass
class Scope:
    """What references resolve against: the vars and the resources (by address) with their ids."""

    variables: Mapping[str, Value]
    resources: Mapping[str, tuple[TfResource, str]]
    depth: int = 0

    def resolve(self, value: Value) -> Value:
        """The value with its references resolved (``_Unresolved`` when one cannot be)."""
        if isinstance(value, dict):
            return {str(k): self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if not isinstance(value, str):
            return value
        whole = _INTERPOLATION.fullmatch(value)
        if whole is not None:
            return self._expression(whole[1].strip())
        return _INTERPOLATION.sub(lambda m: _text(self._expression(m[1].strip())), value)

    def _expression(self, expression: str) -> Value:
        if self.depth > 16:
            raise _Unresolved
        var = _VAR.fullmatch(expression)
        if var is not None:
            if var["name"] not in self.variables or self.variables[var["name"]] is None:
                raise _Unresolved
            return self.variables[var["name"]]
        ref = _REFERENCE.fullmatch(expression)
        if ref is None:
            return _literal(expression)
        index = ref["num"] if ref["num"] is not None else ref["key"]
        mode = "DATA" if ref["data"] else "RESOURCE"
        address = TfResource(ref["type"], ref["name"], mode, index, {}).address
        found = self.resources.get(address)
        if found is None:
            raise _Unresolved
        resource, physical_id = found
        if ref["attr"] == "id":
            return physical_id
        if ref["attr"] not in resource.config:
            raise _Unresolved
        return Scope(self.variables, self.resources, self.depth + 1).resolve(resource.config[ref["attr"]])


def _literal(expression: str) -> Value:
    if re.fullmatch(r"-?[0-9]+", expression):
        return int(expression)
    if expression in ("true", "false"):
        return expression == "true"
    if len(expression) >= 2 and expression[0] == expression[-1] == '"' and "${" not in expression:
        return expression[1:-1]
    raise _Unresolved


def _text(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        raise _Unresolved
    return str(value)


def resolved(scope: Scope, value: Value) -> tuple[bool, Value]:
    """(True, value) when ``value`` resolves, else (False, None)."""
    try:
        return True, scope.resolve(value)
    except _Unresolved:
        return False, None


def type_of(value: Value) -> str:
    """Terraform's type word of a resolved value (StackOutput.type)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, list):
        return "tuple"
    if isinstance(value, dict):
        return "object"
    return "string"
