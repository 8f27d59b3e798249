"""RFS facts the engine keeps for the front-end, in the engine's typed slots.

The front-end holds no state: what RFS knows about a stack set beyond the engine's neutral fields rides on
the engine objects themselves.

* ``RfsStackSetProperties`` is the stack set's ``provider_properties``: agencies, vars and the initial
  stack description. The stack set's times are the engine's ``created_at``/``updated_at``; RFS's
  ``managed_operation.enable_parallel_operation`` is the engine's ``managed_execution.active``.
* An operation's ``deployment_targets`` are the engine's ``.engine.model.DeploymentTargets``, with
  the regions as sent.
* ``VarsUriOverride`` is an instance override pointing at a vars file (``var_overrides.vars_uri``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..engine.model import Parameter, StackSet


@dataclass(frozen=True)
class RfsStackSetProperties:
    initial_stack_description: str | None = None
    administration_agency_name: str | None = None
    administration_agency_urn: str | None = None
    managed_agency_name: str | None = None
    vars_uri: str | None = None
    vars_body: str | None = None
    #: The vars the stack set records (names), from ``vars_body``.
    var_names: list[str] = field(default_factory=list)


@dataclass
class VarsUriOverride(Parameter):
    """An override naming a vars file rather than one var (``parameter_value`` is the URI)."""


VARS_URI_KEY = "vars_uri"


def properties(stack_set: StackSet) -> RfsStackSetProperties:
    """The RFS properties of a stack set (defaults for one the RFS front-end did not create)."""
    found = stack_set.provider_properties
    if isinstance(found, RfsStackSetProperties):
        return found
    return RfsStackSetProperties()
