"""The access rule, proved over every case URL × role × object (msp_cases/access.py).

Out of scope answers 404 ("Page not found"), never 403, so a user cannot learn that a record exists."""

import pytest
from django.urls import reverse

from msp_cases import access
from msp_cases.audit.models import AccessEvent
from tests.access_table import CASES, VISIBLE

pytestmark = pytest.mark.django_db

# URL name -> which part of the case it shows (0 person, 1 concern, 2 enquiry)
DETAIL_URLS = {
    "enquiries:person_detail": 0,
    "enquiries:concern_detail": 1,
    "enquiries:enquiry_detail": 2,
}


@pytest.mark.parametrize("role", sorted(VISIBLE))
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("url_name", sorted(DETAIL_URLS))
def test_detail_pages_show_only_what_the_role_may_see(world, client_for, role, case, url_name):
    obj = world.cases[case][DETAIL_URLS[url_name]]
    response = client_for(world.users[role]).get(reverse(url_name, args=[obj.pk]))
    expected = 200 if case in VISIBLE[role] else 404
    assert response.status_code == expected
    if expected == 404:
        assert b"Page not found" in response.content
        person = world.cases[case][0]
        assert person.family_name.encode() not in response.content


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_caseload_lists_exactly_the_visible_enquiries(world, client_for, role):
    response = client_for(world.users[role]).get(reverse("enquiries:caseload") + "?show=open")
    if role == "admin":
        # Administrators manage accounts; case records are not theirs to see.
        assert response.status_code == 403
        return
    assert response.status_code == 200
    listed = {e.pk for e in response.context["page"].object_list}
    assert listed == {world.cases[c][2].pk for c in VISIBLE[role]}


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_scoped_querysets_agree_with_the_pages(world, role):
    """The list filter and the object check are one rule: what a selector returns is what a page opens."""
    from enquiries.models import Enquiry, Person, SafeguardingConcern

    user = world.users[role]
    for index, model in enumerate([Person, SafeguardingConcern, Enquiry]):
        visible = set(access.scoped(model.objects.all(), user).values_list("pk", flat=True))
        expected = {world.cases[c][index].pk for c in VISIBLE[role]}
        assert visible == expected, model.__name__


@pytest.mark.parametrize(
    ("role", "case", "expected"),
    [
        ("unit", "north", 200),
        ("unit_lead", "restricted_north", 200),
        ("unit", "restricted_north", 404),
        ("practitioner_north", "north", 404),
        ("manager_north", "north", 404),
        ("admin", "north", 404),
    ],
)
def test_who_has_looked_at_this_record_is_for_unit_staff(world, client_for, role, case, expected):
    person = world.cases[case][0]
    response = client_for(world.users[role]).get(reverse("enquiries:person_access_log", args=[person.pk]))
    assert response.status_code == expected


def test_missing_and_malformed_ids_are_not_found(world, client_for):
    client = client_for(world.users["unit_lead"])
    assert client.get(reverse("enquiries:enquiry_detail", args=[999999])).status_code == 404
    assert client.get("/enquiries/not-a-number/").status_code == 404
    assert client.get("/enquiries/99999999999999999999999/").status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/caseload/", "/people/1/", "/concerns/1/", "/enquiries/1/", "/people/1/access/", "/access/", "/"],
)
def test_anonymous_users_are_sent_to_sign_in(world, client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_record_of_access_is_for_unit_staff_only(world, client_for):
    assert client_for(world.users["unit"]).get(reverse("audit:recent")).status_code == 200
    for role in ["practitioner_north", "manager_north", "admin"]:
        assert client_for(world.users[role]).get(reverse("audit:recent")).status_code == 403


def test_unit_staff_are_read_only(world):
    user = world.users["unit_lead"]
    enquiry = world.cases["north"][2]
    assert user.has_perm("enquiries.view_enquiry")
    assert not user.has_perm("enquiries.edit_case", enquiry)
    assert world.users["practitioner_north"].has_perm("enquiries.edit_case", enquiry)
    assert not world.users["practitioner_north"].has_perm("enquiries.edit_case", world.cases["south"][2])


def test_a_deactivated_user_sees_nothing(world):
    user = world.users["manager_north"]
    user.is_active = False
    user.save()
    from enquiries.models import Enquiry

    assert not access.scoped(Enquiry.objects.all(), user).exists()


def test_viewing_a_record_is_recorded_with_who_what_and_where(world, client_for):
    person, _, enquiry = world.cases["north"]
    viewer = world.users["practitioner_north"]
    client_for(viewer).get(reverse("enquiries:enquiry_detail", args=[enquiry.pk]), REMOTE_ADDR="10.1.2.3")
    event = AccessEvent.objects.get()
    assert (event.user, event.action, event.person, event.object_id) == (viewer, "view", person, enquiry.pk)
    assert event.ip_address == "10.1.2.3"

    # ... and unit staff can see it on "Who has looked at this record".
    response = client_for(world.users["unit"]).get(reverse("enquiries:person_access_log", args=[person.pk]))
    assert viewer.email in response.content.decode()
    assert "10.1.2.3" in response.content.decode()


def test_a_refused_view_records_nothing(world, client_for):
    enquiry = world.cases["south"][2]
    client_for(world.users["practitioner_north"]).get(reverse("enquiries:enquiry_detail", args=[enquiry.pk]))
    assert not AccessEvent.objects.exists()


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_records_inside_a_case_follow_their_case(world, role):
    """Conversations, plan actions, meetings and the network are visible exactly when their case is."""
    from enquiries.models import ConversationLog, Meeting, NetworkMember, PlanAction

    _records_inside_each_case(world)
    user = world.users[role]
    visible_enquiries = {world.cases[c][2].pk for c in VISIBLE[role]}
    visible_people = {world.cases[c][0].pk for c in VISIBLE[role]}
    for model in (PlanAction, Meeting):
        assert {o.enquiry_id for o in access.scoped(model.objects.all(), user)} == visible_enquiries
    conversations = access.scoped(ConversationLog.objects.all(), user)
    assert {c.person_id for c in conversations} == visible_people
    assert conversations.count() == 2 * len(visible_people)
    assert {n.person_id for n in access.scoped(NetworkMember.objects.all(), user)} == visible_people


def _records_inside_each_case(world) -> None:
    """In each case: a conversation on the enquiry and one on its concern, a plan action, a meeting and a
    network member."""
    from django.utils import timezone

    from enquiries.models import ConversationLog, Meeting, NetworkMember, PlanAction

    author = world.users["manager_north"]
    for person, concern, enquiry in world.cases.values():
        ConversationLog.objects.create(
            person=person, enquiry=enquiry, occurred_at=timezone.now(), recorded_by=author, method="phone"
        )
        ConversationLog.objects.create(
            person=person, concern=concern, occurred_at=timezone.now(), recorded_by=author, method="phone"
        )
        PlanAction.objects.create(
            enquiry=enquiry, what="Call", who="Me", due_on="2026-12-01", created_by=author
        )
        Meeting.objects.create(
            enquiry=enquiry,
            kind="strategy",
            held_on="2026-11-01",
            attendees="Me",
            participation="attended",
            created_by=author,
        )
        NetworkMember.objects.create(person=person, name="A friend", relationship="friend")


@pytest.mark.parametrize("role", sorted(VISIBLE))
@pytest.mark.parametrize("case", CASES)
def test_the_parts_of_one_case_are_the_rows_the_rule_finds(world, role, case):
    """A page about one enquiry reads its parts with `access.within` (its plan, meetings, conversations, those
    on its concern before it opened): the same rows the whole rule finds for that enquiry, and none when the
    user may not see it."""
    from enquiries.models import ConversationLog, Meeting, PlanAction

    _records_inside_each_case(world)
    user = world.users[role]
    _person, concern, enquiry = world.cases[case]
    for model in (PlanAction, Meeting):
        expected = set(access.scoped(model.objects.filter(enquiry=enquiry), user))
        assert set(access.within(model.objects.all(), user, enquiry)) == expected
        assert bool(expected) == (case in VISIBLE[role])
    on_enquiry = set(access.scoped(ConversationLog.objects.filter(enquiry=enquiry), user))
    assert set(access.within(ConversationLog.objects.all(), user, enquiry)) == on_enquiry
    before = set(access.scoped(ConversationLog.objects.filter(enquiry=None, concern=concern), user))
    assert set(access.within(ConversationLog.objects.all(), user, concern)) == before


def test_a_record_moved_out_of_a_users_teams_is_asked_about_again(world):
    """The rule remembers, on the object it found, that this user may see it, so a page asks once; saving the
    object (here: moved to another team) forgets it, as does a copy of it from a cache."""
    import pickle

    from enquiries.models import Enquiry

    user = world.users["practitioner_north"]
    enquiry = access.get_in_scope_or_404(Enquiry.objects.all(), user, pk=world.cases["north"][2].pk)
    assert access.is_in_scope(user, enquiry)
    copy = pickle.loads(pickle.dumps(enquiry))  # noqa: S301 -- as Django's cache copies an object
    enquiry.team = world.south
    enquiry.lead_practitioner = world.users["practitioner_south"]
    enquiry.save()
    assert not access.is_in_scope(user, enquiry)
    assert access.is_in_scope(world.users["practitioner_south"], enquiry)
    copy.team = world.south
    Enquiry.objects.filter(pk=copy.pk).update(team=world.south)
    assert not access.is_in_scope(user, copy)


def test_the_enquiry_page_asks_the_rule_about_its_enquiry_once(world, client_for):
    """The page opens the enquiry through the rule, and its panels ("may they change it?") and its parts ask
    again of the object it found, through whatever wraps `request.user` (django-otp wraps Django's wrapper),
    without a query each time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    enquiry = world.cases["north"][2]
    client = client_for(world.users["practitioner_north"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(enquiry.get_absolute_url()).status_code == 200
    asked = [q["sql"] for q in queries if q["sql"].startswith('SELECT 1 AS "a" FROM "enquiries_enquiry"')]
    assert asked == [], asked
