"""The plugin's own resource types in moto's template parser (the one seam for them).

moto's ``moto.cloudformation.parsing.resource_class_from_type`` answers None (and logs "No Moto
CloudFormation support for ...") for a type moto has no model for, and moto then skips the resource: the
stack is ``CREATE_COMPLETE`` while nothing was made. The plugin serves its types through this module:

* ``register(model)``: a moto ``CloudFormationModel`` subclass whose ``cloudformation_type()`` names the
  type (``AWS::CloudFormation::StackSet``, the Hook types). A registered model takes precedence over moto's
  own model for that type. Subclass ``PluginModel`` rather than ``CloudFormationModel`` directly: moto lists
  the *direct* subclasses of ``CloudFormationModel`` as its models (``get_model_list``), so a direct subclass
  would keep serving its type after ``uninstall()``.
* ``set_fallback(factory)``: the last resort for a type neither a registered model nor moto serves
  (``factory(type)`` answers a model class, or None to leave the type unserved as moto does).

``plugin.install()`` calls ``patch()``, which replaces moto's ``parsing.resource_class_from_type`` and
``parsing.resource_name_property_from_type`` through ``moto_internals`` (checked by its contract);
``uninstall()`` calls ``unpatch()``, which restores moto's own. Registrations and the fallback are
process-wide and survive both (they are code, not state: a test's data never lives here).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from moto.core.common_models import CloudFormationModel

from .. import moto_internals

Model = type[CloudFormationModel]
Fallback = Callable[[str], "Model | None"]

__all__ = ["PluginModel", "patch", "register", "registered", "resolve", "set_fallback", "unpatch", "unregister"]

_lock = threading.RLock()
_registered: dict[str, Model] = {}
_fallback: Fallback | None = None


class PluginModel(CloudFormationModel):
    """The base of the plugin's template resource models (not a direct ``CloudFormationModel`` subclass, so
    moto's own model list never holds them: with the plugin uninstalled, moto serves its types alone).

    moto lists this class itself among its models under a type no template uses. moto's model metaclass files
    every model class under the second part of its module's dotted name (``moto_stacksets_ext.<part>...``):
    a subclass must live in a module with a dotted name."""

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @staticmethod
    def cloudformation_type() -> str:
        return "MotoStacksetsExt::Plugin::Model"

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return False

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Any:
        raise NotImplementedError(f"{cls.__name__} does not create {cls.cloudformation_type()}")

    def is_created(self) -> bool:
        return True


def register(model: Model) -> None:
    """Serve ``model.cloudformation_type()`` with ``model`` in every template (over moto's own model).
    Registering another model for the same type replaces the first."""
    type_name = model.cloudformation_type()
    if not isinstance(type_name, str) or "::" not in type_name:
        raise ValueError(f"{model.__name__}.cloudformation_type() must name a resource type, not {type_name!r}")
    with _lock:
        _registered[type_name] = model


def unregister(type_name: str) -> None:
    """Stop serving ``type_name`` with a registered model (moto's own model, if any, serves it again)."""
    with _lock:
        _registered.pop(type_name, None)


def set_fallback(factory: Fallback | None) -> None:
    """The model for a type neither a registered model nor moto serves (None: no fallback)."""
    global _fallback
    with _lock:
        _fallback = factory


def registered(resource_type: str) -> Model | None:
    """The model registered for ``resource_type``, if any."""
    return _registered.get(resource_type)


def resolve(resource_type: str, moto_model: Callable[[str], Model | None]) -> Model | None:
    """The class that serves ``resource_type``: a registered model, else moto's (``moto_model``), else the
    fallback's answer, else None (moto skips the resource)."""
    found = _registered.get(resource_type)
    if found is not None:
        return found
    fallback = _fallback
    if fallback is None:
        return moto_model(resource_type)
    with _quiet(resource_type):
        found = moto_model(resource_type)
    if found is not None:
        return found
    found = fallback(resource_type)
    if found is None:
        moto_internals.log_unsupported_type(resource_type)
    return found


# -- moto's "No Moto CloudFormation support" warning for a type the fallback may still serve -------------
_quieted = threading.local()


class _QuietFilter(logging.Filter):
    """Drops moto's unsupported-type warning for the type ``resolve`` is asking moto about (the fallback
    may serve it; ``resolve`` logs the warning itself when it does not)."""

    def filter(self, record: logging.LogRecord) -> bool:
        quiet = getattr(_quieted, "type", None)
        return quiet is None or not moto_internals.is_unsupported_type_record(record, quiet)


class _quiet:
    def __init__(self, resource_type: str) -> None:
        self.resource_type = resource_type

    def __enter__(self) -> None:
        self.previous = getattr(_quieted, "type", None)
        _quieted.type = self.resource_type

    def __exit__(self, *exc: object) -> None:
        _quieted.type = self.previous


_FILTER = _QuietFilter()


# -- patching moto's parser ---------------------------------------------------------------------------
def _resource_class(original: Callable[[str], Any]) -> Callable[[str], Any]:
    def resource_class_from_type(resource_type: str) -> Any:
        return resolve(resource_type, original)

    return resource_class_from_type


def _name_property(original: Callable[[str], Any]) -> Callable[[str], Any]:
    """moto's lookup asks every model class for its type, for every resource of every stack built (about
    15 µs); its answer is kept per type for as long as moto searches the same list of model classes
    (``get_model_list`` is cached by moto itself: a new list is a new search)."""
    models = moto_internals.model_list()
    missing = object()
    # (the list of model classes searched, the answers found in it): replaced whole, never changed in place
    state: list[tuple[Any, dict[str, Any]]] = [(None, {})]

    def moto_name(resource_type: str) -> Any:
        current = models()
        searched, known = state[0]
        if current is not searched:
            known = {}
            state[0] = (current, known)
        name = known.get(resource_type, missing)
        if name is missing:
            name = known[resource_type] = original(resource_type)
        return name

    def resource_name_property_from_type(resource_type: str) -> Any:
        found = _registered.get(resource_type)
        if found is not None:
            return found.cloudformation_name_type() or None
        name = moto_name(resource_type)
        if name is None and _fallback is not None:
            model = _fallback(resource_type)
            if model is not None:
                return model.cloudformation_name_type() or None
        return name

    return resource_name_property_from_type


_patched: list[tuple[Any, str, Any]] = []


def patch() -> None:
    """Serve the registered types (and the fallback's) in moto's parser. Idempotent; ``MotoContractError``
    if moto moved the functions."""
    with _lock:
        if _patched:
            return
        _patched.append(moto_internals.wrap_attribute(moto_internals.RESOURCE_CLASS_FROM_TYPE, _resource_class))
        _patched.append(moto_internals.wrap_attribute(moto_internals.RESOURCE_NAME_PROPERTY_FROM_TYPE, _name_property))
        moto_internals.moto_logger().addFilter(_FILTER)


def unpatch() -> None:
    """Give moto its own parser functions back. Idempotent."""
    with _lock:
        while _patched:
            moto_internals.unwrap(_patched.pop())
        moto_internals.moto_logger().removeFilter(_FILTER)
