from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"

    def ready(self) -> None:
        # Imported here: models and services need the app registry ready.
        from enquiries.panels import register_panel, register_timeline_source
        from enquiries.services.completeness import ClosureCheck, register_closure_check, register_sac_rule

        from .panels import PANELS, TIMELINE_SOURCES
        from .services import ACHIEVEMENT_RULE, asked_consistency_problems

        # SG4a achievement is a SAC rule: the closure gate and the SAC data-quality list both apply it.
        register_sac_rule(ACHIEVEMENT_RULE)
        register_closure_check(
            ClosureCheck(id="outcomes.asked_consistency", problems=asked_consistency_problems)
        )
        # "What I want to happen" on the enquiry page, the outcomes' history on its timeline, and the outcomes
        # in the case summary.
        for panel in PANELS:
            register_panel(panel)
        for source in TIMELINE_SOURCES:
            register_timeline_source(source)
