"""The coder's dictionary: which words, in which syntactic frame, carry which PLOVER event.

Entries are keyed by **lemma and part of speech** (never by substrings: "sever" does not
match "several", "explode" not "explore", "execute" not "execution of this project").
A word can carry an event only in some frames: ``sign`` is ``agree`` with an agreement as
its object (not "signed an executive order"), ``impose`` is ``coerce`` with a tariff,
ban or restriction as its object and ``sanction`` with sanctions or an embargo, ``lift``
is ``concede`` with a ban, tariff or sanction and ``retreat`` with a blockade.

Types and intensities follow the PLOVER manual (draft 0.8, 2021) and the CAMEO codebook's
Goldstein (1992) weights: signing or agreeing is ``agree``; imposing tariffs, bans or
restrictions is ``coerce`` (CAMEO 172, -5.0 for tariffs), sanctions and embargoes
``sanction`` (CAMEO 163, -8.0); easing or cutting a tariff, sanction or ban ``concede``
(+5.0); an appeal ("urged", "called for") is ``request`` at CAMEO 02's +3.0, a demand
("demanded", "told X to stop") ``request`` at CAMEO 10's -5.0; a government's protest is
``accuse`` (CAMEO 114 "complain officially"), a crowd's ``protest``.

Notation
--------
=========== ====================================================================
field       meaning
=========== ====================================================================
objects     lemmas one of which must head the word's object (or a noun it governs
            through ``of``/``on``/``with``); ``None`` means any or none
particle    a particle that must follow ("turn down", "call off", "step down")
frame       the word governs a clause ("refused to meet", "threatened to attack"):
            the event is the frame's, and the governed event is absorbed
appeal      a request worded as an appeal (+3.0) rather than a demand (-5.0)
patient     the grammatical subject is the target, not the source ("X faces
            tariffs", "X is exempt", "X secured a loan from Y")
prep        a preposition that must attach to the word ("push for", "call on")
needs_target the word is an event only with a named target ("turned to Turkey",
            "worked with Japan", "described Ankara as a reliable partner")
subjects    lemmas one of which must head the subject ("troops left Afghanistan")
complement  lemmas one of which must head the clause the word governs ("ordered the
            aid agencies to leave")
light       a support verb whose event is its object noun's ("imposed tariffs",
            "launched air strikes", "held talks"); its subject is the source
=========== ====================================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "ADJECTIVES",
    "APPEAL_YIELD",
    "INTENSITY",
    "LIGHT_VERBS",
    "MODAL_HEADS",
    "NOUNS",
    "VERBS",
    "Cue",
]

#: Goldstein (1992) weights of each type's CAMEO root code (03 +4.0, 04 +1.0, 05 +3.5,
#: 08 +5.0, 06 +6.0, 07 +7.0, 10 -5.0, 11 -2.0, 12 -4.0, 13 -4.4, 14 -6.5, 16 -4.0,
#: 15 -7.2, 17 -7.0, 18 -9.0); retreat takes 08's +5.0, assault the mean of 18-20.
INTENSITY: Mapping[str, float] = {
    "agree": 4.0, "consult": 1.0, "support": 3.5, "concede": 5.0, "cooperate": 6.0, "aid": 7.0,
    "retreat": 5.0, "request": -5.0, "accuse": -2.0, "reject": -4.0, "threaten": -4.4,
    "protest": -6.5, "sanction": -4.0, "mobilize": -7.2, "coerce": -7.0, "assault": -9.7,
}


@dataclass(frozen=True)
class Cue:
    """One frame in which a word carries an event (see the module notation)."""

    event_type: str
    intensity: float | None = None
    objects: frozenset[str] | None = None
    particle: str | None = None
    frame: bool = False
    appeal: bool = False
    patient: bool = False
    needs_target: bool = False
    prep: str | None = None
    subjects: frozenset[str] | None = None
    complement: frozenset[str] | None = None


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


AGREEMENT = _set("agreement accord treaty pact deal memorandum mou mous memoranda protocol declaration contract "
                 "convention charter document framework communique understanding compact arrangement")
MEETING = _set("talk talks meeting discussion discussions summit call conversation consultation consultations "
               "negotiation negotiations dialogue visit conference session videoconference")
TIES = _set("tie ties relation relations cooperation partnership relationship link links engagement friendship "
            "collaboration alliance bond bonds trade investment exchange exchanges")
TARIFF = _set("tariff tariffs duty duties levy levies tax taxes")
SANCTION = _set("sanction sanctions embargo embargoes")
RESTRICT = _set("ban bans restriction restrictions curfew control controls blockade measure measures barrier "
                "barriers quota quotas emergency law")
#: People in a crowd (their arson or blockade is a protest, CAMEO 14).
CROWDS = _set("rioter rioters protester protesters protestor protestors demonstrator demonstrators mob mobs crowd crowds "
              "student students youth youths")
#: Words of sympathy, regret and praise a state offers (CAMEO 051, 055: SUPPORT).
CONDOLENCE = _set("apology apologies condolence condolences congratulations sympathy sympathies support solidarity")
#: Money given: "gave Poland 500 million marks", "pledged $20 million".
CURRENCY = _set("dollar dollars euro euros mark marks yen yuan pound pounds franc francs rupee rupees ringgit riyal "
                "riyals rouble roubles ruble rubles million billion")
AID = CURRENCY | _set("lending credit credits aid assistance relief loan loans funding fund funds grant grants supply supplies food medicine "
           "medicines equipment weapon weapons arms vaccine vaccines money donation donations help")
DIPLOMAT = _set("diplomat diplomats ambassador ambassadors envoy envoys embassy consul attache commissioner "
                "charge chargé")
#: Trade and traffic a state can stop: banning it is an embargo or boycott (CAMEO 163, SANCTION).
TRADE = _set("import imports export exports trade shipment shipments flight flights sale sales purchase purchases "
             "investment investments")
FORCES = _set("troop troops force forces warship warships tank tanks soldier soldiers jet jets aircraft fighter fighters "
              "guard guards militia militias gunship gunships plane planes warplane warplanes drone drones "
              "battalion battalions division divisions navy vessel vessels ship ships missile missiles artillery "
              "reinforcement reinforcements unit units brigade brigades regiment regiments bomber bombers "
              "submarine submarines helicopter helicopters gunboat gunboats destroyer destroyers frigate frigates "
              "paratrooper paratroopers marine marines reservist reservists policeman policemen police army "
              "contingent contingents armour armor")
#: International presences a state can expel or order out (CAMEO 166, 1661-1663: SANCTION).
MISSIONS = _set("agency agencies mission missions observer observers inspector inspectors monitor monitors "
                "peacekeeper peacekeepers")
#: What a state closes to coerce (borders, straits, the press: CAMEO 172, 1721, 191).
CLOSABLE = _set("border borders crossing crossings airspace port ports strait straits waterway canal "
                "newspaper newspapers paper papers station stations website websites office offices")
INFORMATION = _set("information intelligence data evidence file files document documents")
#: Humanitarian help and its carriers: letting them in is RETREAT (CAMEO 0863).
HUMANITARIAN = _set("aid assistance relief food medicine medicines supplies convoy convoys agency agencies worker workers")
#: Peacekeeping (CAMEO 074, "provide military protection or peacekeeping", is AID).
PEACEKEEPING = _set("peacekeeper peacekeepers peacekeeping peace-keeping peace-keeper peace-keepers")
#: What a state steps up when it raises its guard (CAMEO 151-154, MOBILIZE).
SECURITY = _set("security alert vigilance readiness presence patrol patrols deployment buildup build-up")
#: Visitors a government receives (CAMEO 043, host a visit: CONSULT).
VISITORS = _set("minister ministers president presidents delegation delegations envoy envoys counterpart counterparts "
                "chancellor premier leader leaders king queen prime secretary ambassador visitor visitors emir prince <person>")
#: Labour and street action a side can end (CAMEO 082, easing dissent: CONCEDE).
STRIKES = _set("strike strikes protest protests boycott boycotts demonstration demonstrations sit-in march rally "
               "campaign blockade")
#: States of readiness forces are put on (CAMEO 151-152: "on alert", "on standby", "on a war footing").
READINESS = _set("alert standby footing")
#: What keeps people or troops out, and its removal eases (CAMEO 0872: easing a military blockade).
CHECKPOINTS = _set("checkpoint checkpoints roadblock roadblocks barricade barricades blockade siege")
#: Arms given up (CAMEO 0873-0874: demobilising, disarming, surrendering).
ARMS = _set("arm arms weapon weapons")
#: What a government yields to (CAMEO 08, 083: acceding to demands).
DEMANDS = _set("demand demands ultimatum condition conditions terms call calls request requests wish wishes")
#: What a government can end or revoke as a concession (CAMEO 081-083).
LIFTABLE = _set("emergency curfew decree order charge charges sentence conviction verdict ruling")
PERSONS = _set("prisoner prisoners hostage hostages detainee detainees captive captives soldier soldiers "
               "journalist journalists activist activists national nationals citizen citizens man men woman "
               "women people worker workers suspect suspects fugitive fugitives")
MOVES = _set("attack attacks strike strikes offensive raid raids assault assaults invasion bombing operation "
             "operations airstrike airstrikes")
DRILLS = _set("drill drills exercise exercises maneuver maneuvers manoeuvre manoeuvres patrol patrols")
LEGAL = _set("investigation probe inquiry lawsuit case complaint protest")

_A = "agree"
_CONSULT = Cue("consult")
_SUPPORT = Cue("support")
_ACCUSE = Cue("accuse")
_ASSAULT = Cue("assault")
_COERCE = Cue("coerce")
_PROTEST = Cue("protest")
_REQ_APPEAL = Cue("request", frame=True, appeal=True)
_REQ_DEMAND = Cue("request", frame=True)
#: Letting inspectors, aid or peacekeepers in is RETREAT (CAMEO 086); allowing what was
#: refused (a rally, a party, a candidate) CONCEDE (081-083).
_ALLOW = (Cue("retreat", objects=_set("inspector inspectors aid access monitor monitors observer observers peacekeeper "
                                      "peacekeepers convoy convoys force forces mission missions team teams")
              | PEACEKEEPING | HUMANITARIAN),
          Cue("concede", frame=True))

#: Verbs: lemma -> cues tried in order (the first whose conditions hold wins).
VERBS: Mapping[str, tuple[Cue, ...]] = {
    # agree (intent, promise, signing)
    "promise": (Cue(_A, frame=True),), "pledge": (Cue(_A, frame=True),), "vow": (Cue(_A, frame=True),), "swear": (Cue(_A, frame=True),),
    "offer": (Cue("support", objects=CONDOLENCE), Cue(_A, frame=True),), "commit": (Cue(_A, frame=True),), 
    "sign": (Cue(_A, 8.0, objects=AGREEMENT),), "ink": (Cue(_A, 8.0, objects=AGREEMENT),),
    "conclude": (Cue(_A, 8.0, objects=AGREEMENT),), "initial": (Cue(_A, 8.0, objects=AGREEMENT),), "ratify": (Cue(_A, objects=AGREEMENT), Cue("support", objects=_set("membership accession bid application entry candidacy"))),
    "reach": (Cue(_A, objects=AGREEMENT | _set("consensus compromise settlement")),),
    "strike": (Cue(_A, objects=_set("deal deals agreement accord bargain")), Cue("assault", objects=FORCES | _set("target targets base bases position positions village villages city town"))),
    "clinch": (Cue(_A, objects=AGREEMENT),),
    "finalize": (Cue(_A, objects=AGREEMENT),), "finalise": (Cue(_A, objects=AGREEMENT),),
    "accept": (Cue("retreat", objects=PEACEKEEPING | MISSIONS), Cue("concede", objects=_set("demand demands condition conditions terms victory result results outcome "
                                           "resignation verdict")), Cue(_A)),
    "agree": (Cue("concede", objects=_set("demand demands ultimatum condition conditions terms"), prep="to"), Cue(_A, frame=True)),
    
    # consult
    "meet": (Cue("concede", objects=_set("demand demands condition conditions")), _CONSULT,), "visit": (_CONSULT,), "contact": (_CONSULT,), "host": (_CONSULT,), "discuss": (_CONSULT,),
    "negotiate": (_CONSULT,), "consult": (_CONSULT,), "confer": (_CONSULT,), "telephone": (_CONSULT,),
    "phone": (_CONSULT,), "mediate": (_CONSULT,), "talk": (_CONSULT,), "receive": (Cue("retreat", objects=_set("observer observers inspector inspectors monitor monitors peacekeeper peacekeepers mission")), Cue("consult", objects=VISITORS)),
    # peacekeepers arriving are received (CAMEO 0861, RETREAT), troops arriving deployed (154)
    "arrive": (Cue("retreat", subjects=PEACEKEEPING), Cue("mobilize", subjects=FORCES), Cue("consult", needs_target=True)), "travel": (Cue("consult", needs_target=True),),
    # support
    "praise": (_SUPPORT,), "commend": (_SUPPORT,), "endorse": (_SUPPORT,), "back": (Cue("concede", particle="down"), _SUPPORT),
    "cave": (Cue("concede", particle="in"),),
    "support": (_SUPPORT,), "hail": (_SUPPORT,),
    "upgrade": (Cue("support", 8.0, objects=TIES),), "establish": (Cue("support", 8.0, objects=TIES),),
    "restore": (Cue("support", 8.0, objects=TIES),), "resume": (Cue("support", 8.0, objects=_set("ties relations")),), "normalize": (Cue("support", 8.0, objects=TIES),),
    "normalise": (Cue("support", 8.0, objects=TIES),), "welcome": (Cue("consult", objects=VISITORS), _SUPPORT), "applaud": (_SUPPORT,),
    "laud": (_SUPPORT,), "congratulate": (_SUPPORT,), "thank": (_SUPPORT,), "defend": (_SUPPORT,),
    "apologize": (_SUPPORT,), "apologise": (_SUPPORT,), "forgive": (_SUPPORT,),
    "recognize": (Cue("support", objects=_set("<actor> independence state statehood sovereignty government regime")),),
    "recognise": (Cue("support", objects=_set("<actor> independence state statehood sovereignty government regime")),),
    "approve": (Cue("support", objects=_set("membership accession bid application entry candidacy")),),
    "express": (Cue("support", objects=_set("support solidarity gratitude condolence condolences sympathy appreciation congratulations")),
                Cue("accuse", objects=_set("concern concerns regret dismay anger outrage disappointment opposition displeasure alarm indignation")),
                Cue(_A, objects=_set("hope willingness readiness desire interest intention commitment"))),
    "voice": (Cue("support", objects=_set("support solidarity gratitude condolence condolences sympathy appreciation")),
              Cue("accuse", objects=_set("concern concerns regret dismay anger outrage disappointment opposition displeasure alarm"))),
    "extend": (Cue("support", objects=_set("support congratulations condolences recognition welcome")),
               Cue("aid", objects=AID | _set("credit credits")), Cue("request", 3.0, objects=_set("invitation"))),
    "describe": (Cue("support", objects=_set("partner partners friend friends ally allies brother"), needs_target=True),),
    # concede
    "concede": (Cue("concede"),), "yield": (Cue("concede"),), "relent": (Cue("concede"),),
    "ease": (Cue("retreat", objects=_set("blockade siege closure")), Cue("concede", objects=TARIFF | SANCTION | RESTRICT | LIFTABLE)),
    "lift": (Cue("retreat", objects=_set("blockade siege closure")), Cue("concede", objects=TARIFF | SANCTION | RESTRICT | LIFTABLE)),
    "end": (Cue("retreat", objects=_set("blockade siege occupation fighting hostilities war offensive")),
            Cue("concede", objects=TARIFF | SANCTION | RESTRICT | LIFTABLE | _set("strike boycott protest protests"))),
    "revoke": (Cue("concede", objects=TARIFF | SANCTION | RESTRICT | LIFTABLE),),
    "rescind": (Cue("concede", objects=TARIFF | SANCTION | RESTRICT | LIFTABLE | _set("annexation")),),
    "repeal": (Cue("concede", objects=TARIFF | SANCTION | RESTRICT | LIFTABLE),),
    "annul": (Cue("concede", objects=TARIFF | SANCTION | RESTRICT | LIFTABLE),),
    "overturn": (Cue("concede", objects=TARIFF | SANCTION | RESTRICT | LIFTABLE),),
    "abolish": (Cue("concede", objects=TARIFF | SANCTION | RESTRICT | LIFTABLE),),
    "waive": (Cue("concede", objects=TARIFF | SANCTION | RESTRICT | _set("visa visas fee fees debt debts requirement")),),
    "drop": (Cue("concede", objects=TARIFF | SANCTION | RESTRICT | LIFTABLE | _set("demand demands objection objections opposition claim claims case")),),
    "relax": (Cue("concede", objects=TARIFF | SANCTION | RESTRICT | LIFTABLE),),
    "scrap": (Cue("concede", objects=TARIFF | SANCTION | RESTRICT),),
    "remove": (Cue("retreat", objects=CHECKPOINTS), Cue("concede", objects=TARIFF | SANCTION | RESTRICT)),
    "reduce": (Cue("sanction", objects=_set("aid assistance relations ties supplies supply food")), Cue("concede", objects=TARIFF | _set("rate rates"))),
    "lower": (Cue("concede", objects=TARIFF | _set("rate rates")),),
    "cut": (Cue("sanction", objects=_set("aid assistance relations ties")), Cue("concede", objects=TARIFF | _set("rate rates"))),
    "slash": (Cue("concede", objects=TARIFF | _set("rate rates")),),
    "exempt": (Cue("concede"),), "spare": (Cue("concede", needs_target=True),),
    "legalize": (Cue("concede"),), "legalise": (Cue("concede"),), "reinstate": (Cue("concede"),),
    "allow": _ALLOW, "permit": _ALLOW, "let": _ALLOW,
    "call": (Cue("concede", particle="off"), Cue("mobilize", particle="up"), Cue("mobilize", particle="in", objects=FORCES), Cue("mobilize", particle="out", objects=FORCES), _REQ_APPEAL),
    # cooperate
    "cooperate": (Cue("cooperate"),), "collaborate": (Cue("cooperate"),), "partner": (Cue("cooperate"),),
    "strengthen": (Cue("cooperate", objects=TIES), Cue("mobilize", objects=SECURITY | FORCES)), "deepen": (Cue("cooperate", objects=TIES),),
    "expand": (Cue("cooperate", objects=TIES),), "boost": (Cue("cooperate", objects=TIES), Cue("mobilize", objects=SECURITY | FORCES)),
    "broaden": (Cue("cooperate", objects=TIES),), "enhance": (Cue("cooperate", objects=TIES),),
    "bolster": (Cue("cooperate", objects=TIES), Cue("mobilize", objects=SECURITY | FORCES)), "forge": (Cue("cooperate", objects=TIES),),
    "build": (Cue("mobilize", particle="up", objects=FORCES | SECURITY), Cue("cooperate", objects=TIES)), "develop": (Cue("cooperate", objects=TIES),),
    "promote": (Cue("cooperate", objects=TIES),), "maintain": (Cue("cooperate", objects=TIES), Cue("mobilize", objects=_set("presence"))),
    "share": (Cue("cooperate", objects=INFORMATION),),
    "extradite": (Cue("cooperate"),), "engage": (Cue("cooperate", needs_target=True),),
    "work": (Cue("cooperate", needs_target=True),), "look": (Cue("cooperate", needs_target=True),),
    # aid
    "aid": (Cue("aid"),), "donate": (Cue("aid"),), "rescue": (Cue("aid"),), "lend": (Cue("support", objects=_set("support backing weight voice")), Cue("aid")),
    "loan": (Cue("aid"),), "fund": (Cue("aid"),), "finance": (Cue("aid"),), "evacuate": (Cue("retreat"),),
    "provide": (Cue("cooperate", objects=INFORMATION), Cue("aid", objects=AID), Cue("aid", needs_target=True)),
    "send": (Cue("aid", objects=AID | PEACEKEEPING), Cue("mobilize", objects=FORCES)),
    "hand": (Cue("cooperate", particle="over", objects=INFORMATION), Cue("retreat", particle="over", objects=PERSONS | ARMS), Cue("retreat", particle="in", objects=ARMS), Cue("aid", particle="over"), Cue("retreat", particle="back")),
    "lay": (Cue("retreat", particle="down", objects=_set("arm arms weapon weapons")),),
    "allocate": (Cue("aid", objects=AID),), "earmark": (Cue("aid", objects=AID),), "disburse": (Cue("aid", objects=AID),),
    "vote": (Cue("reject", prep="against"), Cue("support", prep="for"), Cue("support", objects=_set("favour favor"))),
    # arson by a crowd is a violent protest (CAMEO 145), by anyone else an attack
    "set": (Cue("protest", objects=_set("fire"), subjects=CROWDS), Cue("assault", objects=_set("fire"))),
    "torch": (Cue("protest", subjects=CROWDS), _ASSAULT), "burn": (Cue("protest", subjects=CROWDS), Cue("assault", objects=_set(
        "house houses home homes village villages building buildings office offices embassy shop shops car cars church mosque"))),
    "deliver": (Cue("aid", objects=AID), Cue("aid", needs_target=True)), "supply": (Cue("aid"),), "give": (Cue("concede", particle="in"), Cue("retreat", particle="back"), Cue("concede", objects=_set("way")), Cue("threaten", objects=_set("ultimatum deadline hour hours day days week weeks")), Cue("aid", objects=AID)),
    "ship": (Cue("sanction", particle="out", objects=PEACEKEEPING | MISSIONS), Cue("aid", objects=AID), Cue("mobilize", objects=FORCES)),
    "speak": (Cue("consult", prep="with"), Cue("consult", objects=_set("telephone phone"))),
    "grant": (Cue("aid", objects=AID | _set("asylum")),
              Cue("concede", objects=_set("amnesty pardon clemency autonomy concession concessions rights freedom exemption "
                                          "exemptions waiver waivers reprieve"))),
    "secure": (Cue("aid", objects=AID, patient=True),), "obtain": (Cue("aid", objects=AID, patient=True),),
    # retreat
    "release": (Cue("retreat"),), "free": (Cue("retreat"),), "return": (Cue("retreat"),),
    "leave": (Cue("retreat", subjects=FORCES, needs_target=True),),
    "observe": (Cue("retreat", objects=_set("ceasefire truce cease-fire armistice")),),
    "withdraw": (Cue("sanction", objects=_set("talks negotiations treaty agreement pact deal peacekeeping inspector inspectors observer observers monitor monitors peacekeeper peacekeepers worker workers staff diplomat diplomats ambassador envoy")), Cue("retreat")),
    "retreat": (Cue("retreat"),), "surrender": (Cue("retreat"),), "disarm": (Cue("retreat"),), "retake": (_ASSAULT,),
    "demobilize": (Cue("retreat"),), "reopen": (Cue("retreat"),),
    "pull": (Cue("sanction", objects=_set("talks negotiations") | PEACEKEEPING | MISSIONS, particle="out"), Cue("retreat", particle="out"), Cue("retreat", particle="back")),
    "resign": (Cue("retreat"),), "step": (Cue("retreat", particle="down"), Cue("mobilize", particle="up", objects=SECURITY)),
    "beef": (Cue("mobilize", particle="up", objects=SECURITY | FORCES),),
    "tighten": (Cue("mobilize", objects=SECURITY),), "heighten": (Cue("mobilize", objects=SECURITY),),
    "move": (Cue("mobilize", objects=FORCES),), "rush": (Cue("aid", objects=AID), Cue("mobilize", objects=FORCES)),
    # request
    "demand": (_REQ_DEMAND,), "urge": (_REQ_APPEAL,), "ask": (_REQ_APPEAL,), "appeal": (_REQ_APPEAL,),
    "push": (Cue("request", frame=True, appeal=True, prep="for"),),
    "request": (_REQ_APPEAL,), "plead": (_REQ_APPEAL,), "implore": (_REQ_APPEAL,), "petition": (_REQ_APPEAL,),
    "invite": (_REQ_APPEAL,), "encourage": (_REQ_APPEAL,), "seek": (Cue("request", objects=AID | MEETING | _set(
        "release support help cooperation clarification explanation compensation"), appeal=True),),
    "press": (_REQ_DEMAND,), "insist": (_REQ_DEMAND,), "tell": (Cue("request", frame=True, needs_target=True),),
    # accuse
    "accuse": (Cue("accuse", frame=True),), "criticize": (_ACCUSE,), "criticise": (_ACCUSE,), "condemn": (_ACCUSE,),
    "denounce": (_ACCUSE,), "blame": (Cue("accuse", frame=True),), "censure": (_ACCUSE,), "rebuke": (_ACCUSE,),
    "deplore": (_ACCUSE,), "slam": (_ACCUSE,), "complain": (_ACCUSE,), "allege": (Cue("accuse", frame=True),),
    "charge": (Cue("coerce", objects=PERSONS, prep="with"), Cue("accuse", objects=PERSONS), Cue("accuse", frame=True)), "sue": (_ACCUSE,), "convict": (_ACCUSE,),
    "investigate": (_ACCUSE,), "probe": (_ACCUSE,), "disapprove": (_ACCUSE,), "fault": (_ACCUSE,), "indict": (_ACCUSE,),
    "lodge": (Cue("accuse", objects=_set("complaint complaints protest protests objection")),),
    "summon": (Cue("accuse", objects=DIPLOMAT),), "lash": (Cue("accuse", particle="out"),),
    # reject
    "reject": (Cue("reject", frame=True),), "refuse": (Cue("reject", frame=True),), "decline": (Cue("reject", frame=True),),
    "veto": (Cue("reject"),), "rebuff": (Cue("reject"),), "spurn": (Cue("reject"),), "dismiss": (Cue("reject"),),
    "oppose": (Cue("reject"),), "resist": (Cue("reject"),), "defy": (Cue("reject"),),
    "ignore": (Cue("reject", objects=_set("ruling rulings warning warnings demand demands call calls order orders request requests")),),
    "turn": (Cue("reject", particle="down"), Cue("cooperate", needs_target=True)),
    "rule": (Cue("reject", particle="out"),),
    "deny": (Cue("reject"),),
    "boycott": (Cue("reject", objects=_set("talks negotiation negotiations election elections meeting summit vote")), Cue("protest")),
    # threaten
    "threaten": (Cue("threaten", frame=True),), "warn": (Cue("threaten", frame=True),), "menace": (Cue("threaten"),),
    # protest
    "protest": (_PROTEST,), "demonstrate": (_PROTEST,), "rally": (Cue("support", objects=_set("support backing")), _PROTEST), "march": (_PROTEST,),
    "riot": (_PROTEST,), "picket": (_PROTEST,),
    # sanction
    "sanction": (Cue("sanction", -8.0),), "embargo": (Cue("sanction", -8.0),), "blacklist": (Cue("sanction", -8.0),),
    "expel": (Cue("sanction", -5.0, objects=DIPLOMAT | MISSIONS), Cue("coerce")),
    "recall": (Cue("sanction", -5.0, objects=DIPLOMAT),),
    "sever": (Cue("sanction", objects=TIES),), "downgrade": (Cue("sanction", objects=TIES),),
    "prohibit": (Cue("sanction", objects=AID), Cue("coerce")),
    "break": (Cue("sanction", particle="off"),),
    "suspend": (Cue("concede", objects=TARIFF | SANCTION | STRIKES), Cue("sanction", objects=TIES | MEETING | AID | TRADE | _set("membership"))),
    "halt": (Cue("retreat", objects=MOVES | _set("fighting hostilities shelling bombing")), Cue("concede", objects=STRIKES), Cue("sanction", objects=TIES | MEETING | AID | TRADE | _set("mediation"))),
    "cancel": (Cue("concede", objects=TARIFF | SANCTION | RESTRICT), Cue("sanction", objects=MEETING | _set("trip"))),
    "walk": (Cue("sanction", particle="out"),), "force": (Cue("sanction", particle="out"),),
    # mobilize
    "mobilize": (Cue("mobilize", objects=FORCES | _set("reserve reserves reservist reservists police army military")),),
    "mobilise": (Cue("mobilize", objects=FORCES | _set("reserve reserves reservist reservists police army military")),), "deploy": (Cue("aid", objects=PEACEKEEPING), Cue("mobilize"),),
    "mass": (Cue("mobilize", objects=FORCES),), "reinforce": (Cue("mobilize"),), "patrol": (Cue("mobilize"),),
    "order": (Cue("sanction", -5.0, objects=DIPLOMAT | MISSIONS, complement=_set("leave quit depart")), Cue("coerce", complement=_set("leave quit depart"))),
    "station": (Cue("mobilize", objects=FORCES),), "test": (Cue("mobilize", objects=_set("missile missiles rocket rockets weapon weapons bomb device")),),
    # coerce
    "impose": (Cue("sanction", -8.0, objects=SANCTION), Cue("coerce", -5.0, objects=TARIFF), Cue("sanction", -8.0, objects=TRADE), Cue("coerce", objects=RESTRICT)),
    "slap": (Cue("sanction", -8.0, objects=SANCTION), Cue("coerce", -5.0, objects=TARIFF | _set("rate rates"))),
    "raise": (Cue("coerce", -5.0, objects=TARIFF), Cue("mobilize", objects=SECURITY | FORCES)), "hike": (Cue("coerce", -5.0, objects=TARIFF),),
    "increase": (Cue("coerce", -5.0, objects=TARIFF), Cue("mobilize", objects=SECURITY | FORCES)), "levy": (Cue("coerce", -5.0),),
    "hit": (Cue("sanction", -8.0, objects=SANCTION), Cue("coerce", -5.0, objects=TARIFF | _set("rate rates")), Cue("assault", needs_target=True)),
    "arrest": (_COERCE,), "detain": (_COERCE,), "jail": (_COERCE,), "imprison": (_COERCE,), "sentence": (_COERCE,),
    "deport": (_COERCE,), "seize": (_COERCE,), "confiscate": (_COERCE,), "raid": (_COERCE,), "ban": (Cue("sanction", -8.0, objects=TRADE), _COERCE),
    "restrict": (Cue("sanction", -8.0, objects=TRADE), _COERCE), "blockade": (_COERCE,), "occupy": (Cue("protest", subjects=CROWDS), _COERCE), "annex": (_COERCE,), "censor": (_COERCE,),
    "crack": (Cue("coerce", particle="down"),), "pressure": (_COERCE,), "pressurize": (_COERCE,), "coerce": (_COERCE,),
    "harass": (_COERCE,), "intimidate": (_COERCE,), "confront": (_COERCE,), "prevent": (Cue("coerce", frame=True),),
    "demolish": (_COERCE,), "bulldoze": (_COERCE,), "deface": (_COERCE,), "blow": (Cue("coerce", particle="up"),),
    "block": (Cue("protest", objects=_set("road roads street streets bridge bridges highway highways railway entrance motorway")),
              Cue("protest", subjects=CROWDS), Cue("sanction", -8.0, objects=TRADE),
              Cue("coerce", objects=CLOSABLE | _set("access")), Cue("coerce", needs_target=True)), "seal": (Cue(_A, objects=AGREEMENT), Cue("coerce", particle="off"), Cue("coerce", objects=_set("border borders crossing crossings"))),
    "cordon": (Cue("coerce", particle="off"),),
    "declare": (Cue("coerce", objects=_set("emergency curfew law")),),
    "close": (Cue("sanction", objects=_set("embassy embassies consulate consulates mission")), Cue("coerce", objects=CLOSABLE),),
    "shut": (Cue("sanction", objects=_set("embassy embassies consulate consulates mission")), Cue("coerce", particle="down"),
             Cue("coerce", objects=CLOSABLE)),
    # assault
    "attack": (_ASSAULT,), "kill": (_ASSAULT,), "bomb": (_ASSAULT,), "shell": (_ASSAULT,), "invade": (_ASSAULT,),
    "clash": (_ASSAULT,), "fight": (_ASSAULT,), "shoot": (_ASSAULT,), "wound": (_ASSAULT,), "massacre": (_ASSAULT,),
    "assassinate": (_ASSAULT,), "abduct": (_ASSAULT,), "kidnap": (_ASSAULT,), "hijack": (_ASSAULT,),
    "torture": (_ASSAULT,), "ambush": (_ASSAULT,), "storm": (_ASSAULT,), "capture": (_ASSAULT,),
    "destroy": (Cue("coerce", objects=_set("home homes house houses building buildings property crop crops line lines bridge bridges office offices")), _ASSAULT),
    "beat": (_ASSAULT,), "rape": (_ASSAULT,), "ram": (_ASSAULT,), "abuse": (_ASSAULT,),
    "execute": (Cue("assault", objects=PERSONS),), "behead": (_ASSAULT,),
    "fire": (Cue("assault", objects=_set("missile missiles rocket rockets shell shells shot shots cannon cannons round rounds salvo "
                                         "artillery gas bullet bullets teargas tear-gas grenade grenades mortar mortars")),),
    "loot": (_COERCE,), "plunder": (_COERCE,), "pillage": (_COERCE,), "ransack": (_COERCE,),
    "open": (Cue("assault", objects=_set("fire")),), "exchange": (Cue("assault", objects=_set("fire gunfire")), Cue("retreat", objects=PERSONS), Cue("cooperate", objects=INFORMATION), Cue("consult", objects=_set("view views idea ideas opinion opinions"))),
    "violate": (Cue("assault", objects=_set("ceasefire truce")), Cue("reject", objects=_set("ban law rule rules order resolution embargo"))), "detonate": (_ASSAULT,),
    "explode": (Cue("assault", objects=_set("bomb bombs device devices")),),
    "target": (Cue("assault", needs_target=True),), "strafe": (_ASSAULT,),
}

#: Further verbs of the CAMEO verb dictionaries, by type (lemma -> cues), merged into VERBS.
_MORE_VERBS: Mapping[str, tuple[Cue, ...]] = {
    "defer": (Cue("concede", objects=TARIFF | SANCTION),),
    "delay": (Cue("concede", objects=TARIFF | SANCTION),),
    "postpone": (Cue("concede", objects=TARIFF | SANCTION),),
    "pause": (Cue("concede", objects=TARIFF | SANCTION),),
    "throw": (Cue("support", objects=_set("support backing weight")),),
    "sit": (Cue("consult", particle="down", needs_target=True),),
    "stop": (Cue("protest", objects=_set("work")), Cue("retreat", objects=MOVES | _set("fighting hostilities shelling bombing")), Cue("concede", objects=STRIKES), Cue("sanction", objects=TIES | MEETING | AID | TRADE)),
    "cease": (Cue("retreat", objects=MOVES | _set("fire fighting hostilities shelling bombing")), Cue("sanction", objects=TIES | MEETING | AID | TRADE)),
    "reimburse": (Cue("retreat"),),
    "compensate": (Cue("retreat"),),
    "favor": (_SUPPORT,),
    "favour": (_SUPPORT,),
    "acclaim": (_SUPPORT,),
    "extol": (_SUPPORT,),
    "compliment": (_SUPPORT,),
    "broker": (_CONSULT,),
    "arbitrate": (_CONSULT,),
    "greet": (Cue("consult", objects=VISITORS),),
    "reiterate": (Cue("support", objects=_set("support commitment solidarity backing")),),
    "join": (Cue("cooperate", objects=_set("force forces hand hands")),),
    "pool": (Cue("cooperate"),),
    "shuttle": (_CONSULT,),
    "stand": (Cue("support", prep="by", needs_target=True), Cue("support", prep="behind", needs_target=True)),
    "vouch": (_SUPPORT,),
    "sympathise": (_SUPPORT,),
    "sympathize": (_SUPPORT,),
    "champion": (_SUPPORT,),
    "soften": (Cue("concede", objects=_set("stance position stand line opposition demand demands")),),
    "reverse": (Cue("concede", objects=_set("decision decisions policy policies ban order stance position")),),
    "satisfy": (Cue("concede", objects=DEMANDS),),
    "fulfill": (Cue("concede", objects=DEMANDS),),
    "fulfil": (Cue("concede", objects=DEMANDS),),
    "accommodate": (Cue("concede", objects=DEMANDS),),
    "heed": (Cue("concede", objects=DEMANDS),),
    "acquiesce": (Cue("concede"),),
    "swap": (Cue("retreat", objects=PERSONS),),
    "admit": (Cue("retreat", objects=MISSIONS | HUMANITARIAN | PEACEKEEPING),),
    "dismantle": (Cue("retreat", objects=CHECKPOINTS),),
    "disengage": (Cue("retreat"),),
    "decommission": (Cue("retreat", objects=ARMS),),
    "disband": (Cue("retreat", objects=FORCES | _set("unit units group groups")),),
    "demobilise": (Cue("retreat"),),
    "scramble": (Cue("mobilize", objects=FORCES),),
    "muster": (Cue("mobilize", objects=FORCES),),
    "concentrate": (Cue("mobilize", objects=FORCES),),
    "amass": (Cue("mobilize", objects=FORCES),),
    "consent": (Cue(_A, frame=True),), "guarantee": (Cue(_A, frame=True),), "assure": (Cue(_A, frame=True),),
    "tour": (Cue("consult", needs_target=True),), "convene": (_CONSULT,), "fly": (Cue("consult", needs_target=True),),
    "side": (Cue("support", needs_target=True),), "salute": (_SUPPORT,), "honour": (_SUPPORT,), "honor": (_SUPPORT,),
    "reaffirm": (Cue("support", objects=_set("support commitment solidarity backing")),),
    "cede": (Cue("concede"),), "comply": (Cue("concede"),), "abide": (Cue("concede"),), "bow": (Cue("concede"),),
    "pardon": (Cue("concede"),), "accede": (Cue("concede"),), "coordinate": (Cue("cooperate"),),
    "team": (Cue("cooperate", particle="up"),), "ally": (Cue("cooperate"),),
    "assist": (Cue("aid"),), "help": (Cue("aid", needs_target=True),), "airlift": (Cue("aid"),),
    "contribute": (Cue("aid", objects=AID),), "train": (Cue("aid", objects=FORCES | _set("police officer officers pilot pilots")),),
    "vacate": (Cue("retreat"),), "relinquish": (Cue("retreat"),), "repatriate": (Cue("retreat"),),
    "lobby": (Cue("request", frame=True, appeal=True),), "beg": (Cue("request", frame=True, appeal=True),),
    "decry": (_ACCUSE,), "castigate": (_ACCUSE,), "chastise": (_ACCUSE,), "berate": (_ACCUSE,), "assail": (_ACCUSE,),
    "lambast": (_ACCUSE,), "lambaste": (_ACCUSE,), "scold": (_ACCUSE,), "reproach": (_ACCUSE,),
    "object": (Cue("accuse", prep="to"),), "snub": (Cue("reject"),), "shun": (Cue("reject"),), "disregard": (Cue("reject"),),
    "balk": (Cue("reject"),), "succumb": (Cue("concede"),), "capitulate": (Cue("concede"),),
    "take": (Cue("accuse", objects=_set("court tribunal")), Cue("coerce", objects=_set("control"))),
    "retaliate": (Cue("coerce", -5.0, objects=TARIFF), Cue("sanction", -8.0, objects=SANCTION), _ASSAULT), "freeze": (Cue("sanction", -8.0, objects=_set("asset assets fund funds account accounts aid talks")),),
    "dispatch": (Cue("mobilize", objects=FORCES), Cue("aid", objects=AID)),
    "impound": (_COERCE,), "evict": (_COERCE,), "curb": (Cue("sanction", -8.0, objects=TRADE), _COERCE), "intercept": (_COERCE,), "outlaw": (_COERCE,),
    "dissolve": (Cue("coerce", objects=_set("party parties parliament opposition group")),), "round": (Cue("coerce", particle="up"),),
    "injure": (_ASSAULT,), "maim": (_ASSAULT,), "pound": (_ASSAULT,), "blast": (_ASSAULT,), "sink": (_ASSAULT,),
    "overrun": (_ASSAULT,), "besiege": (_ASSAULT,), "lynch": (_ASSAULT,), "stab": (_ASSAULT,), "battle": (_ASSAULT,),
    "gun": (Cue("assault", particle="down"),), "slaughter": (_ASSAULT,), "murder": (_ASSAULT,),
}
VERBS = {**_MORE_VERBS, **VERBS}

#: Nouns that carry an event when they have their own source (a possessor "Russia's",
#: a country adjective "US", "by X", "from X"), are the object of a light verb, or
#: relate the parties of "between X and Y".
NOUNS: Mapping[str, tuple[Cue, ...]] = {
    "blessing": (_SUPPORT,),
    "conference": (_CONSULT,),
    "reopening": (Cue("retreat", objects=CLOSABLE - _set("office offices newspaper newspapers paper papers station stations website websites")),),
    "cessation": (Cue("retreat", objects=MOVES | _set("fire fighting hostilities shelling bombing violence")),),
    "halt": (Cue("retreat", objects=MOVES | _set("fighting hostilities shelling bombing")), Cue("concede", objects=STRIKES), Cue("sanction", objects=TIES | MEETING | AID | TRADE)),
    "removal": (Cue("retreat", objects=CHECKPOINTS | FORCES), Cue("concede", objects=TARIFF | SANCTION | RESTRICT),),
    "relaxation": (Cue("concede", objects=TARIFF | SANCTION | RESTRICT | LIFTABLE),),
    "easing": (Cue("retreat", objects=_set("blockade siege closure")), Cue("concede", objects=TARIFF | SANCTION | RESTRICT | LIFTABLE)),
    "lifting": (Cue("retreat", objects=_set("blockade siege closure")), Cue("concede", objects=TARIFF | SANCTION | RESTRICT | LIFTABLE)),
    "backing": (_SUPPORT,),
    "capitulation": (Cue("concede"),),
    "pardon": (Cue("concede"),),
    "pullback": (Cue("retreat"),),
    "repatriation": (Cue("retreat"),),
    "demobilisation": (Cue("retreat"),),
    "demobilization": (Cue("retreat"),),
    "disarmament": (Cue("retreat"),),
    "surrender": (Cue("retreat"),),
    "retreat": (Cue("retreat"),),
    "pull-out": (Cue("retreat"),),
    "show": (Cue("mobilize", objects=_set("force strength")),),
    "footing": (Cue("mobilize", objects=_set("war")),),
    "standby": (Cue("mobilize"),),
    "tariff": (Cue("coerce", -5.0),), "duty": (Cue("coerce", -5.0),), "levy": (Cue("coerce", -5.0),),
    "sanction": (Cue("sanction", -8.0),), "embargo": (Cue("sanction", -8.0),),
    "ban": (Cue("sanction", -8.0, objects=TRADE), _COERCE), "restriction": (_COERCE,), "blockade": (_COERCE,), "pressure": (_COERCE,),
    "coercion": (_COERCE,), "occupation": (_COERCE,), "crackdown": (_COERCE,), "arrest": (_COERCE,),
    "attack": (_ASSAULT,), "strike": (_ASSAULT,), "airstrike": (_ASSAULT,), "bombing": (_ASSAULT,),
    "shelling": (_ASSAULT,), "invasion": (_ASSAULT,), "offensive": (_ASSAULT,), "clash": (_ASSAULT,),
    "fighting": (_ASSAULT,), "war": (_ASSAULT,), "aggression": (_ASSAULT,), "assault": (_ASSAULT,),
    "cannon": (_ASSAULT,), "incursion": (_ASSAULT,), "raid": (_ASSAULT,),
    "drill": (Cue("mobilize"),), "exercise": (Cue("mobilize"),), "game": (Cue("mobilize", objects=_set("war")),), "deployment": (Cue("mobilize"),),
    "buildup": (Cue("mobilize"),), "build-up": (Cue("mobilize"),), "patrol": (Cue("mobilize"),),
    "talk": (_CONSULT,), "talks": (_CONSULT,), "meeting": (_CONSULT,), "visit": (_CONSULT,), "summit": (_CONSULT,),
    "negotiation": (_CONSULT,), "call": (_CONSULT,), "conversation": (_CONSULT,), "consultation": (_CONSULT,),
    "dialogue": (_CONSULT,), "videoconference": (_CONSULT,), "trip": (_CONSULT,), "attendance": (_CONSULT,),
    "signing": (Cue(_A, 8.0),), "agreement": (Cue(_A),), "deal": (Cue(_A),), "accord": (Cue(_A),),
    "treaty": (Cue(_A),), "pact": (Cue(_A),), "memorandum": (Cue(_A),), "mou": (Cue(_A),), "promise": (Cue(_A),),
    "pledge": (Cue(_A),), "ratification": (Cue(_A),),
    "cooperation": (Cue("cooperate"),), "partnership": (Cue("cooperate"),), "outreach": (Cue("cooperate"),),
    "engagement": (Cue("cooperate"),), "collaboration": (Cue("cooperate"),),
    "aid": (Cue("aid"),), "assistance": (Cue("aid"),), "loan": (Cue("aid"),), "donation": (Cue("aid"),),
    "support": (_SUPPORT,), "praise": (_SUPPORT,), "recognition": (_SUPPORT,), "endorsement": (_SUPPORT,),
    "protest": (_PROTEST,), "demonstration": (_PROTEST,), "rally": (_PROTEST,), "march": (_PROTEST,),
    "riot": (_PROTEST,), "boycott": (_PROTEST,), "sit-in": (_PROTEST,),
    "complaint": (_ACCUSE,), "accusation": (_ACCUSE,), "criticism": (_ACCUSE,), "condemnation": (_ACCUSE,),
    "investigation": (_ACCUSE,), "probe": (_ACCUSE,), "allegation": (_ACCUSE,),
    "demand": (Cue("request"),), "appeal": (Cue("request", appeal=True, prep="for"), Cue("request", appeal=True, prep="to")),
    "threat": (Cue("threaten"),), "warning": (Cue("threaten"),), "ultimatum": (Cue("threaten"),),
    "rejection": (Cue("reject"),), "refusal": (Cue("reject"),), "veto": (Cue("reject"),),
    "release": (Cue("retreat"),), "withdrawal": (Cue("sanction", -5.0, objects=DIPLOMAT | MISSIONS), Cue("retreat"),),
    "recall": (Cue("sanction", -5.0, objects=DIPLOMAT),), "parade": (Cue("mobilize", objects=_set("military army naval")),), "ceasefire": (Cue("retreat"),),
    "truce": (Cue("retreat"),), "exemption": (Cue("concede"),), "concession": (Cue("concede"),),
    "expulsion": (Cue("sanction", -5.0),), "offer": (Cue(_A),), "detention": (_COERCE,), "deportation": (_COERCE,),
    "curfew": (_COERCE,), "closure": (_COERCE,), "seizure": (_COERCE,), "walkout": (_PROTEST,), "vigil": (_PROTEST,),
    "plea": (Cue("request", appeal=True),), "pullout": (Cue("retreat"),), "evacuation": (Cue("retreat"),),
    "handover": (Cue("retreat"),), "mobilization": (Cue("mobilize"),), "mobilisation": (Cue("mobilize"),),
    "reinforcement": (Cue("mobilize"),), "tour": (_CONSULT,), "killing": (_ASSAULT,), "massacre": (_ASSAULT,), "bombardment": (_ASSAULT,),
    "apology": (_SUPPORT,), "condolence": (_SUPPORT,), "amnesty": (Cue("concede"),), "suspension": (Cue("concede", objects=TARIFF | SANCTION | STRIKES), Cue("sanction"),), "severance": (Cue("sanction"),),
    "cancellation": (Cue("sanction"),), "mediation": (_CONSULT,), "hearing": (_ACCUSE,), "inquiry": (_ACCUSE,),
    "torture": (_ASSAULT,), "shield": (_COERCE,), "alert": (Cue("mobilize"),), "signature": (_PROTEST,),
    "petition": (_PROTEST,), "lawsuit": (_ACCUSE,), "tribute": (_SUPPORT,), "rioting": (_PROTEST,), "unrest": (_PROTEST,), "compensation": (Cue("retreat"),), "emergency": (_COERCE,), "defence": (_SUPPORT,), "defense": (_SUPPORT,),
}

#: Adjectives that carry an event: "ready to meet" (agree), "X is exempt" (concede to X).
ADJECTIVES: Mapping[str, tuple[Cue, ...]] = {
    "ready": (Cue(_A, frame=True),), "willing": (Cue(_A, frame=True),), "prepared": (Cue(_A, frame=True),),
    "critical": (Cue("accuse", prep="of"),), "opposed": (Cue("reject", prep="to"),), "supportive": (Cue("support", prep="of"),),
    "exempt": (Cue("concede", patient=True),),
}

#: Nouns of an act done, not suffered: "the withdrawal of Vietnamese troops" (of X: the actor).
AGENTIVE_OF = _set("withdrawal pullout pull-out retreat deployment arrival departure surrender mobilization "
                   "mobilisation buildup build-up visit presence")

#: Works done together: "a joint venture", "joint patrols" (CAMEO 06, COOPERATE).
JOINT_WORKS = _set("venture ventures project projects operation operations patrol patrols investigation investigations "
                   "force commission committee study programme program effort efforts exercise exercises drill drills "
                   "manoeuvres maneuvers development production research mission missions initiative plan")

#: Support verbs whose object noun's event they carry ("imposed tariffs on X", "launched air
#: strikes", "held talks with X", "lodged a complaint", "stepped up the use of tariffs").
LIGHT_VERBS = _set(
    "impose launch hold conduct carry stage make give issue express announce adopt unveil introduce begin start "
    "resume step use have take mount deliver sign reach slap levy apply place put institute implement extend "
    "intensify escalate continue unleash lodge file send provide announce witness attend join pursue seek "
    "face receive secure obtain get suffer open collect gather undertake order embark go declare observe approve "
    "bring take form create pay"
)
#: Light verbs whose subject receives the noun's event ("Malaysia faces tariffs",
#: "Kenya secured a loan from China").
PATIENT_LIGHT = _set("face receive secure obtain get suffer")

#: Verbs and adjectives that mark the clause they govern as intended or expected rather
#: than done (PLOVER records such events with a mode; intent to cooperate is AGREE, intent
#: to use force THREATEN).
MODAL_HEADS: Mapping[str, str] = {
    **dict.fromkeys(("plan", "intend", "aim", "want", "hope", "seek", "prepare", "mean", "wish", "go"), "intended"),
    **dict.fromkeys(("expect", "likely", "set", "due", "poise", "slate", "schedule"), "expected"),
    **dict.fromkeys(("deny",), "denied"),
    **dict.fromkeys(("fail",), "negated"),
}

#: What a demand asks a target to give up: "urged Israel to lift the curfew" is a demand
#: (-5.0), "urged closer cooperation" an appeal (+3.0).
APPEAL_YIELD = _set(
    "stop end halt withdraw release cease lift drop refrain leave pay hand free resign abandon reverse "
    "retract scrap remove surrender disarm quit evacuate"
)
