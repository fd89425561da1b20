"""Alignment: where countries stand between the great powers, from UN General Assembly votes.

Agreement indices per dyad and period (half-credit, identical votes, the US State
Department's coincidence), dynamic one-dimensional ideal points per country and session,
series continued after the roll calls with the published Bailey-Strezhnev-Voeten scores,
and a focus country's position relative to the great powers. Pure functions over
DataFrames (see :func:`geohedge.views.votes.query_votes` for the inputs): no I/O.
"""

from geohedge.alignment.agreement import (
    INDICES,
    ISSUES,
    agreement_scores,
    check_index,
    check_issue,
    final_votes,
    select_roll_calls,
    state_department_coincidence,
)
from geohedge.alignment.idealpoints import bridge_items, ideal_points
from geohedge.alignment.position import POWERS, position, positions
from geohedge.alignment.results import (
    AgreementScores,
    AgreementSeries,
    IdealPoints,
    Position,
    Positions,
    Provenance,
)
from geohedge.alignment.series import agreement_series, session_years, spliced_ideal_points

__all__ = [
    "INDICES",
    "ISSUES",
    "POWERS",
    "AgreementScores",
    "AgreementSeries",
    "IdealPoints",
    "Position",
    "Positions",
    "Provenance",
    "agreement_scores",
    "agreement_series",
    "bridge_items",
    "check_index",
    "check_issue",
    "final_votes",
    "ideal_points",
    "position",
    "positions",
    "select_roll_calls",
    "session_years",
    "spliced_ideal_points",
    "state_department_coincidence",
]
