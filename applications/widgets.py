"""A select that renders its options in Python: Django's template renders each option through an ``{% include %}``
of two templates, with a context built per option (about 80 µs an option), which made a filter of the 41 districts
and the 34 industries the most expensive part of the library page. The markup is the template's, character for
character (``tests/applications/test_widgets.py``)."""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs) -> str:
    # django/forms/widgets/attrs.html: False omits the attribute, True writes its name alone.
    return "".join(f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
                   for name, value in attrs.items() if value is not False)


class Select(forms.Select):
    """Named as Django's: crispy gives a field its widget class's name as a CSS class (``select``)."""

    def render(self, name, value, attrs=None, renderer=None):
        # Select.optgroups: the first option whose value matches is selected (one only: not a multiple select).
        values = {str(v) for v in self.format_value(value)}
        found = False

        def option(option_value, label):
            nonlocal found
            text = "" if option_value is None else str(option_value)
            selected = not found and text in values
            found = found or selected
            return (f'\n  <option value="{conditional_escape(text)}"{" selected" if selected else ""}>'
                    f"{conditional_escape(label)}</option>\n")

        parts = [f'<select name="{conditional_escape(name)}"{_attrs(self.build_attrs(self.attrs, attrs))}>']
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(f'\n  <optgroup label="{conditional_escape(option_value)}">')
                parts.extend(option(v, lab) for v, lab in label)
                parts.append("\n  </optgroup>")
            else:
                parts.append(option(option_value, label))
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308  (every value escaped)
