"""A subject access pack holds the Safeguarding Adults Reviews that name the person as one of their
individuals, with what each records about them."""

import pytest

from tests.subject_access import test_subject_access
from tests.subject_access.test_subject_access import pdf_text

from .helpers import review

# The subject access tests' own records and pack, as fixtures of this module too.
held = test_subject_access.held
pack = test_subject_access.pack

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(world):
    person = world.cases["north"][0]
    return review(world.users["unit"], name="Adult N", individuals=[(person, True, False)])


def test_the_pack_holds_the_reviews_that_name_the_person(world, reviewed, held, pack):
    record = " ".join(pdf_text(pack["zip"].read("record.pdf")).split())
    assert "Safeguarding Adults Review “Adult N”" in record
    assert "Met: a mandatory review, section 44(1) to (3)" in record
    assert "Suffered serious harm Yes" in record
