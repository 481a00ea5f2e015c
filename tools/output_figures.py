"""Checks on the figures a notebook shows: big enough to read, not empty.

The nbval run of `make test` applies them to every PNG every chapter cell displays (../conftest.py),
so no chapter runs twice; the figures land in build/test_figures/<chapter>/ to look at."""
import base64
import io

# Lenient on purpose: these catch a figure that collapsed (a few dozen pixels, nothing drawn); how
# large a particular kind of plot should be is its own function's business (e.g. the confusion
# matrix grows with its classes, tests/test_output_figures.py).
MIN_SIDE = 50          # px: a strip of 28x28 digits is ~100 px high
MIN_LONG_SIDE = 150    # px
MIN_AREA = 15_000      # px^2
MIN_INK = 0.01         # share of pixels that differ from the background


class ShownFigures:
    """The PNGs a cell shows, as the front end ends up showing them: a display updated in place
    (a live training plot) counts once, in its last state."""

    def __init__(self):
        self.slots = []                        # [display_id or None, base64 PNG]

    def add(self, msg):
        """Feed every iopub message of the cell."""
        kind, content = msg.get("msg_type") or msg.get("header", {}).get("msg_type"), msg.get("content", {})
        png = content.get("data", {}).get("image/png")
        display_id = content.get("transient", {}).get("display_id")
        if kind in ("display_data", "execute_result") and png:
            self.slots.append([display_id, png])
        elif kind == "update_display_data" and png and display_id:
            for slot in self.slots:
                if slot[0] == display_id:
                    slot[1] = png

    def pngs(self):
        return [base64.b64decode(png) for _, png in self.slots]


def figure_problems(png, where="figure"):
    """What is wrong with one PNG (a list of sentences; empty when it is fine)."""
    import numpy as np
    from PIL import Image
    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    problems = []
    if min(width, height) < MIN_SIDE or max(width, height) < MIN_LONG_SIDE or width * height < MIN_AREA:
        problems.append(f"{where} is {width}x{height} px: too small to read "
                        f"(at least {MIN_SIDE} px a side, {MIN_LONG_SIDE} px the long side, {MIN_AREA:,} px in all)")
    pixels = np.asarray(image, dtype=np.int16).reshape(-1, 3)
    colours, counts = np.unique(pixels, axis=0, return_counts=True)
    background = colours[counts.argmax()]
    ink = (np.abs(pixels - background).max(axis=1) > 30).mean()
    if ink < MIN_INK:
        problems.append(f"{where} is empty: {ink:.2%} of its pixels differ from the background")
    return problems
