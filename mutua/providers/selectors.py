"""Reads of the hospitals on file."""

import re
import unicodedata

from mutua.providers.models import Provider


def folded(text: str) -> str:
    """Accents, case and punctuation ignored: "Hôpital Saint-Joseph" is "hopital saint joseph"."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()
    return " ".join(re.findall(r"\w+", plain))


def provider_namesake(*, name: str, city: str, country: str) -> Provider | None:
    """The hospital on file with this name in this city, however the name was typed."""
    wanted = (folded(name), folded(city))
    # Folding is done here rather than in SQL, the same way on SQLite and PostgreSQL; one country's hospitals
    # on file are a few thousand at most.
    for provider in Provider.objects.filter(country=country).only("name", "city", "active"):
        if (folded(provider.name), folded(provider.city)) == wanted:
            return provider
    return None


def provider_with_finess(*, finess: str) -> Provider | None:
    return Provider.objects.filter(finess=finess).first() if finess else None
