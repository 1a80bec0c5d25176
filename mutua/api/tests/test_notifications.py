"""The member app reads the member's notifications: their own only, newest first, and marks one read."""

import pytest

from mutua.accounts.tests.factories import MemberUserFactory
from mutua.api.services import api_token_create
from mutua.api.tests.conftest import ApiClient
from mutua.notifications.services import notification_send

pytestmark = pytest.mark.django_db


def told(member, reference: int):
    return notification_send(
        to="",
        member=member,
        template="support/email/contact_received",
        context={"reference": reference},
        language="en",
        link="/portal/claims/",
    )


def test_the_member_reads_their_notifications_and_marks_one_read(api, user):
    first, second = told(user.member, 1), told(user.member, 2)
    other = told(MemberUserFactory().member, 3)
    listing = api.get("/notifications").json()
    assert [row["id"] for row in listing["items"]] == [second.pk, first.pk]
    assert listing["items"][0]["subject"] == "We received your message (reference 2)"
    assert listing["items"][0]["link"] == "/portal/claims/" and listing["items"][0]["read"] is False
    assert api.get("/notifications/unread").json() == {"unread": 2}
    assert api.post(f"/notifications/{first.pk}/read").status_code == 204
    assert api.get("/notifications/unread").json() == {"unread": 1}
    # Another household's notification is not there: the same answer as a missing one, and it stays unread.
    assert api.post(f"/notifications/{other.pk}/read").status_code == 404
    assert api.post("/notifications/99999999/read").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_without_a_token_nothing_is_read():
    assert ApiClient().get("/notifications").status_code == 401
    assert ApiClient(api_token_create(user=MemberUserFactory(), name="x")[1]).get("/notifications").json()["count"] == 0
