"""The calendar as a form: each step by its name, when it happens, its teams and on/off; checked as the import is."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from adapters.files.calendar_file import INTEGER, MAX_OFFSET_DAYS, day_and_month
from adapters.web.page_layout import esc
from bot.calendar import AnnualCalendar, CalendarStep
from bot.calendar_text import step_names
from bot.errors import DomainError
from bot.i18n import translate
from bot.organisation import Organisation

EDITOR_FIELD = "editor"  # tells the form's post from the YAML text's
EDITOR_FORM = "form"
WEEKS = "pulse_every_weeks"
HOUR = "send_hour"
ON_DATE = "date"
AFTER_STEP = "after"
ALL_TEAMS = "all"
CHOSEN_TEAMS = "chosen"

Values = Mapping[str, Sequence[str]]  # field name -> what was typed or ticked (several for the team boxes)


def field_name(part: str, key: str) -> str:
    """A step's field, e.g. "days:workshop": step keys are letters, digits, _ and -, so they never hold a colon."""
    return f"{part}:{key}"


def field_id(name: str) -> str:
    return "f-" + name.replace(":", "-")


@dataclass
class FormState:
    """What the form shows: the values (saved or typed) and each field's problem in the reader's language."""

    values: Values
    problems: dict[str, str] = field(default_factory=dict)


def values_of(calendar: AnnualCalendar) -> dict[str, list[str]]:
    """The saved calendar as the form's values."""
    values: dict[str, list[str]] = {WEEKS: [str(calendar.pulse_every_weeks)], HOUR: [str(calendar.send_hour)]}
    for step in calendar.steps:
        fixed = step.after is None
        values[field_name("when", step.key)] = [ON_DATE if fixed else AFTER_STEP]
        values[field_name("date", step.key)] = [f"{step.day}.{step.month}." if fixed else ""]
        values[field_name("after", step.key)] = [step.after or ""]
        values[field_name("days", step.key)] = ["" if fixed else str(step.offset_days)]
        values[field_name("scope", step.key)] = [CHOSEN_TEAMS if step.units else ALL_TEAMS]
        values[field_name("unit", step.key)] = list(step.units)
        values[field_name("enabled", step.key)] = ["on"] if step.enabled else []
    return values


def read_form(
    values: Values, shape: AnnualCalendar, org: Organisation, language: str
) -> tuple[AnnualCalendar | None, dict[str, str]]:
    """The calendar the form describes, or each field's problem. `shape` gives the steps (keys and kinds)."""
    problems: dict[str, str] = {}

    def one(name: str) -> str:
        return (values.get(name) or [""])[0].strip()

    def whole(name: str, low: int, high: int, key: str) -> int:
        text = one(name)
        if not INTEGER.match(text) or not low <= int(text) <= high:
            problems[name] = translate(language, key, value=text, low=low, high=high)
            return low
        return int(text)

    weeks = whole(WEEKS, 0, 52, "web.calendar.form.bad_number")
    hour = whole(HOUR, 0, 23, "web.calendar.form.bad_number")
    keys = {step.key for step in shape.steps}
    team_keys = {team.key for team in org.teams}
    steps = []
    for step in shape.steps:
        when = one(field_name("when", step.key))
        month = day = after = None
        offset = 0
        if when == AFTER_STEP:
            after = one(field_name("after", step.key))
            if after not in keys or after == step.key:
                problems[field_name("after", step.key)] = translate(language, "web.calendar.form.no_after")
                after = None
            offset = whole(
                field_name("days", step.key), -MAX_OFFSET_DAYS, MAX_OFFSET_DAYS, "web.calendar.form.bad_number"
            )
        else:
            text = one(field_name("date", step.key))
            day_month = day_and_month(text)
            if day_month is None:
                problems[field_name("date", step.key)] = translate(language, "web.calendar.form.bad_date", date=text)
            else:
                day, month = day_month
        units: tuple[str, ...] = ()
        if one(field_name("scope", step.key)) == CHOSEN_TEAMS:
            units = tuple(u for u in values.get(field_name("unit", step.key), ()) if u in team_keys)
            if not units:
                problems[field_name("scope", step.key)] = translate(language, "web.calendar.form.no_teams")
        enabled = bool(values.get(field_name("enabled", step.key)))
        steps.append(CalendarStep(step.key, step.kind, month, day, after, offset, units, enabled))
    _find_loops(steps, step_names(shape, language), problems, language)
    if problems:
        return None, problems
    try:
        # The model's own check stays the last guard, as it is for the import.
        return AnnualCalendar(tuple(steps), pulse_every_weeks=weeks, send_hour=hour), {}
    except DomainError as error:
        return None, {WEEKS: error.message(language)}


def _find_loops(steps: list[CalendarStep], names: dict[str, str], problems: dict[str, str], language: str) -> None:
    """A step that comes back to itself by following "after" gets the problem on its own "after" choice."""
    by_key = {step.key: step for step in steps}
    for step in steps:
        chain = [step.key]
        current = step
        while current.after is not None and current.after in by_key and current.after not in chain:
            chain.append(current.after)
            current = by_key[current.after]
        if current.after == step.key and field_name("after", step.key) not in problems:
            loop = " → ".join(names.get(key, key) for key in [*chain, step.key])
            problems[field_name("after", step.key)] = translate(language, "web.calendar.form.loop", chain=loop)


# --- HTML ---------------------------------------------------------------------------------------------------


def form_html(
    state: FormState, shape: AnnualCalendar, org: Organisation, language: str, hidden: Mapping[str, str], action: str
) -> str:
    """The form: the summary of problems first (when there are), then the cadence and one fieldset per step."""

    def t(key: str, **params: object) -> str:
        return esc(translate(language, key, **params))

    names = step_names(shape, language)
    kept = "".join(f'<input type="hidden" name="{esc(n)}" value="{esc(v)}">' for n, v in hidden.items())
    parts = [f'<form method="post" action="{esc(action)}" class="calendar-form" novalidate>{kept}']
    parts.append(f'<input type="hidden" name="{EDITOR_FIELD}" value="{EDITOR_FORM}">')
    if state.problems:
        links = "".join(
            f'<li><a href="#{field_id(name)}">{esc(message)}</a></li>' for name, message in state.problems.items()
        )
        parts.append(
            f'<div id="form-problems" class="problem" role="alert"><p><strong>{t("web.calendar.form.refused")}'
            f"</strong></p><ul>{links}</ul></div>"
        )
    parts.append('<div class="cadence">')
    parts.append(_number(state, WEEKS, t("web.calendar.form.weeks"), 0, 52))
    parts.append(_number(state, HOUR, t("web.calendar.form.hour"), 0, 23))
    parts.append("</div>")
    parts.append('<div class="steps">')
    for step in shape.steps:
        parts.append(_step(state, step, shape, org, names, language))
    parts.append("</div>")
    parts.append(f'<p><button type="submit">{t("web.calendar.save")}</button></p></form>')
    return "".join(parts)


def _value(state: FormState, name: str) -> str:
    return (state.values.get(name) or [""])[0]


def _problem_of(state: FormState, name: str) -> tuple[str, str]:
    """The attributes that tie a field to its problem, and the problem's paragraph, next to the field."""
    message = state.problems.get(name)
    if message is None:
        return "", ""
    problem_id = field_id(name) + "-problem"
    return (
        f' aria-invalid="true" aria-describedby="{problem_id}"',
        f'<span id="{problem_id}" class="field-problem">{esc(message)}</span>',
    )


def _number(state: FormState, name: str, label: str, low: int, high: int) -> str:
    ties, problem = _problem_of(state, name)
    return (
        f'<p class="field"><label for="{field_id(name)}">{label}</label>'
        f'<input type="number" id="{field_id(name)}" name="{name}" min="{low}" max="{high}" step="1" '
        f'value="{esc(_value(state, name))}"{ties}>{problem}</p>'
    )


def _step(
    state: FormState,
    step: CalendarStep,
    shape: AnnualCalendar,
    org: Organisation,
    names: dict[str, str],
    language: str,
) -> str:
    def t(key: str, **params: object) -> str:
        return esc(translate(language, key, **params))

    when = field_name("when", step.key)
    on_date = _value(state, when) != AFTER_STEP
    date_name, after_name, days_name = (field_name(p, step.key) for p in ("date", "after", "days"))
    date_ties, date_problem = _problem_of(state, date_name)
    after_ties, after_problem = _problem_of(state, after_name)
    days_ties, days_problem = _problem_of(state, days_name)
    chosen_after = _value(state, after_name)
    options = "".join(
        f'<option value="{esc(other.key)}"{" selected" if other.key == chosen_after else ""}>'
        f"{esc(names[other.key])}</option>"
        for other in shape.steps
        if other.key != step.key
    )
    enabled = field_name("enabled", step.key)
    checked = " checked" if state.values.get(enabled) else ""
    return (
        f'<fieldset class="step"><legend>{esc(names[step.key])}</legend>'
        f'<p class="field"><input type="checkbox" id="{field_id(enabled)}" name="{enabled}"{checked}>'
        f'<label for="{field_id(enabled)}">{t("web.calendar.form.enabled")}</label></p>'
        f"<fieldset><legend>{t('web.calendar.form.when')}</legend>"
        + _radio(when, ON_DATE, on_date, t("web.calendar.form.on_date"))
        + f'<p class="field indent"><label for="{field_id(date_name)}">{t("web.calendar.form.date")}</label>'
        f'<input type="text" id="{field_id(date_name)}" name="{date_name}" inputmode="decimal" size="7" '
        f'autocomplete="off" value="{esc(_value(state, date_name))}"{date_ties}>{date_problem}</p>'
        + _radio(when, AFTER_STEP, not on_date, t("web.calendar.form.after_step"))
        + f'<p class="field indent"><label for="{field_id(days_name)}">{t("web.calendar.form.days")}</label>'
        f'<input type="number" id="{field_id(days_name)}" name="{days_name}" min="-{MAX_OFFSET_DAYS}" '
        f'max="{MAX_OFFSET_DAYS}" step="1" value="{esc(_value(state, days_name))}"{days_ties}>{days_problem}</p>'
        f'<p class="field indent"><label for="{field_id(after_name)}">{t("web.calendar.form.after")}</label>'
        f'<select id="{field_id(after_name)}" name="{after_name}"{after_ties}>'
        f'<option value="">{t("web.calendar.form.pick")}</option>{options}</select>{after_problem}</p>'
        "</fieldset>" + _teams(state, step, org, language) + "</fieldset>"
    )


def _radio(name: str, value: str, checked: bool, label: str) -> str:
    ident = field_id(name) + "-" + value
    mark = " checked" if checked else ""
    return (
        f'<p class="field"><input type="radio" id="{ident}" name="{name}" value="{value}"{mark}>'
        f'<label for="{ident}">{label}</label></p>'
    )


def _teams(state: FormState, step: CalendarStep, org: Organisation, language: str) -> str:
    scope = field_name("scope", step.key)
    unit = field_name("unit", step.key)
    ties, problem = _problem_of(state, scope)
    chosen = _value(state, scope) == CHOSEN_TEAMS
    ticked = set(state.values.get(unit, ()))
    boxes = "".join(
        f'<span class="choice"><input type="checkbox" id="{field_id(unit)}-{i}" name="{unit}" '
        f'value="{esc(team.key)}"{" checked" if team.key in ticked else ""}>'
        f'<label for="{field_id(unit)}-{i}">{esc(team.name)}</label></span>'
        for i, team in enumerate(org.teams)
    )
    # The group carries the problem: "chosen" with no team ticked is about the whole choice.
    ties = ties.replace(' aria-invalid="true"', "")  # not a fieldset's attribute; the description tells it
    return (
        f'<fieldset id="{field_id(scope)}"{ties}><legend>{esc(translate(language, "web.calendar.form.teams"))}</legend>'
        + _radio(scope, ALL_TEAMS, not chosen, esc(translate(language, "web.calendar.form.all_teams")))
        + _radio(scope, CHOSEN_TEAMS, chosen, esc(translate(language, "web.calendar.form.chosen_teams")))
        + f'<p class="choices indent">{boxes}</p>{problem}</fieldset>'
    )
