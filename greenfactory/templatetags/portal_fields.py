"""``{% portal_field %}``: the field in the context as crispy's ``bootstrap5/field.html`` renders it, written in Python
(``greenfactory.field_markup``); a field it does not cover goes to crispy's template itself."""

from django import template

from greenfactory import field_markup

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
