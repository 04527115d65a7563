"""The XML plumbing: the hardened parser and the ISO-8859-1 serializer."""

from __future__ import annotations

from lxml import etree

from service.domain.actes.xml import ACTES_NS, parse, qn, safe_parser, serialize

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/hostname"><!ENTITY big "0123456789">]>
<r>&xxe;&big;</r>
"""


def test_the_parser_itself_expands_no_entity_even_if_a_dtd_got_through() -> None:
    root = etree.fromstring(XXE, parser=safe_parser())
    # The references stay references: neither the file nor the internal value is read in.
    assert [child.tag for child in root] == [etree.Entity, etree.Entity]
    assert "".join(root.itertext()) == "&xxe;&big;"


def test_serialized_messages_are_iso_8859_1_with_references_for_other_characters() -> None:
    root = etree.Element(qn("actes:Objet"), nsmap={"actes": ACTES_NS})
    root.text = "Création d’un poste – Œuvre"
    data = serialize(root)
    assert data.startswith(b'<?xml version="1.0" encoding="ISO-8859-1"?>\n')
    assert "Création".encode("latin-1") in data
    assert b"&#8217;" in data and b"&#8211;" in data and b"&#338;" in data
    assert parse(data).text == "Création d’un poste – Œuvre"


def test_parse_reads_the_declared_encoding() -> None:
    data = '<?xml version="1.0" encoding="ISO-8859-1"?><a>Délibération</a>'.encode("latin-1")
    assert parse(data).text == "Délibération"
