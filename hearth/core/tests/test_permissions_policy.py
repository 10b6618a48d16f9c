import pytest

from hearth.video.tests.conftest import world_room_session

pytestmark = pytest.mark.django_db


def _features(header: str) -> dict[str, str]:
    return dict(part.strip().split("=", 1) for part in header.split(","))


@pytest.mark.parametrize("url", ["/", "/help/crisis/", "/accounts/login/", "/dashboard/", "/profile/"])
def test_every_page_denies_camera_microphone_and_the_rest(world, client_for, url):
    response = client_for(world.participant).get(url)
    features = _features(response["Permissions-Policy"])
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "display-capture"):
        assert features[feature] == "()", feature


def test_video_room_and_device_check_allow_camera_and_microphone_for_this_origin_only(world, client_for):
    client = client_for(world.participant)
    occurrence = world_room_session(world)
    for url in ("/video/check/", f"/video/{occurrence.pk}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        features = _features(response["Permissions-Policy"])
        assert features["camera"] == "(self)" and features["microphone"] == "(self)", url
        assert features["geolocation"] == "()" and features["payment"] == "()", url


def test_a_room_one_may_not_join_stays_denied(world, client_for):
    occurrence = world_room_session(world)
    response = client_for(world.other_clinician).get(f"/video/{occurrence.pk}/")
    assert response.status_code == 404
    assert _features(response["Permissions-Policy"])["camera"] == "()"


def test_signed_out_redirect_to_the_video_room_is_denied(world, client):
    response = client.get("/video/check/")
    assert response.status_code == 302
    assert _features(response["Permissions-Policy"])["camera"] == "()"
