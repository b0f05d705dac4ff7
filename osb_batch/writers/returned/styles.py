"""styles.xml of a returned copy: a red clone of each marked cell's format, the notes sheet's styles."""

from __future__ import annotations

import re

from .marks import HEAD_FILL, RED, WARNING_COLOR
from .ooxml import TAG, Unsupported, element_prefix


class Styles:
    """styles.xml with a red fill and clones of the marked cells' formats appended."""

    def __init__(self, xml: str):
        self.xml = xml
        p = self.p = element_prefix(xml, "styleSheet")
        self.fonts = self._items("fonts", "font")
        self.fills = self._items("fills", "fill")
        self.xfs = self._items("cellXfs", "xf")
        if not self.fonts or not self.fills or not self.xfs:
            raise Unsupported("styles.xml without fonts, fills or cell formats")
        self.new = {"fonts": [], "fills": [], "cellXfs": []}
        self.clones: dict[int, int] = {}
        self.red_fill = self._add("fills", self._fill(RED))
        self.notes: dict[str, int] = {"": 0}
        plain = self.fonts[0]
        bold = self._font(plain, bold=True)
        head_fill = self._add("fills", self._fill(HEAD_FILL))
        top = f'<{p}alignment vertical="top"/>'
        self.notes["title"] = self._xf(font=self._font(plain, bold=True, size=14))
        self.notes["warning"] = self._xf(font=self._font(plain, bold=True, color=WARNING_COLOR))
        self.notes["head"] = self._xf(font=bold, fill=head_fill)
        self.notes["top"] = self._xf(alignment=top)
        self.notes["wrap"] = self._xf(alignment=f'<{p}alignment vertical="top" wrapText="1"/>')
        self.notes["error"] = self._xf(fill=self.red_fill, alignment=top)

    def _section(self, tag: str, xml: str = "") -> re.Match | None:
        p = re.escape(self.p)
        return re.search(rf"<{p}{tag}\b[^>]*?(?:/>|>(.*?)</{p}{tag}>)", xml or self.xml, re.S)

    def _items(self, tag: str, item: str) -> list[str]:
        m = self._section(tag)
        if not m:
            return []
        p = re.escape(self.p)
        return re.findall(rf"<{p}{item}\b[^>]*?/>|<{p}{item}\b[^>]*>.*?</{p}{item}>", m.group(1) or "", re.S)

    def _add(self, tag: str, xml: str) -> int:
        base = {"fonts": self.fonts, "fills": self.fills, "cellXfs": self.xfs}[tag]
        self.new[tag].append(xml)
        return len(base) + len(self.new[tag]) - 1

    def _fill(self, rgb: str) -> str:
        p = self.p
        return (f'<{p}fill><{p}patternFill patternType="solid"><{p}fgColor rgb="{rgb}"/>'
                f'<{p}bgColor rgb="{rgb}"/></{p}patternFill></{p}fill>')

    def _font(self, base: str, *, bold: bool = False, size: int = 0, color: str = "") -> int:
        """A copy of the workbook's default font (``base``), bold / resized / coloured."""
        p = re.escape(self.p)
        inner = re.sub(rf"^<{p}font\b[^>]*?/?>|</{p}font>$", "", base.strip())
        drop = ["b"] + (["sz"] if size else []) + (["color"] if color else [])
        for tag in drop:
            inner = re.sub(rf"<{p}{tag}\b[^>]*?(?:/>|>.*?</{p}{tag}>)", "", inner, flags=re.S)
        q = self.p
        inner = (f"<{q}b/>" if bold else "") + inner
        if size:
            inner += f'<{q}sz val="{size}"/>'
        if color:
            inner += f'<{q}color rgb="{color}"/>'
        return self._add("fonts", f"<{q}font>{inner}</{q}font>")

    def _xf(self, *, font: int = 0, fill: int = 0, alignment: str = "") -> int:
        p = self.p
        attrs = f'numFmtId="0" fontId="{font}" fillId="{fill}" borderId="0" xfId="0"'
        attrs += ' applyFont="1"' if font else ""
        attrs += ' applyFill="1"' if fill else ""
        if alignment:
            return self._add("cellXfs", f'<{p}xf {attrs} applyAlignment="1">{alignment}</{p}xf>')
        return self._add("cellXfs", f"<{p}xf {attrs}/>")

    def red(self, s: int) -> int:
        """The index of the cell format ``s`` with the red fill (appended on first use)."""
        if s not in self.clones:
            if not 0 <= s < len(self.xfs):
                raise Unsupported(f"a cell uses the undefined format {s}")
            m = re.match(rf"<{re.escape(self.p)}xf\b" + TAG.decode(), self.xfs[s])
            attrs = re.sub(r"""\s(?:fillId|applyFill)=["'][^"']*["']""", "", m.group(1))
            rest = self.xfs[s][m.end():]
            self.clones[s] = self._add("cellXfs", f'<{self.p}xf{attrs} fillId="{self.red_fill}" '
                                                  f'applyFill="1"{m.group(2)}>{rest}')
        return self.clones[s]

    def render(self) -> bytes:
        xml = self.xml
        p = self.p
        for tag, base in (("fonts", self.fonts), ("fills", self.fills), ("cellXfs", self.xfs)):
            added = self.new[tag]
            if not added:
                continue
            m = self._section(tag, xml)
            count = len(base) + len(added)
            opening = re.match(rf"<{re.escape(p)}{tag}\b[^>]*?(?=/?>)", m.group(0)).group(0)
            opening = re.sub(r"""\scount=["']\d*["']""", "", opening) + f' count="{count}"'
            body = (m.group(1) or "") + "".join(added)
            xml = xml[:m.start()] + f"{opening}>{body}</{p}{tag}>" + xml[m.end():]
        return xml.encode("utf-8")

