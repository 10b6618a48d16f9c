import gc

from asgiref.testing import ApplicationCommunicator

from hearth.config.asgi import application
from hearth.core.gc_tuning import GENERATION_THRESHOLDS


async def test_a_serving_process_tunes_its_garbage_collector_at_startup():
    before = gc.get_threshold()
    communicator = ApplicationCommunicator(application, {"type": "lifespan", "asgi": {"version": "3.0"}})
    try:
        await communicator.send_input({"type": "lifespan.startup"})
        assert await communicator.receive_output(5) == {"type": "lifespan.startup.complete"}
        assert gc.get_threshold() == GENERATION_THRESHOLDS
        assert gc.get_freeze_count() > 0  # the loaded code is out of every collection's walk
        await communicator.send_input({"type": "lifespan.shutdown"})
        assert await communicator.receive_output(5) == {"type": "lifespan.shutdown.complete"}
    finally:
        gc.unfreeze()  # the rest of the test run collects as usual
        gc.set_threshold(*before)
