"""README.md tells a newcomer the truth: the commands, variables, accounts and files it names exist.

A README that drifts from the code sends someone setting the service up down the wrong path; these tests fail
when a setting, a demo account, a make target or a file it mentions changes without it."""

import ast
import re
from pathlib import Path

from msp_cases.accounts.demo import DEMO_USERS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
SETTINGS = ROOT / "msp_cases" / "settings"

# env("NAME"), env.bool("NAME", ...), env.db("NAME", ...), env.email_url("NAME", ...) and so on.
ENV_READ = re.compile(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"")
# Paths in backticks that the build or a run creates, so a fresh clone does not have them yet.
GENERATED = {".venv", "static/dist", "db.sqlite3", "media/", ".env"}


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, flags=re.M | re.S)
    assert match, f'README has no "## {title}" section'
    return match.group(1)


def configuration_rows() -> dict[str, list[str]]:
    rows = {}
    for line in section("Configuration").splitlines():
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
    block = re.search(r"```sh\n(.*?)```", section("Quick start"), flags=re.S).group(1)
    assert block.split("\n")[:-1] == ["make run", "make test"]
    assert {"run", "test", "test-fast"} <= makefile_targets()


def test_every_make_target_the_readme_names_exists():
    named = set(re.findall(r"`make ([a-z][a-z-]*)", README))
    named |= {word for line in re.findall(r"`make ([a-z -]+)`", README) for word in line.split()}
    assert named
    missing = sorted(named - makefile_targets())
    assert missing == [], f"README names make targets the Makefile does not have: {missing}"


def test_configuration_table_lists_every_variable_the_settings_read():
    documented = set(configuration_rows())
    read = settings_env_names()
    assert sorted(read - documented) == [], "read by msp_cases/settings but missing from the README table"
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
    """The typed defaults at the top of base.py, as the README table shows them."""
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
    table = section("Demo accounts")
    emails = set(re.findall(r"^\| ([\w.]+@example\.org) ", table, flags=re.M))
    assert emails == {user.email for user in DEMO_USERS}
    for user in DEMO_USERS:
        row = next(line for line in table.splitlines() if f"| {user.email} " in line)
        assert user.full_name in row
        assert user.role in row
    default_password = re.search(r'DEMO_PASSWORD=\(str, "([^"]+)"\)', (SETTINGS / "base.py").read_text())
    assert f"`{default_password.group(1)}`" in table


def test_files_the_readme_points_to_exist():
    paths = {
        token
        for token in re.findall(r"`([\w.-]+(?:/[\w.-]+)*/?)`", README)
        if ("/" in token or "." in token)
        and not token.startswith(("http", "msp_cases.", "-"))
        and not re.fullmatch(r"[A-Z][a-z]+/[A-Z][a-z_]+", token)  # a time zone, not a path
        and re.search(r"[/]|\.(py|sh|txt|toml|yml|json|md|js|sqlite3)$", token)
    }
    assert "msp_cases/access.py" in paths
    missing = sorted(path for path in paths - GENERATED if not (ROOT / path).exists())
    assert missing == [], f"README points to files that do not exist: {missing}"


def test_access_rule_summary_names_the_module_that_holds_it():
    from msp_cases import access

    summary = section("Who may see a case record")
    assert "`msp_cases/access.py`" in summary
    # The summary's roles are the ones the module's docstring states the rule for.
    for role in ("practitioner", "manager", "unit", "restricted", "administrator"):
        assert role in summary.lower()
        assert role in access.__doc__.lower()
