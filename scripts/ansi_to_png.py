#!/usr/bin/env python3
"""Renders a terminal capture with SGR escapes (`tmux capture-pane -p -e -N`) into a PNG.

Usage: ansi_to_png.py CAPTURE OUTPUT.png --columns N --rows N [--font-dir DIR] [--size PX]

Handles what tmux writes: SGR colours (16, 256 and 24-bit, foreground and background, default),
bold, dim, italic, underline (any style), reverse, strikethrough; wide characters take two cells.
Needs Pillow and the DejaVu Sans Mono fonts (Debian: fonts-dejavu-core).
"""
import argparse
import re
import unicodedata

from PIL import Image, ImageDraw, ImageFont

# The terminal's own colours (a dark terminal), and xterm's 16 ANSI colours.
DEFAULT_FG = (0xd0, 0xd0, 0xd0)
DEFAULT_BG = (0x1c, 0x1c, 0x1c)
ANSI16 = [(0x00, 0x00, 0x00), (0xcd, 0x00, 0x00), (0x00, 0xcd, 0x00), (0xcd, 0xcd, 0x00),
          (0x00, 0x00, 0xee), (0xcd, 0x00, 0xcd), (0x00, 0xcd, 0xcd), (0xe5, 0xe5, 0xe5),
          (0x7f, 0x7f, 0x7f), (0xff, 0x00, 0x00), (0x00, 0xff, 0x00), (0xff, 0xff, 0x00),
          (0x5c, 0x5c, 0xff), (0xff, 0x00, 0xff), (0x00, 0xff, 0xff), (0xff, 0xff, 0xff)]
ESCAPE = re.compile(r"\x1b\[([0-9;:]*)([A-Za-z])")


def palette256(n):
    if n < 16:
        return ANSI16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return steps[n // 36], steps[n // 6 % 6], steps[n % 6]
    gray = 8 + 10 * (n - 232)
    return gray, gray, gray


class Style:
    def __init__(self):
        self.fg = self.bg = None
        self.bold = self.dim = self.italic = self.underline = self.reverse = self.strike = False

    def copy(self):
        other = Style()
        other.__dict__.update(self.__dict__)
        return other


def apply_sgr(style, params):
    """Updates `style` with one SGR sequence's parameters ("1;38;5;110", "4:2", "")."""
    fields = params.split(";") if params else ["0"]
    i = 0
    while i < len(fields):
        sub = fields[i].split(":")
        code = int(sub[0] or 0)
        if code in (38, 48):
            if len(sub) > 1:      # colon form: 38:5:n or 38:2::r:g:b
                values = [int(x or 0) for x in sub[1:]]
            else:
                values = [int(x or 0) for x in fields[i + 1:i + 5]]
            if values and values[0] == 5:
                color, used = palette256(values[1]), 2
            else:
                color, used = tuple(values[-3:]) if len(sub) > 1 else tuple(values[1:4]), 4
            if code == 38:
                style.fg = color
            else:
                style.bg = color
            i += 1 if len(sub) > 1 else used + 1
            continue
        if code == 0:
            style.__init__()
        elif code == 1:
            style.bold = True
        elif code == 2:
            style.dim = True
        elif code == 3:
            style.italic = True
        elif code == 4:
            style.underline = len(sub) == 1 or sub[1] != "0"
        elif code == 7:
            style.reverse = True
        elif code == 9:
            style.strike = True
        elif code == 22:
            style.bold = style.dim = False
        elif code == 23:
            style.italic = False
        elif code == 24:
            style.underline = False
        elif code == 27:
            style.reverse = False
        elif code == 29:
            style.strike = False
        elif 30 <= code <= 37:
            style.fg = ANSI16[code - 30]
        elif code == 39:
            style.fg = None
        elif 40 <= code <= 47:
            style.bg = ANSI16[code - 40]
        elif code == 49:
            style.bg = None
        elif 90 <= code <= 97:
            style.fg = ANSI16[code - 90 + 8]
        elif 100 <= code <= 107:
            style.bg = ANSI16[code - 100 + 8]
        i += 1


def cell_width(character):
    if unicodedata.combining(character) or unicodedata.category(character) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(character) in ("W", "F") else 1


def parse(text, columns, rows):
    """The capture as a grid of (text, style) cells; None marks the second cell of a wide one.
    Cells tmux did not print are blank (with -N it prints every cell that was written)."""
    grid = [[(" ", Style()) for _ in range(columns)] for _ in range(rows)]
    style = Style()
    for row, line in enumerate(text.split("\n")[:rows]):
        column, position = 0, 0
        while position < len(line):
            escape = ESCAPE.match(line, position)
            if escape:
                if escape.group(2) == "m":
                    apply_sgr(style, escape.group(1))
                position = escape.end()
                continue
            character = line[position]
            position += 1
            width = cell_width(character)
            if width == 0:
                if column > 0:
                    previous, previous_style = grid[row][column - 1]
                    grid[row][column - 1] = ((previous or "") + character, previous_style)
                continue
            if column + width > columns:
                break
            grid[row][column] = (character, style.copy())
            if width == 2:
                grid[row][column + 1] = (None, style.copy())
            column += width
    return grid


def blend(a, b, amount):
    return tuple(round(x + (y - x) * amount) for x, y in zip(a, b))


def render(grid, font_dir, size, padding):
    files = {(False, False): "DejaVuSansMono", (True, False): "DejaVuSansMono-Bold",
             (False, True): "DejaVuSansMono-Oblique", (True, True): "DejaVuSansMono-BoldOblique"}
    faces = {key: ImageFont.truetype(f"{font_dir}/{name}.ttf", size) for key, name in files.items()}
    regular = faces[False, False]
    ascent, descent = regular.getmetrics()
    cell_w, cell_h = round(regular.getlength("M")), ascent + descent
    rows, columns = len(grid), len(grid[0])
    image = Image.new("RGB", (columns * cell_w + 2 * padding, rows * cell_h + 2 * padding), DEFAULT_BG)
    draw = ImageDraw.Draw(image)
    for row, cells in enumerate(grid):
        y = padding + row * cell_h
        for column, (text, style) in enumerate(cells):
            if text is None:
                continue
            width = 2 if column + 1 < columns and cells[column + 1][0] is None else 1
            fg, bg = style.fg or DEFAULT_FG, style.bg or DEFAULT_BG
            if style.reverse:
                fg, bg = bg, fg
            if style.dim:
                fg = blend(fg, bg, 0.45)
            x = padding + column * cell_w
            if bg != DEFAULT_BG:
                draw.rectangle([x, y, x + width * cell_w - 1, y + cell_h - 1], fill=bg)
            if text.strip():
                draw.text((x, y + ascent), text, font=faces[style.bold, style.italic], fill=fg, anchor="ls")
            if style.underline:
                draw.line([x, y + ascent + 2, x + width * cell_w - 1, y + ascent + 2], fill=fg)
            if style.strike:
                draw.line([x, y + cell_h // 2, x + width * cell_w - 1, y + cell_h // 2], fill=fg)
    return image


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("capture")
    parser.add_argument("output")
    parser.add_argument("--columns", type=int, required=True)
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--font-dir", default="/usr/share/fonts/truetype/dejavu")
    parser.add_argument("--size", type=int, default=15, help="font size in pixels")
    parser.add_argument("--padding", type=int, default=10)
    args = parser.parse_args()
    with open(args.capture, encoding="utf-8") as f:
        text = f.read()
    image = render(parse(text, args.columns, args.rows), args.font_dir, args.size, args.padding)
    # A palette keeps the PNG small; 256 colours hold the theme and the text's antialiasing.
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(args.output, optimize=True)


if __name__ == "__main__":
    main()
