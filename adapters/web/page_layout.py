"""The web pages' HTML shell: head, inline CSS, skip link, header with the language switch and sign-out, footer."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from urllib.parse import quote

from bot.i18n import SUPPORTED_LANGUAGES, translate

# Each language's name in itself, so a person who cannot read the current page still finds their own.
LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}

# Colours reach at least 4.5:1 on their backgrounds (WCAG AA); the focus ring is thick and never removed.
CSS = """
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:1rem;line-height:1.5;
color:#1a1a1a;background:#fff}
a{color:#0b4f9c}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid #b35c00;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}
.skip:focus{left:.5rem}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
header{background:#f2f5f9;border-bottom:1px solid #c5ccd6;padding:.75rem 1rem;display:flex;flex-wrap:wrap;
gap:.75rem 1.5rem;align-items:center;justify-content:space-between}
header p{margin:0}
header .brand{font-weight:700;font-size:1.15rem}
header nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1rem}
header form{display:flex;gap:.4rem;align-items:center;margin:0}
select,button{font:inherit;padding:.3rem .6rem;border:1px solid #595959;border-radius:4px;background:#fff;color:#1a1a1a}
button{cursor:pointer;background:#0b4f9c;color:#fff;border-color:#0b4f9c}
main{padding:1rem;max-width:80rem;margin:0 auto}
h1{font-size:1.6rem;margin:.5rem 0 1rem}
h2{font-size:1.25rem;margin:2rem 0 .75rem}
h3{font-size:1.05rem;margin:1.25rem 0 .5rem}
.table-wrap{position:relative;overflow-x:auto;border:1px solid #c5ccd6;border-radius:4px}
table{border-collapse:collapse;width:100%;font-size:.95rem}
caption{text-align:left;padding:.5rem;font-weight:600}
th,td{padding:.4rem .6rem;border-bottom:1px solid #dde2e8;text-align:left;vertical-align:top}
thead th{background:#f2f5f9;min-width:6rem}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.overdue{background:#fbe4e2;color:#7d1510;font-weight:700}
.warn{color:#7d1510;font-weight:700}
.hidden-value{font-style:italic;color:#595959}
td.below-limit{background:#fbe4e2;color:#7d1510;font-weight:700}
.change{font-size:.85rem;font-weight:400;color:#4a4a4a}
th .limit{font-size:.85rem;font-weight:400}
.note{color:#4a4a4a}
ul.reasons{margin:0;padding-left:1.1rem;min-width:14rem}
table.teams thead th{min-width:0}
table.teams th,table.teams td{padding:.4rem .45rem;hyphens:auto}
table.teams td{font-size:.9rem}
table.teams ul.reasons{min-width:12rem}
ul.compact,ul.scores{list-style:none;margin:0;padding:0}
ul.scores{min-width:11rem}
ul.scores li{display:flex;justify-content:space-between;gap:.5rem}
ul.scores li span:last-child{white-space:nowrap;font-variant-numeric:tabular-nums}
.risk-legend ul.legend{columns:2 22rem;margin:0;padding:0;list-style:none}
.risk-legend li{break-inside:avoid;margin:0 0 .25rem}
.risk-legend .points{display:inline-block;min-width:2rem;font-weight:700}
figure{margin:1rem 0;overflow-x:auto}
figure svg{min-width:36rem;width:100%;height:auto}
.wheel-with-legend{display:flex;flex-wrap:wrap;gap:0 1.5rem;align-items:flex-start}
.wheel-with-legend figure{flex:2 1 30rem;min-width:0}.wheel-legend{flex:1 1 18rem;min-width:0}
.legend-list{list-style:none;padding:0;margin:0 0 .5rem}.legend-list li{display:flex;gap:.5rem;margin:.35rem 0}
.legend-list svg{flex:none}
.calendar-form .steps{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,24rem),1fr));gap:0 1rem}
.calendar-form fieldset{min-width:0;margin:.75rem 0;padding:.5rem .75rem;border:1px solid #c5ccd6;border-radius:4px}
.calendar-form legend{font-weight:600}.calendar-form .field{margin:.4rem 0}.calendar-form .indent{margin-left:1.6rem}
.calendar-form label{margin:0 .4rem}.calendar-form select,.calendar-form input{max-width:100%;font:inherit}
.calendar-form .choice{display:inline-block;margin-right:.75rem}
.field-problem{display:block;color:#7d1510;font-weight:700;margin:.2rem 0 0 1.6rem}
.notice{border-left:4px solid #0b4f9c;background:#f2f5f9;padding:.75rem 1rem}
.problem{border-left:4px solid #a4161a;background:#fbe4e2;padding:.75rem 1rem}
code{background:#eef1f5;padding:.1rem .3rem;border-radius:3px}
footer{padding:1rem;color:#4a4a4a;font-size:.9rem;text-align:center}
@media (max-width:40rem){main{padding:.75rem}h1{font-size:1.35rem}th,td{padding:.35rem .4rem}
table.teams,table.teams tbody,table.teams tr,table.teams td,table.teams tbody th{display:block}
table.teams thead tr{display:flex;flex-wrap:wrap}
table.teams tbody tr{border-top:2px solid #c5ccd6}
table.teams td{border:0}
table.teams td.num{text-align:left}
table.teams td[data-label]::before{content:attr(data-label) ": ";font-weight:600}
ul.reasons,ul.scores{min-width:0}}
@media print{@page{size:A4;margin:12mm}
body{font-size:9pt;line-height:1.3}
header,footer,.skip,.no-print,form{display:none!important}
main{padding:0;max-width:none}
h1{font-size:14pt;margin:0 0 4pt}
h2{font-size:11pt;margin:7pt 0 2pt;break-after:avoid}
h3{font-size:10pt;margin:5pt 0 2pt;break-after:avoid}
p,ul{margin:2pt 0}
.table-wrap{overflow:visible;border:0}
table{font-size:8.5pt}
caption{padding:1pt 0}
th,td{padding:1pt 4pt}
thead th{min-width:0}
tr{break-inside:avoid}
.notice,.problem{padding:2pt 6pt}
a{color:inherit;text-decoration:none}
.print-sheet{break-after:page}
.print-sheet:last-child{break-after:auto}}
"""


# Private pages: never cached, never framed, no scripts, and the one-time token never leaks through a Referer.
HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}


# The product's mark: a white heart on the pages' blue. Inline in every page's head (no request for it) and served at
# /favicon.ico for the browsers that ask there anyway.
FAVICON_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#0b4f9c"/>'
    '<path d="M16 25s-9-5.6-9-11.5A4.8 4.8 0 0 1 16 10a4.8 4.8 0 0 1 9 3.5C25 19.4 16 25 16 25z" fill="#fff"/></svg>'
)
FAVICON_LINK = f'<link rel="icon" type="image/svg+xml" href="data:image/svg+xml,{quote(FAVICON_SVG)}">'


def esc(value: object) -> str:
    """Text for HTML content or a quoted attribute."""
    return escape(str(value), quote=True)


def scroll_box(inner: str, label: str) -> str:
    """A wide table in a box that scrolls sideways on a narrow screen, focusable and named so that a keyboard user
    can scroll it too (axe-core's scrollable-region-focusable)."""
    return f'<div class="table-wrap" role="region" aria-label="{esc(label)}" tabindex="0">{inner}</div>'


def scroll_figure(inner: str, label: str) -> str:
    """A chart that scrolls sideways on a narrow screen (figure{overflow-x:auto}): focusable and named, as above."""
    return f'<figure tabindex="0" aria-label="{esc(label)}">{inner}</figure>'


def language_switch(language: str, path: str, query: Mapping[str, str]) -> str:
    """A small GET form that reloads the same page in another language, keeping the other parameters."""
    label = translate(language, "web.language.label")
    kept = "".join(
        f'<input type="hidden" name="{esc(name)}" value="{esc(value)}">'
        for name, value in query.items()
        if name != "lang"
    )
    options = "".join(
        f'<option value="{code}" lang="{code}"{" selected" if code == language else ""}>'
        f"{esc(LANGUAGE_NAMES[code])}</option>"
        for code in SUPPORTED_LANGUAGES
    )
    return (
        f'<form method="get" action="{esc(path)}">{kept}'
        f'<label for="lang-switch">{esc(label)}</label>'
        f'<select id="lang-switch" name="lang">{options}</select>'
        f'<button type="submit">{esc(translate(language, "web.language.submit"))}</button></form>'
    )


def page(
    language: str,
    title: str,
    body: str,
    *,
    path: str,
    query: Mapping[str, str],
    signed_in_as: str | None = None,
    officer: bool = False,
) -> str:
    """A whole page; `body` is already escaped HTML, everything else is escaped here."""
    brand = translate(language, "web.title")
    nav = ""
    if signed_in_as is not None:
        links = [
            ("/dashboard", translate(language, "web.nav.dashboard")),
            ("/dashboard/survey", translate(language, "survey.page.nav")),
            ("/dashboard/export.xlsx", translate(language, "web.nav.export_xlsx")),
            ("/dashboard/export.csv", translate(language, "web.nav.export_csv")),
        ]
        if officer:  # only the wellbeing officer may edit the calendar or import results; others would meet a refusal
            links.insert(1, ("/dashboard/calendar", translate(language, "web.nav.calendar")))
            links.insert(3, ("/dashboard/survey-import", translate(language, "survey.web.nav")))
            links.insert(4, ("/dashboard/needs", translate(language, "needs.web.nav")))
        items = "".join(f'<li><a href="{href}">{esc(text)}</a></li>' for href, text in links)
        nav = (
            f'<nav aria-label="{esc(translate(language, "web.nav.label"))}"><ul>{items}</ul></nav>'
            f'<p class="who">{esc(translate(language, "web.signed_in_as", name=signed_in_as))}</p>'
            f'<form method="post" action="/signout"><button type="submit">'
            f"{esc(translate(language, 'web.signout'))}</button></form>"
        )
    return (
        f'<!doctype html><html lang="{esc(language)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">{FAVICON_LINK}'
        f"<title>{esc(title)} – {esc(brand)}</title><style>{CSS}</style></head><body>"
        f'<a class="skip" href="#main">{esc(translate(language, "web.skip"))}</a>'
        f'<header><p class="brand">{esc(brand)}</p>{nav}{language_switch(language, path, query)}</header>'
        f'<main id="main" tabindex="-1"><h1>{esc(title)}</h1>{body}</main>'
        f"<footer>{esc(translate(language, 'web.footer'))}</footer></body></html>"
    )
