"""Writes of evaluation, by topic; every name is importable from ``evaluation.services``."""

from evaluation.services.figures import figures_evidence_upload, figures_save  # noqa: F401
from evaluation.services.indicators import (  # noqa: F401
    indicator_area_save,
    indicator_save,
    indicator_system_for,
    indicator_system_freeze,
    indicator_system_revise,
)
