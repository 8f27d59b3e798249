"""Request generators for the seeded fuzz test: valid and mutated requests for AWS, RFS, ROS and the control API.

AWS requests come from botocore's service model (every member of the served actions' input shapes, values
drawn from small pools so that many calls succeed), serialized as boto3 serializes them and then possibly
mutated on the wire (values replaced by hostile ones, members dropped or added). RFS, ROS and control-API
requests follow each API's documented parameters with the same kind of mutations.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from botocore.model import ListShape, MapShape, Shape, StructureShape
from botocore.serialize import QuerySerializer

from moto_stacksets_ext import huawei_rfs
from moto_stacksets_ext.cloudformation.responses import StackSetsResponse
from moto_stacksets_ext.cloudformation.validation import service_model

TEMPLATE = json.dumps({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}})
ROS_TEMPLATE = json.dumps({"ROSTemplateFormatVersion": "2015-09-01", "Resources": {}})
RFS_TEMPLATE = '{"terraform": {"required_providers": {}}}'

#: Values that have broken mocks before: control characters, deep JSON, huge integers, junk, big text.
HOSTILE: tuple[str, ...] = (
    "",
    "abc",
    "a\x00b",
    "\x01\x1f\ud7ff",
    "-1",
    "0",
    "9" * 4400,
    "1e400",
    "[" * 5000 + "]" * 5000,
    '{"a": ' * 200 + "1" + "}" * 200,
    "{",
    "null",
    "true",
    "ñ€😀",
    "x" * 60_000,
    "<Error>&amp;</Error>",
    "%00%ff",
)

STACK_SET_NAMES = ("fuzz-a", "fuzz-b", "Fuzz3")
AWS_ACCOUNTS = ("111111111111", "222222222222")
AWS_REGIONS = ("us-east-1", "eu-west-1", "maybe")
MUTATING_AWS = {
    "CreateStackSet",
    "UpdateStackSet",
    "DeleteStackSet",
    "CreateStackInstances",
    "UpdateStackInstances",
    "DeleteStackInstances",
    "StopStackSetOperation",
    "DetectStackSetDrift",
}
STACK_SET_ACTIONS = sorted(a for a in StackSetsResponse.SERVED if "StackSet" in a or "StackInstance" in a)
#: The plugin's Hook actions (their state is not in the state export: checked for 5xx and XML only).
HOOK_ACTIONS = sorted(set(StackSetsResponse.SERVED) - set(STACK_SET_ACTIONS))
HOOK_TYPE_NAMES = ("AWS::Hooks::LambdaHook", "Private::Lambda::Fuzz", "MyCo::Testing::Hook")


@dataclass
class FuzzRequest:
    """One request: where, what, and whether a failure must leave the state unchanged."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    mutating: bool = False
    label: str = ""


# -- AWS --------------------------------------------------------------------------------------------------
@dataclass
class AwsPools:
    operation_ids: list[str] = field(default_factory=list)


def _value(rng: random.Random, shape: Shape, name: str, depth: int, pools: AwsPools) -> Any:
    if isinstance(shape, StructureShape):
        if depth > 3:
            return {}
        chosen = [m for m in shape.members if m in shape.required_members or rng.random() < 0.3]
        return {m: _value(rng, shape.members[m], m, depth + 1, pools) for m in chosen}
    if isinstance(shape, ListShape):
        return [_value(rng, shape.member, name, depth + 1, pools) for _ in range(rng.randint(1, 3))]
    if isinstance(shape, MapShape):
        return {}
    kind = shape.type_name
    if kind == "boolean":
        return rng.random() < 0.5
    if kind in ("integer", "long"):
        return rng.choice([0, 1, 2, 5, 10, 100, -1])
    if kind == "timestamp":
        return "2026-01-01T00:00:00Z"
    enum = shape.enum
    if enum:
        return rng.choice(list(enum))
    return _string(rng, name, pools)


def _string(rng: random.Random, name: str, pools: AwsPools) -> str:
    lowered = name.lower()
    if "stacksetname" in lowered:
        return rng.choice(STACK_SET_NAMES)
    if lowered in ("accounts", "stackinstanceaccount", "account"):
        return rng.choice(AWS_ACCOUNTS)
    if "region" in lowered:
        return rng.choice(AWS_REGIONS)
    if lowered == "templatebody":
        return rng.choice([TEMPLATE, TEMPLATE, "{}", "not a template"])
    if lowered == "operationid":
        if pools.operation_ids and rng.random() < 0.6:
            return rng.choice(pools.operation_ids)
        return str(uuid.uuid4())
    if lowered in ("typename", "typenamealias"):
        return rng.choice(HOOK_TYPE_NAMES)
    if lowered == "configuration":
        return rng.choice(['{"CloudFormationConfiguration": {"HookConfiguration": {}}}', "{}", "[" * 300])
    if lowered in ("nexttoken",):
        return rng.choice(["abc", "eyJ4IjoxfQ.AAAA"])
    return rng.choice(["value", "Env", "dev", "ou-abcd-12345678", "r-abcd", "arn:aws:iam::123456789012:role/R"])


def aws_request(rng: random.Random, pools: AwsPools, mutate: bool) -> tuple[str, dict[str, Any]]:
    """An action and its form fields (as boto3 serializes them), mutated on the wire when ``mutate``."""
    action = rng.choice(STACK_SET_ACTIONS) if rng.random() < 0.8 else rng.choice(HOOK_ACTIONS)
    model = service_model().operation_model(action)
    params = _value(rng, model.input_shape, action, 0, pools) if model.input_shape is not None else {}
    if action == "CreateStackSet" and rng.random() < 0.8:
        params.pop("TemplateURL", None)
        params["TemplateBody"] = TEMPLATE
        params.pop("PermissionModel", None)
        params.pop("AutoDeployment", None)
        params.pop("CallAs", None)
    if action in ("CreateStackInstances", "UpdateStackInstances", "DeleteStackInstances") and rng.random() < 0.7:
        params.pop("DeploymentTargets", None)
        params.pop("CallAs", None)
        params.pop("OperationPreferences", None)
        params["Accounts"] = [rng.choice(AWS_ACCOUNTS)]
        params["Regions"] = [rng.choice(AWS_REGIONS[:2])]
    form: dict[str, Any] = QuerySerializer().serialize_to_request(params, model)["body"]
    if mutate:
        for _ in range(rng.randint(1, 3)):
            keys = [k for k in form if k not in ("Action", "Version")]
            roll = rng.random()
            if keys and roll < 0.6:
                form[rng.choice(keys)] = rng.choice(HOSTILE)
            elif keys and roll < 0.8:
                del form[rng.choice(keys)]
            else:
                form[rng.choice(["Unknown", "Regions.member.999999999999", "Accounts.member.0"])] = rng.choice(HOSTILE)
    return action, form


def encode_form(form: dict[str, Any], rng: random.Random) -> bytes:
    body = urlencode({k: str(v) for k, v in form.items()}).encode()
    if rng.random() < 0.03:  # raw bytes that are not UTF-8
        body += b"&Junk=\xff\xfe"
    return body


#: Content types a client may send by mistake (or none).
OTHER_CONTENT_TYPES = ("text/plain", "application/json", "application/xml", "multipart/form-data; boundary=x", "")

#: Other paths an AWS request may go to.
OTHER_PATHS = ("/other", "/v1/stack-sets", "/?Action=ListStackSets", "/2010-05-15/", "/favicon", "//")

#: Authorization headers that are not a complete SigV4 one.
MALFORMED_AUTHORIZATIONS = (
    "",
    "Basic dXNlcjpwYXNz",
    "AWS4-HMAC-SHA256",
    "AWS4-HMAC-SHA256 Credential=testing/20260101/cloudformation, SignedHeaders=host, Signature=00",
    "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=00",
    "AWS testing:c2lnbmF0dXJl",
    "Bearer token",
)


def mutate_aws_wire(rng: random.Random) -> str:
    """How an AWS request goes wrong on the wire: ``unsigned``, ``malformed`` (Authorization), ``path``
    (another path) or ``content-type`` (another content type)."""
    return rng.choice(["unsigned", "malformed", "path", "content-type"])


# -- Huawei RFS -------------------------------------------------------------------------------------------
RFS_NAMES = ("fuzz_a", "fuzz_b")
RFS_DOMAINS = ("a" * 32, "b" * 32)
RFS_REGIONS = ("cn-north-4", "cn-south-1", "maybe-1")
#: RFS and IAM APIs the mock does not serve (the Huawei SDK has them).
RFS_OTHER_ROUTES = (
    ("GET", "/v1/private-modules"),
    ("POST", "/v1/private-modules"),
    ("GET", "/v1/stacks"),
    ("PUT", "/v1/stack-sets/{name}"),
    ("GET", "/v1/stack-sets/{name}/unknown"),
    ("POST", "/v3/auth/tokens"),
    ("GET", "/"),
    ("GET", "/v1/" + "a" * 32 + "/stacks"),
)
RFS_HEADERS = {
    "Authorization": "SDK-HMAC-SHA256 Access=AK_FUZZ, SignedHeaders=host, Signature=00",
    "X-Project-Id": huawei_rfs.project_id_for("AK_FUZZ", "cn-north-4"),
    "Content-Type": "application/json",
}


def _mutate_json(rng: random.Random, body: dict[str, Any]) -> bytes:
    roll = rng.random()
    if roll < 0.25:
        return rng.choice(HOSTILE).encode("utf-8", "surrogatepass")
    if roll < 0.3:
        return b'{"stack_set_name": "\xff"}'
    mutated = dict(body)
    keys = list(mutated)
    if keys and roll < 0.7:
        mutated[rng.choice(keys)] = rng.choice([*HOSTILE[:8], 9**40, -1, None, [], {}, True, 1.5])
    elif keys and roll < 0.85:
        del mutated[rng.choice(keys)]
    else:
        mutated["unknown_field"] = 1
    return json.dumps(mutated).encode()


def rfs_request(rng: random.Random, mutate: bool) -> FuzzRequest:
    name = rng.choice(RFS_NAMES)
    targets = {"regions": [rng.choice(RFS_REGIONS[:2])], "domain_ids": [rng.choice(RFS_DOMAINS)]}
    if mutate and rng.random() < 0.2:
        targets["regions"] = [rng.choice(RFS_REGIONS)]
    choices: list[tuple[str, str, dict[str, Any] | None]] = [
        (
            "POST",
            "/v1/stack-sets",
            {
                "stack_set_name": name,
                "template_body": RFS_TEMPLATE,
                "administration_agency_name": "admin",
                "managed_agency_name": "managed",
            },
        ),
        ("GET", f"/v1/stack-sets?limit={rng.choice(['1', '5', '0', 'abc', '9' * 4400])}", None),
        ("GET", f"/v1/stack-sets/{name}/metadata", None),
        ("GET", f"/v1/stack-sets/{name}/stack-instances", None),
        ("GET", f"/v1/stack-sets/{name}/operations", None),
        ("POST", f"/v1/stack-sets/{name}/stack-instances", {"deployment_targets": targets}),
        ("POST", f"/v1/stack-sets/{name}/stack-instances/deletion", {"deployment_targets": targets}),
        ("POST", f"/v1/stack-sets/{name}/deployments", {"deployment_targets": targets}),
        ("PATCH", f"/v1/stack-sets/{name}", {"stack_set_description": "changed"}),
        ("DELETE", f"/v1/stack-sets/{name}", None),
        ("GET", f"/v1/stack-sets/{name}/operations/{uuid.uuid4()}/metadata", None),
    ]
    method, path, body = rng.choice(choices + choices[:1] + choices[5:6])  # creates weigh double
    raw = b"" if body is None else json.dumps(body).encode()
    if mutate and body is not None:
        raw = _mutate_json(rng, body)
    elif mutate and rng.random() < 0.5:
        path += ("&" if "?" in path else "?") + f"marker={rng.choice(HOSTILE[:8])}"
    headers = {**RFS_HEADERS, "Client-Request-Id": str(uuid.uuid4())}
    if mutate and rng.random() < 0.3:  # what a Huawei SDK may send that the mock does not serve, or sends wrong
        roll = rng.random()
        if roll < 0.4:
            method, path = rng.choice(RFS_OTHER_ROUTES)
            path = path.replace("{name}", name)
        elif roll < 0.7:
            headers["Content-Type"] = rng.choice(OTHER_CONTENT_TYPES)
        elif roll < 0.85:
            del headers["Authorization"]
        else:
            headers["X-Project-Id"] = rng.choice(["abc", "g" * 32, uuid.uuid4().hex])
    return FuzzRequest(method, path, headers, raw, mutating=method != "GET", label=f"RFS {method} {path[:60]}")


# -- Alibaba ROS ------------------------------------------------------------------------------------------
ROS_GROUPS = ("FuzzA", "FuzzB")
ROS_ACCOUNTS = ("1111111111111111", "2222222222222222")
ROS_REGIONS = ("cn-hangzhou", "cn-beijing", "cn-nowhere")
MUTATING_ROS = {
    "CreateStackGroup",
    "UpdateStackGroup",
    "DeleteStackGroup",
    "CreateStackInstances",
    "UpdateStackInstances",
    "DeleteStackInstances",
    "StopStackGroupOperation",
    "DetectStackGroupDrift",
    "ImportStacksToStackGroup",
}


ACS3_HEADERS = {
    "x-acs-version": "2019-09-10",
    "x-acs-date": "2026-01-01T00:00:00Z",
    "x-acs-signature-nonce": "fuzz",
    "Authorization": "ACS3-HMAC-SHA256 Credential=LTAI-fuzz,SignedHeaders=host;x-acs-action,Signature=00",
}


def ros_request(rng: random.Random, operation_ids: list[str], mutate: bool) -> FuzzRequest:
    group = rng.choice(ROS_GROUPS)
    accounts = json.dumps([rng.choice(ROS_ACCOUNTS)])
    regions = json.dumps([rng.choice(ROS_REGIONS[:2] if not mutate else ROS_REGIONS)])
    operation_id = rng.choice(operation_ids) if operation_ids and rng.random() < 0.7 else str(uuid.uuid4())
    actions: list[tuple[str, dict[str, str]]] = [
        ("CreateStackGroup", {"StackGroupName": group, "TemplateBody": ROS_TEMPLATE}),
        ("UpdateStackGroup", {"StackGroupName": group, "Description": "changed"}),
        ("DeleteStackGroup", {"StackGroupName": group}),
        ("GetStackGroup", {"StackGroupName": group}),
        ("ListStackGroups", {"PageSize": rng.choice(["1", "10", "0", "51"]), "PageNumber": "1"}),
        ("CreateStackInstances", {"StackGroupName": group, "AccountIds": accounts, "RegionIds": regions}),
        ("UpdateStackInstances", {"StackGroupName": group, "AccountIds": accounts, "RegionIds": regions}),
        (
            "DeleteStackInstances",
            {"StackGroupName": group, "AccountIds": accounts, "RegionIds": regions, "RetainStacks": "false"},
        ),
        ("ListStackInstances", {"StackGroupName": group}),
        ("ListStackGroupOperations", {"StackGroupName": group}),
        ("GetStackGroupOperation", {"OperationId": operation_id}),
        ("ListStackGroupOperationResults", {"OperationId": operation_id}),
        ("StopStackGroupOperation", {"OperationId": operation_id}),
        ("DetectStackGroupDrift", {"StackGroupName": group}),
    ]
    action, params = rng.choice(actions + actions[:1] + actions[5:6])  # creates weigh double
    params = dict(params)
    if mutate:
        for _ in range(rng.randint(1, 2)):
            roll = rng.random()
            if params and roll < 0.6:
                params[rng.choice(list(params))] = rng.choice(HOSTILE)
            elif params and roll < 0.8:
                del params[rng.choice(list(params))]
            else:
                params[rng.choice(["Tags.1.Key", "Parameters.99999999999.ParameterKey", "Unknown"])] = "x"
    query = {"Action": action, "Version": "2019-09-10", "RegionId": "cn-hangzhou"}
    as_form = rng.random() < 0.5
    body = urlencode(params).encode() if as_form else b""
    if as_form and mutate and rng.random() < 0.1:
        body += b"&Junk=\xff"
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if as_form else {}
    if rng.random() < 0.4:  # the V3 SDK: the action in headers, an ACS3 signature (not checked by default)
        del query["Action"], query["Version"]
        headers.update(ACS3_HEADERS)
        headers["x-acs-action"] = action
    label = f"ROS {action}"
    if mutate and rng.random() < 0.3:  # the action missing, another path, another content type
        roll = rng.random()
        if roll < 0.5:
            query.pop("Action", None)
            headers.pop("x-acs-action", None)
            label = "ROS without action"
        elif roll < 0.75:
            headers["Content-Type"] = rng.choice(OTHER_CONTENT_TYPES)
        else:
            path = (
                rng.choice(["/other", "/v1/stack-groups", "//"])
                + "?"
                + urlencode(query if as_form else {**query, **params})
            )
            return FuzzRequest("POST", path, headers, body, mutating=action in MUTATING_ROS, label=label)
    path = "/?" + urlencode(query if as_form else {**query, **params})
    return FuzzRequest("POST", path, headers, body, mutating=action in MUTATING_ROS, label=label)


# -- the control API --------------------------------------------------------------------------------------
def control_request(rng: random.Random) -> FuzzRequest:
    """Mostly invalid bodies (a valid progression would change how later operations run, so none is sent)."""
    path = rng.choice(
        ["outcomes", "clock", "progression", "settings", "state", "hook-outcomes", "hook-results", "resource-directory"]
    )
    candidates: list[Any] = [
        {"kind": "NOPE"},
        {"times": -1},
        {"times": 9**40},
        {"advance": -5},
        {"advance": "soon"},
        {"strict_roles": "yes"},
        {"progression": "manual", "times": "abc"},
        {"progression": "time", "seconds": None},
        {"format": "moto-stacksets-ext/state", "version": 2, "namespaces": [{"identity": ["aws"]}]},
        {"account": "abc"},
        {"type_name": 1},
        [1, 2],
        "text",
        None,
    ]
    roll = rng.random()
    if roll < 0.3:
        raw = rng.choice(HOSTILE).encode("utf-8", "surrogatepass")
    elif roll < 0.35:
        raw = b'{"a": "\xff"}'
    else:
        raw = json.dumps(rng.choice(candidates)).encode()
    return FuzzRequest("POST", f"/moto-api/stacksets/{path}", {"Content-Type": "application/json"}, raw, True, path)
