"""The seam for the plugin's own template resource types (``cloudformation/template_types.py``): registered
models serve their type in moto's template parser (over moto's own model), a fallback serves what nothing
else does, and ``uninstall()`` gives moto its parser back."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.cloudformation import parsing

from moto_stacksets_ext import install, installed, mock_stacksets, uninstall
from moto_stacksets_ext.cloudformation import schema_resources, template_types
from moto_stacksets_ext.cloudformation.template_types import PluginModel

from support import REGION

WIDGET = "Example::Test::Widget"
made: list[str] = []


class Widget(PluginModel):
    """A template type only this test serves: it records what it made."""

    # moto's model metaclass files each model class under the second part of its module's dotted name
    __module__ = "tests.test_template_types"

    def __init__(self, name: str, size: str) -> None:
        self.name = name
        self.size = size

    @property
    def physical_resource_id(self) -> str:
        return f"widget-{self.name}"

    @staticmethod
    def cloudformation_type() -> str:
        return WIDGET

    @staticmethod
    def cloudformation_name_type() -> str:
        return "WidgetName"

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr == "Size"

    def get_cfn_attribute(self, attribute_name: str) -> str:
        return self.size

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Widget:
        made.append(resource_name)
        return cls(resource_name, str(cloudformation_json["Properties"].get("Size", "M")))


class Topic(Widget):
    """Registered for a type moto serves itself (``AWS::SNS::Topic``)."""

    __module__ = "tests.test_template_types"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SNS::Topic"


@pytest.fixture
def registered() -> Iterator[None]:
    template_types.register(Widget)
    made.clear()
    yield
    template_types.unregister(WIDGET)
    template_types.unregister("AWS::SNS::Topic")
    template_types.set_fallback(schema_resources.model_for)  # the plugin's own fallback
    made.clear()


def _template(resource_type: str, **properties: Any) -> str:
    return json.dumps(
        {
            "Resources": {"Thing": {"Type": resource_type, "Properties": properties}},
            "Outputs": {"Id": {"Value": {"Ref": "Thing"}}},
        }
    )


def test_a_registered_type_is_made_listed_and_referenced(registered: None) -> None:
    with mock_stacksets():
        cf = boto3.client("cloudformation", region_name=REGION)
        template = json.dumps(
            {
                "Resources": {"Thing": {"Type": WIDGET, "Properties": {"WidgetName": "w1", "Size": "XL"}}},
                "Outputs": {"Id": {"Value": {"Ref": "Thing"}}, "Size": {"Value": {"Fn::GetAtt": ["Thing", "Size"]}}},
            }
        )
        cf.create_stack(StackName="widgets", TemplateBody=template)
        stack = cf.describe_stacks(StackName="widgets")["Stacks"][0]
        assert stack["StackStatus"] == "CREATE_COMPLETE"
        outputs = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
        assert outputs == {"Id": "widget-w1", "Size": "XL"}
        (summary,) = cf.list_stack_resources(StackName="widgets")["StackResourceSummaries"]
        assert (summary["LogicalResourceId"], summary["ResourceType"], summary["PhysicalResourceId"]) == (
            "Thing",
            WIDGET,
            "widget-w1",
        )
    assert made == ["w1"]


def test_a_registered_model_takes_precedence_over_motos(registered: None) -> None:
    template_types.register(Topic)
    with mock_stacksets():
        cf = boto3.client("cloudformation", region_name=REGION)
        cf.create_stack(StackName="topics", TemplateBody=_template("AWS::SNS::Topic", WidgetName="t1"))
        (summary,) = cf.list_stack_resources(StackName="topics")["StackResourceSummaries"]
        assert summary["PhysicalResourceId"] == "widget-t1"
        assert boto3.client("sns", region_name=REGION).list_topics()["Topics"] == []


def test_unregistering_gives_the_type_back_to_moto(registered: None) -> None:
    template_types.register(Topic)
    template_types.unregister("AWS::SNS::Topic")
    with mock_stacksets():
        cf = boto3.client("cloudformation", region_name=REGION)
        cf.create_stack(StackName="topics", TemplateBody=_template("AWS::SNS::Topic"))
        assert len(boto3.client("sns", region_name=REGION).list_topics()["Topics"]) == 1


def test_the_fallback_serves_only_what_nothing_else_serves(registered: None, caplog: pytest.LogCaptureFixture) -> None:
    asked: list[str] = []

    def fallback(resource_type: str) -> type[PluginModel] | None:
        asked.append(resource_type)
        return Widget if resource_type == "Example::Test::Gadget" else None

    template_types.set_fallback(fallback)
    with mock_stacksets(), caplog.at_level(logging.WARNING, logger="moto"):
        cf = boto3.client("cloudformation", region_name=REGION)
        cf.create_stack(StackName="gadgets", TemplateBody=_template("Example::Test::Gadget", WidgetName="g1"))
        cf.create_stack(StackName="topics", TemplateBody=_template("AWS::SNS::Topic"))
        cf.create_stack(StackName="widgets", TemplateBody=_template(WIDGET, WidgetName="w1"))
        # a type nothing serves (and no published schema knows) is CloudFormation's template format error
        with pytest.raises(ClientError) as excinfo:
            cf.create_stack(StackName="nothing", TemplateBody=_template("Example::Test::Nothing"))
        assert "Unrecognized resource types: [Example::Test::Nothing]" in excinfo.value.response["Error"]["Message"]
        (gadget,) = cf.list_stack_resources(StackName="gadgets")["StackResourceSummaries"]
        assert (gadget["ResourceType"], gadget["PhysicalResourceId"]) == ("Example::Test::Gadget", "widget-g1")
    assert "AWS::SNS::Topic" not in asked and WIDGET not in asked
    unsupported = [r.getMessage() for r in caplog.records if "No Moto CloudFormation support" in r.getMessage()]
    # moto's warning for the type nothing serves, none for the one the fallback serves
    assert unsupported and set(unsupported) == {"No Moto CloudFormation support for Example::Test::Nothing"}


def test_uninstall_gives_moto_its_parser_back(registered: None) -> None:
    was_installed = installed()
    install()
    try:
        assert parsing.resource_class_from_type(WIDGET) is Widget
        assert parsing.resource_name_property_from_type(WIDGET) == "WidgetName"
    finally:
        uninstall()
    try:
        assert parsing.resource_class_from_type(WIDGET) is None
        assert parsing.resource_name_property_from_type(WIDGET) is None
        # moto's own model list never holds the plugin's models (they are not direct subclasses)
        assert Widget not in parsing.get_model_list()
    finally:
        if was_installed:
            install()


def test_a_registration_must_name_a_type() -> None:
    class Nameless(PluginModel):
        __module__ = "tests.test_template_types"

        @staticmethod
        def cloudformation_type() -> str:
            return "Widget"

    with pytest.raises(ValueError, match="must name a resource type"):
        template_types.register(Nameless)


def test_motos_name_property_is_kept_per_type_while_its_models_are_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """The plugin keeps moto's answer per type while moto searches the same list of model classes (moto
    caches that list); a new list (moto's cache cleared, a model class added) is searched anew."""
    from moto_stacksets_ext import moto_internals

    lists: list[list[Any]] = [list(parsing.get_model_list())]
    monkeypatch.setattr(moto_internals, "model_list", lambda: lambda: lists[0])
    calls: list[str] = []

    def moto_lookup(resource_type: str) -> str | None:
        calls.append(resource_type)
        for model in lists[0]:
            if model.cloudformation_type() == resource_type:
                return str(model.cloudformation_name_type())
        return None

    lookup = template_types._name_property(moto_lookup)
    types = [model.cloudformation_type() for model in lists[0]] + [WIDGET]
    first = {resource_type: lookup(resource_type) for resource_type in types}
    assert {resource_type: lookup(resource_type) for resource_type in types} == first
    for resource_type in types:
        if first[resource_type] is not None:  # None: the plugin's fallback was asked as well
            assert first[resource_type] == moto_lookup(resource_type)
    assert calls.count(WIDGET) == 1  # moto was asked once for it, and the answer kept
    assert first[WIDGET] is None

    lists[0] = [*lists[0], Widget]  # a new list, with a model class for the type
    assert lookup(WIDGET) == "WidgetName"
    assert calls.count(WIDGET) == 2
