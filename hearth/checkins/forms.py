from django import forms
from django.utils.translation import gettext_lazy as _

from .coping import coping_choices
from .measures import MEASURE_CHOICES, Measure
from .models import CRAVING_RANGE, MOOD_RANGE, Connection, SleepQuality, Trigger

YES_NO = (("no", _("No")), ("yes", _("Yes")))


class ScaleWidget(forms.RadioSelect):
    """A row of big numbered buttons (radio inputs styled as a segmented scale)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, attrs={"class": "scale-input"}, **kwargs)


class CheckInForm(forms.Form):
    local_date = forms.DateField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    mood = forms.TypedChoiceField(
        label=_("How is your mood? (1 = very low, 10 = very good)"),
        choices=[(n, str(n)) for n in range(MOOD_RANGE[0], MOOD_RANGE[1] + 1)],
        coerce=int,
        widget=ScaleWidget,
    )
    craving = forms.TypedChoiceField(
        label=_("How strong are cravings? (0 = none, 10 = strongest)"),
        choices=[(n, str(n)) for n in range(CRAVING_RANGE[0], CRAVING_RANGE[1] + 1)],
        coerce=int,
        widget=ScaleWidget,
    )
    sleep_hours = forms.DecimalField(
        label=_("Hours of sleep last night"),
        min_value=0,
        max_value=24,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal", "class": "short"}),
    )
    sleep_quality = forms.ChoiceField(
        label=_("How well did you sleep?"), choices=SleepQuality.choices, widget=ScaleWidget
    )
    used = forms.ChoiceField(
        label=_("Any use since your last check-in?"),
        help_text=_("Being honest here helps your care team support you. It never counts against you."),
        choices=YES_NO,
        initial="no",
        widget=ScaleWidget,
    )
    used_what = forms.CharField(label=_("If yes, what?"), required=False, max_length=500)
    triggers = forms.MultipleChoiceField(
        label=_("Anything that triggered cravings today?"),
        choices=Trigger.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "chip-input"}),
    )
    trigger_other = forms.CharField(label=_("Something else"), required=False, max_length=200)
    connections = forms.MultipleChoiceField(
        label=_("Did you connect with someone today?"),
        choices=Connection.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "chip-input"}),
    )
    coping = forms.MultipleChoiceField(
        label=_("What helped today?"),
        help_text=_("Using a tool counts, even for a minute."),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "chip-input"}),
    )
    note = forms.CharField(
        label=_("Anything else you want to note?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The options are registered by the apps that offer them (checkins.coping).
        self.fields["coping"].choices = coping_choices()


class MeasureForm(forms.Form):
    instance_date = forms.DateField(widget=forms.HiddenInput)

    def __init__(self, *args, measure: Measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        for index, text in enumerate(measure.items):
            self.fields[f"q{index + 1}"] = forms.TypedChoiceField(
                label=text,
                choices=measure.options,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "scale-input"}),
            )

    def answers(self) -> list[int]:
        return [self.cleaned_data[f"q{i + 1}"] for i in range(len(self.measure.items))]


class MeasureScheduleForm(forms.Form):
    measure = forms.ChoiceField(label=_("Questionnaire"), choices=MEASURE_CHOICES)
    every_days = forms.IntegerField(label=_("Every (days)"), min_value=1, max_value=365, initial=14)
    starts_on = forms.DateField(label=_("Starting"), widget=forms.DateInput(attrs={"type": "date"}))
