"""Two invoices sent at the same moment against one guarantee: the hospital is paid once."""

import os
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from mutua.accounts.tests.factories import MemberUserFactory
from mutua.benefits.models import Claim
from mutua.claims.tests.helpers import receipt
from mutua.guarantees.settlement import guarantee_settle
from mutua.guarantees.stays import Cost
from mutua.guarantees.tests.planned import planned_guarantee, stay_over
from mutua.payments.models import Payable
from mutua.providers.tests.factories import ProviderFactory, ProviderUserFactory

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="concurrent row locks are only exercised on PostgreSQL (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_invoices_at_once_pay_the_hospital_once():
    clinic = ProviderFactory(in_network=True)
    # A planned stay: its guarantee states an amount, within which the invoice is paid at once.
    guarantee = stay_over(planned_guarantee(user=MemberUserFactory(), provider=clinic, in_days=0))
    today = guarantee.valid_from
    hospital = ProviderUserFactory(provider=clinic)
    barrier = threading.Barrier(2)
    refused: list[ValidationError] = []
    errors: list[BaseException] = []

    def worker(number: str) -> None:
        try:
            barrier.wait()
            guarantee_settle(
                guarantee=guarantee,
                by=hospital,
                invoice_number=number,
                invoice=receipt(salt=number),
                costs=[(today, Cost("hosp.daily_forfait", Decimal("40.00"), quantity=2))],
            )
        except ValidationError as error:
            refused.append(error)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(f"F-{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [error.code for error in refused] == ["not_issued"]  # the thread speaks the default language
    assert Claim.objects.filter(channel=Claim.Channel.HOSPITAL).count() == 1
    assert [p.amount for p in Payable.objects.filter(payee__provider=clinic)] == [Decimal("40.00")]
