from datetime import date

import factory

from mutua.contracts.models import (
    Beneficiary,
    ContractPlan,
    Employer,
    GroupContract,
    Insurer,
    ManagementUnit,
    Member,
    Relationship,
)


class ManagementUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ManagementUnit

    name = "Unité de gestion Santé"
    phone = "+33 1 00 00 00 00"
    email = "gestion@example.org"
    postal_address = "TSA 1\n75000 Paris"


class GroupContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupContract
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"GC-{n:05d}")
    employer = factory.LazyFunction(lambda: Employer.objects.create(name="Acme SA"))
    insurer = factory.LazyFunction(lambda: Insurer.objects.create(name="Assureur Mutuel"))
    management_unit = factory.SubFactory(ManagementUnitFactory)
    start_date = date(2020, 1, 1)
    plan = factory.RelatedFactory(
        "mutua.contracts.tests.factories.ContractPlanFactory", factory_related_name="contract"
    )


class ContractPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractPlan

    plan_code = "fr-base-surco"
    tiers = ["base", "surco"]
    valid_from = date(2020, 1, 1)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    member_number = factory.Sequence(lambda n: f"MU{n:07d}")
    first_name = "Anne"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    birth_date = date(1985, 4, 1)
    email = factory.LazyAttribute(lambda m: f"{m.member_number.lower()}@example.org")
    contract = factory.SubFactory(GroupContractFactory)
    management_unit = factory.LazyAttribute(lambda m: m.contract.management_unit)
    hire_date = date(2020, 1, 1)
    affiliation_received_on = date(2020, 1, 10)
    cover_start = date(2020, 1, 1)


class BeneficiaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beneficiary

    member = factory.SubFactory(MemberFactory)
    relationship = Relationship.CHILD
    rank = factory.Sequence(lambda n: n + 2)
    first_name = "Léa"
    last_name = factory.LazyAttribute(lambda b: b.member.last_name)
    birth_date = date(2015, 2, 3)
    cover_start = date(2020, 1, 1)
