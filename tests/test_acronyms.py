"""Acronyms the report defines link a sentence in the short form to a question in the long form."""

from rekenqa.acronyms import defined, linked, term_links
from rekenqa.lexical import Analyzer


def test_names_are_read_from_their_definitions() -> None:
    names = defined([
        "In 2022 is de Richtlijn Tijdelijke Bescherming (RTB) in werking gesteld.",
        "Het Plan Inburgering en Participatie (PIP) wordt opgesteld.",
        "Het Werkgeverservicepunt (WSP) helpt werkgevers.",
        "Een migrant staat in de Basisregistratie Personen (BRP). Later weer (BRP).",
        "Met de externe aanbieder van taalcursussen (Toptaal).",  # one capital: a name, not an acronym
    ])
    assert names == {
        "RTB": "Richtlijn Tijdelijke Bescherming",
        "PIP": "Plan Inburgering en Participatie",  # its initials, not the last word that holds P, I, P
        "WSP": "Werkgeverservicepunt",
        "BRP": "Basisregistratie Personen",
    }


def test_a_sentence_holds_the_words_of_both_forms() -> None:
    analyzer = Analyzer()
    links = term_links({"RTB": "Richtlijn Tijdelijke Bescherming", "RNI": "Registratie Niet-Ingezetenen"}, analyzer.analyze)

    def terms(text: str) -> frozenset[str]:
        return linked(frozenset(analyzer.analyze(text)), text, links)

    long_form = frozenset(analyzer.analyze("Richtlijn Tijdelijke Bescherming"))
    assert long_form <= terms("De RTB geldt nu tot en met 4 maart 2027.")
    assert "rtb" in terms("Oekraïners vallen onder de Richtlijn Tijdelijke Bescherming.")
    # The name's stems without the name itself do not make the acronym.
    assert "rni" not in terms("Zij moeten zich als ingezetene registreren, niet elders.")
