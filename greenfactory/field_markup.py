"""crispy's bootstrap5 field wrapper (``bootstrap5/field.html`` and the templates it includes), written in Python.

crispy renders every field of a form through ``bootstrap5/field.html`` and its includes (help text, errors, the
choices of a radio or check box list): some twenty template nodes and three or four includes a field, about 0.5 ms,
two thirds of the intake form's page. The project's ``templates/bootstrap5/field.html`` overrides the pack's (a
template of the project comes before an app's) and hands the field to ``render`` here, which writes the same markup
(``tests/greenfactory/test_field_markup.py`` renders every portal form both ways, with and without errors, and
compares them). A field the wrapper here does not cover (a horizontal form, label or field columns, a table cell, an
inline list, a file input, a widget of several widgets) goes to crispy's own template, unchanged.

The widgets themselves are rendered by the form's renderer as before (``applications.widgets.QuickRenderer``).
"""

import functools

from crispy_forms.templatetags.crispy_forms_filters import optgroups
from django import forms
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.l10n import unlocalize
from django.utils.safestring import mark_safe

from greenfactory.display import escaped
from greenfactory.widgets import html_attrs, widget_html

# False renders every field through crispy's template (the tests compare both).
ENABLED = True

_ASTERISK = '<span class="asteriskField">*</span>'


def supported(context, bound) -> bool:
    """Whether ``render`` writes this field as crispy's template would."""
    widget = bound.field.widget
    form_class = context.get("form_class") or ""
    return not (
        context.get("label_class") or context.get("field_class") or context.get("tag")
        or context.get("inline_class") or (isinstance(form_class, str) and "form-horizontal" in form_class)
        or isinstance(widget, forms.FileInput) or hasattr(widget, "widgets") or hasattr(widget, "widget"))


@functools.cache
def _class_converters() -> dict:
    # A missing setting is an AttributeError caught on every read (2 µs, twice a field).
    return getattr(settings, "CRISPY_CLASS_CONVERTERS", {})


@receiver(setting_changed)
def _forget_class_converters(*, setting, **kwargs):
    if setting == "CRISPY_CLASS_CONVERTERS":
        _class_converters.cache_clear()


def _widget(bound, css: str, errors=None, auto_id=None) -> str:
    """``{% crispy_field field 'class' css %}``: the widget's class name and ``css`` added to its class attribute
    (kept on the widget, as crispy does), then the field as Django renders it (``errors`` and ``auto_id``: the
    field's, computed once by the caller)."""
    widget = bound.field.widget
    class_name = type(widget).__name__.lower()
    class_name = _class_converters().get(class_name, class_name)
    current = widget.attrs.get("class", "")
    if current:
        if current.find(class_name) == -1:
            current += f" {class_name}"
    else:
        current = class_name
    for token in css.split():
        if token not in current.split():
            current += f" {token}"
    widget.attrs["class"] = current
    # str(bound), each input written by widgets.widget_html
    if bound.field.show_hidden_initial:
        return (widget_html(bound, errors=errors, auto_id=auto_id)
                + widget_html(bound, only_initial=True, errors=errors, auto_id=auto_id))
    return widget_html(bound, errors=errors, auto_id=auto_id)


def _help_text(bound, inline, auto_id=None) -> str:
    """``layout/help_text.html`` (the help text is not escaped: ``|safe``)."""
    help_text = bound.help_text
    if not help_text:
        return ""
    if auto_id is None:
        auto_id = bound.auto_id
    if inline:
        return f'<span id="{escaped(auto_id)}_helptext" class="form-text">{help_text}</span>'
    anchor = f'id="{escaped(auto_id)}_helptext" ' if auto_id else ""
    return f"<div {anchor}class=\"form-text\">{help_text}</div>"


def _errors(context, bound, tag: str, errors=None) -> str:
    """``layout/field_errors.html`` (``span``) and ``layout/field_errors_block.html`` (``p``)."""
    if errors is None:
        errors = bound.errors
    if not (context.get("form_show_errors") and errors):
        return ""
    auto_id = escaped(bound.auto_id)
    items = " ".join(f'<{tag} id="error_{number}_{auto_id}"><strong>{escaped(error)}</strong></{tag}>'
                     for number, error in enumerate(errors, start=1))
    return f'<div id="{escaped(errors.field_id)}_error" class="invalid-feedback"> {items} </div>'


def _help_text_and_errors(context, bound, errors=None, auto_id=None) -> str:
    """``layout/help_text_and_errors.html``."""
    help_inline, error_inline = context.get("help_text_inline"), context.get("error_text_inline")
    parts = []
    if help_inline and not error_inline:
        parts.append(_help_text(bound, help_inline, auto_id))
    parts.append(_errors(context, bound, "span" if error_inline else "p", errors))
    if not help_inline:
        parts.append(_help_text(bound, help_inline, auto_id))
    return " ".join(part for part in parts if part)




def _choices(context, bound) -> str:
    """``layout/radio_checkbox_select.html`` (not inline: ``supported`` leaves an inline list to crispy)."""
    errors = bound.errors
    invalid = " is-invalid" if errors else ""
    name = escaped(bound.html_name)
    flat_attrs = context.get("flat_attrs")
    parts = [f"<div {flat_attrs}>" if flat_attrs else "<div>"]
    groups = list(optgroups(bound))
    for group_number, (group, options, _index) in enumerate(groups, start=1):
        if group:
            parts.append(f"<strong>{escaped(group)}</strong>")
        for number, option in enumerate(options, start=1):
            feedback = ""
            if errors and number == len(options) and group_number == len(groups):
                feedback = f'{_errors(context, bound, "p")} '
            parts.append(
                f'<div class="form-check"> <input type="{escaped(option["type"])}" '
                f'class="form-check-input{invalid}" name="{name}" '
                f'value="{escaped(unlocalize(option["value"]))}"{html_attrs(option["attrs"])}> '
                f'<label for="{escaped(option["attrs"].get("id", ""))}" class="form-check-label"> '
                f"{escaped(unlocalize(option['label']))} </label> {feedback}</div>")
    parts.append("</div>")
    parts.append(_help_text(bound, context.get("help_text_inline")))
    return " ".join(part for part in parts if part)


def render(context, bound) -> str:
    """``bootstrap5/field.html`` for a field ``supported`` accepts, from the context crispy renders it with."""
    if bound.is_hidden:
        return str(bound)
    field = bound.field
    widget = field.widget
    # Each of these is computed anew on every use (the errors a new empty list each time).
    errors, auto_id, use_fieldset, id_for_label = bound.errors, bound.auto_id, widget.use_fieldset, bound.id_for_label
    checkbox = isinstance(widget, forms.CheckboxInput)
    show_labels = context.get("form_show_labels")
    required = field.required
    label = bound.label
    label_text = f"{escaped(label)}{_ASTERISK if required else ''}"
    css_classes = bound.css_classes()
    wrapper_class = context.get("wrapper_class")
    classes = "form-check" if checkbox and show_labels else "mb-3"
    if wrapper_class:
        classes += f" {escaped(wrapper_class)}"
    if css_classes:
        classes += f" {escaped(css_classes)}"
    parts = ['<div class="mb-3">'] if checkbox else []
    parts.append(f'<div id="div_{escaped(auto_id)}" class="{classes}">')
    fieldset = use_fieldset and label and show_labels
    if label and not checkbox and show_labels:
        if use_fieldset:
            described = getattr(bound, "aria_describedby", None)
            parts.append(f'<fieldset aria-describedby="{escaped(described)}">' if described
                         else "<fieldset>")
        element = "legend" if use_fieldset else "label"
        target = f'for="{escaped(id_for_label)}" ' if id_for_label else ""
        parts.append(f'<{element} {target}class="form-label{" requiredField" if required else ""}'
                     f'{" fs-6" if use_fieldset else ""}"> {label_text} </{element}>')
    if isinstance(widget, forms.RadioSelect):  # check box lists too (CheckboxSelectMultiple is a RadioSelect)
        parts.append(_choices(context, bound))
    elif checkbox and show_labels:
        parts.append(_widget(bound, "form-check-input is-invalid" if errors else "form-check-input", errors, auto_id))
        parts.append(f'<label for="{escaped(id_for_label)}" '
                     f'class="form-check-label{" requiredField" if required else ""}"> {label_text} </label>')
        parts.append(_help_text_and_errors(context, bound, errors, auto_id))
    else:
        if isinstance(widget, forms.Select):
            css = "form-select"
        elif checkbox:
            css = "form-check-input"
        else:
            css = "form-control"
        parts.append(_widget(bound, f"{css} is-invalid" if errors else css, errors, auto_id))
        parts.append(_help_text_and_errors(context, bound, errors, auto_id))
    if fieldset:
        parts.append("</fieldset>")
    parts.append("</div>")
    if checkbox:
        parts.append("</div>")
    return mark_safe(" ".join(part for part in parts if part))  # noqa: S308  (every value escaped; help text is safe)
