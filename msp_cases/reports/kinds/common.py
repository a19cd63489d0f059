"""What every report export shares. Each report's module in this package registers its kinds with
`registry.register(ExportKind(..., needs_enquiry=False, allowed=allowed_for_reports))`."""

from ..scope import may_view_reports


def allowed_for_reports(user, enquiry, params) -> bool:
    """A report export may be asked for by whoever may see the reports; the team in `params`, if any, must be
    one of theirs (checked again when the worker renders it)."""
    from ..scope import teams_for

    if enquiry is not None or not may_view_reports(user):
        return False
    team = params.get("team")
    return team is None or teams_for(user).filter(pk=team).exists()
