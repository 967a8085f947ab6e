#!/usr/bin/python3
"""Renders the text of `tmux capture-pane -e -p` (SGR colour sequences) into a
PNG, one terminal cell at a time, as a terminal draws it.

    ansi2png.py WIDTH HEIGHT CAPTURE.txt OUT.png

Each character is drawn at its column with its colours; a wide (East Asian)
glyph covers two cells, a combining mark none, as wcwidth(3) of the C.UTF-8
locale says (the same function the CRM uses to lay out its screen). Glyphs come
from the first font that has them: DejaVu Sans Mono (Latin, Cyrillic, Arabic
script, box drawing), then DejaVu Sans, then WenQuanYi Micro Hei Mono (CJK).
Like most terminals, Arabic-script letters are shown one per cell, unjoined.
Needs Pillow (Debian: python3-pil) and fonts-dejavu-core, fonts-wqy-microhei.
"""
import ctypes
import ctypes.util
import re
import sys

from PIL import Image, ImageDraw, ImageFont

FONT_SIZE = 15
FONTS = {
    False: ["/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
            "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"],
    True: ["/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf",
           "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
           "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"],
}
DEFAULT_FG = (208, 208, 208)
DEFAULT_BG = (28, 28, 28)

# The terminal's 16 colours (xterm's), then the 6x6x6 cube and the grey ramp.
BASE16 = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
          (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
          (255, 0, 255), (0, 255, 255), (255, 255, 255)]


def palette(n):
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return (v, v, v)


libc = ctypes.CDLL(ctypes.util.find_library("c"))
libc.setlocale.restype = ctypes.c_char_p
libc.setlocale(6, b"C.UTF-8")  # LC_ALL
libc.wcwidth.argtypes = [ctypes.c_wchar]


def width(ch):
    w = libc.wcwidth(ch)
    return 1 if w < 0 else w


class Style:
    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = None
        self.bg = None
        self.bold = self.dim = self.italic = self.underline = self.reverse = False

    def copy(self):
        s = Style()
        s.__dict__.update(self.__dict__)
        return s

    def apply(self, params):
        p = [int(x) if x else 0 for x in params.split(";")] if params else [0]
        i = 0
        while i < len(p):
            c = p[i]
            if c == 0:
                self.reset()
            elif c == 1:
                self.bold = True
            elif c == 2:
                self.dim = True
            elif c == 3:
                self.italic = True
            elif c == 4:
                self.underline = True
            elif c == 7:
                self.reverse = True
            elif c == 22:
                self.bold = self.dim = False
            elif c == 23:
                self.italic = False
            elif c == 24:
                self.underline = False
            elif c == 27:
                self.reverse = False
            elif 30 <= c <= 37:
                self.fg = palette(c - 30)
            elif 90 <= c <= 97:
                self.fg = palette(c - 90 + 8)
            elif 40 <= c <= 47:
                self.bg = palette(c - 40)
            elif 100 <= c <= 107:
                self.bg = palette(c - 100 + 8)
            elif c == 39:
                self.fg = None
            elif c == 49:
                self.bg = None
            elif c in (38, 48) and i + 1 < len(p):
                if p[i + 1] == 5 and i + 2 < len(p):
                    colour = palette(p[i + 2])
                    i += 2
                elif p[i + 1] == 2 and i + 4 < len(p):
                    colour = tuple(p[i + 2:i + 5])
                    i += 4
                else:
                    colour = None
                    i += 1
                if c == 38:
                    self.fg = colour
                else:
                    self.bg = colour
            i += 1

    def colours(self):
        fg = self.fg or DEFAULT_FG
        bg = self.bg or DEFAULT_BG
        if self.bold and self.fg in BASE16[:8]:
            fg = BASE16[BASE16.index(self.fg) + 8]  # bold brightens, as xterm does
        if self.reverse:
            fg, bg = bg, fg
        if self.dim:
            fg = tuple((a + b) // 2 for a, b in zip(fg, bg))
        return fg, bg


SGR = re.compile(r"\x1b\[([0-9;]*)m|\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]|\x1b.")


def parse(text, cols, rows):
    """The screen as rows of cells: (char, width, style) or None for the right half of a wide glyph."""
    grid = []
    style = Style()
    for line in text.split("\n")[:rows]:
        row = []
        pos = 0
        for m in SGR.finditer(line):
            for ch in line[pos:m.start()]:
                add(row, ch, style)
            if m.group(1) is not None:
                style.apply(m.group(1))
            pos = m.end()
        for ch in line[pos:]:
            add(row, ch, style)
        # What capture-pane leaves off at the end of a line has the line's last style.
        while len(row) < cols:
            row.append((" ", 1, style.copy() if style.bg else Style()))
        grid.append(row[:cols])
    while len(grid) < rows:
        grid.append([(" ", 1, Style())] * cols)
    return grid


def add(row, ch, style):
    w = width(ch)
    if w == 0 and row:
        # A combining mark: joins the glyph of the cell before.
        i = len(row) - 1
        while i > 0 and row[i] is None:
            i -= 1
        c, cw, s = row[i]
        row[i] = (c + ch, cw, s)
        return
    if w == 0:
        return
    row.append((ch, w, style.copy()))
    if w == 2:
        row.append(None)


class Fonts:
    def __init__(self):
        self.fonts = {b: [ImageFont.truetype(f, FONT_SIZE) for f in files] for b, files in FONTS.items()}
        self.cache = {}
        # What each font draws for a code point it does not have.
        self.missing = {b: [self.mask(f, "\U0010fffd") for f in fs] for b, fs in self.fonts.items()}

    @staticmethod
    def mask(font, ch):
        m = font.getmask(ch)
        return (m.size, bytes(m))

    def font(self, ch, bold):
        key = (ch, bold)
        if key not in self.cache:
            chosen = self.fonts[bold][0]
            for f, missing in zip(self.fonts[bold], self.missing[bold]):
                if self.mask(f, ch[0]) != missing or ch[0] == " ":
                    chosen = f
                    break
            self.cache[key] = chosen
        return self.cache[key]


def render(grid, out):
    fonts = Fonts()
    base = fonts.fonts[False][0]
    ascent, descent = base.getmetrics()
    cw = round(base.getlength("M"))
    ch = ascent + descent + 2
    pad = 12
    cols, rows = len(grid[0]), len(grid)
    img = Image.new("RGB", (cols * cw + 2 * pad, rows * ch + 2 * pad), DEFAULT_BG)
    draw = ImageDraw.Draw(img)
    for y, row in enumerate(grid):
        for x, cell in enumerate(row):
            if cell is None:
                continue
            text, w, style = cell
            fg, bg = style.colours()
            left, top = pad + x * cw, pad + y * ch
            draw.rectangle([left, top, left + w * cw - 1, top + ch - 1], fill=bg)
            if text != " ":
                font = fonts.font(text, style.bold)
                # Centre the glyph in its cell(s); squeeze one that is too wide.
                glyph_w = font.getlength(text)
                if glyph_w > w * cw + 1:
                    tmp = Image.new("RGBA", (int(glyph_w) + 2, ch), (0, 0, 0, 0))
                    ImageDraw.Draw(tmp).text((1, 1 + ascent), text, font=font, fill=fg, anchor="ls")
                    tmp = tmp.resize((w * cw, ch), Image.LANCZOS)
                    img.paste(tmp, (left, top), tmp)
                else:
                    draw.text((left + (w * cw - glyph_w) / 2, top + 1 + ascent), text, font=font, fill=fg, anchor="ls")
            if style.underline:
                draw.line([left, top + ch - 2, left + w * cw - 1, top + ch - 2], fill=fg)
    img.save(out, optimize=True)


def main():
    cols, rows, src, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    with open(src, encoding="utf-8", errors="replace") as f:
        text = f.read()
    render(parse(text, cols, rows), out)


if __name__ == "__main__":
    main()
