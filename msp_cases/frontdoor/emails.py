"""The public form's emails. None of them carries anything the referrer wrote: an acknowledgement gives the
reference, a return link gives a link, a code email gives the code. Plain text, in fixed words."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.formats import date_format

from .models import Referral


def acknowledgement_send(*, referral_id: int) -> bool:
    referral = Referral.objects.filter(pk=referral_id).only("reference", "referrer_email").first()
    if referral is None or not referral.referrer_email:
        return False
    send_mail(
        subject=f"Your report to {settings.ORGANISATION_NAME}: reference {referral.reference}",
        message=(
            f"Thank you for telling us about your concern.\n\n"
            f"Your reference number is {referral.reference}.\n\n"
            f"Our safeguarding team will read your report. If you need to tell us more, phone "
            f"{settings.FRONT_DOOR_PHONE} and give your reference number.\n\n"
            f"If someone is in danger right now, call 999.\n\n{settings.ORGANISATION_NAME}"
        ),
        from_email=None,
        recipient_list=[referral.referrer_email],
    )
    return True


def return_link_send(*, email: str, link: str, expires_at: datetime.datetime) -> None:
    until = date_format(timezone.localtime(expires_at), "j F Y")
    send_mail(
        subject=f"Come back to your report to {settings.ORGANISATION_NAME}",
        message=(
            f"You saved a report so you can finish it later.\n\n"
            f"To come back to it, open this link:\n{link}\n\n"
            f"We will email you a security code when you open it. The link works until {until}. "
            f"After that your answers are deleted.\n\n"
            f"If you did not save a report, you can ignore this email.\n\n{settings.ORGANISATION_NAME}"
        ),
        from_email=None,
        recipient_list=[email],
    )


def code_send(*, email: str, code: str, minutes: int, purpose: str = "come back to your report") -> None:
    send_mail(
        subject=f"Your security code is {code}",
        message=(
            f"Your security code is {code}\n\n"
            f"Enter it to {purpose}. It works for {minutes} minutes.\n\n"
            f"If you did not ask for a code, you can ignore this email.\n\n{settings.ORGANISATION_NAME}"
        ),
        from_email=None,
        recipient_list=[email],
    )
