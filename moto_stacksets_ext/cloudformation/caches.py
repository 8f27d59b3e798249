"""Work moto repeats that the plugin does once per process (installed with the plugin, removed with it).

* **Action names.** moto's ``BaseResponse.call_action`` lists the methods of the response class on every
  request (``method_names_from_class``: ``inspect.getmembers`` over the whole class, about a fifth of a
  small request's time in moto). The plugin's response classes do not grow methods at run time, so their
  list is computed once; every other class still gets moto's own answer each time.
* **Parsed templates.** moto parses a stack's template with PyYAML's pure-Python loader whenever it builds
  or updates a stack (``Stack.parse_template``), about a third of deploying a one-resource stack. A stack
  set deploys the same template text to every instance, so the parsed document is kept per text (the
  last ``TEMPLATES_KEPT`` texts) and each caller gets its own deep copy: the same result moto computes,
  which moto may then change freely. A template moto cannot parse is not kept (moto raises as before).
* **Regions of a new account.** moto makes a service's backends for an account on first use and lists
  the regions they may have from botocore's partitions every time (``AccountSpecificBackend.
  _generate_regions``: its cache is per account object, so it never hits for a new account); a stack set
  deploys to new accounts all the time. The list depends on the service alone, so it is computed once per
  service; each account gets its own copy.
* **Account backends.** Every ``backends[account]`` of moto (``BackendDict.__getitem__``) first makes sure
  the account has its backends with ``account_id not in list(self.keys())``: a list of every account seen,
  scanned on every look-up, so a rollout to N accounts costs O(N) per look-up and O(N²) in all (a deployment
  makes about seven look-ups). An account whose backends are already made, in a ``BackendDict`` moto has
  registered for its reset, needs nothing; that is answered from the dictionary in O(1), and everything else
  goes to moto's own function as before.

All four go through ``moto_internals`` (``METHOD_NAMES_FROM_CLASS``, ``PARSE_TEMPLATE``, ``GENERATE_REGIONS``,
``CREATE_ACCOUNT_BACKEND`` and ``BACKEND_DICT_INSTANCES``), whose contract tests check that moto still has
them.
"""

from __future__ import annotations

import copy
import functools
import threading
from collections.abc import Callable
from typing import Any

from .. import moto_internals

#: How many template texts keep their parsed document.
TEMPLATES_KEPT = 32

_PACKAGE = __name__.split(".", 1)[0]


def _cached_method_names(original: Callable[[Any], list[str]]) -> Callable[[Any], list[str]]:
    known: dict[type, list[str]] = {}

    def method_names_from_class(clazz: Any) -> list[str]:
        if not isinstance(clazz, type) or not clazz.__module__.startswith(_PACKAGE):
            return original(clazz)
        names = known.get(clazz)
        if names is None:
            names = known[clazz] = original(clazz)
        return list(names)

    return method_names_from_class


def _cached_templates(original: Callable[[str], Any]) -> Callable[[str], Any]:
    @functools.lru_cache(maxsize=TEMPLATES_KEPT)
    def parsed(template: str) -> Any:
        return original(template)

    def parse_template(template: str) -> Any:
        if type(template) is not str:
            return original(template)
        return copy.deepcopy(parsed(template))

    return parse_template


def _cached_regions(original: Callable[[Any, str], list[str]]) -> Callable[[Any, str], list[str]]:
    known: dict[str, list[str]] = {}

    def _generate_regions(self: Any, service_name: str) -> list[str]:
        regions = known.get(service_name)
        if regions is None:
            regions = known[service_name] = list(original(self, service_name))
        return list(regions)

    return _generate_regions


def _known_accounts(original: Callable[[Any, str], None]) -> Callable[[Any, str], None]:
    def _create_account_specific_backend(self: Any, account_id: str) -> None:
        if dict.__contains__(self, account_id) and any(made is self for made in moto_internals.made_backend_dicts()):
            return  # moto would find both and do nothing
        original(self, account_id)

    return _create_account_specific_backend


_lock = threading.Lock()
_installed: list[tuple[Any, str, Any]] = []


def patch() -> None:
    """Install the caches. Idempotent; ``MotoContractError`` if moto moved what they wrap."""
    with _lock:
        if _installed:
            return
        _installed.append(moto_internals.wrap_attribute(moto_internals.METHOD_NAMES_FROM_CLASS, _cached_method_names))
        _installed.append(moto_internals.wrap_attribute(moto_internals.PARSE_TEMPLATE, _cached_templates))
        _installed.append(moto_internals.wrap_method(moto_internals.GENERATE_REGIONS, _cached_regions))
        _installed.append(moto_internals.wrap_method(moto_internals.CREATE_ACCOUNT_BACKEND, _known_accounts))


def unpatch() -> None:
    """Give moto its own functions back (and drop what was kept). Idempotent."""
    with _lock:
        while _installed:
            moto_internals.unwrap(_installed.pop())
