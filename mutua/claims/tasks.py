from django_tasks import task


@task()
def adjudicate_claim(*, claim_id: int) -> None:
    # Imported here: the claims services enqueue this very task.
    from mutua.claims.services import claim_adjudicate

    claim_adjudicate(claim_id=claim_id)
