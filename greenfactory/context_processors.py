from django.conf import settings

from greenfactory.portal import nav_for, shell_open_to, todo_counts_for, unread_count_for


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"portal_nav": [], "todo_total": 0, "demo_login_enabled": settings.DEMO_LOGIN_ENABLED}
    if not shell_open_to(user):
        # A unit awaiting or refused registration can use nothing but its registration page (the apps' checks).
        return {"portal_nav": [], "todo_counts": {}, "todo_total": 0, "unread_count": 0,
                "demo_login_enabled": settings.DEMO_LOGIN_ENABLED}
    # Each to-do source of the user's role counted once per request (the home page reuses the counts).
    counts = todo_counts_for(user)
    nav = [
        {"item": item, "count": sum(counts.get(key, 0) for key in item.todo_keys)} for item in nav_for(user)
    ]
    return {
        "unread_count": unread_count_for(user),
        "portal_nav": nav,
        "todo_counts": counts,
        "todo_total": sum(counts.values()),
        "demo_login_enabled": settings.DEMO_LOGIN_ENABLED,
    }
