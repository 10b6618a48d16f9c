import zoneinfo

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from hearth.core.forms import MAX_ID, IdChoiceField, IdMultipleChoiceField
from hearth.programs.models import Cohort, Membership

from .models import AttendanceStatus, SessionKind

User = get_user_model()

WEEKDAYS = [
    ("MO", _("Monday")),
    ("TU", _("Tuesday")),
    ("WE", _("Wednesday")),
    ("TH", _("Thursday")),
    ("FR", _("Friday")),
    ("SA", _("Saturday")),
    ("SU", _("Sunday")),
]
COMMON_ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
    "UTC",
]


def time_zone_choices():
    others = sorted(z for z in zoneinfo.available_timezones() if z not in COMMON_ZONES and "/" in z)
    return [(z, z) for z in COMMON_ZONES] + [(z, z) for z in others]


class SeriesForm(forms.Form):
    program = IdChoiceField(label=_("Program"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind of session"), choices=SessionKind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        help_text=_("Shown in calendars and feeds. No clinical details."),
    )
    time_zone = forms.ChoiceField(label=_("Time zone of the session"), choices=time_zone_choices)
    start_time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}))
    duration_minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=1, max_value=720, initial=180)
    days = forms.MultipleChoiceField(
        label=_("Every week on"), choices=WEEKDAYS, required=False, widget=forms.CheckboxSelectMultiple
    )
    rrule = forms.CharField(
        label=_("Or a recurrence rule (advanced)"),
        required=False,
        max_length=500,
        help_text=_("RFC 5545, for example FREQ=WEEKLY;INTERVAL=2;BYDAY=TU. Leave empty to use the days above."),
    )
    dtstart = forms.DateField(label=_("First date"), widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Last date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    count = forms.IntegerField(label=_("Or number of sessions"), required=False, min_value=1, max_value=400)
    capacity = forms.IntegerField(label=_("Capacity"), required=False, min_value=1, max_value=500)
    hosts = IdMultipleChoiceField(label=_("Hosts"), queryset=None, required=False)
    cohort = IdChoiceField(label=_("Cohort on the roster"), queryset=None, required=False)
    people = IdMultipleChoiceField(label=_("People on the roster"), queryset=None, required=False)

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_to_programs(self, programs)
        first = programs.first()
        if first is not None:
            self.fields["time_zone"].initial = first.time_zone

    def clean(self):
        data = super().clean()
        if not data.get("rrule") and not data.get("days") and not self.errors:
            raise forms.ValidationError(_("Choose the days of the week, or enter a recurrence rule."))
        if not data.get("rrule") and data.get("days"):
            data["rrule"] = "FREQ=WEEKLY;BYDAY=" + ",".join(data["days"])
        return data


class OneOffForm(forms.Form):
    program = IdChoiceField(label=_("Program"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind of session"), choices=SessionKind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        help_text=_("Shown in calendars and feeds. No clinical details."),
    )
    starts_at = forms.DateTimeField(label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    duration_minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=1, max_value=720, initial=60)
    capacity = forms.IntegerField(label=_("Capacity"), required=False, min_value=1, max_value=500)
    hosts = IdMultipleChoiceField(label=_("Hosts"), queryset=None, required=False)
    cohort = IdChoiceField(label=_("Cohort on the roster"), queryset=None, required=False)
    people = IdMultipleChoiceField(label=_("People on the roster"), queryset=None, required=False)

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_to_programs(self, programs)


def _limit_to_programs(form, programs) -> None:
    form.fields["program"].queryset = programs
    members = Membership.objects.filter(program__in=programs, ended_at__isnull=True).values("user_id")
    people = User.objects.filter(pk__in=members, is_active=True).order_by("display_name", "pk")
    form.fields["hosts"].queryset = people
    form.fields["people"].queryset = people
    form.fields["cohort"].queryset = Cohort.objects.filter(program__in=programs).order_by("name")


class SeriesEditForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        help_text=_("Shown in calendars and feeds. No clinical details."),
    )
    capacity = forms.IntegerField(label=_("Capacity"), required=False, min_value=1, max_value=500)
    hosts = IdMultipleChoiceField(label=_("Hosts"), queryset=None, required=False)
    cohort = IdChoiceField(label=_("Cohort on the roster"), queryset=None, required=False)
    people = IdMultipleChoiceField(label=_("People on the roster"), queryset=None, required=False)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        members = Membership.objects.filter(program=program, ended_at__isnull=True).values("user_id")
        people = User.objects.filter(pk__in=members, is_active=True).order_by("display_name", "pk")
        self.fields["hosts"].queryset = people
        self.fields["people"].queryset = people
        self.fields["cohort"].queryset = Cohort.objects.filter(program=program).order_by("name")


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=_("Capacity"), required=False, min_value=1, max_value=500)


class SeriesEndForm(forms.Form):
    last_date = forms.DateField(label=_("Last date"), widget=forms.DateInput(attrs={"type": "date"}))


class MoveForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("New start (your time zone)"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    duration_minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=1, max_value=720)


class NoteForm(forms.Form):
    person = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    body = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)


STATUS_CHOICES = [("", _("Not marked")), *AttendanceStatus.choices]
