"""How often charset-normalizer alone reads a short Belgian Excel CSV (Windows-1252) right.

    .venv/bin/python bench/encoding_guesses.py

crm.imports.files decodes strict UTF-8 first and falls back to Windows-1252, asking
charset-normalizer only when neither decodes: this script is the measurement behind that choice.
"""

from charset_normalizer import __version__, from_bytes

# What coordinators' lists look like: a header and two to four rows, accents in the names.
LISTS = (
    "naam;telefoon\nCafé Élise;03 778 30 60\n",
    "naam;gemeente\nFrançois Noël;Sinaai\n",
    "naam;telefoon;e-mail\nVzw De Brug;03 776 11 22;info@debrug.be\n"
    "Hélène Dubois;0470 12 34 56;helene@example.be\nJoël Van Damme;;\n",
    "Naam;Soort\nBakkerij Françoise;Bedrijf\n",
    "naam\nMüller\n",
    "naam;adres\nLeën Peeters;Kerkstraat 1\nGaëlle Maes;Stationsstraat 12\n"
    "Véronique De Smet;Markt 3\n",
)


def main() -> None:
    right = 0
    for text in LISTS:
        best = from_bytes(text.encode("cp1252")).best()
        decoded = str(best) if best else None
        right += decoded == text
        print(f"{best.encoding if best else None:>8}  {'right' if decoded == text else 'WRONG'}")
    print(f"charset-normalizer {__version__}: {right} of {len(LISTS)} read right")


if __name__ == "__main__":
    main()
