"""factory_boy factories: one per portal record, with valid credit codes and Chongqing districts.

Each state of a state machine is a ``Trait`` (``IntakeApplicationFactory(returned=True)``,
``EnterpriseFactory(pending=True)``, ``CampaignFactory(closed_early=True)``). A trait writes the state as data at
creation — the FSM fields are protected, and firing a transition would also write logs, audit events and messages a
test may not want — together with the fields the transition would have set (``submitted_at``, ``decided_at``, the
reason). tests/test_factories.py builds every factory with every trait and checks the state, so that the factories
stay true as the models change. To reach a state the way a user does, call the services instead.

Dates are relative to the (possibly pinned) clock at creation: ``CampaignFactory()`` is open today.
"""

from tests.factories.accounts import *  # noqa: F403
from tests.factories.applications import *  # noqa: F403
from tests.factories.base import *  # noqa: F403
