"""RFS vars: ``vars_body`` (HCL tfvars text) and ``var_overrides`` on stack instances.

Only the vars' names matter to RFS's rules (an override may name only vars the stack set records), so a
tfvars body is read as a sequence of top-level ``name = value`` assignments; a value may span lines while
brackets are open. The text is kept as sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..engine.model import Parameter
from .errors import INVALID_VALUE, INVALID_VARS, RfsError
from .params import Body
from .state import VARS_URI_KEY, VarsUriOverride

MAX_VARS_BODY = 51200
_ASSIGNMENT = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=(?!=)\s*(.*)")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
VAR_OVERRIDE_FIELDS = ("vars_uri", "vars_body", "use_stack_set_vars")


def parse_vars(text: str) -> list[Parameter]:
    """The vars of a tfvars body, in order, each value as written."""
    found: list[Parameter] = []
    current: Parameter | None = None
    depth = 0
    for line in text.splitlines():
        stripped = line.strip()
        if depth == 0:
            if not stripped or stripped.startswith(("#", "//")):
                continue
            match = _ASSIGNMENT.fullmatch(line)
            if match is None or not match[2].strip():
                raise RfsError(INVALID_VARS, f"Cannot read the line {stripped!r}: expected name = value.")
            if any(p.parameter_key == match[1] for p in found):
                raise RfsError(INVALID_VARS, f"The var {match[1]} is declared more than once.")
            current = Parameter(match[1], match[2].strip())
            found.append(current)
        elif current is not None:
            current.parameter_value = f"{current.parameter_value}\n{line}"
        depth += _bracket_balance(stripped)
        if depth < 0:
            raise RfsError(INVALID_VARS, "Unbalanced brackets.")
    if depth != 0:
        raise RfsError(INVALID_VARS, "Unbalanced brackets.")
    return found


def _bracket_balance(line: str) -> int:
    bare = _STRING.sub('""', line)
    return sum(bare.count(c) for c in "[{(") - sum(bare.count(c) for c in "]})")


def render_vars(parameters: list[Parameter]) -> str:
    return "\n".join(f"{p.parameter_key} = {p.parameter_value}" for p in parameters)


@dataclass(frozen=True)
class VarOverrides:
    """The ``var_overrides`` of an operation call: what the instances get, and the vars it names."""

    overrides: list[Parameter]
    #: The vars named (overridden or reset): each must be one the stack set records.
    named: list[str]

    def check_recorded(self, recorded: list[str]) -> None:
        for name in self.named:
            if name not in recorded:
                raise RfsError(INVALID_VALUE, f"The var {name} is not recorded by the stack set.")


def var_overrides(raw: Body | None) -> VarOverrides | None:
    """The instances' overrides an operation applies (None: keep theirs).

    ``vars_body`` overrides vars the stack set records (400 for any other: ``VarOverrides.check_recorded``,
    on the stack set found); ``use_stack_set_vars`` names vars that go back to the stack set's values
    (they are left out of the overrides); ``vars_uri`` is kept as given (the mock cannot read OBS).
    """
    if raw is None:
        return None
    body = raw.string("vars_body", 0, MAX_VARS_BODY)
    uri = raw.string("vars_uri", 0, 2048)
    reset = raw.strings("use_stack_set_vars") or []
    overrides = parse_vars(body) if body else []
    clash = sorted({p.parameter_key for p in overrides} & set(reset))
    if clash:
        raise RfsError(INVALID_VALUE, f"The var(s) {', '.join(clash)} are both overridden and reset.")
    result: list[Parameter] = [p for p in overrides if p.parameter_key not in reset]
    if uri:
        result.append(VarsUriOverride(VARS_URI_KEY, uri))
    return VarOverrides(result, [p.parameter_key for p in overrides] + reset)


def render_overrides(parameters: list[Parameter]) -> dict[str, object]:
    """``var_overrides`` of ShowStackInstance."""
    rendered: dict[str, object] = {}
    plain = [p for p in parameters if not isinstance(p, VarsUriOverride)]
    if plain:
        rendered["vars_body"] = render_vars(plain)
    for p in parameters:
        if isinstance(p, VarsUriOverride):
            rendered["vars_uri"] = p.parameter_value
    return rendered
