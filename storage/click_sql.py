"""The statements every pulse click runs, as plain SQL that SQLite and PostgreSQL both accept.

Built with SQLAlchemy's expression language, these statements cost four times what running them did (1.7 ms
against 0.4 ms to find the member behind a click); a city's round is thousands of clicks a minute. Their column
types are declared, so times come back as aware UTC datetimes like everywhere else in storage.
"""

from __future__ import annotations

from sqlalchemy import TextClause, TextualSelect, bindparam, text

from storage.base import UtcDateTime


def _typed_round(clause: TextClause) -> TextualSelect:
    return clause.columns(opens_at=UtcDateTime(), closes_at=UtcDateTime())


# A platform's event or signed request, kept once: a second sight of its id inserts nothing (a retry or a replay).
FIRST_SIGHT = text(
    "INSERT INTO seen_events (platform, event_id, seen_at) VALUES (:platform, :event_id, :seen_at)"
    " ON CONFLICT (platform, event_id) DO NOTHING"
).bindparams(bindparam("seen_at", type_=UtcDateTime()))

# Where a person or channel is reached (read for every redraw on Teams), and kept anew when an activity says otherwise.
CONVERSATION = text(
    "SELECT conversation_id, service_url, reference FROM platform_conversations"
    " WHERE platform = :platform AND workspace = :workspace AND kind = :kind AND target = :target"
)
KEEP_CONVERSATION = text(
    "INSERT INTO platform_conversations"
    " (platform, workspace, kind, target, conversation_id, service_url, reference, updated_at)"
    " VALUES (:platform, :workspace, :kind, :target, :conversation_id, :service_url, :reference, :updated_at)"
    " ON CONFLICT (platform, workspace, kind, target) DO UPDATE SET conversation_id = excluded.conversation_id,"
    " service_url = excluded.service_url, reference = excluded.reference, updated_at = excluded.updated_at"
).bindparams(bindparam("updated_at", type_=UtcDateTime()))

# The member behind a sender with their teams and all their identities, in one statement (one row per team and
# identity): the sender's own workspace before an id imported without one ("" sorts last in descending order).
MEMBER_BY_IDENTITY = text(
    "SELECT m.id, m.name, m.role, m.email, m.language, t.team_id,"
    " i.id AS identity_id, i.platform, i.user_id, i.workspace"
    " FROM members m"
    " LEFT JOIN team_members t ON t.member_id = m.id"
    " LEFT JOIN member_identities i ON i.member_id = m.id"
    " WHERE m.id = (SELECT s.member_id FROM member_identities s"
    "  WHERE s.platform = :platform AND s.user_id = :user_id AND s.workspace IN (:workspace, '')"
    "  ORDER BY s.workspace DESC LIMIT 1)"
    " ORDER BY t.team_id, i.id"
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

# The Send's two transactions: the marker alone (only for a team the round asked), then the answer alone.
MARK_ANSWERED = text(
    "INSERT INTO pulse_answered (round_id, member_id) SELECT :round_id, :member_id"
    " WHERE EXISTS (SELECT 1 FROM pulse_round_teams WHERE round_id = :round_id AND team_id = :team_id)"
)
UNMARK_ANSWERED = text("DELETE FROM pulse_answered WHERE round_id = :round_id AND member_id = :member_id")
KEEP_PENDING = text(
    "INSERT INTO pulse_pending_answers (id, round_id, team_id, answers, comment)"
    " VALUES (:id, :round_id, :team_id, :answers, :comment)"
)
# How many answers of a team wait, and the batch the mixer waits for (the round's organisation's threshold).
PENDING_OF_TEAM = text(
    "SELECT count(p.id) AS waiting, o.anonymity_threshold AS threshold FROM pulse_rounds r"
    " JOIN organisations o ON o.id = r.org_id"
    " LEFT JOIN pulse_pending_answers p ON p.round_id = r.id AND p.team_id = :team_id"
    " WHERE r.id = :round_id GROUP BY o.anonymity_threshold"
)
