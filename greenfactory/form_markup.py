"""crispy's bootstrap5 whole form (``bootstrap5/whole_uni_form.html`` and the templates it includes: the form tag, the
CSRF token, the form's own errors, the laid-out fields, the buttons), written in Python.

``{% crispy form %}`` renders a form's layout (``greenfactory.layout``, in Python) and then hands it to
``whole_uni_form.html``, which includes three more templates and one per button: some forty template nodes, a fifth of
the cost of a form page once its fields were written in Python. The project's
``templates/bootstrap5/whole_uni_form.html`` overrides the pack's and hands the form here, which writes the same
markup, character for character, white space and crispy's ``{% specialspaceless %}`` included
(``tests/greenfactory/test_field_markup.py`` renders every portal form both ways and compares them). A form without a
layout goes to crispy's own template, unchanged, and so does everything when ``field_markup.ENABLED`` is False.
"""

from crispy_forms.templatetags.crispy_forms_utils import remove_spaces
from django.template.defaultfilters import unordered_list
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from greenfactory.display import escaped


def supported(context, form) -> bool:
    """Whether ``render`` writes this form as crispy's template would: a form (not a formset) with its layout
    rendered."""
    return not context.get("is_formset") and bool(getattr(form, "form_html", None))


def _errors(context, form) -> str:
    """``bootstrap5/errors.html``."""
    errors = form.non_field_errors()
    if not errors:
        return "\n"
    title = context.get("form_error_title")
    title = f'<h4 class="alert-heading">{escaped(title)}</h4>' if title else ""
    return (f'\n    <div class="alert alert-block alert-danger">\n        {title}\n        <ul class="m-0">\n'
            f"            {unordered_list(errors, autoescape=True)}\n        </ul>\n    </div>\n\n")


def _display_form(context, form) -> str:
    """``bootstrap5/display_form.html`` for a form whose layout is rendered (``form.form_html``)."""
    media = escaped(form.media) if context.get("include_media") else ""
    errors = f"\n        {_errors(context, form)}\n    " if context.get("form_show_errors") else ""
    return f"\n    {media}\n    {errors}\n    {escaped(form.form_html)}\n\n"


def _input(button) -> str:
    """``bootstrap5/layout/baseinput.html``."""
    input_type, name = getattr(button, "input_type", ""), getattr(button, "name", "")
    name = slugify(name) if len(str(name).split()) > 1 else name
    attributes = ""
    if input_type != "hidden":
        identifier = getattr(button, "id", "") or f"{input_type}-id-{slugify(name)}"
        attributes = (f'\n        class="{escaped(getattr(button, "field_classes", ""))}"\n'
                      f'        id="{escaped(identifier)}"\n    ')
    return (f'<input type="{escaped(input_type)}"\n    name="{escaped(name)}"\n'
            f'    value="{escaped(getattr(button, "value", ""))}"\n    {attributes}\n'
            f'    {escaped(getattr(button, "flat_attrs", ""))}\n    />\n')


def _inputs(context) -> str:
    """``bootstrap5/inputs.html``."""
    inputs = context.get("inputs")
    if not inputs:
        return "\n"
    form_class, label_class = context.get("form_class") or "", context.get("label_class")
    row = " row" if "form-horizontal" in form_class else ""
    label = f'\n            <div class="aab {escaped(label_class)}"></div>\n        ' if label_class else ""
    buttons = "".join(f"\n                {_input(button)}\n            " for button in inputs)
    field_class = escaped(context.get("field_class"))
    return (f'\n    <div class="mb-3{row}">\n        {label}\n\n        <div class="{field_class}">'
            f"\n            {buttons}\n        </div>\n    </div>\n\n")


def render(context, form) -> str:
    """``bootstrap5/whole_uni_form.html`` for a form ``supported`` accepts, from the context crispy renders it
    with."""
    form_tag, method = context.get("form_tag"), context.get("form_method")
    opening = closing = ""
    if form_tag:
        multipart = ' enctype="multipart/form-data"' if form.is_multipart() else ""
        opening = f'<form {escaped(context.get("flat_attrs"))} method="{escaped(method)}" {multipart}>'
        closing = "</form>"
    token = ""
    if str(method).lower() == "post" and not context.get("disable_csrf"):
        token = f"\n        {_csrf_token(context)}\n    "
    inner = (f"{opening}\n    {token}\n\n    {_display_form(context, form)}\n\n    {_inputs(context)}\n\n"
             f"{closing}\n")
    return mark_safe(f"\n\n{remove_spaces(inner.strip())}\n")  # noqa: S308  (every value escaped)


def _csrf_token(context) -> str:
    """``{% csrf_token %}``."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":  # noqa: S105  (Django's marker for a view exempt from the check)
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escaped(token)}">'
