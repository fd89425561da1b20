import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geohedge.events.classify import (
    LEGACY_TYPES,
    classify_sentence,
    code_text,
    dev_split,
    is_english,
    split_sentences,
)
from geohedge.events.results import PLOVER_TYPES

ON = dt.date(2025, 6, 1)

#: Measured on the held-out halves (docs/events.md); floors a little below them.
HELD_OUT_ACCURACY_FLOOR = 0.77
HELD_OUT_MACRO_F1_FLOOR = 0.70


@pytest.mark.shared_data
def test_seed_article_must_hold(seed_article):
    coded = code_text(seed_article.read_text(), on=ON)
    events = coded.events
    # Cooperation or support from Malaysia (incl. Anwar Ibrahim as its government) toward
    # Türkiye (incl. Ankara as its government), with positive intensity.
    toward_tur = [e for e in events if e.source.code == "MYS" and e.target is not None and e.target.code == "TUR"]
    assert any(e.event_type in ("cooperate", "support") and e.intensity > 0 for e in toward_tur)
    anwar = [e for e in toward_tur if e.source.name == "Anwar Ibrahim"]
    assert anwar and all(e.source.sector == "government" for e in anwar)
    assert any(e.target.name == "Ankara" and e.target.sector == "government" for e in toward_tur)
    assert all(e.intensity > 0 for e in toward_tur)
    # Pressure from the USA (tariffs, economic pressure) with negative intensity.
    us = [e for e in events if e.source.code == "USA"]
    assert any(e.event_type == "coerce" and e.intensity < 0 and "tariff" in e.sentence for e in us)
    # No event between actors the article does not relate: the article relates Malaysia and
    # Türkiye, Türkiye and Russia/China (Ankara "engaging Russia, China"), and US pressure on
    # developing economies in general; nothing between Malaysia and the US, China or Russia,
    # nor between the US and Türkiye.
    related = {frozenset(p) for p in [("MYS", "TUR"), ("TUR", "RUS"), ("TUR", "CHN")]}
    for e in events:
        if e.target is not None:
            assert frozenset((e.source.code, e.target.code)) in related, e


def test_hand_written_sentences():
    # Written for this test (not from the gold set), one per family of cues.
    cases = {
        # Signing a formal agreement is AGREE (PLOVER manual; the 2016 gold file still calls it SUPPORT).
        "Malaysia and Turkey signed a defence cooperation agreement in Ankara.": ("agree", "MYS", "TUR"),
        "China accused the Philippines of provoking a clash near the shoal.": ("accuse", "CHN", "PHL"),
        "The United States imposed tariffs on Malaysian exports.": ("coerce", "USA", "MYS"),
        "Russia threatened to cut gas supplies to Moldova unless it paid its debt.": ("threaten", "RUS", "MDA"),
        "Japan will provide Indonesia with 2 billion yen in disaster relief.": ("agree", "JPN", "IDN"),
        "Iran refused to meet European negotiators in Vienna.": ("reject", "IRN", None),
        "Indian troops were deployed along the border with Pakistan.": ("mobilize", "IND", "PAK"),
        "Israel released 30 Palestinian prisoners.": ("retreat", "ISR", "PSE"),
    }
    for sentence, (kind, src, tgt) in cases.items():
        got, event = classify_sentence(sentence, on=ON)
        assert got == kind, sentence
        assert event is not None and event.source.code == src, sentence
        if tgt is not None:
            assert event.target is not None and event.target.code == tgt, sentence


def test_intensity_sign_follows_type():
    coded = code_text("Malaysia praised Turkey. Turkey condemned Israel. Israel attacked Lebanon.", on=ON)
    signs = {e.event_type: e.intensity for e in coded.events}
    assert signs["support"] > 0 > signs["accuse"] > signs["assault"] >= -10


def test_non_english_is_skipped_with_a_note():
    text = ("Malaysia dan Turki menandatangani perjanjian kerjasama pertahanan di Ankara pada hari Selasa, "
            "kata kementerian luar negeri dalam satu kenyataan yang dikeluarkan semalam. Kedua-dua negara "
            "bersetuju untuk meningkatkan perdagangan dua hala.")
    coded = code_text(text, on=ON)
    assert coded.events == () and coded.skipped and "not English" in coded.skipped
    assert not is_english(text)[0]
    assert is_english("The minister said that the talks with the government of Malaysia were useful.")[0]


def test_sentence_split_keeps_abbreviations():
    assert split_sentences("The U.S. said no. Mr. Anwar met him.\nNext line") == [
        "The U.S. said no.", "Mr. Anwar met him.", "Next line"]


def test_deterministic():
    text = "Malaysia praised Turkey. The U.S. imposed tariffs on China; Beijing vowed to retaliate."
    assert code_text(text, on=ON).to_frame().equals(code_text(text, on=ON).to_frame())


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=400))
def test_any_text_codes_without_error(text):
    coded = code_text(text, on=ON)
    for e in coded.events:
        assert e.event_type in PLOVER_TYPES
        assert -10 <= e.intensity <= 10 and 0 <= e.confidence <= 1


def _scores(records):
    tp, fp, fn = {}, {}, {}
    for r in records:
        gold = LEGACY_TYPES.get(r["event"], r["event"].lower())
        got, _ = classify_sentence(r["text"])
        if got == gold:
            tp[gold] = tp.get(gold, 0) + 1
        else:
            fn[gold] = fn.get(gold, 0) + 1
            if got:
                fp[got] = fp.get(got, 0) + 1
    f1 = []
    for t in {*tp, *fn}:
        p = tp.get(t, 0) / max(tp.get(t, 0) + fp.get(t, 0), 1)
        r_ = tp.get(t, 0) / max(tp.get(t, 0) + fn.get(t, 0), 1)
        f1.append(2 * p * r_ / (p + r_) if p + r_ else 0.0)
    return sum(tp.values()) / len(records), sum(f1) / len(f1)


@pytest.mark.shared_data
def test_quality_floor_on_held_out_plover_gold(plover_gold):
    """Floors just below the measured held-out values (docs/events.md), so that regressions fail."""
    held_out = [r for r in plover_gold if not dev_split(r["id"])]
    assert len(held_out) == 159
    accuracy, macro_f1 = _scores(held_out)
    assert accuracy >= HELD_OUT_ACCURACY_FLOOR
    assert macro_f1 >= HELD_OUT_MACRO_F1_FLOOR


@pytest.mark.shared_data
def test_gold_file_is_the_documented_one(plover_gold):
    assert len(plover_gold) == 322
    assert all(re.fullmatch(r"[A-Z]+", r["event"]) for r in plover_gold)


#: Contemporary news sentences hand-written and hand-coded (type, source, target) by the
#: geohedge developers before running the coder on them; independent of the PLOVER gold. The
#: cues were then extended until all pass, so this is a regression check, not a quality measure.
MODERN = [
 ("Washington slapped new tariffs on Chinese steel on Monday.", "coerce", "USA", "CHN"),
 ("The European Union imposed sanctions on Russian banks.", "sanction", "EU", "RUS"),
 ("Malaysia summoned the Chinese ambassador over the incursion.", "accuse", "MYS", "CHN"),
 ("Japan and the Philippines held talks on maritime security in Manila.", "consult", "JPN", "PHL"),
 ("Anwar Ibrahim met Recep Tayyip Erdogan in Ankara on Thursday.", "consult", "MYS", "TUR"),
 ("Indonesia and Australia signed a memorandum of understanding on defence.", "agree", "IDN", "AUS"),
 ("North Korea test-fired two ballistic missiles into the sea.", "mobilize", "PRK", None),
 ("China began large-scale military drills around Taiwan.", "mobilize", "CHN", "TWN"),
 ("Saudi Arabia pledged $500 million in aid to Yemen.", "agree", "SAU", "YEM"),
 ("Turkey sent humanitarian aid to Syria after the earthquake.", "aid", "TUR", "SYR"),
 ("Iran seized a British-flagged tanker in the Strait of Hormuz.", "coerce", "IRN", "GBR"),
 ("Israel launched air strikes on targets in Lebanon.", "assault", "ISR", "LBN"),
 ("Russia expelled ten German diplomats.", "sanction", "RUS", "DEU"),
 # A country named only as the place of what is asked for is not the target (locative).
 ("The United Nations called for restraint in Myanmar.", "request", "UN", None),
 ("Vietnam protested to China over the new map.", "accuse", "VNM", "CHN"),
 ("Beijing warned Manila against further provocations.", "threaten", "CHN", "PHL"),
 ("India rejected Pakistan's offer of talks.", "reject", "IND", "PAK"),
 ("Thailand lifted the ban on Cambodian imports.", "concede", "THA", "KHM"),
 ("Azerbaijan freed two Armenian soldiers.", "retreat", "AZE", "ARM"),
 ("Singapore praised ASEAN's response to the crisis.", "support", "SGP", "ASEAN"),
 ("The US Treasury blacklisted three Iranian firms.", "sanction", "USA", "IRN"),
 ("Thousands protested outside the US embassy in Jakarta.", "protest", None, "USA"),
 ("Malaysia and Turkey agreed to boost bilateral trade to $10 billion.", "agree", "MYS", "TUR"),
 ("Kuala Lumpur welcomed the ceasefire between Israel and Hamas.", "support", "MYS", None),
 ("Trump threatened Malaysia with a 24% tariff.", "threaten", "USA", "MYS"),
 ("Chinese coast guard vessels rammed a Philippine supply boat.", "assault", "CHN", "PHL"),
 ("The two leaders discussed trade, defence and halal industries.", "consult", None, None),
 ("Turkey will supply Malaysia with drones under the deal.", "agree", "TUR", "MYS"),
 ("Pakistan recalled its ambassador from Kabul.", "sanction", "PAK", "AFG"),
 ("Erdogan condemned Israel's attack on Gaza.", "accuse", "TUR", "ISR"),
]


@pytest.mark.parametrize(("sentence", "kind", "src", "tgt"), MODERN)
def test_contemporary_news_sentences(sentence, kind, src, tgt):
    got, event = classify_sentence(sentence, on=ON)
    assert got == kind
    if src is not None:
        assert event is not None and event.source.code == src
    if tgt is not None:
        assert event is not None and event.target is not None and event.target.code == tgt


def _triples(text, on=ON):
    return {(e.source.code, e.event_type, e.target.code if e.target else None) for e in code_text(text, on=on).events}


def _conflict(text, on=ON):
    return [e for e in code_text(text, on=on).events if e.intensity < 0]


# The sentences of issue 17, from real articles (URLs in tests/fixtures/news_devset) or, where
# the issue quotes only a phrase, written around it.
def test_no_event_inside_other_words():
    # "several" is not "sever", "explore" not "explode", "execution of this project" no killing
    assert _conflict("He noted that several agreements are expected to be signed to strengthen the contractual "
                     "framework of bilateral relations between Ankara and Kuala Lumpur.") == []
    explore = ("Malaysia will continue to explore for oil and gas within its waters in the disputed South China Sea "
               "despite protests from China, Prime Minister Datuk Seri Anwar Ibrahim reiterated on Tuesday.")
    assert not [t for t in _triples(explore) if t[0] == "MYS" and t[1] in ("assault", "coerce", "sanction")]
    assert ("CHN", "accuse", None) in _triples(explore)  # China's protest notes: an official complaint
    assert _conflict("Petronas thanked the Turkish contractor for the successful execution of this project.") == []
    assert _triples("Petronas thanked the Turkish contractor for the successful execution of this project.") == {
        ("MYS", "support", "TUR")}
    order = "US President Donald Trump has signed an executive order revising the reciprocal tariffs rate on various regions."
    assert not [t for t in _triples(order) if t[1] in ("assault", "agree")]
    assert _triples("Malaysia and Turkey signed the agreement in March.") == {("MYS", "agree", "TUR"), ("TUR", "agree", "MYS")}


def test_the_receiving_end_is_not_the_actor():
    assert _triples("Singapore is subject to a base tariff of 10 per cent with no reciprocal rate.") == set()
    assert _triples("Canada and Mexico will be exempt from tariffs on steel and aluminum imported into the United States.") == set()
    assert _triples("Canada and Mexico are exempt.") == set()
    assert ("USA", "coerce", "MYS") in _triples("Malaysia has been hit with a 24% reciprocal tariff by the US, effective April 9.")
    assert ("USA", "coerce", "MYS") in _triples("The United States imposed tariffs on Malaysian exports.")


def test_direction_of_a_protest():
    text = ("Hundreds of protestors gathered in Malaysia's capital on Friday afternoon (Oct 24) to rally against United "
            "States President Donald Trump's attendance of the Association of Southeast Asian Nations (ASEAN) Summit.")
    events = code_text(text, on=dt.date(2025, 10, 26)).events
    protest = [e for e in events if e.event_type == "protest"]
    assert [(e.source.code, e.source.sector, e.target.code) for e in protest] == [("MYS", "civilian", "USA")]
    assert protest[0].date == dt.date(2025, 10, 24)
    assert not [e for e in events if e.source.code == "USA" and e.event_type == "protest"]


def test_places_and_subordinate_clauses_are_not_actors():
    asean = ("The heads of state and government of the Association of Southeast Asian Nations (ASEAN) countries have "
             "called for strengthening peace and security in the South China Sea.")
    assert _triples(asean) == {("ASEAN", "request", None)}
    assert [e.intensity for e in code_text(asean, on=ON).events] == [3.0]  # an appeal, not a demand
    assert not [t for t in _triples("Cambodian troops shelled a village 360 km from Bangkok.") if "THA" in t]
    sweden = ("Turkey's green light leaves Hungary as the last holdout in an accession process that Sweden and Finland "
              "began in response to Russia's invasion of Ukraine nearly two years ago.")
    assert _triples(sweden) == {("RUS", "assault", "UKR")}


def test_economic_measures_and_signing_by_plover():
    assert _triples("The US cut its tariff on Malaysian palm oil to 10 per cent.") == {("USA", "concede", "MYS")}
    assert _triples("The United States lifted sanctions on Myanmar.") == {("USA", "concede", "MMR")}
    assert _triples("The European Union imposed sanctions on Russian banks.") == {("EU", "sanction", "RUS")}
    signed = code_text("Malaysia and Turkey signed a defence cooperation agreement.", on=ON).events
    assert {e.event_type for e in signed} == {"agree"} and all(e.intensity == 8.0 for e in signed)
    appeal = code_text("Malaysia urged Turkey to expand cooperation in the halal industry.", on=ON).events
    assert [(e.event_type, e.intensity) for e in appeal] == [("request", 3.0)]
    demand = code_text("China demanded that the Philippines withdraw its ship from the shoal.", on=ON).events
    assert [(e.event_type, e.intensity) for e in demand][:1] == [("request", -5.0)]


def test_several_events_in_one_sentence():
    text = ("The skirmishes came after Thailand recalled its ambassador to Cambodia late on Wednesday and said it would "
            "expel Cambodia's envoy in Bangkok.")
    events = code_text(text, on=dt.date(2025, 7, 24)).events
    assert {(e.source.code, e.event_type, e.target.code, e.mode) for e in events} == {
        ("THA", "sanction", "KHM", ""), ("THA", "threaten", "KHM", "intended")}


def test_modes():
    events = code_text("China denied ramming the Philippine supply boat.", on=ON).events
    assert [(e.event_type, e.mode) for e in events] == [("assault", "denied")]
    events = code_text("Turkey is expected to sign a defence deal with Malaysia.", on=ON).events
    assert [(e.source.code, e.event_type, e.target.code, e.mode) for e in events] == [("TUR", "agree", "MYS", "expected")]
    events = code_text("Japan will provide Indonesia with aid.", on=ON).events
    assert [(e.event_type, e.mode) for e in events] == [("agree", "intended")]
    events = code_text("Malaysia did not sign the agreement with Turkey.", on=ON).events
    assert [e.event_type for e in events] == ["reject"]
    events = code_text("Israel did not attack Lebanon.", on=ON).events
    assert [(e.event_type, e.mode) for e in events] == [("assault", "negated")]


def test_background_events_keep_their_own_date():
    events = code_text("Malaysia and Turkey signed a free-trade agreement in 2014.", on=ON).events
    assert events and all(e.background and e.date == dt.date(2014, 1, 1) for e in events)
    events = code_text("Malaysia praised Turkey on Wednesday.", on=dt.date(2025, 6, 6)).events
    assert [(e.date, e.background) for e in events] == [(dt.date(2025, 6, 4), False)]


def test_repeated_sentences_are_one_event_with_a_count():
    text = "Malaysia strengthened ties with Turkey on Tuesday. " * 500 + "Turkey praised Malaysia."
    coded = code_text(text, on=ON)
    assert coded.n_sentences == 501
    assert sorted((e.event_type, e.repeats) for e in coded.events) == [("cooperate", 500), ("support", 1)]


def test_actor_roles_resolve():
    assert _triples("Petronas signed a deal with Turkish Aerospace.") == {("MYS", "agree", "TUR")}
    assert _triples("Ankara welcomed the decision.") == {("TUR", "support", None)}
    # An organisation geohedge does not know stays unknown: no country borrowed from a nearby word.
    assert _triples("Acme Holdings, a company based near the Malaysian border, attacked the plan.") == set()


def test_worker_processes_code_the_same_events():
    from geohedge.events import code_texts

    items = [("Malaysia praised Turkey on Tuesday.", ON), ("China accused the Philippines of ramming its ship.", ON),
             ("Trump threatened Malaysia with a 24% tariff.", ON), ("Malaysia dan Turki menandatangani perjanjian "
              "kerjasama pertahanan di Ankara pada hari Selasa, kata kementerian luar negeri dalam satu kenyataan yang "
              "dikeluarkan semalam. Kedua-dua negara bersetuju untuk meningkatkan perdagangan dua hala.", ON)]
    here = code_texts(items, n_process=1)
    pooled = code_texts(items, n_process=2, batch_size=1)
    assert [[e.row() for e in c.events] for c in here] == [[e.row() for e in c.events] for c in pooled]
    assert [c.skipped is None for c in pooled] == [True, True, True, False]


#: Standard phrasings of the rare types, after the CAMEO 1.1b3 sub-code descriptions
#: (04 consult, 05 support, 06 cooperate, 08 concede/retreat, 15 mobilize, 16 sanction),
#: written and coded for this test, not taken from the gold set.
CAMEO_PHRASING = [
    ("Russia amassed tens of thousands of soldiers near Ukraine.", "mobilize", "RUS"),
    ("North Korea put its army on a war footing.", "mobilize", "PRK"),
    ("Turkey has beefed up its forces on the Syrian border.", "mobilize", "TUR"),
    ("Japan scrambled fighter jets after Chinese aircraft approached.", "mobilize", "JPN"),
    ("Burundi called in the army to restore order.", "mobilize", "BDI"),
    ("Serbia pulled its forces out of Kosovo.", "retreat", "SRB"),
    ("The rebels handed over their weapons to the United Nations.", "retreat", None),
    ("Israel announced the lifting of the closure of Gaza.", "retreat", "ISR"),
    ("Russia ordered the withdrawal of its troops from the border with Ukraine.", "retreat", "RUS"),
    ("The government heeded the demands of the strikers.", "concede", None),
    ("Trump paused the tariffs on Mexico for 30 days.", "concede", None),
    ("The US rallied support for Ukraine among its allies.", "support", "USA"),
    ("The US threw its support behind Ukraine.", "support", "USA"),
    ("The US envoy shuttled between Israel and Syria.", "consult", "USA"),
    ("Erdogan welcomed Anwar at the presidential palace in Ankara.", "consult", "TUR"),
    ("Malaysia and Turkey exchanged views on Gaza.", "consult", "MYS"),
    ("France and Germany launched a joint venture to build satellites.", "cooperate", "FRA"),
    ("The police of Kenya and Uganda conducted a joint operation against smugglers.", "cooperate", "KEN"),
    ("Eighty UN peacekeepers were shipped out of the Bosnian enclave.", "sanction", None),
    ("The EU adopted its 14th sanctions package against Russia.", "sanction", "EU"),
]


@pytest.mark.parametrize(("sentence", "kind", "src"), CAMEO_PHRASING)
def test_cameo_phrasing_of_the_rare_types(sentence, kind, src):
    got, event = classify_sentence(sentence, on=ON)
    assert got == kind
    if src is not None:
        assert event is not None and event.source.code == src


def test_dateline_is_no_subject_and_stranded_subjects_act():
    # code_text leaves a dateline out as ingest does ("ISTANBUL, Aug 6 —" is not the subject)
    assert ("TUR", "consult", "MYS") in _triples(
        "ISTANBUL, Aug 6 — Turkish President Recep Tayyip Erdogan had a video call with Malaysian Prime Minister "
        "Anwar Ibrahim.")
    # a subject list the parser attaches to the opening place phrase is still the subject
    got = _triples("In the deal signed Friday in the Belarusian capital of Minsk, Ukraine, Russia and the "
                   "separatists agreed to an immediate cease-fire.")
    assert {("UKR", "agree", "RUS"), ("RUS", "agree", "UKR")} <= got
    # speech is no request: only "told X to ..." asks
    assert not any(t[1] == "request" for t in _triples(
        "Malaysia's foreign minister told a news conference in Kuala Lumpur that ASEAN would meet."))
    assert ("USA", "coerce", "MEX") in _triples("The United States announced tariffs of 25 per cent on Mexico's steel exports.")
