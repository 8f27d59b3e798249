"""Template calls: GetTemplate and GetTemplateSummary, for a stack (``StackId``), a stack group
(``StackGroupName``) or, for the summary, a ``TemplateBody``. The mock keeps no template store and no
change sets: ``TemplateId`` is ``TemplateNotFound`` and ``ChangeSetId`` ``ChangeSetNotFound``."""

from __future__ import annotations

from .call import Call
from .errors import RosError, multiple_parameter, not_supported, template_not_found
from .stacks import find_stack
from .template_resources import StackTemplate


def _change_set_not_found(change_set_id: str) -> RosError:
    return RosError("ChangeSetNotFound", 404, f"The ChangeSet ({change_set_id}) could not be found.")


def _source(call: Call, names: list[str]) -> str:
    given = [name for name in names if call.params.string(name) is not None]
    if len(given) > 1:
        raise multiple_parameter(given)
    if not given:
        raise RosError("MissingParameter", 400, f"One of the input parameters {', '.join(names)} should be specified.")
    if given[0] == "TemplateId":
        raise template_not_found(call.params.required("TemplateId"))
    if given[0] == "ChangeSetId":
        raise _change_set_not_found(call.params.required("ChangeSetId"))
    if given[0] == "TemplateURL":
        raise not_supported("TemplateURL (the mock fetches no templates; send TemplateBody)")
    return given[0]


def _group_body(call: Call) -> tuple[str, str | None]:
    name = call.stack_group_name()
    group = call.stack_group(name)
    return name, group.template_body


def get_template(call: Call) -> dict[str, object]:
    call.region  # noqa: B018 - RegionId is checked first
    source = _source(call, ["StackId", "ChangeSetId", "StackGroupName", "TemplateId"])
    call.params.choice("TemplateStage", ("Processed", "Original"))  # the mock keeps one form of each template
    call.params.choice("IncludePermission", ("Enabled", "Disabled"))  # TemplateId only
    call.params.choice("IncludeTags", ("Enabled", "Disabled"))  # TemplateId only
    if source == "StackId":
        _, stack = find_stack(call, read=False)
        rendered: dict[str, object] = {
            "StackId": stack.stack_id,
            "RegionId": stack.region,
            "TemplateBody": stack.template.body,
        }
        if stack.template.description is not None:
            rendered["Description"] = stack.template.description
        return rendered
    name, body = _group_body(call)
    rendered = {"StackGroupName": name, "RegionId": call.region}
    if body is not None:
        rendered["TemplateBody"] = body
    return rendered


def _parameter(name: str, declaration: dict[str, object]) -> dict[str, object]:
    rendered: dict[str, object] = {"ParameterKey": name}
    for key, value in declaration.items():
        rendered["DefaultValue" if key == "Default" else key] = value
    return rendered


def get_template_summary(call: Call) -> dict[str, object]:
    call.region  # noqa: B018 - RegionId is checked first
    source = _source(call, ["TemplateBody", "TemplateURL", "TemplateId", "StackId", "StackGroupName", "ChangeSetId"])
    given = call.parameters("Parameters")
    call.client_token()
    if source == "StackId":
        _, stack = find_stack(call, read=False)
        template = stack.template
    elif source == "StackGroupName":
        name, body = _group_body(call)
        if body is None:
            raise not_supported(
                f"The template of stack group ({name}) is a TemplateURL, which the mock does not fetch; it"
            )
        template = StackTemplate.parse(body)
    else:
        template = StackTemplate.parse(call.params.required("TemplateBody"))
    if given:
        template.parameters.check_overrides(given)
    rendered: dict[str, object] = {
        "Version": "2015-09-01",
        "Parameters": [_parameter(n, d) for n, d in template.parameter_declarations.items()],
        "ResourceTypes": sorted({r.resource_type for r in template.resources}),
    }
    if template.description is not None:
        rendered["Description"] = template.description
    if template.metadata is not None:
        rendered["Metadata"] = template.metadata
    return rendered
