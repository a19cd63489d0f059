from django.apps import AppConfig


class ShellConfig(AppConfig):
    """The top of the house: demo and synthetic data, which build on every app below and that no app
    imports."""

    name = "msp_cases.shell"
    label = "shell"
    verbose_name = "Demo and synthetic data"
