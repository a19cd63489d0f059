"""The SAC return and the MSP measures as JSON, for a partner's data warehouse: the figures the Reports pages
show, counted by the same code (msp_cases/reports: `sac_return`, `msp_report`), never a second calculation,
with the SAC's labels verbatim (docs/sac.md).

Who sees which figures is the reports' rule (msp_cases/reports/scope.py): a manager sees the figures of the
teams they belong to, unit staff every team's. A machine client with `reports:read` sees those of the teams it
is bound to, as a manager of those teams would, and one of them alone with `team`; any other team is a 404.
Figures count every enquiry of those teams, restricted ones included, as the pages' do (a count says nothing
about a person). Like the exports (and unlike the pages, which keep figures between requests), a read counts
the figures when it is asked for. Each read is recorded like an export of the report."""

import datetime

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from msp_cases.accounts.models import Team
from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.periods import financial_year
from msp_cases.reports.kinds.common import FIRST_YEAR, LAST_YEAR, parse_period
from msp_cases.reports.measures.msp import msp_report
from msp_cases.reports.measures.tables import Report
from msp_cases.reports.sac.returns import sac_return
from msp_cases.reports.scope import ReportScope

from . import scopes
from .views import ERRORS, INVALID

SAC_READ = "SAC return read through the API"
MSP_READ = "MSP measures read through the API"


class _PeriodQuery(serializers.Serializer):
    """The period and team, as the report pages and their exports take them."""

    team = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)

    def validate(self, attrs):
        start, end = attrs.get("from"), attrs.get("to")
        year = attrs.get("year")
        if year is not None:
            if start or end:
                raise serializers.ValidationError({"year": ["Give a year, or from and to, not both"]})
            start, end = financial_year(datetime.date(year, 4, 1))
        elif (start is None) != (end is None):
            missing = "to" if end is None else "from"
            raise serializers.ValidationError(
                {missing: ["Give both the first and the last day of the period"]}
            )
        elif start is None:
            start, end = financial_year(timezone.localdate())
        if end < start:
            raise serializers.ValidationError(
                {"to": ["The last day of the period must be on or after the first"]}
            )
        # The exports' own rule for a period (at most five years, within the years the form accepts).
        if parse_period({"from": start.isoformat(), "to": end.isoformat()}) is None:
            raise serializers.ValidationError(
                {"to": [f"A report can cover at most five years, between {FIRST_YEAR} and {LAST_YEAR}"]}
            )
        rest = {key: value for key, value in attrs.items() if key not in ("from", "to", "year")}
        return {**rest, "start": start, "end": end, "team": attrs.get("team")}


def _date_field(what: str) -> serializers.DateField:
    return serializers.DateField(required=False, help_text=f"The {what} day of the period (YYYY-MM-DD)")


MeasuresQuery = type(
    "MeasuresQuery",
    (_PeriodQuery,),
    {"from": _date_field("first"), "to": _date_field("last")},
)
SacQuery = type(
    "SacQuery",
    (_PeriodQuery,),
    {
        "from": _date_field("first"),
        "to": _date_field("last"),
        "year": serializers.IntegerField(
            required=False,
            min_value=FIRST_YEAR,
            max_value=LAST_YEAR - 1,
            help_text="The financial year starting on 1 April of this year, instead of from and to",
        ),
        "suppress": serializers.BooleanField(
            required=False,
            default=False,
            help_text="Publication disclosure control: under 5 as [c], others to the nearest 5",
        ),
    },
)

PERIOD_PARAMETERS = [
    OpenApiParameter(
        "from", datetime.date, description="The first day of the period (default: this financial year's)"
    ),
    OpenApiParameter("to", datetime.date, description="The last day of the period"),
    OpenApiParameter("team", int, description="One of the client's teams alone (default: all of them)"),
]


class SacTableSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="SG1a … SG5b")
    title = serializers.CharField()
    rows = serializers.ListField(child=serializers.CharField(), help_text="Row labels, verbatim")
    columns = serializers.ListField(child=serializers.CharField(), help_text="Column labels, verbatim")
    cells = serializers.ListField(
        child=serializers.ListField(child=serializers.JSONField()),
        help_text="cells[row][column]: a count, or under disclosure control [c], a rounded count or [x]",
    )
    notes = serializers.ListField(child=serializers.CharField())
    sections = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


# "from" is a Python keyword: these serializers are made with type() so their fields are named as the JSON
# and the query string name them.
PeriodSerializer = type(
    "PeriodSerializer",
    (serializers.Serializer,),
    {"from": serializers.DateField(), "to": serializers.DateField()},
)


class SacReturnSerializer(serializers.Serializer):
    period = PeriodSerializer()
    team = serializers.CharField(allow_null=True, help_text="The one team chosen, or null for all")
    teams = serializers.ListField(child=serializers.CharField(), help_text="The teams the figures cover")
    suppressed = serializers.BooleanField()
    tables = SacTableSerializer(many=True)


class MeasureCellSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text="null where there is nothing to divide by")
    display = serializers.CharField(help_text="As the page shows it")


class MeasureRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    cells = MeasureCellSerializer(many=True)


class MeasureTableSerializer(serializers.Serializer):
    key = serializers.CharField()
    caption = serializers.CharField()
    row_heading = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = MeasureRowSerializer(many=True)


class MeasuresSerializer(serializers.Serializer):
    title = serializers.CharField()
    period = PeriodSerializer()
    team = serializers.CharField(allow_null=True)
    teams = serializers.ListField(child=serializers.CharField())
    notes = serializers.ListField(child=serializers.CharField())
    tables = MeasureTableSerializer(many=True)


def _client_teams(user):
    """The teams a client's figures cover: those it is bound to (its service account's), as a manager's
    are the teams they belong to."""
    return Team.objects.filter(members=user).order_by("pk")


class _ReportView(GenericAPIView):
    required_scope = scopes.REPORTS_READ
    query_class: type[serializers.Serializer]
    pagination_class = None

    def scope(self, request) -> tuple[ReportScope, dict]:
        query = self.query_class(data=request.query_params)
        query.is_valid(raise_exception=True)
        period = query.validated_data
        teams = list(_client_teams(request.user))
        if not teams:
            raise exceptions.PermissionDenied(
                "This client is bound to no team, so it has no figures to read."
            )
        team = None
        if period["team"] is not None:
            team = next((t for t in teams if t.pk == period["team"]), None)
            if team is None:  # another team, or none at all: the same answer, as on the pages
                raise exceptions.NotFound("No such team, or not one of this client's.")
        team_ids = (team.pk,) if team else tuple(t.pk for t in teams)
        scope = ReportScope(start=period["start"], end=period["end"], team_ids=team_ids, team=team)
        names = [team.name] if team else sorted(t.name for t in teams)
        return scope, {**period, "teams": names}

    def record(self, request, detail: str) -> None:
        """Recorded as the pages record an export of a report: against the reader, with no person."""
        access_record(
            actor=Actor.from_request(request),
            obj=request.user,
            action=AccessEvent.Action.EXPORT,
            detail=detail,
        )


class SacReturnRead(_ReportView):
    query_class = SacQuery
    serializer_class = SacReturnSerializer

    @extend_schema(
        operation_id="reports_sac_read",
        summary="Read the SAC return",
        description="The Safeguarding Adults Collection's tables SG1a to SG5b for a period (by default this "
        "financial year), every label verbatim as in the return (docs/sac.md).",
        parameters=[
            *PERIOD_PARAMETERS,
            OpenApiParameter("year", int, description=SacQuery().fields["year"].help_text),
            OpenApiParameter("suppress", bool, description=SacQuery().fields["suppress"].help_text),
        ],
        responses={200: SacReturnSerializer, **INVALID, **ERRORS},
        tags=["reports"],
    )
    def get(self, request):
        scope, query = self.scope(request)
        figures = sac_return(scope=scope)
        self.record(request, SAC_READ)
        return Response({**figures.as_dict(suppress=query["suppress"]), "teams": query["teams"]})


def measures_json(report: Report, teams: list[str]) -> dict:
    """A measures report as JSON: its tables' cells as the page shows them, with the values behind them."""
    return {
        "title": report.title,
        "period": {"from": report.scope.start.isoformat(), "to": report.scope.end.isoformat()},
        "team": report.scope.team.name if report.scope.team else None,
        "teams": teams,
        "notes": list(report.notes),
        "tables": [
            {
                "key": table.key,
                "caption": table.caption,
                "row_heading": table.row_heading,
                "columns": list(table.columns),
                "rows": [
                    {"label": label, "cells": [{"value": c.value, "display": c.display} for c in cells]}
                    for label, cells in table.rows
                ],
            }
            for table in report.tables.values()
        ],
    }


class MspMeasuresRead(_ReportView):
    query_class = MeasuresQuery
    serializer_class = MeasuresSerializer

    @extend_schema(
        operation_id="reports_msp_read",
        summary="Read the Making Safeguarding Personal measures",
        description="Were people asked about their desired outcomes, were they achieved, and were decisions "
        "made by or with the person: by financial quarter and by team, as the MSP measures page shows them.",
        parameters=PERIOD_PARAMETERS,
        responses={200: MeasuresSerializer, **INVALID, **ERRORS},
        tags=["reports"],
    )
    def get(self, request):
        scope, query = self.scope(request)
        report = msp_report(scope=scope)
        self.record(request, MSP_READ)
        return Response(measures_json(report, query["teams"]))
