"""The tables of the annual survey's results: one import per organisation and year, one row per group in it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UtcDateTime


class SurveyImportRow(Base):
    """A year's survey results as imported; importing the year again replaces it whole (migration 0013)."""

    __tablename__ = "survey_imports"
    __table_args__ = (UniqueConstraint("org_id", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The organisation's threshold when imported (migration 0016): the year is shown under it for good.
    anonymity_threshold: Mapped[int] = mapped_column(Integer, default=5, server_default="5")


class SurveyImportUnitRow(Base):
    """The unit tree a year's figures are grouped under, frozen at its import: a later reorganisation must not
    regroup them, or the two groupings would subtract to a few people (as pulse_round_units for a round)."""

    __tablename__ = "survey_import_units"
    import_id: Mapped[int] = mapped_column(ForeignKey("survey_imports.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # a team's id; no key: the tree is history
    parent_id: Mapped[int | None] = mapped_column(Integer)


class SurveyGroupRow(Base):
    """The vendor's figures of one group: a unit, or the whole organisation when team_id is NULL. Counts only."""

    __tablename__ = "survey_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("survey_imports.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    # NULL where the vendor's file left a unit's figures out (migration 0016): a unit with no figures.
    respondents: Mapped[int | None] = mapped_column(Integer)
    invited: Mapped[int | None] = mapped_column(Integer)
    qwl_index: Mapped[float | None] = mapped_column(Float)
    # The eight dimensions, 0-100 %, named by their codes (bot/dimensions.py).
    fe: Mapped[float | None] = mapped_column(Float)
    yi: Mapped[float | None] = mapped_column(Float)
    pl: Mapped[float | None] = mapped_column(Float)
    sw: Mapped[float | None] = mapped_column(Float)
    co: Mapped[float | None] = mapped_column(Float)
    le: Mapped[float | None] = mapped_column(Float)
    pr: Mapped[float | None] = mapped_column(Float)
    oc: Mapped[float | None] = mapped_column(Float)
