from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "msp_cases.accounts"
    label = "accounts"
    verbose_name = "Accounts and teams"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.core import checks
        from django.db.models.signals import post_save

        from msp_cases.core.navigation import register_nav_items

        from .models import User
        from .navigation import NAV_ITEMS
        from .sessions.services import check_session_engine, on_user_logged_in, on_user_saved
        from .two_factor import checks as two_factor_checks  # noqa: F401 (registers a deployment check)

        register_nav_items(*NAV_ITEMS)
        # Every sign-in is noted for "Your sessions"; an account saved inactive has its sessions ended.
        user_logged_in.connect(on_user_logged_in, dispatch_uid="accounts.sessions.record")
        post_save.connect(on_user_saved, sender=User, dispatch_uid="accounts.sessions.end_inactive")
        checks.register(check_session_engine)
