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
    CITY_REVIEW_KINDS,
    CITY_TURN,
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
    FactoryCondition,
    ParkCondition,
    UnitKind,
)
from applications.models.city_review import (  # noqa: F401
    Conclusion,
    DepartmentOpinion,
    DepartmentOpinionFile,
    ProposedList,
    ProposedListStatus,
    TaskOpinion,
    TaskOpinionFile,
)
from applications.models.district_review import (  # noqa: F401
    DistrictReview,
    ReviewAnswerFile,
    ReviewItem,
    ReviewOutcome,
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
from applications.models.publicity import (  # noqa: F401
    NOTICE_WORKING_DAYS,
    OPEN_OBJECTION_STATES,
    CertificationDecision,
    DecisionDocument,
    Objection,
    ObjectionFile,
    ObjectionStatus,
    PublicNotice,
)
from applications.models.review import ReviewTask  # noqa: F401  (assignments on cases: registered with the app)
from applications.models.titles import (  # noqa: F401
    NUMBER_PREFIX,
    TITLE_NAMES,
    BatchStatus,
    Certificate,
    CertificateBatch,
    Title,
    TitleStatus,
)
