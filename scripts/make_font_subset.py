"""Make the Chinese font subset that the charts ship with.

    .venv/bin/python scripts/make_font_subset.py [--source PATH] [--no-gb2312]

Reads Noto Sans CJK SC Regular (SIL Open Font License 1.1) from Debian's fonts-noto-cjk
package, keeps only the characters the lessons can show - every character of the corpus
texts and data, the quiz banks, the notebooks and the chart labels, plus all GB2312 hanzi
and symbols, ASCII, Latin-1 and common punctuation - renames the family so it can never be
confused with a system copy, and writes src/mediation_lessons/fonts/NotoSansSC-MLSubset.otf.

The output depends only on the source font and the repository's text, so running it twice
gives the same bytes. Re-run it when new Chinese text arrives; tests/test_charts.py fails
if a character of the data is missing from the subset.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

REPO = Path(__file__).resolve().parents[1]
OUT_DIR = REPO / "src" / "mediation_lessons" / "fonts"
OUT_FILE = "NotoSansSC-MLSubset.otf"
FAMILY = "Noto Sans SC ML Subset"  # must not contain the Reserved Font Name "Source"
DEFAULT_SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SOURCE_FACE = "Noto Sans CJK SC"

# Files whose characters the charts and lessons may draw.
TEXT_GLOBS = [
    "corpus/clean/*.txt",
    "corpus/*.yaml",
    "quizzes/*.yaml",
    "notebooks/*.ipynb",
    "src/mediation_lessons/*.py",
]
# Always-wanted ranges: ASCII, Latin-1, general punctuation, arrows, minus sign, CJK
# symbols and punctuation, full-width forms.
RANGES = [(0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2190, 0x21FF), (0x2212, 0x2212),
          (0x2460, 0x24FF), (0x25A0, 0x25FF), (0x3000, 0x303F), (0xFF00, 0xFFEF)]


def gb2312_chars() -> set[str]:
    """All characters of GB2312: symbols (rows 1-9) and 6763 hanzi (rows 16-87)."""
    chars = set()
    for hi in list(range(0xA1, 0xAA)) + list(range(0xB0, 0xF8)):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def repo_chars(root: Path = REPO) -> set[str]:
    chars: set[str] = set()
    for pattern in TEXT_GLOBS:
        for path in sorted(root.glob(pattern)):
            chars.update(path.read_text(encoding="utf-8"))
    return {c for c in chars if c.isprintable() and not c.isspace() or c == " "}


def open_face(source: Path) -> TTFont:
    if source.suffix.lower() in (".ttc", ".otc"):
        for font in TTCollection(str(source)).fonts:
            if font["name"].getDebugName(1) == SOURCE_FACE:
                return font
        raise SystemExit(f"{source} holds no face named {SOURCE_FACE!r}")
    return TTFont(str(source))


def rename(font: TTFont) -> None:
    """Give the subset its own family name (OFL: a modified version is renamed)."""
    names = {1: FAMILY, 2: "Regular", 3: f"{FAMILY.replace(' ', '')}-Regular;subset",
             4: f"{FAMILY} Regular", 6: FAMILY.replace(" ", "") + "-Regular",
             16: FAMILY, 17: "Regular"}
    table = font["name"]
    for rec in list(table.names):
        if rec.nameID in names:
            table.removeNames(nameID=rec.nameID)
    for name_id, value in names.items():
        table.setName(value, name_id, 3, 1, 0x409)
        table.setName(value, name_id, 1, 0, 0)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [names[6]]
        top = cff.topDictIndex[0]
        top.FamilyName, top.FullName = FAMILY, names[4]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("--no-gb2312", action="store_true", help="only the repository's characters")
    args = ap.parse_args(argv)
    if not args.source.is_file():
        print(f"error: {args.source} not found (apt-get install fonts-noto-cjk)", file=sys.stderr)
        return 2
    wanted = repo_chars()
    for a, b in RANGES:
        wanted.update(chr(c) for c in range(a, b + 1))
    if not args.no_gb2312:
        wanted |= gb2312_chars()

    font = open_face(args.source)
    cmap = font.getBestCmap()
    # characters of the repository the source cannot draw (the fixed ranges have gaps anyway)
    missing = sorted(c for c in repo_chars() if ord(c) not in cmap and not c.isspace())
    options = subset.Options()
    options.hinting = False  # screen charts do not need CFF hints; saves about a third
    options.desubroutinize = False
    options.name_IDs = ["*"]
    options.name_languages = [0x409, 0]
    options.notdef_outline = True
    options.layout_features = ["kern", "liga", "locl", "vert", "vrt2", "palt", "halt"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in wanted if ord(c) in cmap))
    subsetter.subset(font)
    rename(font)
    font.recalcTimestamp = False  # keep the source's head.modified: same input, same bytes

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = OUT_DIR / OUT_FILE
    font.save(str(out))
    data = out.read_bytes()
    print(f"wrote {out.relative_to(REPO)}: {len(data) / 1e6:.2f} MB, {len(font.getBestCmap())} characters, "
          f"sha256 {hashlib.sha256(data).hexdigest()[:16]}")
    if missing:
        print(f"repository characters not in the source font ({len(missing)}): {''.join(missing[:80])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
