"""The OpenAPI 3.0 description of the HTTP control API, served at ``/moto-api/stacksets/openapi.json``."""

from __future__ import annotations

from typing import Any

from ..control import OPERATION_MODELS
from .openapi_schemas import MAX_ADVANCE_PER_CALL, components, ref

__all__ = ["MAX_ADVANCE_PER_CALL", "document"]

_ERROR: dict[str, Any] = {
    "description": "bad input, unknown path or method",
    "content": {
        "application/json": {
            "schema": {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}
        }
    },
}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(schema: dict[str, Any], required: bool = False) -> dict[str, Any]:
    return {"required": required, "content": {"application/json": {"schema": schema}}}


def document() -> dict[str, Any]:
    clouds = sorted(OPERATION_MODELS)
    schemas = components(clouds)
    cloud_query = {"name": "cloud", "in": "query", "required": False, "schema": {"type": "string", "enum": clouds}}

    def query(name: str, schema: dict[str, Any], required: bool = False) -> dict[str, Any]:
        return {"name": name, "in": "query", "required": required, "schema": schema}

    text = {"type": "string", "minLength": 1}
    errors = {"400": _ERROR, "404": _ERROR, "405": _ERROR}
    no_content = {"204": {"description": "done"}}
    paths: dict[str, Any] = {
        "/moto-api/stacksets/openapi.json": {
            "get": {"summary": "This document", "responses": {"200": _json({"type": "object"}, "OpenAPI 3.0")}}
        },
        "/moto-api/stacksets/outcomes": {
            "get": {
                "summary": "Scripted outcomes in force",
                "responses": {
                    "200": _json(
                        {"type": "object", "properties": {"outcomes": {"type": "array", "items": ref("Outcome")}}},
                        "the outcomes, in the order they were added",
                    )
                },
            },
            "post": {
                "summary": "Script deployments' outcome (FAIL, SUCCEED or DRIFT)",
                "requestBody": _body(ref("NewOutcome")),
                "responses": {"201": _json(ref("Outcome"), "the outcome added"), **errors},
            },
            "delete": {"summary": "Remove every outcome", "responses": no_content},
        },
        "/moto-api/stacksets/outcomes/{outcome_id}": {
            "delete": {
                "summary": "Remove one outcome",
                "parameters": [{"name": "outcome_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {**no_content, **errors},
            }
        },
        "/moto-api/stacksets/clock": {
            "get": {"summary": "The engine clock", "responses": {"200": _json(ref("Clock"), "now")}},
            "post": {
                "summary": "Freeze and/or advance the engine clock",
                "requestBody": _body(ref("ClockChange")),
                "responses": {"200": _json(ref("Clock"), "the new time"), **errors},
            },
        },
        "/moto-api/stacksets/progression": {
            "post": {
                "summary": "Set how new operations progress (moto state-manager transition)",
                "requestBody": _body(ref("Progression")),
                "responses": {"200": _json({"type": "object"}, "the transition set"), **errors},
            },
            "delete": {
                "summary": "Back to immediate progression, for one cloud or every cloud",
                "parameters": [cloud_query],
                "responses": {**no_content, **errors},
            },
        },
        "/moto-api/stacksets/calls": {
            "get": {
                "summary": "The record of calls the mock served, oldest first (control.calls.filter)",
                "parameters": [
                    cloud_query,
                    query("action", text),
                    query("account", text),
                    query("region", text),
                    query("status", {"type": "integer", "minimum": 100, "maximum": 599}),
                    query("error_code", text),
                    query("ok", {"type": "boolean"}),
                ],
                "responses": {
                    "200": _json(
                        {"type": "object", "properties": {"calls": {"type": "array", "items": ref("Call")}}},
                        "the matching calls",
                    ),
                    **errors,
                },
            },
            "delete": {"summary": "Forget every recorded call", "responses": no_content},
        },
        "/moto-api/stacksets/operations/{operation_id}": {
            "get": {
                "summary": "One operation as the engine holds it (control.operation), in the state file's encoding",
                "parameters": [
                    {"name": "operation_id", "in": "path", "required": True, "schema": {"type": "string"}},
                    query("stack_set", text, required=True),
                    cloud_query,
                    query("account", text),
                    query("region", text),
                ],
                "responses": {
                    "200": _json(
                        {"type": "object", "properties": {"operation": {"type": "object"}}, "required": ["operation"]},
                        "the operation",
                    ),
                    **errors,
                },
            }
        },
        "/moto-api/stacksets/settings": {
            "get": {"summary": "Switches", "responses": {"200": _json(ref("Settings"), "the settings")}},
            "post": {
                "summary": "Change switches",
                "requestBody": _body(ref("Settings")),
                "responses": {"200": _json(ref("Settings"), "the settings"), **errors},
            },
        },
        "/moto-api/stacksets/reset": {
            "post": {"summary": "Reset every moto backend and the plugin's state", "responses": no_content}
        },
        "/moto-api/stacksets/state": {
            "get": {
                "summary": "Export every cloud's stack sets (as --state-file saves them)",
                "responses": {"200": _json(ref("State"), "the state")},
            },
            "post": {
                "summary": "Replace the plugin's state with an exported one",
                "requestBody": _body(ref("State"), required=True),
                "responses": {
                    "200": _json({"type": "object", "properties": {"stack_sets": {"type": "integer"}}}, "loaded"),
                    **errors,
                },
            },
        },
        "/moto-api/stacksets/resource-directory": {
            "get": {
                "summary": "An Alibaba Cloud resource directory (for SERVICE_MANAGED stack groups)",
                "parameters": [
                    {
                        "name": "account",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^[0-9]{1,32}$"},
                    }
                ],
                "responses": {"200": _json(ref("ResourceDirectory"), "the directory"), **errors},
            },
            "post": {
                "summary": "Add folders and member accounts, enable service access",
                "requestBody": _body(ref("ResourceDirectoryChange"), required=True),
                "responses": {"200": _json(ref("ResourceDirectory"), "the directory"), **errors},
            },
        },
        "/moto-api/stacksets/hook-outcomes": {
            "get": {
                "summary": "Scripted Hook outcomes in force",
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {"hook_outcomes": {"type": "array", "items": ref("HookOutcome")}},
                        },
                        "the Hook outcomes",
                    )
                },
            },
            "post": {
                "summary": "Script what Hooks decide",
                "requestBody": _body(ref("NewHookOutcome")),
                "responses": {"201": _json(ref("HookOutcome"), "the Hook outcome added"), **errors},
            },
            "delete": {"summary": "Remove every Hook outcome", "responses": no_content},
        },
        "/moto-api/stacksets/hook-outcomes/{outcome_id}": {
            "delete": {
                "summary": "Remove one Hook outcome",
                "parameters": [{"name": "outcome_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {**no_content, **errors},
            }
        },
        "/moto-api/stacksets/hook-results": {
            "post": {
                "summary": "Record a Hook result directly",
                "requestBody": _body(ref("NewHookResult"), required=True),
                "responses": {"201": _json(ref("HookResult"), "the result recorded"), **errors},
            }
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "moto-stacksets-ext control API",
            "version": "1",
            "description": "Script outcomes, pace operations, move the engine clock and reset the plugin's state.",
        },
        "paths": paths,
        "components": {"schemas": schemas},
    }
