from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("intake/", views.home, name="home"),
    path("intake/<int:packet_id>/", views.packet, name="packet"),
    path("intake/<int:packet_id>/about/", views.about, name="about"),
    path("intake/<int:packet_id>/questionnaire/<slug:code>/", views.screening, name="screening"),
    path("intake/<int:packet_id>/sign/<slug:code>/", views.sign, name="sign"),
    path("intake/<int:packet_id>/send/", views.send, name="send"),
    path("intake/review/", views.review_list, name="review_list"),
    path("intake/people/<int:person_id>/send/", views.send_to, name="send_to"),
    path("intake/review/<int:packet_id>/", views.review, name="review"),
]
