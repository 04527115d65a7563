"""The plain paragraphs read without markdown-it give the tokens markdown-it gives."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.token import Token

from service.adapters.docx.markdown_blocks import PARSER, Heading, Plain, blocks

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = [
    ROOT / "examples" / "deliberation.json",
    ROOT.parent / "shared" / "contract" / "examples" / "deliberation-dijon-2019-12-19-013.json",
]


_OPEN = Token("paragraph_open", "p", 1)
_CLOSE = Token("paragraph_close", "p", -1)
_SOFTBREAK = Token("softbreak", "br", 0)


def tokens(text: str) -> list[Token]:
    """Return the tokens markdown-it's :data:`PARSER` gives for *text* (those the writer
    reads: type, tag, attributes, content, markup, children)."""
    out: list[Token] = []
    for block in blocks(text):
        if isinstance(block, Plain):
            out.extend(_paragraph(block))
        elif isinstance(block, Heading):
            out.extend(_heading(*block))
        else:
            out.extend(block)
    return out


def _heading(level: int, title: str) -> list[Token]:
    tag, markup = f"h{level}", "#" * level
    inline = Token("inline", "", 0, content=title, children=[Token("text", "", 0, content=title)])
    return [
        Token("heading_open", tag, 1, markup=markup),
        inline,
        Token("heading_close", tag, -1, markup=markup),
    ]


def _paragraph(lines: list[str]) -> list[Token]:
    children: list[Token] = []
    for line in lines:
        if children:
            children.append(_SOFTBREAK)
        children.append(Token("text", "", 0, content=line))
    inline = Token("inline", "", 0, content="\n".join(lines), children=children)
    return [_OPEN, inline, _CLOSE]


def _read(tok: Token) -> tuple[Any, ...]:
    """What the Markdown writer reads of a token."""
    children = tuple(_read(c) for c in tok.children or [])
    return (tok.type, tok.tag, tok.attrGet("start"), tok.content, tok.markup, children)


def _same_as_markdown_it(text: str) -> None:
    assert [_read(t) for t in tokens(text)] == [_read(t) for t in PARSER.parse(text)]


def _texts() -> list[str]:
    found = []
    for path in EXAMPLES:
        if path.is_file():
            delib = json.loads(path.read_text())["deliberation"]
            found.append(delib.get("expose") or "")
            found.extend(delib["dispositif"]["articles"])
    return found


def test_the_examples_have_plain_paragraphs_headings_and_lists() -> None:
    texts = _texts()
    assert len(texts) > 3
    for text in texts:
        _same_as_markdown_it(text)
    kinds = {t.type for text in texts for t in tokens(text)}
    assert {"heading_open", "bullet_list_open", "paragraph_open"} <= kinds


@pytest.mark.parametrize(
    "text",
    [
        "un\ndeux\n\ntrois",
        "- a\n\nsuite",
        "- a\n\n  suite de l'item\n\nnormal",
        "1. un\n\n\n2. deux\n\nfin",
        "## Titre\ntexte\n\ntexte",
        "texte  \nfin",
        "texte\n- liste qui interrompt",
        "  indenté\n\nplain",
        "a\n \nb",
        "\n\n\nplain\n\n\n",
        "x\r\ny",
        "2019. année\n\n10) dix\n\n1234567890. long",
        "« guillemets » et ; ponctuation : ok",
        "tab\tdedans\n\n\tdébut",
        "fin\u00a0\n\n\u202fdébut",
        "## Titre\n\n# Un\n\n###### Six\n\n####### Sept\n\n##Collé\n\n## \n\n##",
        "## Titre ##\n\n## Titre #\n\n## #mot\n\n## a # b\n\n##  deux espaces\n\n## fin ",
        "## Titre\ntexte collé\n\ntexte\n## Titre qui interrompt",
    ],
)
def test_shapes_at_the_edges(text: str) -> None:
    _same_as_markdown_it(text)


_LINES = st.lists(
    st.one_of(
        st.just(""),
        st.text(alphabet=" \t-*_#+>1.)\\ab\u00a0", max_size=8),
        st.sampled_from(
            ["- item", "1. un", "## titre", "# t #", "### a b", "  suite", "texte simple", "x  "]
        ),
    ),
    max_size=12,
)


@settings(max_examples=400, deadline=None)
@given(_LINES)
def test_generated_texts(lines: list[str]) -> None:
    _same_as_markdown_it("\n".join(lines))



@functools.cache
def _template() -> tuple[Any, Any]:
    from docx import Document

    from service.adapters.docx.markdown import style_table
    from service.adapters.docx.numbering import NumberingText

    document = Document()
    return NumberingText(document), style_table(document)


def _written(text: str) -> tuple[str, str]:
    from service.adapters.docx.markdown import ARTICLES, MarkdownWriter

    numbering, styles = _template()
    return tuple(  # type: ignore[return-value]
        MarkdownWriter(None, numbering.render(), styles).subdoc([text, text], item=item).__html__()
        for item in (None, ARTICLES)
    )


def _by_tokens(text: str) -> tuple[str, str]:
    """What the writer gives when every block goes through markdown-it's tokens."""
    from service.adapters.docx import markdown

    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(markdown, "blocks", lambda text: [tokens(text)])
        return _written(text)


@settings(max_examples=400, deadline=None)
@given(_LINES)
def test_plain_blocks_are_written_as_their_tokens_would_be(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert _written(text) == _by_tokens(text)


def test_the_examples_are_written_as_their_tokens_would_be() -> None:
    for text in _texts():
        assert _written(text) == _by_tokens(text)
