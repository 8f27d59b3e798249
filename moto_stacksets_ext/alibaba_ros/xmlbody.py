"""ROS answers in XML, for callers that ask with ``Format=XML`` (the core SDK's ``set_accept_format('XML')``).

The shape follows the XML samples of ROS's API reference (e.g. GetStackGroupOperation): the root element
is ``<{Action}Response>``; an object's members are child elements; a list is its member's name repeated,
once per item (``<RegionIdsOrder>cn-hangzhou</RegionIdsOrder><RegionIdsOrder>cn-beijing</RegionIdsOrder>``);
booleans are ``true``/``false``; absent members are left out. Errors are ``<Error>`` with ``RequestId``,
``HostId``, ``Code``, ``Message`` (and ``Recommend``, as in JSON), as Alibaba Cloud's "Return results"
page shows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from xml.etree import ElementTree

CONTENT_TYPE = "application/xml;charset=utf-8"
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>'
#: Characters XML 1.0 cannot carry (a template body could hold them); they are left out.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _append(parent: ElementTree.Element, name: str, value: object) -> None:
    if value is None:
        return
    if isinstance(value, list):
        for item in value:
            _append(parent, name, item)
        return
    element = ElementTree.SubElement(parent, name)
    if isinstance(value, Mapping):
        for key, member in value.items():
            _append(element, str(key), member)
    else:
        element.text = _text(value)


def document(root: str, payload: Mapping[str, object]) -> bytes:
    """``payload`` as an XML document under ``<root>``."""
    element = ElementTree.Element(root)
    for key, value in payload.items():
        _append(element, str(key), value)
    return _DECLARATION + ElementTree.tostring(element, encoding="unicode").encode()
