"""lms_cx's tables, one module per concept; importing this package registers them all."""

from lms_cx.models.assessment import (
    Question,
    QuestionBank,
    QuestionPool,
    QuizAttempt,
    QuizResponse,
)
from lms_cx.models.catalog import (
    Course,
    CourseModule,
    Lesson,
    Module,
    ModulePersona,
    ModulePrerequisite,
    Persona,
    Track,
)
from lms_cx.models.enrolment import Assignment, AssignmentRule, Certificate, Notification
from lms_cx.models.feedback import (
    AssignmentFeedbackItem,
    FeedbackImport,
    FeedbackItem,
    FeedbackTheme,
    KeywordRule,
    RemedialRule,
    TagTrackMapping,
)
from lms_cx.models.integrations import ApiToken, Webhook, WebhookDelivery
from lms_cx.models.people import Employee, EmployeeRole, Team, TeamManager
from lms_cx.models.progress import Progress
from lms_cx.models.reviews import ReviewCycle, ReviewNote, ReviewPacket
from lms_cx.models.security import LoginThrottle
from lms_cx.models.settings import OrganisationSetting
from lms_cx.models.versions import CourseVersion, ModuleVersion
from lms_cx.models.xapi import (
    LrsCredential,
    OutboxItem,
    Statement,
    StatementActivity,
    StatementAgent,
)
from lms_cx.models.xapi_documents import (
    Activity,
    ActivityProfile,
    AgentProfile,
    Attachment,
    StateDocument,
)

__all__ = [
    "Activity",
    "ActivityProfile",
    "AgentProfile",
    "ApiToken",
    "Assignment",
    "AssignmentFeedbackItem",
    "AssignmentRule",
    "Attachment",
    "Certificate",
    "Course",
    "CourseModule",
    "CourseVersion",
    "Employee",
    "EmployeeRole",
    "FeedbackImport",
    "FeedbackItem",
    "FeedbackTheme",
    "KeywordRule",
    "Lesson",
    "LoginThrottle",
    "LrsCredential",
    "Module",
    "ModulePersona",
    "ModulePrerequisite",
    "ModuleVersion",
    "Notification",
    "OrganisationSetting",
    "OutboxItem",
    "Persona",
    "Progress",
    "Question",
    "QuestionBank",
    "QuestionPool",
    "QuizAttempt",
    "QuizResponse",
    "RemedialRule",
    "ReviewCycle",
    "ReviewNote",
    "ReviewPacket",
    "Statement",
    "StatementActivity",
    "StatementAgent",
    "StateDocument",
    "TagTrackMapping",
    "Team",
    "TeamManager",
    "Track",
    "Webhook",
    "WebhookDelivery",
]
