"""Real tools' call patterns, replayed call by call as the tool makes them.

Ansible's ``community.aws.cloudformation_stack_set`` (plugins/modules/cloudformation_stack_set.py): on an
existing stack set it calls UpdateStackSet with ``UsePreviousTemplate``, its parameters (``UsePreviousValue``
for those it keeps), an ``Ansible-StackSet-Update-<uuid>`` OperationId and ``OperationPreferences.RegionOrder``
= the play's regions but no ``Regions`` (every instance is updated), then UpdateStackInstances on the existing
instances with the same RegionOrder, and polls DescribeStackSetOperation.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from support import ACCOUNT_A, ACCOUNT_B, REGION

EU = "eu-west-1"
REGIONS = [REGION, EU]

TEMPLATE = json.dumps(
    {
        "Parameters": {"Env": {"Type": "String"}, "Team": {"Type": "String"}},
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Ref": "Env"}}}},
    }
)


def _ansible_present(cf: Any, accounts: list[str], parameters: dict[str, Any], template: str | None) -> list[str]:
    """What the module does for ``state: present`` (wait: yes): the calls and their arguments, in order."""
    operation_uuid = str(uuid.uuid4())
    stack_params: dict[str, Any] = {"StackSetName": "ansible-set"}
    try:
        cf.describe_stack_set(StackSetName="ansible-set")
        existing = True
    except cf.exceptions.StackSetNotFoundException:
        existing = False
    if template is not None:
        stack_params["TemplateBody"] = template
    else:
        stack_params["UsePreviousTemplate"] = True
    stack_params["Parameters"] = []
    for key, value in parameters.items():
        if isinstance(value, dict) and value.get("use_previous_value"):
            stack_params["Parameters"].append({"ParameterKey": key, "UsePreviousValue": True})
        else:
            stack_params["Parameters"].append({"ParameterKey": key, "ParameterValue": str(value)})
    operation_ids = []
    preferences = {"RegionOrder": list(REGIONS)}
    if not existing:
        stack_params["ClientRequestToken"] = f"Ansible-StackSet-Create-{operation_uuid}"
        cf.create_stack_set(**stack_params)
    else:
        stack_params["OperationId"] = f"Ansible-StackSet-Update-{operation_uuid}"
        operation_ids.append(stack_params["OperationId"])
        stack_params["OperationPreferences"] = preferences
        cf.update_stack_set(**stack_params)
    summaries = cf.list_stack_instances(StackSetName="ansible-set")["Summaries"]
    existing_instances = {(s["Account"], s["Region"]) for s in summaries}
    desired = {(a, r) for a in accounts for r in REGIONS}
    new = desired - existing_instances
    if new:
        operation_ids.append(f"Ansible-StackInstance-Create-{operation_uuid}")
        cf.create_stack_instances(
            StackSetName="ansible-set",
            Accounts=sorted({a for a, _ in new}),
            Regions=sorted({r for _, r in new}),
            OperationPreferences=preferences,
            OperationId=operation_ids[-1],
        )
    else:
        operation_ids.append(f"Ansible-StackInstance-Update-{operation_uuid}")
        cf.update_stack_instances(
            StackSetName="ansible-set",
            Accounts=sorted({a for a, _ in existing_instances}),
            Regions=sorted({r for _, r in existing_instances}),
            OperationPreferences=preferences,
            OperationId=operation_ids[-1],
        )
    statuses = []
    for operation_id in operation_ids:
        operation = cf.describe_stack_set_operation(StackSetName="ansible-set", OperationId=operation_id)
        statuses.append(operation["StackSetOperation"]["Status"])
    return statuses


def _flow(cf: Any) -> None:
    assert _ansible_present(cf, [ACCOUNT_A, ACCOUNT_B], {"Env": "dev", "Team": "core"}, TEMPLATE) == ["SUCCEEDED"]
    # Second run: update, keeping the template and Team's value.
    statuses = _ansible_present(cf, [ACCOUNT_A, ACCOUNT_B], {"Env": "prod", "Team": {"use_previous_value": True}}, None)
    assert statuses == ["SUCCEEDED", "SUCCEEDED"]
    stack_set = cf.describe_stack_set(StackSetName="ansible-set")["StackSet"]
    assert stack_set["TemplateBody"] == TEMPLATE
    assert {p["ParameterKey"]: p["ParameterValue"] for p in stack_set["Parameters"]} == {"Env": "prod", "Team": "core"}
    update = cf.list_stack_set_operations(StackSetName="ansible-set")["Summaries"][1]
    assert update["Action"] == "UPDATE"
    results = cf.list_stack_set_operation_results(StackSetName="ansible-set", OperationId=update["OperationId"])
    assert sorted((r["Account"], r["Region"], r["Status"]) for r in results["Summaries"]) == sorted(
        (a, r, "SUCCEEDED") for a in (ACCOUNT_A, ACCOUNT_B) for r in REGIONS
    )
    instances = cf.list_stack_instances(StackSetName="ansible-set")["Summaries"]
    assert {i["Status"] for i in instances} == {"CURRENT"}


def test_ansible_creates_then_updates_a_stack_set(cf: Any) -> None:
    _flow(cf)


def test_ansible_creates_then_updates_a_stack_set_in_server_mode(server_cf: Any) -> None:
    _flow(server_cf)
