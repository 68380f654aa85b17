"""The portal's form base: every form of the portal is a ``PortalForm`` or a ``PortalModelForm`` (or mixes in
``PortalFormMixin``); tests/greenfactory/test_form_messages.py checks that each one does.

What a form gets from it, field by field, from the field's own label and limits:

* **Messages in plain Chinese that name the field and its limit**, in place of Django's stock ones
  (“确认总共不超过 13 个数字.”, “确保该变量包含不超过…”, English full stops, 你):
  请填写“单位简介”。 / “单位简介”最多500个字，现有612个字，请删减后再保存。 /
  “产值（万元）”不能超过99999999999.99万元，请核对数值和单位。 A message a form sets itself is kept.
* **No silent cut**: the ``maxlength`` attribute Django puts on text inputs makes the browser drop whatever is pasted
  past the limit without a word (单位简介 lost everything after 500 characters). It is removed; the limit travels as
  ``data-maxchars`` for the live counter (static/portal/forms.js) and the server refuses longer text with the
  message above. Multi-line text counts a line break as one character (``\\r\\n`` becomes ``\\n``), as the counter.
* **Control characters refused** in every field (C0 and C1 controls, NUL included, and bidirectional overrides; line
  breaks and every invisible format character — U+FEFF, U+00AD, zero-width ones, category Cf — in single-line and
  printed fields; multi-line text keeps ``\\n`` and ``\\t``), before the field parses the value, with a
  message naming the field and the character. Password fields are left alone: they are never shown, printed or
  mailed, and refusing a character there could lock out an existing password.
* **Characters the printed forms cannot show refused** in the fields listed in ``printed_fields``: emoji, and any
  character no font of the PDF stacks has (``greenfactory.fonts.printable_codepoints``).
* **Dates within bounds**: every date field between 1900-01-01 and 2100-12-31 unless ``date_bounds`` says otherwise
  (a founding date cannot be in year 1), with the range in the message.
* **Fields required at submission marked** (``submission_required``) with an asterisk and ``aria-required``, while
  the field itself stays optional so that a draft saves half-filled.
* ``error_summary``: the wrong fields in form order, each with its anchor, for ``includes/form_error_summary.html``.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from decimal import Decimal

import regex
from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from greenfactory import fonts
from greenfactory.validators import EARLIEST_DATE

# A multi-line field always shows a live counter; a single-line one from this limit on (an address, a product list),
# not a user name or an e-mail address.
COUNTER_FROM = 200
DEFAULT_DATE_MIN = EARLIEST_DATE
DEFAULT_DATE_MAX = datetime.date(2100, 12, 31)

# Emoji presentation (😀 ✅ 🇨🇳, a skin tone, the emoji selector U+FE0F, the keycap ⃣): printed in black and white
# they come out as outlines or boxes, and no name, address or product is written with them. ©, ®, ™, ① and ℃ are
# text characters and stay allowed.
_EMOJI = regex.compile(r"[\p{Emoji_Presentation}\p{Emoji_Modifier}\N{VARIATION SELECTOR-16}"
                       r"\N{COMBINING ENCLOSING KEYCAP}]")
# Bidirectional embeddings, overrides and isolates: invisible, and they reorder the text around them on screen.
_BIDI_CONTROLS = {"LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI"}
_UNIT = re.compile(r"（([^（）]+)）\s*$")


def _char_name(char: str) -> str:
    code = f"U+{ord(char):04X}"
    # Invisible, private-use or unassigned: only the code point says which it is.
    if unicodedata.category(char) in ("Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp") or char.isspace():
        return code
    return f"“{char}”（{code}）"


def forbidden_control(value: str, *, multiline: bool, printed: bool = False) -> str | None:
    """The first control character of ``value`` a field of this kind refuses, or None.

    Every field refuses C0/C1 controls and bidirectional overrides. A single-line field (a name, an address, a code)
    and any printed field refuse every invisible format character too (category Cf: the byte-order mark U+FEFF, the
    soft hyphen U+00AD, zero-width spaces and joiners): they cannot be seen on screen or paper, yet make two equal-
    looking names differ and print as nothing or as a stray hyphen. Unprinted multi-line text (a reason pasted from
    a word processor) keeps them, bidirectional overrides apart."""
    strict = printed or not multiline
    for char in value:
        if multiline and char in "\n\t":
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Zl", "Zp"):
            return char
        if category == "Cf" and (strict or unicodedata.bidirectional(char) in _BIDI_CONTROLS):
            return char
    return None


def unprintable(value: str) -> str | None:
    """The first character of ``value`` the printed forms cannot show (an emoji, or no font has it), or None."""
    match = _EMOJI.search(value)
    if match:
        return match.group()
    coverage = fonts.printable_codepoints()
    if coverage is None:
        return None
    for char in value:
        if char not in "\n\t" and ord(char) not in coverage:
            return char
    return None


def field_label(form, name: str) -> str:
    label = getattr(form, "short_labels", {}).get(name) or form.fields[name].label or name
    # The label goes into messages that Django may %-format with parameters.
    return str(label).replace("%", "％")


def _unit(label: str) -> str:
    """The unit in the label's last brackets: 注册资本（万元） → 万元."""
    match = _UNIT.search(label)
    return match.group(1) if match else ""


def _default_messages(field, language=None) -> dict:
    return _class_default_messages(type(field), language or get_language())


@functools.cache
def _class_default_messages(klass, language) -> dict:
    return {code: str(message) for code, message in _class_default_message_objects(klass).items()}


@functools.cache
def _class_default_message_objects(klass) -> dict:
    """A field class's default messages as Django's Field.__init__ collects them (lazy): a field's message that is
    one of these objects is the default, whatever the language."""
    defaults = {}
    for base in reversed(klass.__mro__):
        defaults.update(getattr(base, "default_error_messages", {}))
    return defaults


def _is_multiline(field) -> bool:
    return isinstance(field.widget, forms.Textarea)


def _is_choice(field) -> bool:
    return isinstance(field, (forms.ChoiceField, forms.ModelChoiceField, forms.NullBooleanField)) or isinstance(
        field.widget, (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple))


# The messages of a field depend only on its kind, label and limits, and the language: each combination is built
# once per process (a form of 26 fields asked gettext some 340 times on every page it was shown on).
_MESSAGES_BUILT: dict = {}
_MESSAGES_BUILT_MAX = 10_000


def _field_messages(field, label: str, language=None) -> dict:
    """Plain-Chinese messages for every error the field can raise, naming the field and its limits (shared: not to
    be changed by the caller)."""
    key = (language or get_language(), type(field), type(field.widget), label, getattr(field, "max_length", None),
           getattr(field, "min_length", None), getattr(field, "max_digits", None),
           getattr(field, "decimal_places", None))
    messages = _MESSAGES_BUILT.get(key)
    if messages is None:
        if len(_MESSAGES_BUILT) >= _MESSAGES_BUILT_MAX:
            _MESSAGES_BUILT.clear()
        messages = _MESSAGES_BUILT[key] = _build_field_messages(field, label)
    return messages


def _build_field_messages(field, label: str) -> dict:
    messages = {}
    if isinstance(field, forms.FileField):
        messages["required"] = _("请选择要上传的“%(field)s”。") % {"field": label}
        messages["invalid"] = _("“%(field)s”不是有效的文件，请重新选择。") % {"field": label}
        messages["missing"] = _("没有收到“%(field)s”，请重新选择文件上传。") % {"field": label}
        messages["empty"] = _("上传的“%(field)s”是空文件，请检查后重新上传。") % {"field": label}
        messages["contradiction"] = _("“%(field)s”：请选择上传新文件或清除原文件，不能同时进行。") % {"field": label}
        messages["max_length"] = _("“%(field)s”的文件名过长，请改短文件名后再上传。") % {"field": label}
        return messages
    if isinstance(field, forms.BooleanField) and not isinstance(field, forms.NullBooleanField):
        messages["required"] = _("请勾选“%(field)s”。") % {"field": label}
    elif _is_choice(field):
        messages["required"] = _("请选择“%(field)s”。") % {"field": label}
    else:
        messages["required"] = _("请填写“%(field)s”。") % {"field": label}
    # The model's own checks (ModelForm._post_clean) raise these for a field the form left optional; Django then
    # shows the form field's message for the same code.
    messages["null"] = messages["blank"] = messages["required"]
    if _is_choice(field):
        messages["invalid_choice"] = _("“%(field)s”的选项无效，请重新选择。") % {"field": label}
        messages["invalid_list"] = _("“%(field)s”的选项无效，请重新选择。") % {"field": label}
        messages["invalid_pk_value"] = _("“%(field)s”的选项无效，请重新选择。") % {"field": label}
    max_length = getattr(field, "max_length", None)
    if max_length:
        messages["max_length"] = _("“%(field)s”最多%(limit)d个字，现有%%(show_value)d个字，请删减后再保存。") % {
            "field": label, "limit": max_length}
    min_length = getattr(field, "min_length", None)
    if min_length:
        messages["min_length"] = _("“%(field)s”至少%(limit)d个字，现有%%(show_value)d个字。") % {
            "field": label, "limit": min_length}
    messages["null_characters_not_allowed"] = _("“%(field)s”含有不可见的控制字符，请删除后重新填写。") % {
        "field": label}
    unit = _unit(label)
    if isinstance(field, forms.DecimalField):
        messages["invalid"] = _("“%(field)s”请填写数字。") % {"field": label}
        if field.max_digits is not None:
            places = field.decimal_places or 0
            largest = Decimal(10) ** (field.max_digits - places) - Decimal(1).scaleb(-places)
            text = _("“%(field)s”不能超过%(largest)s%(unit)s，请核对数值和单位。") % {
                "field": label, "largest": f"{largest:f}", "unit": unit}
            messages["max_digits"] = text
            messages["max_whole_digits"] = text
        if field.decimal_places is not None:
            messages["max_decimal_places"] = _("“%(field)s”最多保留%(places)d位小数。") % {
                "field": label, "places": field.decimal_places}
    elif isinstance(field, forms.IntegerField):
        messages["invalid"] = _("“%(field)s”请填写整数。") % {"field": label}
    elif isinstance(field, forms.FloatField):
        messages["invalid"] = _("“%(field)s”请填写数字。") % {"field": label}
    if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
        messages["max_value"] = _("“%(field)s”不能大于%%(limit_value)s%(unit)s。") % {"field": label, "unit": unit}
        messages["min_value"] = _("“%(field)s”不能小于%%(limit_value)s%(unit)s。") % {"field": label, "unit": unit}
        messages["step_size"] = _("“%(field)s”须为%%(limit_value)s的整数倍。") % {"field": label}
    if isinstance(field, (forms.DateField, forms.DateTimeField)):
        messages["invalid"] = _("“%(field)s”不是有效的日期，请按“2024-01-31”的格式填写。") % {"field": label}
        messages["invalid_date"] = messages["invalid"]
    elif isinstance(field, forms.TimeField):
        messages["invalid"] = _("“%(field)s”不是有效的时间，请按“09:30”的格式填写。") % {"field": label}
    elif isinstance(field, forms.EmailField):
        messages["invalid"] = _("“%(field)s”不是有效的电子邮箱地址，请检查后重新填写。") % {"field": label}
    elif isinstance(field, forms.URLField):
        messages["invalid"] = _("“%(field)s”不是有效的网址。") % {"field": label}
    elif isinstance(field, forms.UUIDField):
        messages["invalid"] = _("“%(field)s”的格式无效。") % {"field": label}
    elif "invalid" not in messages and not isinstance(field, forms.DateField):
        messages["invalid"] = _("“%(field)s”的格式不正确，请检查后重新填写。") % {"field": label}
    return messages


class DateRangeValidator:
    """A date between ``low`` and ``high`` (dates, or callables giving one: ``timezone.localdate`` for today)."""

    def __init__(self, low, high, label):
        self.low, self.high, self.label = low, high, label

    @staticmethod
    def _resolve(bound):
        return bound() if callable(bound) else bound

    def bounds(self) -> tuple[datetime.date, datetime.date]:
        return self._resolve(self.low), self._resolve(self.high)

    def __call__(self, value):
        if value is None:
            return
        if isinstance(value, datetime.datetime):
            value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
        low, high = self.bounds()
        if value < low or value > high:
            if self.high is timezone.localdate:
                message = _("“%(field)s”应在%(low)s至今天（%(high)s）之间。")
            else:
                message = _("“%(field)s”应在%(low)s至%(high)s之间。")
            raise ValidationError(
                message % {"field": self.label, "low": date_format(low, "Y-m-d"), "high": date_format(high, "Y-m-d")},
                code="date_range",
            )


class PortalBoundField(BoundField):
    def css_classes(self, extra_classes=None):
        classes = super().css_classes(extra_classes)
        if self.name in getattr(self.form, "submission_required", ()) and not self.field.required:
            classes = f"{classes} portal-required".strip()
        return classes


class PortalFormMixin:
    """See the module's docstring. Class attributes a form may set:

    ``short_labels``        name → a short label for messages and the summary (the commitment's label is a paragraph)
    ``printed_fields``      names of text fields that go on a printed form, or ``"__all__"``
    ``date_bounds``         name → (earliest, latest): dates, or callables such as ``timezone.localdate``
    ``submission_required`` names marked required (asterisk) though a draft may leave them empty
    """

    short_labels: dict = {}
    printed_fields: tuple | str = ()
    date_bounds: dict = {}
    submission_required: tuple | frozenset = ()
    bound_field_class = PortalBoundField
    # True on a form whose __init__ changes its fields (labels, limits, required, added fields) and then calls
    # ``portal_prepare_fields`` itself: the fields are prepared once, when they are final.
    prepares_fields_itself = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.prepares_fields_itself:
            self.portal_prepare_fields()

    def portal_prepare_fields(self):
        """Apply the messages, bounds, guards and attributes to ``self.fields``. Call it again after a subclass's
        ``__init__`` adds fields or changes labels or limits."""
        language = get_language()
        for name, field in self.fields.items():
            # A lazy label or help text is translated anew on every use (a label some six times a page): the form
            # lives for one request, in one language, so it is translated once here.
            if isinstance(field.label, Promise):
                field.label = str(field.label)
            if isinstance(field.help_text, Promise):
                field.help_text = str(field.help_text)
            label = field_label(self, name)
            # A message is replaced when it is Django's default (the very object, or the same words) or the one
            # put here before; one a form set itself is kept. The lazy defaults are compared by identity first:
            # translating each to compare its words cost more than the rest of the preparation.
            default_objects, defaults = _class_default_message_objects(type(field)), None
            prepared = getattr(field, "_portal_messages", {})
            messages = field.error_messages
            built = _field_messages(field, label, language)
            # A field prepared before with the same messages (a form's fields copied from prepared ones), and not
            # changed since, is left as it is.
            if getattr(field, "_portal_built", None) is not built or prepared != messages:
                for code, message in built.items():
                    current = messages.get(code)
                    if current is None or current is default_objects.get(code) or prepared.get(code) == current:
                        messages[code] = message
                        continue
                    if defaults is None:
                        defaults = _default_messages(field, language)
                    if str(current) == defaults.get(code, ""):
                        messages[code] = message
                field._portal_messages, field._portal_built = dict(messages), built
            self._prepare_widget(name, field)
            if isinstance(field, forms.DateField):
                self._bound_dates(name, field, label)
            if not getattr(field, "_portal_guarded", False):
                self._guard(name, field)

    def full_clean(self):
        # A field added after __init__ (per district, per year…) without a call to portal_prepare_fields would fall
        # back to Django's stock messages ("输入整数。"); it is prepared here at the latest.
        if any(not getattr(field, "_portal_guarded", False) for field in self.fields.values()):
            self.portal_prepare_fields()
        super().full_clean()

    def _prepare_widget(self, name, field):
        attrs = field.widget.attrs
        max_length = getattr(field, "max_length", None)
        if "maxlength" in attrs:
            del attrs["maxlength"]  # the browser would cut pasted text silently
        if max_length and isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
            if _is_multiline(field) or (max_length >= COUNTER_FROM and not isinstance(
                    field, (forms.EmailField, forms.URLField))):
                attrs["data-maxchars"] = str(max_length)
                attrs["data-counter"] = _("已输入 {used} / {limit} 个字")
                attrs["data-counter-over"] = _("已输入 {used} / {limit} 个字，超出 {over} 个字，请删减后再保存。")
        if name in self.submission_required and not field.required:
            attrs["aria-required"] = "true"

    def _bound_dates(self, name, field, label):
        low, high = self.date_bounds.get(name, (DEFAULT_DATE_MIN, DEFAULT_DATE_MAX))
        field.validators = [v for v in field.validators if not isinstance(v, DateRangeValidator)]
        # Only the server checks the range: a min/max attribute would make the browser block the form with its own
        # message (a draft could not even be saved) instead of the one naming the field and the range.
        field.validators.append(DateRangeValidator(low, high, label))

    def _guard(self, name, field):
        """Check the raw input before the field parses it: control characters, then printability."""
        original_clean = field.clean
        multiline = _is_multiline(field)
        password = isinstance(field.widget, forms.PasswordInput)
        form = self

        def clean(value, *args):
            values = value if isinstance(value, (list, tuple)) else [value]
            label = field_label(form, name)
            checked = []
            for item in values:
                if isinstance(item, str):
                    if multiline:
                        item = item.replace("\r\n", "\n")
                    if not password:
                        form._check_text(name, label, item, multiline)
                checked.append(item)
            if isinstance(value, (list, tuple)):
                value = type(value)(checked)
            elif isinstance(value, str):
                value = checked[0]
            return original_clean(value, *args)

        field.clean = clean
        field._portal_guarded = True

    def _check_text(self, name, label, value, multiline):
        printed = self.printed_fields == "__all__" or name in self.printed_fields
        char = forbidden_control(value, multiline=multiline, printed=printed)
        if char is not None:
            if char in "\r\n\u2028\u2029" and not multiline:
                raise ValidationError(_("“%(field)s”不能换行，请写在一行内。") % {"field": label}, code="control")
            raise ValidationError(
                _("“%(field)s”含有不可见的控制字符%(char)s，请删除后重新填写。")
                % {"field": label, "char": _char_name(char)}, code="control")
        if printed:
            char = unprintable(value)
            if char is not None:
                if _EMOJI.match(char):
                    message = _("“%(field)s”中的表情符号%(char)s无法打印在申请表上，请删除。")
                else:
                    message = _("“%(field)s”中的字符%(char)s无法打印在申请表上，请改用常用字或删除。")
                raise ValidationError(message % {"field": label, "char": _char_name(char)}, code="unprintable")

    @property
    def error_summary(self) -> list[dict]:
        """The fields with errors, in the order the form shows them: ``id`` (the anchor), ``label``, ``messages``."""
        if not self.is_bound or not self.errors:
            return []
        order = list(self.fields)
        layout = getattr(getattr(self, "helper", None), "layout", None)
        if layout is not None:
            shown = [pointer.name for pointer in layout.get_field_names()]
            order = shown + [name for name in order if name not in shown]
        rows = []
        for name in order:
            if name in self.errors and name in self.fields:
                bound = self[name]
                anchor = bound.auto_id or f"id_{name}"
                if bound.field.widget.use_fieldset:
                    anchor = f"div_{anchor}"
                rows.append({"name": name, "id": anchor, "label": field_label(self, name),
                             "messages": list(self.errors[name])})
        return rows


class PortalForm(PortalFormMixin, forms.Form):
    pass


class PortalModelForm(PortalFormMixin, forms.ModelForm):
    pass


def form_add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form that carried its input: a message keyed by a field the form has goes
    to that field (the summary at the top links to it), anything else to the form as a whole."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)

