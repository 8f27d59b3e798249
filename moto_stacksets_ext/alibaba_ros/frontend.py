"""The ROS front-end: which requests are ROS's, and one answer per action (or a ROS error body)."""

from __future__ import annotations

import logging
import re
import threading
import uuid
from collections.abc import Callable

from .._transport.gateway import GatewayRequest, GatewayResponse, Understood, compile_patterns
from . import groups, instances, operations, signatures, stacks, tags, template_calls, xmlbody
from .accounts import calling_account
from .call import Call
from .errors import RosError, mandatory_parameter_missing, unknown_action
from .naming import CLOUD
from .params import (
    API_VERSION,
    Params,
    access_key_id,
    action_and_version,
    check_form_text,
    response_format,
    rpc_parameters,
)

logger = logging.getLogger(__name__)

Handler = Callable[[Call], dict[str, object]]

HANDLERS: dict[str, Handler] = {
    "CreateStackGroup": groups.create_stack_group,
    "UpdateStackGroup": groups.update_stack_group,
    "DeleteStackGroup": groups.delete_stack_group,
    "GetStackGroup": groups.get_stack_group,
    "ListStackGroups": groups.list_stack_groups,
    "CreateStackInstances": instances.create_stack_instances,
    "UpdateStackInstances": instances.update_stack_instances,
    "DeleteStackInstances": instances.delete_stack_instances,
    "GetStackInstance": instances.get_stack_instance,
    "ListStackInstances": instances.list_stack_instances,
    "GetStackGroupOperation": operations.get_stack_group_operation,
    "ListStackGroupOperations": operations.list_stack_group_operations,
    "ListStackGroupOperationResults": operations.list_stack_group_operation_results,
    "StopStackGroupOperation": operations.stop_stack_group_operation,
    "DetectStackGroupDrift": operations.detect_stack_group_drift,
    "ImportStacksToStackGroup": operations.import_stacks_to_stack_group,
    "GetServiceAccess": operations.get_service_access,
    "EnableServiceAccess": operations.enable_service_access,
    # stacks (the stacks behind instances, and plain ROS stacks)
    "CreateStack": stacks.create_stack,
    "UpdateStack": stacks.update_stack,
    "DeleteStack": stacks.delete_stack,
    "GetStack": stacks.get_stack,
    "ListStacks": stacks.list_stacks,
    "ListStackResources": stacks.list_stack_resources,
    "GetStackResource": stacks.get_stack_resource,
    "ListStackEvents": stacks.list_stack_events,
    "GetTemplate": template_calls.get_template,
    "GetTemplateSummary": template_calls.get_template_summary,
    # tags, resource groups, summaries
    "TagResources": tags.tag_resources,
    "UntagResources": tags.untag_resources,
    "ListTagResources": tags.list_tag_resources,
    "ListTagKeys": tags.list_tag_keys,
    "ListTagValues": tags.list_tag_values,
    "MoveResourceGroup": tags.move_resource_group,
    "ListSummaries": tags.list_summaries,
}

HOST_ID = "ros.aliyuncs.com"
_AWS_SIGNATURE = re.compile(r"^\s*AWS4-", re.IGNORECASE)
_CONTENT_TYPE = "application/json;charset=utf-8"
#: Alibaba's V2 (RPC) common parameters: with ``Version=2019-09-10`` they make a request ROS's even without an
#: action.
_RPC_PARAMETERS = frozenset(
    {"AccessKeyId", "Signature", "SignatureMethod", "SignatureNonce", "SignatureVersion", "RegionId", "Format"}
)


class RosFrontEnd:
    """Alibaba Cloud ROS (API 2019-09-10) stack groups, for the gateway."""

    name = "alibaba-ros"
    serves = "Alibaba ROS (stack groups and stacks)"
    host_patterns = compile_patterns(r"https?://ros(\.[a-z0-9-]+)?\.aliyuncs\.com(:\d+)?([/?].*)?$")

    def __init__(self) -> None:
        # Engine state is not thread-safe and server mode is threaded: one ROS call at a time.
        self._lock = threading.RLock()

    def claims(self, request: GatewayRequest) -> bool:
        """ROS requests: ACS3 headers with version 2019-09-10, or V2 ``Action`` + ``Version=2019-09-10``; and,
        to answer them with ROS's error, ROS requests without an action: ``x-acs-version: 2019-09-10``, a ROS
        ``Host``, or V2 RPC parameters (``Version=2019-09-10`` with a common parameter: ``RegionId``, ``Format``,
        a signature parameter). Never an
        AWS-signed request."""
        if request.headers.get("x-acs-action"):
            return bool(request.headers.get("x-acs-version") == API_VERSION)
        if _AWS_SIGNATURE.match(request.headers.get("authorization") or ""):
            return False
        if request.headers.get("x-acs-version") == API_VERSION:
            return True
        host = str(request.headers.get("host") or "")
        if any(pattern.match(f"https://{host}/") for pattern in self.host_patterns):
            return True
        action, version = action_and_version(request)
        if version != API_VERSION:
            return False
        return bool(action) or bool(rpc_parameters(request) & _RPC_PARAMETERS)

    def handle(self, request: GatewayRequest) -> GatewayResponse:
        action, version = action_and_version(request)
        params = Params.from_request(request)
        account = calling_account(access_key_id(request))
        region = params.recorded().get("RegionId")

        def understood(error_code: str | None) -> Understood:
            return Understood(
                CLOUD,
                action or f"{request.method} {request.path}",
                account,
                region if isinstance(region, str) else None,
                params.recorded(),
                error_code,
            )

        try:
            response, error_code = self._answer(request, action, version, params, account)
            return response.with_understood(understood(error_code))
        except Exception:  # a defect: the gateway's own answer to one, with the call still recorded
            logger.exception("alibaba-ros front-end failed on %s %s", request.method, request.url)
            response = GatewayResponse.json(500, {"error": f"internal error in the {self.name} mock"})
            return response.with_understood(understood(None))

    def _answer(
        self, request: GatewayRequest, action: str | None, version: str | None, params: Params, account: str
    ) -> tuple[GatewayResponse, str | None]:
        """The answer, and the error code when it is an error."""
        request_id = str(uuid.uuid4()).upper()
        host = request.headers.get("host") or HOST_ID
        as_xml = response_format(request) == "XML"
        try:
            body = self._dispatch(request, action, version, params, account)
        except RosError as error:
            payload = {
                "RequestId": request_id,
                "HostId": host,
                "Code": error.code,
                "Message": error.message,
                "Recommend": f"https://api.aliyun.com/troubleshoot?q={error.code}&product=ROS&requestId={request_id}",
            }
            if as_xml:
                return self._xml(error.status, "Error", payload, request_id), error.code
            return GatewayResponse.json(error.status, payload, self._headers(request_id)), error.code
        if as_xml:
            return self._xml(200, f"{action}Response", {"RequestId": request_id, **body}, request_id), None
        return GatewayResponse.json(200, {"RequestId": request_id, **body}, self._headers(request_id)), None

    @staticmethod
    def _xml(status: int, root: str, payload: dict[str, object], request_id: str) -> GatewayResponse:
        headers = {"Content-Type": xmlbody.CONTENT_TYPE, "x-acs-request-id": request_id}
        return GatewayResponse(status, headers, xmlbody.document(root, payload))

    def _dispatch(
        self, request: GatewayRequest, action: str | None, version: str | None, params: Params, account: str
    ) -> dict[str, object]:
        if not action:
            raise mandatory_parameter_missing("Action")
        handler = HANDLERS.get(action) if version == API_VERSION else None
        if handler is None:
            raise unknown_action()
        assert action is not None
        check_form_text(request)
        signatures.verify(request)
        call = Call(action, params, account)
        with self._lock:
            return handler(call)

    @staticmethod
    def _headers(request_id: str) -> dict[str, str]:
        return {"Content-Type": _CONTENT_TYPE, "x-acs-request-id": request_id}


FRONT_END = RosFrontEnd()
