"""The figures' PNG writer: the pixels Agg drew, as RGB, with the resolution, readable by Pillow."""

from __future__ import annotations

import io

import numpy as np
import pytest

from slqual.reports.figures_png import BAND_ROWS, png_bytes


@pytest.mark.parametrize("size", [(1, 1), (3, 2), (257, 5), (5, 2 * BAND_ROWS + 3)])
def test_the_png_holds_the_drawn_pixels_and_the_resolution(size):
    from PIL import Image

    width, height = size
    rng = np.random.default_rng(7)
    rgba = rng.integers(0, 256, (height, width, 4), dtype=np.uint8)
    rgba[..., 3] = 255
    image = Image.open(io.BytesIO(png_bytes(rgba.tobytes(), width, height, 150)))
    assert (image.mode, image.size) == ("RGB", (width, height))
    assert np.array_equal(np.asarray(image), rgba[..., :3])
    assert image.info["dpi"] == pytest.approx((150, 150), abs=0.05)


def test_a_drawn_figure_is_the_same_as_pillow_writes_it():
    """Byte for byte different (another filter, another compression), pixel for pixel the same."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from PIL import Image

    fig = Figure(figsize=(2, 1), dpi=150)
    fig.add_subplot().plot([0, 1, 0.5], color="#d94801")
    fig.text(0.1, 0.1, "Lack of support (12)", fontsize=8)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    width, height = canvas.get_width_height(physical=True)
    ours = Image.open(io.BytesIO(png_bytes(canvas.buffer_rgba(), width, height, fig.dpi)))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    pillows = Image.open(buffer).convert("RGB")
    assert np.array_equal(np.asarray(ours), np.asarray(pillows))
