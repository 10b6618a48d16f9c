from django import template

from hearth.reports.tables import cell_text

register = template.Library()


@register.filter
def cell(value) -> str:
    """A table cell on the page: the care team sees every figure."""
    return cell_text(value, shared=False)
