"""Every permission the code asks for is named once, in msp_cases/accounts/roles.py: a mistyped permission
string is a check that silently says no, so no module spells one out itself."""

import ast
from pathlib import Path

import pytest
import rules
from django.contrib.auth.models import Permission

from msp_cases.accounts import roles

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
APPS = ("msp_cases", "enquiries", "outcomes", "feedback")
PERMISSION_CALLS = {"has_perm", "has_perms", "permission_required", "add_perm", "with_perm"}


def _permission_names() -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or path == ROOT / "msp_cases/accounts/roles.py":
                continue
            yield path


def _literal_permissions(tree: ast.AST, known: set[str]):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            first = node.args[0] if node.args else None
            if name in PERMISSION_CALLS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield node.lineno, first.value
        elif isinstance(node, ast.Assign) and getattr(node.value, "value", None) in known:
            yield node.lineno, node.value.value


def test_no_module_spells_out_a_permission_name():
    known = _permission_names() | set(rules.permissions.permissions)
    found = [
        f"{path.relative_to(ROOT)}:{line}: {value}"
        for path in _sources()
        for line, value in _literal_permissions(ast.parse(path.read_text()), known)
    ]
    assert found == []


def test_every_name_in_roles_is_a_permission_that_exists():
    known = _permission_names() | set(rules.permissions.permissions)
    names = {
        name: value
        for name, value in vars(roles).items()
        if name.isupper() and isinstance(value, str) and "." in value
    }
    assert {"SIGN_OFF", "ALLOCATE", "EDIT_CASE", "VIEW_ALL_CASES", "VIEW_RESTRICTED"} <= set(names)
    assert {name: value for name, value in names.items() if value not in known} == {}
