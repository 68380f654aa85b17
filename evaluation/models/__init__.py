"""Scored work and the people who score (DESIGN.md, "Seams"): the versioned indicator system and the units' yearly
raw figures. One module per topic; every name is importable from ``evaluation.models``."""

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
)
from evaluation.models.support import (
    AssistanceVisit,
    TechnicalAssistance,
    TrainingEvent,
    TrainingKind,
    TrainingSignUp,
)

__all__ = [
    "AssistanceVisit", "TechnicalAssistance", "TrainingEvent", "TrainingKind", "TrainingSignUp",
    "OPEN_MEASURE_STATES", "Assessment", "AssessmentStatus", "ExpertScoring", "ImprovementMeasure", "ItemScore",
    "MeasureCategory", "MeasureEvidence", "MeasureProgress", "MeasureStatus", "ScoringEvidence",
    "SECTION_FIELDS", "Direction", "EnergyCarrier", "FiguresEvidence", "FiguresSection", "Indicator",
    "IndicatorArea", "IndicatorKind", "IndicatorSystem", "ScoringMethod", "YearlyEnergyUse", "YearlyFigures",
]
