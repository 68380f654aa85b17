"""``{% portal_field %}``: the field in the context as crispy's ``bootstrap5/field.html`` renders it, written in Python
(``greenfactory.field_markup``); a field it does not cover goes to crispy's template itself.
``{% portal_whole_form %}``: the same for crispy's ``bootstrap5/whole_uni_form.html`` (``greenfactory.form_markup``);
``{% portal_crispy form %}``: for ``{% crispy form %}`` itself."""

from crispy_forms.helper import FormHelper
from crispy_forms.templatetags.crispy_forms_tags import CrispyFormNode
from django import template
from django.forms import BaseForm

from greenfactory import field_markup, form_markup

register = template.Library()

_ORIGINALS = {}


def _original(engine, name: str):
    """crispy's own template ``name``: the template under that name after the project's own override."""
    if (engine, name) not in _ORIGINALS:
        _ours, origin = engine.find_template(name)
        _ORIGINALS[engine, name] = engine.find_template(name, skip=[origin])[0]
    return _ORIGINALS[engine, name]


class _WrittenInPython(template.Node):
    """A crispy template the project overrides: what ``markup`` covers is written in Python, anything else goes to
    crispy's own template (``original``), with ``subject`` the context variable both render."""

    def __init__(self, original: str, subject: str, markup):
        self.original, self.subject, self.markup = original, subject, markup

    def render(self, context):
        value = context.get(self.subject)
        if field_markup.ENABLED and value is not None and self.markup.supported(context, value):
            return self.markup.render(context, value)
        return _original(context.template.engine, self.original).render(context)


@register.tag("portal_field")
def portal_field(parser, token):
    return _WrittenInPython("bootstrap5/field.html", "field", field_markup)


@register.tag("portal_whole_form")
def portal_whole_form(parser, token):
    return _WrittenInPython("bootstrap5/whole_uni_form.html", "form", form_markup)


class PortalCrispyNode(template.Node):
    """``{% crispy form %}`` for a form laid out with the portal's layout objects: the same markup, without crispy's
    copies and flattening of the page's whole context (twice) and its whole-form template; anything else (a
    formset, a helper with a template of its own, another template pack, ``field_markup.ENABLED`` off) goes to
    crispy's own tag."""

    def __init__(self, form):
        self.form = template.Variable(form)
        self.crispy = CrispyFormNode(form, None)

    def render(self, context):
        try:
            form = self.form.resolve(context)
        except template.VariableDoesNotExist:
            return context.template.engine.string_if_invalid
        helper = getattr(form, "helper", None)
        if not (field_markup.ENABLED and isinstance(form, BaseForm) and isinstance(helper, FormHelper)
                and helper.layout is not None and not getattr(helper, "template", None)
                and str(getattr(helper, "template_pack", None) or self.crispy.template_pack) == "bootstrap5"
                and str(self.crispy.template_pack) == "bootstrap5"):
            return self.crispy.render(context)
        # BasicNode.get_render, for one form
        node_context = context.__copy__()
        node_context.update({"is_bound": form.is_bound})
        node_context.update(self.crispy.get_response_dict(helper, context, False))
        form.form_html = helper.render_layout(form, node_context, template_pack=self.crispy.template_pack)
        if not form_markup.supported(node_context, form):
            return self.crispy.render(context)
        return form_markup.render(node_context, form)


@register.tag("portal_crispy")
def portal_crispy(parser, token):
    """``{% portal_crispy form %}``: see ``PortalCrispyNode``."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("portal_crispy takes one argument: the form")
    return PortalCrispyNode(bits[1])
