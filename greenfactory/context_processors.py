from django.conf import settings

from greenfactory.portal import nav_for, todo_counts_for


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"portal_nav": [], "todo_total": 0, "demo_login_enabled": settings.DEMO_LOGIN_ENABLED}

    organisation = getattr(user, "organisation", None)
    if organisation is not None and getattr(organisation, "status", "active") != "active":
        # A unit awaiting or refused registration can use nothing but its registration page.
        return {"portal_nav": [], "todo_counts": {}, "todo_total": 0, "unread_count": 0,
                "demo_login_enabled": settings.DEMO_LOGIN_ENABLED}
    # One COUNT per to-do source of the user's role, computed once per request (the home page reuses them).
    counts = todo_counts_for(user)
    nav = [
        {"item": item, "count": sum(counts.get(key, 0) for key in item.todo_keys)} for item in nav_for(user)
    ]
    unread = user.notifications.filter(read_at__isnull=True).count()
    return {
        "unread_count": unread,
        "portal_nav": nav,
        "todo_counts": counts,
        "todo_total": sum(counts.values()),
        "demo_login_enabled": settings.DEMO_LOGIN_ENABLED,
    }
