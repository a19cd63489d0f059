from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"

    def ready(self) -> None:
        from enquiries.services.completeness import register_closure_check

        from .services import closure_problems

        # My Safeguarding Experience Part 2 (or why the person was not approached) before closure.
        register_closure_check(closure_problems)

        from enquiries.services.lifecycle import register_sign_off_check

        from .services import perspective_problems

        # The organisation's perspective, recorded by the manager who signs off, before approval.
        register_sign_off_check(perspective_problems)
