"""Alignment: where countries stand between the great powers, from UN General Assembly votes.

Agreement indices per dyad and period, dynamic one-dimensional ideal points per country
and session, and a focus country's position relative to the great powers. Pure functions
over DataFrames (see :func:`geohedge.views.votes.query_votes` for the inputs): no I/O.
"""

from geohedge.alignment.agreement import (
    ISSUES,
    agreement_scores,
    check_issue,
    select_roll_calls,
)
from geohedge.alignment.idealpoints import bridge_items, ideal_points
from geohedge.alignment.position import POWERS, position, positions
from geohedge.alignment.results import (
    AgreementScores,
    IdealPoints,
    Position,
    Positions,
    Provenance,
)

__all__ = [
    "ISSUES",
    "POWERS",
    "AgreementScores",
    "IdealPoints",
    "Position",
    "Positions",
    "Provenance",
    "agreement_scores",
    "bridge_items",
    "check_issue",
    "ideal_points",
    "position",
    "positions",
    "select_roll_calls",
]
