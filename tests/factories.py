import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from enquiries.models import Enquiry, Person, SafeguardingConcern
from msp_cases.accounts import roles
from msp_cases.accounts.models import Team, User


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

    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
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
