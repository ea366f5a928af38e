"""Story clustering in process: the gazetteer, article features, and StoryClusterer decisions."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from core.config import StoriesConfig, TopicConfig
from crawler.analysis.features import Features, article_features, cosine, term_weight, tfidf
from crawler.analysis.gazetteer import Gazetteer
from crawler.analysis.text import words
from crawler.stories.clusterer import StoryClusterer

TOPIC = TopicConfig(
    parties=["Pakistan", "Afghanistan", "Taliban"],
    mediators=["Qatar", "Turkey"],
    places=["Torkham", "Chaman", "Kurram", "Spin Boldak", "Istanbul"],
    aliases={
        "Pakistan": ["پاکستان", "पाकिस्तान"],
        "Afghanistan": ["افغانستان", "अफ़ग़ानिस्तान"],
        "Torkham": ["طورخم", "تورخم", "तोरखम"],
        "Chaman": ["چمن", "चमन"],
        "TTP": ["ٹی ٹی پی", "टीटीपी", "Pakistani Taliban"],
    },
)
DAY = datetime(2025, 10, 15, 8, 0, tzinfo=UTC)

CHAMAN_CLASH = (
    "Pakistani and Afghan forces clash near Chaman border crossing",
    "Pakistani and Afghan troops exchanged heavy mortar fire near the Chaman crossing on Wednesday "
    "night, killing at least six civilians in Spin Boldak and wounding dozens, local hospital staff "
    "said. Shells struck houses and a market on the Afghan side while Pakistani border posts were hit "
    "by rockets.",
)
# The same clash, another outlet, other words.
CHAMAN_CLASH_OTHER = (
    "Civilians killed as mortar shells hit Spin Boldak market",
    "Mortar shells fired across the frontier at Chaman slammed into a crowded market in Spin Boldak, "
    "killing six civilians, doctors at the district hospital said on Wednesday. Afghan forces fired "
    "rockets at Pakistani border posts in response, witnesses said.",
)
# Same actors, another place, three days later: another event.
KURRAM_CLASH = (
    "Pakistani and Afghan forces clash in Kurram",
    "Pakistani and Afghan troops exchanged fire in Kurram district on Saturday, security officials "
    "said, with both sides accusing the other of opening fire first on border posts. Three soldiers "
    "were wounded.",
)
BACKGROUND = [
    (
        "Qatar hosts talks between Pakistan and Afghanistan",
        "Delegations from Pakistan and Afghanistan met in Doha under Qatar mediation to discuss a ceasefire and trade.",
    ),
    (
        "Istanbul talks resume",
        "Negotiators from Pakistan and the Taliban government resumed talks in Istanbul hosted by Turkey.",
    ),
    (
        "Torkham reopens for pedestrians",
        "The Torkham crossing reopened for pedestrians after weeks of closure, customs officials in Pakistan said.",
    ),
]


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.from_topic(TOPIC)


def _features(gazetteer: Gazetteer, article_id: int, item: tuple[str, str], when: datetime) -> Features:
    return article_features(article_id, item[0], item[1], when, "en", gazetteer)


def _clusterer(gazetteer: Gazetteer, **kwargs) -> StoryClusterer:
    """A clusterer at the production threshold, with a few unrelated stories of the day before."""
    kwargs.setdefault("threshold", StoriesConfig().join_threshold)
    clusterer = StoryClusterer(gazetteer, **kwargs)
    for i, item in enumerate(BACKGROUND, start=100):
        clusterer.add(i, _features(gazetteer, i, item, DAY - timedelta(days=1)))
    return clusterer


# --- gazetteer and features -------------------------------------------------------------


def test_gazetteer_maps_urdu_and_hindi_spellings_to_canonical_names(gazetteer):
    assert gazetteer.kinds["Torkham"] == "place"
    assert gazetteer.kinds["Pakistan"] == "party"
    assert gazetteer.kinds["Qatar"] == "mediator"
    assert gazetteer.kinds["TTP"] == "place"  # an alias-only entity defaults to a place

    urdu = "طورخم سرحد پر پاکستان اور افغانستان کی فورسز کے درمیان فائرنگ، ٹی ٹی پی پر الزام"
    assert gazetteer.find(words(urdu)) == {"Torkham", "Pakistan", "Afghanistan", "TTP"}
    hindi = "तोरखम सीमा पर पाकिस्तान और अफ़ग़ानिस्तान के बीच गोलीबारी"
    assert gazetteer.find(words(hindi)) == {"Torkham", "Pakistan", "Afghanistan"}
    # The nukta is optional: the alias was given with it, the text is written without.
    assert gazetteer.find(words("अफगानिस्तान")) == {"Afghanistan"}
    # Arabic yeh/kaf spellings fold to the Urdu forms.
    assert gazetteer.find(words("باكستان")) == set()
    assert gazetteer.find(words("پاکستان".replace("ک", "ك"))) == {"Pakistan"}
    # Multi-word names match as phrases, and only as phrases.
    assert gazetteer.find(words("clashes in Spin Boldak")) == {"Spin Boldak"}
    # Sub-phrases count too: "Pakistani Taliban" names the TTP and the word Taliban.
    assert "TTP" in gazetteer.find(words("Pakistani Taliban attack"))
    assert gazetteer.find(words("a spin of the wheel")) == set()


def test_article_features_weights_headline_and_finds_entities(gazetteer):
    features = article_features(
        1, "Clash at Chaman", "Mortar fire at the Chaman crossing. Zabihullah Mujahid said.", DAY, "en", gazetteer
    )
    assert features.terms["clash"] == 2  # headline words count twice
    assert features.terms["chaman"] == 3
    assert "the" not in features.terms and "said" not in features.terms
    assert {"Chaman", "zabihullah mujahid"} <= features.entities
    urdu = article_features(2, "چمن میں جھڑپ", "پاکستان اور افغانستان کی فورسز", DAY, "ur", gazetteer)
    assert urdu.entities == {"Chaman", "Pakistan", "Afghanistan"}


def test_tfidf_is_normalised_and_cosine_ranks_overlap():
    df = Counter({"talks": 5, "istanbul": 1, "ceasefire": 2})
    a = tfidf(Counter({"talks": 2, "istanbul": 1}), df, 10)
    b = tfidf(Counter({"talks": 1, "ceasefire": 1}), df, 10)
    c = tfidf(Counter({"mortar": 1}), df, 10)
    assert sum(w * w for w in a.values()) == pytest.approx(1.0)
    assert a["istanbul"] > a["talks"] / 2, "a rare word weighs more than its count suggests"
    assert cosine(a, a) == pytest.approx(1.0)
    assert 0 < cosine(a, b) < 1
    assert cosine(a, b) == pytest.approx(cosine(b, a))
    assert cosine(a, c) == 0.0
    assert tfidf(Counter(), df, 10) == {}


# --- clusterer --------------------------------------------------------------------------


def test_two_reports_of_one_event_join(gazetteer):
    clusterer = _clusterer(gazetteer)
    first = _features(gazetteer, 1, CHAMAN_CLASH, DAY)
    assert clusterer.best(first) is None, "the first report starts a story"
    clusterer.add(1, first)
    match = clusterer.best(_features(gazetteer, 2, CHAMAN_CLASH_OTHER, DAY + timedelta(hours=3)))
    assert match is not None and match.story_id == 1
    assert match.score >= 0.4


def test_story_weights_follow_joining_articles_term_by_term(gazetteer):
    # A story's tf-idf weights are updated for the terms each joining article brings, not
    # recomputed whole; the text similarity must stay what a recomputation gives, up to the
    # drift of untouched terms' document frequencies.
    clusterer = _clusterer(gazetteer)
    for i in range(40):  # a corpus in which one more article is a small change (< 5 %)
        item = BACKGROUND[i % len(BACKGROUND)]
        clusterer.add(200 + i, _features(gazetteer, 200 + i, item, DAY - timedelta(days=1)))
    clusterer.add(1, _features(gazetteer, 1, CHAMAN_CLASH, DAY))
    probe = _features(gazetteer, 9, CHAMAN_CLASH_OTHER, DAY + timedelta(hours=1))
    clusterer.best(probe)  # computes the story's weights
    story = clusterer.stories[1]
    assert story.weights is not None
    joining = _features(gazetteer, 2, CHAMAN_CLASH_OTHER, DAY + timedelta(hours=2))
    clusterer.add(1, joining)
    for term in joining.terms:
        assert story.weights[term] == term_weight(story.terms[term], clusterer.term_df[term], clusterer.documents), (
            "a joining article's terms are re-weighted with today's counts"
        )
    assert story.sumsq == pytest.approx(sum(w * w for w in story.weights.values()))
    vector = tfidf(probe.terms, clusterer.term_df, clusterer.documents + 1)
    documents_at_weights = story.weights_documents
    kept = clusterer.score(probe, story, vector)
    assert story.weights_documents == documents_at_weights, "scored with the updated weights, not recomputed"
    story.weights = None
    fresh = clusterer.score(probe, story, vector)
    assert 0 < kept == pytest.approx(fresh, abs=0.005)


def test_same_actors_in_another_place_three_days_later_do_not_join(gazetteer):
    clusterer = _clusterer(gazetteer)
    clusterer.add(1, _features(gazetteer, 1, CHAMAN_CLASH, DAY))
    kurram = _features(gazetteer, 3, KURRAM_CLASH, DAY + timedelta(days=3))
    assert clusterer.best(kurram) is None
    # It is the place disagreement that keeps them apart: the text alone is close.
    score = clusterer.score(
        kurram, clusterer.stories[1], tfidf(kurram.terms, clusterer.term_df, clusterer.documents + 1)
    )
    assert score < clusterer.threshold < 2 * score


@pytest.mark.parametrize("direction", [1, -1], ids=["after", "before"])
def test_outside_the_window_never_joins(gazetteer, direction):
    clusterer = StoryClusterer(gazetteer, threshold=0.01, window=timedelta(days=3))
    clusterer.add(1, _features(gazetteer, 1, CHAMAN_CLASH, DAY))
    # The very same text: inside the window it joins, outside it never does.
    for hours in (71, 72):
        inside = clusterer.best(_features(gazetteer, 2, CHAMAN_CLASH, DAY + direction * timedelta(hours=hours)))
        assert inside is not None and inside.story_id == 1
    for offset in (timedelta(days=3, minutes=1), timedelta(days=10)):
        assert clusterer.best(_features(gazetteer, 2, CHAMAN_CLASH, DAY + direction * offset)) is None


def test_window_extends_with_the_story(gazetteer):
    clusterer = _clusterer(gazetteer, threshold=0.01)
    clusterer.add(1, _features(gazetteer, 1, CHAMAN_CLASH, DAY))
    clusterer.add(1, _features(gazetteer, 2, CHAMAN_CLASH_OTHER, DAY + timedelta(days=2)))
    late = clusterer.best(_features(gazetteer, 3, CHAMAN_CLASH, DAY + timedelta(days=4)))
    assert late is not None and late.story_id == 1


def test_prune_removes_idle_stories(gazetteer):
    clusterer = StoryClusterer(gazetteer, window=timedelta(days=1))
    clusterer.add(1, _features(gazetteer, 1, CHAMAN_CLASH, DAY))
    clusterer.add(2, _features(gazetteer, 2, KURRAM_CLASH, DAY + timedelta(days=3)))
    clusterer.add(1, _features(gazetteer, 3, CHAMAN_CLASH_OTHER, DAY + timedelta(hours=1)))

    assert clusterer.prune(DAY + timedelta(days=4)) == 0  # default horizon: four windows
    assert clusterer.prune(DAY + timedelta(days=5)) == 1
    assert set(clusterer.stories) == {2}
    assert clusterer.prune(DAY + timedelta(days=5), timedelta(hours=1)) == 1
    assert clusterer.stories == {}
    # A pruned story is never matched again, even by a copy of its own article.
    assert clusterer.best(_features(gazetteer, 4, CHAMAN_CLASH, DAY + timedelta(days=5))) is None


def test_the_assigner_forgets_stories_idle_past_the_start_up_horizon(monkeypatch) -> None:
    import crawler.stories.assigner as assigner_module
    from core.config import StoriesConfig, TopicConfig
    from crawler.stories.assigner import StoryAssigner

    monkeypatch.setattr(assigner_module, "PRUNE_EVERY", 2)
    assigner = StoryAssigner(TopicConfig(places=["Chaman"]), StoriesConfig())
    old = assigner.features(1, "Clash at Chaman", "Troops exchanged fire at Chaman.", DAY, "en", None)
    assigner.learn(1, old)
    later = DAY + StoriesConfig().window * 4 + timedelta(days=1)
    assigner.learn(2, assigner.features(2, "Other news", "Something else entirely.", later, "en", None))
    assert set(assigner.clusterer.stories) == {2}
