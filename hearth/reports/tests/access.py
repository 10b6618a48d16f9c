from hearth.tests.authz import STAFF, only

# Clinicians and admins see the programs they staff (another program's clinician sees their own);
# participants, mentors and family are refused.
ACCESS = {
    "reports:program_report": only(STAFF),
    "reports:program_report_pdf": only(STAFF),
    "reports:table_csv": only(STAFF, kwargs=lambda w: {"table": "census"}),
    "reports:isolation_radar": only(STAFF),
}
