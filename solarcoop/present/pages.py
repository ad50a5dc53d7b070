"""Pages of the PDF report and the family's statement, typeset by Typst.

The report and the statement build their content as plain data here, a
:class:`Document` of sections, each a title and a list of blocks (text, tables, charts),
and :meth:`Document.pdf` hands it to the Typst typesetter (the ``typst`` package, which
carries the whole engine) with the template ``templates/pages.typ`` and the Vazirmatn
font shipped in ``fonts/`` (SIL Open Font License, with the Persian and the Latin
letters). Typst shapes the Persian script, orders mixed Persian and Latin runs by the
Unicode bidirectional algorithm, lays right-to-left pages out from the right, breaks
lines, flows long tables over pages with their header repeated, and writes the table
of contents, the page numbers (in the language's digits) and the running header.

Why Typst: it is one wheel with no system library and no network, it shapes Persian
(HarfBuzz) and handles bidi itself, and it typesets a page in milliseconds. WeasyPrint
needs the Pango system libraries; ReportLab needs extra packages for bidi and shaping
and leaves the page layout to the caller.

Charts stay matplotlib: each is drawn once, as a PNG, and embedded. Every word comes from
the caller (the catalogs); this module holds none.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
from importlib import resources
from pathlib import Path

CHART_DPI = 150
"""Resolution of the charts, in the PNG files and the PDF [dots per inch]."""

CHART_PNG_LEVEL = 2
"""zlib compression level of the charts' PNG [-]: the charts are opaque, so they are
written as RGB without an alpha channel, at level 2 (of 0-9), which makes files as small
as matplotlib's own (RGBA at level 6) in about 0.6 of the time; Typst embeds an image
without an alpha channel faster too."""

CHART_SIZE_IN = (11, 6)
"""A chart page's chart [inches]: the size of the PNG files too."""

TABLE_FONT_PT = 8.5
"""Text size of the year-by-year tables [pt]."""

APPENDIX_FONT_PT = 6.5
"""Text size of the appendix tables [pt]."""

MUTED = "#555555"
GREEN = "#006400"
RED = "#b22222"


class Section(list):
    """A table row that heads a group of rows (set bold)."""


class Group(list):
    """Table rows kept on one page: the first row's first cell spans them all (the
    others' first cells are empty)."""


def text(words: str, size_pt: float = 10, *, bold: bool = False, fill: str | None = None, space_pt: float = 6) -> dict:
    """A paragraph: ``words`` at ``size_pt``, bold or not, in colour ``fill`` (hex), then
    ``space_pt`` of space."""
    return {"kind": "text", "text": str(words), "size": size_pt, "bold": bold, "fill": fill, "space": space_pt}


def footer(words: str, size_pt: float = 8) -> dict:
    """A note set at the bottom of the page."""
    return {"kind": "footer", "text": str(words), "size": size_pt}


def image(name: str, height_cm: float | None = None) -> dict:
    """A chart from the document's ``images[name]``: the page's width, or ``height_cm``
    high; without it, the rest of the page."""
    return {"kind": "image", "file": name, "height": height_cm}


def table(header, rows, widths, size_pt: float = TABLE_FONT_PT, *, note: str = "", columns=None) -> dict:
    """A table that flows over pages, its header repeated on each.

    Parameters
    ----------
    header : list of str
    rows : list of (list of str or Section or Group)
        Each row's cells, first column first (it is set on the right in a right-to-left
        language); a :class:`Group` is kept on one page.
    widths : list of float
        Relative column widths [-].
    size_pt : float
        Text size [pt].
    note : str
        A line under the table.
    columns : list of dict, optional
        Per column: ``size`` [pt], ``bold``, ``fill`` (hex), overriding the table's.
    """
    out = []
    for number, row in enumerate(rows):
        members = row if isinstance(row, Group) else [row]
        for position, member in enumerate(members):
            out.append({
                "cells": [str(cell) for cell in member],
                "section": isinstance(member, Section),
                "span": len(members) if isinstance(row, Group) and position == 0 else 1,
                "spanned": isinstance(row, Group) and position > 0,
                "group": number,
            })  # fmt: skip
    widths = [float(width) for width in widths]
    if len(widths) != len(header) or any(len(row["cells"]) != len(header) for row in out):
        raise ValueError(f"a table of {len(header)} columns was given {len(widths)} widths or a row of another length")
    return {
        "kind": "table", "header": [str(cell) for cell in header], "rows": out, "widths": widths,
        "size": size_pt, "note": note, "columns": columns,
    }  # fmt: skip


def columns(parts: list[list[dict]], widths) -> dict:
    """Blocks side by side: ``parts[i]`` in a column ``widths[i]`` wide (relative), the
    first at the start of the line (the right in a right-to-left language)."""
    return {"kind": "columns", "parts": [list(part) for part in parts], "widths": [float(w) for w in widths]}


def section(title: str, blocks: list[dict], heading: str | None = None) -> dict:
    """A part of the document on a new page: ``title`` in the table of contents,
    ``heading`` (default: the title) on the page."""
    return {"title": str(title), "heading": str(title if heading is None else heading), "blocks": list(blocks)}


@dataclasses.dataclass
class Document:
    """A document to typeset.

    Attributes
    ----------
    title : str
        The PDF's title.
    lang : {"en", "fa"}
        Persian is set right to left.
    sections : list of dict
        From :func:`section`, in order.
    landscape : bool
        A4 landscape (the report) or portrait (the statement).
    header : tuple of str, optional
        The running header's two ends (start, end); none without it.
    contents_title : str, optional
        With it, a table of contents after the first section.
    page_numbers : str, optional
        The digit one of the language ("1", "۱"): page numbers in its digits.
    images : dict of str to bytes
        The PNG charts the sections name.
    subject : str
        The PDF's subject.
    """

    title: str
    lang: str
    sections: list
    landscape: bool = True
    header: tuple | None = None
    contents_title: str | None = None
    page_numbers: str | None = None
    images: dict = dataclasses.field(default_factory=dict)
    subject: str = ""

    def words(self) -> str:
        """Every word and number the pages carry, in order, one block a line (the
        charts' words are in their images)."""
        lines = []
        for part in self.sections:
            lines.append(part["heading"])
            for block in part["blocks"]:
                if block["kind"] == "table":
                    lines.append(" ".join(block["header"]))
                    lines += [" ".join(row["cells"]) for row in block["rows"]]
                    lines.append(block["note"])
                elif block["kind"] == "columns":
                    inner = Document("", self.lang, [section("", [b for part in block["parts"] for b in part])])
                    lines.append(inner.words())
                elif block["kind"] != "image":
                    lines.append(block["text"])
        return "\n".join(line for line in lines if line)

    def pdf(self) -> bytes:
        """The typeset PDF."""
        import typst

        data = {
            "title": self.title, "lang": self.lang, "landscape": self.landscape,
            "header": list(self.header) if self.header else None,
            "contents_title": self.contents_title, "page_numbers": self.page_numbers,
            "sections": self.sections, "colors": {"muted": MUTED},
        }  # fmt: skip
        template = resources.files(__package__).joinpath("templates", "pages.typ").read_bytes()
        fonts = resources.files(__package__).joinpath("fonts")
        with tempfile.TemporaryDirectory() as folder, resources.as_file(fonts) as font_folder:
            root = Path(folder)
            (root / "document.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            for name, content in self.images.items():
                (root / name).write_bytes(content)
            main = root / "main.typ"
            main.write_bytes(template)
            return typst.compile(
                str(main), root=str(root), font_paths=[str(font_folder)], ignore_system_fonts=True,
                sys_inputs={"subject": self.subject},
            )  # fmt: skip

    def write(self, path) -> None:
        """Write the PDF to ``path``."""
        Path(path).write_bytes(self.pdf())


CHART_PAD_IN = 4 / 72
"""Space kept between a chart's outermost text and the figure's edge [inches]."""


def chart_png(draw, size=CHART_SIZE_IN, dpi: int = CHART_DPI, *, measured: bool = False) -> bytes:
    """A chart drawn by ``draw(ax)`` on a figure of ``size`` [inches] at ``dpi``, as PNG bytes.

    By default matplotlib's constrained layout places the axes. With ``measured``, a
    chart of one axes is placed by :func:`fit_axes` instead: its labels, title and legend
    are measured once and the axes fill the rest, which looks the same and takes about
    half the time to draw (constrained layout lays the whole figure out twice more).
    """
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, dpi=dpi, layout=None if measured else "constrained")
    ax = figure.add_subplot()
    draw(ax)
    if measured:
        if len(figure.axes) != 1:
            figure.set_layout_engine("constrained")  # a colour bar or an inset: let matplotlib place them
        else:
            fit_axes(ax)
    return png_bytes(figure, dpi)


def png_bytes(figure, dpi: int = CHART_DPI) -> bytes:
    """``figure`` drawn at ``dpi`` as an RGB PNG (compression :data:`CHART_PNG_LEVEL`),
    the dots per inch in the file. The figure's background must be opaque (matplotlib's
    default): the alpha channel is left out."""
    import io

    import numpy as np
    from PIL import Image

    raw = io.BytesIO()
    figure.savefig(raw, format="rgba", dpi=dpi)
    width, height = int(figure.get_figwidth() * dpi), int(figure.get_figheight() * dpi)  # as matplotlib's Agg sizes it
    pixels = np.frombuffer(raw.getbuffer(), dtype=np.uint8).reshape(height, width, 4)
    if pixels[..., 3].min() < 255:
        raise ValueError("a chart with a transparent background cannot be written without its alpha channel")
    image = Image.frombuffer("RGBA", (width, height), raw.getbuffer(), "raw", "RGBA", 0, 1).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="png", compress_level=CHART_PNG_LEVEL, dpi=(dpi, dpi))
    return out.getvalue()


def fit_axes(ax, pad_in: float = CHART_PAD_IN) -> None:
    """Place ``ax`` so that everything drawn around it (tick labels, axis labels, title,
    a legend outside it) fits in its figure with ``pad_in`` [inches] to spare.

    Measured as constrained layout measures (the titles' and axis labels' lengths along
    the axes left out: centred, they wrap within the figure, not the axes), once; then,
    with the axes in their new place, the titles alone (where a title wraps follows the
    axes' width), the y axis alone (its tick labels follow the axes' height: 0.2 steps on
    a tall axes, 0.25 on a low one) and the titles again. A margin only grows after the
    first look.

    Raises
    ------
    ValueError
        When the labels need more than the whole figure.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = ax.figure
    renderer = FigureCanvasAgg(figure).get_renderer()
    pad_px = pad_in * figure.dpi
    outer = ax.get_tightbbox(renderer, for_layout_only=True)  # places the titles too
    inner = ax.get_window_extent(renderer)
    # room [px] the words need beyond the axes on each side
    room = {"left": inner.x0 - outer.x0, "right": outer.x1 - inner.x1, "bottom": inner.y0 - outer.y0, "top": outer.y1 - inner.y1}
    _place(figure, room, pad_px)
    titles = [ax.title, ax._left_title, ax._right_title]  # noqa: SLF001  (matplotlib's own Axes attributes)
    for look in ("titles", "y axis", "titles"):
        inner = ax.get_window_extent(renderer)
        if look == "titles":
            for title in titles:
                if title.get_visible() and title.get_text():
                    room["top"] = max(room["top"], title.get_window_extent(renderer).y1 - inner.y1)
        else:
            y_axis = ax.yaxis.get_tightbbox(renderer, for_layout_only=True)
            if y_axis is not None:
                room["left"] = max(room["left"], inner.x0 - y_axis.x0)
                room["right"] = max(room["right"], y_axis.x1 - inner.x1)
        _place(figure, room, pad_px)


def _place(figure, room: dict, pad_px: float) -> None:
    """The figure's one axes placed with ``room`` [px] plus ``pad_px`` on each side."""
    width_px, height_px = figure.bbox.width, figure.bbox.height
    left = (room["left"] + pad_px) / width_px
    right = 1 - (room["right"] + pad_px) / width_px
    bottom = (room["bottom"] + pad_px) / height_px
    top = 1 - (room["top"] + pad_px) / height_px
    if not (left < right and bottom < top):
        raise ValueError(
            f"a chart's labels need more than its figure of {figure.get_figwidth():g} x {figure.get_figheight():g} in"
        )
    figure.subplots_adjust(left=left, right=right, bottom=bottom, top=top)


def made_at_once(jobs: dict, weights: dict | None = None) -> dict:
    """``{name: job()}`` for jobs that each make bytes (a chart's PNG, a workbook), run at
    once on this machine's cores.

    Where the system forks (Linux) and more than one core is free, the jobs are split
    into one share per core (the heaviest first, each to the lightest share, by
    ``weights``, default 1 a job), and each share runs in a forked child
    (:func:`solarcoop.studies.workers.run_shares`), which starts with this process's
    memory, so nothing is sent to it but the bytes that come back. Elsewhere they run
    here, one after the other. The bytes never depend on where a job ran.
    """
    from solarcoop.studies import workers

    names = list(jobs)
    cores = min(workers.available_cores(), len(names))
    if cores <= 1 or not workers.CAN_FORK:
        return {name: jobs[name]() for name in names}
    import matplotlib.backends.backend_agg  # noqa: F401  (loaded once here, not in every child)
    import matplotlib.figure  # noqa: F401

    weights = weights or {}
    shares, loads = [[] for _ in range(cores)], [0.0] * cores
    for name in sorted(names, key=lambda name: -weights.get(name, 1.0)):
        lightest = loads.index(min(loads))
        shares[lightest].append(name)
        loads[lightest] += weights.get(name, 1.0)
    made = workers.run_shares(lambda share: {name: jobs[name]() for name in share}, shares)
    out = {name: content for part in made for name, content in part.items()}
    return {name: out[name] for name in names}
