"""Templates AWS deploys, deployed by moto's parser: the plugin's wrappers around it.

* ``template_types.set_fallback(schema_resources.model_for)``: a type moto has no model for, known to the
  published schemas, is a resource of its stack (``schema_resources``);
* ``clean_json`` (moto's value resolution) resolves ``Fn::GetAtt`` of an attribute the type's schema lists
  and moto's model lacks (``Fn::GetAtt [Topic, TopicArn]``), where moto raised "does not support attribute
  type"; ``ResourceMap.validate_outputs`` no longer refuses such an attribute in ``Outputs``;
* ``CreateStack``, ``UpdateStack``, ``CreateChangeSet``, ``ValidateTemplate`` (and ``GetTemplateSummary`` of
  a ``TemplateBody``, in ``responses``) refuse a template
  declaring a type that exists nowhere (neither moto nor the schemas of the region know it) with
  CloudFormation's ``ValidationError`` "Template format error: Unrecognized resource types: [...]",
  before anything changes. A stack-set instance whose template declares one fails with that reason.

Sources for the refusal: the AWS CLI answers ``ValidationError`` "Template format error: Unrecognized
resource types: [AWS::CodeBuild::Project]" on CreateStack and ValidateTemplate
(github.com/velomash/aws-git-backed-gatsby-static-site/issues/1) and on GetTemplateSummary
(github.com/aws/aws-cli/issues/6805); a type behind a ``Condition`` is not refused (measured against an
account by github.com/ministackorg/ministack/pull/1628, which also lists UpdateStack and CreateChangeSet).
CreateStackSet is not known to refuse it: the stack set is created and its instances fail.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from moto.cloudformation.exceptions import UnformattedGetAttTemplateException, ValidationError

from .. import moto_internals
from . import resource_schemas, schema_resources, template_types

UNRECOGNIZED = "Template format error: Unrecognized resource types: [{}]"

#: Where a resource's GetAtt values made for an attribute moto lacks are kept (on the moto resource).
_MADE = "_moto_stacksets_ext_attributes"


# -- unrecognized types -------------------------------------------------------------------------------
def unrecognized_types(template: Any, region: str) -> list[str]:
    """The declared types (in order, once each) that neither moto, the plugin nor the schemas of ``region``
    know. Resources with a ``Condition`` are not checked."""
    resources = template.get("Resources") if isinstance(template, dict) else None
    if not isinstance(resources, dict):
        return []
    served = moto_internals.moto_resource_types()
    unknown: list[str] = []
    for declaration in resources.values():
        if not isinstance(declaration, dict) or "Condition" in declaration:
            continue
        kind = declaration.get("Type")
        if not isinstance(kind, str) or kind in unknown:
            continue
        if kind in served or template_types.registered(kind) is not None or resource_schemas.known(kind, region):
            continue
        if template_types.resolve(kind, lambda _type: None) is not None:  # another fallback serves it
            continue
        unknown.append(kind)
    return unknown


def check_template(template: Any, region: str) -> None:
    """CloudFormation's ``ValidationError`` for a template text declaring a type that exists nowhere."""
    if not isinstance(template, str) or not template:
        return
    try:
        parsed = moto_internals.parse_template(template)
    except Exception:
        return  # moto reports malformed templates itself
    unknown = unrecognized_types(parsed, region)
    if unknown:
        raise ValidationError(message=UNRECOGNIZED.format(", ".join(unknown)))


def _template_argument(args: tuple[Any, ...], kwargs: dict[str, Any], position: int) -> Any:
    if "template" in kwargs:
        return kwargs["template"]
    return args[position] if len(args) > position else None


def _checked(position: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A backend method that checks its ``template`` argument (at ``position`` when passed positionally)."""

    def make(original: Callable[..., Any]) -> Callable[..., Any]:
        def checked(self: Any, *args: Any, **kwargs: Any) -> Any:
            check_template(_template_argument(args, kwargs, position), str(self.region_name))
            return original(self, *args, **kwargs)

        return checked

    return make


# -- attributes moto lacks ----------------------------------------------------------------------------
def _clean_json(original: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def clean_json(resource_json: Any, resources_map: Any) -> Any:
        if isinstance(resource_json, dict) and "Fn::GetAtt" in resource_json and "Ref" not in resource_json:
            resolved = _get_att(resource_json["Fn::GetAtt"], resources_map)
            if resolved is not _UNRESOLVED:
                return resolved
        return original(resource_json, resources_map)

    return clean_json


_UNRESOLVED = object()


def _get_att(arguments: Any, resources_map: Any) -> Any:
    """The value of an attribute moto's model lacks and the schema lists, or ``_UNRESOLVED`` (moto decides)."""
    if not isinstance(arguments, list) or len(arguments) != 2 or not all(isinstance(a, str) for a in arguments):
        return _UNRESOLVED
    logical_id, attribute = arguments
    try:
        resource = resources_map.get(logical_id)
    except Exception:
        return _UNRESOLVED  # moto raises its own error for this resource again
    if resource is None or isinstance(resource, schema_resources.SchemaResource):
        return _UNRESOLVED
    try:
        return resource.get_cfn_attribute(attribute)
    except (UnformattedGetAttTemplateException, NotImplementedError):
        pass
    made: dict[str, Any] = getattr(resource, _MADE, None) or {}
    if attribute in made:
        return made[attribute]
    region = str(resources_map["AWS::Region"])
    account = str(resources_map["AWS::AccountId"])

    def properties() -> dict[str, Any]:
        declared = moto_internals.resource_map_json(resources_map, logical_id) or {}
        raw = declared.get("Properties")
        if not isinstance(raw, dict):
            return {}
        cleaned = moto_internals.clean_json(raw, resources_map)
        return cleaned if isinstance(cleaned, dict) else {}

    found, value = schema_resources.missing_attribute(resource, attribute, properties, account, region)
    if not found:
        return _UNRESOLVED
    made[attribute] = value
    with contextlib.suppress(AttributeError):  # a model with __slots__: the value is made again next time
        setattr(resource, _MADE, made)
    return value


def _validate_outputs(original: Callable[[Any], None]) -> Callable[[Any], None]:
    """moto refuses an output reading an attribute its model lacks; the schema may list it."""

    def validate_outputs(self: Any) -> None:
        template = moto_internals.resource_map_template(self)
        outputs = template.get("Outputs") if isinstance(template, dict) else None
        if not isinstance(outputs, dict):
            original(self)
            return
        region = str(self["AWS::Region"])
        kept = {key: value for key, value in outputs.items() if not _schema_served(value, template, region)}
        if len(kept) == len(outputs):
            original(self)
            return
        moto_internals.set_resource_map_template(self, {**template, "Outputs": kept})
        try:
            original(self)
        finally:
            moto_internals.set_resource_map_template(self, template)

    return validate_outputs


def _schema_served(output: Any, template: dict[str, Any], region: str) -> bool:
    """Whether an output reads ``Fn::GetAtt`` of an attribute that moto's model of the type lacks and the
    type's schema lists."""
    value = output.get("Value") if isinstance(output, dict) else None
    arguments = value.get("Fn::GetAtt") if isinstance(value, dict) else None
    if not isinstance(arguments, list) or len(arguments) != 2:
        return False
    resources = template.get("Resources") or {}
    declaration = resources.get(arguments[0]) if isinstance(resources, dict) else None
    kind = declaration.get("Type") if isinstance(declaration, dict) else None
    if not isinstance(kind, str) or not isinstance(arguments[1], str):
        return False
    model = moto_internals.resource_class(kind)
    if model is None or (model.has_cfn_attr(arguments[1]) and not issubclass(model, template_types.PluginModel)):
        return False
    return schema_resources.lists_attribute(kind, arguments[1], region)


# -- installing ---------------------------------------------------------------------------------------
#: The plugin's fallback for types moto has no model for (code, process-wide: set once, on import).
template_types.set_fallback(schema_resources.model_for)

_lock = threading.Lock()
_patched: list[tuple[Any, str, Any]] = []


def patch() -> None:
    """Install the wrappers. Idempotent; ``MotoContractError`` if moto moved them."""
    with _lock:
        if _patched:
            return
        _patched.append(moto_internals.wrap_attribute(moto_internals.CLEAN_JSON, _clean_json))
        _patched.append(moto_internals.wrap_method(moto_internals.VALIDATE_OUTPUTS, _validate_outputs))
        methods = moto_internals.CLOUDFORMATION_BACKEND_METHODS
        _patched.append(moto_internals.wrap_method(methods["create_stack"], _checked(1)))
        _patched.append(moto_internals.wrap_method(methods["update_stack"], _checked(1)))
        _patched.append(moto_internals.wrap_method(methods["create_change_set"], _checked(2)))
        _patched.append(moto_internals.wrap_method(moto_internals.VALIDATE_TEMPLATE, _checked(0)))


def unpatch() -> None:
    """Give moto its own functions back (the fallback stays set: it is code, and serves only when patched)."""
    with _lock:
        while _patched:
            moto_internals.unwrap(_patched.pop())
