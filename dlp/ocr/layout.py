"""Text lines found anywhere on a page -> one text in reading order.

Lines are grouped into rows (they overlap vertically by at least half the smaller height),
rows run top to bottom and the pieces of a row left to right, joined by a tab (how the 公文
field 「密等及解密條件或保密期限」 and its value sit when printed in two cells). A piece far
from its left neighbour (a stamp in the corner beside the title) starts a line of its own, so
that a lone level word stays a lone line, where the secrecy detector looks for stamps.
"""

from __future__ import annotations

from dlp.ocr.engine_base import TextLine

#: A gap wider than this many row heights separates two pieces of a row onto two lines.
FAR_GAP_ROWS = 4.0


def rows(lines: list[TextLine]) -> list[list[TextLine]]:
    out: list[list[TextLine]] = []
    for line in sorted(lines, key=lambda ln: (ln.middle, ln.box[0])):
        if out and _same_row(out[-1], line):
            out[-1].append(line)
        else:
            out.append([line])
    return [sorted(row, key=lambda ln: ln.box[0]) for row in out]


def _same_row(row: list[TextLine], line: TextLine) -> bool:
    top = min(ln.box[1] for ln in row)
    bottom = max(ln.box[3] for ln in row)
    overlap = min(bottom, line.box[3]) - max(top, line.box[1])
    return overlap >= 0.5 * min(bottom - top, line.height)


def page_text(lines: list[TextLine]) -> str:
    """The page's text: one line per row, pieces joined by a tab or, when far apart, a newline."""
    out: list[str] = []
    for row in rows(lines):
        height = max(ln.height for ln in row) or 1.0
        current = row[0].text
        for prev, piece in zip(row, row[1:]):
            if piece.box[0] - prev.box[2] > FAR_GAP_ROWS * height:
                out.append(current)
                current = piece.text
            else:
                current += "\t" + piece.text
        out.append(current)
    return "\n".join(out)


def mean_confidence(lines: list[TextLine]) -> float:
    weight = sum(len(ln.text) for ln in lines)
    if not weight:
        return 0.0
    return sum(ln.confidence * len(ln.text) for ln in lines) / weight
