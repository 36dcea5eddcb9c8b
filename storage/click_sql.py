"""The statements every pulse click runs, as plain SQL that SQLite and PostgreSQL both accept.

Built with SQLAlchemy's expression language, these statements cost four times what running them did (1.7 ms
against 0.4 ms to find the member behind a click); a city's round is thousands of clicks a minute. Their column
types are declared, so times come back as aware UTC datetimes like everywhere else in storage.
"""

from __future__ import annotations

from sqlalchemy import TextClause, TextualSelect, bindparam, text
from sqlalchemy.types import Integer, String

from storage.base import UtcDateTime


def _typed_round(clause: TextClause) -> TextualSelect:
    return clause.columns(opens_at=UtcDateTime(), closes_at=UtcDateTime())


# The sender's own workspace before an id imported without one ("" sorts last in descending order).
MEMBER_BY_IDENTITY = text(
    "SELECT m.id, m.name, m.role, m.email, m.language"
    " FROM member_identities i JOIN members m ON m.id = i.member_id"
    " WHERE i.platform = :platform AND i.user_id = :user_id AND i.workspace IN (:workspace, '')"
    " ORDER BY i.workspace DESC LIMIT 1"
)
MEMBER_TEAM_IDS = text("SELECT team_id FROM team_members WHERE member_id = :member_id ORDER BY team_id")
MEMBER_IDENTITIES = text(
    "SELECT platform, user_id, workspace FROM member_identities WHERE member_id = :member_id ORDER BY id"
)

# A round with only the asked teams' questions: a left join, so a round that did not ask them still comes back.
ROUND_FOR_TEAMS = _typed_round(
    text(
        "SELECT r.opens_at, r.closes_at, t.team_id, t.question_ids FROM pulse_rounds r"
        " LEFT JOIN pulse_round_teams t ON t.round_id = r.id AND t.team_id IN :team_ids"
        " WHERE r.id = :round_id"
    ).bindparams(bindparam("team_ids", expanding=True))
)
PREVIOUS_ROUND_OF_TEAM = _typed_round(
    text(
        "SELECT r.id, r.opens_at, r.closes_at, t.question_ids FROM pulse_rounds r"
        " JOIN pulse_round_teams t ON t.round_id = r.id"
        " WHERE r.org_id = :org_id AND t.team_id = :team_id AND r.id <> :current_id AND r.closes_at <= :opens_at"
        " ORDER BY r.closes_at DESC, r.id DESC LIMIT 1"
    ).bindparams(bindparam("opens_at", type_=UtcDateTime()))
)
HAS_ANSWERED = text("SELECT 1 FROM pulse_answered WHERE round_id = :round_id AND member_id = :member_id")

MARK_ANSWERED = text("INSERT INTO pulse_answered (round_id, member_id) VALUES (:round_id, :member_id)")
COUNT_RESPONDENT = text(
    "UPDATE pulse_round_teams SET respondents = respondents + 1 WHERE round_id = :round_id AND team_id = :team_id"
)
# Run once per answer (executemany); the counters exist from the round's start, the insert is a safety net only.
COUNT_ANSWER = text(
    "INSERT INTO pulse_answer_counts (round_id, team_id, question_id, value, count)"
    " VALUES (:round_id, :team_id, :question_id, :value, 1)"
    " ON CONFLICT (round_id, team_id, question_id, value)"
    " DO UPDATE SET count = pulse_answer_counts.count + 1"
).bindparams(bindparam("question_id", type_=String()), bindparam("value", type_=Integer()))
KEEP_COMMENT = text("INSERT INTO pulse_comments (id, round_id, team_id, text) VALUES (:id, :round_id, :team_id, :text)")
