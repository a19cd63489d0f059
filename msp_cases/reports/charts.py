"""Charts as server-rendered inline SVG (templates/reports/_chart_bar.html): no JavaScript library, nothing
to load, readable without CSS. Each chart is drawn with SVG presentation attributes (fill, stroke: allowed by
the Content Security Policy, unlike inline styles); the `.app-chart…` classes let the stylesheet recolour it
for high contrast. Every chart has a title read by screen readers and stands beside a table of its figures.

Geometry is worked out here, as strings, so the template only places what it is given."""

from dataclasses import dataclass

# GOV.UK colours: bars in blue (5.2:1 on white), text in black; a missing value is drawn as text only.
BAR_FILL = "#1d70b8"
TEXT_FILL = "#0b0c0c"
AXIS_STROKE = "#505a5f"

BAR_SPAN = 320  # the longest bar
VALUE_WIDTH = 90
# Labels at 16px Arial average under 8.5px a character: the label column fits the longest label.
FONT_SIZE = 16
CHAR_WIDTH = 8.5
LABEL_MIN, LABEL_MAX = 100, 420
ROW_HEIGHT = 32
BAR_HEIGHT = 20
TOP = 8


@dataclass(frozen=True)
class Bar:
    label: str
    display: str
    width: str  # of the bar, in SVG units
    y: str  # the bar's top
    text_y: str  # the baseline of its label and value
    value_x: str


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    bars: list[Bar]
    width: int
    height: int
    bar_x: int
    label_x: int
    axis_bottom: int
    font_size: int = FONT_SIZE
    bar_height: int = BAR_HEIGHT
    bar_fill: str = BAR_FILL
    text_fill: str = TEXT_FILL
    axis_stroke: str = AXIS_STROKE


def _fmt(x: float) -> str:
    return f"{x:.1f}"


def bar_chart(
    *, id: str, title: str, rows: list[tuple[str, float | None, str]], maximum: float | None = None
) -> BarChart:
    """A horizontal bar chart: one bar per (label, value, what to print beside it). `maximum` fixes the scale
    (100 for percentages); otherwise the largest value fills the width. A value of None ("No data") has no
    bar, only its text."""
    values = [v for _, v, _ in rows if v is not None]
    top = maximum if maximum is not None else max(values, default=0)
    span = BAR_SPAN
    longest = max((len(label) for label, _, _ in rows), default=0)
    label_width = int(min(max(longest * CHAR_WIDTH + 16, LABEL_MIN), LABEL_MAX))
    bars = []
    for i, (label, value, display) in enumerate(rows):
        length = 0.0 if not value or not top else span * min(value, top) / top
        y = TOP + i * ROW_HEIGHT
        bars.append(
            Bar(
                label=label,
                display=display,
                width=_fmt(length),
                y=_fmt(y + (ROW_HEIGHT - BAR_HEIGHT) / 2),
                text_y=_fmt(y + ROW_HEIGHT / 2 + FONT_SIZE * 0.35),
                value_x=_fmt(label_width + length + 6),
            )
        )
    height = TOP * 2 + ROW_HEIGHT * len(rows)
    described = "; ".join(f"{label}: {display}" for label, _, display in rows)
    return BarChart(
        id=id,
        title=title,
        description=described,
        bars=bars,
        width=label_width + BAR_SPAN + VALUE_WIDTH,
        height=height,
        bar_x=label_width,
        label_x=label_width - 8,
        axis_bottom=height - TOP,
    )


def chart_from_table(
    *, id: str, title: str, table, column: int, maximum: float | None = None, skip_total=True
):
    """A bar per row of one column of a measures Table (its cells' values and displays)."""
    rows = [
        (label, cells[column].value, cells[column].display)
        for label, cells in table.rows
        if not (skip_total and label == "Total")
    ]
    return bar_chart(id=id, title=title, rows=rows, maximum=maximum)
