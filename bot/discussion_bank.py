"""Discussion starters: our own support questions per theme, and which one a team gets in a given week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.dimensions import Dimension
from bot.i18n import translate
from bot.plan import DevelopmentPlan, Target


class Theme(StrEnum):
    """A theme of the model's discussion support; the value names it in the catalogs (discuss.theme.<value>)."""

    SUPERVISOR_WORK = "supervisor_work"
    TRUST = "trust"
    TEAM_SPIRIT = "team_spirit"
    CAPABILITY = "capability"
    AUTONOMY = "autonomy"
    SERVICE_PROCESSES = "service_processes"


# The dimensions a theme's conversations support: a target aiming at one of them gets the theme's questions.
THEME_DIMENSIONS: dict[Theme, tuple[Dimension, ...]] = {
    Theme.SUPERVISOR_WORK: (Dimension.SUPERVISOR_WORK, Dimension.LEADERSHIP),
    Theme.TRUST: (Dimension.SAFETY,),
    Theme.TEAM_SPIRIT: (Dimension.BELONGING, Dimension.CULTURE),
    Theme.CAPABILITY: (Dimension.COMPETENCE,),
    Theme.AUTONOMY: (Dimension.GOALS,),
    Theme.SERVICE_PROCESSES: (Dimension.PROCESSES,),
}
QUESTIONS_PER_THEME = 5


@dataclass(frozen=True)
class StarterQuestion:
    """One support question; its wording lives in the catalogs under `discuss.q.<id>`."""

    id: str
    theme: Theme

    @property
    def key(self) -> str:
        """The catalog key of the question."""
        return f"discuss.q.{self.id}"

    def text(self, language: str) -> str:
        """The question in the given language."""
        return translate(language, self.key)


# Ids are stable and ordered: the weekly rotation walks them in this order.
DISCUSSION_BANK: tuple[StarterQuestion, ...] = tuple(
    StarterQuestion(f"{theme.value}_{number}", theme) for theme in Theme for number in range(1, QUESTIONS_PER_THEME + 1)
)


@dataclass(frozen=True)
class Starter:
    """This week's question for a team, and the target it was chosen for (None without a plan to tie it to)."""

    question: StarterQuestion
    target: Target | None = None
    target_number: int | None = None  # 1-based, as the plan lists it


def themes_for(dimensions: tuple[Dimension, ...]) -> tuple[Theme, ...]:
    """The themes whose conversations support any of the dimensions, in the bank's order."""
    return tuple(theme for theme in Theme if set(THEME_DIMENSIONS[theme]) & set(dimensions))


def questions_for(themes: tuple[Theme, ...]) -> tuple[StarterQuestion, ...]:
    """The bank's questions of the given themes, in the bank's order."""
    return tuple(question for question in DISCUSSION_BANK if question.theme in themes)


def week_index(day: date) -> int:
    """Weeks counted from Monday 1.1.0001: goes on across new years, unlike the ISO week number."""
    return (day.toordinal() - 1) // 7


def pick_starter(plan: DevelopmentPlan | None, week_number: int) -> Starter:
    """The question for the week: the team's targets take turns week by week, each walking its themes' questions.

    A target without dimensions draws from the whole bank; so does a team without a plan or targets, untied.
    """
    targets = plan.targets if plan is not None else ()
    if not targets:
        return Starter(DISCUSSION_BANK[week_number % len(DISCUSSION_BANK)])
    position = week_number % len(targets)
    target = targets[position]
    questions = questions_for(themes_for(target.dimensions)) or DISCUSSION_BANK
    # Each target comes round every len(targets) weeks, and then moves on to its next question.
    turn = week_number // len(targets)
    return Starter(questions[turn % len(questions)], target, position + 1)
