"""Workbooks read by the streaming scanner: every kind of cell, the tree-parser fallback, limits."""

from __future__ import annotations

import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import builders  # noqa: E402
import pytest  # noqa: E402

import dlp.extract.xlsx as xlsx_module  # noqa: E402
from dlp.extract import Limits, extract  # noqa: E402
from dlp.extract.limits import LimitReached  # noqa: E402
from dlp.extract.xlsxscan import Unsupported, scan_shared_strings, scan_sheet, unescape  # noqa: E402
from dlp.model import Attachment  # noqa: E402

SHARED = builders.shared_xml(
    [
        "<t>姓名</t>",
        '<t xml:space="preserve"> 王小明 </t>',
        # Rich text in runs, with a phonetic reading that must not be repeated.
        "<r><rPr><b/></rPr><t>機</t></r><r><t>密</t></r><rPh sb='0' eb='1'><t>キミツ</t></rPh>",
        "<t/>",
        "<t>A&amp;B &lt;tag&gt; &#x6A5F;&#23494;</t>",
    ]
)

ROWS = (
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>'
    '<row r="2" spans="1:6"><c r="A2" t="inlineStr"><is><t>A123456789</t></is></c>'
    '<c r="B2"><v>42</v></c><c r="C2"><v>3.5</v></c><c r="D2"><v>7.0</v></c>'
    '<c r="E2" s="1"><v>29358</v></c><c r="F2" s="2"><v>45292.5</v></c></row>'
    '<row r="3"><c r="A3" t="b"><v>1</v></c><c r="B3" t="e"><v>#DIV/0!</v></c>'
    '<c r="C3" t="str"><f>CONCAT("a","b")</f><v>ab</v></c><c r="D3"><f>1+1</f></c>'
    '<c r="E3"><f t="shared" si="0"/><v>8</v></c><c r="F3" s="1"/><c r="G3" t="s"><v>3</v></c></row>'
    '<row r="4"/>'
    '<row r="5"><c r="A5" t="inlineStr"><is><r><t>限</t></r><r><t xml:space="preserve">閱 </t></r></is></c>'
    '<c r="B5" t="s"><v>4</v></c><c r="C5" t="s"><v>99</v></c></row>'
)

EXPECTED = (
    "姓名\t 王小明 \t機密\n"
    "A123456789\t42\t3.5\t7\t1980-05-17\t2024-01-01 12:00\n"
    "TRUE\t#DIV/0!\tab\t=1+1\t8\n"
    "限閱 \tA&B <tag> 機密"
)

TAIL = (
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
    '<headerFooter><oddHeader>&amp;C&amp;"標楷體,粗體"機密</oddHeader><oddFooter>&amp;R限閱 第 &amp;P 頁</oddFooter>'
    "</headerFooter>"
)


def _workbook(prefix: str = "", rows: str = ROWS, tail: str = TAIL) -> bytes:
    return builders.xlsx_package(
        [
            ("說明", builders.sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')),
            ("名冊", builders.sheet_xml(rows, prefix=prefix, tail=_prefixed(tail, prefix))),
        ],
        shared=SHARED,
        styles=builders.DATE_STYLES,
        hidden=("名冊",),
    )


def _prefixed(xml: str, prefix: str) -> str:
    if not prefix:
        return xml
    for name in ("pageMargins", "headerFooter", "oddHeader", "oddFooter", "row", "c", "v", "f", "is", "t", "r"):
        xml = xml.replace(f"<{name}>", f"<{prefix}:{name}>").replace(f"<{name} ", f"<{prefix}:{name} ")
        xml = xml.replace(f"</{name}>", f"</{prefix}:{name}>").replace(f"<{name}/>", f"<{prefix}:{name}/>")
    return xml


def _segments(data: bytes, limits: Limits | None = None):
    r = extract(Attachment("名冊.xlsx", data), limits)
    return {s.location: s for s in r.segments}, r


@pytest.fixture(params=[True, False], ids=["scanner", "tree"])
def reader(request, monkeypatch):
    """Every behaviour holds for the scanner and for the tree parser it falls back to."""
    monkeypatch.setattr(xlsx_module, "FAST", request.param)
    return request.param


def test_every_kind_of_cell(reader):
    segs, r = _segments(_workbook())
    assert r.findings == []
    sheet = segs["attachment:名冊.xlsx#sheet:名冊"]
    assert sheet.role == "sheet"
    assert sheet.text == EXPECTED
    assert segs["attachment:名冊.xlsx#sheet:說明"].text == "姓名"
    assert segs["attachment:名冊.xlsx#sheet:名冊:header"].text == "機密"
    assert segs["attachment:名冊.xlsx#sheet:名冊:header"].role == "header"
    assert segs["attachment:名冊.xlsx#sheet:名冊:footer"].text == "限閱 第  頁"


def test_prefixed_namespace_reads_the_same(reader):
    rows = _prefixed(ROWS, "x")
    segs, r = _segments(_workbook(prefix="x", rows=rows))
    assert segs["attachment:名冊.xlsx#sheet:名冊"].text == EXPECTED
    assert segs["attachment:名冊.xlsx#sheet:名冊:header"].text == "機密"


@pytest.mark.parametrize(
    "rows",
    [
        # CDATA, a comment and a namespace declaration inside the data: the scanner hands over.
        '<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[機密 A123456789]]></t></is></c></row>',
        '<row r="1"><!-- note --><c r="A1" t="inlineStr"><is><t>機密 A123456789</t></is></c></row>',
        '<row r="1"><y:c xmlns:y="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="A1" '
        't="inlineStr"><y:is><y:t>機密 A123456789</y:t></y:is></y:c></row>',
        "<row r='1'><c r='A1' t = 'inlineStr'><is><t>機密 A123456789</t></is></c></row>",
    ],
    ids=["cdata", "comment", "xmlns", "single-quotes"],
)
def test_unusual_markup_is_still_read(rows):
    segs, r = _segments(_workbook(rows=rows, tail=""))
    assert segs["attachment:名冊.xlsx#sheet:名冊"].text == "機密 A123456789"
    assert r.findings == []


def test_utf16_sheet_falls_back_to_the_tree_parser():
    xml = builders.sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>機密</t></is></c></row>')
    xml = xml.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    data = builders.xlsx_package([("工作表1", "")], extra={"xl/worksheets/sheet1.xml": xml.encode("utf-16")})
    segs, r = _segments(data)
    assert segs["attachment:名冊.xlsx#sheet:工作表1"].text == "機密"


def test_scanner_refuses_what_it_cannot_read():
    xml = builders.sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>').encode()
    assert scan_sheet(io.BytesIO(xml), [], set(), 100, lambda: None)[0] == "1"
    for bad in (
        xml.replace(b"<?xml", b"<!DOCTYPE worksheet []><?xml"),
        xml.replace(b'encoding="UTF-8"', b'encoding="Big5"'),
        xml.replace(b"spreadsheetml/2006/main", b"example.com/other"),
        xml.replace(b"<v>1</v>", b"<v>1</v><?pi x?>"),
    ):
        with pytest.raises(Unsupported):
            scan_sheet(io.BytesIO(bad), [], set(), 100, lambda: None)
    sst = builders.shared_xml(["<t>a</t>", "<t>b</t>"]).encode()
    assert scan_shared_strings(io.BytesIO(sst), lambda: None) == [b"a", b"b"]
    with pytest.raises(Unsupported):
        scan_shared_strings(io.BytesIO(sst.replace(b"<si><t>b", b"<si ><t>b<!-- -->")), lambda: None)


def test_openpyxl_shared_and_inline_strings_agree(reader):
    import openpyxl

    def book(write_only: bool) -> bytes:
        wb = openpyxl.Workbook(write_only=write_only)
        ws = wb.create_sheet("名冊") if write_only else wb.active
        if not write_only:
            ws.title = "名冊"
        for name, pid, phone in builders.residents(30):
            ws.append([name, pid, phone, 1.25, 3])
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()

    texts = [_segments(book(w))[0]["attachment:名冊.xlsx#sheet:名冊"].text for w in (True, False)]
    assert texts[0] == texts[1]
    name, pid, phone = builders.residents(30)[7]
    assert f"{name}\t{pid}\t{phone}\t1.25\t3" in texts[0].splitlines()


def test_huge_sheet_stops_at_the_text_limit(reader):
    data = builders.xlsx_shared_rows(3000)
    segs, r = _segments(data, Limits(max_text_chars=20_000))
    assert [(f.type, f.detail["limit"]) for f in r.findings] == [("LIMIT_EXCEEDED", "max_text_chars")]
    sheet = segs["attachment:名冊.xlsx#sheet:資料"]
    assert len(sheet.text) == 20_000
    first = sheet.text.splitlines()[0].split("\t")
    name, pid, phone = builders.residents(997)[1]
    assert first == ["1", name, pid, phone, "花蓮縣花蓮市中山路1號", "1982-02-19", "3.5", "備註備註"]


def test_scanner_checks_time_between_chunks(monkeypatch):
    import dlp.extract.xlsxscan as scan

    monkeypatch.setattr(scan, "READ_SIZE", 4096)
    calls = []

    def check() -> None:
        calls.append(1)
        if len(calls) > 3:
            raise LimitReached("max_seconds", "here")

    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 5000))
    with pytest.raises(LimitReached):
        scan_sheet(io.BytesIO(builders.sheet_xml(rows).encode()), [], set(), 10**9, check)
    assert len(calls) == 4


def test_expanded_bytes_limit_refuses_big_sheet(reader):
    data = builders.xlsx_shared_rows(3000)
    segs, r = _segments(data, Limits(max_expanded_bytes=50_000))
    assert ("LIMIT_EXCEEDED", "max_expanded_bytes") in [(f.type, f.detail.get("limit")) for f in r.findings]
    assert "attachment:名冊.xlsx#sheet:資料" not in segs


def test_scanner_and_tree_parser_agree_on_a_big_book(monkeypatch):
    data = builders.xlsx_shared_rows(2000)
    monkeypatch.setattr(xlsx_module, "FAST", True)
    fast = extract(Attachment("a.xlsx", data))
    monkeypatch.setattr(xlsx_module, "FAST", False)
    tree = extract(Attachment("a.xlsx", data))
    assert [(s.location, s.role, s.text) for s in fast.segments] == [
        (s.location, s.role, s.text) for s in tree.segments
    ]
    assert len(fast.segments[0].text.splitlines()) == 2000


def test_unescape():
    assert unescape(b"a&amp;b&#x41;&#66;\r\nc") == "a&bAB\nc"
    assert unescape(b"&nbsp;x &bogus") == "&nbsp;x &bogus"  # unknown entities are kept, not dropped
    assert unescape("機密".encode()) == "機密"


def test_join_limited_cuts_before_joining():
    from dlp.extract.xlsxscan import join_limited

    assert join_limited(["ab", "cd"], 10) == ("ab\ncd", False)
    assert join_limited(["ab", "cd"], 5) == ("ab\ncd", False)
    assert join_limited(["ab", "cd"], 4) == ("ab\nc", True)
    assert join_limited(["ab", "cd"], 2) == ("ab", True)
    assert join_limited(["abc"], 1) == ("a", True)
    assert join_limited([], 0) == ("", False)


def test_a_scanner_fault_falls_back_to_the_tree_parser(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(xlsx_module, "scan_sheet", broken)
    monkeypatch.setattr(xlsx_module, "scan_shared_strings", broken)
    segs, r = _segments(_workbook())
    assert segs["attachment:名冊.xlsx#sheet:名冊"].text == EXPECTED
    assert r.findings == []


# -- very large sheets: parts at row ends ------------------------------------------------------
HEAD = "序號\t姓名\t出生日期\t帳號"


def _long_sheet(rows: int = 400, late_markup: str = "") -> tuple[bytes, list[int]]:
    """A sheet whose first column is each row's number: the header in row 1, a gap after it,
    an empty row, rows without an ``r`` attribute (counted) and rows with many lines of text."""
    people = builders.residents(rows)
    xml = ['<row r="1">' + "".join(_inline(c, f"{c}1", v) for c, v in zip("ABCD", HEAD.split("\t"))) + "</row>"]
    numbers = [1]
    for r in range(3, rows + 3):
        name, pid, _ = people[r - 3]
        if r == 50:
            xml.append(f'<row r="{r}"/>')  # empty: no line, but its number counts
            continue
        attr = "" if r % 7 == 0 else f' r="{r}"'
        cells = f'<c r="A{r}"><v>{r}</v></c>' + _inline("B", f"B{r}", name)
        cells += f'<c r="C{r}" s="1"><v>{29000 + r}</v></c>' + _inline("D", f"D{r}", f"0{r:011d}")
        if r % 25 == 0:
            cells += _inline("E", f"E{r}", f"多行{r}&#10;第二行 &amp; 更多")
        if r == rows and late_markup:
            cells += late_markup
        xml.append(f"<row{attr}>{cells}</row>")
        numbers.append(r)
    data = builders.xlsx_package([("名冊", builders.sheet_xml("".join(xml)))], styles=builders.DATE_STYLES)
    return data, numbers


def _inline(col: str, ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _parts(r, name: str = "名冊"):
    prefix = f"attachment:名冊.xlsx#sheet:{name}"
    return [s for s in r.segments if s.location.startswith(prefix) and not s.location.endswith(("header", "footer"))]


@pytest.mark.parametrize("read_size", [4096, None], ids=["small-chunks", "one-chunk"])
def test_a_big_sheet_is_split_into_parts_at_row_ends(reader, monkeypatch, read_size):
    import dlp.extract.xlsxscan as scan

    if read_size:
        monkeypatch.setattr(scan, "READ_SIZE", read_size)
    data, numbers = _long_sheet()
    single = extract(Attachment("名冊.xlsx", data))
    whole = _parts(single)
    assert [s.location for s in whole] == ["attachment:名冊.xlsx#sheet:名冊"]
    text = whole[0].text
    assert text.startswith(HEAD + "\n3\t")

    r = extract(Attachment("名冊.xlsx", data), Limits(max_segment_chars=2000))
    assert r.findings == []
    parts = _parts(r)
    assert len(parts) >= 5
    joined: list[str] = []
    seen: list[int] = []
    for i, part in enumerate(parts):
        assert part.role == "sheet"
        assert len(part.text) <= 2000
        body = part.text
        if i:
            assert body.startswith(HEAD + "\n")  # the header row leads every later part
            body = body[len(HEAD) + 1 :]
        joined.append(body)
        # Each row starts with its number; lines of multi-line cells do not.
        rows = [int(line.split("\t")[0]) for line in body.split("\n") if line.split("\t")[0].isdigit()]
        first = 1 if i == 0 else rows[0]  # the first part begins with the header, row 1
        assert part.location == f"attachment:名冊.xlsx#sheet:名冊:rows:{first}-{rows[-1]}"
        seen += rows
    assert "\n".join(joined) == text  # no row lost or repeated
    assert seen == numbers[1:]
    others = [s for s in r.segments if s not in parts]  # properties: unchanged
    assert others == [s for s in single.segments if s not in whole]


def test_a_sheet_at_the_threshold_stays_one_segment(reader):
    data, _ = _long_sheet(60)
    text = _parts(extract(Attachment("名冊.xlsx", data)))[0].text
    same = _parts(extract(Attachment("名冊.xlsx", data), Limits(max_segment_chars=len(text))))
    assert [(s.location, s.text) for s in same] == [("attachment:名冊.xlsx#sheet:名冊", text)]
    split = _parts(extract(Attachment("名冊.xlsx", data), Limits(max_segment_chars=len(text) - 1)))
    assert len(split) == 2
    assert split[0].location.startswith("attachment:名冊.xlsx#sheet:名冊:rows:1-")
    assert split[1].location.endswith("-62")


def test_a_value_in_a_later_part_keeps_its_column_labels(reader):
    data, _ = _long_sheet()
    r = extract(Attachment("名冊.xlsx", data), Limits(max_segment_chars=3000))
    parts = _parts(r)
    name, pid, _ = builders.residents(400)[397 - 3]
    late = next(s for s in parts if f"\n397\t{name}\t" in s.text)
    assert late is not parts[0] and late.location.endswith(tuple(f"-{n}" for n in range(397, 403)))
    lines = late.text.split("\n")
    assert lines[0] == "序號\t姓名\t出生日期\t帳號"
    row = next(line for line in lines if line.startswith("397\t")).split("\t")
    assert dict(zip(lines[0].split("\t"), row)) == {
        "序號": "397",
        "姓名": name,
        "出生日期": "1980-06-25",
        "帳號": "000000000397",
    }


def test_parts_stop_at_the_text_limit(reader):
    data, _ = _long_sheet()
    r = extract(Attachment("名冊.xlsx", data), Limits(max_segment_chars=2000, max_text_chars=7000))
    assert [(f.type, f.detail["limit"]) for f in r.findings] == [("LIMIT_EXCEEDED", "max_text_chars")]
    parts = _parts(r)
    assert len(parts) >= 3
    assert sum(len(s.text) for s in r.segments) <= 7000
    assert all(s.location.startswith("attachment:名冊.xlsx#sheet:名冊:rows:") for s in parts)


def test_parts_emitted_before_a_fallback_are_not_repeated(monkeypatch):
    import dlp.extract.xlsxscan as scan

    monkeypatch.setattr(scan, "READ_SIZE", 4096)
    # A comment in the last row: the scanner has emitted parts when it hands the sheet over.
    data, _ = _long_sheet(late_markup="<!-- 備註 -->")
    limits = Limits(max_segment_chars=2000)
    fast = extract(Attachment("名冊.xlsx", data), limits)
    monkeypatch.setattr(xlsx_module, "FAST", False)
    tree = extract(Attachment("名冊.xlsx", data), limits)
    assert [(s.location, s.text) for s in fast.segments] == [(s.location, s.text) for s in tree.segments]
    assert len(_parts(fast)) >= 5


def test_max_segment_chars_is_a_policy_limit():
    from dataclasses import fields

    from dlp.errors import PackError
    from dlp.policy_schema import ATTACHMENT_LIMIT_KEYS

    assert Limits().max_segment_chars == 1_000_000
    assert Limits.from_mapping({"max_segment_chars": 50_000}, "policy.yaml").max_segment_chars == 50_000
    for bad in (0, -5, 1.5, "many", True, None):
        with pytest.raises(PackError):
            Limits.from_mapping({"max_segment_chars": bad}, "policy.yaml")
    assert {f.name for f in fields(Limits)} == set(ATTACHMENT_LIMIT_KEYS)
