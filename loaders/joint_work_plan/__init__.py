"""Joint work plans: a table aligning the targets of two schemes (Migratory Species Targets and
Aichi Targets in the CBD-CMS Joint Work Plan 2016-2018), and the joint activities serving each
pair. ``parse`` reads the text into a ``records.JointWorkPlan``; ``to_triples`` maps it to triples."""

from meakg.loaders.joint_work_plan.parse import parse
from meakg.loaders.joint_work_plan.records import Activity, JointWorkPlan, Row
from meakg.loaders.joint_work_plan.triples import to_triples

KIND = "joint-work-plan"

__all__ = ["KIND", "parse", "to_triples", "JointWorkPlan", "Row", "Activity"]
