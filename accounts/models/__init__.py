"""People and organisations: districts, industries, organisations (enterprises, parks, authorities, evaluators,
departments), users with one role each, the notification inbox, the append-only audit trail, registrations waiting
for their address, and changes of an enterprise's registered identity. One module per topic; every name is
importable from ``accounts.models``."""

from accounts.choices import DeadlineKind, MessageKind, OrganisationStatus, Role
from accounts.models.audit import AppendOnlyQuerySet, AuditAction, AuditEvent
from accounts.models.deadlines import Deadline, EmailPreference
from accounts.models.identity import (
    EnterpriseRecordQuerySet,
    IdentityChange,
    IdentityChangeQuerySet,
    IdentityChangeStatus,
)
from accounts.models.inbox import EmailStatus, Notification
from accounts.models.organisations import (
    ROLE_ORGANISATION_KIND,
    ApprovalLevel,
    District,
    DistrictKind,
    Enterprise,
    Industry,
    Organisation,
    OrganisationKind,
    OrganisationQuerySet,
    OwnershipType,
    Park,
    ParkType,
    Sector,
)
from accounts.models.registration import PendingRegistration
from accounts.models.users import PortalUserManager, User, UserQuerySet, new_session_stamp

__all__ = [
    "ROLE_ORGANISATION_KIND",
    "AppendOnlyQuerySet",
    "ApprovalLevel",
    "AuditAction",
    "AuditEvent",
    "Deadline",
    "DeadlineKind",
    "District",
    "DistrictKind",
    "EmailPreference",
    "EmailStatus",
    "Enterprise",
    "EnterpriseRecordQuerySet",
    "IdentityChange",
    "IdentityChangeQuerySet",
    "IdentityChangeStatus",
    "Industry",
    "MessageKind",
    "Notification",
    "Organisation",
    "OrganisationKind",
    "OrganisationQuerySet",
    "OrganisationStatus",
    "OwnershipType",
    "Park",
    "ParkType",
    "PendingRegistration",
    "PortalUserManager",
    "Role",
    "Sector",
    "User",
    "UserQuerySet",
    "new_session_stamp",
]
