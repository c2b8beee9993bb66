"""Every IRI lms_cx writes into xAPI statements, and nothing else."""

from __future__ import annotations

#: The specification version this LRS implements and stamps on statements.
XAPI_VERSION = "1.0.3"
