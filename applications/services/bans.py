"""Bans on applying again (第十八条), enforced by every application service."""



from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import (
    ApplicationBan,
)
from greenfactory.text import clause

# --- The ban of article 18 -------------------------------------------------------------------------------------------


def ban_in_force(organisation, day=None):
    day = day or timezone.localdate()
    return ApplicationBan.objects.filter(organisation=organisation).in_force_on(day).order_by("-ends_on").first()


def _refuse_if_banned(organisation):
    ban = ban_in_force(organisation)
    if ban:
        raise ValidationError(
            _("您单位的称号已于%(start)s被撤销（%(reason)s），按《认定管理办法》第十八条，%(end)s前不得重新申报。")
            % {"start": ban.starts_on, "reason": clause(ban.reason), "end": ban.ends_on},
            code="banned",
        )
