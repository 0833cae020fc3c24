"""What a command mentions: emails, phones, amounts, quoted text, names, key=value pairs."""

from __future__ import annotations

import re
from difflib import get_close_matches

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w.])\+?\d[\d ().-]{5,}\d(?![\w.])")
QUOTED = re.compile(r"[\"“”']([^\"“”']{1,4000})[\"“”']")
AMOUNT = re.compile(r"(?<![\w.@+-])(\d{1,7}(?:\.\d{1,2})?)(?![\w@.-]*@)(?!\d)")
PAIR = re.compile(r"(\w+)\s*[=:]\s*(\"[^\"]*\"|'[^']*'|[^\s,;]+)")
WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]*")

# Words that never belong to a person's or a workflow's name.
_STOPWORDS = """
    a an the my our me i we us you your please can could would will just now new and or with
    for to of on about in into at by from as is are be it its this that these those named
    called whose who what which how many much some all any please kindly hey hi hello beep
    there here up out do does did want need like know let show tell give get his her their them
    anyone someone anybody somebody everyone him he she they contact contacts lead leads
    customer customers client clients person people info details number phone email address
    mail mobile cell first last name surname
"""
STOPWORDS = frozenset(_STOPWORDS.split())


def emails(text: str) -> list[str]:
    return EMAIL.findall(text)


def phones(text: str) -> list[str]:
    return [
        m.strip() for m in PHONE.findall(EMAIL.sub(" ", text)) if len(re.sub(r"\D", "", m)) >= 7
    ]


def amount(text: str) -> float | None:
    cleaned = PHONE.sub(" ", EMAIL.sub(" ", text))
    found = AMOUNT.search(cleaned)
    return float(found.group(1)) if found else None


def quoted(text: str) -> list[str]:
    return [q.strip() for q in QUOTED.findall(text) if q.strip()]


def pairs(text: str) -> dict[str, object]:
    """`key=value` and `key: value` pairs; numbers and true/false keep their JSON type."""
    return {key: _typed(value.strip("\"'")) for key, value in PAIR.findall(EMAIL.sub(" ", text))}


def _typed(value: str) -> object:
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    try:
        return int(value) if value.lstrip("-").isdigit() else float(value)
    except ValueError:
        return value


ARTICLES = frozenset(["a", "an", "the", "my", "our", "your", "this", "that", "please"])


def name_in(
    text: str, keywords: frozenset[str], stopwords: frozenset[str] = STOPWORDS
) -> str | None:
    """The longest run of words that are neither keywords nor stopwords, title-cased."""
    cleaned = PHONE.sub(" | ", EMAIL.sub(" | ", text))
    runs: list[list[str]] = [[]]
    for token in re.findall(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]*|\S", cleaned):
        word = token.lower().removesuffix("'s").removesuffix("’s")
        if WORD.fullmatch(token) and word not in stopwords and word not in keywords:
            runs[-1].append(token.removesuffix("'s").removesuffix("’s"))
        elif runs[-1]:
            runs.append([])
    best = max(runs, key=len)
    return " ".join(w if w[:1].isupper() else w.title() for w in best[:4]) or None


def corrected(words: list[str], vocabulary: frozenset[str]) -> list[str]:
    """Fixes typos of known keywords ("balanse" → "balance"), leaving other words alone."""
    fixed = []
    for word in words:
        if len(word) >= 5 and word not in vocabulary and word not in STOPWORDS:
            close = get_close_matches(word, vocabulary, n=1, cutoff=0.82)
            fixed.append(close[0] if close else word)
        else:
            fixed.append(word)
    return fixed


def similar(wanted: str, candidates: dict[str, str], cutoff: float = 0.6) -> str | None:
    """The key of the candidate (key → label) whose label best matches `wanted`, if close enough."""
    wanted = wanted.lower().strip()
    labels = {label.lower(): key for key, label in candidates.items() if label}
    if wanted in labels:
        return labels[wanted]
    contained = [key for label, key in labels.items() if wanted in label or label in wanted]
    if len(contained) == 1:
        return contained[0]
    close = get_close_matches(wanted, list(labels), n=1, cutoff=cutoff)
    return labels[close[0]] if close else None
