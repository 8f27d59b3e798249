"""moto-stacksets-ext: test multi-account, multi-region stack-set automation fully offline.

Public API:

* ``mock_stacksets`` - moto's ``mock_aws`` with the plugin installed (decorator or context manager);
* ``install`` / ``uninstall`` - register the plugin with moto's dispatcher yourself (for
  ``mock_aws`` users and moto's server);
* ``control`` - the test-control API (scripted outcomes, engine clock, the record of calls, reset);
* ``StacksetsServer`` - the type of the ``stacksets_server`` pytest fixture.

Names are imported on first use (PEP 562): ``import moto_stacksets_ext`` loads neither moto nor the
Huawei/Alibaba front-ends.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .control import StackSetsControl, control
    from .engine.outcomes import Outcome, OutcomeKind
    from .plugin import PluginInstallError, StackSetsMock, install, installed, mock_stacksets, uninstall
    from .pytest_plugin import StacksetsServer

__all__ = [
    "Outcome",
    "OutcomeKind",
    "PluginInstallError",
    "StackSetsControl",
    "StackSetsMock",
    "StacksetsServer",
    "control",
    "install",
    "installed",
    "mock_stacksets",
    "uninstall",
]
__version__ = "0.1.0"

_HOMES = {
    "Outcome": ".engine.outcomes",
    "OutcomeKind": ".engine.outcomes",
    "PluginInstallError": ".plugin",
    "StackSetsControl": ".control",
    "StackSetsMock": ".plugin",
    "StacksetsServer": ".pytest_plugin",
    "install": ".plugin",
    "installed": ".plugin",
    "mock_stacksets": ".plugin",
    "uninstall": ".plugin",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """``moto_stacksets_ext.control`` is the control *object* (as it always was), although ``control.py`` is
    also a submodule: importing the submodule would otherwise put the module under that name."""

    @property
    def control(self) -> Any:
        from .control import control as found

        return found

    @control.setter
    def control(self, value: Any) -> None:  # the import system records the submodule here; sys.modules has it
        pass


sys.modules[__name__].__class__ = _Package

#: Modules the API reference documented at the package's root before the root was grouped by role: each
#: old name is still importable and is the very module of its new home (one object under two names).
MOVED = {
    "async_http": "._transport.async_http",
    "calls": "._control.calls",
    "control_api": "._control.api",
    "control_openapi": "._control.openapi",
    "forwarding": "._transport.forwarding",
    "live_view": "._control.live_view",
    "persistence": "._state.persistence",
    "remote_control": "._control.remote",
}


class _MovedModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds ``moto_stacksets_ext.<old name>`` (``MOVED``) as the module of its new home."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        package, _, name = fullname.rpartition(".")
        if package != __name__ or name not in MOVED:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def __init__(self) -> None:
        self._homes: dict[str, importlib.machinery.ModuleSpec | None] = {}

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = importlib.import_module(MOVED[spec.name.rpartition(".")[2]], __name__)
        self._homes[module.__name__] = module.__spec__
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        """The module ran in its new home already; it keeps that home's spec (the import system set the old
        name's on it)."""
        module.__spec__ = self._homes.get(module.__name__, module.__spec__)


if not any(isinstance(finder, _MovedModules) for finder in sys.meta_path):
    sys.meta_path.insert(0, _MovedModules())  # before any finder that would look for the old files
