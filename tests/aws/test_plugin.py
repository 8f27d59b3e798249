"""Registering the plugin: install/uninstall, mock_stacksets in every form, other services untouched."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

import moto_stacksets_ext
from moto_stacksets_ext import PluginInstallError, install, installed, mock_stacksets, uninstall

from support import REGION, TOPIC_TEMPLATE


def _list_stack_sets_page_size_honoured() -> bool:
    cf = boto3.client("cloudformation", region_name=REGION)
    for index in range(3):
        cf.create_stack_set(StackSetName=f"set-{index}", TemplateBody=TOPIC_TEMPLATE)
    page = cf.list_stack_sets(MaxResults=2)
    return len(page["Summaries"]) == 2 and "NextToken" in page


def test_install_and_uninstall_are_idempotent() -> None:
    install()
    install()
    assert installed()
    uninstall()
    uninstall()
    assert not installed()
    with mock_aws():
        # moto's own stack-set handling is back: it ignores MaxResults.
        cf = boto3.client("cloudformation", region_name=REGION)
        for index in range(3):
            cf.create_stack_set(StackSetName=f"set-{index}", TemplateBody=TOPIC_TEMPLATE)
        assert "NextToken" not in cf.list_stack_sets(MaxResults=2)
    install()
    with mock_aws():
        assert _list_stack_sets_page_size_honoured()


def test_install_names_the_moto_version_when_the_extension_point_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from moto.cloudformation import urls

    monkeypatch.setattr(urls, "url_paths", {})
    with pytest.raises(PluginInstallError, match=r"moto \d+\.\d+"):
        install()


def test_context_manager() -> None:
    with mock_stacksets():
        assert _list_stack_sets_page_size_honoured()


@mock_stacksets
def test_function_decorator() -> None:
    assert _list_stack_sets_page_size_honoured()


@mock_stacksets
class TestClassDecorator:
    def test_first(self) -> None:
        assert _list_stack_sets_page_size_honoured()

    def test_state_does_not_leak_between_tests(self) -> None:
        cf = boto3.client("cloudformation", region_name=REGION)
        assert cf.list_stack_sets()["Summaries"] == []


def test_state_is_cleared_when_the_mock_restarts() -> None:
    with mock_stacksets():
        cf = boto3.client("cloudformation", region_name=REGION)
        cf.create_stack_set(StackSetName="short-lived", TemplateBody=TOPIC_TEMPLATE)
    with mock_stacksets():
        cf = boto3.client("cloudformation", region_name=REGION)
        assert cf.list_stack_sets()["Summaries"] == []


def test_other_moto_services_keep_working() -> None:
    with mock_stacksets():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="still-moto")
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["still-moto"]
        cf = boto3.client("cloudformation", region_name=REGION)
        cf.create_stack(StackName="plain-stack", TemplateBody=TOPIC_TEMPLATE)
        assert cf.describe_stacks(StackName="plain-stack")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"


def test_public_api_is_small() -> None:
    assert set(moto_stacksets_ext.__all__) == {
        "Outcome",
        "OutcomeKind",
        "PluginInstallError",
        "StackSetsControl",
        "StackSetsMock",
        "StacksetsServer",
        "control",
        "install",
        "installed",
        "mock_stacksets",
        "uninstall",
    }
