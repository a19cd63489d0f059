"""The NHS number check and the adult-only rule for dates of birth (enquiries/validators.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from enquiries.validators import (
    NHS_NUMBER_MESSAGE,
    UNDER_18_MESSAGE,
    format_nhs_number,
    nhs_number_is_valid,
    normalise_nhs_number,
    validate_date_of_birth,
    validate_nhs_number,
)


@pytest.mark.parametrize(
    "number", ["4857773457", "9434765919", "4010232137", "485 777 3457", " 943 476 5919 "]
)
def test_valid_nhs_numbers_pass_the_modulus_11_check(number):
    assert nhs_number_is_valid(normalise_nhs_number(number))
    validate_nhs_number(number)  # does not raise


@pytest.mark.parametrize(
    "number",
    [
        "4857773456",  # the GOV.UK example: its check digit should be 7
        "9434765918",  # one digit wrong
        "485777345",  # 9 digits
        "48577734570",  # 11 digits
        "485-777-3457",  # only spaces are allowed between the groups
        "485777345A",
        "1000000010",  # check digit would be 10: never a valid number
        "",
    ],
)
def test_invalid_nhs_numbers_are_refused_with_an_example(number):
    with pytest.raises(ValidationError) as exc:
        validate_nhs_number(number)
    assert exc.value.messages == [NHS_NUMBER_MESSAGE]
    assert "485 777 3457" in NHS_NUMBER_MESSAGE
    # The example in the message must itself be valid, or the user is sent round in circles.
    assert nhs_number_is_valid(normalise_nhs_number("485 777 3457"))


def test_nhs_number_is_shown_in_groups():
    assert format_nhs_number("4857773457") == "485 777 3457"
    assert format_nhs_number("") == ""


TODAY = datetime.date(2026, 5, 20)


@pytest.mark.parametrize(
    ("date_of_birth", "message"),
    [
        (datetime.date(2008, 5, 21), UNDER_18_MESSAGE),  # 18 tomorrow
        (datetime.date(2020, 1, 1), UNDER_18_MESSAGE),
        (datetime.date(2026, 5, 21), "Date of birth must be in the past"),
        (datetime.date(1899, 12, 31), "Date of birth must be after 1900"),
    ],
)
def test_children_and_impossible_birth_dates_are_refused(date_of_birth, message):
    with pytest.raises(ValidationError) as exc:
        validate_date_of_birth(date_of_birth, today=TODAY)
    assert exc.value.messages == [message]


@pytest.mark.parametrize(
    "date_of_birth", [None, datetime.date(2008, 5, 20), datetime.date(1941, 3, 12), datetime.date(1930, 1, 1)]
)
def test_adults_are_accepted(date_of_birth):
    validate_date_of_birth(date_of_birth, today=TODAY)


def test_born_on_29_february_is_an_adult_on_1_march():
    born = datetime.date(2008, 2, 29)
    with pytest.raises(ValidationError):
        validate_date_of_birth(born, today=datetime.date(2026, 2, 28))
    validate_date_of_birth(born, today=datetime.date(2026, 3, 1))
