"""Campaigns, intake applications, the cultivation library, certification and bans: the models of the applications
app, by topic."""

from applications.models.bans import (  # noqa: F401
    ApplicationBan,
    ApplicationBanQuerySet,
)
from applications.models.campaigns import (  # noqa: F401
    DEFAULT_LIBRARY_TARGET,
    CampaignPhase,
    CampaignQuerySet,
    CampaignTarget,
    CultivationCampaign,
    TargetState,
)
from applications.models.certification import (  # noqa: F401
    APPLICANT_TURN,
    CONDITIONS,
    DEFAULT_EVALUATOR_CAP,
    EDITABLE_STATES,
    FINAL_STATES,
    VETO_CONDITIONS,
    CertificationApplication,
    CertificationRound,
    CertificationStatus,
    ConditionAnswer,
    ConditionEvidence,
    DistrictReview,
    FactoryCondition,
    ParkCondition,
    ReviewAnswerFile,
    ReviewItem,
    ReviewOutcome,
    UnitKind,
    Verdict,
)
from applications.models.intake import (  # noqa: F401
    OUTPUT_THRESHOLD,
    CaseQuerySet,
    CriterionResult,
    EntryCriterion,
    EntryCriterionResult,
    GreenInvestmentArea,
    IntakeApplication,
    IntakeStatus,
    StampedScan,
    _money,
)
from applications.models.library import (  # noqa: F401
    SCORE_BANDS,
    LibraryEntry,
    LibraryStatus,
)
from applications.models.review import ReviewTask  # noqa: F401  (assignments on cases: registered with the app)
