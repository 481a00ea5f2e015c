"""The English and the Chinese edition of every chapter, built from one source (`make notebooks`).

  sources/NN_name.py          what an author edits: a jupytext percent script holding the code
                              cells, the English markdown cells and, right after each English
                              markdown cell, its Simplified Chinese translation:

                                  # %% [markdown] id="05-012"
                                  # ## 6. Training on CIFAR-10
                                  # %% [markdown] id="05-012" lang="zh-CN" translates="3f2a9c0d1b7e"
                                  # ## 6. 在 CIFAR-10 上训练

                              ``translates`` is the start of the sha1 of the English text the
                              Chinese was written from: change the English and `check` names the
                              translation that is now behind.
  sources/glossary.tsv        the glossary (Chinese term, English term, chapter, cell)
  chapters/NN_name.ipynb      the English edition        } built; never edit these two by hand
  chapters_zh/NN_name.ipynb   the Chinese edition        } (JupyterLab edits are a student's own)
  chapters_zh/glossary.md     术语表, built from sources/glossary.tsv

  python tools/editions.py build [NN ...]     both notebooks of each chapter (default: all) from
                                              its source; a code cell keeps the checked outputs of
                                              the English notebook while its code is unchanged
  python tools/editions.py execute NN [...]   build, run the English notebook in quick mode, then
                                              give the Chinese one the same outputs
  python tools/editions.py check              exit 1 naming each problem: a notebook out of date
                                              with its source, editions whose code cells, cell
                                              order or checked outputs differ, a translation
                                              missing or behind the English, a stale glossary

jupytext reads and writes the sources; tools/notebook.py gives the notebooks the normal form
that a JupyterLab save keeps.
"""
import copy
import csv
import hashlib
import sys
from pathlib import Path

import jupytext
import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import notebook as nbtool  # noqa: E402  (tools/notebook.py)

ROOT = nbtool.ROOT
SOURCES = ROOT / "sources"
EDITIONS = {"en": ROOT / "chapters", "zh-CN": ROOT / "chapters_zh"}
GLOSSARY_TSV = SOURCES / "glossary.tsv"
GLOSSARY_MD = EDITIONS["zh-CN"] / "glossary.md"
GLOSSARY_LINK = "glossary.md"
SOURCE_KEYS = ("id", "lang", "translates")     # cell metadata that only the source carries


def text_hash(text):
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def sources(patterns=()):
    found = sorted(SOURCES.glob("[0-9][0-9]_*.py"))
    return [p for p in found if not patterns or any(p.stem.startswith(x) for x in patterns)]


def read_source(path):
    return jupytext.read(path, fmt="py:percent")


def write_source(nb, path):
    jupytext.write(nb, path, fmt="py:percent")


def _cell(cell):
    """A notebook cell from a source cell: its id from the metadata, the source-only keys gone."""
    meta = {k: v for k, v in cell.metadata.items() if k not in SOURCE_KEYS}
    make = nbformat.v4.new_code_cell if cell.cell_type == "code" else nbformat.v4.new_markdown_cell
    new = make(cell.source, metadata=meta)
    new["id"] = cell.metadata["id"]
    return new


def split(src, name):
    """(English cells, Chinese cells, problems) of one source notebook."""
    en, zh, problems = [], [], []
    for cell in src.cells:
        cid = cell.metadata.get("id")
        if not cid:
            problems.append(f"sources/{name}.py: a {cell.cell_type} cell without an id "
                            f"(starts {cell.source[:40]!r})")
            continue
        if cell.metadata.get("lang") == "zh-CN":
            last = en[-1] if en else None
            if last is None or last.cell_type != "markdown" or last["id"] != cid or zh[-1] is not last:
                problems.append(f"sources/{name}.py: the Chinese cell {cid} does not follow the "
                                f"English markdown cell {cid}")
                continue
            want = text_hash(last.source)
            if cell.metadata.get("translates") != want:
                problems.append(f"sources/{name}.py: the Chinese of cell {cid} was written for another "
                                f"English text (translates={cell.metadata.get('translates')!r}, the "
                                f"English now hashes to {want!r}): bring the Chinese up to date, then "
                                f"set translates=\"{want}\"")
            zh[-1] = _cell(cell)
            continue
        new = _cell(cell)
        en.append(new)
        zh.append(new)
    for a, b in zip(en, zh):
        if a.cell_type == "markdown" and a is b:
            problems.append(f"sources/{name}.py: the English markdown cell {a['id']} has no Chinese "
                            f"translation after it")
    return en, zh, problems


def _carry_outputs(cells, old):
    """Checked outputs of code cells whose code is unchanged, from the notebook ``old``."""
    before = {c.get("id"): c for c in (old.cells if old else []) if c.cell_type == "code"}
    for cell in cells:
        prev = before.get(cell["id"])
        if cell.cell_type == "code" and prev is not None and prev.source == cell.source:
            cell.outputs = copy.deepcopy(prev.outputs)
            cell.execution_count = prev.execution_count


def built(path):
    """{edition: notebook in the normal form} of one source, and the problems found."""
    name = path.stem
    en_cells, zh_cells, problems = split(read_source(path), name)
    en_path = EDITIONS["en"] / f"{name}.ipynb"
    old = nbformat.read(en_path, as_version=4) if en_path.exists() else None
    result = {}
    for edition, cells in (("en", en_cells), ("zh-CN", zh_cells)):
        cells = [copy.deepcopy(c) for c in cells]
        _carry_outputs(cells, old)
        nb = nbformat.v4.new_notebook(cells=cells)
        nb.metadata = copy.deepcopy(old.metadata) if old else {}
        nb.metadata.pop("jupytext", None)
        target = EDITIONS[edition] / f"{name}.ipynb"
        result[edition] = (target, nbtool.normal_form(nb, target))
    return result, problems


def build(*patterns, quiet=False):
    problems = []
    for path in sources(patterns):
        result, found = built(path)
        problems += found
        for target, nb in result.values():
            target.parent.mkdir(exist_ok=True)
            nbtool.write(nb, target)
        if not quiet:
            print(f"built {', '.join(str(t.relative_to(ROOT)) for t, _ in result.values())}")
    write_glossary()
    for p in problems:
        print("warning:", p, file=sys.stderr)
    return 0


def execute(*patterns):
    """Build, run the English notebook (quick mode), and rebuild so the Chinese one gets its outputs."""
    build(*patterns, quiet=True)
    for path in sources(patterns):
        nbtool.execute(EDITIONS["en"] / f"{path.stem}.ipynb")
    return build(*patterns)


# -- the glossary ---------------------------------------------------------------------------

def glossary_rows():
    with open(GLOSSARY_TSV, encoding="utf-8", newline="") as f:
        return [row for row in csv.reader(f, delimiter="\t") if row and not row[0].startswith("#")]


def glossary_markdown():
    titles = {p.stem: _title(p) for p in sources()}
    lines = ["# 术语表（Glossary）", "",
             "本课程中文版使用的术语，与英文术语对照，并注明首次介绍它的章节。术语以《动手学深度学习》"
             "（d2l-zh）的译法为准。", "",
             f"共 {len(glossary_rows())} 条。", "",
             "| 中文 | English | 首次出现 |", "|---|---|---|"]
    for zh, en, chapter, cell in glossary_rows():
        where = f"[{titles.get(chapter, chapter)}]({chapter}.ipynb)（单元格 {cell}）"
        lines.append(f"| {zh} | {en} | {where} |")
    return "\n".join(lines) + "\n"


def _title(path):
    """The first heading of the Chinese edition of a chapter."""
    _, zh, _ = split(read_source(path), path.stem)
    for cell in zh:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem


def write_glossary():
    GLOSSARY_MD.parent.mkdir(exist_ok=True)
    GLOSSARY_MD.write_text(glossary_markdown(), encoding="utf-8")


# -- the check --------------------------------------------------------------------------------

def _rel(path):
    return str(Path(path).relative_to(ROOT))


def edition_drift(en_nb, zh_nb, name):
    """How two editions of a chapter differ where they must not: cell count and order (ids and
    types), code cells, checked outputs."""
    problems = []
    en_ids = [(c.get("id"), c.cell_type) for c in en_nb.cells]
    zh_ids = [(c.get("id"), c.cell_type) for c in zh_nb.cells]
    if en_ids != zh_ids:
        first = next((i for i, (a, b) in enumerate(zip(en_ids, zh_ids)) if a != b), min(len(en_ids), len(zh_ids)))
        problems.append(f"{name}: the editions' cells differ in number or order ({len(en_ids)} English, "
                        f"{len(zh_ids)} Chinese; first difference at cell {first + 1}: "
                        f"{en_ids[first] if first < len(en_ids) else None} vs "
                        f"{zh_ids[first] if first < len(zh_ids) else None})")
        return problems
    for a, b in zip(en_nb.cells, zh_nb.cells):
        if a.cell_type != "code":
            continue
        if a.source != b.source:
            problems.append(f"{name}: code cell {a['id']} differs between the editions")
        elif nbtool.CHECKED in a.source and a.outputs != b.outputs:
            problems.append(f"{name}: the checked outputs of cell {a['id']} differ between the editions")
    return problems


def problems():
    found = []
    names = {p.stem for p in sources()}
    for edition, folder in EDITIONS.items():
        for nb_path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
            if nb_path.stem not in names and nb_path in set(nbtool.chapters(edition)):
                found.append(f"{_rel(nb_path)} has no source sources/{nb_path.stem}.py")
    for path in sources():
        result, split_problems = built(path)
        found += split_problems
        for edition, (target, nb) in result.items():
            if not target.exists():
                found.append(f"{_rel(target)} is missing: run `make notebooks`")
            elif target.read_text(encoding="utf-8") != nbtool.serialised(nb):
                found.append(f"{_rel(target)} is out of date with sources/{path.stem}.py: run `make notebooks` "
                             "(and `python tools/editions.py execute " + path.stem[:2] + "` if code changed)")
        en_path, zh_path = (EDITIONS[e] / f"{path.stem}.ipynb" for e in ("en", "zh-CN"))
        if en_path.exists() and zh_path.exists():
            en_nb, zh_nb = (nbformat.read(p, as_version=4) for p in (en_path, zh_path))
            found += edition_drift(en_nb, zh_nb, path.stem)
            first_md = next((c for c in zh_nb.cells if c.cell_type == "markdown"), None)
            if first_md is None or GLOSSARY_LINK not in first_md.source:
                found.append(f"{_rel(zh_path)}: its first cell does not link the glossary ({GLOSSARY_LINK})")
    if not GLOSSARY_MD.exists() or GLOSSARY_MD.read_text(encoding="utf-8") != glossary_markdown():
        found.append(f"{_rel(GLOSSARY_MD)} is out of date with {_rel(GLOSSARY_TSV)}: run `make notebooks`")
    return found


def check():
    found = problems()
    print("\n".join(found) or f"both editions of {len(sources())} chapters are in step with their sources")
    return 1 if found else 0


if __name__ == "__main__":
    cmd, *args = sys.argv[1:] or ["check"]
    sys.exit({"build": build, "execute": execute, "check": check}[cmd](*args))
