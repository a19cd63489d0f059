from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"

    def ready(self) -> None:
        from enquiries.services.completeness import register_closure_check, register_sac_rule

        from .services import ACHIEVEMENT_RULE, asked_consistency_problems

        # SG4a achievement is a SAC rule: the closure gate and the SAC data-quality list both apply it.
        register_sac_rule(ACHIEVEMENT_RULE)
        register_closure_check(asked_consistency_problems)
