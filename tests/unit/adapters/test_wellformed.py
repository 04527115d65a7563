"""Which Jinja sources always render to well-formed XML (the prepared path takes only those)."""

from __future__ import annotations

import pytest

from service.adapters.docx.cache import ENVIRONMENT
from service.adapters.docx.wellformed import always_well_formed


@pytest.mark.parametrize(
    "source",
    [
        "<a>{% if x %}<b/>{% elif y %}<c>t</c>{% else %}<d></d>{% endif %}</a>",
        '<a x="{{ v }}">{{ w }}</a>',
        "<a>{% set y = 1 %}{% for i in x %}<p>{{ i }}</p>{% else %}<q/>{% endfor %}</a>",
        "<w:tbl>{% for r in x %}<w:tr><w:tc/></w:tr>{% endfor %}</w:tbl>",
        "<a>{% for i in x %}{% if i %}{% break %}{% endif %}{% endfor %}</a>",
    ],
)
def test_balanced_blocks_are_taken(source: str) -> None:
    assert always_well_formed(source, ENVIRONMENT)


@pytest.mark.parametrize(
    "source",
    [
        "<a>{% if x %}<b>{% endif %}</b></a>",  # opens in the block, closes after it
        "<a><b>{% if x %}</b><b>{% endif %}</b></a>",  # closes what was open before it
        "<w:tr><w:tc>{% if x %}</w:tc><w:tc><w:p/>{% endif %}</w:tc></w:tr>",
        "<w:tr>{% if x %}<w:tc/>{% endif %}</w:tr>",  # the row's cells would vary
        '<a x="{% if v %}1{% endif %}">t</a>',  # a block inside a tag
        "<a>{{ v|safe }}</a>",  # payload text unescaped
        "<a>{% set y %}<b/>{% endset %}{{ y }}</a>",
        '<a>{% include "x" %}</a>',
        "<a>{% filter upper %}<b/>{% endfilter %}</a>",
        "<a><b></a></b>",
        "<a>",
        "<a><!-- c --></a>",
    ],
)
def test_uncertain_sources_are_refused(source: str) -> None:
    assert not always_well_formed(source, ENVIRONMENT)
