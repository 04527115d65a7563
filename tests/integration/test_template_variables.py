"""The templates are a contract: their variables exist and are documented, the file is rebuilt."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from docxtpl import DocxTemplate
from jinja2 import meta
from template_support import TEMPLATES, dijon_data

from service.adapters.docx.cache import ENVIRONMENT
from service.adapters.docx.context import DERIVED_KEYS, PAYLOAD_KEYS, template_context
from service.adapters.docx.template_check import attribute_paths as attribute_paths_of
from service.adapters.docx.template_check import jinja_source, model_has
from service.domain.actes.identifier import identifier_for
from service.domain.payload import DeliberationPayload

README = TEMPLATES / "README.md"
# The templates of one deliberation; the list of a sitting's deliberations and its procès-verbal
# have their own variables (tests/integration/test_template_liste.py, _proces_verbal.py).
ALL_TEMPLATES = sorted(p for p in TEMPLATES.glob("*.docx")
                       if p.name not in ("liste_deliberations.docx", "proces_verbal.docx"))


def attribute_paths(path: Path) -> set[str]:
    """Return every ``a.b.c`` the template reads from its context (body, headers, footers)."""
    ast = ENVIRONMENT.parse(jinja_source(path.read_bytes()))
    return attribute_paths_of(ast, meta.find_undeclared_variables(ast))


def payload_has(path: str) -> bool:
    """`True` when *path* (``deliberation.vote.pour``) is a field of the payload model."""
    return model_has(DeliberationPayload, path)


def dijon_context() -> dict:
    payload = DeliberationPayload.model_validate(dijon_data())
    ident = identifier_for(
        "021", payload.collectivite.siren, payload.seance.date, "2019-12-19_013", "DE"
    )
    context = template_context(payload, ident)
    context["blocs"] = {"expose": object(), "articles": object()}
    return context


def documented() -> set[str]:
    return set(re.findall(r"`([a-z_]+(?:\.[a-z_]+)*)`", README.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", ALL_TEMPLATES, ids=lambda p: p.name)
def test_template_variables_are_payload_fields_or_derived_keys(path: Path) -> None:
    variables = DocxTemplate(path).get_undeclared_template_variables()
    assert variables, "no variable found: the template was not read"
    assert variables <= set(PAYLOAD_KEYS) | set(DERIVED_KEYS), variables - set(PAYLOAD_KEYS)


@pytest.mark.parametrize("path", ALL_TEMPLATES, ids=lambda p: p.name)
def test_every_attribute_the_template_reads_exists(path: Path) -> None:
    context = dijon_context()
    missing = []
    for dotted in sorted(attribute_paths(path)):
        root, *rest = dotted.split(".")
        if root in DERIVED_KEYS:
            value = context
            for name in [root, *rest]:
                if not isinstance(value, dict) or name not in value:
                    missing.append(dotted)
                    break
                value = value[name]
        elif not payload_has(dotted):
            missing.append(dotted)
    assert missing == []


@pytest.mark.parametrize("path", ALL_TEMPLATES, ids=lambda p: p.name)
def test_every_variable_of_the_template_is_documented(path: Path) -> None:
    variables = DocxTemplate(path).get_undeclared_template_variables()
    used = attribute_paths(path)
    # A payload path whose children are documented (deliberation.vote → deliberation.vote.pour)
    # is documented through them.
    undocumented = {
        v
        for v in used | variables
        if v not in documented() and not any(d.startswith(v + ".") for d in documented())
    }
    assert undocumented == set()


def test_every_derived_value_of_the_context_is_documented() -> None:
    context = dijon_context()
    derived = {"identifiant"} | {
        f"{key}.{name}" for key in ("decompte", "textes", "blocs") for name in context[key]
    }
    assert derived - documented() == set()
    assert set(DERIVED_KEYS) <= documented()
    assert set(PAYLOAD_KEYS) <= documented()


def test_the_committed_template_is_what_the_build_script_makes() -> None:
    script = TEMPLATES / "build_templates.py"
    result = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
