import datetime

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

LONGEST_RANGE = datetime.timedelta(days=366)
DEFAULT_WEEKS = 12


class PlainSelect(forms.Select):
    """A select drawn in Python. Django draws each option through a template; with a large
    program's 125 cohorts that was most of the report page's time once its figures were ready."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, " selected" if str(key) in chosen else "", label) for key, label in self.choices),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options
        )


class ReportFilterForm(forms.Form):
    program = forms.TypedChoiceField(label=_("Program"), coerce=int, required=False, widget=PlainSelect)
    cohort = forms.TypedChoiceField(label=_("Cohort"), coerce=int, required=False, empty_value=None, widget=PlainSelect)
    track = forms.TypedChoiceField(label=_("Track"), coerce=int, required=False, empty_value=None, widget=PlainSelect)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, programs, cohorts, tracks=(), with_dates: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [(p.pk, p.name) for p in programs]
        self.fields["cohort"].choices = [("", _("All cohorts"))] + [
            (c.pk, f"{c.program.name} — {c.name}") for c in cohorts
        ]
        self.fields["track"].choices = [("", _("All tracks"))] + [
            (t.pk, f"{t.program.name} — {t.name}") for t in tracks
        ]
        self._cohorts = {c.pk: c for c in cohorts}
        self._tracks = {t.pk: t for t in tracks}
        self._programs = list(programs)
        if not with_dates:
            del self.fields["start"], self.fields["end"]

    def clean(self):
        data = super().clean()
        program_id = data.get("program") or (self._programs[0].pk if self._programs else None)
        data["program"] = next((p for p in self._programs if p.pk == program_id), None)
        cohort = self._cohorts.get(data.get("cohort")) if data.get("cohort") else None
        if cohort is not None and data["program"] is not None and cohort.program_id != data["program"].pk:
            self.add_error("cohort", _("Choose a cohort of this program."))
        data["cohort"] = cohort
        track = self._tracks.get(data.get("track")) if data.get("track") else None
        if track is not None and data["program"] is not None and track.program_id != data["program"].pk:
            self.add_error("track", _("Choose a track of this program."))
        data["track"] = track
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                self.add_error("end", _("The end comes before the start."))
            elif end - start > LONGEST_RANGE:
                self.add_error("end", _("Choose a range of one year or less."))
        return data

    def dates(self, today: datetime.date) -> tuple[datetime.date, datetime.date]:
        end = self.cleaned_data.get("end") or today
        start = self.cleaned_data.get("start") or end - datetime.timedelta(weeks=DEFAULT_WEEKS) + datetime.timedelta(
            days=1
        )
        return min(max(start, end - LONGEST_RANGE), end), end
