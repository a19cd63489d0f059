"""Importing case records from an earlier system's extract (docs/import.md), as the operator who runs it, the
practitioners who then read the records and the unit that counts them in the SAC return see it."""

import csv
import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from enquiries.models import ConversationLog, Enquiry, Person, SafeguardingConcern
from msp_cases.audit.models import AccessEvent
from msp_cases.imports.columns import ALL_COLUMNS
from msp_cases.imports.models import ImportedRecord
from msp_cases.reports.sac.returns import sac_return
from msp_cases.reports.scope import ReportScope
from outcomes.models import DesiredOutcome

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def run_import(path, user, *extra) -> tuple[str, bool]:
    """The command's output, and whether it finished without a refused batch."""
    out = io.StringIO()
    try:
        call_command("import_cases", str(path), "--source", "Mosaic", "--as", user.email, *extra, stdout=out)
    except CommandError as error:
        return out.getvalue() + str(error), False
    return out.getvalue(), True


def write_csv(tmp_path, rows: list[dict], name="extract.csv") -> Path:
    path = tmp_path / name
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=ALL_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def person(external_id, **values) -> dict:
    return {
        "record_type": "person",
        "external_id": external_id,
        "given_name": "Margaret",
        "family_name": "Hughes",
        "date_of_birth": "1941-03-02",
        "gender": "Female",
        "ethnicity": "White",
        "primary_support_reason": "Physical Support",
    } | values


def concern(external_id, person_id, **values) -> dict:
    return {
        "record_type": "concern",
        "external_id": external_id,
        "person_external_id": person_id,
        "team": "North Locality",
        "received_at": "2024-06-03 10:15",
        "summary": "Her son takes her pension.",
        "risk_types": "Financial or Material Abuse",
        "risk_location": "Own Home",
        "risk_source": "Other - Known to individual",
    } | values


def decided(**values) -> dict:
    return {
        "decision": "section_42",
        "decided_at": "2024-06-04 09:00",
        "criteria_care_needs": "yes",
        "criteria_abuse_or_neglect": "yes",
        "criteria_unable_to_protect": "yes",
        "decision_rationale": "She cannot protect herself from him.",
    } | values


def enquiry(external_id, concern_id, **values) -> dict:
    return {
        "record_type": "enquiry",
        "external_id": external_id,
        "concern_external_id": concern_id,
        "opened_at": "2024-06-04",
    } | values


CLOSED = {
    "status": "closed",
    "closed_at": "2024-08-01 15:00",
    "lacks_capacity": "No, they did not lack capacity",
    "outcomes_asked": "asked_expressed",
    "action_result": "Risk identified and action taken",
    "risk_outcome": "Risk reduced",
    "closure_summary": "Your pension is paid to you now.",
}


@pytest.mark.parametrize("name", ["import-example.csv", "import-example.jsonl"])
def test_the_example_file_imports_cleanly_and_a_second_run_changes_nothing(world, name):
    lead = world.users["unit_lead"]
    people = Person.objects.count()
    output, ok = run_import(EXAMPLES / name, lead)
    assert ok, output
    assert "30 rows in 1 batches: 30 created, 0 updated, 0 unchanged" in output
    assert Person.objects.count() == people + 12
    assert DesiredOutcome.objects.count() == 2

    output, ok = run_import(EXAMPLES / name, lead)
    assert ok, output
    assert "0 created, 0 updated, 30 unchanged" in output
    assert Person.objects.count() == people + 12
    assert ImportedRecord.objects.count() == 30


def test_the_two_example_files_hold_the_same_records(world):
    """The JSON lines file is the CSV file in the other format: importing one after the other adds nothing."""
    lead = world.users["unit_lead"]
    run_import(EXAMPLES / "import-example.csv", lead)
    output, ok = run_import(EXAMPLES / "import-example.jsonl", lead)
    assert ok and "0 created, 0 updated, 30 unchanged" in output


def test_imported_records_keep_their_dates_and_are_made_by_the_importer(world):
    lead = world.users["unit_lead"]
    output, ok = run_import(EXAMPLES / "import-example.csv", lead)
    assert ok, output
    imported = ImportedRecord.objects.get(kind="enquiry", external_id="E0000001")
    enquiry = Enquiry.objects.get(pk=imported.object_id)
    assert enquiry.status == Enquiry.Status.CLOSED
    assert enquiry.concern.received_at.date() < enquiry.opened_at.date() < enquiry.closed_at.date()
    assert enquiry.closed_at.year == 2024
    assert [event.kind for event in enquiry.events.all()] == ["opened", "closed"]
    assert enquiry.last_with_person_at is not None  # from the imported conversation with the person
    history = enquiry.history.earliest()
    assert (history.history_user, history.history_change_reason) == (lead, "Imported from Mosaic")
    assert AccessEvent.objects.filter(
        user=lead, action="create", object_id=enquiry.pk, detail="Imported from Mosaic"
    ).exists()


def test_a_dry_run_reports_every_planted_problem_by_line_and_column_and_changes_nothing(world, tmp_path):
    rows = [
        person("P1", gender="Woman"),  # line 2: not a choice
        person("P2", date_of_birth="2025-02-30"),  # line 3: no such date
        person("P3", given_name="", family_name="", description=""),  # line 4: neither named nor described
        person("P4", family_name="x" * 5000),  # line 5: longer than the field
        person("P5", given_name="Mar\x1bgaret"),  # line 6: a control character
        person("P6", family_name="=cmd|' /C calc'!A0"),  # line 7: a spreadsheet formula
        concern("C1", "P7"),  # line 8: a person neither in the file nor imported before
        concern("C2", "P8", team="Nowhere Team"),  # line 9: no such team (its person is on line 10)
        person("P8"),  # line 10: fine
        concern("C3", "P8", received_at="2099-01-01"),  # line 11: in the future
        concern("C4", "P8", summary=""),  # line 12: required
        concern("C5", "P1"),  # line 13: its person has problems
        enquiry("E1", "C6"),  # line 14: C6's decision opens no enquiry
        concern("C6", "P8"),  # line 15: fine, awaiting a decision
    ]
    path = write_csv(tmp_path, rows)
    before = (Person.objects.count(), SafeguardingConcern.objects.count(), ImportedRecord.objects.count())
    output, ok = run_import(path, world.users["unit_lead"], "--dry-run")
    assert not ok
    lines = output.splitlines()

    def reported(line, column, words):
        return any(
            text.startswith(f"Line {line}, column {column}: ") and words in text for text in lines
        ), output

    assert reported(2, "gender", "Enter one of the values docs/import.md lists for gender")
    assert reported(3, "date_of_birth", "Enter a real date")
    assert reported(4, "given_name", "Enter their given and family names, or describe them")
    assert reported(5, "family_name", "at most 100 characters")
    assert reported(6, "given_name", "control characters")
    assert reported(7, "family_name", "formula")
    assert reported(8, "person_external_id", "There is no person with this external id")
    assert reported(9, "team", "There is no active team of this name")
    assert reported(11, "received_at", "must be now or in the past")
    assert reported(12, "summary", "required")
    assert reported(13, "person_external_id", "has problems (line 2)")
    assert reported(14, "concern_external_id", "does not open an enquiry")
    assert not any(text.startswith(("Line 10,", "Line 15,")) for text in lines)
    # The bad value is shown to the operator, cut short.
    assert "(value: 'Woman')" in output
    assert "Dry run, nothing was changed." in output
    assert "1 of 1 batches had problems and would not be imported" in output
    after = (Person.objects.count(), SafeguardingConcern.objects.count(), ImportedRecord.objects.count())
    assert after == before


def test_a_good_dry_run_says_what_would_be_made_and_makes_nothing(world):
    output, ok = run_import(EXAMPLES / "import-example.csv", world.users["unit_lead"], "--dry-run")
    assert ok and "30 created" in output
    assert not ImportedRecord.objects.exists()
    assert not Person.objects.filter(local_identifier__startswith="LEG-").exists()


def test_a_bad_batch_applies_nothing_and_the_other_batches_are_applied(world, tmp_path):
    rows = [
        person("P1"),
        concern("C1", "P1"),
        person("P2", gender="Woman"),  # batch 2 (lines 4-5): refused, with the concern on it
        concern("C2", "P2"),
        person("P3"),
        concern("C3", "P3"),
        concern("C4", "P2"),  # batch 4: refers to a person of the refused batch
    ]
    output, ok = run_import(write_csv(tmp_path, rows), world.users["unit_lead"], "--batch-size", "2")
    assert not ok
    assert set(ImportedRecord.objects.values_list("external_id", flat=True)) == {"P1", "C1", "P3", "C3"}
    assert "Lines 4 to 5: refused" in output
    assert "Line 8, column person_external_id: There is no person with this external id" in output
    assert "2 of 4 batches had problems and were not imported" in output


def test_a_changed_row_updates_its_record_and_the_history_says_the_import_did(world, tmp_path):
    lead = world.users["unit_lead"]
    rows = [person("P1"), concern("C1", "P1")]
    run_import(write_csv(tmp_path, rows), lead)
    rows[0]["family_name"] = "Hughes-Jones"
    rows[1] |= decided(decision="no_further_action", no_further_action_response="Signposted to her bank")
    output, ok = run_import(write_csv(tmp_path, rows), lead)
    assert ok, output
    assert "0 created, 2 updated, 0 unchanged" in output
    imported = ImportedRecord.objects.get(kind="person", external_id="P1")
    margaret = Person.objects.get(pk=imported.object_id)
    assert margaret.family_name == "Hughes-Jones"
    latest, first = margaret.history.all()[:2]
    assert [change.field for change in latest.diff_against(first).changes] == ["family_name"]
    assert (latest.history_user, latest.history_change_reason) == (lead, "Imported from Mosaic")
    assert Person.objects.filter(given_name="Margaret").count() == 1
    decided_concern = SafeguardingConcern.objects.get(person=margaret)
    assert decided_concern.decision == "no_further_action"
    assert decided_concern.decided_at.date() == datetime.date(2024, 6, 4)


def test_a_record_changed_in_the_service_is_not_overwritten_by_a_later_extract(world, tmp_path):
    lead = world.users["unit_lead"]
    rows = [person("P1")]
    run_import(write_csv(tmp_path, rows), lead)
    margaret = Person.objects.get(pk=ImportedRecord.objects.get().object_id)
    margaret.preferred_name = "Peggy"
    margaret.version += 1
    margaret.save()
    rows[0]["family_name"] = "Hughes-Jones"
    output, ok = run_import(write_csv(tmp_path, rows), lead)
    assert not ok
    assert "has been changed in the service since it was imported" in output
    margaret.refresh_from_db()
    assert (margaret.family_name, margaret.preferred_name) == ("Hughes", "Peggy")


def test_a_changed_conversation_is_amended_never_rewritten(world, tmp_path):
    lead = world.users["unit_lead"]
    talk = {
        "record_type": "conversation",
        "external_id": "V1",
        "concern_external_id": "C1",
        "occurred_at": "2024-06-05 11:00",
        "method": "phone",
        "with_person": "yes",
        "what_matters": "Seeing my grandchildren.",
    }
    rows = [person("P1"), concern("C1", "P1"), talk]
    run_import(write_csv(tmp_path, rows), lead)
    talk["what_matters"] = "Seeing my grandchildren every week."
    output, ok = run_import(write_csv(tmp_path, rows), lead)
    assert ok, output
    original = ConversationLog.objects.get(amends__isnull=True, what_matters="Seeing my grandchildren.")
    amendment = original.amendments.get()
    assert amendment.what_matters == "Seeing my grandchildren every week."
    assert amendment.amendment_reason == "Changed in the Mosaic extract"


TAG = '<strong class="govuk-tag govuk-tag--grey">Imported from Mosaic</strong>'


def test_imported_conversations_are_tagged_on_the_timeline_and_the_chronology(world, client_for):
    run_import(EXAMPLES / "import-example.csv", world.users["unit_lead"])
    enquiry = Enquiry.objects.get(
        pk=ImportedRecord.objects.get(kind="enquiry", external_id="E0000001").object_id
    )
    client = client_for(world.users["unit_lead"])
    page = client.get(reverse("enquiries:enquiry_detail", args=[enquiry.pk])).content.decode()
    assert page.count(TAG) == 1
    chronology = client.get(reverse("enquiries:person_chronology", args=[enquiry.person_id])).content.decode()
    assert chronology.count(TAG) == 1
    # A conversation recorded in the service carries no tag.
    north_enquiry = world.cases["north"][2]
    ConversationLog.objects.create(
        person=north_enquiry.person,
        enquiry=north_enquiry,
        occurred_at=north_enquiry.opened_at,
        recorded_by=world.users["practitioner_north"],
        with_person=True,
        what_matters="My cat.",
        method="phone",
    )
    page = client.get(reverse("enquiries:enquiry_detail", args=[north_enquiry.pk])).content.decode()
    assert "My cat." in page and 'govuk-tag--grey">Imported from' not in page


def test_the_sac_return_counts_imported_records_by_their_original_dates(world, tmp_path):
    rows = [
        person("P1", gender="Female"),
        concern("C1", "P1", received_at="2024-06-03 10:15", **decided()),
        enquiry("E1", "C1", **CLOSED),
        person("P2", gender="male"),
        concern("C2", "P2", received_at="2025-03-31 23:30"),  # the last half hour of 2024-25
        person("P3", gender="Not Known"),
        concern("C3", "P3", received_at="2025-04-01 00:10", team="South Locality"),  # 2025-26
    ]
    output, ok = run_import(write_csv(tmp_path, rows), world.users["unit_lead"])
    assert ok, output
    teams = (world.north.pk, world.south.pk)
    year = sac_return(
        scope=ReportScope(start=datetime.date(2024, 4, 1), end=datetime.date(2025, 3, 31), team_ids=teams)
    )
    # Concerns received: C1, C2; section 42 enquiries started: E1; no other enquiry.
    assert year.table("SG1f").cells == ((2,), (1,), (0,))
    sg1b = year.table("SG1b")
    concerns = sg1b.columns[0]
    assert {row: sg1b.cell(row, concerns) for row in sg1b.rows} == {"Male": 1, "Female": 1, "Not Known": 0}
    # E1 concluded in the year, its risk as the extract gave it.
    sg2a = year.table("SG2a")
    assert sum(sg2a.cell("Financial or Material Abuse", column) for column in sg2a.columns) >= 1
    next_year = sac_return(
        scope=ReportScope(start=datetime.date(2025, 4, 1), end=datetime.date(2026, 3, 31), team_ids=teams)
    )
    assert next_year.table("SG1f").cells == ((1,), (0,), (0,))


def test_json_lines_with_hostile_shapes_are_reported_not_crashing(world, tmp_path):
    path = tmp_path / "extract.jsonl"
    lines = [
        "this is not json",
        json.dumps(["a", "list"]),
        json.dumps(person("P1", gender=["Female"])),
        json.dumps(person("P2", surprise="column")),
        json.dumps(person("P3", given_name="\x00")),
        json.dumps({"record_type": "alien", "external_id": "X"}),
        json.dumps(person("P4") | {"external_id": "x" * 500}),
        json.dumps(person("P5", date_of_birth="31/12/1950")),  # fine: the UK way of writing a date
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output, ok = run_import(path, world.users["unit_lead"], "--dry-run")
    assert not ok
    for expected in (
        "Line 1: The row cannot be read: it is not JSON",
        "Line 2: The row cannot be read: it is not a JSON object",
        "Line 3, column gender: Enter text, not a list or an object",
        "Line 4, column surprise: This is not a column the import takes",
        "Line 5, column given_name: Remove the control characters",
        "Line 6, column record_type: Enter one of: person, concern, enquiry, conversation, outcome",
        "Line 7, column external_id: An external id has at most 100 characters",
    ):
        assert expected in output, output
    assert "Line 8" not in output


def test_the_import_runs_only_as_a_unit_lead(world):
    with pytest.raises(CommandError, match="active unit lead"):
        call_command(
            "import_cases",
            str(EXAMPLES / "import-example.csv"),
            "--source",
            "Mosaic",
            "--as",
            world.users["manager_north"].email,
            stdout=io.StringIO(),
        )
    assert not ImportedRecord.objects.exists()


def test_an_unknown_column_in_the_header_refuses_the_file(world, tmp_path):
    path = tmp_path / "extract.csv"
    path.write_text("record_type,external_id,gendre\nperson,P1,Female\n", encoding="utf-8")
    output, ok = run_import(path, world.users["unit_lead"])
    assert not ok and "gendre" in output


def _queries_to_import(tmp_path, user, *, people: int, prefix: str, cases: bool = True) -> tuple[int, int]:
    """Queries for a first and a second run of a fictional extract, in one batch."""
    from django.test.utils import CaptureQueriesContext

    from msp_cases.imports.example import write_example

    path = tmp_path / f"{prefix}.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        write_example(
            handle, file_format="csv", people=people, teams=["North Locality"], cases=cases, prefix=prefix
        )
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            output, ok = run_import(path, user, "--source", prefix)
        assert ok, output
        counts.append(len(queries))
    return counts[0], counts[1]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite splits a large insert by its limit on parameters"
)
def test_a_batch_costs_the_same_number_of_queries_however_many_rows_it_holds(world, tmp_path):
    """20 people (two with enquiries) or 40 (four): the same queries, first run and second."""
    lead = world.users["unit_lead"]
    _queries_to_import(tmp_path, lead, people=1, prefix="W")  # content types read once, then kept
    small = _queries_to_import(tmp_path, lead, people=20, prefix="A")
    large = _queries_to_import(tmp_path, lead, people=40, prefix="B")
    assert small == large


def test_a_restricted_person_is_seen_only_by_unit_leads_and_the_lead_practitioner_is_named(world, tmp_path):
    lead = world.users["unit_lead"]
    practitioner = world.users["practitioner_north"]
    rows = [
        person("P1", restricted="yes"),
        concern("C1", "P1", **decided()),
        enquiry("E1", "C1", lead_practitioner_email=practitioner.email.upper()),
        person("P2"),
        concern("C2", "P2", **decided()),
        enquiry("E2", "C2", lead_practitioner_email=world.users["practitioner_south"].email),
    ]
    output, ok = run_import(write_csv(tmp_path, rows), lead, "--dry-run")
    assert (
        "Line 7, column lead_practitioner_email: Enter the email of an active member of the concern's team"
        in (output)
    )
    del rows[3:]
    output, ok = run_import(write_csv(tmp_path, rows), lead)
    assert ok, output
    margaret = Person.objects.get(pk=ImportedRecord.objects.get(kind="person").object_id)
    assert margaret.is_restricted and list(margaret.restricted_to.all()) == [lead]
    enquiry_ = Enquiry.objects.get(person=margaret)
    assert enquiry_.lead_practitioner == practitioner
    assert enquiry_.enquiry_type == Enquiry.Type.SECTION_42
    url = reverse("enquiries:person_detail", args=[margaret.pk])
    assert status_for(world, url, "manager_north") == 404
    assert status_for(world, url, "unit_lead") == 200


def status_for(world, url, role) -> int:
    from django.test import Client

    client = Client()
    client.force_login(world.users[role])
    return client.get(url).status_code


def test_an_enquiry_closed_since_the_last_extract_is_closed_on_its_date(world, tmp_path):
    lead = world.users["unit_lead"]
    rows = [person("P1"), concern("C1", "P1", **decided()), enquiry("E1", "C1", status="in_progress")]
    run_import(write_csv(tmp_path, rows), lead)
    rows[2] |= CLOSED
    output, ok = run_import(write_csv(tmp_path, rows), lead)
    assert ok and "0 created, 1 updated, 2 unchanged" in output, output
    closed = Enquiry.objects.get(pk=ImportedRecord.objects.get(kind="enquiry").object_id)
    assert closed.status == Enquiry.Status.CLOSED
    assert [(event.kind, timezone.localdate(event.occurred_at)) for event in closed.events.all()] == [
        ("opened", datetime.date(2024, 6, 4)),
        ("closed", datetime.date(2024, 8, 1)),
    ]
    year = sac_return(
        scope=ReportScope(
            start=datetime.date(2024, 4, 1), end=datetime.date(2025, 3, 31), team_ids=(world.north.pk,)
        )
    )
    sg2c = year.table("SG2c")
    assert sum(sg2c.cell("Risk identified and action taken", column) for column in sg2c.columns) >= 1
