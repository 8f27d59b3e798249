"""``wire.xml_text`` answers what its regular expression alone answers, with the ASCII fast check in front.

The fast check (``_xml_ascii``) lets clean ASCII bodies through without the regular expression; every other
body still goes through it. Generated bodies mix clean ASCII, every C0 control, DEL, non-ASCII text,
surrogates and U+FFFE/U+FFFF, as ``str`` and as UTF-8 ``bytes``.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from moto_stacksets_ext.cloudformation import wire

CHARACTERS = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.sampled_from([chr(code) for code in range(0x20)] + ["\x7f", "\u00e9", "\u4e2d", "\ufffe", "\uffff"]),
    st.sampled_from(["\ud800", "\udfff", "\U0001f600"]),
)
BODIES = st.builds(lambda text, lead: lead + text, st.text(CHARACTERS, max_size=40), st.sampled_from(["<a>", " <", ""]))


def _by_regex(body: Any) -> Any:
    """What ``xml_text`` answered before the fast check: the regular expression alone."""
    if isinstance(body, bytes):
        try:
            decoded = body.decode("utf-8")
        except UnicodeDecodeError:
            return body
        return _by_regex(decoded).encode("utf-8") if wire._NOT_XML.search(decoded) else body
    if isinstance(body, str) and body.lstrip().startswith("<") and wire._NOT_XML.search(body):
        return wire._NOT_XML.sub("\ufffd", body)
    return body


@given(BODIES)
def test_text_bodies_as_by_the_regular_expression(body: str) -> None:
    assert wire.xml_text(body) == _by_regex(body)


@given(BODIES)
def test_byte_bodies_as_by_the_regular_expression(body: str) -> None:
    data = body.encode("utf-8", errors="surrogatepass")
    assert wire.xml_text(data) == _by_regex(data)


def test_the_fast_check_is_the_regular_expression_on_every_ascii_character() -> None:
    for code in range(0x80):
        character = chr(code)
        assert wire._xml_ascii(f"<a>{character}</a>") is (wire._NOT_XML.search(character) is None), code
    assert wire._xml_ascii("<a>\u00e9</a>") is False  # not ASCII: the regular expression decides
    assert wire.xml_text("<a>x\x00y</a>") == "<a>x\ufffdy</a>"
    assert wire.xml_text(b"<a>x\x1fy</a>") == "<a>x\ufffdy</a>".encode()
