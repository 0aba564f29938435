"""Refuse XML documents that declare entities, before any feed parser sees them.

Feeds never need DTD entity declarations, and they are the root of two attacks: entity
expansion (billion laughs, quadratic blow-up) exhausting memory, and external entities reading
local files or making requests. feedparser 6 already drops unsafe declarations and turns off
external general entities, and expat >= 2.4 caps amplification; this check is a third, explicit
layer that does not depend on either (the way defusedxml's ``forbid_entities`` does it).

1. defusedxml's SAX reader walks the prolog with entity and external declarations forbidden and
   stops at the root element (cheap: it never reads the body);
2. if expat cannot read the prolog at all (unknown or lying encoding), a byte scan looks for an
   entity declaration in ASCII-compatible, UTF-16 and UTF-32 forms of the document's head.
"""
from __future__ import annotations

import re
import xml.sax
from xml.sax.handler import ContentHandler

import defusedxml
import defusedxml.sax

from schemas.models import Rejected

HEAD_BYTES = 256 * 1024
_ENTITY_DECL = re.compile(r"<!\s*ENTITY", re.I)


class _ReachedRoot(Exception):
    pass


class _StopAtRoot(ContentHandler):
    def startElement(self, name, attrs):  # noqa: N802 - SAX naming
        raise _ReachedRoot

    def startElementNS(self, name, qname, attrs):  # noqa: N802
        raise _ReachedRoot


def _scan_head(data: bytes) -> bool:
    head = data[:HEAD_BYTES]
    texts = [head.decode("latin-1")]
    if b"\x00" in head[:512]:
        for codec in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
            for shift in range(0, 4 if "32" in codec else 2):
                texts.append(head[shift:].decode(codec, errors="ignore"))
    return any(_ENTITY_DECL.search(text) for text in texts)


def check_xml(data: bytes) -> None:
    """Raise Rejected('xml_entities' | 'xml_external_entity' | 'xml_dtd', ...) for a dangerous prolog."""
    try:
        defusedxml.sax.parseString(data, _StopAtRoot(), forbid_dtd=False, forbid_entities=True,
                                   forbid_external=False)   # an external DTD (RSS 0.91) is common and never loaded
    except _ReachedRoot:
        return
    except defusedxml.EntitiesForbidden as exc:
        raise Rejected("xml_entities", f"the document declares the entity {exc.name!r};"
                                       " entity declarations are refused", stage="connector") from None
    except defusedxml.ExternalReferenceForbidden as exc:
        raise Rejected("xml_external_entity", f"the document references an external entity"
                                              f" ({exc.sysid or exc.pubid})", stage="connector") from None
    except defusedxml.DefusedXmlException as exc:
        raise Rejected("xml_dtd", str(exc), stage="connector") from None
    except (xml.sax.SAXException, ValueError, LookupError, UnicodeError):
        # expat could not read the prolog; feedparser may still manage (it re-decodes the bytes),
        # so look for declarations in the raw bytes before letting it try
        if _scan_head(data):
            raise Rejected("xml_entities", "the document declares entities (found by a byte scan);"
                                           " entity declarations are refused", stage="connector") from None
