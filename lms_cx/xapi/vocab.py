"""Every IRI lms_cx writes into xAPI statements, and nothing else."""

from __future__ import annotations

#: The specification version this LRS implements (About resource, response headers).
XAPI_VERSION = "1.0.3"

#: The version a stored statement gets when it arrives without one (xAPI 1.0.3, part two, 2.4.10).
DEFAULT_STATEMENT_VERSION = "1.0.0"

# ADL verbs (http://adlnet.gov/expapi/verbs/), the vocabulary cmi5 and most content use.
ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
VERB_LAUNCHED = ADL_VERBS + "launched"
VERB_INITIALIZED = ADL_VERBS + "initialized"
VERB_EXPERIENCED = ADL_VERBS + "experienced"
VERB_ANSWERED = ADL_VERBS + "answered"
VERB_ATTEMPTED = ADL_VERBS + "attempted"
VERB_PASSED = ADL_VERBS + "passed"
VERB_FAILED = ADL_VERBS + "failed"
VERB_COMPLETED = ADL_VERBS + "completed"
VERB_PROGRESSED = ADL_VERBS + "progressed"
VERB_TERMINATED = ADL_VERBS + "terminated"
#: The one verb the specification reserves: its statement voids the one it refers to.
VERB_VOIDED = ADL_VERBS + "voided"

#: Verbs that start a new attempt at an activity (the projection counts them as attempts).
#: ``launched`` is left out: in cmi5 the LMS launches and the content then initializes, so
#: counting both would count one session twice.
ATTEMPT_VERBS = frozenset({VERB_ATTEMPTED, VERB_INITIALIZED})

#: Verbs that mean the activity was completed, whatever ``result.completion`` says (as in
#: cmi5, ``passed`` alone does not mean completed).
COMPLETION_VERBS = frozenset({VERB_COMPLETED})

#: Verbs that carry the outcome of an assessment.
SUCCESS_VERBS = {VERB_PASSED: True, VERB_FAILED: False}

#: The homePage of lms_cx's own authority Agent (the account names the installation).
LMS_CX_AUTHORITY_HOMEPAGE = "https://lms-cx.example.com"

# ---------------------------------------------------------------------------------------------
# The learner's statements (lms_cx/xapi/statements.py): activity types, extensions, the profile.

#: The lms_cx xAPI profile, named in ``context.contextActivities.category`` of our statements.
LMS_CX_PROFILE = "https://w3id.org/xapi/lms-cx/v1"
#: Activity type of a category activity that names a profile (ADL's registry).
ACTIVITY_TYPE_PROFILE = "http://adlnet.gov/expapi/activities/profile"

ADL_ACTIVITIES = "http://adlnet.gov/expapi/activities/"
#: A course: an ordered set of modules, certified as a whole.
ACTIVITY_TYPE_COURSE = ADL_ACTIVITIES + "course"
#: A module: lessons and a quiz (the unit cmi5 calls an AU; external content reports on it).
ACTIVITY_TYPE_MODULE = ADL_ACTIVITIES + "module"
#: A lesson page of a module.
ACTIVITY_TYPE_LESSON = ADL_ACTIVITIES + "lesson"
#: A module's quiz.
ACTIVITY_TYPE_ASSESSMENT = ADL_ACTIVITIES + "assessment"
#: A quiz question (``interactionType`` and friends in its definition).
ACTIVITY_TYPE_INTERACTION = ADL_ACTIVITIES + "cmi.interaction"
#: A competency track (communication, persona awareness, ...), used as a category.
ACTIVITY_TYPE_TRACK = LMS_CX_PROFILE + "/activity-types/competency-track"

#: The platform named in ``context.platform``.
PLATFORM = "lms_cx"

#: cmi5's progress extension: how far through the module the learner is, 0 to 100.
EXT_PROGRESS = "https://w3id.org/xapi/cmi5/result/extensions/progress"
#: The published version number of the module the learner is pinned to.
EXT_MODULE_VERSION = LMS_CX_PROFILE + "/extensions/module-version"
#: The published version number of the course the learner is pinned to.
EXT_COURSE_VERSION = LMS_CX_PROFILE + "/extensions/course-version"
#: The number of the quiz attempt (1, 2, ...) within the registration.
EXT_ATTEMPT = LMS_CX_PROFILE + "/extensions/attempt"
#: The pass mark (0 to 1) the attempt was held to.
EXT_MASTERY_SCORE = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
#: How the attempt ended: ``submitted`` or ``expired`` (the time limit ran out).
EXT_ATTEMPT_ENDING = LMS_CX_PROFILE + "/extensions/attempt-ending"
#: The verification code of the certificate a course completion issued.
EXT_CERTIFICATE = LMS_CX_PROFILE + "/extensions/certificate"
