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
