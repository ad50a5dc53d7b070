"""Page typesetting on matplotlib figures: A4 pages, wrapped paragraphs and tables that
flow over pages, in left-to-right and right-to-left scripts."""


from __future__ import annotations

import functools
import re

import numpy as np

from solarcoop.present.locales import catalog
from solarcoop.present.text import digits

PAGE_SIZE_IN = (11.69, 8.27)
"""A4 landscape [inches]."""


MARGIN = 0.05
"""Page margin [fraction of the page width]."""


ASSUMPTIONS_FONT_PT = 7.5


TABLE_FONT_PT = 9


CHART_DPI = 150


LINE_SPACING = 1.4


TABLE_TOP = 0.86


TABLE_BOTTOM = 0.07


CELL_PADDING_IN = 0.08


@functools.cache
def _renderer():
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(100, 100, 72)


@functools.cache
def _word_width_in(word: str, font_pt: float, bold: bool = False) -> float:
    """Width of one word as matplotlib lays it out [inches]."""
    from matplotlib.font_manager import FontProperties

    properties = FontProperties(size=font_pt, weight="bold" if bold else "normal")
    width, _, _ = _renderer().get_text_width_height_descent(word, properties, ismath=False)
    return width / 72


def text_width_in(text: str, font_pt: float, bold: bool = False) -> float:
    """Width of a line: its words' widths and the spaces between them, with 3 % to spare
    for kerning across words [inches]."""
    words = text.split(" ")
    space = _word_width_in("a a", font_pt, bold) - 2 * _word_width_in("a", font_pt, bold)
    return 1.03 * (sum(_word_width_in(word, font_pt, bold) for word in words) + space * (len(words) - 1))


def wrap(text: str, width_in: float, font_pt: float, bold: bool = False) -> list[str]:
    """Lines of ``text`` no wider than ``width_in`` at ``font_pt``, broken between words.

    A single word wider than the line is broken after a "/", "." or "_" if it has one,
    else between letters (the only case a word is cut).
    """
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if text_width_in(candidate, font_pt, bold) <= width_in:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            for piece in _word_pieces(word, width_in, font_pt, bold):
                candidate = f"{line}{piece}"
                if line and _word_width_in(candidate, font_pt, bold) > width_in:
                    lines.append(line)
                    candidate = piece
                line = candidate
        lines.append(line)
    return lines or [""]


def _word_pieces(word: str, width_in: float, font_pt: float, bold: bool) -> list[str]:
    if _word_width_in(word, font_pt, bold) <= width_in:
        return [word]
    pieces = re.findall(r"[^/._]+[/._]?|[/._]", word)
    if all(_word_width_in(piece, font_pt, bold) <= width_in for piece in pieces):
        return pieces
    return list(word)


def line_height_fraction(font_pt: float, page_height_in: float = PAGE_SIZE_IN[1]) -> float:
    """Height of one text line [fraction of the page]."""
    return font_pt * LINE_SPACING / 72 / page_height_in


def column_spans(widths) -> np.ndarray:
    return np.asarray(widths, dtype=float) / np.sum(widths) * (1 - 2 * MARGIN)


def _cell_width_in(span: float) -> float:
    return span * PAGE_SIZE_IN[0] - 2 * CELL_PADDING_IN


def wrap_row(row, spans, font_pt: float, bold: bool = False) -> list[list[str]]:
    return [
        wrap(cell, _cell_width_in(span), font_pt, bold) for cell, span in zip(row, spans, strict=True)
    ]


def _table_pages(header, rows, widths, font_pt: float) -> list[list]:
    """Wrap the rows' cells and split them into pages that fit under the header."""
    spans = column_spans(widths)
    header_lines = max(len(cell) for cell in wrap_row(header, spans, font_pt, True))
    available = int((TABLE_TOP - TABLE_BOTTOM) / line_height_fraction(font_pt)) - header_lines - 1
    pages, page, used = [], [], 0
    for group in rows:
        members = []
        for row in group if isinstance(group, Group) else [group]:
            style = "section" if isinstance(row, Section) else "row"
            cells = wrap_row(row, spans, font_pt, style == "section")
            members.append((style, cells, max(len(cell) for cell in cells) + (0.3 if style == "section" else 0.0)))
        if page and used + sum(height for *_, height in members) > available:
            pages.append(page)  # a group starts a new page rather than split
            page, used = [], 0
        for style, cells, height in members:
            if page and used + height > available:
                pages.append(page)
                page, used = [], 0
            page.append((style, cells))
            used += height
    return [*pages, page] if page else pages


class Section(list):
    """A table row that heads a group (drawn bold)."""


class Group(list):
    """Table rows kept on one page when they fit on one."""


def page_figure(title: str, lang: str, size=PAGE_SIZE_IN):
    from matplotlib.figure import Figure

    figure = Figure(figsize=size)
    right = lang == "fa"
    figure.text(
        1 - MARGIN if right else MARGIN, 0.95, title, fontsize=16, weight="bold",
        ha="right" if right else "left", va="top",
    )  # fmt: skip
    return figure


def draw_table(figure, header, page, widths, lang: str, font_pt: float, top=TABLE_TOP) -> float:
    """Draw one page of a table, columns right to left in Persian; returns the y below it."""
    from matplotlib.lines import Line2D

    line_height = line_height_fraction(font_pt, figure.get_figheight())
    spans = column_spans(widths)
    left_edges = MARGIN + np.concatenate([[0.0], np.cumsum(spans)[:-1]])
    padding = CELL_PADDING_IN / figure.get_figwidth()
    if lang == "fa":
        x = 1.0 - left_edges - padding
        anchor = "right"
    else:
        x = left_edges + padding
        anchor = "left"

    def draw_row(cells, y: float, **style) -> float:
        for column, lines in enumerate(cells):
            figure.text(
                x[column], y, "\n".join(lines), fontsize=font_pt, ha=anchor, va="top",
                linespacing=LINE_SPACING, **style,
            )  # fmt: skip
        return y - max(len(lines) for lines in cells) * line_height

    def rule(y: float, width: float = 0.6) -> None:
        figure.add_artist(
            Line2D([MARGIN, 1 - MARGIN], [y, y], transform=figure.transFigure, color="black",
                   linewidth=width)
        )  # fmt: skip

    header_cells = [wrap(cell, _cell_width_in(span), font_pt, True) for cell, span in zip(header, spans, strict=True)]
    y = draw_row(header_cells, top, weight="bold")
    rule(y + 0.1 * line_height)
    y -= 0.25 * line_height
    for style, cells in page:
        if style == "section":
            y -= 0.3 * line_height
            y = draw_row(cells, y, weight="bold")
        else:
            y = draw_row(cells, y)
    return y


def table_figures(title: str, header, rows, widths, lang: str, font_pt: float, note: str = ""):
    """``[(page title, draw())]`` for a table, as many pages as it needs."""
    pages = _table_pages(header, rows, widths, font_pt)
    words = catalog(lang)["report"]
    if len(pages) > 1:
        titles = [
            f"{title} "
            + digits(words["page_of"].format(page=number, pages=len(pages)), lang)
            for number in range(1, len(pages) + 1)
        ]
    else:
        titles = [title]

    def figure_for(page_title: str, page):
        figure = page_figure(page_title, lang)
        draw_table(figure, header, page, widths, lang, font_pt)
        if note:
            figure.text(
                1 - MARGIN if lang == "fa" else MARGIN, 0.03, note, fontsize=8,
                ha="right" if lang == "fa" else "left",
            )  # fmt: skip
        return figure

    return [
        (page_title, lambda page_title=page_title, page=page: figure_for(page_title, page))
        for page_title, page in zip(titles, pages, strict=True)
    ]


def _fill_lines(figure, x: float, y: float, lines: list[str], font_pt: float, lang: str, **style) -> float:
    figure.text(
        x, y, "\n".join(lines), fontsize=font_pt, ha="right" if lang == "fa" else "left",
        va="top", linespacing=LINE_SPACING, **style,
    )  # fmt: skip
    return y - len(lines) * line_height_fraction(font_pt, figure.get_figheight())


def paragraph(figure, y: float, text: str, font_pt: float, lang: str, width=None, **style) -> float:
    width_in = (1 - 2 * MARGIN) * figure.get_figwidth() if width is None else width
    x = 1 - MARGIN if lang == "fa" else MARGIN
    return _fill_lines(figure, x, y, wrap(text, width_in, font_pt, style.get("weight") == "bold"), font_pt, lang, **style)


def chart_figure(draw, size=PAGE_SIZE_IN):
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, layout="constrained")
    draw(figure.add_subplot())
    return figure
