"""Text labels on a figure that never overlap: their boxes estimated from the text and the font
size, placed greedily, the most important first, and dropped where there is no room.

A label's box is measured in data units, so the estimate needs the scale of the narrowest plot
it will be drawn on (`px_per_unit`): boxes that do not overlap there do not overlap on a wider
plot either, where the same text covers fewer data units.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Average advance of a character of plotly's default font (Open Sans, Arial), as a fraction of
# the font size; bold is wider. Measured on chromium: 0.55-0.58 for mixed Dutch text.
CHAR_WIDTH = 0.6
BOLD_CHAR_WIDTH = 0.66
LINE_HEIGHT = 1.3
PADDING_PX = 2  # plotly's default annotation border pad and a hair of air
_TAG = re.compile(r"<[^>]+>")
_ENTITY = re.compile(r"&[#a-zA-Z0-9]+;")
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_BOLD = re.compile(r"<b>(.*?)</b>", re.IGNORECASE)


@dataclass(frozen=True)
class Box:
    """A rectangle in data units."""

    left: float
    bottom: float
    right: float
    top: float

    def overlaps(self, other: "Box") -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.bottom < other.top
            and other.bottom < self.top
        )

    def inside(self, other: "Box") -> bool:
        return (
            other.left <= self.left
            and self.right <= other.right
            and other.bottom <= self.bottom
            and self.top <= other.top
        )


@dataclass(frozen=True)
class Label:
    """A text at a point, anchored like a plotly annotation (`xanchor`, `yanchor`)."""

    text: str
    x: float
    y: float
    font_size: int = 12
    xanchor: str = "left"
    yanchor: str = "middle"

    def box(self, px_per_unit: float, px_per_unit_y: float | None = None) -> Box:
        """The rectangle the text covers, in data units, at `px_per_unit` pixels per unit
        (`px_per_unit_y` for the y axis when it has another scale)."""
        width_px, height_px = text_size_px(self.text, self.font_size)
        width = width_px / px_per_unit
        height = height_px / (px_per_unit if px_per_unit_y is None else px_per_unit_y)
        left = self.x - {"left": 0.0, "center": width / 2, "right": width}[self.xanchor]
        bottom = self.y - {"bottom": 0.0, "middle": height / 2, "top": height}[self.yanchor]
        return Box(left, bottom, left + width, bottom + height)


def text_size_px(text: str, font_size: float) -> tuple[float, float]:
    """The estimated width and height in pixels of a plotly text (`<br>` breaks lines, `<b>`
    makes it wider)."""
    lines = _LINE_BREAK.split(text)
    widest = 0.0
    for line in lines:
        bold = sum(_visible_length(part) for part in _BOLD.findall(line))
        plain = _visible_length(line) - bold
        widest = max(widest, font_size * (bold * BOLD_CHAR_WIDTH + plain * CHAR_WIDTH))
    return widest + 2 * PADDING_PX, len(lines) * font_size * LINE_HEIGHT + 2 * PADDING_PX


def _visible_length(markup: str) -> int:
    return len(_ENTITY.sub("x", _TAG.sub("", markup)))


def place_labels(
    candidates: Iterable[list[Label]],
    *,
    px_per_unit: float,
    px_per_unit_y: float | None = None,
    area: Box | None = None,
    taken: Iterable[Box] = (),
) -> list[Label]:
    """For each candidate (its possible placements, best first; candidates in order of
    importance) the first placement whose box overlaps no label placed before it and no `taken`
    box, and lies inside `area`; a candidate without such a placement is left out."""
    placed: list[Label] = []
    boxes = list(taken)
    for placements in candidates:
        for label in placements:
            box = label.box(px_per_unit, px_per_unit_y)
            if area is not None and not box.inside(area):
                continue
            if any(box.overlaps(other) for other in boxes):
                continue
            placed.append(label)
            boxes.append(box)
            break
    return placed


def around(text: str, x: float, y: float, *, offset: float, font_size: int = 12) -> list[Label]:
    """The placements of a marker's label: right of it, left of it, above it, below it."""
    return [
        Label(text, x + offset, y, font_size, "left", "middle"),
        Label(text, x - offset, y, font_size, "right", "middle"),
        Label(text, x, y + offset, font_size, "center", "bottom"),
        Label(text, x, y - offset, font_size, "center", "top"),
    ]


def overlapping_pairs(
    labels: list[Label], *, px_per_unit: float, px_per_unit_y: float | None = None
) -> list[tuple[str, str]]:
    """The texts of every two labels whose boxes overlap (a check for tests and benches)."""
    boxes = [label.box(px_per_unit, px_per_unit_y) for label in labels]
    return [
        (labels[i].text, labels[j].text)
        for i in range(len(labels))
        for j in range(i + 1, len(labels))
        if boxes[i].overlaps(boxes[j])
    ]


def annotation(label: Label, *, name: str, colour: str = "#222222", background: str = "") -> dict:
    """The plotly annotation that draws `label` (`name`: what kind of label, for tests)."""
    drawn = {
        "x": label.x,
        "y": label.y,
        "text": label.text,
        "xanchor": label.xanchor,
        "yanchor": label.yanchor,
        "showarrow": False,
        "font": {"size": label.font_size, "color": colour},
        "name": name,
    }
    if background:
        drawn["bgcolor"] = background
    return drawn


def labels_of(figure, *, name: str) -> list[Label]:
    """The labels a figure draws as annotations called `name` (the inverse of `annotation`)."""
    return [
        Label(
            text=a.text,
            x=a.x,
            y=a.y,
            font_size=a.font.size,
            xanchor=a.xanchor,
            yanchor=a.yanchor,
        )
        for a in figure.layout.annotations
        if a.name == name
    ]
