"""Checksum validators: the worked examples of taiwan-rules.md §3.1–3.4 plus properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlp.validators import (
    LETTER_CODES,
    VALIDATORS,
    credit_card,
    luhn,
    luhn_check_digit,
    national_id_check_digit,
    resident_id_old_check_digit,
    tw_national_id,
    tw_resident_id,
    tw_resident_id_new,
    tw_resident_id_old,
    tw_ubn,
    ubn_check_digit,
)

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


# --- worked examples (taiwan-rules.md) -------------------------------------------------------


@pytest.mark.parametrize("value", ["A123456789", "I123456781", "O123456782", "W123456789", "Z123456780"])
def test_national_id_valid_examples(value: str) -> None:
    assert tw_national_id(value)


@pytest.mark.parametrize("value", ["A123456788", "A323456789", "A823456789", "1123456789"])
def test_national_id_invalid_examples(value: str) -> None:
    assert not tw_national_id(value)


@pytest.mark.parametrize("value", ["F912345678", "A800000014"])
def test_resident_new_valid_examples(value: str) -> None:
    assert tw_resident_id_new(value)
    assert tw_resident_id(value)
    assert not tw_national_id(value)


@pytest.mark.parametrize("value", ["A800000015", "F912345679"])
def test_resident_new_invalid_examples(value: str) -> None:
    assert not tw_resident_id_new(value)
    assert not tw_resident_id(value)


@pytest.mark.parametrize("value", ["HD12345678", "AC01234567"])
def test_resident_old_valid_examples(value: str) -> None:
    assert tw_resident_id_old(value)
    assert tw_resident_id(value)


@pytest.mark.parametrize("value", ["HD12345679", "AC01234568", "HE12345678"])
def test_resident_old_invalid_examples(value: str) -> None:
    assert not tw_resident_id_old(value)
    assert not tw_resident_id(value)


@pytest.mark.parametrize("value", ["04595257", "10458575", "19312376", "10000004", "22099131"])
def test_ubn_valid_examples(value: str) -> None:
    assert tw_ubn(value)


@pytest.mark.parametrize("value", ["22099132", "47217977", "2209913", "220991310"])
def test_ubn_invalid_examples(value: str) -> None:
    assert not tw_ubn(value)


def test_ubn_new_rule_accepts_numbers_the_legacy_rule_rejects() -> None:
    # Z = 5: valid only under the 2023 rule (Z mod 5), not the legacy Z mod 10.
    assert tw_ubn("10000004")


@pytest.mark.parametrize("value", ["4111111111111111", "5500 0000 0000 0004", "3782-822463-10005", "79927398713"])
def test_luhn_valid(value: str) -> None:
    assert luhn(value)


@pytest.mark.parametrize("value", ["4111111111111112", "79927398710", "1", "", "41x1"])
def test_luhn_invalid(value: str) -> None:
    assert not luhn(value)


def test_credit_card_needs_a_card_length_and_real_digits() -> None:
    assert credit_card("4111-1111-1111-1111")
    assert not credit_card("79927398713")  # Luhn-valid but too short for a card
    assert not credit_card("0000000000000000")  # Luhn-valid, one repeated digit


# --- the forms a matched value arrives in ---------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "a123456789",
        "A 123 456 789",
        "A-123-456-789",
        "A123.456.789",
        "Ａ１２３４５６７８９",
        "A12345\u200b6789",
        " A123456789\n",
    ],
)
def test_national_id_accepts_separators_case_and_width(value: str) -> None:
    assert tw_national_id(value)


@pytest.mark.parametrize("value", ["hd12345678", "HD-1234-5678", "ｆ９１２３４５６７８", "f 912 345 678"])
def test_resident_id_accepts_separators_case_and_width(value: str) -> None:
    assert tw_resident_id(value)


def test_ubn_accepts_separators_and_full_width() -> None:
    assert tw_ubn("2209-9131")
    assert tw_ubn("２２０９９１３１")


@pytest.mark.parametrize(
    "value",
    ["A12345678", "A1234567890", "AA123456789", "", "A", "身分證A123456789", "٠٤٥٩٥٢٥٧", "A١٢٣٤٥٦٧٨٩"],
)
def test_wrong_shapes_are_rejected(value: str) -> None:
    for check in VALIDATORS.values():
        assert not check(value)


@pytest.mark.parametrize("value", [None, 123, b"A123456789", ["A123456789"]])
def test_non_strings_are_rejected_not_raised(value: object) -> None:
    for check in VALIDATORS.values():
        assert check(value) is False  # type: ignore[arg-type]


def test_validators_registry_names() -> None:
    assert {
        "tw_national_id",
        "tw_resident_id_new",
        "tw_resident_id_old",
        "tw_resident_id",
        "tw_ubn",
        "luhn",
    } <= set(VALIDATORS)


def test_check_digit_helpers_reproduce_the_examples() -> None:
    assert national_id_check_digit("A12345678") == "9"
    assert national_id_check_digit("F91234567") == "8"
    assert resident_id_old_check_digit("HD1234567") == "8"
    assert resident_id_old_check_digit("AC0123456") == "7"
    assert luhn_check_digit("411111111111111") == "1"
    assert tw_ubn("2209913" + ubn_check_digit("2209913"))


@pytest.mark.parametrize("bad", ["12345678", "A1234567", "AE1234567", ""])
def test_check_digit_helpers_refuse_bad_prefixes(bad: str) -> None:
    with pytest.raises(ValueError, match=f"prefix: {bad!r}$"):
        if len(bad) == 9 and bad[1].isalpha():
            resident_id_old_check_digit(bad)
        elif len(bad) == 9:
            national_id_check_digit(bad)
        else:
            resident_id_old_check_digit(bad)


# --- an independent oracle, written from taiwan-rules.md §3.1-3.4 (not dlp.validators) ---------------
# The properties below generate valid values with these functions and compare the library's verdict
# with the oracle's, so a wrong weight or table in dlp.validators cannot make its own tests agree.

#: §3.1: A10 B11 C12 D13 E14 F15 G16 H17 J18 K19 L20 M21 N22 P23 Q24 R25 S26 T27 U28 V29 X30 Y31 W32 Z33 I34 O35
ORACLE_LETTERS = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36)))


def oracle_id_sum(value: str) -> int:
    """S of §3.1 (national and new resident IDs) or §3.3 (old resident IDs: the 2nd letter's code mod 10)."""
    code = ORACLE_LETTERS[value[0]]
    total = (code // 10) * 1 + (code % 10) * 9
    second = ORACLE_LETTERS[value[1]] % 10 if value[1].isalpha() else int(value[1])
    total += second * 8
    for digit, weight in zip(value[2:9], (7, 6, 5, 4, 3, 2, 1)):
        total += int(digit) * weight
    return total + int(value[9])


def oracle_id_valid(value: str) -> bool:
    return oracle_id_sum(value) % 10 == 0


def oracle_complete_id(prefix: str) -> str:
    """The one last digit that makes S divisible by 10."""
    return next(prefix + d for d in "0123456789" if oracle_id_valid(prefix + d))


def oracle_ubn_valid(value: str) -> bool:
    """§3.4: weights 1,2,1,2,1,2,4,1, digits of each product added; Z (or, 7th digit 7, Z-1) divisible by 5."""
    sums = []
    for digit, weight in zip(value, (1, 2, 1, 2, 1, 2, 4, 1)):
        product = int(digit) * weight
        sums.append(product // 10 + product % 10)
    if value[6] == "7":  # 7 x 4 = 28 -> 2+8 = 10, counted as 1 (Z1) or 0 (Z2 = Z1 - 1)
        z1 = sum(sums) - sums[6] + 1
        return z1 % 5 == 0 or (z1 - 1) % 5 == 0
    return sum(sums) % 5 == 0


def oracle_luhn_valid(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


@pytest.mark.parametrize(("value", "valid"), [
    ("A123456789", True), ("A123456788", False), ("I123456781", True), ("O123456782", True),
    ("W123456789", True), ("Z123456780", True), ("F912345678", True), ("A800000014", True),
    ("A800000015", False), ("F912345679", False), ("HD12345678", True), ("AC01234567", True),
    ("HD12345679", False), ("AC01234568", False),
])
def test_the_id_oracle_reproduces_the_worked_examples(value: str, valid: bool) -> None:
    assert oracle_id_valid(value) is valid
    assert oracle_id_sum("A123456789") == 130 and oracle_id_sum("F912345678") == 210 and oracle_id_sum("HD12345678") == 180


@pytest.mark.parametrize(("value", "valid"), [
    ("04595257", True), ("10458575", True), ("19312376", True), ("10000004", True), ("22099131", True),
    ("22099132", False), ("47217977", False),
])
def test_the_ubn_oracle_reproduces_the_worked_examples(value: str, valid: bool) -> None:
    assert oracle_ubn_valid(value) is valid


# --- properties -----------------------------------------------------------------------------

letter = st.sampled_from(sorted(ORACLE_LETTERS))
digits7 = st.text(alphabet="0123456789", min_size=7, max_size=7)


@st.composite
def national_ids(draw: st.DrawFn) -> str:
    return oracle_complete_id(draw(letter) + draw(st.sampled_from("12")) + draw(digits7))


@st.composite
def new_resident_ids(draw: st.DrawFn) -> str:
    return oracle_complete_id(draw(letter) + draw(st.sampled_from("89")) + draw(digits7))


@st.composite
def old_resident_ids(draw: st.DrawFn) -> str:
    return oracle_complete_id(draw(letter) + draw(st.sampled_from("ABCD")) + draw(digits7))


def test_the_oracle_and_the_library_share_the_letter_table() -> None:
    assert LETTER_CODES == ORACLE_LETTERS


@given(national_ids())
def test_generated_national_ids_validate(value: str) -> None:
    assert tw_national_id(value)
    assert tw_national_id(value.lower())
    assert not tw_resident_id(value)


@given(new_resident_ids(), old_resident_ids())
def test_generated_resident_ids_validate(new: str, old: str) -> None:
    assert tw_resident_id_new(new) and tw_resident_id(new)
    assert tw_resident_id_old(old) and tw_resident_id(old)
    assert not tw_national_id(new) and not tw_national_id(old)


@given(letter, st.sampled_from("1289ABCD"), st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_every_id_shaped_value_is_judged_as_the_oracle_judges_it(first: str, second: str, rest: str) -> None:
    value = first + second + rest
    expected = oracle_id_valid(value)
    if second in "12":
        assert tw_national_id(value) is expected
    elif second in "89":
        assert tw_resident_id_new(value) is expected
    else:
        assert tw_resident_id_old(value) is expected


@given(st.text(alphabet="0123456789", min_size=7, max_size=7))
def test_the_check_digit_helpers_agree_with_the_oracle(prefix: str) -> None:
    for head in ("A1", "F9"):
        assert head + prefix + national_id_check_digit(head + prefix) == oracle_complete_id(head + prefix)
    assert "HD" + prefix + resident_id_old_check_digit("HD" + prefix) == oracle_complete_id("HD" + prefix)
    assert oracle_luhn_valid(prefix + luhn_check_digit(prefix))
    assert oracle_ubn_valid(prefix + ubn_check_digit(prefix))


#: Weight of each character position (index 1..9) in the ID checksum.
ID_WEIGHTS = {1: 8, 2: 7, 3: 6, 4: 5, 5: 4, 6: 3, 7: 2, 8: 1, 9: 1}


def test_a_single_digit_change_can_keep_the_checksum() -> None:
    # Why the property below is conditional: a weight of 5 with a change of 2 adds 10.
    assert tw_national_id("A123456789") and tw_national_id("A123656789")


@given(national_ids(), st.integers(min_value=1, max_value=9), st.integers(min_value=1, max_value=9))
def test_changing_one_digit_of_a_national_id_invalidates_it(value: str, pos: int, delta: int) -> None:
    """Holds whenever the change times the position's weight is not a multiple of 10."""
    changed = value[:pos] + str((int(value[pos]) + delta) % 10) + value[pos + 1 :]
    if (delta * ID_WEIGHTS[pos]) % 10 != 0:
        assert not tw_national_id(changed)


@given(national_ids(), st.sampled_from([2, 6, 8, 9]), st.integers(min_value=1, max_value=9))
def test_any_change_at_a_coprime_weight_invalidates(value: str, pos: int, delta: int) -> None:
    changed = value[:pos] + str((int(value[pos]) + delta) % 10) + value[pos + 1 :]
    assert not tw_national_id(changed)


@given(old_resident_ids(), st.integers(min_value=2, max_value=9), st.integers(min_value=1, max_value=9))
def test_changing_one_digit_of_an_old_resident_id_invalidates_it(value: str, pos: int, delta: int) -> None:
    changed = value[:pos] + str((int(value[pos]) + delta) % 10) + value[pos + 1 :]
    if (delta * ID_WEIGHTS[pos]) % 10 != 0:
        assert not tw_resident_id_old(changed)


@given(st.text(alphabet="0123456789", min_size=13, max_size=19))
def test_luhn_judges_every_number_as_the_oracle(number: str) -> None:
    assert luhn(number) is oracle_luhn_valid(number)


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_ubn_judges_every_number_as_the_oracle(number: str) -> None:
    assert tw_ubn(number) is oracle_ubn_valid(number)


@given(st.text(alphabet="0123456789", min_size=7, max_size=7))
def test_every_ubn_prefix_has_a_valid_completion(prefix: str) -> None:
    completions = [d for d in "0123456789" if oracle_ubn_valid(prefix + d)]
    assert completions  # Z mod 5 = 0: two last digits always work
    assert all(tw_ubn(prefix + d) for d in completions)

@given(st.text())
def test_validators_never_raise_on_arbitrary_text(text: str) -> None:
    for check in VALIDATORS.values():
        assert check(text) in (True, False)


@pytest.mark.parametrize("bad", ["123456", "12345678", "12345a7"])
def test_the_ubn_helper_refuses_a_bad_prefix_and_names_it(bad: str) -> None:
    with pytest.raises(ValueError, match=f"^not 7 digits: {bad!r}$"):
        ubn_check_digit(bad)


# -- edges found by mutation testing (scripts/mutation.sh validators) ----------------------------------


def test_clean_of_a_non_string_is_empty() -> None:
    from dlp.validators import clean

    assert clean(123) == "" and clean(None) == ""  # type: ignore[arg-type]


def test_the_id_and_luhn_helpers_name_the_bad_input() -> None:
    with pytest.raises(ValueError, match="^not a letter \\+ 8 digits prefix: 'A1234567'$"):
        national_id_check_digit("A1234567")
    with pytest.raises(ValueError, match="^not digits: '12a'$"):
        luhn_check_digit("12a")


def test_luhn_accepts_two_digits_and_refuses_one() -> None:
    assert oracle_luhn_valid("18") and luhn("18")
    assert not luhn("0")


def _card(length: int) -> str:
    payload = "4" + "1" * (length - 2)
    return next(payload + d for d in "0123456789" if oracle_luhn_valid(payload + d))


@pytest.mark.parametrize(("length", "valid"), [(12, False), (13, True), (19, True), (20, False)])
def test_credit_card_lengths_at_their_bounds(length: int, valid: bool) -> None:
    number = _card(length)
    assert oracle_luhn_valid(number) and credit_card(number) is valid
