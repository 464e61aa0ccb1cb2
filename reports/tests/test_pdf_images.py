"""render_pdf hands chart PNGs to WeasyPrint without re-encoding them (reports/pdf.py): the image
in the PDF must be the chart, pixel for pixel, and other images (RGBA) must still render."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import override_settings
from PIL import Image

from reports.pdf import render_pdf

TEMPLATE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Images</title></head>'
    '<body><h1>Images</h1><img src="image:chart" alt="A chart"><img src="image:overlay" alt="An overlay"></body></html>'
)


def _png(mode: str, colour) -> bytes:
    image = Image.new(mode, (64, 32), colour)
    for x in range(64):
        image.putpixel((x, x % 32), (0, 0, 0, 255) if mode == "RGBA" else (0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.skipif(not shutil.which("pdfimages"), reason="pdfimages (poppler-utils) is not installed")
def test_chart_images_reach_the_pdf_unchanged_and_rgba_still_renders(tmp_path: Path):
    chart = _png("RGB", (29, 112, 184))
    overlay = _png("RGBA", (255, 221, 0, 128))
    loader = ("django.template.loaders.locmem.Loader", {"test/images.html": TEMPLATE})
    templates = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "OPTIONS": {"loaders": [loader]}}]
    with override_settings(TEMPLATES=templates):
        pdf = render_pdf("test/images.html", {}, images={"chart": chart, "overlay": overlay})
    path = tmp_path / "images.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    images = [line for line in listing.splitlines()[2:] if line.split()[2] == "image"]
    assert len(images) == 2
    subprocess.run(["pdfimages", "-png", str(path), str(tmp_path / "out")], check=True)
    extracted = Image.open(tmp_path / "out-000.png").convert("RGB")
    assert extracted.tobytes() == Image.open(io.BytesIO(chart)).convert("RGB").tobytes()
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(path), str(tmp_path / "page")], check=True)
    assert list(tmp_path.glob("page-*.png")) != []
