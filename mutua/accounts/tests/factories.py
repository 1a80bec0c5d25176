import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from mutua.accounts.models import Role, User
from mutua.accounts.services import user_role_flags_apply
from mutua.contracts.tests.factories import MemberFactory

PASSWORD = "Correct-horse-battery-42"


class MemberUserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    member = factory.SubFactory(MemberFactory)
    username = factory.LazyAttribute(lambda u: u.member.member_number)
    email = factory.LazyAttribute(lambda u: u.member.email)
    role = Role.MEMBER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffUserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    role = Role.CLAIMS_HANDLER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def device(obj, create, extracted, **kwargs):
        if create:
            user_role_flags_apply(user=obj).save()
            TOTPDevice.objects.create(user=obj, name="TOTP", confirmed=True)
