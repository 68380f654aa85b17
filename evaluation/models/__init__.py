"""Scored work and the people who score (DESIGN.md, "Seams"): the versioned indicator system and the units' yearly
raw figures, cultivation, and the scored work of certification. One module per topic; every name is importable from
``evaluation.models``."""

from evaluation.models.assessments import (
    OPEN_MEASURE_STATES,
    Assessment,
    AssessmentStatus,
    ExpertScoring,
    ImprovementMeasure,
    ItemScore,
    MeasureCategory,
    MeasureEvidence,
    MeasureProgress,
    MeasureStatus,
    ScoringEvidence,
)
from evaluation.models.certification import (
    CertificationRecordQuerySet,
    EvaluationReport,
    EvaluatorOrganisation,
    RegisterStatus,
    ReportDocument,
    ReportItem,
    SelfEvaluation,
    SelfEvaluationEvidence,
    SelfEvaluationItem,
)
from evaluation.models.figures import (
    SECTION_FIELDS,
    EnergyCarrier,
    FiguresEvidence,
    FiguresSection,
    YearlyEnergyUse,
    YearlyFigures,
)
from evaluation.models.indicators import (
    Direction,
    Indicator,
    IndicatorArea,
    IndicatorKind,
    IndicatorSystem,
    ScoringMethod,
    Subject,
)
from evaluation.models.support import (
    AssistanceVisit,
    TechnicalAssistance,
    TrainingEvent,
    TrainingKind,
    TrainingSignUp,
)

__all__ = [
    "CertificationRecordQuerySet", "EvaluationReport", "EvaluatorOrganisation", "RegisterStatus", "ReportDocument",
    "ReportItem", "SelfEvaluation", "SelfEvaluationEvidence", "SelfEvaluationItem", "Subject",
    "AssistanceVisit", "TechnicalAssistance", "TrainingEvent", "TrainingKind", "TrainingSignUp",
    "OPEN_MEASURE_STATES", "Assessment", "AssessmentStatus", "ExpertScoring", "ImprovementMeasure", "ItemScore",
    "MeasureCategory", "MeasureEvidence", "MeasureProgress", "MeasureStatus", "ScoringEvidence",
    "SECTION_FIELDS", "Direction", "EnergyCarrier", "FiguresEvidence", "FiguresSection", "Indicator",
    "IndicatorArea", "IndicatorKind", "IndicatorSystem", "ScoringMethod", "YearlyEnergyUse", "YearlyFigures",
]
