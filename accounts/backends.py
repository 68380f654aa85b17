from django.contrib.auth.backends import ModelBackend

from accounts.models import User


class PortalModelBackend(ModelBackend):
    """Loads the user's organisation and district with the user, since every page's scope needs them."""

    def get_user(self, user_id):
        try:
            user = User.objects.select_related("organisation", "organisation__district").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
