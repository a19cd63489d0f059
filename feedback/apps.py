from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"

    def ready(self) -> None:
        # Imported here: models and services need the app registry ready.
        from enquiries.services.completeness import BEFORE_APPROVAL, ClosureCheck, register_closure_check

        from .services import closure_problems, perspective_problems

        # My Safeguarding Experience Part 2 (or why the person was not approached) before closure.
        register_closure_check(ClosureCheck(id="feedback.part2", problems=closure_problems))
        # The organisation's perspective, recorded by the manager who signs off, before approval.
        register_closure_check(
            ClosureCheck(id="feedback.perspective", problems=perspective_problems, when=BEFORE_APPROVAL)
        )
