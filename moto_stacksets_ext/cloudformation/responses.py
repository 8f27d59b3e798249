"""CloudFormation stack-set actions served by the plugin.

Each handler reads its parameters, checks them against the model, calls the backend once and returns
what the backend gave it; the engine's objects render by their snake_case members, through the compiled
serializer (``serialize``) that writes what moto's serializer would.
Every other CloudFormation action is moto's own (this class subclasses moto's ``CloudFormationResponse``).
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation.models import cloudformation_backends
from moto.cloudformation.responses import CloudFormationResponse
from moto.core.common_types import TYPE_RESPONSE
from moto.core.responses import ActionResult, EmptyResult

from .. import moto_internals
from .._transport.gateway import RAW_BODY
from ..engine import door
from ..engine.stacksets import InstanceFilter, OperationRequest, StackSetChanges
from . import call_record, front_door, params, schema_patches, serialize, template_stacks, templates, wire
from .events_responses import EVENT_ACTIONS, EventResponses
from .exceptions import ValidationError
from .execution_roles import RoleTemplate
from .hooks.responses import HOOK_ACTIONS, HookResponses
from .models import InstancesCall, StackSetsBackend, stacksets_backends
from .validation import unreadable, validate_input


class StackSetsResponse(EventResponses, HookResponses, CloudFormationResponse):
    # moto's transformers for DescribeStackSet expect moto's own StackSet; ours renders as it is.
    RESPONSE_KEY_PATH_TO_TRANSFORMER = {  # noqa: RUF012 - moto declares it a plain class attribute
        path: transform
        for path, transform in CloudFormationResponse.RESPONSE_KEY_PATH_TO_TRANSFORMER.items()
        if not path.startswith("DescribeStackSetOutput.")
    }

    @property
    def stacksets_backend(self) -> StackSetsBackend:
        backend: StackSetsBackend = stacksets_backends[self.current_account][self.region]
        return backend

    #: The actions this class serves itself (everything else is moto's).
    SERVED = frozenset(
        {
            "CreateStackSet",
            "DescribeStackSet",
            "ListStackSets",
            "UpdateStackSet",
            "DeleteStackSet",
            "CreateStackInstances",
            "UpdateStackInstances",
            "DeleteStackInstances",
            "ListStackInstances",
            "DescribeStackInstance",
            "DescribeStackSetOperation",
            "ListStackSetOperations",
            "ListStackSetOperationResults",
            "StopStackSetOperation",
            "DetectStackSetDrift",
            "ImportStacksToStackSet",
            "ListStackInstanceResourceDrifts",
            "ListStackSetAutoDeploymentTargets",
            "ActivateOrganizationsAccess",
            "DeactivateOrganizationsAccess",
            "DescribeOrganizationsAccess",
        }
        | HOOK_ACTIONS
        | EVENT_ACTIONS
    )

    _parse_error: Exception | None = None
    _action: tuple[Any, str] | None = None

    def _get_action(self) -> str:
        """moto's action of the request (its router's match), found once per request: moto asks for it
        about eight times while answering one."""
        request = self.normalized_request
        known = self._action
        if known is None or known[0] is not request:
            known = self._action = (request, super()._get_action())
        return known[1]

    def serialized(self, action_result: ActionResult) -> TYPE_RESPONSE:
        """The plugin's actions render through the compiled serializer (``serialize.render``), which
        writes what moto's would; anything it declines (errors, other actions, JSON) is moto's."""
        action = self._get_action()
        fast = serialize.render(self, action, action_result) if action in self.SERVED else None
        if fast is None:
            return super().serialized(action_result)
        status, headers, body = fast
        headers.update(self.response_headers)
        return status, headers, body

    @staticmethod
    def _enrich_response(headers: dict[str, Any], body: Any) -> tuple[dict[str, Any], Any]:
        """moto's ``_enrich_response`` (the status as text, a new request id in ``x-amzn-requestid`` and in
        the body's ``<RequestId>``). moto writes the id with a regular expression that scans the whole body
        (about 1.4 ms for a page of 100 summaries); for a body on one line (every query-protocol answer) the
        same text is made by finding the element: from the first ``<RequestId>`` to the last
        ``</RequestId>``, as moto's greedy match (``tests/aws/test_direct.py`` compares the two on generated
        bodies). Any other body is moto's."""
        if not isinstance(body, str) or "\n" in body:
            enriched: tuple[dict[str, Any], Any] = CloudFormationResponse._enrich_response(headers, body)
            return enriched
        if "status" in headers:
            headers["status"] = str(headers["status"])
        request_id = moto_internals.new_request_id(headers)
        opening = "<RequestId>"
        start = body.find(opening) + len(opening)
        end = body.rfind("</RequestId>")
        if start >= len(opening) and end >= start:
            # moto's ``re.sub`` also matches the empty text right after its match when that ends with an opening tag
            again = end > start and body.endswith(opening, 0, end)
            body = body[:start] + request_id + (request_id if again else "") + body[end:]
        return headers, body

    def call_action(self) -> Any:
        """moto's dispatch (``_answer``), recorded in ``control.calls`` (every CloudFormation action on the
        plugin's route)."""
        try:
            result = self._answer()
        except Exception:
            call_record.record(self, 500, "")
            raise
        call_record.record(self, result[0], result[2])
        return result

    def _answer(self) -> Any:
        """moto's dispatch, after a body check moto lacks and the requests AWS refuses before any action
        runs (see ``front_door``), with XML-safe text in every answer."""
        environ = getattr(getattr(self, "normalized_request", None), "environ", None) or {}
        if not wire.is_text(environ.get(RAW_BODY, getattr(self, "raw_body", b""))):
            refused = ActionResult(ValidationError("The request body is not UTF-8 text"))
            status, headers, body = self.serialized(refused)
            headers, body = self._enrich_response(headers, body)
            return status, headers, body
        regions = cloudformation_backends[self.current_account]
        action = front_door.query_action(self.querystring)
        if action in front_door.operation_names() and not self._get_action():
            action = None  # moto reads no action from a body sent as another content type than a form
        front = front_door.refusal(action, self.region, regions)
        if front is not None:
            return front
        # The engine's door for the whole action, rendering included: the answer shows the engine's objects as
        # they were when the action ran, never half-changed by a concurrent request.
        action = front_door.query_action(self.querystring)
        with door.held():
            template_stacks.before_action(self.current_account, self.region, action)
            busy = template_stacks.before_write(
                self.current_account, self.region, action, self._first("StackName"), self._first("ChangeSetName")
            )
            if busy is not None:
                status, headers, body = self.serialized(ActionResult(busy))
                headers, body = self._enrich_response(headers, body)
                return status, headers, wire.xml_text(body)
            try:
                status, headers, body = super().call_action()
            finally:
                template_stacks.after_action(self.current_account, self.region, action)
        return status, headers, wire.xml_text(body)

    def _first(self, name: str) -> str | None:
        values = self.querystring.get(name)
        return str(values[0]) if values else None

    def parse_parameters(self, request: Any) -> None:
        """moto's model-driven parsing; for our actions an unreadable value is a ValidationError, not a 500."""
        if front_door.query_action(self.querystring) not in front_door.operation_names():
            self.params = {}  # call_action refuses the request
            return
        try:
            super().parse_parameters(request)
        except Exception as error:
            if self._get_action() not in self.SERVED:
                raise
            self._parse_error = error
            self.params = {}

    def _input(self) -> dict[str, Any]:
        """The request's parameters, after the model's required/max/pattern/enum constraints."""
        if self._parse_error is not None:
            raise unreadable(self._get_action(), self._parse_error)
        for key in wire.bad_booleans(self._get_action(), self.querystring):
            raise unreadable(self._get_action(), ValueError(f"{key} must be true or false"))
        values: dict[str, Any] = dict(self.params)
        validate_input(self._get_action(), values)
        return values

    @staticmethod
    def _request(values: dict[str, Any]) -> OperationRequest:
        return OperationRequest(
            operation_id=values.get("OperationId"),
            preferences=params.preferences(values.get("OperationPreferences")),
            deployment_targets=params.deployment_targets(values.get("DeploymentTargets")),
        )

    # -- stack sets -------------------------------------------------------------------------------------
    def create_stack_set(self) -> ActionResult:
        values = self._input()
        stack_set = self.stacksets_backend.create_stack_set(
            params.stack_set_spec(values), values.get("CallAs"), _role_template(values)
        )
        return ActionResult({"StackSetId": stack_set.stack_set_id})

    def describe_stack_set(self) -> ActionResult:
        values = self._input()
        stack_set = self.stacksets_backend.describe_stack_set(values["StackSetName"], values.get("CallAs"))
        return ActionResult({"StackSet": stack_set})

    def list_stack_sets(self) -> ActionResult:
        values = self._input()
        page = self.stacksets_backend.list_stack_sets(
            values.get("Status"), values.get("NextToken"), values.get("MaxResults"), values.get("CallAs")
        )
        return ActionResult({"Summaries": page.items, "NextToken": page.next_token})

    def update_stack_set(self) -> ActionResult:
        values = self._input()
        regions = list(dict.fromkeys(values.get("Regions") or []))
        changes = StackSetChanges(
            description=values.get("Description"),
            template_body=values.get("TemplateBody"),
            template_url=values.get("TemplateURL"),
            parameters=params.parameters(values["Parameters"]) if "Parameters" in values else None,
            capabilities=list(values["Capabilities"]) if "Capabilities" in values else None,
            tags=params.tags(values["Tags"]) if "Tags" in values else None,
            administration_role_arn=values.get("AdministrationRoleARN"),
            execution_role_name=values.get("ExecutionRoleName"),
            auto_deployment=params.auto_deployment(values.get("AutoDeployment")),
            managed_execution=params.managed_execution(values.get("ManagedExecution")),
        )
        operation = self.stacksets_backend.update_stack_set(
            values["StackSetName"],
            changes,
            values.get("Accounts"),
            regions,
            self._request(values),
            values.get("CallAs"),
            _role_template(values),
        )
        return ActionResult({"OperationId": operation.operation_id})

    def get_template_summary(self) -> Any:
        """With ``StackSetName``: the summary of a stack set's template; otherwise moto's own answer (a
        ``TemplateBody`` declaring a type that exists nowhere is refused first: ``schema_patches``)."""
        if self._get_param("StackSetName") is None:
            schema_patches.check_template(self._get_param("TemplateBody"), self.region)
            return super().get_template_summary()
        values = dict(self.params)
        validate_input("GetTemplateSummary", values)
        if any(values.get(other) for other in ("StackName", "TemplateBody", "TemplateURL")):
            raise ValidationError(
                "You must specify only one of the following parameters: StackName, StackSetName, TemplateBody, "
                "or TemplateURL"
            )
        body = self.stacksets_backend.stack_set_template(values["StackSetName"], values.get("CallAs"))
        return ActionResult(templates.summarize(body).as_output())

    def delete_stack_set(self) -> ActionResult:
        values = self._input()
        self.stacksets_backend.delete_stack_set(values["StackSetName"], values.get("CallAs"))
        return EmptyResult()

    # -- instances --------------------------------------------------------------------------------------
    def _instances_call(self, values: dict[str, Any]) -> InstancesCall:
        regions = params.regions(values.get("Regions"))
        return InstancesCall(
            name=values["StackSetName"],
            accounts=values.get("Accounts"),
            regions=regions,
            request=self._request(values),
            call_as=values.get("CallAs"),
            overrides=params.parameters(values["ParameterOverrides"]) if "ParameterOverrides" in values else None,
        )

    def create_stack_instances(self) -> ActionResult:
        values = self._input()
        operation = self.stacksets_backend.create_stack_instances(self._instances_call(values))
        return ActionResult({"OperationId": operation.operation_id})

    def update_stack_instances(self) -> ActionResult:
        values = self._input()
        operation = self.stacksets_backend.update_stack_instances(self._instances_call(values))
        return ActionResult({"OperationId": operation.operation_id})

    def delete_stack_instances(self) -> ActionResult:
        values = self._input()
        operation = self.stacksets_backend.delete_stack_instances(
            self._instances_call(values), bool(values.get("RetainStacks"))
        )
        return ActionResult({"OperationId": operation.operation_id})

    def list_stack_instances(self) -> ActionResult:
        values = self._input()
        by_name = {f.get("Name"): f.get("Values") for f in values.get("Filters") or []}  # no Name: no filter
        filters = InstanceFilter(
            detailed_status=by_name.get("DETAILED_STATUS"),
            last_operation_id=by_name.get("LAST_OPERATION_ID"),
            drift_status=by_name.get("DRIFT_STATUS"),
            account=values.get("StackInstanceAccount"),
            region=values.get("StackInstanceRegion"),
        )
        page = self.stacksets_backend.list_stack_instances(
            values["StackSetName"], filters, values.get("NextToken"), values.get("MaxResults"), values.get("CallAs")
        )
        return ActionResult({"Summaries": page.items, "NextToken": page.next_token})

    def describe_stack_instance(self) -> ActionResult:
        values = self._input()
        instance = self.stacksets_backend.describe_stack_instance(
            values["StackSetName"],
            values["StackInstanceAccount"],
            values["StackInstanceRegion"],
            values.get("CallAs"),
        )
        return ActionResult({"StackInstance": instance})

    # -- operations -------------------------------------------------------------------------------------
    def describe_stack_set_operation(self) -> ActionResult:
        values = self._input()
        operation = self.stacksets_backend.describe_stack_set_operation(
            values["StackSetName"], values["OperationId"], values.get("CallAs")
        )
        return ActionResult({"StackSetOperation": operation})

    def list_stack_set_operations(self) -> ActionResult:
        values = self._input()
        page = self.stacksets_backend.list_stack_set_operations(
            values["StackSetName"], values.get("NextToken"), values.get("MaxResults"), values.get("CallAs")
        )
        return ActionResult({"Summaries": page.items, "NextToken": page.next_token})

    def list_stack_set_operation_results(self) -> ActionResult:
        values = self._input()
        statuses = [f.get("Values") for f in values.get("Filters") or [] if f.get("Name") == "OPERATION_RESULT_STATUS"]
        page = self.stacksets_backend.list_stack_set_operation_results(
            values["StackSetName"],
            values["OperationId"],
            statuses[0] if statuses else None,
            values.get("NextToken"),
            values.get("MaxResults"),
            values.get("CallAs"),
        )
        return ActionResult({"Summaries": page.items, "NextToken": page.next_token})

    def detect_stack_set_drift(self) -> ActionResult:
        values = self._input()
        operation = self.stacksets_backend.detect_stack_set_drift(
            values["StackSetName"], self._request(values), values.get("CallAs")
        )
        return ActionResult({"OperationId": operation.operation_id})

    def stop_stack_set_operation(self) -> ActionResult:
        values = self._input()
        self.stacksets_backend.stop_stack_set_operation(
            values["StackSetName"], values["OperationId"], values.get("CallAs")
        )
        return EmptyResult()

    # -- import, per-resource drift, auto-deployment targets ------------------------------------------
    def import_stacks_to_stack_set(self) -> ActionResult:
        values = self._input()
        if ("StackIds" in values) == ("StackIdsUrl" in values):
            raise ValidationError("Specify either StackIds or StackIdsUrl")
        backend = self.stacksets_backend
        stack_ids = values.get("StackIds") or backend.stack_ids_from_url(values["StackIdsUrl"])
        operation = backend.import_stacks_to_stack_set(
            values["StackSetName"],
            list(dict.fromkeys(stack_ids)),
            values.get("OrganizationalUnitIds"),
            self._request(values),
            values.get("CallAs"),
        )
        return ActionResult({"OperationId": operation.operation_id})

    def list_stack_instance_resource_drifts(self) -> ActionResult:
        values = self._input()
        page = self.stacksets_backend.list_stack_instance_resource_drifts(
            values["StackSetName"],
            values["OperationId"],
            values["StackInstanceAccount"],
            values["StackInstanceRegion"],
            values.get("StackInstanceResourceDriftStatuses"),
            values.get("NextToken"),
            values.get("MaxResults"),
            values.get("CallAs"),
        )
        return ActionResult({"Summaries": page.items, "NextToken": page.next_token})

    def list_stack_set_auto_deployment_targets(self) -> ActionResult:
        values = self._input()
        page = self.stacksets_backend.list_stack_set_auto_deployment_targets(
            values["StackSetName"], values.get("NextToken"), values.get("MaxResults"), values.get("CallAs")
        )
        return ActionResult({"Summaries": page.items, "NextToken": page.next_token})

    # -- trusted access with Organizations -------------------------------------------------------------
    def activate_organizations_access(self) -> ActionResult:
        self._input()
        self.stacksets_backend.set_organizations_access(True)
        return EmptyResult()

    def deactivate_organizations_access(self) -> ActionResult:
        self._input()
        self.stacksets_backend.set_organizations_access(False)
        return EmptyResult()

    def describe_organizations_access(self) -> ActionResult:
        values = self._input()
        return ActionResult({"Status": self.stacksets_backend.organizations_access(values.get("CallAs"))})


def _role_template(values: dict[str, Any]) -> RoleTemplate:
    """CreateStackSet/UpdateStackSet's custom execution role members."""
    return RoleTemplate(
        values.get("ExecutionRoleTemplateBody"),
        values.get("ExecutionRoleTemplateUrl"),
        values.get("StackSetOutputBucket"),
    )
