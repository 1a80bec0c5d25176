from django.db import models


class CounterUsage(models.Model):
    """What decided care consumed of the plan's caps and counts (the engine's ``Usage`` rows)."""

    member = models.ForeignKey("contracts.Member", on_delete=models.CASCADE, related_name="counter_usages")
    counter = models.CharField(max_length=60)
    scope = models.CharField(max_length=30)
    slot = models.CharField(max_length=30, blank=True)
    on = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    count = models.IntegerField(default=0)
    line_id = models.CharField(max_length=40, db_index=True)

    class Meta:
        db_table = "claims_counterusage"  # created by the claims app, before this layer existed
        indexes = [models.Index(fields=["member", "on"], name="claims_coun_member__632bc0_idx")]

    def __str__(self) -> str:
        return f"{self.counter} {self.scope} {self.on}"
