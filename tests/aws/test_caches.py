"""The per-process caches (``cloudformation/caches.py``): the same answers as moto, each stack its own
template document, and moto's own functions back when the plugin is uninstalled."""

from __future__ import annotations

import inspect
import json

import boto3
import moto.core.responses as moto_responses
import pytest
from moto.cloudformation.models import Stack, cloudformation_backends
from moto.core.base_backend import AccountSpecificBackend, BackendDict
from moto.sns.models import sns_backends

from moto_stacksets_ext import install, installed, mock_stacksets, uninstall
from moto_stacksets_ext.cloudformation.responses import StackSetsResponse

from support import ACCOUNT_A, ACCOUNT_B, REGION, TOPIC_TEMPLATE

YAML_TEMPLATE = """
Parameters:
  Env: {Type: String, Default: dev}
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: !Sub "topic-${Env}"
Outputs:
  TopicArn:
    Value: !Ref Topic
"""


def test_every_instance_stack_has_its_own_parsed_template_equal_to_motos_parse() -> None:
    with mock_stacksets():
        cf = boto3.client("cloudformation", region_name=REGION)
        cf.create_stack_set(StackSetName="cached", TemplateBody=YAML_TEMPLATE)
        cf.create_stack_instances(StackSetName="cached", Accounts=[ACCOUNT_A, ACCOUNT_B], Regions=[REGION])
        stacks = [
            next(iter(cloudformation_backends[account][REGION].stacks.values())) for account in (ACCOUNT_A, ACCOUNT_B)
        ]
        original = inspect.getattr_static(Stack, "parse_template")
        assert stacks[0].template_dict == stacks[1].template_dict
        assert stacks[0].template_dict is not stacks[1].template_dict
        assert stacks[0].template_dict["Resources"] is not stacks[1].template_dict["Resources"]
        # a change moto (or a test) makes to one stack's document is not seen by the next stack
        stacks[0].template_dict["Resources"]["Topic"]["Properties"]["DisplayName"] = "changed"
        again = Stack.parse_template(YAML_TEMPLATE)
        assert again == stacks[1].template_dict
        assert again["Resources"]["Topic"]["Properties"]["DisplayName"] == {"Fn::Sub": "topic-${Env}"}
        assert isinstance(original, staticmethod)


def test_a_template_moto_cannot_parse_fails_each_time_as_without_the_cache() -> None:
    was_installed = installed()  # a session server in this process installed it: leave it so
    uninstall()
    try:
        Stack.parse_template("{not: [valid")
    except Exception as error:  # moto's own failure for this text
        expected = type(error)
    finally:
        if was_installed:
            install()
    with mock_stacksets():
        for _ in range(2):  # the second time would come from the cache if failures were kept
            with pytest.raises(expected):
                Stack.parse_template("{not: [valid")
        cf = boto3.client("cloudformation", region_name=REGION)
        cf.create_stack(StackName="fine", TemplateBody=TOPIC_TEMPLATE)
        assert cf.describe_stacks(StackName="fine")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"


def test_the_plugins_action_names_are_listed_once_and_other_classes_ask_moto_each_time() -> None:
    with mock_stacksets():
        names = moto_responses.method_names_from_class(StackSetsResponse)
        assert "describe_stack_set" in names and "list_stack_set_operations" in names

        class Grows(moto_responses.BaseResponse):
            pass

        before = moto_responses.method_names_from_class(Grows)
        Grows.late_action = lambda self: ""  # type: ignore[attr-defined]
        assert "late_action" not in before
        assert "late_action" in moto_responses.method_names_from_class(Grows)
        cf = boto3.client("cloudformation", region_name=REGION)
        assert cf.list_stack_sets()["Summaries"] == []


def test_uninstalling_gives_moto_its_own_functions_back() -> None:
    was_installed = installed()
    uninstall()
    names_function = moto_responses.method_names_from_class
    parse_descriptor = inspect.getattr_static(Stack, "parse_template")
    regions_descriptor = inspect.getattr_static(AccountSpecificBackend, "_generate_regions")
    account_function = inspect.getattr_static(BackendDict, "_create_account_specific_backend")
    try:
        install()
        assert moto_responses.method_names_from_class is not names_function
        assert inspect.getattr_static(Stack, "parse_template") is not parse_descriptor
        assert isinstance(inspect.getattr_static(Stack, "parse_template"), staticmethod)
        assert inspect.getattr_static(AccountSpecificBackend, "_generate_regions") is not regions_descriptor
        assert inspect.getattr_static(BackendDict, "_create_account_specific_backend") is not account_function
        uninstall()
        assert inspect.getattr_static(AccountSpecificBackend, "_generate_regions") is regions_descriptor
        assert moto_responses.method_names_from_class is names_function
        assert inspect.getattr_static(Stack, "parse_template") is parse_descriptor
        assert inspect.getattr_static(BackendDict, "_create_account_specific_backend") is account_function
        assert json.loads(json.dumps(Stack.parse_template(TOPIC_TEMPLATE))) == json.loads(TOPIC_TEMPLATE)
    finally:
        if was_installed:
            install()


def test_a_new_account_s_backends_get_the_regions_moto_lists_each_in_a_list_of_its_own() -> None:
    uninstall_after = not installed()
    moto_regions = list(AccountSpecificBackend("cloudformation", "000011112222", Stack, True, None).regions)
    install()
    try:
        with mock_stacksets():
            first = cloudformation_backends["333344445555"]
            second = cloudformation_backends["666677778888"]
            assert first.regions == second.regions == moto_regions
            first.regions.append("xx-test-1")
            assert "xx-test-1" not in second.regions
            assert "xx-test-1" not in cloudformation_backends["999900001111"].regions
    finally:
        if uninstall_after:
            uninstall()


def test_an_accounts_backends_are_made_once_registered_for_reset_and_made_again_after_it() -> None:
    """The account look-up answers from the dictionary once made: the same backends as moto's, every made
    ``BackendDict`` still registered for moto's reset, and fresh backends after a reset."""
    with mock_stacksets():
        cf = boto3.client("cloudformation", region_name=REGION)
        cf.create_stack_set(StackSetName="accounts", TemplateBody=TOPIC_TEMPLATE)
        cf.create_stack_instances(StackSetName="accounts", Accounts=[ACCOUNT_A, ACCOUNT_B], Regions=[REGION])
        made = cloudformation_backends[ACCOUNT_A]
        assert cloudformation_backends[ACCOUNT_A] is made
        assert dict.__getitem__(cloudformation_backends, ACCOUNT_A) is made
        assert any(known is cloudformation_backends for known in BackendDict._instances)
        assert any(known is sns_backends for known in BackendDict._instances)
        assert len(sns_backends[ACCOUNT_B][REGION].topics) == 1
        stack = next(iter(made[REGION].stacks.values()))
        assert stack.status == "CREATE_COMPLETE"
    with mock_stacksets():  # moto's reset emptied the dictionaries: the account is made anew, and empty
        assert ACCOUNT_A not in dict.keys(cloudformation_backends)
        fresh = cloudformation_backends[ACCOUNT_A]
        assert fresh is not made and fresh[REGION].stacks == {}
        assert any(known is cloudformation_backends for known in BackendDict._instances)


def test_a_backend_dict_moto_has_not_registered_is_registered_by_motos_own_function() -> None:
    """An account entry put in directly (not through moto's look-up) does not skip moto's registration."""
    with mock_stacksets():
        backends = BackendDict(type(cloudformation_backends[ACCOUNT_A][REGION]), "cloudformation")
        dict.__setitem__(backends, ACCOUNT_A, cloudformation_backends[ACCOUNT_A])
        assert not any(known is backends for known in BackendDict._instances)
        assert backends[ACCOUNT_A] is cloudformation_backends[ACCOUNT_A]
        assert any(known is backends for known in BackendDict._instances)
