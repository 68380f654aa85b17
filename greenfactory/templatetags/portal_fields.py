"""``{% portal_field %}``: the field in the context as crispy's ``bootstrap5/field.html`` renders it, written in Python
(``greenfactory.field_markup``); a field it does not cover goes to crispy's template itself."""

from django import template

from greenfactory import field_markup, form_markup

register = template.Library()

_ORIGINALS = {}


def _original(engine):
    """crispy's ``bootstrap5/field.html``: the template under that name after the project's own."""
    if engine not in _ORIGINALS:
        _ours, origin = engine.find_template("bootstrap5/field.html")
        _ORIGINALS[engine] = engine.find_template("bootstrap5/field.html", skip=[origin])[0]
    return _ORIGINALS[engine]


class FieldNode(template.Node):
    def render(self, context):
        bound = context.get("field")
        if field_markup.ENABLED and bound is not None and field_markup.supported(context, bound):
            return field_markup.render(context, bound)
        return _original(context.template.engine).render(context)


@register.tag("portal_field")
def portal_field(parser, token):
    return FieldNode()


_WHOLE_FORM = "bootstrap5/whole_uni_form.html"
_ORIGINAL_WHOLE_FORMS = {}


def _original_whole_form(engine):
    """crispy's ``bootstrap5/whole_uni_form.html``: the template under that name after the project's own."""
    if engine not in _ORIGINAL_WHOLE_FORMS:
        _ours, origin = engine.find_template(_WHOLE_FORM)
        _ORIGINAL_WHOLE_FORMS[engine] = engine.find_template(_WHOLE_FORM, skip=[origin])[0]
    return _ORIGINAL_WHOLE_FORMS[engine]


class WholeFormNode(template.Node):
    def render(self, context):
        form = context.get("form")
        if field_markup.ENABLED and form is not None and form_markup.supported(context, form):
            return form_markup.render(context, form)
        return _original_whole_form(context.template.engine).render(context)


@register.tag("portal_whole_form")
def portal_whole_form(parser, token):
    return WholeFormNode()
