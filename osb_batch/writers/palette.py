"""The colours every writer uses, named once: what a fill or a font colour means, not its hex.

Tones pair a light fill with a dark font of the same hue (Excel's own "Good", "Bad" and
"Neutral" cell styles), as xlsxwriter format properties to merge into a format. The openpyxl
and XML writers of returned copies take the same colours as ARGB (:func:`argb`).
"""

from __future__ import annotations

# tones: a fill and its font colour
RED_FILL, RED_FONT = "#FFC7CE", "#9C0006"          # errors, rejected, missed, overdue
AMBER_FILL, AMBER_FONT = "#FFEB9C", "#9C5700"      # warnings, waiting, to look at
GREEN_FILL, GREEN_FONT = "#C6EFCE", "#006100"      # done, approved, met
BLUE_FILL, BLUE_FONT = "#DDEBF7", "#1F4E78"        # information
ORANGE_FILL, ORANGE_FONT = "#F8CBAD", "#843C0C"    # long overdue; required template columns

RED = {"bg_color": RED_FILL, "font_color": RED_FONT}
AMBER = {"bg_color": AMBER_FILL, "font_color": AMBER_FONT}
GREEN = {"bg_color": GREEN_FILL, "font_color": GREEN_FONT}
BLUE = {"bg_color": BLUE_FILL, "font_color": BLUE_FONT}
ORANGE = {"bg_color": ORANGE_FILL, "font_color": ORANGE_FONT}

# headers and boxes
HEADER_FILL = "#D9E1F2"         # the header row of a list sheet
BOX_HEAD_FILL = "#D9D9D9"       # the header of a printed form's table (delivery note, statement)
GREY_FILL = "#E7E6E6"           # written by the batch, not to be changed; optional template columns
SUBTITLE_FILL = "#EDEDED"       # a subtitle row inside a table
SEPARATOR_LINE = "#8EA9DB"      # the line between groups of rows
BORDER_GREY = "#BFBFBF"         # thin cell borders of forms to fill
GRIDLINE_GREY = "#D9D9D9"       # chart gridlines

# cells for the recipient to fill
TO_FILL_FILL = "#FFF2CC"
TO_FILL_BORDER = "#BF8F00"
TO_FILL = {"bg_color": TO_FILL_FILL, "border": 1, "border_color": TO_FILL_BORDER}
DECISION_FILL = "#FFFF00"       # the one column a signer must fill

# text
HINT_FONT = "#7F6000"           # an italic hint next to the cells to fill
SMALL_FONT = "#595959"          # small print (page numbers on a form)
EXAMPLE_FONT = "#808080"        # example rows of a template

COMMENT_FILL = "#ffffe1"        # the box of a cell comment

# chart series
CHART_ACTUAL = "#2F5597"
CHART_TARGET = "#C00000"

TITLE = {"bold": True, "font_size": 14}
HEADER = {"bold": True, "bg_color": HEADER_FILL, "border": 1, "text_wrap": True, "valign": "vcenter"}


def argb(colour: str) -> str:
    """``#FFC7CE`` as openpyxl and the XML want it: ``FFFFC7CE`` (opaque)."""
    return "FF" + colour.lstrip("#").upper()
