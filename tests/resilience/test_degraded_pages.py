"""A respondent whose answers meet a database that refuses writes keeps every typed answer.

The page's POST gets 503 with Retry-After and a page with one button: a form that carries every
posted answer back (as hidden fields, with a fresh CSRF token) and re-renders the questionnaire
filled in. Once the database takes writes again, the same answers are stored. The database is
made read-only as in `test_degraded_database` (`ALTER DATABASE … SET default_transaction_read_only`).
"""

from __future__ import annotations

import asyncio
from html.parser import HTMLParser

import asyncpg
import msgspec
from litestar.testing import AsyncTestClient

from pmp_surveys.app import create_app
from pmp_surveys.settings import Settings
from pmp_surveys.web.csrf import CSRF_FIELD
from pmp_surveys.web.pagekit import SWITCH_FIELD
from tests.pages.conftest import PARENT_FORM, MakeCampaign, loaded, make_campaign, open_form, post_form
from tests.resilience.test_degraded_database import read_only, writable

__all__ = ["loaded", "make_campaign", "read_only"]

#: Every kind of answer the parent survey has, free texts with characters HTML must escape.
TYPED = {
    **PARENT_FORM,
    "programme": "other",
    "programme_other": 'Pulciņš "Jaunie pētnieki" <b> & co',
    "comment": "Ļoti labi!\nOtrā rindā: 'pēdiņas' un </textarea> un &amp;",
}


class _CarryForm(HTMLParser):
    """The (name, value) pairs of the hidden inputs of `form.carry-form`, and its button."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.action: str | None = None
        self.fields: list[tuple[str, str]] = []
        self.button: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and "carry-form" in (a.get("class") or ""):
            self.inside, self.action = True, a.get("action")
        elif self.inside and tag == "input" and a.get("type") == "hidden":
            self.fields.append((a.get("name") or "", a.get("value") or ""))
        elif self.inside and tag == "button":
            self.button = a

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def carried(html: str) -> _CarryForm:
    parser = _CarryForm()
    parser.feed(html)
    return parser


async def test_page_post_to_a_read_only_database_keeps_every_answer(
    settings: Settings, database_url: str, make_campaign: MakeCampaign, read_only: asyncpg.Connection
) -> None:
    await make_campaign()
    app = create_app(msgspec.structs.replace(settings, submit_rate_per_minute=0))
    async with AsyncTestClient(app=app) as client:
        hidden = await open_form(client, "/s/test-parents?lang=lv")
        posted = {**hidden, **TYPED}
        page = await post_form(client, "/s/test-parents", posted)
        assert page.status_code == 503, page.text[:300]
        assert int(page.headers["retry-after"]) >= 1
        assert page.headers["content-type"].startswith("text/html")

        form = carried(page.text)
        assert form.action == "/s/test-parents"
        assert form.button is not None and form.button.get("name") == SWITCH_FIELD
        kept = [(n, v) for n, v in form.fields if n != CSRF_FIELD]
        expected = [(n, v) for n, v in posted.items() if n not in (CSRF_FIELD, SWITCH_FIELD)]
        assert sorted(kept) == sorted(expected), "every answer, byte for byte, and the form's key"
        assert [n for n, _ in form.fields].count(CSRF_FIELD) == 1  # a token for the next post

        # The button re-renders the questionnaire filled in (nothing stored: still read-only).
        back = dict(form.fields) | {SWITCH_FIELD: form.button.get("value") or "lv"}
        again = await post_form(client, "/s/test-parents", back)
        assert again.status_code == 200, again.text[:300]
        assert "Pulciņš &#34;Jaunie pētnieki&#34; &lt;b&gt; &amp; co" in again.text or (
            "Pulciņš &quot;Jaunie pētnieki&quot; &lt;b&gt; &amp; co" in again.text
        )
        assert "&lt;/textarea&gt; un &amp;amp;" in again.text

        # When the database takes writes again, those same answers are stored.
        await writable(read_only, database_url)
        await asyncio.sleep(0.2)  # the pools renew their connections in the background
        fields = {name: value for name, value in form.fields}
        for _ in range(3):  # connections opened read-only are replaced after their first failure
            stored = await post_form(client, "/s/test-parents", fields)
            if stored.status_code == 303:
                break
            fields = {name: value for name, value in carried(stored.text).fields} or fields
            await asyncio.sleep(0.5)
        assert stored.status_code == 303, stored.text[:300]
        count = await read_only.fetchval(
            "SELECT count(*) FROM responses WHERE texts->>'comment' = $1 AND texts->>'programme_other' = $2",
            TYPED["comment"],
            TYPED["programme_other"],
        )
        assert count == 1
