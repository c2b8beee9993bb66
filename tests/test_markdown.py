"""Authors' Markdown reaches learners as HTML without anything that could run."""

from __future__ import annotations

import pytest

from lms_cx.markdown import render_markdown


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src="x.png" onerror="alert(1)">', "onerror"),
        ("[call us](javascript:alert(1))", "javascript:"),
        ('<a href="#" style="color:red">x</a>', "style="),
        ('<iframe src="https://evil.example/"></iframe>', "<iframe"),
        ("<!-- note to self -->", "note to self"),
    ],
)
def test_dangerous_markup_is_removed(source: str, forbidden: str) -> None:
    """Test that scripts, handlers, script links, styles, frames and comments are dropped."""
    assert forbidden not in render_markdown(f"Hello\n\n{source}")


def test_headings_move_one_level_down_under_the_page_title() -> None:
    """Test that the author's # and ## become h2 and h3 (the page owns h1)."""
    html = render_markdown("# Listening\n\n## Why it matters")
    assert "<h2>Listening</h2>" in html
    assert "<h3>Why it matters</h3>" in html
    assert "<h1" not in html


def test_tables_links_and_emphasis_survive() -> None:
    """Test that the Markdown authors use for lessons renders."""
    html = render_markdown(
        "**Say** _this_: [guide](https://example.com/guide)\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert "<strong>Say</strong>" in html
    assert "<em>this</em>" in html
    assert 'href="https://example.com/guide"' in html
    assert "<td>1</td>" in html


def test_empty_text_renders_nothing() -> None:
    """Test that a lesson without a body renders as an empty string."""
    assert render_markdown(None) == ""
    assert render_markdown("") == ""


@pytest.mark.parametrize(
    ("line", "href", "site"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "YouTube",
        ),
        (
            "<https://youtu.be/dQw4w9WgXcQ?t=42>",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "YouTube",
        ),
        ("https://vimeo.com/76979871", "https://vimeo.com/76979871", "Vimeo"),
    ],
)
def test_video_link_alone_on_a_line_becomes_a_link_card(line: str, href: str, site: str) -> None:
    """Test that a YouTube or Vimeo address on its own line becomes a card linking to it,
    with nothing embedded (no iframe loads the video site before the learner clicks)."""
    html = render_markdown(f"Watch this:\n\n{line}\n\nThen answer.")
    assert '<p class="video-card">' in html
    assert f'href="{href}"' in html
    assert f"Watch the video on {site}" in html
    assert "<iframe" not in html


def test_video_link_inside_a_sentence_stays_a_plain_link() -> None:
    """Test that only a line holding nothing but the address becomes a card."""
    html = render_markdown("See [the clip](https://youtu.be/dQw4w9WgXcQ) first.")
    assert "video-card" not in html
    assert 'href="https://youtu.be/dQw4w9WgXcQ"' in html


def test_authors_cannot_set_classes_of_their_own() -> None:
    """Test that the card's class is the only class the sanitiser keeps."""
    html = render_markdown('<p class="video-card evil">x</p>\n\n<p class="evil">y</p>')
    assert "evil" not in html
