from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "msp_cases.accounts"
    label = "accounts"
    verbose_name = "Accounts and teams"
