import pytest

from hearth.messaging.models import Conversation, ConversationMember, Kind


def cohort_conversation(world) -> Conversation:
    """The world's cohort group: both participants and their clinician (made once per test)."""
    conversation = Conversation.objects.filter(program=world.program, kind=Kind.COHORT).first()
    if conversation is None:
        conversation = Conversation.objects.create(
            program=world.program, kind=Kind.COHORT, title="Cohort chat", created_by=world.clinician
        )
        # With the review's personas (the `everyone` fixture), the cohort's third participant too.
        people = (world.participant, world.other_participant, world.clinician, world.two_programs)
        for user in people:
            if user is not None:
                ConversationMember.objects.create(conversation=conversation, user=user)
    return conversation


@pytest.fixture
def group(world) -> Conversation:
    return cohort_conversation(world)
