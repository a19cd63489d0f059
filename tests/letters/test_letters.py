"""Letters from templates: unit leads keep the templates in the app (placeholders checked when saved, a
preview from a made-up case, every change kept); a practitioner makes a letter from the enquiry page, changes
its words, and the PDF is filed on the record as a document and shown on the timeline as "Letter made"."""

import pytest
from django.urls import reverse

from msp_cases.audit.models import AccessEvent
from msp_cases.documents.models import Document
from msp_cases.letters.models import LetterTemplate
from msp_cases.letters.placeholders import MISSING, blocks, fill, placeholder_problems
from tests.exports.conftest import filled_case, pdf_text  # noqa: F401 (a fixture: a case with words)

pytestmark = pytest.mark.django_db


def seeded(title: str, format: str = "plain") -> LetterTemplate:
    return LetterTemplate.objects.get(title=title, format=format)


def template_form_data(template: LetterTemplate, **changes) -> dict:
    data = {
        "title": template.title,
        "purpose": template.purpose,
        "audience": template.audience,
        "format": template.format,
        "heading": template.heading,
        "body": template.body,
        "is_active": "on" if template.is_active else "",
        "version": template.version,
    }
    return {key: value for key, value in {**data, **changes}.items() if value != ""}


# The placeholders ------------------------------------------------------------------------------------------


def test_the_four_letters_in_two_formats_are_there_from_the_start():
    kept = set(LetterTemplate.objects.values_list("purpose", "format"))
    assert kept == {
        (purpose, format)
        for purpose in ("acknowledgement", "first_conversation", "outcome", "closure")
        for format in ("plain", "easy_read")
    }
    for template in LetterTemplate.objects.all():
        template.full_clean()  # every seeded placeholder is known and allowed for its reader


def test_an_unknown_placeholder_and_the_persons_words_to_a_referrer_are_refused_together():
    problems = placeholder_problems("Dear {referer_name}, {what_matters} {__class__}", audience="referrer")
    assert problems == [
        "{referer_name} is not a placeholder. Use one of the placeholders listed, spelt as shown",
        "{what_matters} is only for letters to the person: it is their own information",
        "{__class__} is not a placeholder. Use one of the placeholders listed, spelt as shown",
    ]
    assert placeholder_problems("{what_matters}", audience="person") == []
    assert placeholder_problems("A brace { alone", audience="person") == [
        "Use braces { } only around a placeholder, for example {person_first_name}"
    ]


def test_a_list_on_its_own_line_becomes_a_list_and_nothing_recorded_is_marked():
    text = fill(
        "You want:\n{outcomes_in_their_words}\n\nNext: {next_contact_on}",
        {"outcomes_in_their_words": ["Stay at home", "Keep my dog"], "next_contact_on": ""},
    )
    assert text == f"You want:\n- Stay at home\n- Keep my dog\n\nNext: {MISSING}"
    assert [(b.kind, b.lines) for b in blocks(text)] == [
        ("p", ("You want:",)),
        ("ul", ("Stay at home", "Keep my dog")),
        ("p", (f"Next: {MISSING}",)),
    ]


# Keeping the templates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [("unit_lead", 200), ("admin", 200), ("unit", 403)])
def test_only_unit_leads_and_administrators_keep_the_templates(world, client_for, who, status):
    client = client_for(world.users[who])
    template = seeded("Closure letter")
    assert client.get(reverse("letters:template_list")).status_code == status
    assert client.get(reverse("letters:template_edit", args=[template.pk])).status_code == status
    response = client.post(
        reverse("letters:template_edit", args=[template.pk]), template_form_data(template, heading="Changed")
    )
    assert response.status_code == (302 if status == 200 else 403)


@pytest.mark.parametrize("who", ["practitioner_north", "manager_north"])
def test_practitioners_and_managers_cannot_change_the_templates(world, client_for, who):
    client = client_for(world.users[who])
    template = seeded("Closure letter")
    assert client.get(reverse("letters:template_list")).status_code == 403
    response = client.post(
        reverse("letters:template_edit", args=[template.pk]), template_form_data(template, heading="Changed")
    )
    assert response.status_code == 403
    template.refresh_from_db()
    assert template.heading == "We have finished our safeguarding enquiry"


def test_a_unit_lead_previews_a_change_then_saves_it_and_the_earlier_wording_is_kept(world, client_for):
    client = client_for(world.users["unit_lead"])
    template = seeded("What you told us matters to you", "easy_read")
    url = reverse("letters:template_edit", args=[template.pk])
    body = "Dear {person_first_name},\n\nYou want:\n{outcomes_in_their_words}\n\nFrom {practitioner_name}"

    preview = client.post(url, {**template_form_data(template, body=body), "preview": "1"})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Preview" in page and "Dear Sam," in page and "<li>I want to stay in my own home</li>" in page
    template.refresh_from_db()
    assert template.version == 1  # a preview saves nothing

    saved = client.post(url, template_form_data(template, body=body))
    assert saved.status_code == 302
    template.refresh_from_db()
    assert template.body == body and template.version == 2
    earlier = template.history.filter(version=1).first()
    assert earlier is None or "matters to you" in earlier.body
    assert AccessEvent.objects.filter(
        user=world.users["unit_lead"], detail="Letter template changed"
    ).exists()


def test_an_unknown_placeholder_is_shown_in_the_error_summary_and_nothing_is_saved(world, client_for):
    client = client_for(world.users["unit_lead"])
    template = seeded("Acknowledgement to the referrer")
    response = client.post(
        reverse("letters:template_edit", args=[template.pk]),
        template_form_data(template, body="Dear {referrer_name}, {closure_summary} {persons_name}"),
    )
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "{closure_summary} is only for letters to the person" in page
    assert "{persons_name} is not a placeholder" in page
    template.refresh_from_db()
    assert template.version == 1


def test_a_unit_lead_adds_a_template_and_practitioners_are_offered_it(world, client_for):
    client = client_for(world.users["unit_lead"])
    response = client.post(
        reverse("letters:template_add"),
        {
            "title": "Letter to the GP",
            "purpose": "other",
            "audience": "partner",
            "format": "plain",
            "heading": "A safeguarding enquiry about {person_name}",
            "body": "Dear colleague,\n\n{practitioner_name} of {team_name} is working with {person_name}.",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    enquiry = world.cases["north"][2]
    choose = client_for(world.users["practitioner_north"]).get(reverse("letters:choose", args=[enquiry.pk]))
    assert "Letter to the GP (plain language), to a partner agency" in choose.content.decode()


def test_a_template_switched_off_is_not_offered(world, client_for):
    template = seeded("Outcome letter")
    template.is_active = False
    template.save()
    enquiry = world.cases["north"][2]
    client = client_for(world.users["practitioner_north"])
    assert (
        "Outcome letter (plain language)"
        not in client.get(reverse("letters:choose", args=[enquiry.pk])).content.decode()
    )
    url = reverse("letters:write", args=[enquiry.pk, template.pk])
    assert client.get(url).status_code == 404


# Making a letter -------------------------------------------------------------------------------------------


def test_the_first_draft_is_filled_in_from_the_case_as_the_practitioner_may_see_it(
    world,
    client_for,
    filled_case,  # noqa: F811
):
    template = seeded("What you told us matters to you")
    client = client_for(filled_case.lead_practitioner)
    response = client.get(reverse("letters:write", args=[filled_case.pk, template.pk]))
    assert response.status_code == 200
    initial = response.context["form"].initial
    person = filled_case.person
    assert initial["recipient_name"] == f"{person.given_name} {person.family_name}"
    assert f"Dear {person.preferred_name or person.given_name}," in initial["text"]
    assert "Seeing my grandson on Sundays & keeping my dog <Rex>" in initial["text"]
    assert "- To keep control of my own money" in initial["text"]
    # Shown escaped, as typed: the person's words are never markup.
    assert "keeping my dog &lt;Rex&gt;" in response.content.decode()
    assert AccessEvent.objects.filter(
        user=filled_case.lead_practitioner, detail__startswith="Make a letter form"
    ).exists()


def test_a_practitioner_changes_the_words_and_the_letter_is_filed_and_on_the_timeline(
    world,
    client_for,
    filled_case,  # noqa: F811
):
    template = seeded("Closure letter", "easy_read")
    lead = filled_case.lead_practitioner
    client = client_for(lead)
    url = reverse("letters:write", args=[filled_case.pk, template.pk])
    response = client.post(
        url,
        {
            "recipient_name": "Mrs Given-north",
            "recipient_address": "1 Station Road\nNorthtown",
            "heading": "We have finished",
            "text": "Dear Mrs Given-north,\n\nWe stopped the card with the bank.\n\nFrom Priya",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == filled_case.get_absolute_url() + "#documents"
    document = Document.objects.get(enquiry=filled_case, kind=Document.Kind.LETTER)
    assert document.title == "Closure letter (easy read)"
    assert document.original_name == "closure-letter-easy-read.pdf"
    assert document.scan_status == Document.ScanStatus.MADE_HERE and document.is_servable
    assert document.uploaded_by == lead
    content = document.file.read()
    assert "We stopped the card with the bank." in pdf_text(content)
    assert "Mrs Given-north" in pdf_text(content)
    assert AccessEvent.objects.filter(
        user=lead,
        action=AccessEvent.Action.CREATE,
        object_id=document.pk,
        detail="Letter made: Closure letter (easy read), template version 1",
    ).exists()

    page = client.get(filled_case.get_absolute_url()).content.decode()
    assert "Letter made" in page and "Closure letter (easy read)" in page
    opened = client.get(reverse("documents:view", args=[document.pk]))
    assert opened.status_code == 200 and opened["Content-Type"] == "application/pdf"


def test_nothing_recorded_must_be_replaced_before_the_letter_is_made(
    world,
    client_for,
    filled_case,  # noqa: F811
):
    template = seeded("Closure letter")
    client = client_for(filled_case.lead_practitioner)
    response = client.post(
        reverse("letters:write", args=[filled_case.pk, template.pk]),
        {"recipient_name": "", "heading": "We have finished", "text": f"Dear you,\n\n{MISSING}"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the name of the person the letter is to" in page
    assert f"Replace each {MISSING} with what to say" in page
    assert not Document.objects.filter(kind=Document.Kind.LETTER).exists()


@pytest.mark.parametrize(
    ("who", "case"),
    [
        ("practitioner_south", "north"),  # another team's case
        ("unit", "north"),  # unit staff see every case, read-only
        ("practitioner_north", "restricted_north"),  # a restricted record they are not named on
    ],
)
def test_only_those_who_may_change_the_case_make_its_letters(world, client_for, who, case):
    enquiry = world.cases[case][2]
    template = seeded("Outcome letter")
    client = client_for(world.users[who])
    assert client.get(reverse("letters:choose", args=[enquiry.pk])).status_code == 404
    write = reverse("letters:write", args=[enquiry.pk, template.pk])
    assert client.get(write).status_code == 404
    response = client.post(write, {"recipient_name": "A", "heading": "B", "text": "C"})
    assert response.status_code == 404
    assert not Document.objects.exists()
    assert "Make a letter" not in client.get(enquiry.get_absolute_url()).content.decode()


def test_the_enquiry_page_offers_a_letter_to_those_who_may_change_it(world, client_for):
    enquiry = world.cases["north"][2]
    page = client_for(world.users["practitioner_north"]).get(enquiry.get_absolute_url()).content.decode()
    assert reverse("letters:choose", args=[enquiry.pk]) in page


def test_choosing_no_letter_says_so(world, client_for):
    enquiry = world.cases["north"][2]
    response = client_for(world.users["practitioner_north"]).post(
        reverse("letters:choose", args=[enquiry.pk]), {}
    )
    assert response.status_code == 400
    assert "Select which letter to make" in response.content.decode()


def test_two_unit_leads_changing_one_template_never_overwrite_each_other(world, client_for):
    template = seeded("Outcome letter")
    url = reverse("letters:template_edit", args=[template.pk])
    loaded = template_form_data(template)
    first = client_for(world.users["unit_lead"]).post(url, {**loaded, "heading": "What happened"})
    assert first.status_code == 302
    second = client_for(world.users["admin"]).post(url, {**loaded, "heading": "The outcome"})
    assert second.status_code == 409
    assert "Someone else changed this record while you were editing it" in second.content.decode()
    template.refresh_from_db()
    assert template.heading == "What happened" and template.version == 2


def test_the_template_list_costs_the_same_whatever_the_number_of_templates(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.users["unit_lead"])
    client.get(reverse("letters:template_list"))  # the session and permissions, once
    with django_assert_max_num_queries(12) as counted:
        client.get(reverse("letters:template_list"))
    before = len(counted)
    for n in range(10):
        LetterTemplate.objects.create(
            title=f"Extra {n}", purpose="other", audience="partner", format="plain", heading="H", body="B"
        )
    with django_assert_max_num_queries(before):
        response = client.get(reverse("letters:template_list"))
    assert response.content.decode().count("Extra ") >= 10


def test_a_closure_letter_can_be_made_once_the_enquiry_is_closed(world, client_for):
    enquiry = world.cases["north"][2]
    enquiry.status = enquiry.Status.CLOSED
    enquiry.closure_summary = "Your nephew no longer has your bank card."
    enquiry.save()
    template = seeded("Closure letter")
    client = client_for(world.users["practitioner_north"])
    page = client.get(reverse("letters:write", args=[enquiry.pk, template.pk]))
    assert "Your nephew no longer has your bank card." in page.context["form"].initial["text"]
    response = client.post(
        reverse("letters:write", args=[enquiry.pk, template.pk]),
        {"recipient_name": "Given-north", "heading": "We have finished", "text": "Dear you,\n\nDone."},
    )
    assert response.status_code == 302
    assert Document.objects.filter(enquiry=enquiry, kind=Document.Kind.LETTER).count() == 1
