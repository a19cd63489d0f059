"""Validators for identifiers typed into case forms."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone

# The example must itself pass the check. GOV.UK's pattern library shows "485 777 3456", which fails the
# modulus 11 check (its check digit is 7), so a user copying it would be told it is wrong.
NHS_NUMBER_MESSAGE = "Enter a valid NHS number, like 485 777 3457"

_SPACES = re.compile(r"\s+")


def normalise_nhs_number(value: str) -> str:
    """The NHS number as stored: digits only. People type it in groups ("485 777 3457")."""
    return _SPACES.sub("", value or "")


def nhs_number_is_valid(digits: str) -> bool:
    """Ten digits whose last is the modulus 11 check digit of the first nine (NHS Data Dictionary).

    Weights 10 down to 2 on the first nine digits; check digit = 11 - (sum mod 11); 11 means 0 and 10
    means the number can never be valid."""
    if not re.fullmatch(r"[0-9]{10}", digits or ""):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def format_nhs_number(digits: str) -> str:
    """Shown in the 3-3-4 groups people read it in."""
    if len(digits or "") != 10:
        return digits or ""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def validate_nhs_number(value: str) -> None:
    if not nhs_number_is_valid(normalise_nhs_number(value)):
        raise ValidationError(NHS_NUMBER_MESSAGE, code="invalid")


UNDER_18_MESSAGE = "This person is under 18. Refer them to children's services"


def eighteenth_birthday(date_of_birth: datetime.date) -> datetime.date:
    try:
        return date_of_birth.replace(year=date_of_birth.year + 18)
    except ValueError:  # born on 29 February: an adult on 1 March in a year that has no 29 February
        return datetime.date(date_of_birth.year + 18, 3, 1)


def validate_date_of_birth(
    date_of_birth: datetime.date | None, *, today: datetime.date | None = None
) -> None:
    """Adult safeguarding is for adults: a child is referred to children's services, not recorded here."""
    if date_of_birth is None:
        return
    today = today or timezone.localdate()
    if date_of_birth > today:
        raise ValidationError("Date of birth must be in the past", code="future")
    if date_of_birth.year < 1900:
        raise ValidationError("Date of birth must be after 1900", code="too_early")
    if eighteenth_birthday(date_of_birth) > today:
        raise ValidationError(UNDER_18_MESSAGE, code="under_18")


def validate_date_of_death(
    date_of_death: datetime.date | None,
    *,
    date_of_birth: datetime.date | None,
    today: datetime.date | None = None,
) -> None:
    """A death is recorded once it has happened: not in the future, and not before the person was born."""
    if date_of_death is None:
        return
    today = today or timezone.localdate()
    if date_of_death > today:
        raise ValidationError("Date of death must be today or in the past", code="future")
    if date_of_death.year < 1900:
        raise ValidationError("Date of death must be after 1900", code="too_early")
    if date_of_birth and date_of_death < date_of_birth:
        raise ValidationError(
            "Date of death must be the same as or after their date of birth", code="before_birth"
        )


# Phone numbers are taken as people write them ("01632 960 001", "+44 (0)7700 900123"): digits, spaces, "+",
# brackets and dashes. They are stored as typed and, for search, as digits in the national form
# (`normalise_phone`).
PHONE_MESSAGE = "Enter a phone number, like 01632 960 001 or +44 7700 900 982"
PHONE_MIN_DIGITS = 6  # search matches a number by its last 6 or more digits
_PHONE_CHARACTERS = re.compile(r"[0-9 +()\-]+")


def normalise_phone(value: str) -> str:
    """The digits of a phone number as search compares them: a UK number in its national form whatever way
    it was written ("+44 (0)7700 900123", "0044 7700 900123" and "07700 900123" all give 07700900123)."""
    value = (value or "").replace("(0)", "")
    digits = re.sub(r"[^0-9]", "", value)
    if value.strip().startswith("+44") or digits.startswith("0044"):
        digits = "0" + digits.removeprefix("00").removeprefix("44")
    elif value.strip().startswith("+") or digits.startswith("00"):
        digits = "00" + digits.removeprefix("00")  # another country: its international form
    return digits


def validate_phone(value: str) -> None:
    if not _PHONE_CHARACTERS.fullmatch(value or ""):
        raise ValidationError(
            "Phone number must only include numbers 0 to 9, spaces, brackets, dashes and +", code="characters"
        )
    digits = re.sub(r"[^0-9]", "", value)
    if not PHONE_MIN_DIGITS <= len(digits) <= 15:
        raise ValidationError(PHONE_MESSAGE, code="invalid")
