from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "msp_cases.core"
    label = "core"
    verbose_name = "Layout and shared pages"

    def ready(self) -> None:
        from .navigation import NavItem, register_nav_items

        # Django's own admin, for staff.
        register_nav_items(
            NavItem(80, "Users and teams", "admin:index", ("admin:",), shown_to=lambda u: u.is_staff)
        )
