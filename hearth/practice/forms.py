from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_ANSWER_CHARS


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("What would you say?"),
        max_length=MAX_ANSWER_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Type what you would say. The coach will show which skills it uses. Only you and your care team see it."
        ),
    )


class SceneForm(forms.Form):
    program = forms.TypedChoiceField(label=_("Program"), coerce=int)
    source = forms.CharField(
        label=_("Scene (YAML)"),
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "code"}),
        help_text=_("Every text needs an English (en) and a Spanish (es) version. Problems are shown with their line."),
    )

    def __init__(self, *args, programs=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [(p.pk, p.name) for p in programs]
        if editing:
            del self.fields["program"]


class AssignmentForm(forms.Form):
    scene = forms.TypedChoiceField(label=_("Scene"), coerce=int)
    due_on = forms.DateField(label=_("Practise by"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, scenes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scene"].choices = [(item["scene"].pk, item["title"]) for item in scenes]
