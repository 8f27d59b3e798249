"""The stacks behind stack instances: read by the member account with its own AccessKey, in the instance's
region, and kept in step with the group's operations."""

from __future__ import annotations

from alibabacloud_ros20190910 import models as ros  # type: ignore[import-untyped]

from moto_stacksets_ext import control

from .ros_support import A1, A2, REGION, assert_error, create_group, create_instances, raises
from .stack_support import (
    BEIJING,
    INSTANCE_TEMPLATE,
    Clients,
    events,
    get_stack,
    instance,
    outputs,
    stack_count,
)


def test_member_account_reads_the_stack_of_its_instance(clients: Clients) -> None:
    admin = clients()
    create_group(admin, template_body=INSTANCE_TEMPLATE)
    create_instances(admin, account_ids=[A1, A2], region_ids=[BEIJING])
    found = instance(admin, A1, BEIJING)
    assert found.status == "CURRENT"
    member = clients(access_key=A1)

    stack = get_stack(member, found.stack_id, BEIJING)
    assert stack.status == "CREATE_COMPLETE"
    assert stack.stack_name.startswith("StackGroup-MyStackGroup-")
    assert stack.region_id == BEIJING
    assert stack.description == "network"
    resources = member.list_stack_resources(
        ros.ListStackResourcesRequest(region_id=BEIJING, stack_id=found.stack_id)
    ).body.resources
    assert [(r.logical_resource_id, r.resource_type, r.status) for r in resources] == [
        ("Vpc", "ALIYUN::ECS::VPC", "CREATE_COMPLETE"),
        ("VSwitch", "ALIYUN::ECS::VSwitch", "CREATE_COMPLETE"),
    ]
    vpc_id = resources[0].physical_resource_id
    assert vpc_id.startswith("vpc-") and resources[1].physical_resource_id.startswith("vsw-")
    # Outputs: literal, Ref to a parameter, Ref to a resource; an attribute the mock does not model is left out.
    assert outputs(stack) == {"VpcId": vpc_id, "Env": "dev", "Fixed": "literal"}
    assert {p.parameter_key: p.parameter_value for p in stack.parameters}["Env"] == "dev"
    one = member.get_stack_resource(
        ros.GetStackResourceRequest(region_id=BEIJING, stack_id=found.stack_id, logical_resource_id="Vpc")
    ).body
    assert (one.physical_resource_id, one.status) == (vpc_id, "CREATE_COMPLETE")
    assert events(member, found.stack_id, BEIJING) == [
        (stack.stack_name, "CREATE_IN_PROGRESS"),
        ("Vpc", "CREATE_IN_PROGRESS"),
        ("Vpc", "CREATE_COMPLETE"),
        ("VSwitch", "CREATE_IN_PROGRESS"),
        ("VSwitch", "CREATE_COMPLETE"),
        (stack.stack_name, "CREATE_COMPLETE"),
    ]
    with_outputs = admin.get_stack_instance(
        ros.GetStackInstanceRequest(
            region_id=REGION,
            stack_group_name="MyStackGroup",
            stack_instance_account_id=A1,
            stack_instance_region_id=BEIJING,
            output_option="Enabled",
        )
    ).body.stack_instance
    assert {o["OutputKey"]: o["OutputValue"] for o in with_outputs.outputs} == outputs(stack)
    template = member.get_template(ros.GetTemplateRequest(region_id=BEIJING, stack_id=found.stack_id)).body
    assert template.template_body == INSTANCE_TEMPLATE
    listed = member.list_stacks(ros.ListStacksRequest(region_id=BEIJING)).body
    assert [s.stack_id for s in listed.stacks] == [found.stack_id]
    # Another account, or another region, does not see it.
    assert_error(
        raises(lambda: get_stack(admin, found.stack_id, BEIJING)),
        "StackNotFound",
        404,
        f"The Stack ({found.stack_id}) could not be found.",
    )
    assert stack_count(member, REGION) == 0
    assert_error(
        raises(
            lambda: member.get_stack_resource(
                ros.GetStackResourceRequest(region_id=BEIJING, stack_id=found.stack_id, logical_resource_id="Nope")
            )
        ),
        "ResourceNotFound",
        404,
        f"The Resource (Nope) could not be found in Stack {stack.stack_name}.",
    )


def test_instance_stacks_follow_updates_overrides_and_deletes(clients: Clients) -> None:
    admin = clients()
    create_group(admin, template_body=INSTANCE_TEMPLATE)
    create_instances(admin, account_ids=[A1], region_ids=[BEIJING, REGION])
    member = clients(access_key=A1)
    stack_id = instance(admin, A1, BEIJING).stack_id
    admin.update_stack_instances(
        ros.UpdateStackInstancesRequest(
            region_id=REGION,
            stack_group_name="MyStackGroup",
            account_ids=[A1],
            region_ids=[BEIJING],
            parameter_overrides=[ros.UpdateStackInstancesRequestParameterOverrides("Env", "prod")],
        )
    )
    updated = get_stack(member, stack_id, BEIJING)
    assert (updated.status, outputs(updated)["Env"]) == ("UPDATE_COMPLETE", "prod")
    assert outputs(get_stack(member, instance(admin, A1, REGION).stack_id))["Env"] == "dev"
    # RetainStacks keeps the stack (no longer an instance's); otherwise the stack is deleted.
    kept_id = instance(admin, A1, REGION).stack_id
    admin.delete_stack_instances(
        ros.DeleteStackInstancesRequest(
            region_id=REGION, stack_group_name="MyStackGroup", account_ids=[A1], region_ids=[REGION], retain_stacks=True
        )
    )
    assert get_stack(member, kept_id).status == "CREATE_COMPLETE"
    admin.delete_stack_instances(
        ros.DeleteStackInstancesRequest(
            region_id=REGION,
            stack_group_name="MyStackGroup",
            account_ids=[A1],
            region_ids=[BEIJING],
            retain_stacks=False,
        )
    )
    assert raises(lambda: get_stack(member, stack_id, BEIJING)).code == "StackNotFound"
    assert stack_count(member, BEIJING) == 0


def test_instance_stack_appears_as_its_target_deploys(clients: Clients) -> None:
    admin = clients()
    create_group(admin, template_body=INSTANCE_TEMPLATE)
    control.set_progression("manual", cloud="alibaba")
    operation_id = create_instances(admin, account_ids=[A1], region_ids=[BEIJING])
    member = clients(access_key=A1)
    assert stack_count(member, BEIJING) == 0  # the target has not deployed yet
    for _ in range(5):
        status = admin.get_stack_group_operation(
            ros.GetStackGroupOperationRequest(region_id=REGION, operation_id=operation_id)
        ).body.stack_group_operation.status
        if status == "SUCCEEDED":
            break
    assert status == "SUCCEEDED"
    stack_id = instance(admin, A1, BEIJING).stack_id
    assert get_stack(member, stack_id, BEIJING).status == "CREATE_COMPLETE"


def test_a_failed_target_leaves_no_instance_stack_id(clients: Clients) -> None:
    admin = clients()
    create_group(admin, template_body=INSTANCE_TEMPLATE)
    control.fail(cloud="alibaba", account=A2, region=BEIJING, reason="Quota exceeded")
    create_instances(
        admin, account_ids=[A1, A2], region_ids=[BEIJING], operation_preferences={"FailureToleranceCount": 1}
    )
    failed = instance(admin, A2, BEIJING)
    assert (failed.status, failed.stack_id) == ("OUTDATED", None)
    assert stack_count(clients(access_key=A2), BEIJING) == 0
    assert stack_count(clients(access_key=A1), BEIJING) == 1


def test_import_adopts_existing_stacks(clients: Clients) -> None:
    admin = clients()
    create_group(admin, template_body=INSTANCE_TEMPLATE)
    member = clients(access_key=A1)
    stack_id = str(
        member.create_stack(
            ros.CreateStackRequest(region_id=BEIJING, stack_name="Existing", template_body=INSTANCE_TEMPLATE)
        ).body.stack_id
    )
    arn = f"acs:ros:{BEIJING}:{A1}:stack/{stack_id}"
    # A missing stack or a malformed ARN is refused before anything changes.
    assert_error(
        raises(
            lambda: admin.import_stacks_to_stack_group(
                ros.ImportStacksToStackGroupRequest(
                    region_id=REGION,
                    stack_group_name="MyStackGroup",
                    stack_arns=[arn, f"acs:ros:{REGION}:{A2}:stack/nope"],
                )
            )
        ),
        "StackNotFound",
        404,
        "The Stack (nope) could not be found.",
    )
    assert (
        raises(
            lambda: admin.import_stacks_to_stack_group(
                ros.ImportStacksToStackGroupRequest(
                    region_id=REGION, stack_group_name="MyStackGroup", stack_arns=["arn"]
                )
            )
        ).code
        == "InvalidParameter"
    )
    operations = admin.list_stack_group_operations(
        ros.ListStackGroupOperationsRequest(region_id=REGION, stack_group_name="MyStackGroup")
    ).body
    assert operations.total_count == 0
    operation_id = admin.import_stacks_to_stack_group(
        ros.ImportStacksToStackGroupRequest(region_id=REGION, stack_group_name="MyStackGroup", stack_arns=[arn])
    ).body.operation_id
    operation = admin.get_stack_group_operation(
        ros.GetStackGroupOperationRequest(region_id=REGION, operation_id=operation_id)
    ).body.stack_group_operation
    assert (operation.action, operation.status) == ("CREATE", "SUCCEEDED")
    adopted = instance(admin, A1, BEIJING)
    assert (adopted.status, adopted.stack_id) == ("CURRENT", stack_id)
    # The adopted stack is the instance's now: deleting the instance deletes it.
    admin.delete_stack_instances(
        ros.DeleteStackInstancesRequest(
            region_id=REGION,
            stack_group_name="MyStackGroup",
            account_ids=[A1],
            region_ids=[BEIJING],
            retain_stacks=False,
        )
    )
    assert stack_count(member, BEIJING) == 0


def test_instance_stacks_come_back_with_a_saved_state() -> None:
    import json

    from moto_stacksets_ext import mock_stacksets
    from moto_stacksets_ext.persistence import export_state, import_state

    from .ros_support import make_client

    with mock_stacksets():
        admin = make_client()
        create_group(admin, template_body=INSTANCE_TEMPLATE)
        create_instances(admin, account_ids=[A1], region_ids=[BEIJING])
        stack_id = instance(admin, A1, BEIJING).stack_id
        saved = json.loads(json.dumps(export_state()))
        control.reset()
        member = make_client(access_key=A1)
        assert stack_count(member, BEIJING) == 0
        import_state(saved)
        restored = get_stack(member, stack_id, BEIJING)
        assert (restored.status, outputs(restored)["Env"]) == ("CREATE_COMPLETE", "dev")


def test_async_methods_read_instance_stacks(clients: Clients) -> None:
    import asyncio

    admin = clients()
    create_group(admin, template_body=INSTANCE_TEMPLATE)
    create_instances(admin, account_ids=[A1], region_ids=[BEIJING])
    stack_id = instance(admin, A1, BEIJING).stack_id
    member = clients(access_key=A1)

    async def read() -> tuple[str, int]:
        got = await member.get_stack_async(ros.GetStackRequest(region_id=BEIJING, stack_id=stack_id))
        listed = await member.list_stack_resources_async(
            ros.ListStackResourcesRequest(region_id=BEIJING, stack_id=stack_id)
        )
        return got.body.status, len(listed.body.resources)

    assert asyncio.run(read()) == ("CREATE_COMPLETE", 2)
