from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"

    def ready(self) -> None:
        # Imported here: models and services need the app registry ready.
        from enquiries.panels import register_panel, register_timeline_source
        from enquiries.services.completeness import BEFORE_APPROVAL, ClosureCheck, register_closure_check
        from enquiries.services.drift import register_drift_rule
        from msp_cases.exports.registry import register

        from .drift import PART2_OUTSTANDING
        from .exports import EXPORT_KINDS
        from .panels import PANELS, TIMELINE_SOURCES
        from .services import closure_problems, perspective_problems

        # My Safeguarding Experience Part 2 (or why the person was not approached) before closure.
        register_closure_check(ClosureCheck(id="feedback.part2", problems=closure_problems))
        # The organisation's perspective, recorded by the manager who signs off, before approval.
        register_closure_check(
            ClosureCheck(id="feedback.perspective", problems=perspective_problems, when=BEFORE_APPROVAL)
        )
        # My Safeguarding Experience and case-file audits on the enquiry page, the perspective on the sign-off
        # page, Part 1's communication support on the person page.
        for panel in PANELS:
            register_panel(panel)
        # Part 1 and Part 2 on the person's chronology.
        for source in TIMELINE_SOURCES:
            register_timeline_source(source)
        # Its PDFs: Part 1, Part 2 and "My safeguarding plan".
        for kind in EXPORT_KINDS:
            register(kind)
        # "Part 2 is outstanding at closure" joins the drift scan.
        register_drift_rule(PART2_OUTSTANDING)
