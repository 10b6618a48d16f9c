from django import forms
from django.utils.translation import gettext_lazy as _

from hearth.core.forms import IdMultipleChoiceField
from hearth.scheduling.models import SessionSeries


class PlanForm(forms.Form):
    problems = forms.CharField(
        label=_("Problems"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In the person's words where you can. One per line."),
    )
    goals = forms.CharField(label=_("Goals"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    objectives = forms.CharField(
        label=_("Objectives"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Small, measurable steps toward the goals."),
    )
    interventions = forms.CharField(
        label=_("Interventions"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    groups = IdMultipleChoiceField(
        label=_("Assigned groups"),
        queryset=SessionSeries.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    weekly_hours_target = forms.DecimalField(
        label=_("Weekly hours target"),
        required=False,
        min_value=1,
        max_value=40,
        decimal_places=1,
        help_text=_("Leave empty to use the ASAM 2.1 floor (9 hours for adults, 6 for adolescents)."),
    )
    next_review_on = forms.DateField(label=_("Next review"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = SessionSeries.objects.filter(program=program).order_by("title")
