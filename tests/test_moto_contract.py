"""Contract tests: what the plugin takes from moto's internals is still there, with the signatures it relies
on; and when it is not, the plugin fails loudly (naming the moto version) instead of falling through."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import boto3
import moto
import pytest
from moto.cloudformation.models import CloudFormationBackend, Stack
from moto.organizations.models import OrganizationsBackend

from moto_stacksets_ext import install, installed, mock_stacksets, moto_internals, uninstall
from moto_stacksets_ext.moto_internals import CONTRACT, MotoContractError, Signature

from support import ADMIN, REGION, TOPIC_TEMPLATE


@pytest.fixture
def fresh_contract(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make ``check_contract`` look again (it checks once per process), and leave moto as it was."""
    was_installed = installed()
    uninstall()
    moto_internals._checked = False
    yield
    monkeypatch.undo()  # moto's own methods back before installing again
    moto_internals._checked = False
    if was_installed:
        install()


@pytest.mark.parametrize("signature", CONTRACT, ids=lambda s: s.name)
def test_every_internal_the_plugin_uses_is_there_with_its_parameters(signature: Signature) -> None:
    found = signature.check()
    if signature.parameters:
        names = set(inspect.signature(found).parameters)
        assert set(signature.parameters) <= names


def test_the_cloudformation_route_is_where_the_plugin_swaps_it() -> None:
    from moto.cloudformation import urls

    assert moto_internals.CLOUDFORMATION_ROUTE in urls.url_paths
    assert moto_internals.cloudformation_routes() is urls.url_paths


def test_the_delegated_administrator_services_are_a_list() -> None:
    assert isinstance(moto_internals.delegated_admin_services(), list)


def test_organizations_calls_are_made_with_account_id_keywords() -> None:
    """moto's responses call the wrapped Organizations methods with the request's members as keywords."""
    seen: dict[str, set[str]] = {}
    with mock_stacksets():
        originals = {name: getattr(OrganizationsBackend, name) for name in moto_internals.ORGANIZATIONS_BACKEND_METHODS}

        def spy(name: str) -> Any:
            def method(self: Any, **kwargs: Any) -> Any:
                seen[name] = set(kwargs)
                return originals[name](self, **kwargs)

            return method

        try:
            for name in originals:
                setattr(OrganizationsBackend, name, spy(name))
            org = boto3.client("organizations", region_name=REGION)
            org.create_organization(FeatureSet="ALL")
            root = org.list_roots()["Roots"][0]["Id"]
            unit = org.create_organizational_unit(ParentId=root, Name="Workloads")["OrganizationalUnit"]["Id"]
            account = org.create_account(AccountName="a", Email="a@example.com")["CreateAccountStatus"]["AccountId"]
            org.move_account(AccountId=account, SourceParentId=root, DestinationParentId=unit)
            org.close_account(AccountId=account)
            other = org.create_account(AccountName="b", Email="b@example.com")["CreateAccountStatus"]["AccountId"]
            org.remove_account_from_organization(AccountId=other)
        finally:
            for name, original in originals.items():
                setattr(OrganizationsBackend, name, original)
    assert all(
        "AccountId" in seen[name] for name in ("move_account", "close_account", "remove_account_from_organization")
    )
    assert "AccountName" in seen["create_account"]


def test_a_moved_backend_method_fails_install_loudly(monkeypatch: pytest.MonkeyPatch, fresh_contract: None) -> None:
    def create_stack(self: Any, stack_name: str, template: str, parameters: dict[str, Any]) -> Any:
        raise AssertionError("never called")

    monkeypatch.setattr(CloudFormationBackend, "create_stack", create_stack)
    with pytest.raises(MotoContractError) as raised:
        install()
    message = str(raised.value)
    assert f"moto {moto.__version__}" in message
    assert "CloudFormationBackend.create_stack no longer takes ['name'" in message
    assert not installed()


def test_a_removed_internal_fails_install_loudly(monkeypatch: pytest.MonkeyPatch, fresh_contract: None) -> None:
    monkeypatch.delattr(Stack, "_add_stack_event")
    with pytest.raises(MotoContractError, match=r"Stack\._add_stack_event does not exist"), mock_stacksets():
        pass
    assert not installed()


def test_a_changed_keyword_fails_loudly_instead_of_falling_through() -> None:
    with pytest.raises(MotoContractError, match="without the keyword argument 'AccountId'"):
        moto_internals.keyword({"account_id": "111111111111"}, "AccountId", "OrganizationsBackend.move_account")


def test_the_stack_rebuild_and_its_events_use_moto_s_own_classes() -> None:
    with mock_stacksets():
        stack = moto_internals.new_stack(
            stack_id=moto_internals.generate_stack_id("s", REGION, "123456789012"),
            name="s",
            template=TOPIC_TEMPLATE,
            parameters={},
            account_id="123456789012",
            region_name=REGION,
        )
        moto_internals.add_stack_event(stack, "CREATE_IN_PROGRESS", "User Initiated")
    assert isinstance(stack, Stack)
    assert [(e.resource_status, e.resource_status_reason) for e in stack.events][-1] == (
        "CREATE_IN_PROGRESS",
        "User Initiated",
    )
    with pytest.raises(TypeError, match="new_stack"):
        moto_internals.new_stack(stack_name="s")


def test_existing_backend_reads_made_backends_and_never_makes_one() -> None:
    from moto.cloudformation.models import cloudformation_backends

    moto_internals.check_backend_dicts()
    with mock_stacksets():
        assert moto_internals.existing_backend(cloudformation_backends, "444455556666", REGION) is None
        assert "444455556666" not in dict.keys(cloudformation_backends)
        made = cloudformation_backends["444455556666"][REGION]
        assert moto_internals.existing_backend(cloudformation_backends, "444455556666", REGION) is made
        assert moto_internals.existing_backend(cloudformation_backends, "444455556666", "eu-west-1") is None


def test_moto_registers_a_backend_dict_and_keeps_its_accounts_as_entries() -> None:
    """The account fast path (``cloudformation/caches.py``) relies on moto's own function making an account's
    ``AccountSpecificBackend`` as a dictionary entry and registering the ``BackendDict`` in ``_instances``."""
    from moto.core.base_backend import AccountSpecificBackend, BackendDict

    create = moto_internals.CREATE_ACCOUNT_BACKEND.check()
    backends = BackendDict(CloudFormationBackend, "cloudformation")
    assert not any(known is backends for known in moto_internals.made_backend_dicts())
    try:
        create(backends, "444455556666")
        assert isinstance(dict.get(backends, "444455556666"), AccountSpecificBackend)
        assert any(known is backends for known in moto_internals.made_backend_dicts())
        assert moto_internals.made_backend_dicts() is BackendDict._instances
    finally:
        BackendDict._instances.remove(backends)


def test_moto_warns_with_the_text_the_plugin_filters_for_an_unserved_type(caplog: pytest.LogCaptureFixture) -> None:
    """``template_types`` drops moto's unsupported-type warning (for a type its fallback serves) by its text;
    and moto's template parser looks types up through the two functions the plugin wraps."""
    import logging

    from moto.cloudformation import parsing

    original = moto_internals.RESOURCE_CLASS_FROM_TYPE.check()
    with caplog.at_level(logging.WARNING, logger=moto_internals.MOTO_LOGGER):
        assert original("Example::Test::Unserved") is None
    (record,) = [r for r in caplog.records if "Example::Test::Unserved" in r.getMessage()]
    assert record.name == moto_internals.MOTO_LOGGER
    assert moto_internals.is_unsupported_type_record(record, "Example::Test::Unserved")
    assert "resource_class_from_type" in inspect.getsource(parsing.parse_resource)
    assert "resource_name_property_from_type" in inspect.getsource(parsing.parse_resource_and_generate_name)


def test_a_template_s_resources_are_made_lazily_into_parsed_resources() -> None:
    """``template_stacks`` keeps a rolled-back stack's deleted resources in ``_parsed_resources``: moto makes a
    resource missing from it again when the stack's resources are read."""
    with mock_stacksets():
        cf = boto3.client("cloudformation", region_name=REGION)
        cf.create_stack(StackName="lazy", TemplateBody=TOPIC_TEMPLATE)
        from moto.cloudformation.models import cloudformation_backends

        backend = cloudformation_backends[ADMIN][REGION]
        stack = next(s for s in backend.stacks.values() if s.name == "lazy")
        made = moto_internals.parsed_resources(stack.resource_map)
        assert set(made) >= {"Topic"}
        made.pop("Topic")
        cf.list_stack_resources(StackName="lazy")
        assert "Topic" in moto_internals.parsed_resources(stack.resource_map)


def test_an_update_is_diffed_against_the_resource_map_s_template() -> None:
    """``template_stacks`` puts a rolled-back update's template back into moto's resource map
    (``restore_template``): moto diffs the next update against it."""
    import json

    with mock_stacksets():
        cf = boto3.client("cloudformation", region_name=REGION)
        cf.create_stack(StackName="diffed", TemplateBody=TOPIC_TEMPLATE)
        from moto.cloudformation.models import cloudformation_backends

        stack = next(s for s in cloudformation_backends[ADMIN][REGION].stacks.values() if s.name == "diffed")
        renamed = json.loads(TOPIC_TEMPLATE)
        renamed["Resources"]["Topic"]["Properties"]["TopicName"] = "renamed"
        moto_internals.restore_template(stack.resource_map, renamed)
        # the stack's own template is unchanged, yet moto now sees the update of the topic as a change back
        assert stack.resource_map.build_resource_diff(json.loads(TOPIC_TEMPLATE))["Modify"] == ["Topic"]
