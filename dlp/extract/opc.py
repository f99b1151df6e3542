"""Office Open XML packages (OPC, ECMA-376 part 2): parts found through relationships.

A package says what it is and where its parts are in ``[Content_Types].xml`` and the
relationship parts (``_rels/.rels``, ``word/_rels/document.xml.rels`` ...), not through fixed
names: a document whose main part is ``word/body.xml`` is as valid as ``word/document.xml``.
:class:`Package` reads those (lxml) and remembers which parts an extractor opened, so that
:func:`dlp.extract.ooxml.extract_rest` can read every part nobody read.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from typing import Any

from dlp.extract.xmlsafe import local, parse

#: Relationship type (last path segment) of the package's main part.
OFFICE_DOCUMENT = "officeDocument"
_MAIN_TYPES = {
    "wordprocessingml.document.main+xml": "docx",
    "wordprocessingml.template.main+xml": "docx",
    "ms-word.document.macroenabled.main+xml": "docx",
    "ms-word.template.macroenabledtemplate.main+xml": "docx",
    "spreadsheetml.sheet.main+xml": "xlsx",
    "spreadsheetml.template.main+xml": "xlsx",
    "ms-excel.sheet.macroenabled.main+xml": "xlsx",
    "ms-excel.template.macroenabled.main+xml": "xlsx",
    "ms-excel.sheet.binary.macroenabled.main": "xlsb",
    "presentationml.presentation.main+xml": "pptx",
    "presentationml.slideshow.main+xml": "pptx",
    "presentationml.template.main+xml": "pptx",
    "ms-powerpoint.presentation.macroenabled.main+xml": "pptx",
    "ms-powerpoint.slideshow.macroenabled.main+xml": "pptx",
    "ms-powerpoint.template.macroenabled.main+xml": "pptx",
}


@dataclass(frozen=True)
class Relationship:
    id: str
    type: str  # last segment of the relationship type URI: "header", "slideMaster", "image" ...
    target: str  # absolute part name without the leading "/" (or the raw target when external)
    external: bool


class TrackingZip(zipfile.ZipFile):
    """A ``ZipFile`` that remembers the name of every member opened (read goes through open)."""

    def __init__(self, file: Any, *args: Any, **kwargs: Any):
        super().__init__(file, *args, **kwargs)
        self.opened: set[str] = set()

    def open(self, name: Any, *args: Any, **kwargs: Any):  # type: ignore[override]
        self.opened.add(name.filename if isinstance(name, zipfile.ZipInfo) else str(name))
        return super().open(name, *args, **kwargs)


def part_name(source: str, target: str) -> str:
    """A relationship target resolved against the part that holds the relationship."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    folder = posixpath.dirname(source)
    return posixpath.normpath(posixpath.join(folder, target)).lstrip("/")


def rels_name(part: str) -> str:
    """``word/document.xml`` -> ``word/_rels/document.xml.rels``; ``""`` (the package) -> ``_rels/.rels``."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{base}.rels")


class Package:
    """The content types and relationships of one package (small parts, read whole)."""

    def __init__(self, zf: zipfile.ZipFile, max_part_bytes: int = 16 * 1024 * 1024):
        self.zf = zf
        self.max_part_bytes = max_part_bytes
        self.names = {i.filename for i in zf.infolist()}
        self._rels: dict[str, list[Relationship]] = {}
        self.defaults, self.overrides = self._content_types()

    @classmethod
    def of(cls, data: bytes) -> Package:
        return cls(TrackingZip(io.BytesIO(data)))

    def _small(self, name: str) -> bytes | None:
        try:
            info = self.zf.getinfo(name)
        except KeyError:
            return None
        if info.file_size > self.max_part_bytes:
            return None
        try:
            return self.zf.read(info)
        except Exception:  # a broken member: as if absent
            return None

    def _content_types(self) -> tuple[dict[str, str], dict[str, str]]:
        defaults: dict[str, str] = {}
        overrides: dict[str, str] = {}
        data = self._small("[Content_Types].xml")
        if not data:
            return defaults, overrides
        try:
            root = parse(data, recover=True)
        except Exception:
            return defaults, overrides
        for el in root:
            name = local(el.tag)
            ctype = (el.get("ContentType") or "").lower()
            if name == "Default" and el.get("Extension"):
                defaults[el.get("Extension", "").lower()] = ctype
            elif name == "Override" and el.get("PartName"):
                overrides[el.get("PartName", "").lstrip("/").lower()] = ctype
        return defaults, overrides

    def content_type(self, part: str) -> str:
        ctype = self.overrides.get(part.lower())
        if ctype is None:
            ctype = self.defaults.get(posixpath.splitext(part)[1].lstrip(".").lower(), "")
        return ctype

    def rels(self, part: str = "") -> list[Relationship]:
        """The relationships of ``part`` (``""``: of the package itself)."""
        if part in self._rels:
            return self._rels[part]
        out: list[Relationship] = []
        data = self._small(rels_name(part))
        if data:
            try:
                root = parse(data, recover=True)
            except Exception:
                root = None
            for rel in root if root is not None else []:
                target = rel.get("Target") or ""
                external = (rel.get("TargetMode") or "").lower() == "external"
                out.append(
                    Relationship(
                        id=rel.get("Id") or "",
                        type=(rel.get("Type") or "").rstrip("/").rsplit("/", 1)[-1],
                        target=target if external else part_name(part or "/", target),
                        external=external,
                    )
                )
        self._rels[part] = out
        return out

    def related(self, part: str, *types: str) -> list[str]:
        """Existing parts that ``part`` relates to with one of ``types``, in relationship order."""
        seen: list[str] = []
        for rel in self.rels(part):
            if not rel.external and rel.type in types and rel.target in self.names and rel.target not in seen:
                seen.append(rel.target)
        return seen

    def main_part(self) -> str | None:
        """The part the package's ``officeDocument`` relationship points at."""
        found = self.related("", OFFICE_DOCUMENT)
        if found:
            return found[0]
        for name, ctype in self.overrides.items():  # no root relationship: the content types say
            if _main_kind(ctype) is not None:
                return next((n for n in self.names if n.lower() == name), None)
        return None

    def kind(self) -> str | None:
        """"docx" | "xlsx" | "pptx" | "xlsb" from the main part's content type, or None."""
        main = self.main_part()
        if main is None:
            return None
        return _main_kind(self.content_type(main))


def _main_kind(ctype: str) -> str | None:
    for suffix, kind in _MAIN_TYPES.items():
        if ctype.endswith(suffix):
            return kind
    return None
