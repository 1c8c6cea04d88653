"""Reading a PDF the way a person with a phone does: each page drawn, and the QR codes on it."""

from __future__ import annotations

import subprocess
from pathlib import Path


def qr_codes_by_page(pdf: Path, workdir: Path) -> dict[int, list[str]]:
    """Page number (from 1) → the QR codes zbarimg reads on that page drawn at 150 dpi."""
    prefix = workdir / f"{pdf.stem}-page"
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(prefix)], check=True)
    images = sorted(workdir.glob(f"{prefix.name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return {
        number: subprocess.run(
            ["zbarimg", "--quiet", "--raw", str(image)],
            check=False,
            capture_output=True,
            text=True,  # 4: none here
        ).stdout.split()
        for number, image in enumerate(images, start=1)
    }


def page_text(pdf: Path, number: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
