from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Phase, ResourceKind, Topic

# A date input takes ISO dates whatever the language (the browser shows them localised).
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SHARE_HELP = _("Only you can read this unless you tick the box. You can change it later.")


class CounterStartForm(forms.Form):
    start_date = forms.DateField(
        label=_("Which day did you start?"),
        widget=DATE,
        help_text=_("Today or a day before. Days are counted in your own time zone."),
    )


class LapseForm(forms.Form):
    local_date = forms.DateField(label=_("Which day?"), widget=DATE)
    note = forms.CharField(
        label=_("Anything you want to remember about it?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was going on, what you needed, what might help next time. Private to you."),
    )
    share = forms.BooleanField(label=_("Share this with my care team"), required=False)


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Your goal"), max_length=200)
    steps = forms.CharField(
        label=_("Small steps, one per line"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Up to 20 steps. Small steps are easier to start."),
    )
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DATE)

    def step_list(self) -> list[str]:
        return [line for line in self.cleaned_data["steps"].splitlines() if line.strip()]


class HomeworkAnswerForm(forms.Form):
    def __init__(self, *args, prompts: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        for i, prompt in enumerate(prompts):
            self.fields[f"answer_{i}"] = forms.CharField(
                label=prompt, required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
            )

    def answers(self) -> list[str]:
        return [self.cleaned_data[name] for name in self.fields]


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Your comment for the person"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(forms.Form):
    resource = forms.TypedChoiceField(label=_("Resource"), coerce=int)
    person = forms.TypedChoiceField(label=_("One person"), coerce=int, required=False, empty_value=None)
    cohort = forms.TypedChoiceField(label=_("Or a whole group"), coerce=int, required=False, empty_value=None)
    due_date = forms.DateField(label=_("Due date"), widget=DATE)
    instructions = forms.CharField(
        label=_("A note for the person"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, resources, people, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].choices = [(r.pk, f"{r.title} ({r.get_language_display()})") for r in resources]
        self.fields["person"].choices = [("", "—")] + [(p.pk, p.display_name) for p in people]
        self.fields["cohort"].choices = [("", "—")] + [(c.pk, str(c)) for c in cohorts]


class ThoughtRecordForm(forms.Form):
    situation = forms.CharField(label=_("What happened?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    thought = forms.CharField(
        label=_("What went through your mind?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    feeling = forms.CharField(
        label=_("What did you feel, and how strongly?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.CharField(
        label=_("What supports the thought, and what does not?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    balanced = forms.CharField(
        label=_("A kinder, more balanced thought"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    share = forms.BooleanField(label=_("Share this with my care team"), required=False, help_text=SHARE_HELP)


class JournalForm(forms.Form):
    body = forms.CharField(label=_("Write freely"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))
    share = forms.BooleanField(label=_("Share this entry with my care team"), required=False, help_text=SHARE_HELP)


class GratitudeForm(forms.Form):
    body = forms.CharField(
        label=_("Three things, big or small, that you are grateful for today"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ResourceForm(forms.Form):
    program = forms.TypedChoiceField(label=_("Program"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceKind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=(("en", "English"), ("es", "Español")))
    summary = forms.CharField(label=_("One-line summary"), max_length=300)
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=Topic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    phase = forms.ChoiceField(label=_("Phase"), choices=Phase.choices)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain words, short paragraphs. Leave a blank line between paragraphs."),
    )
    url = forms.CharField(label=_("Link to audio, video or a page"), required=False, max_length=200)
    prompts = forms.CharField(
        label=_("Questions for homework, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Up to 10. Without questions, homework asks what the person will take from it."),
    )

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [(p.pk, p.name) for p in programs]

    def prompt_list(self) -> list[str]:
        return [line for line in self.cleaned_data["prompts"].splitlines() if line.strip()]
