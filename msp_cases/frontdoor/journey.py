"""The order of the questions, who is asked which, and the journey's answers as the session keeps them.

The answers live server-side in the session (never in the URL) under one key, step by step. A journey that is
not in the session has ended (the session timed out after SESSION_TIMEOUT_MINUTES without a page, or the
report was sent): every question page then says so rather than starting half a report."""

from collections.abc import Callable
from dataclasses import dataclass

from .forms import public as forms
from .models import Referral

SESSION_KEY = "report_a_concern"
SENT_KEY = "report_a_concern_sent"  # the reference of the report this browser has just sent
RETURN_KEY = "report_a_concern_return"  # the token of the return link this browser opened
OUTCOME_KEY = "report_a_concern_outcome"  # the token of the outcome link this browser opened


@dataclass(frozen=True)
class Step:
    slug: str
    form: type[forms.StepForm]
    title: str  # the page's title
    section: str  # the check-answers heading its rows are listed under
    applies: Callable[[dict], bool] = lambda answers: True


def _is(referrer_type: str) -> Callable[[dict], bool]:
    return lambda answers: answers.get("reporter", {}).get("referrer_type") == referrer_type


ADULT, WHAT, WISHES, YOU = "About the adult", "What happened", "What the adult wants", "About you"
SECTIONS = (ADULT, WHAT, WISHES, YOU)

STEPS: tuple[Step, ...] = (
    Step("danger", forms.DangerForm, "Is the adult in danger right now?", WHAT),
    Step("reporter", forms.ReporterForm, "Are you telling us as part of your job?", YOU),
    Step("adult", forms.AdultForm, "Who is the adult?", ADULT),
    Step("address", forms.AddressForm, "Where does the adult live?", ADULT),
    Step("age", forms.AgeForm, "How old is the adult?", ADULT),
    Step("communication", forms.CommunicationForm, "Does the adult need help to talk with us?", ADULT),
    Step("what-happened", forms.WhatHappenedForm, "What happened?", WHAT),
    Step("when-where", forms.WhenWhereForm, "When and where did it happen?", WHAT),
    Step("who-caused-harm", forms.AllegedForm, "Who do you think caused the harm?", WHAT),
    Step("adult-knows", forms.KnowsForm, "Does the adult know you are telling us?", WISHES),
    Step("adult-wishes", forms.WishesForm, "What does the adult want to happen?", WISHES),
    Step("contact", forms.ContactForm, "Contacting the adult", WISHES),
    Step("your-details", forms.PublicReferrerForm, "Your details", YOU, _is(Referral.ReferrerType.PUBLIC)),
    Step(
        "your-work-details",
        forms.ProfessionalReferrerForm,
        "Your details",
        YOU,
        _is(Referral.ReferrerType.PROFESSIONAL),
    ),
)
BY_SLUG = {step.slug: step for step in STEPS}


def applicable(answers: dict) -> list[Step]:
    return [step for step in STEPS if step.applies(answers)]


def next_step(answers: dict, after: Step) -> Step | None:
    """The step after `after` for these answers, or None when check answers comes next."""
    steps = applicable(answers)
    later = steps[steps.index(after) + 1 :] if after in steps else steps
    return later[0] if later else None


def previous_step(answers: dict, before: Step) -> Step | None:
    steps = applicable(answers)
    if before not in steps or steps.index(before) == 0:
        return None
    return steps[steps.index(before) - 1]


def first_unanswered(answers: dict) -> Step | None:
    return next((step for step in applicable(answers) if step.slug not in answers), None)


def initial_for(step: Step, answers: dict, *, saved_email: str = "") -> dict:
    """What a question page starts with: the answers given on it, and, on the work details not yet given, the
    email address the report was saved with (the professional typed it once already)."""
    initial = step.form.from_answers(answers.get(step.slug, {}))
    if saved_email and "referrer_email" in step.form.base_fields and not initial.get("referrer_email"):
        initial["referrer_email"] = saved_email
    return initial


def flattened(answers: dict) -> dict:
    """The answers of the steps that apply, as one field → value mapping (a referrer who changed from
    professional to public leaves no work details behind)."""
    flat: dict = {}
    for step in applicable(answers):
        flat.update(answers.get(step.slug, {}))
    return flat


def summary(answers: dict) -> list[dict]:
    """Check answers: each section with its questions and the answers as typed (or as chosen), each row
    with the step whose page changes it."""
    rows_by_section: dict[str, list] = {section: [] for section in SECTIONS}
    for step in applicable(answers):
        given = answers.get(step.slug, {})
        form = step.form(initial=step.form.from_answers(given))
        for name, field in form.fields.items():
            value = given.get(name, "")
            if hasattr(field, "choices") and value:
                value = dict(field.choices).get(value, value)
            elif name == "adult_date_of_birth" and value:
                value = form.initial[name].strftime("%-d %B %Y")
            # The Change link lands on the field itself (a date's first box).
            anchor = f"{name}_0" if hasattr(field, "fields") else name
            rows_by_section[step.section].append(
                {"label": field.label, "value": value, "name": anchor, "slug": step.slug}
            )
    return [{"title": section, "rows": rows} for section, rows in rows_by_section.items() if rows]
