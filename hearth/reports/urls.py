from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/program/", views.program_report, name="program_report"),
    path("reports/program/report.pdf", views.program_report_pdf, name="program_report_pdf"),
    path("reports/program/<slug:table>.csv", views.table_csv, name="table_csv"),
    path("reports/isolation/", views.isolation_radar, name="isolation_radar"),
]
