from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notification_mark_all_read, name="notification_mark_all_read"),
    path("notifications/settings/", views.notification_preferences, name="notification_preferences"),
    path("notifications/push/subscribe/", views.push_subscription_create, name="push_subscription_create"),
    path("notifications/push/unsubscribe/", views.push_subscription_remove, name="push_subscription_remove"),
    path("notifications/deliveries/", views.delivery_log, name="delivery_log"),
]
