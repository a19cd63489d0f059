"""Reading a page's form as a browser would, so the scenario posts what the page offers (the CSRF token, the
version a change was loaded at, the choices on offer) rather than a hand-kept copy of each form's fields."""

import re
from html import unescape
from html.parser import HTMLParser

_ERROR = re.compile(r'class="govuk-error-summary__list".*?<a[^>]*>(.*?)</a>', re.S)
_ENQUIRY_LINK = re.compile(r'href="/enquiries/(\d+)/"')


class _PostForm(HTMLParser):
    """The fields of the page's POST forms: hidden and text values, checked or first radio options, checked
    checkboxes, textareas and selected options."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = {"action": a.get("action", ""), "fields": {}, "radios": {}, "checkboxes": {}}
            self.forms.append(self._form)
        form = self._form
        if form is None or "name" not in a:
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "radio":
                form["radios"].setdefault(name, []).append(a.get("value", ""))
                if "checked" in a:
                    form["fields"][name] = a.get("value", "")
            elif kind == "checkbox":
                form["checkboxes"].setdefault(name, []).append(a.get("value", ""))
                if "checked" in a:
                    form["fields"].setdefault(name, []).append(a.get("value", ""))
            elif kind not in ("submit", "button"):
                form["fields"][name] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            form["fields"][name] = ""
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and self._select not in form["fields"]:
            form["fields"][self._select] = a.get("value", "")

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def form_fields(html: str, must_have: str, **values) -> dict:
    """The POST form on the page that has the field `must_have`, filled as the page offers it: every radio
    question answered with its checked or first option, then `values` (a list for checkboxes) on top."""
    parser = _PostForm()
    parser.feed(html)
    for form in parser.forms:
        if must_have in form["fields"] or must_have in form["radios"] or must_have in form["checkboxes"]:
            fields = dict(form["fields"])
            for name, options in form["radios"].items():
                fields.setdefault(name, options[0])
            fields.update(values)
            return fields
    raise LookupError(f"no form with {must_have!r} on the page")


def first_error(html: str) -> str:
    match = _ERROR.search(html)
    return unescape(match.group(1)).strip() if match else "the form was shown again"


def enquiry_ids(html: str) -> list[int]:
    return sorted({int(pk) for pk in _ENQUIRY_LINK.findall(html)})
