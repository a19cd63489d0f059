"""Partners' systems as the unit manages them in the app: the API clients unit leads make and switch off, and
the webhooks that tell a partner's system what became of the referrals it sent (docs/api.md)."""
