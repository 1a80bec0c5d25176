"""The client's address behind PROXY_COUNT reverse proxies, for the lockouts and the per-address allowances.

Each proxy appends the address it was connected from to X-Forwarded-For; whatever stands further
left was written by the client and proves nothing.
"""

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory

from mutua.accounts.lockouts import client_address
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory

BALANCER = "10.0.0.2"


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "198.51.100.7", None, "198.51.100.7"),
        (0, "198.51.100.7", "203.0.113.66", "198.51.100.7"),  # a direct client cannot pretend
        (1, BALANCER, "198.51.100.7", "198.51.100.7"),
        (1, BALANCER, "203.0.113.66, 198.51.100.7", "198.51.100.7"),  # the left part is the client's own
        (1, BALANCER, "203.0.113.66, not-an-address, 198.51.100.7", "198.51.100.7"),
        (1, BALANCER, "10.1.2.3", "10.1.2.3"),  # a private client stays itself, not the balancer
        (1, BALANCER, None, BALANCER),  # reached without the balancer: the connecting address
        (2, BALANCER, "203.0.113.66, 198.51.100.7, 10.0.0.1", "198.51.100.7"),
        (2, BALANCER, "[2001:db8::7]:5000, 10.0.0.1", "2001:db8::7"),
    ],
)
def test_the_client_is_the_address_the_first_trusted_proxy_saw(settings, proxies, remote, forwarded, expected):
    settings.PROXY_COUNT = proxies
    headers = {"REMOTE_ADDR": remote} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})
    assert client_address(RequestFactory().get("/", **headers)) == expected


def behind_the_balancer(forwarded: str) -> Client:
    return Client(REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR=forwarded)


@pytest.mark.django_db
def test_behind_a_balancer_each_client_has_its_own_lockout(settings):
    settings.PROXY_COUNT = 1
    user = MemberUserFactory()
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"):
        behind_the_balancer(f"{forged}, 198.51.100.7").post("/", {"username": user.username, "password": "wrong"})
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}
    assert (
        behind_the_balancer("198.51.100.7").post("/", {"username": user.username, "password": PASSWORD}).status_code
        == 429
    )
    assert (
        behind_the_balancer("198.51.100.8").post("/", {"username": user.username, "password": PASSWORD}).status_code
        == 302
    )


@pytest.mark.django_db
def test_without_proxies_a_forwarded_header_does_not_escape_a_lockout(settings):
    settings.PROXY_COUNT = 0
    user = MemberUserFactory()
    for n in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").post(
            "/", {"username": user.username, "password": "wrong"}
        )
    spoofing = Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert spoofing.post("/", {"username": user.username, "password": PASSWORD}).status_code == 429


@pytest.mark.django_db
def test_the_simulators_allowance_is_per_client_behind_a_balancer(settings):
    from mutua.quotes.views.simulator import SIMULATIONS_PER_MINUTE

    settings.PROXY_COUNT = 1
    query = {"plan": "fr-base-surco", "tiers": ["base"], "benefit_code": "care.gp", "age": "30"}
    query |= {"on": "2026-03-02", "amount": "30.00", "quantity": "1", "dptm": "on"}
    for _ in range(SIMULATIONS_PER_MINUTE):
        assert behind_the_balancer("198.51.100.7").get("/simulator/", query).status_code == 200
    assert behind_the_balancer("203.0.113.66, 198.51.100.7").get("/simulator/", query).status_code == 429
    assert behind_the_balancer("198.51.100.8").get("/simulator/", query).status_code == 200
