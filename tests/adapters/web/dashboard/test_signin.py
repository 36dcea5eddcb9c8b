"""Sign-in links: one-time, expiring in 15 minutes, signed; sessions in an HttpOnly cookie; sign-out ends them."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import text

from adapters.web.dashboard.signin import issue_link, link_member, link_message, signing_secret
from bot.errors import DomainError
from bot.organisation import Role
from tests.adapters.web.conftest import Clock, Demo
from tests.adapters.web.dashboard.page_helpers import dashboard, link_path, open_link, sign_in, visible_text


def officer_id(demo: Demo) -> int:
    return next(m.id for m in demo.members if m.role is Role.WELLBEING_OFFICER)


async def test_a_link_signs_in_with_an_httponly_lax_cookie_and_opens_the_dashboard(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        response = await open_link(client, link_path(demo, clock, officer_id(demo)))
        assert response.status == 303
        assert response.headers["Location"] == "/dashboard"
        cookie = response.headers["Set-Cookie"]
        assert "tyhy_session=" in cookie
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
        page = await client.get("/dashboard")
        assert page.status == 200
        assert "Kirjautuneena: Outi Laine" in visible_text(await page.text())


async def test_a_link_works_only_once(demo: Demo, clock: Clock) -> None:
    path = link_path(demo, clock, officer_id(demo))
    async with dashboard(demo, clock) as client:
        assert (await open_link(client, path)).status == 303
    async with dashboard(demo, clock) as other_browser:
        again = await open_link(other_browser, path)
        assert again.status == 403
        assert "on jo käytetty" in visible_text(await again.text())
        assert "tyhy_session" not in again.headers.get("Set-Cookie", "")
        assert (await other_browser.get("/dashboard", allow_redirects=False)).status == 303


async def test_opening_a_link_or_asking_for_its_head_uses_nothing_up(demo: Demo, clock: Clock) -> None:
    """Link scanners and the chat apps' previews fetch a link before the person does (HEAD or GET)."""
    path = link_path(demo, clock, officer_id(demo))
    async with dashboard(demo, clock) as scanner:
        assert (await scanner.head(path, allow_redirects=False)).status == 200
        preview = await scanner.get(path + "&lang=en", allow_redirects=False)
        assert preview.status == 200 and "tyhy_session" not in preview.headers.get("Set-Cookie", "")
        assert "Sign in" in visible_text(await preview.text())
        assert "Outi" not in visible_text(await preview.text())  # a preview learns nothing of whose link it is
        assert (await scanner.get("/dashboard", allow_redirects=False)).status == 303
    async with dashboard(demo, clock) as person:
        assert (await open_link(person, path)).status == 303
        assert (await person.get("/dashboard", allow_redirects=False)).status == 200


async def test_the_sign_in_button_refuses_a_post_from_another_site(demo: Demo, clock: Clock) -> None:
    path = link_path(demo, clock, officer_id(demo))
    token = path.split("token=", 1)[1]
    async with dashboard(demo, clock) as client:
        cross_site = {"Sec-Fetch-Site": "cross-site"}
        form = {"token": token, "lang": ""}
        forged = await client.post("/signin", data=form, headers=cross_site, allow_redirects=False)
        assert forged.status == 403 and "tyhy_session" not in forged.headers.get("Set-Cookie", "")
        assert (await open_link(client, path)).status == 303  # the refused post used nothing up


async def test_over_https_the_cookie_is_secure_and_the_browser_told_to_keep_to_https(
    demo: Demo, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with dashboard(demo, clock) as client:
        opened = await open_link(client, link_path(demo, clock, officer_id(demo)))
        assert "Secure" not in opened.headers["Set-Cookie"] and "Strict-Transport-Security" not in opened.headers
    # Behind the documented TLS proxy, which says so in X-Forwarded-Proto.
    async with dashboard(demo, clock) as client:
        page = await client.get(link_path(demo, clock, officer_id(demo)), headers={"X-Forwarded-Proto": "https"})
        token = re.search(r'name="token" value="([^"]+)"', await page.text())
        assert token and page.headers["Strict-Transport-Security"].startswith("max-age=")
        signed_in = await client.post(
            "/signin",
            data={"token": html.unescape(token.group(1)), "lang": ""},
            headers={"X-Forwarded-Proto": "https"},
            allow_redirects=False,
        )
        assert signed_in.status == 303 and "Secure" in signed_in.headers["Set-Cookie"]
    # A proxy that says nothing: the server's public address is https.
    monkeypatch.setenv("TYHY_PUBLIC_URL", "https://tyhy.example.org")
    async with dashboard(demo, clock) as client:
        opened = await open_link(client, link_path(demo, clock, officer_id(demo)))
        assert "Secure" in opened.headers["Set-Cookie"] and "Strict-Transport-Security" in opened.headers


async def test_a_link_expires_after_15_minutes(demo: Demo, clock: Clock) -> None:
    path = link_path(demo, clock, officer_id(demo))
    clock.advance(minutes=15)
    async with dashboard(demo, clock) as client:
        response = await open_link(client, path + "&lang=en")
        assert response.status == 403
        assert "This sign-in link has expired" in visible_text(await response.text())


async def test_a_link_still_works_just_before_it_expires(demo: Demo, clock: Clock) -> None:
    path = link_path(demo, clock, officer_id(demo))
    clock.advance(minutes=14, seconds=59)
    async with dashboard(demo, clock) as client:
        assert (await open_link(client, path)).status == 303


@pytest.mark.parametrize("change", ["member", "signature", "garbage"])
async def test_a_forged_or_broken_link_is_refused(demo: Demo, clock: Clock, change: str) -> None:
    supervisor = demo.supervisor("ruokapalvelu")
    path = link_path(demo, clock, supervisor.id)
    if change == "member":  # a supervisor trying to become the wellbeing officer
        path = path.replace(f"token={supervisor.id}.", f"token={officer_id(demo)}.")
    elif change == "signature":
        path = path[:-4] + ("0000" if not path.endswith("0000") else "1111")
    else:
        path = "/signin?token=not-a-token&lang=sv"
    async with dashboard(demo, clock) as client:
        response = await client.get(path, allow_redirects=False)
        assert response.status == 403
        text = visible_text(await response.text())
        assert "ei ole kelvollinen" in text or "är inte giltig" in text


async def test_a_link_made_for_someone_who_has_since_become_staff_is_refused(demo: Demo, clock: Clock) -> None:
    pirjo = demo.supervisor("kotihoito")
    path = link_path(demo, clock, pirjo.id)
    with demo.db.engine.begin() as connection:
        connection.execute(text("UPDATE members SET role = 'staff' WHERE id = :id"), {"id": pirjo.id})
    async with dashboard(demo, clock) as client:
        response = await open_link(client, path + "&lang=en")
        assert response.status == 403
        assert "can no longer see the dashboard" in visible_text(await response.text())


def test_no_link_is_made_for_staff_or_unknown_people(demo: Demo, clock: Clock) -> None:
    secret = signing_secret(demo.db)
    with pytest.raises(DomainError) as staff:
        issue_link(demo.db, "http://127.0.0.1:3978", demo.person("Anna").id, clock.now, secret)
    assert "neither a supervisor nor the wellbeing officer" in staff.value.message("en")
    with pytest.raises(DomainError) as unknown:
        issue_link(demo.db, "http://127.0.0.1:3978", 999_999, clock.now, secret)
    assert "999999" in unknown.value.message("en")


def test_without_a_member_the_link_is_for_the_wellbeing_officer(demo: Demo) -> None:
    assert link_member(demo.db, None).name == "Outi Laine"


def test_the_secret_is_generated_once_and_kept_unless_the_environment_sets_one(
    demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TYHY_SECRET_KEY", raising=False)
    first = signing_secret(demo.db)
    assert len(first) >= 32
    assert signing_secret(demo.db) == first
    monkeypatch.setenv("TYHY_SECRET_KEY", "from-the-environment")
    assert signing_secret(demo.db) == b"from-the-environment"


async def test_a_link_signed_with_another_secret_is_refused(
    demo: Demo, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TYHY_SECRET_KEY", "old-secret")
    path = link_path(demo, clock, officer_id(demo))
    monkeypatch.setenv("TYHY_SECRET_KEY", "new-secret")
    async with dashboard(demo, clock) as client:
        assert (await open_link(client, path)).status == 403


async def test_a_session_ends_after_8_hours(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        clock.advance(hours=7, minutes=59)
        assert (await client.get("/dashboard", allow_redirects=False)).status == 200
        clock.advance(minutes=1)
        response = await client.get("/dashboard", allow_redirects=False)
        assert response.status == 303
        assert response.headers["Location"] == "/signin"


async def test_signing_out_ends_the_session_even_for_a_copied_cookie(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        copied = next(c.value for c in client.session.cookie_jar if c.key == "tyhy_session")
        response = await client.post("/signout", allow_redirects=False)
        assert response.status == 303
        signed_out = await client.get(response.headers["Location"])
        assert signed_out.status == 200
        assert "Olet kirjautunut ulos." in visible_text(await signed_out.text())
        assert (await client.get("/dashboard", allow_redirects=False)).status == 303
    async with dashboard(demo, clock) as thief:
        thief.session.cookie_jar.update_cookies({"tyhy_session": copied})
        assert (await thief.get("/dashboard", allow_redirects=False)).status == 303


async def test_the_database_keeps_only_a_hash_of_the_session_cookie(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        value = next(c.value for c in client.session.cookie_jar if c.key == "tyhy_session")
    with demo.db.engine.connect() as connection:
        stored = [row[0] for row in connection.exec_driver_sql("SELECT id FROM web_sessions")]
    assert len(stored) == 1
    assert value not in stored[0]


async def test_a_clock_moved_past_the_session_still_signs_in_with_a_new_link(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        clock.advance(days=1)
        assert (await client.get("/dashboard", allow_redirects=False)).status == 303
        await sign_in(client, demo, clock, officer_id(demo))
        assert (await client.get("/dashboard", allow_redirects=False)).status == 200


async def test_the_printed_link_names_the_person_and_signs_them_in(demo: Demo, clock: Clock) -> None:
    pirjo = demo.supervisor("kotihoito")
    async with dashboard(demo, clock) as client:
        base = str(client.make_url("/"))
        heading, link = link_message(demo.db, base, pirjo.id, clock.now, "en").splitlines()
        assert heading == "Sign-in link for Pirjo Mäkelä (works once, for 15 minutes):"
        assert link.startswith(f"{base.rstrip('/')}/signin?token=")
        opened = await client.session.get(link)  # the whole printed link, as a browser opens it
        assert opened.status == 200 and str(opened.url) == link
        signed_in = await open_link(client, link.removeprefix(base.rstrip("/")))
        assert signed_in.status == 303
        page = await client.get(signed_in.headers["Location"])
        assert "Kirjautuneena: Pirjo Mäkelä" in visible_text(await page.text())
