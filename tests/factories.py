import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from enquiries.models import Enquiry, Person, SafeguardingConcern
from msp_cases.accounts import roles
from msp_cases.accounts.models import Team, User


def _faker():
    return factory.Faker._get_faker(locale="en_GB")


def _tag(n):
    """Three letters of its own for the n-th person: Baa, Caa, ... Zzz, then round again."""
    letters = "".join(chr(ord("a") + (n // 26**i) % 26) for i in range(3))
    return letters.capitalize()


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password("a-long-test-password")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))

    @factory.post_generation
    def teams(self, create, extracted, **kwargs):
        if create and extracted:
            self.teams.add(*extracted)

    @factory.post_generation
    def unit_lead(self, create, extracted, **kwargs):
        """The Unit lead role, as an administrator gives it: restricted records and the letter templates."""
        if create and extracted:
            self.groups.add(Group.objects.get(name=roles.UNIT_LEAD))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    # Each person's names end in a tag of their own ("Davies-Bkq"), so a test that a person's name is
    # absent from a page cannot be fooled by a member of staff or a provider who shares a common name.
    given_name = factory.Sequence(lambda n: f"{_faker().first_name()}-{_tag(n)}")
    family_name = factory.Sequence(lambda n: f"{_faker().last_name()}-{_tag(n)}")
    date_of_birth = datetime.date(1950, 1, 1)
    # The model has no default for these (SG1b-d): a test person is "Not Known" unless the test says.
    gender = "not_known"
    ethnicity = "not_known"
    primary_support_reason = "not_known"

    @factory.post_generation
    def restricted_to(self, create, extracted, **kwargs):
        if create and extracted:
            self.restricted_to.add(*extracted)


class ConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafeguardingConcern

    person = factory.SubFactory(PersonFactory)
    team = factory.SubFactory(TeamFactory)
    received_at = factory.LazyFunction(timezone.now)
    summary = "A neighbour is worried."


class EnquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enquiry

    person = factory.SubFactory(PersonFactory)
    concern = factory.SubFactory(
        ConcernFactory, person=factory.SelfAttribute("..person"), team=factory.SelfAttribute("..team")
    )
    team = factory.SubFactory(TeamFactory)
    opened_at = factory.LazyFunction(timezone.now)
