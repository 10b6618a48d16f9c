"""factory-boy factories shared by every app's tests."""

import datetime

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from hearth.accounts.models import ClinicalIdentity, User
from hearth.consent.models import Category, Consent, RecipientKind
from hearth.programs.models import Cohort, Membership, Program, Role

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@hearth.test")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    time_zone = "America/Chicago"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def clinical(self, create, extracted, **kwargs):
        if create:
            self.save()
            ClinicalIdentity.objects.create(user=self, legal_name=f"Legal {self.display_name}")
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    on_call_phone = "+1-312-555-0100"


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")


def grant_role(user, program, role, **extra) -> Membership:
    return Membership.objects.create(user=user, program=program, role=role, **extra)


def enrol_mfa(user) -> str:
    """Give the person an authenticator app; returns its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def make_consent(participant, program, recipient, categories=(Category.ATTENDANCE,), **extra) -> Consent:
    defaults = {
        "recipient_kind": RecipientKind.FAMILY,
        "recipient_name": recipient.display_name,
        "purpose": "support",
        "expires_at": timezone.now() + datetime.timedelta(days=30),
        "signature": "Signed",
    }
    defaults.update(extra)
    return Consent.objects.create(
        participant=participant, program=program, recipient_user=recipient, categories=list(categories), **defaults
    )


__all__ = [
    "PASSWORD",
    "CohortFactory",
    "ProgramFactory",
    "Role",
    "UserFactory",
    "enrol_mfa",
    "grant_role",
    "make_consent",
]
