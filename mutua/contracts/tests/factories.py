from datetime import date

import factory

from mutua.contracts.models import ManagementUnit, Member


class ManagementUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ManagementUnit

    name = "Unité de gestion Santé"
    phone = "+33 1 00 00 00 00"
    email = "gestion@example.org"
    postal_address = "TSA 1\n75000 Paris"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    member_number = factory.Sequence(lambda n: f"MU{n:07d}")
    first_name = "Anne"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    birth_date = date(1985, 4, 1)
    email = factory.LazyAttribute(lambda m: f"{m.member_number.lower()}@example.org")
    management_unit = factory.SubFactory(ManagementUnitFactory)
