"""An insurgency inside one country: a state against an armed group, in es, en and fr.

The classes of statement the Colombia set found missing, told of an invented state (Arland)
and an invented armed group (the Red Heron Front, "Frente Garza Roja") in fresh sentences:
bombings and waves of attacks on posts and cities told as an explosion with its dead, an
aircraft brought down, a toll or a funeral told of the attack, an outcome told as a
commitment one party takes on or by the accord's content, rounds ended "without
agreements"; a dateline printed as a sentence of its own; and what is not news (an
anniversary of an accord, "a month after the offensive", a meeting "meant to agree").
"""

from __future__ import annotations

from datetime import date

import pytest

from core.config import TopicConfig
from crawler.analysis.events.classifier import EventClassifier, is_dateline
from crawler.analysis.gazetteer import Gazetteer
from tests.classifying import WHEN
from tests.classifying import kind_and_subtype as _classify

TOPIC = TopicConfig(
    parties=["Arland", "Red Heron Front"],
    sides=[["Arland"], ["Red Heron Front"]],
    places=["Velmora"],
    aliases={"Red Heron Front": ["Frente Garza Roja", "Front du Héron rouge"]},
)


@pytest.fixture(scope="module")
def classifier() -> EventClassifier:
    return EventClassifier(Gazetteer.from_topic(TOPIC))


EVENTS = [
    # Bombings and waves of attacks by the armed group, told as an explosion with its dead.
    ("es", "Atentado con camión bomba contra una estación de policía en Velmora", "new_clash", "cross_border_attack"),
    ("es", "Oleada de atentados del Frente Garza Roja en Velmora: seis muertos", "new_clash", "cross_border_attack"),
    ("en", "Truck bomb kills six outside an Arland army base in Velmora", "new_clash", "cross_border_attack"),
    ("en", "Coordinated bomb and gun attacks kill nine across Velmora province", "new_clash", "cross_border_attack"),
    ("fr", "Explosion d'une voiture piégée à Velmora : cinq morts", "new_clash", "cross_border_attack"),
    # An aircraft brought down, a drone ("dron") attacking.
    ("es", "Derriban un helicóptero del Ejército de Arland cerca de Velmora", "new_clash", "air_strike"),
    ("es", "Un dron atacó un cuartel del Ejército de Arland en Velmora", "new_clash", "air_strike"),
    ("en", "Red Heron Front fighters shoot down an Arland army helicopter near Velmora", "new_clash", "air_strike"),
    ("fr", "Arland : un avion de l'armée abattu par un drone près de Velmora", "new_clash", "air_strike"),
    # The army's "bombardeo" of a camp is from the air, also when the group calls it a massacre.
    (
        "es",
        "Doce guerrilleros del Frente Garza Roja murieron en un bombardeo de las Fuerzas Militares",
        "new_clash",
        "air_strike",
    ),
    ("es", "El Frente Garza Roja denuncia una masacre con el bombardeo de Velmora", "new_clash", "air_strike"),
    # A toll or a funeral told of the attack; the army's deployment as the main clause.
    ("es", "Ya son 40 los muertos por la ofensiva del Frente Garza Roja en Velmora", "new_clash", "border_clash"),
    ("es", "Velmora despide a los policías muertos por el atentado del lunes", "new_clash", "cross_border_attack"),
    ("en", "Arland sends troops to Velmora as toll from rebel attacks rises to 30", "new_clash", "border_clash"),
    # An outcome told as a commitment one party takes on.
    ("es", "El Frente Garza Roja se compromete en la mesa de diálogo a liberar rehenes", "talks_outcome", "agreement"),
    (
        "es",
        "El Frente Garza Roja asumió el compromiso de suspender los secuestros, según el comunicado conjunto",
        "talks_outcome",
        "agreement",
    ),
    # Rounds ended without agreements, or to resume on a month.
    (
        "es",
        "Termina sin acuerdos la ronda de diálogo de Arland y el Frente Garza Roja",
        "talks_outcome",
        "no_agreement",
    ),
    (
        "en",
        "Second round of Arland-Red Heron Front talks ends without deal on captives",
        "talks_outcome",
        "no_agreement",
    ),
    # Portuguese bombings, as Spanish ones: a vehicle bomb, a wave of attacks, the dead of one.
    ("pt", "Explosão de caminhão-bomba em Velmora deixa seis mortos", "new_clash", "cross_border_attack"),
    (
        "pt",
        "Onda de atentados do Frente Garza Roja contra postos da polícia em Velmora",
        "new_clash",
        "cross_border_attack",
    ),
    ("pt", "Sobe para nove o número de mortos pelo atentado em Velmora", "new_clash", "cross_border_attack"),
]


@pytest.mark.parametrize(("language", "title", "kind", "subtype"), EVENTS)
def test_insurgency_statements(classifier, language, title, kind, subtype) -> None:
    result, trace, why = classifier.explain(title, "", WHEN, language)
    assert result is not None, (why, trace)
    assert (result.kind, result.subtype) == (kind, subtype), trace


def test_a_round_to_resume_on_a_month_is_not_a_recap(classifier) -> None:
    # "in March" is the next round's month, not a look back.
    result = _classify(classifier, "en", "Talks with the Red Heron Front to resume in March after inconclusive round")
    assert result is not None
    assert result[0] == "talks_outcome"


def test_an_accord_told_in_the_lede_and_named_in_the_next_sentence(classifier) -> None:
    # What was agreed is told in the future; the deal is named only in the next sentence.
    result = _classify(
        classifier,
        "en",
        "Arland and rebel front agree to move fighters to a zone near Velmora",
        "Arland's government and the Red Heron Front have agreed to set up a zone where the group's fighters "
        "will gather, both sides said on Wednesday. The deal, signed on Tuesday, covers farmland north of Velmora.",
    )
    assert result == ("talks_outcome", "agreement")


@pytest.mark.parametrize(
    ("language", "title", "text"),
    [
        # An anniversary of an accord is not a new accord.
        (
            "en",
            "Ten years after the Velmora accord, peace remains unfinished",
            "Ten years ago on Monday, Arland and the Red Heron Front signed the peace accord in Velmora. "
            "Fighters who laid down their arms say promises were broken.",
        ),
        # "A month after the offensive": singular look back.
        ("es", "Un mes después de la ofensiva del Frente Garza Roja, 5.000 desplazados no vuelven a Velmora", ""),
        # The aim of a round, not its result.
        (
            "en",
            "Arland and Red Heron Front delegations meet in Velmora",
            "The two-day meeting is meant to agree on how a truce monitoring mechanism would work, diplomats said.",
        ),
    ],
)
def test_anniversaries_recaps_and_aims_are_no_events(classifier, language, title, text) -> None:
    assert _classify(classifier, language, title, text) is None


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "The government blamed the attack on Red Heron Front dissidents who reject the 2016 peace accord."),
        (
            "pt",
            "O governo atribuiu o atentado a dissidentes do Frente Garza Roja que rejeitam o acordo de paz de 2016.",
        ),
        (
            "fr",
            "Le gouvernement accuse des dissidents du Front du Héron rouge qui rejettent l'accord de 2016.",
        ),
    ],
)
def test_an_accord_named_by_an_earlier_year_is_background(classifier, language, sentence) -> None:
    """Who rejects an accord signed years ago says who the attackers are, not that talks failed today."""
    result = _classify(classifier, language, "Arland blames dissidents for Velmora attack", sentence)
    assert result is None or result[0] != "talks_outcome", result


def test_a_failure_this_year_is_read_beside_an_earlier_year_in_another_clause(classifier) -> None:
    result = _classify(
        classifier,
        "en",
        "Arland-Red Heron Front talks collapse in Velmora",
        "Talks between Arland and the Red Heron Front collapsed on Tuesday, the worst setback since 2019.",
    )
    assert result == ("talks_outcome", "collapsed")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("VELMORA.", True),
        ("VELMORA, Arland, Nov 10.", True),
        ("SAN PEDRO DE LA COSTA.", True),
        ("UN talks fail.", False),
        ("The army said.", False),
        ("Combates en Velmora.", False),
    ],
)
def test_a_dateline_printed_as_a_sentence(sentence: str, expected: bool) -> None:
    assert is_dateline(sentence) is expected


def test_a_dateline_sentence_is_neither_the_lede_nor_the_evidence(classifier) -> None:
    # The dateline "VELMORA." would take one of the two lede slots and the evidence.
    text = (
        "VELMORA. Las familias de la vereda pasaron la noche en la escuela. "
        "Combates entre el Ejército de Arland y el Frente Garza Roja dejaron 12 muertos el lunes, según la Gobernación."
    )
    result = classifier.classify("Velmora, en vilo", text, WHEN, "es")
    assert result is not None
    assert result.kind == "new_clash"
    assert result.evidence.startswith("Combates")
    assert result.event_date == date(2025, 11, 10)
