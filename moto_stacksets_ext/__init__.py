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
import sys
import types
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
