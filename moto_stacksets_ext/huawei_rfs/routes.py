"""RFS paths and methods → handlers. No stack-set path carries a project id (SDK 3.1.219)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from . import instances, operations, stacksets
from .call import Handler

PREFIX = ("v1", "stack-sets")
TEMPLATES_PREFIX = ("v1", "stack-set-templates")
IAM_PROJECTS = ("v3", "projects")

#: (method, path after /v1/stack-sets, with "{name}"/"{id}" placeholders) → (RFS API action, handler)
_TABLE: dict[tuple[str, tuple[str, ...]], tuple[str, Handler]] = {
    ("POST", ()): ("CreateStackSet", stacksets.create_stack_set),
    ("GET", ()): ("ListStackSets", stacksets.list_stack_sets),
    ("PATCH", ("{name}",)): ("UpdateStackSet", stacksets.update_stack_set),
    ("DELETE", ("{name}",)): ("DeleteStackSet", stacksets.delete_stack_set),
    ("GET", ("{name}", "metadata")): ("ShowStackSetMetadata", stacksets.show_stack_set_metadata),
    ("GET", ("{name}", "templates")): ("ShowStackSetTemplate", stacksets.show_stack_set_template),
    ("POST", ("{name}", "deployments")): ("DeployStackSet", stacksets.deploy_stack_set),
    ("POST", ("{name}", "stack-instances")): ("CreateStackInstance", instances.create_stack_instance),
    ("PATCH", ("{name}", "stack-instances")): ("UpdateStackInstances", instances.update_stack_instances),
    ("DELETE", ("{name}", "stack-instances")): ("DeleteStackInstance", instances.delete_stack_instance),
    ("GET", ("{name}", "stack-instances")): ("ListStackInstances", instances.list_stack_instances),
    ("POST", ("{name}", "stack-instances", "deletion")): ("DeleteStackInstance", instances.delete_stack_instance),
    ("GET", ("{name}", "operations")): ("ListStackSetOperations", operations.list_stack_set_operations),
    ("GET", ("{name}", "operations", "{id}", "metadata")): (
        "ShowStackSetOperationMetadata",
        operations.show_stack_set_operation_metadata,
    ),
}


def segments(url: str) -> list[str]:
    """The decoded path segments (``%2F`` inside a segment stays inside it)."""
    return [_text(unquote(part)) for part in urlsplit(url).path.split("/") if part != ""]


def _text(value: str) -> str:
    """Undo WSGI's bytes-as-latin-1 for UTF-8 names (server mode hands the path over that way)."""
    if any(ord(ch) > 127 for ch in value):
        try:
            return value.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return value
    return value


@dataclass(frozen=True)
class Match:
    """A route a request takes: the RFS API action its route table names, its handler, the path's names."""

    action: str
    handler: Handler
    path: dict[str, str]


def is_stack_set_path(parts: list[str]) -> bool:
    return tuple(parts[:2]) == PREFIX


def match(method: str, parts: list[str]) -> Match | None:
    if not is_stack_set_path(parts):
        return None
    rest = parts[2:]
    if method == "GET" and len(rest) > 2 and rest[1] == "stack-instances":
        # stack_instance_addr is <region>/<domain>: one %2F-encoded segment in-process, two in server mode.
        return Match(
            "ShowStackInstance",
            instances.show_stack_instance,
            {"stack_set_name": rest[0], "stack_instance_addr": "/".join(rest[2:])},
        )
    for (verb, shape), (action, handler) in _TABLE.items():
        if verb != method or len(shape) != len(rest):
            continue
        path: dict[str, str] = {}
        for expected, actual in zip(shape, rest, strict=True):
            if expected == "{name}":
                path["stack_set_name"] = actual
            elif expected == "{id}":
                path["stack_set_operation_id"] = actual
            elif expected != actual:
                break
        else:
            return Match(action, handler, path)
    return None
