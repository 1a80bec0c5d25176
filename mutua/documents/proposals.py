"""Amounts and dates to propose from the text read on a receipt (French or English).

Pure functions: text in, proposals out. OCR text is noisy, so these are proposals for a person
to confirm, ranked so that the most likely total and the most likely care date come first.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

MAX_AMOUNTS = 10
MAX_DATES = 5
# Bills of 500 EUR or more go by post, so an online receipt's total is rarely above four figures.
_MAX_AMOUNT = Decimal("100000")

_CURRENCY = r"(?:€|\beur(?:os?)?\b|\busd\b|\$|£|\bgbp\b|\bchf\b)"
# 45,00 · 1 250,00 · 1.250,00 · 1,250.00 — two decimals; not part of a date (12.03.24), a time or a rate (5,50 %).
_DECIMAL_AMOUNT = re.compile(
    r"(?<![\d.,/:-])"
    r"(?P<int>\d{1,3}(?P<sep>[ .,'])\d{3}(?:(?P=sep)\d{3})*|\d+)"
    r"(?P<dec>[.,])(?P<cents>\d{2})"
    r"(?![\d%]|[.,/:]\d|\s?%)"
)
# 45 € · EUR 45 — whole amounts only count next to a currency.
_WHOLE_AMOUNT = re.compile(
    rf"(?<![\d.,/:-])(?P<before>\d{{1,6}})\s?{_CURRENCY}|{_CURRENCY}\s?(?P<after>\d{{1,6}})(?![\d.,])", re.IGNORECASE
)
_CURRENCY_RE = re.compile(_CURRENCY, re.IGNORECASE)

# Line labels, matched on the lower-case text without accents.
_PART_TOTAL = re.compile(r"sous[ -]?total|sub[ -]?total|\bht\b|hors tax|before tax|excl")
_TOTAL = re.compile(
    r"\btotal|\bmontant|a payer|reste a (?:payer|charge)|\bamount\b|\bbalance\b|\bto pay\b|\bsomme\b|\bdue\b"
)
_TAX = re.compile(r"\btva\b|t\.v\.a|\bvat\b|\btax(?:e|es)?\b")
_NOT_TOTAL = re.compile(r"\brendu|\bmonnaie\b|\bchange\b|\bremise\b|\bdiscount|\breduction|\beconomie|\bavoir\b")
_PAYMENT = re.compile(r"\b(?:cb|carte|especes|cash|visa|mastercard|paye|paid|regle|cheque|card|debit)\b")

_MONTHS = {
    "janvier": 1, "janv": 1, "january": 1, "jan": 1,
    "fevrier": 2, "fevr": 2, "fev": 2, "february": 2, "feb": 2,
    "mars": 3, "march": 3, "mar": 3,
    "avril": 4, "avr": 4, "april": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juin": 6, "june": 6, "jun": 6,
    "juillet": 7, "juil": 7, "july": 7, "jul": 7,
    "aout": 8, "august": 8, "aug": 8,
    "septembre": 9, "september": 9, "sept": 9, "sep": 9,
    "octobre": 10, "october": 10, "oct": 10,
    "novembre": 11, "november": 11, "nov": 11,
    "decembre": 12, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?"
_DATE_PATTERNS = (
    # 12/03/2024 · 12.03.24 · 12-03-2024 (day first; month first only when the day-first reading is impossible)
    re.compile(r"(?<![\d/.-])(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})(?![\d/]|[.-]\d)"),
    # 2024-03-12 · 2024/03/12
    re.compile(r"(?<![\d/.-])(?P<year>\d{4})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<a>\d{1,2})(?![\d/]|[.-]\d)"),
    # 12 mars 2024 · 1er mars 2024 · 12 March 2024 · 12-Mar-24
    re.compile(rf"(?<![\w])(?P<a>\d{{1,2}})(?:er|st|nd|rd|th)?[ -]{_MONTH}[ -]?(?P<year>\d{{4}}|\d{{2}})(?!\d)"),
    # March 12, 2024
    re.compile(rf"\b{_MONTH} (?P<a>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<year>\d{{4}})(?!\d)"),
)
_DATE_LABEL = re.compile(r"\bdate|\bdu\b|\ble\b|facture|\bsoins?\b|ticket|achat|invoice|receipt|visit|\bon\b")
_NOT_CARE_DATE = re.compile(
    r"naissance|\bnee?\b|birth|\bdob\b|echeance|due date|valable|validite|expir|\bexp\b|\bdepuis\b|\bsince\b"
)


@dataclass(frozen=True)
class ReceiptProposals:
    amounts: tuple[Decimal, ...]  # the most likely total first
    dates: tuple[date, ...]  # the most likely date of the care first


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _line_amounts(line: str) -> list[tuple[Decimal, int]]:
    """(amount, bonus) for each amount written on the line."""
    found: list[tuple[Decimal, int]] = []
    taken: list[tuple[int, int]] = []
    for match in _DECIMAL_AMOUNT.finditer(line):
        integer, separator, decimal = match["int"], match["sep"], match["dec"]
        if separator == decimal:
            continue
        near = line[max(0, match.start() - 4) : match.end() + 5]
        bonus = 1 if _CURRENCY_RE.search(near) else 0
        cents = match["cents"]
        if separator == " ":
            # "x12 100,00" is more often a quantity then a price than 12 100 EUR (the online service stops at 500 EUR).
            found.append((Decimal(f"{integer.rsplit(' ', 1)[1]}.{cents}"), bonus))
            bonus -= 2
        digits = integer.replace(separator, "") if separator else integer
        found.append((Decimal(f"{digits}.{cents}"), bonus))
        taken.append(match.span())
    for match in _WHOLE_AMOUNT.finditer(line):
        if any(start < match.end() and match.start() < end for start, end in taken):
            continue
        found.append((Decimal(match["before"] or match["after"]).quantize(Decimal("0.01")), 1))
    return [(amount, bonus) for amount, bonus in found if Decimal(0) < amount < _MAX_AMOUNT]


def proposed_amounts(text: str) -> list[Decimal]:
    """Amounts on the receipt, the most likely total first, each once."""
    scored: list[tuple[int, Decimal, int]] = []
    label_waiting = False  # "TOTAL" on one line, its amount on the next (OCR splits columns)
    for index, line in enumerate(text.splitlines()):
        folded = _folded(line)
        amounts = _line_amounts(line)
        score = 0
        if _PART_TOTAL.search(folded):
            score += 3
        elif _TOTAL.search(folded):
            score += 10
        if _TAX.search(folded) and "ttc" not in folded:
            score -= 6
        if _NOT_TOTAL.search(folded):
            score -= 8
        if _PAYMENT.search(folded):
            score += 5
        if amounts and label_waiting:
            score += 8
        label_waiting = not amounts and score >= 10
        for amount, bonus in amounts:
            scored.append((score + bonus, amount, index))
    scored.sort(key=lambda row: (-row[0], -row[1], row[2]))
    return list(dict.fromkeys(amount for _, amount, _ in scored))[:MAX_AMOUNTS]


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) == 2 else year


def _line_dates(folded: str) -> list[date]:
    found: list[tuple[int, date]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(folded):
            year, day = _year(match["year"]), int(match["a"])
            groups = match.groupdict()
            if groups.get("month"):
                readings = [(day, _MONTHS[groups["month"]])]
            else:
                readings = [(day, int(match["b"])), (int(match["b"]), day)]  # day first, else month first
            for day_number, month in readings:
                try:
                    found.append((match.start(), date(year, month, day_number)))
                    break
                except ValueError:
                    continue
    return [when for _, when in sorted(found, key=lambda row: row[0]) if 1900 <= when.year <= 2100]


def proposed_dates(text: str, *, today: date | None = None) -> list[date]:
    """Dates on the receipt, the most likely date of the care first, each once; none after ``today``."""
    scored: list[tuple[int, int, date]] = []
    for index, line in enumerate(text.splitlines()):
        folded = _folded(line)
        score = 0
        if _DATE_LABEL.search(folded):
            score += 2
        if _NOT_CARE_DATE.search(folded):
            score -= 5
        for when in _line_dates(folded):
            if today is None or when <= today:
                scored.append((score, index, when))
    scored.sort(key=lambda row: (-row[0], row[1]))
    return list(dict.fromkeys(when for _, _, when in scored))[:MAX_DATES]


def receipt_proposals(text: str, *, today: date | None = None) -> ReceiptProposals:
    return ReceiptProposals(amounts=tuple(proposed_amounts(text)), dates=tuple(proposed_dates(text, today=today)))
