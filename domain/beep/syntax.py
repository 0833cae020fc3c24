"""Dr. Syntax: an offline critique of a text — readability, long sentences, passive voice,
filler words — and a 0–100 grade."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

LONG_SENTENCE_WORDS = 25
FILLERS = (
    "very", "really", "basically", "actually", "just", "literally", "quite", "totally", "simply",
    "somewhat", "rather", "kind of", "sort of", "in order to", "going forward", "circle back",
    "leverage", "synergy", "synergies", "at the end of the day", "needless to say",
)  # fmt: skip
_PASSIVE = re.compile(
    r"\b(?:am|is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?"
    r"(\w+ed|written|done|made|built|seen|given|taken|known|shown|found|sent|paid|held|told|kept"
    r"|brought|bought|thought|caught|taught|sold|led|chosen|driven|broken|spoken|stolen)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
_WORD = re.compile(r"[A-Za-zÀ-ÿ']+")


def syllables(word: str) -> int:
    word = word.lower().strip("'")
    groups = re.findall(r"[aeiouyà-ÿ]+", word)
    count = len(groups) - (word.endswith("e") and len(groups) > 1 and not word.endswith("le"))
    return max(1, count)


def critique(text: str) -> dict[str, Any]:
    sentences = [s.strip() for s in _SENTENCE.findall(text) if _WORD.search(s)]
    words = _WORD.findall(text)
    if not words:
        return {"grade": 0, "readability": 0.0, "words": 0, "sentences": 0,
                "longSentences": [], "passiveVoice": [], "fillerWords": {},
                "suggestions": ["Give me some text to read."]}  # fmt: skip
    per_sentence = len(words) / max(1, len(sentences))
    per_word = sum(syllables(w) for w in words) / len(words)
    readability = round(206.835 - 1.015 * per_sentence - 84.6 * per_word, 1)
    long = [s for s in sentences if len(_WORD.findall(s)) > LONG_SENTENCE_WORDS]
    passive = [m.group(0) for m in _PASSIVE.finditer(text)]
    lowered = f" {' '.join(w.lower() for w in words)} "
    fillers = Counter({f: lowered.count(f" {f} ") for f in FILLERS})
    fillers = +fillers  # drop the zeros
    penalty = 10 * len(long) + 8 * len(passive) + 4 * sum(fillers.values())
    ease = min(100.0, max(0.0, readability))
    grade = max(0, min(100, round(50 + ease / 2 - penalty)))
    return {
        "grade": grade,
        "readability": readability,
        "words": len(words),
        "sentences": len(sentences),
        "longSentences": long,
        "passiveVoice": passive,
        "fillerWords": dict(fillers),
        "suggestions": _suggestions(long, passive, fillers),
    }


def _suggestions(long: list[str], passive: list[str], fillers: Counter[str]) -> list[str]:
    advice = []
    if long:
        advice.append(f"Split {len(long)} long sentence(s) (over {LONG_SENTENCE_WORDS} words).")
    if passive:
        advice.append(f"Say who acts: {len(passive)} passive phrase(s), e.g. “{passive[0]}”.")
    if fillers:
        advice.append("Cut filler: " + ", ".join(f"“{w}”" for w in fillers) + ".")
    return advice or ["Clear and direct. Nothing to fix."]
