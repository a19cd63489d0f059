from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from msp_cases.core.forms import GovFormMixin, required_message

from .models import EmailFrequency


class EmailPreferenceForm(GovFormMixin, forms.Form):
    """One question on its own page: the legend is the page heading, as GOV.UK asks."""

    email_frequency = forms.ChoiceField(
        label="How do you want to be emailed about notifications?",
        help_text="Emails only say that there is something to look at, with a link. They never include a "
        "person’s name or any case details.",
        choices=EmailFrequency.choices,
        widget=forms.RadioSelect,
        error_messages=required_message("Select how you want to be emailed about notifications"),
    )
    layout = Layout(Field.radios("email_frequency", legend_size=Size.LARGE, legend_tag="h1"))
