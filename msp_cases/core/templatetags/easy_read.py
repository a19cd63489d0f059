"""Pictures in the easy-read PDFs, chosen by meaning in msp_cases.core.pictures.

`{% picture "home" %}` and `{% choice_picture "informed" value %}` give a decorative picture's address,
drawn as a background (an artifact a screen reader skips) beside words that say the same; `{% face value %}`
gives the face of the three-face scale as an image with its words ("Happy face") as alternative text, or
nothing for an answer off the scale; `{% words_picture text %}` the picture for a paragraph of a letter, or
"" when none fits."""

from django import template
from django.utils.html import format_html

from msp_cases.core import pictures

register = template.Library()


@register.simple_tag
def picture(meaning: str) -> str:
    return pictures.picture_url(meaning)


@register.simple_tag
def choice_picture(field: str, value: str) -> str:
    return pictures.picture_url(pictures.choice_meaning(field, value))


@register.simple_tag
def words_picture(text: str) -> str:
    meaning = pictures.meaning_for_words(str(text))
    return pictures.picture_url(meaning) if meaning else ""


@register.simple_tag
def face(value: str) -> str:
    found = pictures.FACES.get(value)
    if found is None:
        return ""
    return format_html(
        '<img class="face" src="{}" alt="{}">', pictures.picture_url(found.meaning), found.words
    )


@register.simple_tag
def picture_credit() -> str:
    return pictures.CREDIT
