import pytest
import time_machine

from applications import services
from applications.models import CultivationCampaign
from tests.helpers import CAMPAIGN_DEADLINE, CAMPAIGN_OPENS_ON, NOW


@pytest.fixture
def application(people):
    """A draft intake application, for the tests that build every form of the portal (the intake form needs one)."""
    with time_machine.travel(NOW, tick=False):
        campaign = CultivationCampaign.objects.create(
            year=2026, title="2026年绿色工厂培育工作", opens_on=CAMPAIGN_OPENS_ON, deadline=CAMPAIGN_DEADLINE,
            created_by=people.city)
        return services.intake_start(campaign=campaign, actor=people.enterprise)


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to a temporary folder on the file system (what the stored files are is read back from there)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return settings.MEDIA_ROOT
