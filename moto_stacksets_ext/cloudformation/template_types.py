"""Plugin resource types in moto's template parser (the shared seam; see SEAM.md).

THROWAWAY local version with the agreed API (issue-22a owns the real one): ``register(model)`` makes a
moto ``CloudFormationModel`` subclass serve its ``cloudformation_type()`` ahead of moto's own models;
``set_fallback(factory)`` is the last resort for types neither serves. ``patch()``/``unpatch()`` are called
by ``plugin.install()``/``uninstall()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.core.common_models import CloudFormationModel

_registered: dict[str, type[CloudFormationModel]] = {}
_fallback: list[Callable[[str], type[CloudFormationModel] | None]] = []
_original: dict[str, Any] = {}


def register(model: type[CloudFormationModel]) -> None:
    """Serve ``model.cloudformation_type()`` with ``model`` (ahead of moto's own model for that type)."""
    _registered[model.cloudformation_type()] = model


def set_fallback(factory: Callable[[str], type[CloudFormationModel] | None]) -> None:
    """The model of a type neither moto nor a registered model serves (None: moto's own answer)."""
    _fallback[:] = [factory]


def _resource_class_from_type(resource_type: str) -> Any:
    found = _registered.get(resource_type)
    if found is not None:
        return found
    original = _original["resource_class_from_type"](resource_type)
    if original is None and _fallback:
        return _fallback[0](resource_type)
    return original


def patch() -> None:
    from moto.cloudformation import parsing

    if _original:
        return
    _original["resource_class_from_type"] = parsing.resource_class_from_type
    parsing.resource_class_from_type = _resource_class_from_type


def unpatch() -> None:
    from moto.cloudformation import parsing

    if not _original:
        return
    parsing.resource_class_from_type = _original.pop("resource_class_from_type")
