"""XML parsing that never loads a DTD, never resolves an entity and never touches the network."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from lxml import etree

_SAFE: dict[str, Any] = {
    "resolve_entities": False,
    "load_dtd": False,
    "no_network": True,
    "dtd_validation": False,
    "huge_tree": False,
}


def parser(recover: bool = False) -> etree.XMLParser:
    return etree.XMLParser(recover=recover, remove_comments=True, remove_pis=True, **_SAFE)


def parse(data: bytes, recover: bool = False) -> etree._Element:
    """Parse a whole (small) document; raises ``etree.XMLSyntaxError`` on bad XML."""
    root = etree.fromstring(data, parser(recover))
    if root is None:
        raise etree.XMLSyntaxError("empty document", None, 0, 0)  # type: ignore[call-arg]
    return root


def iterparse(source: IO[bytes], events: tuple[str, ...] = ("end",), tag: Any = None) -> Iterator[tuple[str, Any]]:
    """Stream a large part element by element (callers clear what they consumed)."""
    kwargs: dict[str, Any] = dict(events=events, remove_comments=True, remove_pis=True, **_SAFE)
    if tag is not None:
        kwargs["tag"] = tag
    return etree.iterparse(source, **kwargs)


def local(tag: Any) -> str:
    """Local name of an element tag ('' for entities, comments and processing instructions)."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def release(el: Any) -> None:
    """Free an element that has been consumed, and its already-consumed earlier siblings."""
    el.clear(keep_tail=True)
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]
