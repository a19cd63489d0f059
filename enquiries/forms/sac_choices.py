"""Radios and checkboxes for SAC-coded categories: the plain words as the label and SAC's own name as the
hint ("SAC: Other - Known to individual"), so staff read plain English and still see the statutory category
each answer is counted under. The stored values do not change."""

from crispy_forms_gds.choices import Choice
from django.db import models

from ..models.choices import PLAIN_LABELS


def sac_choices(choices: type[models.TextChoices]) -> list[Choice]:
    plain = PLAIN_LABELS.get(choices, {})
    return [
        Choice(value, plain[value], hint=f"SAC: {label}") if value in plain else Choice(value, label)
        for value, label in choices.choices
    ]
