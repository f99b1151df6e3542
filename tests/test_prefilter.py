"""The multi-pattern prefilter: where a rule may match, and rules hyperscan cannot take."""

from __future__ import annotations

import pytest

from dlp.prefilter import Prefilter, hyperscan

pytestmark = pytest.mark.skipif(hyperscan is None, reason="the hyperscan wheel is not installed here")


def test_windows_cover_every_match_in_character_offsets():
    pre = Prefilter({"phone": r"09[0-9]{8}"}, {}, {"phone": 12})
    text = "一二三四五手機0912345678，再來" + "清" * 500 + "0987654321"
    result = pre.scan(text)
    for value in ("0912345678", "0987654321"):
        start = text.index(value)
        assert any(lo <= start and start + len(value) <= hi for lo, hi in result.regions("phone"))
    assert pre.scan("沒有電話的訊息").regions("phone") == []


def test_a_rule_hyperscan_refuses_runs_everywhere_and_the_rest_keep_the_prefilter():
    pre = Prefilter({"odd": r"\p{Script=Han}市", "phone": r"09[0-9]{8}"}, {}, {"phone": 12})
    assert pre.unsupported == ["odd"] and pre.active
    result = pre.scan("臺北市，沒有電話")
    assert result.regions("odd") == [(0, len("臺北市，沒有電話"))]
    assert result.regions("phone") == []
