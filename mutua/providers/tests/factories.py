import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from mutua.accounts.models import Role, User
from mutua.accounts.tests.factories import PASSWORD
from mutua.providers.models import Provider


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Clinique {n}")
    kind = Provider.Kind.CLINIC
    finess = factory.Sequence(lambda n: f"75{n:07d}")
    city = "Paris"
    phone = "01 40 00 00 00"
    email = factory.Sequence(lambda n: f"admissions{n}@clinique.example.org")
    in_network = True
    iban = "FR7630004000031234567890143"
    bic = "BNPAFRPP"


class ProviderUserFactory(factory.django.DjangoModelFactory):
    """A hospital's staff member, with the authenticator device every login asks for."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    provider = factory.SubFactory(ProviderFactory)
    username = factory.Sequence(lambda n: f"hospital{n}")
    role = Role.PROVIDER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def device(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            TOTPDevice.objects.create(user=obj, name="TOTP", confirmed=True)
