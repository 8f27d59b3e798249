"""The RFS front-end the gateway talks to: which requests are RFS's, and answering them.

Every answer carries ``X-Request-Id``; every error is ``{"error_code", "error_msg"}`` so the SDK raises
``ClientRequestException`` (or ``ServerResponseException`` for 500) with status, code, message and id.

The front-end answers every request to an RFS or IAM host (in-process, whatever the path: nothing sent to a
host the mock serves leaves the process) and, in server mode, every Huawei request: one signed by a Huawei
SDK (``SDK-HMAC-*``, ``X-Sdk-Date``), naming a project (``X-Project-Id``) or a Huawei host. A method and path
no RFS API (nor IAM's project lookup, nor the template download) answers gets the API gateway's 404
``APIGW.0101``, as Huawei answers an API that is not published.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

from .. import _jsonsafe as jsonsafe
from .._transport.gateway import GatewayRequest, GatewayResponse, Understood, compile_patterns
from ..engine.errors import EngineError
from ..engine.model import StackSet
from . import identity, routes, stack_routes
from .call import Call
from .errors import API_NOT_FOUND, AUTHENTICATION_FAILED, INTERNAL, NOT_FOUND, RfsError
from .names import CLOUD
from .naming import namespace_of
from .params import Query, client_request_id, json_content_type, project_id

logger = logging.getLogger(__name__)


class RfsFrontEnd:
    name = "huawei-rfs"
    serves = "Huawei RFS (stack sets, stacks, execution plans, private hooks) and IAM project look-ups"
    host_patterns: list[re.Pattern[str]] = compile_patterns(
        r"^https?://rfs\.[a-z0-9-]+\.myhuaweicloud\.(?:com|eu)(?::\d+)?(?:[/?].*)?$",
        r"^https?://iam(?:\.[a-z0-9-]+)?\.myhuaweicloud\.(?:com|eu)(?::\d+)?(?:[/?].*)?$",
    )

    def claims(self, request: GatewayRequest) -> bool:
        """RFS stack-set paths and the mock's template downloads, and any Huawei request (a Huawei SDK
        signature, ``X-Sdk-Date``, ``X-Project-Id``, or an RFS/IAM ``Host``); never an AWS-signed request."""
        authorization = str(request.headers.get("Authorization") or "")
        if authorization.startswith("AWS4-") or _names_cloudformation(request):
            return False
        parts = routes.segments(request.url)
        if routes.is_stack_set_path(parts) or tuple(parts[:2]) == routes.TEMPLATES_PREFIX:
            return True
        if stack_routes.claims(parts):
            return True
        if authorization.startswith("SDK-") or "X-Sdk-Date" in request.headers or "X-Project-Id" in request.headers:
            return True
        host = str(request.headers.get("Host") or "")
        return any(pattern.match(f"https://{host}/") for pattern in self.host_patterns)

    def handle(self, request: GatewayRequest) -> GatewayResponse:
        request_id = uuid.uuid4().hex
        seen = _Seen(request)
        error_code = None
        try:
            response = self._dispatch(request, seen)
        except RfsError as error:
            error_code = error.code
            response = GatewayResponse.json(error.status, {"error_code": error.code, "error_msg": error.message})
        except Exception:
            logger.exception("huawei-rfs mock failed on %s %s", request.method, request.url)
            error_code = INTERNAL.code
            response = GatewayResponse.json(
                500, {"error_code": INTERNAL.code, "error_msg": f"{INTERNAL.summary} (a defect of the mock)"}
            )
        headers = {**response.headers, "X-Request-Id": request_id}
        return GatewayResponse(response.status, headers, response.body, seen.understood(error_code))

    def _dispatch(self, request: GatewayRequest, seen: _Seen) -> GatewayResponse:
        parts = routes.segments(request.url)
        if tuple(parts[:2]) == routes.TEMPLATES_PREFIX:
            return _template_download(parts[2:])
        if tuple(parts) == routes.IAM_PROJECTS and request.method.upper() == "GET":
            seen.action = "KeystoneListProjects"
            return _iam_projects(request)
        if stack_routes.is_download_path(parts):
            return stack_routes.download(parts)
        found = routes.match(request.method.upper(), parts) or stack_routes.match(request.method.upper(), parts)
        if found is None:
            raise RfsError(API_NOT_FOUND)
        seen.action, seen.path = found.action, found.path
        auth = identity.authorization(request)
        identity.verify(request, auth)
        client_request_id(request.headers)
        project = project_id(request.headers)
        domain_id = identity.domain_id_for(auth.ak)
        region = identity.region_of(request, auth.ak, project)
        seen.account, seen.region = domain_id, region
        if found.path.get("project_id", project) != project:
            raise RfsError(AUTHENTICATION_FAILED, "The project id of the path is not the X-Project-Id of the request.")
        json_content_type(request.method, request.headers, request.body)
        call = Call(
            request=request,
            namespace=namespace_of(domain_id, region),
            domain_id=domain_id,
            region=region,
            query=Query(request.query),
            path=found.path,
        )
        return found.handler(call)


FRONT_END = RfsFrontEnd()


class _Seen:
    """What the front-end understood of a request so far, for the record of calls: the action (its route's),
    the path's names, query and JSON body as parameters, and the caller's domain and region (for a request
    refused before they were read, as far as its signature header and host tell)."""

    def __init__(self, request: GatewayRequest) -> None:
        self.request = request
        self.action = f"{request.method} {request.path}"
        self.path: dict[str, str] = {}
        self.account: str | None = None
        self.region: str | None = None

    def understood(self, error_code: str | None) -> Understood:
        request = self.request
        parameters: dict[str, Any] = dict(self.path)
        parameters.update({k: v[0] if len(v) == 1 else v for k, v in request.query.items()})
        try:
            body = jsonsafe.loads(request.body) if request.body else None
        except ValueError:  # not JSON, or nested too deep
            body = None
        if isinstance(body, dict):
            parameters.update(body)
        if self.account is None:
            try:
                auth = identity.authorization(request)
                self.account = identity.domain_id_for(auth.ak)
                project = request.headers.get("X-Project-Id")
                self.region = identity.region_of(request, auth.ak, str(project) if project else None)
            except Exception:  # an unsigned or foreign request: the call is still recorded
                pass
        return Understood(CLOUD, self.action, self.account, self.region, parameters, error_code)


def _names_cloudformation(request: GatewayRequest) -> bool:
    """An AWS query-protocol request for CloudFormation (``Version=2010-05-15`` in a form body): AWS's, even
    on an RFS path (the AWS door answers it, e.g. for its missing signature)."""
    return b"Version=2010-05-15" in request.body and b"Action=" in request.body


def _iam_projects(request: GatewayRequest) -> GatewayResponse:
    """IAM ``GET /v3/projects?name=<region>``: the SDK's project-id lookup for a region."""
    auth = identity.authorization(request)
    identity.verify(request, auth)
    domain_id = identity.domain_id_for(auth.ak)
    region = identity.iam_region(request)
    regions = [region] if region else list(identity.KNOWN_REGIONS)
    projects = [
        {
            "id": identity.project_id_for(auth.ak, name),
            "name": name,
            "domain_id": domain_id,
            "parent_id": domain_id,
            "enabled": True,
            "is_domain": False,
            "description": "",
        }
        for name in regions
    ]
    return GatewayResponse.json(200, {"projects": projects, "links": {"self": request.url}})


def _template_download(parts: list[str]) -> GatewayResponse:
    """The mock's stand-in for the pre-signed OBS URL ShowStackSetTemplate redirects to."""
    if len(parts) != 3:
        raise RfsError(NOT_FOUND, "No such template.")
    domain_id, region, stack_set_id = parts
    try:
        stack_set: StackSet | None = namespace_of(domain_id, region).get_stack_set(stack_set_id, include_deleted=True)
    except EngineError:
        stack_set = None
    if stack_set is None or stack_set.template_body is None:
        raise RfsError(NOT_FOUND, f"No template for stack set {stack_set_id}.")
    return GatewayResponse(200, {"Content-Type": "application/json"}, stack_set.template_body.encode())
