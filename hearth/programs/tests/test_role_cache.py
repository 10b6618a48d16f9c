"""The per-object role cache (programs.selectors.roles_of) seen through channels' lazy user, as a
chat socket holds it: forgetting must reach the wrapped user, or a socket keeps roles it lost."""

import pytest
from channels.auth import UserLazyObject

from hearth.programs.models import Membership, Role
from hearth.programs.selectors import roles_forget, roles_loaded, roles_of


@pytest.mark.django_db
def test_forgetting_roles_reaches_through_the_lazy_user(world):
    lazy = UserLazyObject()
    lazy._wrapped = world.participant
    assert not roles_loaded(lazy)
    assert (world.program.pk, Role.PARTICIPANT) in roles_of(lazy)
    assert roles_loaded(lazy) and roles_loaded(world.participant)
    Membership.objects.filter(user=world.participant, program=world.program).delete()
    assert (world.program.pk, Role.PARTICIPANT) in roles_of(lazy)  # cached
    roles_forget(lazy)
    assert not roles_loaded(lazy)
    assert (world.program.pk, Role.PARTICIPANT) not in roles_of(lazy)
