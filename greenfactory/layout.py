"""crispy's layout objects for the portal's forms (``Layout``, ``Fieldset``, ``Row``, ``Column``, ``HTML``), written in
Python: the same markup as crispy's bootstrap5 templates give them.

crispy renders each layout object through a template of its own (``layout/fieldset.html``, ``row.html``,
``column.html``) and each field through ``field.html``, handing each the whole page's context flattened into a new
one: the intake form's 26 fields in 6 fieldsets, 9 rows and 19 columns cost some 60 template renders a page. Here a
field named in a layout is written by ``greenfactory.field_markup`` directly, the containers by the methods below, and
an ``HTML`` snippet is compiled once per text instead of on every render.

Anything not covered goes to crispy unchanged: another template pack, a container or field template of its own, a
layout object of crispy's inside, a field ``field_markup`` does not cover, a field named twice, a name the form does
not have. ``field_markup.ENABLED = False`` turns the whole of it off (the tests render each form both ways).
"""

from functools import lru_cache

from crispy_forms import layout as crispy
from crispy_forms.utils import TEMPLATE_PACK, render_field
from django.template import Template
from django.utils.safestring import SafeString

from greenfactory import field_markup
from greenfactory.display import escaped

__all__ = ["HTML", "Column", "Fieldset", "Layout", "Row"]

# What field.html reads from the context crispy renders a field with (``render_field``: ``flat_attrs`` empty).
_OPTIONS = ("form_show_errors", "form_show_labels", "help_text_inline", "error_text_inline", "form_class",
            "label_class", "field_class", "tag", "inline_class", "wrapper_class")


def _quick(layout_object, template_pack) -> bool:
    return (field_markup.ENABLED and str(template_pack) == "bootstrap5"
            and layout_object.template == type(layout_object).template)


@lru_cache(maxsize=512)
def _template(source: str) -> Template:
    return Template(source)


class _Fields:
    """The named fields written by ``field_markup``, anything else rendered by crispy."""

    def get_rendered_fields(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        if not field_markup.ENABLED or kwargs or str(template_pack) != "bootstrap5" or getattr(
                form, "crispy_field_template", None) is not None:
            return super().get_rendered_fields(form, context, template_pack, **kwargs)
        options = None
        rendered = getattr(form, "rendered_fields", None)
        parts = []
        for field in self.fields:
            bound = None
            if isinstance(field, str) and field in form.fields and (rendered is None or field not in rendered):
                if options is None:
                    options = _options(form, context)
                bound = form[field]
                if not field_markup.supported(options, bound):
                    bound = None
            if bound is None:
                # A layout object directly (render_field would call the same, inside a KeepContext of no keys).
                parts.append(field.render(form, context, template_pack=template_pack) if hasattr(field, "render")
                             else render_field(field, form, context, template_pack=template_pack))
                continue
            if rendered is not None:
                rendered.add(field)
            parts.append(field_markup.render(options, bound))
        return SafeString("".join(parts))


def _options(form, context) -> dict:
    """What field.html reads from the context, read once per form and context (each of a layout's rows, columns and
    fieldsets asked the context for them again, through all its levels)."""
    found = getattr(form, "_portal_field_options", None)
    if found is None or found[0] is not context:
        options = {name: context.get(name) for name in _OPTIONS}
        options["flat_attrs"] = ""
        found = form._portal_field_options = (context, options)
    return found[1]


def _id(layout_object) -> str:
    return f'id="{escaped(layout_object.css_id)}"' if layout_object.css_id else ""


class Layout(_Fields, crispy.Layout):
    pass


class Row(_Fields, crispy.Row):
    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        if not _quick(self, template_pack):
            return super().render(form, context, template_pack, **kwargs)
        fields = self.get_rendered_fields(form, context, template_pack, **kwargs)
        # layout/row.html
        return SafeString(f'<div {_id(self)} class="row {escaped(self.css_class or "")}" '
                          f"{self.flat_attrs}> {fields} </div>")


class Column(_Fields, crispy.Column):
    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        if not _quick(self, template_pack):
            return super().render(form, context, template_pack, **kwargs)
        fields = self.get_rendered_fields(form, context, template_pack, **kwargs)
        # layout/column.html
        css_class = escaped(self.css_class or "")
        classes = css_class if self.css_class and "col" in self.css_class else f"col-md {css_class}"
        return SafeString(f'<div {_id(self)} class="{classes}" {self.flat_attrs}> {fields} </div>')


class Fieldset(_Fields, crispy.Fieldset):
    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        if not _quick(self, template_pack):
            return super().render(form, context, template_pack, **kwargs)
        fields = self.get_rendered_fields(form, context, template_pack, **kwargs)
        legend = ""
        if self.legend:
            # crispy renders the legend as a template (a legend may name a context variable).
            legend = str(self.legend)
            if "{" in legend:
                legend = _template(legend).render(context)
            legend = f"<legend>{legend}</legend>"
        # layout/fieldset.html
        css_class = f'class="{escaped(self.css_class)}"' if self.css_class else ""
        return SafeString(f"<fieldset {_id(self)} {css_class} {self.flat_attrs}> {legend} {fields} </fieldset>")


class HTML(crispy.HTML):
    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        if not field_markup.ENABLED:
            return super().render(form, context, template_pack, **kwargs)
        # The same template, compiled once per text (crispy compiles it on every render).
        return _template(str(self.html)).render(context)
