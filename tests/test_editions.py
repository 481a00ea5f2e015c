"""The English and the Chinese edition stay in step by construction: both are built from
sources/NN_name.py (tools/editions.py), and the check fails when they drift."""
import re
import shutil

import nbformat
import pytest

from tools import editions, notebook as nbtool

CJK = re.compile(r"[\u4e00-\u9fff]")
REQUIRED_TERMS = ["瓶颈层", "残差块", "恒等映射", "批量规范化", "深度可分离卷积", "逐点卷积", "宽度乘子",
                  "分辨率乘子", "倒残差", "线性瓶颈", "主成分分析", "数据泄漏", "总体精度", "平均精度"]


def test_both_editions_are_in_step_with_their_sources():
    assert editions.problems() == []
    en, zh = nbtool.chapters("en"), nbtool.chapters("zh-CN")
    assert [p.name for p in en] == [p.name for p in zh] == [p.stem + ".ipynb" for p in editions.sources()]
    assert len(en) >= 8


@pytest.mark.parametrize("chapter", nbtool.chapters("zh-CN"), ids=lambda p: p.stem)
def test_every_chinese_markdown_cell_is_chinese(chapter):
    nb = nbformat.read(chapter, as_version=4)
    english = nbformat.read(nbtool.ROOT / "chapters" / chapter.name, as_version=4)
    for zh_cell, en_cell in zip(nb.cells, english.cells):
        if zh_cell.cell_type == "markdown":
            assert CJK.search(zh_cell.source), f"{chapter.name} cell {zh_cell.id} has no Chinese"
            assert zh_cell.source != en_cell.source
            if re.search(r"the post says", en_cell.source, re.I) and "原文" not in en_cell.source:
                assert "原文" in zh_cell.source, f"{chapter.name} cell {zh_cell.id}: a 'post says' box without 原文"


def test_glossary_covers_the_courses_terms_and_every_chinese_chapter_links_it():
    rows = editions.glossary_rows()
    terms = {zh for zh, *_ in rows}
    assert len(rows) >= 100 and len(terms) == len(rows)
    missing = [t for t in REQUIRED_TERMS if not any(t in term for term in terms)]
    assert not missing, missing
    chapters = {p.stem for p in editions.sources()}
    assert all(chapter in chapters for _, _, chapter, _ in rows)
    text = editions.GLOSSARY_MD.read_text(encoding="utf-8")
    assert f"共 {len(rows)} 条" in text
    for path in nbtool.chapters("zh-CN"):
        first = next(c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
        assert "](glossary.md)" in first.source, path.name


@pytest.fixture
def copy_of_chapter_00(tmp_path, monkeypatch):
    """tools/editions.py pointed at a copy of chapter 00 (source, both notebooks, glossary)."""
    name = "00_getting_started"
    (tmp_path / "sources").mkdir()
    shutil.copy(editions.SOURCES / f"{name}.py", tmp_path / "sources")
    rows = [r for r in editions.glossary_rows() if r[2] == name]
    (tmp_path / "sources" / "glossary.tsv").write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    folders = {}
    for edition, folder in editions.EDITIONS.items():
        folders[edition] = tmp_path / folder.name
        folders[edition].mkdir()
        shutil.copy(folder / f"{name}.ipynb", folders[edition])
    monkeypatch.setattr(editions, "ROOT", tmp_path)
    monkeypatch.setattr(editions, "SOURCES", tmp_path / "sources")
    monkeypatch.setattr(editions, "EDITIONS", folders)
    monkeypatch.setattr(editions, "GLOSSARY_TSV", tmp_path / "sources" / "glossary.tsv")
    monkeypatch.setattr(editions, "GLOSSARY_MD", folders["zh-CN"] / "glossary.md")
    editions.write_glossary()
    assert editions.problems() == []
    return tmp_path / "sources" / f"{name}.py", folders["en"] / f"{name}.ipynb", folders["zh-CN"] / f"{name}.ipynb"


def _edit(path, change):
    nb = nbformat.read(path, as_version=4)
    change(nb)
    nbformat.write(nb, path)


def _first(nb, kind, checked=False):
    return next(c for c in nb.cells if c.cell_type == kind and (not checked or nbtool.CHECKED in c.source))


def test_the_check_fails_when_a_code_cell_of_one_edition_changes(copy_of_chapter_00):
    _, _, zh = copy_of_chapter_00
    _edit(zh, lambda nb: setattr(_first(nb, "code"), "source", _first(nb, "code").source + "\nx = 1"))
    found = editions.problems()
    assert any("code cell 00-" in p and "differs between the editions" in p for p in found), found
    assert any("chapters_zh/00_getting_started.ipynb is out of date" in p for p in found), found


def test_the_check_fails_when_the_cell_order_or_a_checked_output_differs(copy_of_chapter_00):
    _, _, zh = copy_of_chapter_00
    _edit(zh, lambda nb: nb.cells.insert(1, nb.cells.pop(2)))
    assert any("differ in number or order" in p for p in editions.problems())
    editions.build()
    assert editions.problems() == []

    def new_output(nb):
        _first(nb, "code", checked=True).outputs[0]["text"] = "something else\n"
    _edit(zh, new_output)
    assert any("checked outputs of cell" in p for p in editions.problems())


def test_the_check_fails_when_a_notebook_is_behind_its_source(copy_of_chapter_00):
    source, en, _ = copy_of_chapter_00
    src = editions.read_source(source)
    code = next(c for c in src.cells if c.cell_type == "code")
    code.source += "\n# a new line"
    editions.write_source(src, source)
    found = editions.problems()
    assert any("chapters/00_getting_started.ipynb is out of date with sources/00_getting_started.py" in p
               for p in found), found
    editions.build()
    assert editions.problems() == []
    assert "# a new line" in nbformat.read(en, as_version=4).cells[[c.get("id") for c in
                                                                       nbformat.read(en, as_version=4).cells].index(code.metadata["id"])].source


def test_the_check_names_a_translation_behind_or_missing(copy_of_chapter_00):
    source, _, _ = copy_of_chapter_00
    src = editions.read_source(source)
    english = next(c for c in src.cells if c.cell_type == "markdown" and "lang" not in c.metadata)
    english.source += "\n\nA new English sentence."
    editions.write_source(src, source)
    found = editions.problems()
    assert any(f"the Chinese of cell {english.metadata['id']} was written for another English text" in p
               for p in found), found
    src.cells = [c for c in src.cells if not (c.metadata.get("lang") and c.metadata["id"] == english.metadata["id"])]
    editions.write_source(src, source)
    assert any(f"{english.metadata['id']} has no Chinese translation" in p for p in editions.problems())


def test_the_glossary_page_follows_its_table(copy_of_chapter_00):
    with open(editions.GLOSSARY_TSV, "a", encoding="utf-8") as f:
        f.write("新术语\tnew term\t00_getting_started\t00-001\n")
    assert any("glossary.md is out of date" in p for p in editions.problems())


def test_a_check_answers_in_the_chapters_language(tmp_path, monkeypatch):
    from d2l_utils.exercises import ch00
    check = next(getattr(ch00, n) for n in dir(ch00))
    monkeypatch.delenv("D2L_LANG", raising=False)
    (tmp_path / "chapters_zh").mkdir()
    (tmp_path / "chapters").mkdir()
    monkeypatch.chdir(tmp_path / "chapters_zh")      # where Jupyter starts a Chinese chapter's kernel
    result, message = check.verdict(-1)
    assert result is False and CJK.search(message) and "还不对" in message, message
    assert check.verdict(None).message.endswith("尚未作答。修改上面的单元格并运行，然后再运行这个单元格。")
    monkeypatch.chdir(tmp_path / "chapters")
    result, message = check.verdict(-1)
    assert result is False and not CJK.search(message) and "not yet right" in message, message
    monkeypatch.setenv("D2L_LANG", "zh-CN")
    assert "还不对" in check.verdict(-1).message
