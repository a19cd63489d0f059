"""Account review: every account with its roles, teams, last sign-in and two-factor state, for unit leads and
administrators; accounts nobody has used for MSP_ACCOUNT_INACTIVE_DAYS deactivated by a scheduled task, with
their team's managers told. Above notifications (it tells managers) and accounts (whose services it calls)."""
