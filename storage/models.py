"""The database tables as typed SQLAlchemy 2.x models; only storage/ sees these, never bot/."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UtcDateTime


class OrganisationRow(Base):
    __tablename__ = "organisations"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8), default="fi")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Helsinki")
    anonymity_threshold: Mapped[int] = mapped_column(Integer, default=5)


class TeamRow(Base):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("org_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Helsinki")
    language: Mapped[str | None] = mapped_column(String(8))


class TeamChannelRow(Base):
    __tablename__ = "team_channels"
    __table_args__ = (UniqueConstraint("team_id", "platform"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(100), default="")
    channel_id: Mapped[str] = mapped_column(String(200))


class MemberRow(Base):
    __tablename__ = "members"
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(32), default="staff")
    language: Mapped[str | None] = mapped_column(String(8))


class TeamMemberRow(Base):
    __tablename__ = "team_members"
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True, index=True)


class MemberIdentityRow(Base):
    __tablename__ = "member_identities"
    __table_args__ = (
        UniqueConstraint("platform", "workspace", "user_id"),
        Index("ix_member_identities_directory", "platform", "aad_object_id"),  # a roster matched by it (0012)
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(100), default="")  # Slack team id, Teams tenant; "" not known
    user_id: Mapped[str] = mapped_column(String(200))
    # Teams: the person's Microsoft Entra object id, the same whichever bot asks (the 29: id is the bot's own).
    aad_object_id: Mapped[str] = mapped_column(String(100), default="", server_default="")


class PlanRow(Base):
    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("team_id", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    agreed_on: Mapped[date | None] = mapped_column(Date)
    last_follow_up_on: Mapped[date | None] = mapped_column(Date)


class PlanStrengthRow(Base):
    __tablename__ = "plan_strengths"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    dimension: Mapped[str | None] = mapped_column(String(4))


class PlanTargetRow(Base):
    __tablename__ = "plan_targets"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text, default="", server_default="")  # the development target
    goal: Mapped[str] = mapped_column(Text, default="")  # its goal (tavoite)
    dimensions: Mapped[str] = mapped_column(String(64), default="")  # comma-separated codes
    practice: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[str] = mapped_column(Text, default="")


class PlanActionRow(Base):
    __tablename__ = "plan_actions"
    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("plan_targets.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    due_words: Mapped[str] = mapped_column(String(100), default="", server_default="")  # as the planner wrote it


class FollowUpRow(Base):
    __tablename__ = "follow_ups"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="", server_default="")  # what was decided in the meeting


class CalendarRow(Base):
    __tablename__ = "calendars"
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), unique=True)
    pulse_every_weeks: Mapped[int] = mapped_column(Integer, default=4)
    send_hour: Mapped[int] = mapped_column(Integer, default=9)


class CalendarStepRow(Base):
    __tablename__ = "calendar_steps"
    __table_args__ = (UniqueConstraint("calendar_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    calendar_id: Mapped[int] = mapped_column(ForeignKey("calendars.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(32))
    month: Mapped[int | None] = mapped_column(Integer)
    day: Mapped[int | None] = mapped_column(Integer)
    after_key: Mapped[str | None] = mapped_column(String(100))
    offset_days: Mapped[int] = mapped_column(Integer, default=0)
    units: Mapped[str] = mapped_column(Text, default="")  # comma-separated team keys; empty = all
    enabled: Mapped[bool] = mapped_column(default=True)


class PulseRoundRow(Base):
    __tablename__ = "pulse_rounds"
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    opens_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closes_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reminder_sent: Mapped[bool] = mapped_column(default=False, server_default=false())  # one reminder per round
    # The organisation's anonymity threshold when the round opened: the round is reported under it for good.
    anonymity_threshold: Mapped[int] = mapped_column(Integer, default=5, server_default="5")


class PulseRoundUnitRow(Base):
    """The unit tree a round's answers are grouped under, frozen when it opened: a later reorganisation (a unit
    moved to another parent) must not regroup them, or the two groupings would subtract to one person."""

    __tablename__ = "pulse_round_units"
    round_id: Mapped[int] = mapped_column(ForeignKey("pulse_rounds.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # a team's id; no key: the tree is history
    parent_id: Mapped[int | None] = mapped_column(Integer)


class PulseCommentRow(Base):
    """An anonymous free-text comment: its round and team only, no person and no time."""

    __tablename__ = "pulse_comments"
    # A random id, drawn by the repository: an increasing one would keep the order comments came in (migration 0009).
    # On SQLite a column of type INTEGER is the rowid itself, so no hidden counter keeps that order either.
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False)
    round_id: Mapped[int] = mapped_column(ForeignKey("pulse_rounds.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)


class PulseRoundTeamRow(Base):
    """Who was asked what in a round, and how many answered: counters, never names."""

    __tablename__ = "pulse_round_teams"
    round_id: Mapped[int] = mapped_column(ForeignKey("pulse_rounds.id", ondelete="CASCADE"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True, index=True)
    question_ids: Mapped[str] = mapped_column(String(200))  # comma-separated
    invited: Mapped[int] = mapped_column(Integer, default=0)
    respondents: Mapped[int] = mapped_column(Integer, default=0)


class PulseAnswerCountRow(Base):
    """How many chose each value: the only form in which answers are ever stored."""

    __tablename__ = "pulse_answer_counts"
    round_id: Mapped[int] = mapped_column(ForeignKey("pulse_rounds.id", ondelete="CASCADE"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class PulseAnsweredRow(Base):
    """That a person answered a round: no value, no team, no time, so nothing links them to counts."""

    __tablename__ = "pulse_answered"
    round_id: Mapped[int] = mapped_column(ForeignKey("pulse_rounds.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)


class PulsePendingAnswerRow(Base):
    """One person's answers and comment between their Send and the mix: no person, no time, a random id.

    Written in a transaction apart from the marker's, and deleted by the mixer when it counts them
    (storage/pulse_mixer.py); `answers` is the card's {question id: value} as JSON.
    """

    __tablename__ = "pulse_pending_answers"
    __table_args__ = (Index("ix_pulse_pending_answers_round_team", "round_id", "team_id"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False)
    round_id: Mapped[int] = mapped_column(ForeignKey("pulse_rounds.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    answers: Mapped[str] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)


class SuccessRow(Base):
    __tablename__ = "successes"
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    posted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    target_id: Mapped[int | None] = mapped_column(ForeignKey("plan_targets.id", ondelete="SET NULL"))
    strength_id: Mapped[int | None] = mapped_column(ForeignKey("plan_strengths.id", ondelete="SET NULL"))


class SuccessMentionRow(Base):
    __tablename__ = "success_mentions"
    success_id: Mapped[int] = mapped_column(ForeignKey("successes.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)


class ReminderRow(Base):
    """A person asked to be reminded of something later ("remind me later" in words)."""

    __tablename__ = "reminders"
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))  # e.g. "followup"
    ref_id: Mapped[int | None] = mapped_column(Integer)  # e.g. the plan id
    remind_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent: Mapped[bool] = mapped_column(default=False)


class FollowUpEscalationRow(Base):
    """A follow-up overdue past its 3-month limit was escalated to the wellbeing officer: once per due date."""

    __tablename__ = "follow_up_escalations"
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    due_on: Mapped[date] = mapped_column(Date, primary_key=True)


class ChooseSessionRow(Base):
    """A "me - us - all of us" round of choosing strengths and targets in a team."""

    __tablename__ = "choose_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    started_by: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closes_at: Mapped[datetime] = mapped_column(UtcDateTime)
    stage: Mapped[str] = mapped_column(String(16), default="me")  # me -> us -> all -> done


class ChoosePickRow(Base):
    """One person's pick (a strength or a target); shown only to their pair, and to everyone only as a tally."""

    __tablename__ = "choose_picks"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("choose_sessions.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # "strength" or "target"
    choice: Mapped[str] = mapped_column(Text)  # a dimension code or the person's own words


class ChoosePairRow(Base):
    __tablename__ = "choose_pairs"
    session_id: Mapped[int] = mapped_column(ForeignKey("choose_sessions.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    pair_no: Mapped[int] = mapped_column(Integer)


class JobRunRow(Base):
    """An occurrence of the calendar that has run: claimed before it runs, so a restart never runs it twice."""

    __tablename__ = "job_runs"
    job_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    ran_at: Mapped[datetime] = mapped_column(UtcDateTime)


# The outbox and the platform adapters keep their tables in modules of their own, below storage.base like this one;
# importing them here puts every table in Base.metadata for Alembic and for create_all.
import storage.comment_answers  # noqa: E402
import storage.demo_clock_store  # noqa: E402
import storage.evaluation_models  # noqa: E402
import storage.live_message_models  # noqa: E402
import storage.need_models  # noqa: E402
import storage.outbox_models  # noqa: E402
import storage.platform_models  # noqa: E402
import storage.slack_oauth_models  # noqa: E402
import storage.survey_models  # noqa: E402
import storage.web_session_repository  # noqa: E402, F401
