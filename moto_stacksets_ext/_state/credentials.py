"""Strict signature mode of the non-AWS clouds: which access keys (and secrets) requests must be signed with.

Off by default. ``require_signatures`` switches it on for one cloud, in-process; a server in another
process can be given ``AK:SECRET[,AK2:SECRET2]`` in the cloud's environment variable. What the function
configures lives in the plugin's settings, so moto's reset switches strict mode off again (the environment
variable is process configuration and stays).
"""

from __future__ import annotations

import os
import threading

from . import namespaces

_lock = threading.Lock()


def require_signatures(cloud: str, credentials: dict[str, str]) -> None:
    """Strict mode for ``cloud``: only these ``{access_key: secret}`` pairs may call, with valid signatures."""
    if not credentials:
        raise ValueError("strict mode needs at least one access key and secret")
    namespaces.touch()
    with _lock:
        namespaces.settings().signature_credentials[cloud] = dict(credentials)


def accept_any_signature(cloud: str) -> None:
    """Leave strict mode for ``cloud`` (the default: any access key, signatures not checked)."""
    with _lock:
        namespaces.settings().signature_credentials.pop(cloud, None)


def configured_credentials(cloud: str, environment_variable: str) -> dict[str, str]:
    """The access keys strict mode checks ``cloud``'s requests against (empty: strict mode is off)."""
    with _lock:
        known = dict(namespaces.settings().signature_credentials.get(cloud, {}))
    for pair in (os.environ.get(environment_variable) or "").split(","):
        key, _, secret = pair.strip().partition(":")
        if key and secret:
            known.setdefault(key, secret)
    return known
