from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "mutua.contracts"
    label = "contracts"
    verbose_name = _("Contracts")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mutua.contracts import models

        identifiers = {"exclude_fields": ["nir_digest"], "mask_fields": ["nir", "iban"]}
        auditlog.register(models.Member, **identifiers)
        auditlog.register(models.Beneficiary, **identifiers)
        auditlog.register(models.BeneficiarySituation)
        auditlog.register(models.GroupContract)
        auditlog.register(models.ContractPlan)
