"""The first letter templates: the acknowledgement to a referrer, the letter to the person after the first
conversation ("what you told us matters to you"), the outcome letter and the closure letter, each in plain
language and in easy read. Data, not code: unit leads change them in the app afterwards, and each change is
kept in the template's history.

Frozen here, not imported from code."""

from django.db import migrations
from django.utils import timezone

SIGN_OFF_PLAIN = "Yours sincerely,\n\n{practitioner_name}\n{team_name}"
SIGN_OFF_EASY = "From {practitioner_name}\n{team_name}"

TEMPLATES = [
    {
        "title": "Acknowledgement to the referrer",
        "purpose": "acknowledgement",
        "audience": "referrer",
        "format": "plain",
        "heading": "We have received your safeguarding concern",
        "body": f"""Dear {{referrer_name}},

Thank you for telling us about your concern for {{person_name}}. We received it on {{concern_received_on}}.

The {{team_name}} team is looking into it. We will talk with {{person_name}} about what has happened and what they want to happen. What matters to them comes first.

What we find out belongs to {{person_name}}, so we may not be able to tell you everything. We will contact you if we need anything more from you.

If you have more information, or something changes, please contact us.

If you think someone is in danger now, call 999.

{SIGN_OFF_PLAIN}""",
    },
    {
        "title": "Acknowledgement to the referrer",
        "purpose": "acknowledgement",
        "audience": "referrer",
        "format": "easy_read",
        "heading": "We got your message",
        "body": f"""Dear {{referrer_name}},

Thank you for telling us you are worried about {{person_name}}.

We got your message on {{concern_received_on}}.

The {{team_name}} team will look into it.

We will talk to {{person_name}}.
We will ask what they want to happen.

Some things are private to {{person_name}}.
We may not be able to tell you everything.

If someone is in danger now, call 999.

{SIGN_OFF_EASY}""",
    },
    {
        "title": "What you told us matters to you",
        "purpose": "first_conversation",
        "audience": "person",
        "format": "plain",
        "heading": "What you told us matters to you",
        "body": f"""Dear {{person_first_name}},

Thank you for talking with us. This letter says what you told us, so that you can check we have understood.

What you told us matters to you:
{{what_matters}}

What you want to happen:
{{outcomes_in_their_words}}

If we have got anything wrong, or you want to change anything, please tell us. These are your words, and you can change them at any time.

We will talk with you again on {{next_contact_on}}.

You can ask someone you trust to read this letter with you. If you feel unsafe now, call 999.

{SIGN_OFF_PLAIN}""",
    },
    {
        "title": "What you told us matters to you",
        "purpose": "first_conversation",
        "audience": "person",
        "format": "easy_read",
        "heading": "What you told us",
        "body": f"""Dear {{person_first_name}},

Thank you for talking to us.

This letter says what you told us.

You told us this matters to you:
{{what_matters}}

You want these things to happen:
{{outcomes_in_their_words}}

Is something wrong?
Please tell us.
You can change your words at any time.

We will talk to you again on {{next_contact_on}}.

You can ask someone you trust to read this letter with you.

If you feel unsafe now, call 999.

{SIGN_OFF_EASY}""",
    },
    {
        "title": "Outcome letter",
        "purpose": "outcome",
        "audience": "person",
        "format": "plain",
        "heading": "What happened with the things you wanted",
        "body": f"""Dear {{person_first_name}},

Thank you for working with us. This letter tells you what happened with the things you wanted.

You told us what you wanted to happen. Here is each one, and whether it happened:
{{outcomes_and_results}}

If you see it differently, please tell us. What you think matters, and we will write it down.

If you have any questions, please contact me.

{SIGN_OFF_PLAIN}""",
    },
    {
        "title": "Outcome letter",
        "purpose": "outcome",
        "audience": "person",
        "format": "easy_read",
        "heading": "What happened",
        "body": f"""Dear {{person_first_name}},

Thank you for working with us.

You told us what you wanted to happen.

This is what happened:
{{outcomes_and_results}}

Do you think something different?
Please tell us.
We will write down what you think.

{SIGN_OFF_EASY}""",
    },
    {
        "title": "Closure letter",
        "purpose": "closure",
        "audience": "person",
        "format": "plain",
        "heading": "We have finished our safeguarding enquiry",
        "body": f"""Dear {{person_first_name}},

We have now finished our safeguarding enquiry. This letter says what we did and what happens next.

{{closure_summary}}

If you are worried again, or something changes, please contact the {{team_name}} team. You can ask for help at any time, even though this enquiry has finished.

We would like to know how it was for you. Someone may ask you a few questions about it. You do not have to answer them.

If you feel unsafe now, call 999.

{SIGN_OFF_PLAIN}""",
    },
    {
        "title": "Closure letter",
        "purpose": "closure",
        "audience": "person",
        "format": "easy_read",
        "heading": "We have finished",
        "body": f"""Dear {{person_first_name}},

We have finished our work with you.

This is what we did:
{{closure_summary}}

Are you worried again?
Please contact us.
You can ask for help at any time.

We want to know how it was for you.
We may ask you some questions.
You do not have to answer.

If you feel unsafe now, call 999.

{SIGN_OFF_EASY}""",
    },
]


def forwards(apps, schema_editor):
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    History = apps.get_model("letters", "HistoricalLetterTemplate")
    for fields in TEMPLATES:
        template, created = LetterTemplate.objects.get_or_create(
            title=fields["title"], format=fields["format"], audience=fields["audience"], defaults=fields
        )
        if created:
            # The first wording in the history too, so the first change keeps what it replaced.
            History.objects.create(
                id=template.pk,
                version=template.version,
                is_active=template.is_active,
                history_date=timezone.now(),
                history_type="+",
                **fields,
            )


def backwards(apps, schema_editor):
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    for fields in TEMPLATES:
        unchanged = LetterTemplate.objects.filter(
            title=fields["title"], format=fields["format"], audience=fields["audience"], version=1
        )
        apps.get_model("letters", "HistoricalLetterTemplate").objects.filter(
            id__in=unchanged.values("pk")
        ).delete()
        unchanged.delete()


class Migration(migrations.Migration):
    dependencies = [("letters", "0002_who_keeps_templates")]

    operations = [migrations.RunPython(forwards, backwards)]
