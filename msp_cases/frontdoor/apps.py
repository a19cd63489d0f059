from django.apps import AppConfig


class FrontDoorConfig(AppConfig):
    """The way concerns arrive from outside: the public and professional "Report a concern" form, and the
    front-door (MASH) queue that screens what it makes before a locality team takes it."""

    name = "msp_cases.frontdoor"
    label = "frontdoor"
    verbose_name = "Front door"
