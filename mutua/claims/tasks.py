from django_tasks import task


@task()
def adjudicate_claim(*, claim_id: int) -> None:
    # Imported here: the claims services enqueue this very task (an import cycle otherwise).
    from mutua.claims.adjudication import claim_adjudicate

    claim_adjudicate(claim_id=claim_id)
