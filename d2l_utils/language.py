"""The language a chapter speaks: English, or Simplified Chinese in the Chinese edition.

The Chinese edition's notebooks live in ``chapters_zh/``. Jupyter (and nbval) start a
notebook's kernel in the notebook's folder, so a kernel whose working directory is
``chapters_zh`` belongs to a Chinese chapter: the exercise checks then answer in Chinese,
without the student doing anything. ``D2L_LANG=zh-CN`` (or ``en``) overrides this, e.g. for a
script run from elsewhere."""
import os
from pathlib import Path

CHINESE_EDITION = "chapters_zh"    # the folder of the Chinese edition, beside chapters/


def language():
    """'zh-CN' or 'en'."""
    wanted = os.environ.get("D2L_LANG", "").strip().lower()
    if wanted:
        return "zh-CN" if wanted.startswith("zh") else "en"
    return "zh-CN" if Path.cwd().name == CHINESE_EDITION else "en"


def say(en, zh):
    """``en`` or ``zh``, whichever the chapter's language is (both are written side by side in
    the checks, so a message and its translation are read and changed together)."""
    return zh if language() == "zh-CN" else en
