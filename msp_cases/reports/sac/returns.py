"""The whole SAC return for a period and the teams in scope."""

from msp_cases.core.replica import reading_reports

from ..scope import ReportScope
from .concluded import sg2_to_sg4
from .individuals import sg1_tables, sg1f
from .reviews import sg5_tables
from .tables import SacReturn


@reading_reports()
def sac_return(*, scope: ReportScope) -> SacReturn:
    """The SAC tables for `scope`'s period and teams (twelve queries at most, whatever the
    number of records)."""
    return SacReturn(
        scope=scope, tables=(*sg1_tables(scope), sg1f(scope), *sg2_to_sg4(scope), *sg5_tables(scope))
    )
