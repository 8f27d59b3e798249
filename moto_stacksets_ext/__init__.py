"""moto-stacksets-ext: test multi-account, multi-region stack-set automation fully offline.

Public API:

* ``mock_stacksets`` - moto's ``mock_aws`` with the plugin installed (decorator or context manager);
* ``install`` / ``uninstall`` - register the plugin with moto's dispatcher yourself (for
  ``mock_aws`` users and moto's server);
* ``control`` - the test-control API (scripted outcomes, engine clock, reset).
"""

from .control import StackSetsControl, control
from .engine.outcomes import Outcome, OutcomeKind
from .plugin import PluginInstallError, StackSetsMock, install, installed, mock_stacksets, uninstall

__all__ = [
    "Outcome",
    "OutcomeKind",
    "PluginInstallError",
    "StackSetsControl",
    "StackSetsMock",
    "control",
    "install",
    "installed",
    "mock_stacksets",
    "uninstall",
]
__version__ = "0.1.0"
