"""The second step's forms: a code from the authenticator app, a recovery code, the password again before
new recovery codes, and a colleague's lost device reset. Errors in the GOV.UK voice."""

import re

from crispy_forms_gds.layout import Field, Fixed, Fluid, Layout, Size
from django import forms

from msp_cases.core.forms import GovFormMixin

from ..lockout import sign_in_email
from ..models import User

_SIX_DIGITS = re.compile(r"\d{6}")


class AuthenticatorCodeForm(GovFormMixin, forms.Form):
    """The GOV.UK pattern for a security code: one box, numbers only, filled by the phone's suggestion."""

    code = forms.CharField(
        label="Enter the 6-digit code from your authenticator app",
        max_length=20,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "autocapitalize": "off",
            }
        ),
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )
    layout = Layout(Field.text("code", field_width=Fixed.FIVE, label_size=Size.LARGE, label_tag="h1"))

    def __init__(self, *args, label: str | None = None, heading: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["code"].label = label
        if not heading:
            self.helper.layout = Layout(Field.text("code", field_width=Fixed.FIVE))

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not _SIX_DIGITS.fullmatch(code):
            raise forms.ValidationError("The code must be 6 numbers")
        return code


class RecoveryCodeForm(GovFormMixin, forms.Form):
    code = forms.CharField(
        label="Enter one of your recovery codes",
        help_text="Each recovery code is 8 letters and numbers, like abcd 2345. Each one works once.",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}),
        error_messages={"required": "Enter one of your recovery codes"},
    )
    layout = Layout(Field.text("code", field_width=Fixed.TEN, label_size=Size.LARGE, label_tag="h1"))


class ConfirmPasswordForm(GovFormMixin, forms.Form):
    """Before new recovery codes: the person's password again, so an unattended signed-in screen cannot be
    used to take them."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    layout = Layout(Field.text("password", field_width=Fluid.TWO_THIRDS))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("Your password is not right. Enter the password you sign in with")
        return password


class SavedCodesForm(GovFormMixin, forms.Form):
    saved = forms.BooleanField(
        label="I have saved these recovery codes somewhere safe",
        error_messages={"required": "Confirm that you have saved your recovery codes"},
    )
    layout = Layout(Field.checkbox("saved"))


class ResetForm(GovFormMixin, forms.Form):
    """A colleague's lost authenticator. The reason is kept with the record of the reset."""

    email = forms.EmailField(
        label="Email address of the person who has lost their device",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the email address of the person who has lost their device",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    reason = forms.CharField(
        label="Why are you resetting it?",
        help_text="For example, how you checked it was them asking. It is kept with the record of the reset.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why you are resetting it",
            "max_length": "Why you are resetting it must be 500 characters or fewer",
        },
    )
    layout = Layout(Field.text("email", field_width=Fluid.TWO_THIRDS), Field.textarea("reason", rows=3))

    def clean_email(self) -> User:
        email = sign_in_email(self.cleaned_data["email"])
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError("There is no account with this email address")
        return user
