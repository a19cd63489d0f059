"""README.md and docs/ tell a newcomer the truth: the commands, variables, accounts, files and SAC labels they
name exist.

A README that drifts from the code sends someone setting the service up down the wrong path; these tests fail
when a setting, a demo account, a make target, a file or a label the documentation mentions changes without
it. README.md is the front page (what it is, the two commands, the demo accounts, where to read on); each
page in docs/ owns one topic."""

import ast
import re
from pathlib import Path

import pytest

from msp_cases.accounts.demo import DEMO_USERS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
DOCS = ROOT / "docs"
PAGES = {path.name: path.read_text() for path in sorted(DOCS.glob("*.md"))}
# Everything a reader may follow: the front page and every page in docs/, keyed by path from the root.
ALL = {"README.md": README, **{f"docs/{name}": text for name, text in PAGES.items()}}
SETTINGS = ROOT / "msp_cases" / "settings"

# env("NAME"), env.bool("NAME", ...), env.db("NAME", ...), env.email_url("NAME", ...) and so on.
ENV_READ = re.compile(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"")
# Paths in backticks that the build or a run creates, so a fresh clone does not have them yet.
GENERATED = {".venv", "static/dist", "db.sqlite3", "media/", ".env", "test-artifacts/screenshots/"}


def section(text: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    assert match, f'no "## {title}" section'
    return match.group(1)


def page(name: str) -> str:
    assert name in PAGES, f"docs/{name} does not exist"
    return PAGES[name]


def configuration_rows() -> dict[str, list[str]]:
    rows = {}
    for line in page("configuration.md").splitlines():
        match = re.match(r"\| `([A-Z][A-Z0-9_]*)` \|", line)
        if match:
            rows[match.group(1)] = [cell.strip() for cell in line.strip("|").split(" | ")]
    return rows


def settings_env_names() -> set[str]:
    names = set()
    for path in SETTINGS.glob("*.py"):
        names |= set(ENV_READ.findall(path.read_text()))
    return names


def makefile_targets() -> set[str]:
    makefile = (ROOT / "Makefile").read_text()
    return set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.M))


def test_readme_opens_with_a_two_command_quick_start():
    lines = README.splitlines()
    assert lines[0].startswith("# ")
    # The title, one sentence, then the quick start.
    intro = README.split("\n## ", 1)[0].split("\n", 1)[1].strip()
    assert intro.count(". ") == 0 and intro.endswith(".")
    assert README.split("\n## ", 2)[1].startswith("Quick start\n")
    block = re.search(r"```sh\n(.*?)```", section(README, "Quick start"), flags=re.S).group(1)
    assert block.split("\n")[:-1] == ["make run", "make test"]
    assert {"run", "test", "test-fast"} <= makefile_targets()


def test_readme_is_a_front_page_that_leads_to_every_page_in_docs():
    assert len(README) < 8000, "README.md is the front page: move the topic to a page in docs/"
    linked = set(re.findall(r"\]\(docs/([\w.-]+\.md)\)", section(README, "Where to read on")))
    assert linked == set(PAGES), "every page in docs/ is listed under 'Where to read on', and only those"
    for name, text in PAGES.items():
        assert text.startswith("# "), f"docs/{name} starts with its title"


def test_links_between_the_pages_resolve():
    for where, text in ALL.items():
        base = (ROOT / where).parent
        for target in re.findall(r"\]\(([^)#:\s]+\.md)(?:#[^)]*)?\)", text):
            assert (base / target).exists(), f"{where} links to {target}, which does not exist"


def test_every_make_target_the_documentation_names_exists():
    named = set()
    for text in ALL.values():
        named |= set(re.findall(r"`make ([a-z][a-z-]*)", text))
        named |= {word for line in re.findall(r"`make ([a-z -]+)`", text) for word in line.split()}
    assert {"run", "test", "test-fast", "check-deploy"} <= named
    missing = sorted(named - makefile_targets())
    assert missing == [], f"the documentation names make targets the Makefile does not have: {missing}"


def test_configuration_table_lists_every_variable_the_settings_read():
    documented = set(configuration_rows())
    read = settings_env_names()
    assert sorted(read - documented) == [], (
        "read by msp_cases/settings but missing from docs/configuration.md"
    )
    # And nothing in the table is a variable the settings have stopped reading.
    assert sorted(documented - read - {"DJANGO_SETTINGS_MODULE"}) == []


def _documented_default(value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ",".join(value) if value else "empty"
    if value == "":
        return "empty"
    return str(value)


def test_configuration_defaults_match_the_settings():
    """The typed defaults at the top of base.py, as the table in docs/configuration.md shows them."""
    tree = ast.parse((SETTINGS / "base.py").read_text())
    schema = next(
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "environ.Env" and node.keywords
    )
    rows = configuration_rows()
    checked = 0
    for keyword in schema.keywords:
        default = ast.literal_eval(keyword.value.elts[1])  # NAME=(type, default)
        assert _documented_default(default) in rows[keyword.arg][1], keyword.arg
        checked += 1
    assert checked >= 10


def test_demo_accounts_table_matches_the_accounts_seed_demo_creates():
    table = section(README, "Demo accounts")
    emails = set(re.findall(r"^\| ([\w.]+@example\.org) ", table, flags=re.M))
    assert emails == {user.email for user in DEMO_USERS}
    for user in DEMO_USERS:
        row = next(line for line in table.splitlines() if f"| {user.email} " in line)
        assert user.full_name in row
        assert user.role in row
    default_password = re.search(r'DEMO_PASSWORD=\(str, "([^"]+)"\)', (SETTINGS / "base.py").read_text())
    assert f"`{default_password.group(1)}`" in table


def _pointed_to(text: str) -> set[str]:
    return {
        token
        for token in re.findall(r"`([\w.-]+(?:/[\w.-]+)*/?)`", text)
        if ("/" in token or "." in token)
        and not token.startswith(("http", "msp_cases.", "-"))
        and not re.fullmatch(r"[A-Z][a-z]+/[A-Z][a-z_]+", token)  # a time zone, not a path
        and not re.fullmatch(r"\d+/[smhd]", token)  # a rate (10/h), not a path
        and not re.fullmatch(r"(application|image|message|text)/[\w.+-]+", token)  # a media type
        and not token.startswith(".")  # a file name's extension
        and re.search(r"[/]|\.(py|sh|txt|toml|yml|json|md|js|sqlite3)$", token)
    }


def test_files_the_documentation_points_to_exist():
    """Paths in backticks, in README.md and every page of docs/, are paths from the repository's root."""
    missing = []
    for where, text in ALL.items():
        missing += [
            f"{where}: {path}" for path in sorted(_pointed_to(text) - GENERATED) if not (ROOT / path).exists()
        ]
    assert _pointed_to(page("access.md")) >= {"msp_cases/access.py"}
    assert _pointed_to(page("sac.md")) >= {"msp_cases/reports/sac/", "tests/reports/test_sac.py"}
    assert missing == [], f"the documentation points to files that do not exist: {missing}"


def _module_reference_resolves(dotted: str) -> bool:
    """`a.b.c` names the module a/b/c.py (or a package), or `c` defined at the top of a/b.py."""
    parts = dotted.split(".")
    path = ROOT.joinpath(*parts)
    if path.with_suffix(".py").exists() or (path / "__init__.py").exists():
        return True
    module = ROOT.joinpath(*parts[:-1])
    for source in (module.with_suffix(".py"), module / "__init__.py"):
        if source.exists():
            defined = rf"^(def|class) {parts[-1]}\b|^{parts[-1]}\b.*="
            return re.search(defined, source.read_text(), flags=re.M) is not None
    return False


def test_modules_and_functions_the_documentation_names_exist():
    """`msp_cases.audit.services.access_record` and the like: three parts or more, so a Celery task name
    (`enquiries.scan_drift`) or a permission (`enquiries.view_restricted_records`) is not taken for a
    module."""
    named = {
        (where, token)
        for where, text in ALL.items()
        for token in re.findall(r"`((?:msp_cases|enquiries|outcomes|feedback)(?:\.\w+){2,})`", text)
    }
    assert ("docs/access.md", "msp_cases.audit.services.access_record") in named
    missing = sorted(f"{where}: {token}" for where, token in named if not _module_reference_resolves(token))
    assert missing == [], f"the documentation names modules or functions that do not exist: {missing}"


def test_access_rule_summary_names_the_module_that_holds_it():
    from msp_cases import access

    summary = page("access.md").split("\n## ", 1)[0]
    assert summary.startswith("# Who may see a case record\n")
    assert "`msp_cases/access.py`" in summary
    # The summary's roles are the ones the module's docstring states the rule for.
    for role in ("practitioner", "manager", "unit", "restricted", "administrator"):
        assert role in summary.lower()
        assert role in access.__doc__.lower()


def test_no_page_cites_a_file_outside_the_repository():
    for where, text in ALL.items():
        assert "../shared" not in text and "/work/" not in text, where


@pytest.mark.django_db
def test_the_sac_page_states_every_table_and_label_the_return_shows():
    """docs/sac.md gives each table the product produces a heading, and each row and column label verbatim."""
    import datetime

    from msp_cases.reports.sac.returns import sac_return
    from msp_cases.reports.scope import ReportScope

    sac = page("sac.md")
    flat = " ".join(sac.split())  # a label or title may wrap at the end of a line
    figures = sac_return(
        scope=ReportScope(start=datetime.date(2025, 4, 1), end=datetime.date(2026, 3, 31), team_ids=())
    )
    produced = "SG1a SG1b SG1c SG1d SG1e SG1f SG2a SG2b SG2a_b1 SG2c SG2e SG3a SG4a SG5a SG5b"
    assert [t.id for t in figures.tables] == produced.split()
    for table in figures.tables:
        assert f"\n### {table.id} — " in sac, f"docs/sac.md has no heading for {table.id}"
        assert table.title in flat, table.title
        for label in (*table.rows, *table.columns):
            assert f"`{label}`" in flat, f"{table.id}: {label!r} is not in docs/sac.md"
