"""Parameter values given as "use the previous value", resolved against what was in force before."""

from __future__ import annotations

from .model import Parameter


def resolve_parameters(previous: list[Parameter], given: list[Parameter]) -> list[Parameter]:
    """``given`` with every ``use_previous_value`` entry replaced by the previous value of its key.

    An entry whose key had no previous value is left out, so the template's default (or, for an
    instance's overrides, the stack set's value) applies.
    """
    before = {p.parameter_key: p.parameter_value for p in previous if p.parameter_value is not None}
    resolved: list[Parameter] = []
    for parameter in given:
        if not parameter.use_previous_value:
            resolved.append(Parameter(parameter.parameter_key, parameter.parameter_value))
        elif parameter.parameter_key in before:
            resolved.append(Parameter(parameter.parameter_key, before[parameter.parameter_key]))
    return resolved
