"""The chat socket's frame rate limit when its Redis is away."""

from unittest import mock

from redis.exceptions import ConnectionError as RedisConnectionError

from hearth.messaging import throttle


def test_while_redis_restarts_frames_are_counted_in_this_process_not_refused(settings):
    """A Redis restart must not turn every chat frame into an internal error (found by
    bench/faults: sends failed and were retried 3 s later); the limit still holds, per process."""
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.MESSAGING_RATE_LIMIT, settings.MESSAGING_RATE_WINDOW = 3, 60
    throttle._local_counts.clear()
    broken = mock.Mock(side_effect=RedisConnectionError("Connection refused"))
    with mock.patch.object(throttle, "_count_in_redis", broken):
        assert [throttle.frame_allowed(41) for _ in range(4)] == [True, True, True, False]
        assert throttle.frame_allowed(42) is True  # another person has their own count
    assert broken.call_count == 5
    throttle._local_counts.clear()
