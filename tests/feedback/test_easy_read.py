"""The easy-read documents read as easy read (Mencap's guidance): a picture beside every question and every
answer, the three-face scale where the person is asked how they feel (its faces readable as words), type no
smaller than 14 point, the pictures credited, still tagged, and no last page left nearly empty.

Each document is checked blank and filled, as the export task renders it: the HTML it is made from (for the
pictures) and the PDF (for what a reader gets). The pictures are OpenMoji's own files, unchanged."""

import datetime
import filecmp
import re
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from enquiries.models import ConversationLog, PlanAction
from feedback.models import (
    PART2_QUESTIONS,
    AnsweredBy,
    CompletedBy,
    ExperienceAnswer,
    InformedBy,
    Involvement,
)
from feedback.pdf import blank_form_html, experience_context, safeguarding_plan_context
from msp_cases.core import pictures
from msp_cases.core.pdf import html_to_pdf
from msp_cases.letters.models import LetterTemplate
from msp_cases.letters.pdf import letter_context
from msp_cases.letters.placeholders import fill
from msp_cases.letters.selectors import letter_values
from tests.feedback.factories_feedback import Part1Factory, Part2Factory
from tests.outcomes.factories_outcomes import DesiredOutcomeFactory

pytestmark = pytest.mark.django_db

DOCUMENTS = [
    "blank_part1",
    "blank_part2",
    "part1",
    "part2",
    "part2_not_asked",
    "safeguarding_plan",
    "letter_easy_read",  # a letter made from an easy-read template (msp_cases.letters)
]
MM = 72 / 25.4  # points in a millimetre


# Making each document ---------------------------------------------------------------------------------------


def _fill_plan(enquiry) -> None:
    lead = enquiry.lead_practitioner
    ConversationLog.objects.create(
        person=enquiry.person,
        enquiry=enquiry,
        occurred_at=timezone.now() - datetime.timedelta(days=2),
        recorded_by=lead,
        with_person=True,
        method="face_to_face",
        what_matters="Seeing my grandson on Sundays and keeping my dog Rex",
        next_contact_on=timezone.localdate() + datetime.timedelta(days=5),
        next_contact_how="A visit at home in the morning",
    )
    DesiredOutcomeFactory(enquiry=enquiry, words="To keep control of my own money", priority=1)
    DesiredOutcomeFactory(enquiry=enquiry, words="To stay living in my own home", priority=2)
    for n, what in enumerate(["Call the bank with her to stop the card", "Ask the GP about a carer"]):
        PlanAction.objects.create(
            enquiry=enquiry,
            what=what,
            who="Priya Shah",
            due_on=timezone.localdate() + datetime.timedelta(days=7 + n),
            agreed_with_person=True,
            created_by=lead,
        )


def make_html(key: str, world) -> str:
    """The HTML the PDF is made from, with what the export adds (who generated it and when)."""
    if key.startswith("blank_"):
        return blank_form_html(key.removeprefix("blank_"))
    enquiry = world.cases["north"][2]
    user = enquiry.lead_practitioner
    generated = {"generated_by": user.full_name, "generated_at": timezone.localtime()}
    if key == "letter_easy_read":
        _fill_plan(enquiry)
        template = LetterTemplate.objects.get(
            purpose=LetterTemplate.Purpose.AFTER_FIRST_CONVERSATION, format=LetterTemplate.Format.EASY_READ
        )
        values = letter_values(user=user, enquiry=enquiry)
        context = letter_context(
            heading=fill(template.heading, values),
            text=fill(template.body, values),
            recipient_name=values["person_name"],
            recipient_address="1 Station Road\nNorthtown",
            team_name=enquiry.team.name,
            easy_read=True,
        )
        return render_to_string("letters/pdf/letter.html", context)
    if key == "safeguarding_plan":
        _fill_plan(enquiry)
        context = safeguarding_plan_context(user=user, enquiry=enquiry)
        return render_to_string(
            "feedback/pdf/safeguarding_plan.html", {**context, **generated, "today": timezone.localdate()}
        )
    if key == "part1":
        Part1Factory(
            enquiry=enquiry,
            involvement=["attend_meetings", "advocate"],
            informed_by=["letter", "easy_read"],
            who_involved="My daughter Sam",
            who_not_told="My neighbour",
            communication_support="Large print, and more time",
            completed_by="with_support",
        )
    elif key == "part2":
        Part2Factory(
            enquiry=enquiry,
            listened="yes_completely",
            listened_comment="They came back when they said",
            informed="yes_partly",
            safer="no",
            concerns_dealt_with="dont_know",
            questions_since="Will the bank write to me?",
            reflections="It helped to talk",
        )
    else:
        Part2Factory(enquiry=enquiry, approached=False, not_approached_reason="danger")
    part = "1" if key == "part1" else "2"
    context = experience_context(user=user, enquiry=enquiry, part=part)
    return render_to_string(f"feedback/pdf/part{part}.html", {**context, **generated})


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory) -> Path:
    """The PDFs are kept here for a person to look at (pytest --basetemp=DIR keeps them in DIR)."""
    return tmp_path_factory.mktemp("easy_read")


@pytest.fixture(params=DOCUMENTS)
def document(request, world, out_dir):
    html = make_html(request.param, world)
    content = html_to_pdf(html, base_url=str(settings.BASE_DIR))
    (out_dir / f"{request.param}.pdf").write_bytes(content)
    (out_dir / f"{request.param}.html").write_text(html)
    return request.param, html, content


# Reading them back -----------------------------------------------------------------------------------------


class Element:
    def __init__(self, tag: str, attrs: dict, parent):
        self.tag, self.attrs, self.parent, self.children, self.text = tag, attrs, parent, [], ""

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def words(self) -> str:
        return " ".join((self.text + " " + " ".join(c.words() for c in self.children)).split())


class Tree(HTMLParser):
    VOID = {"br", "img", "meta", "link", "hr", "input"}

    def __init__(self, html: str):
        super().__init__()
        self.root = self.current = Element("root", {}, None)
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), self.current)
        self.current.children.append(element)
        if tag not in self.VOID:
            self.current = element

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.text += data


def picture_file(element: Element) -> Path | None:
    """The picture file beside an element: its background (decoration) or, for an <img>, its source."""
    if element.tag == "img":
        address = element.attrs.get("src", "")
    else:
        found = re.search(r"url\('([^']+)'\)", element.attrs.get("style", ""))
        address = found.group(1) if found else ""
    if not address:
        return None
    return Path(unquote(urlparse(address).path))


def pdf_words_with_sizes(content: bytes) -> list[tuple[int, str, float, float]]:
    """(page, word, top, height in points) of every word the PDF shows, from pdftotext's boxes."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    words, page = [], 0
    for line in out.splitlines():
        if "<page " in line:
            page += 1
        found = re.search(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*)</word>', line)
        if found:
            top, bottom = float(found.group(1)), float(found.group(2))
            words.append((page, found.group(3), top, bottom - top))
    return words


def pdf_objects(content: bytes) -> bytes:
    """The PDF with its compressed streams opened (alternative texts live in compressed object streams)."""
    parts = [content]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(parts)


# The pictures ----------------------------------------------------------------------------------------------


def test_every_answer_and_question_the_forms_show_has_a_picture_chosen_by_meaning():
    for field, choices in [
        ("involvement", Involvement),
        ("informed", InformedBy),
        ("completed_by", CompletedBy),
        ("answered_by", AnsweredBy),
        ("answers", ExperienceAnswer),
    ]:
        assert set(pictures.CHOICES[field]) == set(choices.values), field
    assert set(pictures.CHOICES["part2_questions"]) == {name for name, _question in PART2_QUESTIONS}
    meanings = {meaning for chosen in pictures.CHOICES.values() for meaning in chosen.values()}
    meanings |= {face.meaning for face in pictures.FACES.values()}
    meanings |= {meaning for _words, meaning in pictures.WORDS}
    assert meanings <= set(pictures.MEANINGS)
    # The three faces, best first, for the three answers that say how the person feels.
    assert [face.words for face in pictures.FACES.values()] == ["Happy face", "In-between face", "Sad face"]


def test_the_pictures_are_openmojis_own_files_with_its_licence_beside_them():
    folder = Path(settings.BASE_DIR) / pictures.FOLDER
    kept = {path.stem for path in folder.glob("*.svg")}
    assert kept == pictures.used_codes()  # each picture used, and no other
    licence = (folder / "LICENSE.txt").read_text()
    assert "Creative Commons Attribution-ShareAlike 4.0" in licence or "CC BY-SA 4.0" in licence
    installed = Path(settings.BASE_DIR) / "node_modules" / "openmoji" / "color" / "svg"
    if not installed.exists():
        pytest.skip("OpenMoji is not installed from npm here: npm ci")
    for code in kept:  # unchanged from the npm package: `manage.py vendor_pictures` copies them
        assert filecmp.cmp(folder / f"{code}.svg", installed / f"{code}.svg", shallow=False), code


@pytest.mark.parametrize(
    "words, meaning",
    [
        ("If you feel unsafe now, call 999.", "emergency"),
        ("Dear Sam,", "person"),
        ("We will talk to you again on Monday.", "talking"),
        ("Is something wrong?\nPlease tell us.", "question"),
        ("You can ask someone you trust to read this letter with you.", "helper"),
        ("1 Station Road", None),
    ],
)
def test_a_paragraph_of_an_easy_read_letter_gets_the_picture_its_words_mean(words, meaning):
    assert pictures.meaning_for_words(words) == meaning


# Each document ---------------------------------------------------------------------------------------------


def test_each_question_and_each_answer_has_a_picture_beside_it(document):
    key, html, _content = document
    tree = Tree(html).root
    if key == "letter_easy_read":
        # Each paragraph of the letter has the picture its words call for; none is left without one.
        said = [e for e in tree.iter() if e.tag == "div" and "said" in e.classes]
        paragraphs = [e for e in said[0].iter() if e.tag == "p"]
        assert len(paragraphs) >= 8
        for p in paragraphs:
            assert picture_file(p) == Path(settings.BASE_DIR) / pictures.picture_path(
                pictures.meaning_for_words(p.words())
            ), p.words()
            assert picture_file(p).exists()
        return
    questions = [e for e in tree.iter() if e.tag == "div" and "question" in e.classes]
    assert len(questions) >= (1 if key == "part2_not_asked" else 4)
    for question in questions:
        (heading,) = [e for e in question.iter() if e.tag == "h2"]
        assert "pic" in heading.classes, heading.words()
        assert picture_file(heading).exists(), heading.words()
    answers = [e for e in tree.iter() if {"option", "scale-option"} & e.classes]
    if key in ("blank_part1", "blank_part2", "part1", "part2"):
        assert len(answers) >= 12
    for answer in answers:
        beside = [e for e in answer.iter() if "pic" in e.classes or "face" in e.classes]
        assert len(beside) == 1, answer.words()
        assert picture_file(beside[0]).exists(), answer.words()
    # Every paragraph of the introduction has its picture too.
    for paragraph in (e for e in tree.iter() if e.tag == "div" and "intro" in e.classes):
        for p in paragraph.children:
            if p.tag == "p" and not p.words().startswith("Dear"):
                assert "pic" in p.classes and picture_file(p).exists(), p.words()


def test_each_pdf_is_tagged_credits_the_pictures_and_ends_on_a_page_worth_printing(document):
    _key, _html, content = document
    info = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True).stdout.decode()
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    words = pdf_words_with_sizes(content)
    pages = max(page for page, *_ in words)
    text = " ".join(word for _page, word, *_rest in words)
    assert "Pictures: OpenMoji, CC BY-SA 4.0" in text
    # The credit is on the last page, and is not all there is on it: the last page has some of the document.
    body = [w for page, w, top, _h in words if page == pages and 24 * MM < top < (297 - 24) * MM]
    assert " ".join(body).endswith("Pictures: OpenMoji, CC BY-SA 4.0")
    assert len(body) >= 15, body


def test_nothing_in_the_body_of_the_page_is_smaller_than_14_point(document):
    """Measured on the PDF: a word's box is about 1.1 times its type size in Liberation Sans or Arial. The
    marking, running title, page number and "generated by" sit in the page margins, outside the body."""
    _key, html, content = document
    body = [(w, h) for _page, w, top, h in pdf_words_with_sizes(content) if 24 * MM < top < (297 - 24) * MM]
    assert body
    small = [(w, round(h / 1.1, 1)) for w, h in body if h < 14 * 1.1]
    assert small == []
    # And the stylesheet says 16 point for the text, nothing under 14 point past the shared page layout.
    easy_read_css = html.split("</style>", 1)[1]
    assert re.search(r"body \{ font-size: 16pt;", easy_read_css)
    sizes = [float(size) for size in re.findall(r"font-size: ([\d.]+)pt", easy_read_css)]
    assert sizes and min(sizes) >= 14


def test_the_face_scale_is_there_where_the_person_is_asked_how_they_feel(document):
    key, html, content = document
    tree = Tree(html).root
    faces = [e for e in tree.iter() if e.tag == "img" and "face" in e.classes]
    objects = pdf_objects(content)
    if key in ("blank_part2", "part2"):
        # The four questions, each with three faces, and the faces keep their words in the tagged PDF.
        assert [e.attrs["alt"] for e in faces] == ["Happy face", "In-between face", "Sad face"] * 4
        for words in ("Happy face", "In-between face", "Sad face"):
            assert f"/Alt ({words})".encode() in objects
    else:
        assert faces == []


def test_a_filled_part2_ticks_the_answer_given_beside_its_face(world, out_dir):
    html = make_html("part2", world)
    tree = Tree(html).root
    chosen = [e for e in tree.iter() if "scale-option" in e.classes and "chosen" in e.classes]
    ticked = [
        (e.words().replace("X", "").strip(), [f.attrs.get("alt") for f in e.iter() if f.tag == "img"])
        for e in chosen
        if any(b.words() == "X" for b in e.iter() if "box" in b.classes)
    ]
    assert ticked == [
        ("Yes, completely", ["Happy face"]),  # listened
        ("Yes, partly", ["In-between face"]),  # informed
        ("No", ["Sad face"]),  # safer
        ("Don't know", []),  # concerns dealt with: off the scale, a decorative picture
    ]
    # One box ticked for each question, none elsewhere on the scale.
    boxes = [b for e in tree.iter() if "scale-option" in e.classes for b in e.iter() if "box" in b.classes]
    assert [b.words() for b in boxes].count("X") == 4


def test_a_long_plan_runs_on_between_actions_with_no_heading_left_alone(world, out_dir):
    enquiry = world.cases["north"][2]
    for n in range(10):
        PlanAction.objects.create(
            enquiry=enquiry,
            what=f"Step {n}: ring the bank and the GP surgery with her",
            who="Priya Shah",
            due_on=timezone.localdate() + datetime.timedelta(days=n),
            agreed_with_person=True,
            created_by=enquiry.lead_practitioner,
        )
    content = html_to_pdf(make_html("safeguarding_plan", world), base_url=str(settings.BASE_DIR))
    (out_dir / "safeguarding_plan_long.pdf").write_bytes(content)
    words = pdf_words_with_sizes(content)
    pages = {page: " ".join(w for p, w, *_ in words if p == page) for page in {p for p, *_ in words}}
    # The heading is on the page where the actions start, and every action is whole on one page.
    (start,) = [page for page, text in pages.items() if "What we agreed" in text]
    assert "What we agreed Step 0: ring the bank and the GP surgery with her Who: Priya Shah" in pages[start]
    for n in range(10):
        assert (
            sum(f"Step {n}: ring the bank and the GP surgery with her" in t for t in pages.values()) == 1
        ), n
    # No page is left with a heading alone at its foot.
    for page, text in pages.items():
        for heading in ("What we agreed", "When we will talk to you next", "Who to contact"):
            assert not text.endswith(heading), page
