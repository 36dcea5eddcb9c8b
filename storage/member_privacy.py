"""A person's data rights: export everything stored about them, or forget them while anonymous counts stay."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Delete, Select, Update, delete, false, or_, select, true, update
from sqlalchemy.orm import Session

from bot.organisation import Platform
from storage.db import Database
from storage.live_message_models import LiveMessageRow
from storage.models import (
    ChoosePairRow,
    ChoosePickRow,
    ChooseSessionRow,
    FollowUpRow,
    MemberIdentityRow,
    MemberRow,
    PlanActionRow,
    PlanRow,
    PlanStrengthRow,
    PlanTargetRow,
    PulseAnsweredRow,
    PulseRoundRow,
    PulseRoundTeamRow,
    ReminderRow,
    SuccessMentionRow,
    SuccessRow,
    TeamMemberRow,
    TeamRow,
)
from storage.outbox_models import OutboxRow, OutboxStatus
from storage.platform_models import ConversationRow, PlatformUserRow
from storage.web_session_repository import WebSessionRow

# The row stays so its id keeps meaning "someone who was here" (forgetting twice is then recognisable);
# the name is the same for everyone forgotten, so it says nothing about who.
FORGOTTEN_NAME = "(forgotten)"
_WAITING = (OutboxStatus.PENDING, OutboxStatus.SENDING)
# The fields each export section shows.
_MEMBER = ("id", "name", "email", "role", "language")
_IDENTITY = ("platform", "workspace", "user_id", "aad_object_id")
_CONVERSATION = ("platform", "workspace", "conversation_id", "service_url", "reference", "updated_at")
_PROFILE = ("platform", "workspace", "user_id", "locale", "time_zone", "fetched_at")
_SUCCESS = ("id", "team_id", "text", "posted_at")
_REMINDER = ("kind", "ref_id", "remind_at", "sent")
_OUTBOX = ("id", "platform", "status", "created_at", "sent_at")
_SESSION = ("language", "expires_at")
_LIVE = ("topic", "platform", "sent_at")
# The team's texts where the bot may have written "@Name" for a mention.
_NAMED_TEXTS: tuple[tuple[type[Any], tuple[Any, ...]], ...] = (
    (SuccessRow, (SuccessRow.text,)),
    (PlanStrengthRow, (PlanStrengthRow.text,)),
    (PlanTargetRow, (PlanTargetRow.title, PlanTargetRow.goal, PlanTargetRow.practice, PlanTargetRow.follow_up)),
    (FollowUpRow, (FollowUpRow.note,)),
    (PlanActionRow, (PlanActionRow.text,)),
)
# On these platforms the user id is the member id itself (bot/organisation.py), with or without an identity row.
_ID_IS_MEMBER_ID = (Platform.WEB.value, Platform.CONSOLE.value)


class UnknownMember(LookupError):
    """No member has the id given."""

    def __init__(self, member_id: int) -> None:
        super().__init__(f"no member {member_id}")
        self.member_id = member_id


@dataclass(frozen=True)
class ForgetReport:
    """What forgetting a person removed; all zero (and already_forgotten) when it was done before."""

    member_id: int
    already_forgotten: bool
    forgotten_at: datetime
    identities: int = 0
    team_links: int = 0
    answered_markers: int = 0
    conversations: int = 0
    profiles: int = 0
    outbox_deleted: int = 0
    outbox_detached: int = 0
    references: int = 0  # reminders, choosing picks and pairs, mentions, action owners, success authors


@dataclass(frozen=True)
class _Handle:
    """One platform user id of the person; an empty workspace matches any (org imports leave it empty)."""

    platform: str
    workspace: str
    user_id: str


def export_member(db: Database, member_id: int) -> dict[str, Any]:
    """Everything stored about the person, as plain JSON-ready data; never an answer, for none is linked to them."""
    with db.transaction() as session:
        row = session.get(MemberRow, member_id)
        if row is None:
            raise UnknownMember(member_id)
        handles = _handles(session, member_id)
        team_ids = list(session.scalars(select(TeamMemberRow.team_id).where(TeamMemberRow.member_id == member_id)))
        mine = member_id
        mentioned = select(SuccessMentionRow.success_id).where(SuccessMentionRow.member_id == mine)
        sections: dict[str, tuple[Select[Any], tuple[str, ...]]] = {
            "teams": (select(TeamRow).where(TeamRow.id.in_(team_ids)), ("id", "key", "name")),
            "identities": (select(MemberIdentityRow).where(MemberIdentityRow.member_id == mine), _IDENTITY),
            "platform_conversations": (select(ConversationRow).where(_conversation_match(handles)), _CONVERSATION),
            "platform_profiles": (select(PlatformUserRow).where(_profile_match(handles)), _PROFILE),
            "successes_authored": (select(SuccessRow).where(SuccessRow.author_id == mine), _SUCCESS),
            "successes_mentioned_in": (select(SuccessRow).where(SuccessRow.id.in_(mentioned)), _SUCCESS),
            "reminders": (select(ReminderRow).where(ReminderRow.member_id == mine), _REMINDER),
            # Status only: the message text is the bot's, and may hold other people's names.
            "outbox": (select(OutboxRow).where(OutboxRow.member_id == mine), _OUTBOX),
            # When the person is signed in to the dashboard; the cookie's hash is a key, not the person's data.
            "dashboard_sessions": (select(WebSessionRow).where(WebSessionRow.member_id == mine), _SESSION),
            # Cards the bot keeps redrawing for the person (a choosing's count): where they are, not what they say.
            "live_messages": (select(LiveMessageRow).where(LiveMessageRow.member_id == mine), _LIVE),
        }
        return {
            "member": {**_pick(row, _MEMBER), "forgotten": _is_forgotten(row)},
            **{name: _picks(session, query, fields) for name, (query, fields) in sections.items()},
            "pulse_rounds": _pulse_rounds(session, member_id, team_ids),
            "plan_actions_owned": _plan_actions(session, member_id),
            "choosing": _choosing(session, member_id),
            "not_stored": "pulse answers: they are kept only as anonymous counts per team and cannot be tied to anyone",
        }


def forget_member(db: Database, member_id: int, now: datetime) -> ForgetReport:
    """Erase the person's identity, markers and references in one transaction; round totals and counts stay."""
    with db.transaction() as session:
        row = session.get(MemberRow, member_id, with_for_update=True)
        if row is None:
            raise UnknownMember(member_id)
        already = _is_forgotten(row)
        handles = _handles(session, member_id)
        conversations = _run(session, delete(ConversationRow).where(_conversation_match(handles)))
        profiles = _run(session, delete(PlatformUserRow).where(_profile_match(handles)))
        outbox_deleted, outbox_detached = _forget_outbox(session, member_id, handles)
        identities = _run(session, delete(MemberIdentityRow).where(MemberIdentityRow.member_id == member_id))
        team_links = _run(session, delete(TeamMemberRow).where(TeamMemberRow.member_id == member_id))
        # Only the marker goes: the counters and respondents of the round were never tied to it and do not change.
        markers = _run(session, delete(PulseAnsweredRow).where(PulseAnsweredRow.member_id == member_id))
        named = 0 if already else _unname(session, row.name)
        references = named + sum(
            _run(session, statement)
            for statement in (
                delete(ReminderRow).where(ReminderRow.member_id == member_id),
                delete(ChoosePickRow).where(ChoosePickRow.member_id == member_id),
                delete(ChoosePairRow).where(ChoosePairRow.member_id == member_id),
                delete(SuccessMentionRow).where(SuccessMentionRow.member_id == member_id),
                delete(WebSessionRow).where(WebSessionRow.member_id == member_id),  # signed in no longer
                delete(LiveMessageRow).where(LiveMessageRow.member_id == member_id),  # nothing redrawn for them
                # The team's plan and successes are the team's: they stay, without the name.
                update(PlanActionRow).where(PlanActionRow.owner_id == member_id).values(owner_id=None),
                update(SuccessRow).where(SuccessRow.author_id == member_id).values(author_id=None),
                update(ChooseSessionRow).where(ChooseSessionRow.started_by == member_id).values(started_by=None),
            )
        )
        row.name, row.email, row.role, row.language = FORGOTTEN_NAME, None, "staff", None
        return ForgetReport(
            member_id=member_id,
            already_forgotten=already,
            forgotten_at=now,
            identities=identities,
            team_links=team_links,
            answered_markers=markers,
            conversations=conversations,
            profiles=profiles,
            outbox_deleted=outbox_deleted,
            outbox_detached=outbox_detached,
            references=references,
        )


def _unname(session: Session, name: str) -> int:
    """The bot writes "@Name" into success and plan texts for a mention: each such mention of the person loses the
    name (any case). A name typed without the @ is the team's own words and stays."""
    mention = re.compile("@" + re.escape(name) + r"(?!\w)", re.IGNORECASE)
    changed = 0
    for model, columns in _NAMED_TEXTS:
        has_at = or_(*(column.contains("@") for column in columns))
        for row in session.scalars(select(model).where(has_at)):
            for column in columns:
                before = getattr(row, column.key)
                after = mention.sub("@" + FORGOTTEN_NAME, before)
                if after != before:
                    setattr(row, column.key, after)
                    changed += 1
    return changed


def _forget_outbox(session: Session, member_id: int, handles: list[_Handle]) -> tuple[int, int]:
    """Waiting messages to the person are dropped; finished rows stay for the counts, stripped of where they went."""
    addressed = [OutboxRow.member_id == member_id] + [
        # Messages queued to a platform user rather than a member carry the user id in their key (scheduler/jobs.py).
        OutboxRow.key.endswith(f">{h.platform}:{h.user_id}")
        for h in handles
    ]
    to_them = or_(*addressed)
    deleted = _run(session, delete(OutboxRow).where(to_them, OutboxRow.status.in_(_WAITING)))
    detached = 0
    for outbox_id, key in session.execute(select(OutboxRow.id, OutboxRow.key).where(to_them)).all():
        # A key naming a member id says nothing once the member is gone; one naming a platform user id does.
        new_key = key if key.endswith(f">member:{member_id}") else f"forgotten:{outbox_id}"
        detached += _run(
            session,
            update(OutboxRow)
            .where(OutboxRow.id == outbox_id)
            .values(member_id=None, key=new_key, payload=None, sent_channel=None, sent_message_id=None),
        )
    return deleted, detached


def _handles(session: Session, member_id: int) -> list[_Handle]:
    handles = [
        _Handle(i.platform, i.workspace, i.user_id)
        for i in session.scalars(select(MemberIdentityRow).where(MemberIdentityRow.member_id == member_id))
    ]
    return handles + [_Handle(platform, "", str(member_id)) for platform in _ID_IS_MEMBER_ID]


def _conversation_match(handles: list[_Handle]) -> ColumnElement[bool]:
    clauses = [
        (ConversationRow.kind == "person")
        & (ConversationRow.platform == h.platform)
        & (ConversationRow.target == h.user_id)
        # A DM opened before the workspace was known ("") is the same person's (PlatformRepository.person_conversation).
        & (ConversationRow.workspace.in_((h.workspace, "")) if h.workspace else true())
        for h in handles
    ]
    return or_(false(), *clauses)


def _profile_match(handles: list[_Handle]) -> ColumnElement[bool]:
    clauses = [
        (PlatformUserRow.platform == h.platform)
        & (PlatformUserRow.user_id == h.user_id)
        & (PlatformUserRow.workspace == h.workspace if h.workspace else true())
        for h in handles
    ]
    return or_(false(), *clauses)


def _pulse_rounds(session: Session, member_id: int, team_ids: list[int]) -> list[dict[str, Any]]:
    """Rounds with the person's marker, and rounds that asked one of their teams; whether answered, never what."""
    answered = set(session.scalars(select(PulseAnsweredRow.round_id).where(PulseAnsweredRow.member_id == member_id)))
    asked = set(session.scalars(select(PulseRoundTeamRow.round_id).where(PulseRoundTeamRow.team_id.in_(team_ids))))
    rounds = session.scalars(
        select(PulseRoundRow).where(PulseRoundRow.id.in_(answered | asked)).order_by(PulseRoundRow.opens_at)
    )
    return [{**_pick(r, ("opens_at", "closes_at")), "round_id": r.id, "answered": r.id in answered} for r in rounds]


def _plan_actions(session: Session, member_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(PlanActionRow, PlanRow.team_id, PlanRow.year)
        .join(PlanTargetRow, PlanTargetRow.id == PlanActionRow.target_id)
        .join(PlanRow, PlanRow.id == PlanTargetRow.plan_id)
        .where(PlanActionRow.owner_id == member_id)
        .order_by(PlanActionRow.id)
    ).all()
    return [
        {"team_id": team_id, "plan_year": year, "text": a.text, "due_on": _iso(a.due_on), "status": a.status}
        for a, team_id, year in rows
    ]


def _choosing(session: Session, member_id: int) -> dict[str, Any]:
    return {
        "sessions_started": _picks(
            session,
            select(ChooseSessionRow).where(ChooseSessionRow.started_by == member_id),
            ("id", "team_id", "started_at", "stage"),
        ),
        "picks": _picks(
            session, select(ChoosePickRow).where(ChoosePickRow.member_id == member_id), ("session_id", "kind", "choice")
        ),
        "pairs": _picks(
            session, select(ChoosePairRow).where(ChoosePairRow.member_id == member_id), ("session_id", "pair_no")
        ),
    }


def _pick(row: object, fields: tuple[str, ...]) -> dict[str, Any]:
    """The named attributes of a row, dates and times as ISO text so the result is JSON as it stands."""
    values = {name: getattr(row, name) for name in fields}
    return {name: _iso(v) if isinstance(v, date) else v for name, v in values.items()}


def _picks(session: Session, query: Select[Any], fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """Each row the query finds, in the order it was stored (by primary key)."""
    entity = query.column_descriptions[0]["entity"]
    return [_pick(row, fields) for row in session.scalars(query.order_by(*entity.__table__.primary_key.columns))]


def _is_forgotten(row: MemberRow) -> bool:
    return row.name == FORGOTTEN_NAME and row.email is None


def _run(session: Session, statement: Delete | Update) -> int:
    result = session.execute(statement.execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)


def _iso(value: datetime | date | None) -> str | None:
    return None if value is None else value.isoformat()
