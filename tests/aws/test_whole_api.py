"""Every StackSet action of botocore's model is served: none answers moto's NotImplementedError (a 500)."""

from __future__ import annotations

from typing import Any

import requests
from botocore import xform_name
from botocore.session import get_session

from moto_stacksets_ext.server import ThreadedStackSetsServer

from support import ACCOUNT_A, REGION

#: The smallest well-formed value of each required member the stack-set actions have.
REQUIRED = {
    "StackSetName": "missing",
    "Regions": [REGION],
    "RetainStacks": False,
    "StackInstanceAccount": ACCOUNT_A,
    "StackInstanceRegion": REGION,
    "OperationId": "op-1",
}


def _stack_set_actions() -> list[str]:
    model = get_session().get_service_model("cloudformation")
    return [
        name
        for name in model.operation_names
        if "StackSet" in name or "StackInstance" in name or "OrganizationsAccess" in name
    ]


def test_every_stack_set_action_answers_without_a_server_error(server_cf: Any, server: ThreadedStackSetsServer) -> None:
    model = get_session().get_service_model("cloudformation")
    actions = _stack_set_actions()
    assert {"ImportStacksToStackSet", "ListStackInstanceResourceDrifts", "ListStackSetAutoDeploymentTargets"} <= set(
        actions
    )
    for action in actions:
        shape = model.operation_model(action).input_shape
        arguments = {name: REQUIRED[name] for name in (shape.required_members if shape else [])}
        method = getattr(server_cf, xform_name(action))
        try:
            method(**arguments)
        except server_cf.exceptions.ClientError as error:
            status = error.response["ResponseMetadata"]["HTTPStatusCode"]
            assert status < 500, (action, error.response["Error"])
            assert error.response["Error"]["Code"] != "InternalFailure", action
    answer = requests.post(
        server.endpoint, data={"Action": "ListStackSetAutoDeploymentTargets", "StackSetName": "missing"}, timeout=10
    )
    assert "<html" not in answer.text.lower()


#: Authorization headers no credential scope can be read from, and what AWS answers them.
UNUSABLE_SIGNATURES = {
    "": (403, "MissingAuthenticationToken"),
    "Basic dXNlcjpwYXNz": (400, "IncompleteSignature"),
    "AWS4-HMAC-SHA256": (400, "IncompleteSignature"),
    "AWS4-HMAC-SHA256 Credential=testing/20260101/cloudformation, SignedHeaders=host, Signature=00": (
        400,
        "IncompleteSignature",
    ),
}


def test_every_cloudformation_action_unsigned_or_malformed_gets_aws_s_error_never_a_server_error(
    server: ThreadedStackSetsServer,
) -> None:
    """Every operation of CloudFormation's model, as a form body (with and without ``Version``, on ``/`` and
    another path) or a query string, with no or an unusable ``Authorization``: AWS's 4xx XML, never a 5xx."""
    model = get_session().get_service_model("cloudformation")
    session = requests.Session()
    checked = 0
    for action in model.operation_names:
        for authorization, expected in UNUSABLE_SIGNATURES.items():
            headers = {"Authorization": authorization} if authorization else {}
            for path, form, query in (
                ("/", {"Action": action, "Version": "2010-05-15", "StackSetName": "missing"}, None),
                ("/", {"Action": action}, None),
                ("/any/path", {"Action": action, "Version": "2010-05-15"}, None),
                ("/", None, {"Action": action, "Version": "2010-05-15"}),
            ):
                answer = session.post(server.endpoint + path, data=form, params=query, headers=headers, timeout=30)
                where = (action, authorization, path, form, query)
                assert answer.status_code == expected[0], where
                assert answer.headers["Content-Type"].startswith("text/xml"), where
                assert f"<Code>{expected[1]}</Code>" in answer.text, where
                checked += 1
    assert checked == len(model.operation_names) * len(UNUSABLE_SIGNATURES) * 4
