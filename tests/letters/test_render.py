"""The renderer stays offline and reports problems."""

from __future__ import annotations

import pytest

from objector.errors import RenderError
from objector.letters.render import html_to_pdf


@pytest.mark.parametrize(
    "src",
    ["http://127.0.0.1:9/x.png", "https://example.org/x.png", "file:///etc/hostname", "ftp://example.org/x"],
)
def test_any_outside_resource_aborts_the_render(src):
    with pytest.raises(RenderError, match="refused to fetch"):
        html_to_pdf(f'<p>hello</p><img src="{src}">')


def test_stylesheet_imports_are_refused_too():
    with pytest.raises(RenderError, match="refused to fetch"):
        html_to_pdf('<style>@import url("http://example.org/x.css");</style><p>hello</p>')


def test_data_urls_and_package_files_are_served():
    pixel = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
    result = html_to_pdf(f'<link rel="stylesheet" href="letter.css"><p>hello</p><img src="{pixel}">')
    assert result.data.startswith(b"%PDF") and result.pages == 1


def test_a_character_no_font_can_draw_is_reported():
    result = html_to_pdf("<p>Jana 漢 Nováková</p>")
    assert any("U+6F22" in warning for warning in result.warnings), result.warnings
    assert not html_to_pdf("<p>ą ę ł ș ț å ö ß é</p>").warnings
