"""Everything the plugin takes from moto's internals, in one place, each use checked against moto.

moto has no public extension API for what the plugin does, so it relies on these internals:

* the CloudFormation route ``moto.cloudformation.urls.url_paths["{0}/$"]`` (swapped for the plugin's
  response class);
* ``MockAWS._enable_patching(reset)`` (``mock_stacksets`` adds the Huawei/Alibaba hosts to moto's
  ``responses`` mock there) and ``ServerModeMockAWS`` (``TEST_SERVER_MODE``);
* moto's ``Stack`` and ``Event`` constructors, ``Stack._add_stack_event``, ``Stack._create_output_map`` (a
  rolled-back update's outputs), ``Stack.parse_template`` and
  ``generate_stack_id`` (a Hook-blocked create is built without provisioning, and its events are written as
  moto writes them);
* the keyword arguments of moto's CloudFormation backend methods the Hooks wrap, and of the Organizations
  backend methods automatic deployments wrap (``AccountId``);
* ``FakeDelegatedAdministrator.SUPPORTED_SERVICES`` (StackSets' service principal is added to it);
* ``moto.core.responses.method_names_from_class`` (the action names of the plugin's response class are
  looked up once, not on every request) and ``Stack.parse_template`` (a template text is parsed once and
  copied for each stack) and ``BackendDict._create_account_specific_backend`` with the list
  ``BackendDict._instances`` (an account already made and registered is not looked for again among every
  account's keys): ``cloudformation/caches.py``;
* ``moto.cloudformation.parsing.resource_class_from_type`` and ``resource_name_property_from_type`` (the
  template parser's type lookups, wrapped to serve the plugin's own resource types:
  ``cloudformation/template_types.py``), the ``CloudFormationModel`` class methods the parser calls on the
  models it returns, and the text of moto's "No Moto CloudFormation support for %s" warning on the ``moto``
  logger (dropped for a type the plugin's fallback serves), and ``ResourceMap._parsed_resources`` (the
  resources a template made: a rolled-back stack keeps listing what it deleted, as CloudFormation does,
  instead of moto making it again on the next read), and ``ResourceMap._template``/``_resource_json_map``
  (what moto diffs the next update against: a rolled-back update's template is put back);
  logger (dropped for a type the plugin's fallback serves);
* ``moto.cloudformation.parsing.clean_json`` (its ``Fn::GetAtt`` branch, wrapped so an attribute the
  published schema lists and moto's model lacks resolves), ``ResourceMap.validate_outputs`` (which refuses
  such attributes in ``Outputs``), the ``ResourceMap``'s ``_template`` and ``_resource_json_map``, the
  parser's ``get_model_map`` and ``NULL_MODELS`` (the types moto serves), and the backend's
  ``validate_template`` (``cloudformation/schema_patches.py``);
* ``AccountSpecificBackend._generate_regions`` (a new account's regions, listed once per service:
  ``cloudformation/caches.py``);
* what moto's ``BotocoreStubber.process_request`` does with a request (its URL patterns, passthrough and
  whitelist settings, ``Request.from_primitives``, the recorder's ``_record_request``): the plugin's own
  CloudFormation requests skip its search for the handler and werkzeug's request builder, and see the rest
  (``cloudformation/_direct.py``; ``stubbed_handler``, ``request_from_primitives``, ``record_request``),
  and ``gen_amzn_requestid_long`` (the request id moto's ``_enrich_response`` writes);
* ``BackendDict`` and ``AccountSpecificBackend`` being dictionaries of the backends made so far (looking a
  backend up makes one, with a botocore partition scan; ``existing_backend`` only reads).

Each is reached through a function here that checks the name and the signature first: when a moto release
moves or renames one, the plugin raises ``MotoContractError`` naming the moto version and what changed,
instead of silently falling through to moto's own behaviour. ``tests/test_moto_contract.py`` checks every
entry of ``CONTRACT`` against the installed moto.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import moto

MOTO_VERSION: str = moto.__version__
SUPPORTED = "moto-stacksets-ext supports moto>=5.2.5,<6"

#: moto's CloudFormation route (the key in ``moto.cloudformation.urls.url_paths``).
CLOUDFORMATION_ROUTE = "{0}/$"


class PluginInstallError(RuntimeError):
    """moto lacks the extension point the plugin needs."""


class MotoContractError(PluginInstallError):
    """Something the plugin takes from moto's internals moved or changed its signature."""


def _fail(what: str, problem: str) -> MotoContractError:
    return MotoContractError(f"moto {MOTO_VERSION}: {what} {problem}; {SUPPORTED}")


@dataclass(frozen=True)
class Signature:
    """A callable of moto's the plugin uses, and the parameter names it relies on."""

    module: str
    qualname: str
    parameters: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.module}.{self.qualname}"

    def resolve(self) -> Any:
        """The object, or ``MotoContractError`` if it is gone."""
        import importlib

        try:
            found: Any = importlib.import_module(self.module)
        except ImportError as error:
            raise _fail(self.module, "cannot be imported") from error
        for part in self.qualname.split("."):
            if not hasattr(found, part):
                raise _fail(self.name, "does not exist")
            found = getattr(found, part)
        return found

    def check(self) -> Any:
        """The object, after checking it still takes every parameter the plugin passes or reads by name."""
        found = self.resolve()
        if not self.parameters:
            return found
        if not callable(found):
            raise _fail(self.name, "is not callable")
        names = set(inspect.signature(found).parameters)
        missing = [name for name in self.parameters if name not in names]
        if missing:
            raise _fail(self.name, f"no longer takes {missing} (it takes {sorted(names)})")
        return found


_MODELS = "moto.cloudformation.models"
_CORE = "moto.core.models"
_ORGANIZATIONS = "moto.organizations.models"

#: The callables whose parameter names the plugin relies on.
STACK_INIT = Signature(
    _MODELS,
    "Stack.__init__",
    (
        "stack_id",
        "name",
        "template",
        "parameters",
        "account_id",
        "region_name",
        "notification_arns",
        "tags",
        "role_arn",
        "cross_stack_resources",
        "timeout_in_mins",
        "stack_policy_body",
    ),
)
ADD_STACK_EVENT = Signature(_MODELS, "Stack._add_stack_event", ("resource_status", "resource_status_reason"))
#: A rolled-back update's outputs are made again from the previous template (``rebuild_outputs``).
CREATE_OUTPUT_MAP = Signature(_MODELS, "Stack._create_output_map")
PARSE_TEMPLATE = Signature(_MODELS, "Stack.parse_template", ("template",))
EVENT_INIT = Signature(
    _MODELS,
    "Event.__init__",
    (
        "stack_id",
        "stack_name",
        "logical_resource_id",
        "physical_resource_id",
        "resource_type",
        "resource_status",
        "resource_status_reason",
        "resource_properties",
    ),
)
GENERATE_STACK_ID = Signature("moto.cloudformation.utils", "generate_stack_id", ("stack_name", "region", "account"))
ENABLE_PATCHING = Signature(_CORE, "MockAWS._enable_patching", ("reset",))
SERVER_MODE_MOCK = Signature(_CORE, "ServerModeMockAWS")
#: What moto's ``BaseResponse.call_action`` calls on every request to list a response class's actions.
METHOD_NAMES_FROM_CLASS = Signature("moto.core.responses", "method_names_from_class", ("clazz",))
#: moto's in-process door: botocore's ``before-send`` hands every request to it.
STUBBER_PROCESS_REQUEST = Signature("moto.core.botocore_stubber", "BotocoreStubber.process_request", ("request",))
REQUEST_FROM_PRIMITIVES = Signature(
    "moto.core.request", "Request.from_primitives", ("method", "url", "headers", "body")
)
RECORD_REQUEST = Signature("moto.moto_api._internal.recorder.models", "Recorder._record_request", ("request",))
GEN_REQUEST_ID = Signature("moto.utilities.aws_headers", "gen_amzn_requestid_long", ("headerdict",))
PRESERVED_HEADER_NAMES = Signature("moto.core.request", "PRESERVED_HEADER_NAMES_ENVIRON_KEY")
#: The regions an account's backends of a service are made for (a botocore scan per new account).
GENERATE_REGIONS = Signature("moto.core.base_backend", "AccountSpecificBackend._generate_regions", ("service_name",))
CREATE_ACCOUNT_BACKEND = Signature(
    "moto.core.base_backend", "BackendDict._create_account_specific_backend", ("self", "account_id")
)
BACKEND_DICT_INSTANCES = Signature("moto.core.base_backend", "BackendDict._instances")
DELEGATED_ADMIN_SERVICES = Signature(_ORGANIZATIONS, "FakeDelegatedAdministrator.SUPPORTED_SERVICES")
CLOUDFORMATION_BACKEND_METHODS = {
    "create_stack": Signature(
        _MODELS, "CloudFormationBackend.create_stack", ("name", "template", "parameters", "role_arn", "tags")
    ),
    "update_stack": Signature(
        _MODELS, "CloudFormationBackend.update_stack", ("name", "template", "role_arn", "parameters", "tags")
    ),
    "delete_stack": Signature(_MODELS, "CloudFormationBackend.delete_stack", ("name_or_stack_id",)),
    "create_change_set": Signature(
        _MODELS, "CloudFormationBackend.create_change_set", ("stack_name", "change_set_name", "template")
    ),
    "execute_change_set": Signature(_MODELS, "CloudFormationBackend.execute_change_set", ("change_set_name",)),
}
#: Organizations calls the plugin wraps; moto's responses call them with the request's members as keywords.
ORGANIZATIONS_BACKEND_METHODS = {
    name: Signature(_ORGANIZATIONS, f"OrganizationsBackend.{name}", ("kwargs",))
    for name in ("create_account", "move_account", "close_account", "remove_account_from_organization")
}

_PARSING = "moto.cloudformation.parsing"
#: The template parser's type lookups (module-level functions its other functions call by name).
RESOURCE_CLASS_FROM_TYPE = Signature(_PARSING, "resource_class_from_type", ("resource_type",))
RESOURCE_NAME_PROPERTY_FROM_TYPE = Signature(_PARSING, "resource_name_property_from_type", ("resource_type",))
#: The model classes those lookups search, in their order.
GET_MODEL_LIST = Signature(_PARSING, "get_model_list")
#: What the parser calls on a model class it got from ``resource_class_from_type``.
_CF_MODEL = "moto.core.common_models"
CLOUDFORMATION_MODEL_METHODS = (
    Signature(
        _CF_MODEL,
        "CloudFormationModel.create_from_cloudformation_json",
        ("resource_name", "cloudformation_json", "account_id", "region_name", "kwargs"),
    ),
    Signature(
        _CF_MODEL,
        "CloudFormationModel.update_from_cloudformation_json",
        ("original_resource", "new_resource_name", "cloudformation_json", "account_id", "region_name"),
    ),
    Signature(
        _CF_MODEL,
        "CloudFormationModel.delete_from_cloudformation_json",
        ("resource_name", "cloudformation_json", "account_id", "region_name"),
    ),
    Signature(_CF_MODEL, "CloudFormationModel.has_cfn_attr", ("attr",)),
    Signature(_CF_MODEL, "CloudFormationModel.cloudformation_type"),
    Signature(_CF_MODEL, "CloudFormationModel.cloudformation_name_type"),
    Signature(_CF_MODEL, "CloudFormationModel.is_created"),
)
#: What ``template_stacks`` calls on a parent stack whose stack-set resources' operations ended: moto's own
#: readiness check (it marks the stack CREATE_COMPLETE when every resource is made) and its resource map's
#: delete (a failed create's rollback).
STACK_VERIFY_READINESS = Signature(_MODELS, "Stack.verify_readiness")
RESOURCE_MAP_DELETE = Signature(_PARSING, "ResourceMap.delete")
#: moto's warning for a type it has no model for (``logger.warning(UNSUPPORTED_TYPE_WARNING, type)``).
UNSUPPORTED_TYPE_WARNING = "No Moto CloudFormation support for %s"
MOTO_LOGGER = "moto"

#: The parser's value resolution and output check (``cloudformation/schema_patches.py``).
CLEAN_JSON = Signature(_PARSING, "clean_json", ("resource_json", "resources_map"))
VALIDATE_OUTPUTS = Signature(_PARSING, "ResourceMap.validate_outputs", ("self",))
GET_MODEL_MAP = Signature(_PARSING, "get_model_map")
NULL_MODELS = Signature(_PARSING, "NULL_MODELS")
VALIDATE_TEMPLATE = Signature(_MODELS, "CloudFormationBackend.validate_template", ("template",))
#: The ``ResourceMap`` attributes ``schema_patches`` reads: the template and its ``Resources`` mapping.
RESOURCE_MAP_ATTRIBUTES = ("_template", "_resource_json_map")

#: Every signature above (what the contract tests check).
CONTRACT: tuple[Signature, ...] = (
    STACK_INIT,
    ADD_STACK_EVENT,
    CREATE_OUTPUT_MAP,
    PARSE_TEMPLATE,
    EVENT_INIT,
    GENERATE_STACK_ID,
    ENABLE_PATCHING,
    SERVER_MODE_MOCK,
    METHOD_NAMES_FROM_CLASS,
    GENERATE_REGIONS,
    STUBBER_PROCESS_REQUEST,
    REQUEST_FROM_PRIMITIVES,
    RECORD_REQUEST,
    PRESERVED_HEADER_NAMES,
    GEN_REQUEST_ID,
    CREATE_ACCOUNT_BACKEND,
    BACKEND_DICT_INSTANCES,
    DELEGATED_ADMIN_SERVICES,
    *CLOUDFORMATION_BACKEND_METHODS.values(),
    *ORGANIZATIONS_BACKEND_METHODS.values(),
    RESOURCE_CLASS_FROM_TYPE,
    RESOURCE_NAME_PROPERTY_FROM_TYPE,
    GET_MODEL_LIST,
    *CLOUDFORMATION_MODEL_METHODS,
    STACK_VERIFY_READINESS,
    RESOURCE_MAP_DELETE,
    CLEAN_JSON,
    VALIDATE_OUTPUTS,
    GET_MODEL_MAP,
    NULL_MODELS,
    VALIDATE_TEMPLATE,
)


# -- the CloudFormation route -------------------------------------------------------------------------
def cloudformation_routes() -> dict[str, Any]:
    """moto's CloudFormation URL table, checked to hold the route the plugin swaps."""
    try:
        from moto.cloudformation import urls
    except ImportError as error:  # pragma: no cover - depends on the installed moto
        raise PluginInstallError(
            f"moto {MOTO_VERSION} has no moto.cloudformation.urls module; moto-stacksets-ext needs moto>=5.1,<6"
        ) from error
    paths = getattr(urls, "url_paths", None)
    if not isinstance(paths, dict) or CLOUDFORMATION_ROUTE not in paths:
        raise PluginInstallError(
            f"moto {MOTO_VERSION} has no CloudFormation route {CLOUDFORMATION_ROUTE!r} in "
            "moto.cloudformation.urls.url_paths; moto-stacksets-ext needs moto>=5.1,<6"
        )
    return paths


# -- method wrapping ----------------------------------------------------------------------------------
def wrap_method(
    signature: Signature, make: Callable[[Callable[..., Any]], Callable[..., Any]]
) -> tuple[type, str, Callable[..., Any]]:
    """Replace a backend method by ``make(original)`` after checking its signature.

    Returns ``(owner, name, original)`` for ``unwrap``. ``MotoContractError`` if the method moved.
    """
    original = signature.check()
    owner_name, _, name = signature.qualname.rpartition(".")
    owner = Signature(signature.module, owner_name).resolve()
    wrapper = functools.wraps(original)(make(original))
    setattr(owner, name, wrapper)
    return owner, name, original


def unwrap(wrapped: tuple[Any, str, Any]) -> None:
    owner, name, original = wrapped
    setattr(owner, name, original)


def wrap_attribute(
    signature: Signature, make: Callable[[Callable[..., Any]], Callable[..., Any]]
) -> tuple[Any, str, Any]:
    """Replace a module-level function or a static method by ``make(original)`` after checking its signature.

    A static method stays static. Returns ``(owner, name, what was there)`` for ``unwrap``, which puts the
    very object back. ``MotoContractError`` if the callable moved.
    """
    original = signature.check()
    owner_name, _, name = signature.qualname.rpartition(".")
    owner: Any = Signature(signature.module, owner_name).resolve() if owner_name else _module(signature.module)
    there = inspect.getattr_static(owner, name)
    wrapper: Any = functools.wraps(original)(make(original))
    setattr(owner, name, staticmethod(wrapper) if isinstance(there, staticmethod) else wrapper)
    return owner, name, there


def _module(name: str) -> Any:
    import importlib

    return importlib.import_module(name)


def keyword(kwargs: dict[str, Any], name: str, method: str) -> Any:
    """A keyword argument moto passes to a wrapped method (``MotoContractError`` if moto stopped passing it)."""
    if name not in kwargs:
        raise _fail(method, f"was called without the keyword argument {name!r} (got {sorted(kwargs)})")
    return kwargs[name]


# -- Organizations ------------------------------------------------------------------------------------
def delegated_admin_services() -> list[str]:
    """The service principals moto lets register delegated administrators (a list the plugin extends)."""
    services = DELEGATED_ADMIN_SERVICES.check()
    if not isinstance(services, list):
        raise _fail(DELEGATED_ADMIN_SERVICES.name, f"is a {type(services).__name__}, not a list")
    return services


# -- CloudFormation stacks ----------------------------------------------------------------------------
def new_stack(**arguments: Any) -> Any:
    """A moto ``Stack`` built from keyword arguments (as moto's ``create_stack`` builds one, without
    provisioning its resources). The names are checked by ``check_contract`` at ``install()``."""
    unknown = set(arguments) - set(STACK_INIT.parameters)
    if unknown:
        raise TypeError(f"new_stack() takes {STACK_INIT.parameters}, not {sorted(unknown)}")
    stack_class: Any = Signature(_MODELS, "Stack").resolve()
    return stack_class(**arguments)


def new_event(**arguments: Any) -> Any:
    """A moto stack ``Event`` from keyword arguments (names checked by ``check_contract``)."""
    unknown = set(arguments) - set(EVENT_INIT.parameters)
    if unknown:
        raise TypeError(f"new_event() takes {EVENT_INIT.parameters}, not {sorted(unknown)}")
    event_class: Any = Signature(_MODELS, "Event").resolve()
    return event_class(**arguments)


def parse_template(template: str) -> Any:
    """moto's template parser (JSON or YAML with CloudFormation's short tags)."""
    parse: Any = PARSE_TEMPLATE.resolve()
    return parse(template)


def generate_stack_id(stack_name: str, region: str, account: str) -> str:
    """A stack ARN as moto makes them."""
    generate: Any = GENERATE_STACK_ID.resolve()
    return str(generate(stack_name, region, account))


def add_stack_event(stack: Any, status: str, reason: str | None = None) -> None:
    """Append a stack event the way moto does (``Stack._add_stack_event``)."""
    stack._add_stack_event(status, resource_status_reason=reason)


def rebuild_outputs(stack: Any) -> None:
    """Make a stack's outputs from its template again, as moto does after an update
    (``Stack._create_output_map``): a rolled-back update's outputs are the previous template's."""
    stack.output_map = stack._create_output_map()


# -- the template parser's resource types -------------------------------------------------------------
def moto_logger() -> logging.Logger:
    """The logger moto's template parser warns on."""
    return logging.getLogger(MOTO_LOGGER)


def is_unsupported_type_record(record: logging.LogRecord, resource_type: str) -> bool:
    """Whether ``record`` is moto's "No Moto CloudFormation support" warning for ``resource_type``."""
    return record.msg == UNSUPPORTED_TYPE_WARNING and tuple(record.args or ()) == (resource_type,)


def log_unsupported_type(resource_type: str) -> None:
    """moto's warning for a type nothing serves, as moto logs it."""
    moto_logger().warning(UNSUPPORTED_TYPE_WARNING, resource_type)


def parsed_resources(resource_map: Any) -> dict[str, Any]:
    """The resources moto's ``ResourceMap`` has made, by logical id (``_parsed_resources``). moto makes a
    template's resources lazily, on first lookup: a resource deleted from this dictionary is made again by
    the next read of the stack's resources or outputs."""
    found = getattr(resource_map, "_parsed_resources", None)
    if not isinstance(found, dict):
        raise _fail("moto.cloudformation.parsing.ResourceMap._parsed_resources", "is no longer a dict")
    return found


def restore_template(resource_map: Any, template: dict[str, Any]) -> None:
    """Make moto's ``ResourceMap`` diff the next update against ``template`` again (``_template`` and
    ``_resource_json_map``, which moto's update replaced): a rolled-back update's template."""
    for name in RESOURCE_MAP_ATTRIBUTES:
        _resource_map_attribute(resource_map, name)
    resource_map._template = template
    resource_map._resource_json_map = template.get("Resources", {})


# -- the template parser's resource map --------------------------------------------------------------
def _resource_map_attribute(resources_map: Any, name: str) -> Any:
    if name not in RESOURCE_MAP_ATTRIBUTES or not hasattr(resources_map, name):
        raise _fail(f"moto.cloudformation.parsing.ResourceMap.{name}", "does not exist")
    found = getattr(resources_map, name)
    if not isinstance(found, dict):
        raise _fail(f"moto.cloudformation.parsing.ResourceMap.{name}", "is no longer a dict")
    return found


def resource_map_template(resources_map: Any) -> dict[str, Any]:
    """The template a moto ``ResourceMap`` is building (``MotoContractError`` if moto renamed it)."""
    template: dict[str, Any] = _resource_map_attribute(resources_map, "_template")
    return template


def set_resource_map_template(resources_map: Any, template: dict[str, Any]) -> None:
    """Replace the template a ``ResourceMap`` reads (``validate_outputs`` reads it there)."""
    _resource_map_attribute(resources_map, "_template")
    resources_map._template = template


def resource_map_json(resources_map: Any, logical_id: str) -> dict[str, Any] | None:
    """The template declaration of one resource of a ``ResourceMap`` (None: not declared)."""
    declared = _resource_map_attribute(resources_map, "_resource_json_map")
    found = declared.get(logical_id) if isinstance(declared, dict) else None
    return found if isinstance(found, dict) else None


def clean_json(value: Any, resources_map: Any) -> Any:
    """moto's template value resolution (``Ref``, ``Fn::*``) of ``value`` within a ``ResourceMap``."""
    resolve: Any = CLEAN_JSON.resolve()
    return resolve(value, resources_map)


def resource_class(resource_type: str) -> Any:
    """The model class moto's parser uses for ``resource_type`` (None: none serves it)."""
    lookup: Any = RESOURCE_CLASS_FROM_TYPE.resolve()
    return lookup(resource_type)


def model_list() -> Callable[[], list[Any]]:
    """moto's ``get_model_list``: the model classes its parser's type lookups search, in their order."""
    found: Callable[[], list[Any]] = GET_MODEL_LIST.resolve()
    return found


def moto_resource_types() -> frozenset[str]:
    """The resource types moto's parser serves (its models and its null models)."""
    models: Any = GET_MODEL_MAP.resolve()
    nulls: Any = NULL_MODELS.resolve()
    return frozenset(models()) | frozenset(nulls)


# -- backends -----------------------------------------------------------------------------------------
def existing_backend(backends: Any, account_id: str, region: str) -> Any | None:
    """The backend moto has already made for ``account_id`` and ``region`` in ``backends`` (a ``BackendDict``),
    or None. Never makes one: moto's lookup ``backends[account][region]`` creates the account's backends
    on first use, which scans botocore's partitions and regions."""
    regions = dict.get(backends, account_id)
    if regions is None:
        return None
    return dict.get(regions, region)


@functools.cache
def _backend_dict_class() -> Any:
    BACKEND_DICT_INSTANCES.resolve()
    return Signature(BACKEND_DICT_INSTANCES.module, "BackendDict").resolve()


def made_backend_dicts() -> list[Any]:
    """moto's list of the ``BackendDict``s that hold a backend (the ones its reset empties); read on every
    call (the class is looked up once), so it is the list moto has now."""
    found: list[Any] = _backend_dict_class()._instances
    return found


# -- moto's in-process door (BotocoreStubber) ---------------------------------------------------------
def clean_url(url: str) -> str:
    """The URL moto's stubber matches a request by: in the standard AWS domain, without the query."""
    from moto.core.utils import get_equivalent_url_in_aws_domain

    parsed, _ = get_equivalent_url_in_aws_domain(url)
    return f"{parsed.scheme}://{parsed.netloc}{parsed.path}"


def stubbed_handler(clean: str) -> tuple[str, Callable[..., Any]] | None:
    """The service and the handler moto's stubber calls for ``clean`` (a ``clean_url``), found as it finds
    them (the first service whose URL pattern matches, then the first of its backend's URLs), when that
    service's URLs have the handler; None otherwise. Passthrough and whitelist settings are not applied:
    ``stubber_declines`` does that on every request."""
    import re

    import moto.backend_index as backend_index
    import moto.backends as backends
    from moto.core.base_backend import BackendDict
    from moto.core.models import DEFAULT_ACCOUNT_ID

    for service, pattern in backend_index.backend_url_patterns:
        if not pattern.match(clean):
            continue
        backend_dict: Any = backends.get_backend(service)  # type: ignore[call-overload]
        if isinstance(backend_dict, BackendDict):
            account = backend_dict[DEFAULT_ACCOUNT_ID]
            backend = account["us-east-1"] if "us-east-1" in account else account["aws"]
        else:
            backend = backend_dict["global"]
        for url, handler in backend.urls.items():
            if re.compile(url).match(clean):
                return service, handler
        return None  # moto would go on to the next service: not a request the shortcut takes
    return None


def stubber_declines(clean: str, service: str) -> bool:
    """Whether moto's stubber would not call the handler of ``service`` for ``clean`` now (passthrough URL
    or service, or a service ``mock_aws(config=...)`` does not whitelist: moto then answers as it does)."""
    from moto.core.config import passthrough_service, passthrough_url, service_whitelisted

    return bool(passthrough_url(clean) or passthrough_service(service) or not service_whitelisted(service))


def record_request(request: Any) -> None:
    """moto's recorder sees the request, as moto's stubber and server show it every request."""
    from moto.moto_api import recorder

    recorder._record_request(request)


def new_request_id(headers: dict[str, Any]) -> str:
    """A request id as moto makes one (from its seeded random), put in ``headers`` as ``x-amzn-requestid``."""
    made: str = GEN_REQUEST_ID.resolve()(headers)
    return made


def http_exception() -> type[Exception]:
    from werkzeug.exceptions import HTTPException

    return HTTPException


def request_from_primitives(method: str, url: str, headers: Any, body: Any) -> Any | None:
    """moto's ``Request.from_primitives(method, url, headers, body)`` without werkzeug's ``EnvironBuilder``
    (most of its cost), for the shape botocore sends the query protocol in: a URL without query or
    fragment to ``/`` of an ``http(s)`` host, a non-empty ``bytes`` or ``str`` body, ``str`` or ``bytes``
    header values. None for any other shape (moto's own builder then). The WSGI environ is the one
    ``EnvironBuilder`` writes (the contract tests and the suite's cross-check compare them)."""
    import sys
    from io import BytesIO

    from moto.core.request import Request

    scheme, sep, rest = url.partition("://")
    host, slash, path = rest.partition("/")
    if not sep or scheme not in ("http", "https") or not slash or path or not host or "@" in host:
        return None
    if isinstance(body, str):
        body = body.encode()
    if not isinstance(body, bytes) or not body:
        return None
    name, colon, port = host.rpartition(":") if host.count(":") == 1 else ("", "", "")
    if colon and not port.isdigit():
        return None
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": "/",
        "QUERY_STRING": "",
        "REQUEST_URI": "/",
        "RAW_URI": "/",
        "SERVER_NAME": name if colon else host,
        "SERVER_PORT": port if colon else ("443" if scheme == "https" else "80"),
        "HTTP_HOST": host,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scheme,
        "wsgi.input": BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    combined: dict[str, list[str]] = {}
    content_type = None
    preserved: dict[str, str] = {}
    for key, value in headers.items():
        text = value.decode("utf-8") if isinstance(value, bytes) else value
        if not isinstance(key, str) or not isinstance(text, str) or "\n" in text or "\r" in text:
            return None
        lower = key.lower()
        if lower == "transfer-encoding":
            continue
        upper = key.upper().replace("-", "_")
        if "_" in key and lower.startswith("x-amz-meta-"):
            preserved[upper if upper in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{upper}"] = key
        if lower == "content-type":
            content_type = text if content_type is None else content_type
        elif lower != "content-length":
            combined.setdefault(f"HTTP_{upper}", []).append(text)
    if content_type is not None:
        environ["CONTENT_TYPE"] = content_type
    environ["CONTENT_LENGTH"] = str(len(body))
    for key, values in combined.items():
        environ[key] = ", ".join(values)
    environ[PRESERVED_HEADER_NAMES.resolve()] = preserved
    return Request(environ)


def check_backend_dicts() -> None:
    """``existing_backend`` relies on moto keeping made backends as dictionary entries."""
    from moto.core.base_backend import AccountSpecificBackend, BackendDict

    for kind in (BackendDict, AccountSpecificBackend):
        if not issubclass(kind, dict):
            raise _fail(f"moto.core.base_backend.{kind.__name__}", "is no longer a dict")


# -- the whole contract -------------------------------------------------------------------------------
_checked = False


def check_contract() -> None:
    """Check every entry of ``CONTRACT`` against the installed moto (once per process; ``install()`` calls it).

    ``MotoContractError`` names the first entry that moved or changed its signature.
    """
    global _checked
    if _checked:
        return
    for signature in CONTRACT:
        signature.check()
    delegated_admin_services()
    cloudformation_routes()
    check_backend_dicts()
    _checked = True
