"""Widgets rendered in Python, the markup Django's templates give, character for character
(``tests/applications/test_widgets.py``).

A select that renders its options in Python: Django's template renders each option through an ``{% include %}``
of two templates, with a context built per option (about 80 µs an option), which made a filter of the 41 districts
and the 34 industries the most expensive part of the library page. The markup is the template's, character for
character.

A form renderer that writes the plain inputs (text, number, date, hidden, check box …) and text areas itself: a
form of 47 inputs (a campaign's targets by district, each with its hidden initial value) spent 10 ms in the two
templates of each."""

import hashlib
from html import escape as html_escape

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from greenfactory.display import escaped

_ESCAPED_TEXTS: dict[str, str] = {}


def _text(value) -> str:
    """``value|stringformat:'s'`` escaped: html.escape, as Django's escape (which always escapes) without its
    lazy-string wrapper, and remembered: a form of 47 inputs writes a few hundred attributes, mostly the same classes,
    limits and names on every view."""
    text = str(value)
    escaped_text = _ESCAPED_TEXTS.get(text)
    if escaped_text is None:
        if len(_ESCAPED_TEXTS) >= 4096:
            _ESCAPED_TEXTS.clear()
        escaped_text = _ESCAPED_TEXTS[text] = html_escape(text)
    return escaped_text


def html_attrs(attrs) -> str:
    """An element's attributes as django/forms/widgets/attrs.html and crispy's layout/attrs.html write them: False
    omits the attribute, True writes its name alone, any other value is written as text, escaped."""
    return "".join(f" {name}" if value is True else f' {name}="{_text(value)}"'
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
            return (f'\n  <option value="{escaped(text)}"{" selected" if selected else ""}>'
                    f"{escaped(label)}</option>\n")

        parts = [f'<select name="{escaped(name)}"{html_attrs(self.build_attrs(self.attrs, attrs))}>']
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(f'\n  <optgroup label="{escaped(option_value)}">')
                parts.extend(option(v, lab) for v, lab in label)
                parts.append("\n  </optgroup>")
            else:
                parts.append(option(option_value, label))
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308  (every value escaped)


_INPUT_TEMPLATES = frozenset(f"django/forms/widgets/{name}.html" for name in (
    "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search", "tel",
    "color", "checkbox"))


def _input(input_type, name, value, attrs) -> str:
    """django/forms/widgets/input.html (``value`` already formatted by the widget)."""
    value = "" if value is None else f' value="{_text(value)}"'
    return f'<input type="{escaped(input_type)}" name="{escaped(name)}"{value}{html_attrs(attrs)}>'


def _textarea(name, value, attrs) -> str:
    """django/forms/widgets/textarea.html."""
    return f'<textarea name="{escaped(name)}"{html_attrs(attrs)}>\n{escaped(value or "")}</textarea>'


class QuickRenderer(DjangoTemplates):
    """A form's ``default_renderer``: the inputs and text areas in Python, anything else by Django's templates (the
    portal sets no FORM_RENDERER)."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None and template_name == widget.get("template_name"):
            if template_name in _INPUT_TEMPLATES:
                return mark_safe(  # noqa: S308  (every value escaped)
                    _input(widget["type"], widget["name"], widget["value"], widget["attrs"]))
            if template_name == "django/forms/widgets/textarea.html" and isinstance(widget["value"] or "", str):
                return mark_safe(  # noqa: S308  (every value escaped)
                    _textarea(widget["name"], widget["value"], widget["attrs"]))
        return super().render(template_name, context, request=request)


# The widgets ``widget_html`` writes itself (their exact classes: a subclass may render differently).
_DIRECT_INPUTS = frozenset({forms.TextInput, forms.NumberInput, forms.EmailInput, forms.URLInput, forms.HiddenInput,
                            forms.DateInput, forms.DateTimeInput, forms.TimeInput, forms.CheckboxInput})


def widget_html(bound, attrs=None, *, only_initial=False, errors=None, auto_id=None) -> str:
    """``bound.as_widget(attrs=attrs)`` (with ``only_initial``, ``bound.as_hidden(only_initial=True)``), the same
    markup written here for the plain inputs, text areas and quick selects of a form rendered by ``QuickRenderer``:
    a widget's context, template name and renderer cost more than its markup (two inputs a district on a campaign's
    targets). Anything else goes to Django. ``errors`` and ``auto_id``: the bound field's, when the caller has them
    (each is computed anew on every use)."""
    field, form = bound.field, bound.form
    widget = field.hidden_widget() if only_initial else field.widget
    kind = type(widget)
    if field.localize or not isinstance(form.renderer, QuickRenderer) or not (
            kind in _DIRECT_INPUTS or kind is forms.Textarea or kind is Select):
        return bound.as_widget(widget, attrs, only_initial=only_initial)
    # BoundField.build_widget_attrs (the widget asked last: a select's first choice is read only when needed).
    extra = dict(attrs) if attrs else {}
    if field.required and form.use_required_attribute and widget.use_required_attribute(bound.initial):
        extra["required"] = True
    if field.disabled:
        extra["disabled"] = True
    if errors is None:
        errors = bound.errors
    if auto_id is None:
        auto_id = bound.auto_id
    if errors and not widget.is_hidden:
        extra["aria-invalid"] = "true"
    if auto_id and (field.help_text or errors) and not extra.get("aria-describedby") and not (
            field.widget.use_fieldset or field.widget.attrs.get("aria-describedby") or field.widget.is_hidden):
        described = [f"{auto_id}_helptext"] if field.help_text else []
        if errors:
            described.append(f"{auto_id}_error")
        extra["aria-describedby"] = " ".join(described)
    # BoundField.as_widget
    if only_initial:
        name = bound.html_initial_name
        if auto_id and "id" not in widget.attrs:
            extra.setdefault("id", bound.html_initial_id)
        value = (form._widget_data_value(field.hidden_widget(), name) if name in form.data else bound.value())
    else:
        name = bound.html_name
        if auto_id and "id" not in widget.attrs:
            extra.setdefault("id", auto_id)
        value = bound.value()
    if kind is Select:
        return widget.render(name, value, attrs=extra, renderer=form.renderer)
    # Widget.get_context, CheckboxInput.get_context
    if kind is forms.CheckboxInput and widget.check_test(value):
        extra["checked"] = True
    markup_attrs = {**widget.attrs, **extra}
    value = widget.format_value(value)
    if kind is forms.Textarea:
        return mark_safe(_textarea(name, value, markup_attrs))  # noqa: S308  (every value escaped)
    return mark_safe(_input(widget.input_type, name, value, markup_attrs))  # noqa: S308  (every value escaped)


def _plain_pair(bound, widget_class, auto_id) -> str | None:
    """``widget_html`` of an unbound form's plain input without errors, help text or limits of its own, and of its
    hidden initial value, written together (the districts' targets): None for anything else."""
    field, form = bound.field, bound.form
    widget = field.widget
    if (type(widget) not in (forms.NumberInput, forms.TextInput) or form.is_bound or field.localize or field.disabled
            or field.help_text or not auto_id or "id" in widget.attrs or not isinstance(form.renderer, QuickRenderer)
            or not field.show_hidden_initial or field.hidden_widget is not forms.HiddenInput):
        return None
    extra = {"class": widget_class}
    if field.required and form.use_required_attribute:
        extra["required"] = True
    extra["id"] = auto_id
    value = widget.format_value(bound.value())
    return (f"{_input(widget.input_type, bound.html_name, value, {**widget.attrs, **extra})}"
            f"{_input('hidden', bound.html_initial_name, value, {'id': bound.html_initial_id})}")


def input_grid(bound_fields, *, per_row=4, column_class="col-6 col-md-3"):
    """Plain inputs in rows of ``per_row`` columns, as crispy's bootstrap5 ``Row(Column(name, css_class=…))`` gives
    them (label with its asterisk, the input with its hidden initial value, the errors): crispy spends about 0.3 ms
    a field in its templates, and a campaign has 41 districts' targets. Only for inputs without help text."""
    cells = []
    for bound in bound_fields:
        errors, field, auto_id = bound.errors, bound.field, bound.auto_id
        widget_class = f"{type(field.widget).__name__.lower()} form-control{' is-invalid' if errors else ''}"
        label = escaped(bound.label)
        if field.required:
            label = f'{label}<span class="asteriskField">*</span>'
        feedback = "".join(
            f'<span id="error_{number}_{auto_id}"><strong>{escaped(error)}</strong></span>'
            for number, error in enumerate(errors, start=1))
        if feedback:
            feedback = f' <div id="{auto_id}_error" class="invalid-feedback"> {feedback} </div>'
        inputs = _plain_pair(bound, widget_class, auto_id) if not errors else None
        if inputs is None:
            initial = (widget_html(bound, only_initial=True, errors=errors, auto_id=auto_id)
                       if field.show_hidden_initial else "")
            inputs = f"{widget_html(bound, {'class': widget_class}, errors=errors, auto_id=auto_id)}{initial}"
        cells.append(
            f'<div class="{column_class}" > <div id="div_{auto_id}" class="mb-3"> <label '
            f'for="{bound.id_for_label}" class="form-label{" requiredField" if field.required else ""}"> '
            f'{label} </label> {inputs}{feedback} </div> </div>')
    rows = (cells[i:i + per_row] for i in range(0, len(cells), per_row))
    return mark_safe("".join(  # noqa: S308  (every value escaped; the inputs are Django's)
        f'<div class="row " > {" ".join(row)} </div>' for row in rows))


def filter_fields(form, *, column_class="col-md-2", reference: str | None = None):
    """A filter form's fields in columns, as ``{{ field|as_crispy_field }}`` gives them (label, input or select,
    errors), written in Python: the library's five filters spent more in crispy's templates than in their queries.
    Only for fields without help text and not required (a filter's).

    ``reference``: the form's options are reference data (districts, industries, fixed choices), so the markup of a
    valid form is kept with them (``greenfactory.portal.reference_data``) under this name, the language and the
    values asked for: the same filters on every view of a list cost a lookup."""
    if reference is not None and (not form.is_bound or form.is_valid()):
        from django.utils.translation import get_language

        from greenfactory.portal import reference_data

        asked = [(name, form.data.getlist(name) if hasattr(form.data, "getlist") else form.data.get(name))
                 for name in form.fields] if form.is_bound else None
        shape = (get_language(), type(form).__qualname__, tuple(form.fields), column_class, asked)
        key = hashlib.blake2b(repr(shape).encode(), digest_size=12).hexdigest()
        return reference_data(f"filter-fields:{reference}:{key}", lambda: _filter_fields(form, column_class))
    return _filter_fields(form, column_class)


def _filter_fields(form, column_class):
    cells = []
    for bound in form:
        errors = bound.errors
        control = "form-select" if isinstance(bound.field.widget, forms.Select) else "form-control"
        widget_class = f"{type(bound.field.widget).__name__.lower()} {control}{' is-invalid' if errors else ''}"
        feedback = "".join(
            f'<p id="error_{number}_{bound.auto_id}"><strong>{escaped(error)}</strong></p>'
            for number, error in enumerate(errors, start=1))
        if feedback:
            feedback = f'<div id="{bound.auto_id}_error" class="invalid-feedback">{feedback}</div>'
        cells.append(
            f'<div class="{column_class}"><div id="div_{bound.auto_id}" class="mb-3"><label for="{bound.id_for_label}" '
            f'class="form-label">{escaped(bound.label)}</label>'
            f'{bound.as_widget(attrs={"class": widget_class})}{feedback}</div></div>')
    return mark_safe("".join(cells))  # noqa: S308  (every value escaped; the inputs are Django's)
