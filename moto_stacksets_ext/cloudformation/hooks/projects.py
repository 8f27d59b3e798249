"""Loading a CloudFormation CLI Hook project directory (what ``cfn init`` creates for Python).

The directory holds ``.rpdk-config`` (``typeName``, ``artifact_type`` HOOK, ``entrypoint`` such as
``mycompany_testing_hook.handlers.hook``), the Hook's schema (``mycompany-testing-hook.json``) and the
handler package under ``src/``. Loading imports the entry point (the library's ``Hook`` object), and
registers the type with the schema in the given account and region, as ``cfn submit`` would.
"""

from __future__ import annotations

import importlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class HookProject:
    type_name: str
    schema: dict[str, Any]
    hook: Any  # cloudformation_cli_python_lib.Hook


def read(directory: str | Path) -> HookProject:
    """The project in ``directory``: its type name, schema and imported entry point. ``ValueError`` if it
    is not a Python Hook project."""
    root = Path(directory)
    settings_path = root / ".rpdk-config"
    if not settings_path.is_file():
        raise ValueError(f"{root} is not a CloudFormation CLI project: it has no .rpdk-config")
    settings = json.loads(settings_path.read_text())
    if settings.get("artifact_type") != "HOOK":
        raise ValueError(f"{root} is not a Hook project (artifact_type {settings.get('artifact_type')!r})")
    type_name = settings.get("typeName")
    entrypoint = settings.get("entrypoint")
    if not isinstance(type_name, str) or not isinstance(entrypoint, str) or "." not in entrypoint:
        raise ValueError(f"{settings_path} needs typeName and entrypoint (module.attribute)")
    schema_path = root / (type_name.lower().replace("::", "-") + ".json")
    if not schema_path.is_file():
        raise ValueError(f"{root} has no schema {schema_path.name}")
    schema = json.loads(schema_path.read_text())
    if schema.get("typeName") != type_name:
        raise ValueError(f"{schema_path.name} declares typeName {schema.get('typeName')!r}, not {type_name!r}")
    module_name, _, attribute = entrypoint.rpartition(".")
    source = str((root / "src").resolve())
    if source not in sys.path:
        sys.path.insert(0, source)
    module = importlib.import_module(module_name)
    hook = getattr(module, attribute, None)
    if not callable(hook):
        raise ValueError(f"{entrypoint} is not a callable Hook entry point")
    return HookProject(type_name, schema, hook)
