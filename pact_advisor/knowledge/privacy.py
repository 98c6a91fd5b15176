"""Personal data in a question: what looks like an e-mail address, a phone number, a passport
or ID number, or a date of birth.

Colleagues may paste case details into a question. Such a question is still answered, but
its text is never stored (only that it was asked), and the asker is reminded privately not to
share personal data. The patterns lean towards finding too much: a false alarm costs a
reminder, a miss keeps someone's data.
"""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: Nine or more digits written as one number: "+212 6 12 34 56 78", "(0)612-345-678".
_PHONE = re.compile(r"(?<![\w.])\+?\(?\d(?:[\s().-]{0,2}\d){8,}(?![\w.])")
#: A document word followed by something with digits: "passport no. X1234567", "DNI 12345678Z".
_DOCUMENT = re.compile(
    r"\b(?:passports?|passeports?|pasaportes?|id|identity|identit[eé]|identidad|dni|nie|nif|"
    r"cni|carte|card|tarjeta|document(?:o)?|residence permit|titre de s[eé]jour)\b"
    r"[^\n\d]{0,25}\b(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{4,}\b",
    re.IGNORECASE,
)
#: A document number on its own: one or two letters and seven or more digits ("AB1234567").
_DOCUMENT_NUMBER = re.compile(r"\b[A-Z]{1,2}\d{7,9}\b")
_DATE = (
    r"(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\s+[A-Za-zéû]{3,9}\.?\s+\d{4})"
)
_BIRTH = re.compile(
    r"\b(?:born|birth|dob|d\.o\.b|n[ée]e?|naissance|nacid[oa]|nacimiento)\b[^\n]{0,20}?" + _DATE,
    re.IGNORECASE,
)

_PATTERNS = (_EMAIL, _PHONE, _DOCUMENT, _DOCUMENT_NUMBER, _BIRTH)
#: Discord mentions (<@123…>, <#123…>, <@&123…>) and custom emoji carry long ids, no one's data.
_DISCORD_MARKUP = re.compile(r"<(?:@[!&]?|#|a?:\w+:)\d+>")


def has_personal_data(text: str) -> bool:
    """Whether ``text`` looks like it holds personal data."""
    text = _DISCORD_MARKUP.sub(" ", text)
    return any(p.search(text) for p in _PATTERNS)


def redact(text: str, mark: str = "[…]") -> str:
    """``text`` with what looks like personal data replaced by ``mark``."""
    for pattern in _PATTERNS:
        text = pattern.sub(mark, text)
    return text
