import pytest
from django.core.exceptions import ValidationError

from greenfactory import credit_code

VALID = "91350100M000100Y43"


def test_the_published_example_is_valid():
    assert credit_code.validate(VALID) == VALID


def test_a_wrong_check_character_is_refused_with_its_reason():
    with pytest.raises(ValidationError) as error:
        credit_code.validate(VALID[:-1] + "4")
    assert error.value.code == "check_character"
    assert "校验位" in error.value.messages[0]


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_letters_outside_the_alphabet_are_refused_by_name(letter):
    code = VALID[:10] + letter + VALID[11:]
    with pytest.raises(ValidationError) as error:
        credit_code.validate(code)
    assert error.value.code == "alphabet"
    assert letter in error.value.messages[0]


def test_an_eighteen_character_string_of_the_wrong_alphabet_is_refused():
    with pytest.raises(ValidationError) as error:
        credit_code.validate("ABCDEFGHIJKLMNOPQR")
    assert error.value.code == "alphabet"


def test_full_width_input_is_normalised_and_accepted():
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in VALID)
    assert full_width != VALID
    assert credit_code.validate(full_width) == VALID


def test_lower_case_and_spaces_are_normalised():
    assert credit_code.validate(" 91350100m000100y43 ") == VALID


@pytest.mark.parametrize("raw", ["9135010", VALID + "1", ""])
def test_wrong_length_is_refused(raw):
    with pytest.raises(ValidationError) as error:
        credit_code.validate(raw)
    assert error.value.code == "length"


def test_the_check_character_zero_case():
    # c == 31 means the check character is "0": search a body that produces it and confirm the round trip.
    for n in range(10000):
        body = f"9150011500000{n:04d}"
        if credit_code.check_character(body) == "0":
            assert credit_code.validate(body + "0") == body + "0"
            return
    pytest.fail("no code with check character 0 found")


def test_division_code_is_positions_three_to_eight():
    assert credit_code.division_code("91500115MA5U7G2K1M") == "500115"
