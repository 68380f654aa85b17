"""Pages for the public, not signed in: what the ``published()`` querysets return, nothing else."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils import timezone

from applications import selectors


@login_not_required
def campaign_notices(request):
    """The cultivation campaigns announced to enterprises (the district notice, 一、培育对象 to 四、工作要求): who
    may apply, when, and for which sectors. One query with the districts."""
    now = timezone.now()
    rows = [{"campaign": c, "phase": c.phase(now), "phase_label": c.get_phase_display(now)}
            for c in selectors.campaign_notices()]
    return render(request, "applications/public/campaign_notices.html", {"rows": rows})
