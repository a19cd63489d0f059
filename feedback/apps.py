from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"

    def ready(self) -> None:
        from enquiries.services.lifecycle import register_sign_off_check

        from .services import perspective_problems

        # The organisation's perspective, recorded by the manager who signs off, before approval.
        register_sign_off_check(perspective_problems)
