"""Create every lms_cx table.

Hand-reviewed after autogenerate: runs on SQLite and PostgreSQL, imports nothing from
lms_cx (aware datetimes are plain ``DateTime(timezone=True)`` here), seeds no data.

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 09:28:46.148613
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('lms_cx_activity',
    sa.Column('activity_id', sa.String(length=500), nullable=False),
    sa.Column('definition', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('activity_id', name=op.f('pk_lms_cx_activity'))
    )
    op.create_table('lms_cx_activity_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.String(length=500), nullable=False),
    sa.Column('profile_id', sa.String(length=500), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('content_type', sa.String(length=255), nullable=False),
    sa.Column('etag', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_activity_profile')),
    sa.UniqueConstraint('activity_id', 'profile_id', name='uq_lms_cx_activity_profile_key')
    )
    op.create_table('lms_cx_agent_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_ifi', sa.String(length=500), nullable=False),
    sa.Column('profile_id', sa.String(length=500), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('content_type', sa.String(length=255), nullable=False),
    sa.Column('etag', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_agent_profile')),
    sa.UniqueConstraint('agent_ifi', 'profile_id', name='uq_lms_cx_agent_profile_key')
    )
    op.create_table('lms_cx_attachment',
    sa.Column('sha2', sa.String(length=128), nullable=False),
    sa.Column('content_type', sa.String(length=255), nullable=False),
    sa.Column('length', sa.BigInteger(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha2', name=op.f('pk_lms_cx_attachment'))
    )
    op.create_table('lms_cx_course',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('title', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('description', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('default_locale', sa.String(length=10), nullable=False),
    sa.Column('lifecycle_stage', sa.String(length=20), nullable=False),
    sa.Column('certificate_valid_days', sa.Integer(), nullable=True),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("lifecycle_stage IN ('onboarding', 'ongoing')", name=op.f('ck_lms_cx_course_stage')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_course')),
    sa.UniqueConstraint('slug', name=op.f('uq_lms_cx_course_slug'))
    )
    op.create_table('lms_cx_lrs_credential',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('secret_hash', sa.String(length=300), nullable=False),
    sa.Column('scopes', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('authority', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_lrs_credential')),
    sa.UniqueConstraint('key', name=op.f('uq_lms_cx_lrs_credential_key'))
    )
    op.create_table('lms_cx_organisation_setting',
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('value', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_lms_cx_organisation_setting'))
    )
    op.create_table('lms_cx_persona',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('name', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('segment', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('summary', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('goals', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('frustrations', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('typical_phrases', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('good_looks_like', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('default_locale', sa.String(length=10), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_persona')),
    sa.UniqueConstraint('slug', name=op.f('uq_lms_cx_persona_slug'))
    )
    op.create_table('lms_cx_question_bank',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('title', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('shuffle_questions', sa.Boolean(), nullable=False),
    sa.Column('shuffle_options', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('default_locale', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source IN ('yaml', 'gift', 'web')", name=op.f('ck_lms_cx_question_bank_source')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_question_bank')),
    sa.UniqueConstraint('slug', name=op.f('uq_lms_cx_question_bank_slug'))
    )
    op.create_table('lms_cx_state_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.String(length=500), nullable=False),
    sa.Column('agent_ifi', sa.String(length=500), nullable=False),
    sa.Column('registration', sa.String(length=36), server_default='', nullable=False),
    sa.Column('state_id', sa.String(length=500), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('content_type', sa.String(length=255), nullable=False),
    sa.Column('etag', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_state_document')),
    sa.UniqueConstraint('activity_id', 'agent_ifi', 'registration', 'state_id', name='uq_lms_cx_state_document_key')
    )
    op.create_table('lms_cx_team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=120), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['lms_cx_team.id'], name=op.f('fk_lms_cx_team_parent_id_lms_cx_team'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_team')),
    sa.UniqueConstraint('external_id', name=op.f('uq_lms_cx_team_external_id'))
    )
    op.create_index(op.f('ix_lms_cx_team_parent_id'), 'lms_cx_team', ['parent_id'], unique=False)
    op.create_table('lms_cx_track',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('title', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('description', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_builtin', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_track')),
    sa.UniqueConstraint('code', name=op.f('uq_lms_cx_track_code'))
    )
    op.create_table('lms_cx_webhook',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('secret', sa.String(length=200), nullable=False),
    sa.Column('event', sa.String(length=100), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_webhook'))
    )
    op.create_table('lms_cx_employee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=120), nullable=True),
    sa.Column('host_user_id', sa.String(length=200), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=True),
    sa.Column('time_zone', sa.String(length=64), nullable=True),
    sa.Column('hire_date', sa.Date(), nullable=True),
    sa.Column('job_role', sa.String(length=120), nullable=True),
    sa.Column('location', sa.String(length=120), nullable=True),
    sa.Column('attributes', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('password_hash', sa.String(length=300), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['lms_cx_team.id'], name=op.f('fk_lms_cx_employee_team_id_lms_cx_team'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_employee')),
    sa.UniqueConstraint('email', name=op.f('uq_lms_cx_employee_email')),
    sa.UniqueConstraint('external_id', name=op.f('uq_lms_cx_employee_external_id')),
    sa.UniqueConstraint('host_user_id', name=op.f('uq_lms_cx_employee_host_user_id'))
    )
    op.create_index(op.f('ix_lms_cx_employee_team_id'), 'lms_cx_employee', ['team_id'], unique=False)
    op.create_table('lms_cx_keyword_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('keyword', sa.String(length=200), nullable=False),
    sa.Column('track_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['track_id'], ['lms_cx_track.id'], name=op.f('fk_lms_cx_keyword_rule_track_id_lms_cx_track'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_keyword_rule')),
    sa.UniqueConstraint('locale', 'keyword', 'track_id', name='uq_lms_cx_keyword_rule_key')
    )
    op.create_index(op.f('ix_lms_cx_keyword_rule_track_id'), 'lms_cx_keyword_rule', ['track_id'], unique=False)
    op.create_table('lms_cx_module',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('track_id', sa.Integer(), nullable=False),
    sa.Column('lifecycle_stage', sa.String(length=20), nullable=False),
    sa.Column('title', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('description', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('estimated_minutes', sa.Integer(), nullable=True),
    sa.Column('question_bank_id', sa.Integer(), nullable=True),
    sa.Column('attempts_limit', sa.Integer(), nullable=True),
    sa.Column('time_limit_minutes', sa.Integer(), nullable=True),
    sa.Column('feedback_mode', sa.String(length=20), nullable=False),
    sa.Column('default_locale', sa.String(length=10), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("feedback_mode IN ('immediate', 'end')", name=op.f('ck_lms_cx_module_feedback_mode')),
    sa.CheckConstraint("lifecycle_stage IN ('onboarding', 'ongoing')", name=op.f('ck_lms_cx_module_stage')),
    sa.ForeignKeyConstraint(['question_bank_id'], ['lms_cx_question_bank.id'], name=op.f('fk_lms_cx_module_question_bank_id_lms_cx_question_bank'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['track_id'], ['lms_cx_track.id'], name=op.f('fk_lms_cx_module_track_id_lms_cx_track')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_module')),
    sa.UniqueConstraint('slug', name=op.f('uq_lms_cx_module_slug'))
    )
    op.create_index(op.f('ix_lms_cx_module_question_bank_id'), 'lms_cx_module', ['question_bank_id'], unique=False)
    op.create_index(op.f('ix_lms_cx_module_track_id'), 'lms_cx_module', ['track_id'], unique=False)
    op.create_table('lms_cx_question_pool',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('draw_count', sa.Integer(), nullable=False),
    sa.CheckConstraint('draw_count >= 1', name=op.f('ck_lms_cx_question_pool_draw_count')),
    sa.ForeignKeyConstraint(['bank_id'], ['lms_cx_question_bank.id'], name=op.f('fk_lms_cx_question_pool_bank_id_lms_cx_question_bank'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_question_pool')),
    sa.UniqueConstraint('bank_id', 'slug', name=op.f('uq_lms_cx_question_pool_bank_id_slug'))
    )
    op.create_table('lms_cx_statement',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('statement_id', sa.Uuid(), nullable=False),
    sa.Column('raw', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('stored', sa.DateTime(timezone=True), nullable=False),
    sa.Column('timestamp', sa.DateTime(timezone=True), nullable=False),
    sa.Column('verb_id', sa.String(length=500), nullable=False),
    sa.Column('actor_ifi', sa.String(length=500), nullable=False),
    sa.Column('object_type', sa.String(length=20), nullable=False),
    sa.Column('object_id', sa.String(length=500), nullable=False),
    sa.Column('registration', sa.Uuid(), nullable=True),
    sa.Column('voided', sa.Boolean(), nullable=False),
    sa.Column('voided_by', sa.Uuid(), nullable=True),
    sa.Column('voids_statement_id', sa.Uuid(), nullable=True),
    sa.Column('authority_ifi', sa.String(length=500), nullable=True),
    sa.Column('credential_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['credential_id'], ['lms_cx_lrs_credential.id'], name=op.f('fk_lms_cx_statement_credential_id_lms_cx_lrs_credential'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_lms_cx_statement')),
    sa.UniqueConstraint('statement_id', name=op.f('uq_lms_cx_statement_statement_id'))
    )
    op.create_index('ix_lms_cx_statement_actor_verb_stored', 'lms_cx_statement', ['actor_ifi', 'verb_id', 'stored'], unique=False)
    op.create_index('ix_lms_cx_statement_object_stored', 'lms_cx_statement', ['object_id', 'stored'], unique=False)
    op.create_index('ix_lms_cx_statement_registration_stored', 'lms_cx_statement', ['registration', 'stored'], unique=False)
    op.create_index(op.f('ix_lms_cx_statement_stored'), 'lms_cx_statement', ['stored'], unique=False)
    op.create_index('ix_lms_cx_statement_verb_stored', 'lms_cx_statement', ['verb_id', 'stored'], unique=False)
    op.create_index(op.f('ix_lms_cx_statement_voids_statement_id'), 'lms_cx_statement', ['voids_statement_id'], unique=False)
    op.create_table('lms_cx_tag_track_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=100), nullable=False),
    sa.Column('track_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['track_id'], ['lms_cx_track.id'], name=op.f('fk_lms_cx_tag_track_mapping_track_id_lms_cx_track'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_tag_track_mapping')),
    sa.UniqueConstraint('tag', name=op.f('uq_lms_cx_tag_track_mapping_tag'))
    )
    op.create_index(op.f('ix_lms_cx_tag_track_mapping_track_id'), 'lms_cx_tag_track_mapping', ['track_id'], unique=False)
    op.create_table('lms_cx_webhook_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('webhook_id', sa.Integer(), nullable=False),
    sa.Column('event', sa.String(length=100), nullable=False),
    sa.Column('payload_key', sa.String(length=200), nullable=False),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'delivered', 'dead')", name=op.f('ck_lms_cx_webhook_delivery_status')),
    sa.ForeignKeyConstraint(['webhook_id'], ['lms_cx_webhook.id'], name=op.f('fk_lms_cx_webhook_delivery_webhook_id_lms_cx_webhook'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_webhook_delivery')),
    sa.UniqueConstraint('webhook_id', 'payload_key', name=op.f('uq_lms_cx_webhook_delivery_webhook_id_payload_key'))
    )
    op.create_index('ix_lms_cx_webhook_delivery_due', 'lms_cx_webhook_delivery', ['status', 'next_attempt_at'], unique=False)
    op.create_table('lms_cx_api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('token_hash', sa.String(length=128), nullable=False),
    sa.Column('scopes', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['lms_cx_employee.id'], name=op.f('fk_lms_cx_api_token_created_by_id_lms_cx_employee'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_lms_cx_api_token_token_hash'))
    )
    op.create_table('lms_cx_assignment_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('criteria', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('module_id', sa.Integer(), nullable=True),
    sa.Column('trigger', sa.String(length=30), nullable=False),
    sa.Column('offset_days', sa.Integer(), nullable=True),
    sa.Column('due_in_days', sa.Integer(), nullable=True),
    sa.Column('window_days', sa.Integer(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("trigger IN ('on_hire', 'day_n', 'on_change', 'every_n_days', 'certificate_expiry')", name=op.f('ck_lms_cx_assignment_rule_trigger')),
    sa.CheckConstraint('course_id IS NOT NULL OR module_id IS NOT NULL', name=op.f('ck_lms_cx_assignment_rule_course_or_module')),
    sa.ForeignKeyConstraint(['course_id'], ['lms_cx_course.id'], name=op.f('fk_lms_cx_assignment_rule_course_id_lms_cx_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['lms_cx_employee.id'], name=op.f('fk_lms_cx_assignment_rule_created_by_id_lms_cx_employee'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['module_id'], ['lms_cx_module.id'], name=op.f('fk_lms_cx_assignment_rule_module_id_lms_cx_module'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_assignment_rule'))
    )
    op.create_index(op.f('ix_lms_cx_assignment_rule_course_id'), 'lms_cx_assignment_rule', ['course_id'], unique=False)
    op.create_index(op.f('ix_lms_cx_assignment_rule_module_id'), 'lms_cx_assignment_rule', ['module_id'], unique=False)
    op.create_table('lms_cx_course_module',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('move_on', sa.String(length=20), nullable=False),
    sa.Column('mastery_score', sa.Double(), nullable=True),
    sa.CheckConstraint("move_on IN ('Passed', 'Completed', 'CompletedAndPassed', 'CompletedOrPassed', 'NotApplicable')", name=op.f('ck_lms_cx_course_module_move_on')),
    sa.ForeignKeyConstraint(['course_id'], ['lms_cx_course.id'], name=op.f('fk_lms_cx_course_module_course_id_lms_cx_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_id'], ['lms_cx_module.id'], name=op.f('fk_lms_cx_course_module_module_id_lms_cx_module'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_course_module')),
    sa.UniqueConstraint('course_id', 'module_id', name=op.f('uq_lms_cx_course_module_course_id_module_id'))
    )
    op.create_index(op.f('ix_lms_cx_course_module_module_id'), 'lms_cx_course_module', ['module_id'], unique=False)
    op.create_table('lms_cx_course_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('snapshot', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('change_summary', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('version >= 1', name=op.f('ck_lms_cx_course_version_version')),
    sa.ForeignKeyConstraint(['course_id'], ['lms_cx_course.id'], name=op.f('fk_lms_cx_course_version_course_id_lms_cx_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['lms_cx_employee.id'], name=op.f('fk_lms_cx_course_version_published_by_id_lms_cx_employee'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_course_version')),
    sa.UniqueConstraint('course_id', 'version', name=op.f('uq_lms_cx_course_version_course_id_version'))
    )
    op.create_table('lms_cx_employee_role',
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.CheckConstraint("role IN ('learner', 'trainer', 'manager', 'admin')", name=op.f('ck_lms_cx_employee_role_known_role')),
    sa.ForeignKeyConstraint(['employee_id'], ['lms_cx_employee.id'], name=op.f('fk_lms_cx_employee_role_employee_id_lms_cx_employee'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('employee_id', 'role', name=op.f('pk_lms_cx_employee_role'))
    )
    op.create_table('lms_cx_feedback_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=300), nullable=True),
    sa.Column('source', sa.String(length=60), nullable=False),
    sa.Column('rows_total', sa.Integer(), nullable=False),
    sa.Column('created_count', sa.Integer(), nullable=False),
    sa.Column('updated_count', sa.Integer(), nullable=False),
    sa.Column('skipped_count', sa.Integer(), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['imported_by_id'], ['lms_cx_employee.id'], name=op.f('fk_lms_cx_feedback_import_imported_by_id_lms_cx_employee'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_feedback_import'))
    )
    op.create_table('lms_cx_lesson',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('body', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['module_id'], ['lms_cx_module.id'], name=op.f('fk_lms_cx_lesson_module_id_lms_cx_module'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_lesson')),
    sa.UniqueConstraint('module_id', 'slug', name=op.f('uq_lms_cx_lesson_module_id_slug'))
    )
    op.create_table('lms_cx_module_persona',
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('persona_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['module_id'], ['lms_cx_module.id'], name=op.f('fk_lms_cx_module_persona_module_id_lms_cx_module'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['persona_id'], ['lms_cx_persona.id'], name=op.f('fk_lms_cx_module_persona_persona_id_lms_cx_persona'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('module_id', 'persona_id', name=op.f('pk_lms_cx_module_persona'))
    )
    op.create_index(op.f('ix_lms_cx_module_persona_persona_id'), 'lms_cx_module_persona', ['persona_id'], unique=False)
    op.create_table('lms_cx_module_prerequisite',
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('requires_module_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('module_id <> requires_module_id', name=op.f('ck_lms_cx_module_prerequisite_not_self')),
    sa.ForeignKeyConstraint(['course_id'], ['lms_cx_course.id'], name=op.f('fk_lms_cx_module_prerequisite_course_id_lms_cx_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_id'], ['lms_cx_module.id'], name=op.f('fk_lms_cx_module_prerequisite_module_id_lms_cx_module'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requires_module_id'], ['lms_cx_module.id'], name=op.f('fk_lms_cx_module_prerequisite_requires_module_id_lms_cx_module'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('course_id', 'module_id', 'requires_module_id', name=op.f('pk_lms_cx_module_prerequisite'))
    )
    op.create_table('lms_cx_module_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('snapshot', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('change_summary', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('version >= 1', name=op.f('ck_lms_cx_module_version_version')),
    sa.ForeignKeyConstraint(['module_id'], ['lms_cx_module.id'], name=op.f('fk_lms_cx_module_version_module_id_lms_cx_module'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['lms_cx_employee.id'], name=op.f('fk_lms_cx_module_version_published_by_id_lms_cx_employee'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_module_version')),
    sa.UniqueConstraint('module_id', 'version', name=op.f('uq_lms_cx_module_version_module_id_version'))
    )
    op.create_table('lms_cx_notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=True),
    sa.Column('dedupe_key', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['employee_id'], ['lms_cx_employee.id'], name=op.f('fk_lms_cx_notification_employee_id_lms_cx_employee'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_notification')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_lms_cx_notification_dedupe_key'))
    )
    op.create_index('ix_lms_cx_notification_employee_created', 'lms_cx_notification', ['employee_id', 'created_at'], unique=False)
    op.create_table('lms_cx_outbox_item',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('statement_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('statement_id', sa.Uuid(), nullable=False),
    sa.Column('destination', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'delivered', 'dead')", name=op.f('ck_lms_cx_outbox_item_status')),
    sa.ForeignKeyConstraint(['statement_seq'], ['lms_cx_statement.seq'], name=op.f('fk_lms_cx_outbox_item_statement_seq_lms_cx_statement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_outbox_item')),
    sa.UniqueConstraint('statement_id', 'destination', name=op.f('uq_lms_cx_outbox_item_statement_id_destination'))
    )
    op.create_index('ix_lms_cx_outbox_item_due', 'lms_cx_outbox_item', ['status', 'destination', 'next_attempt_at'], unique=False)
    op.create_index(op.f('ix_lms_cx_outbox_item_statement_seq'), 'lms_cx_outbox_item', ['statement_seq'], unique=False)
    op.create_table('lms_cx_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration', sa.String(length=36), server_default='', nullable=False),
    sa.Column('actor_ifi', sa.String(length=500), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=True),
    sa.Column('activity_id', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('completion', sa.Boolean(), nullable=True),
    sa.Column('success', sa.Boolean(), nullable=True),
    sa.Column('best_score_scaled', sa.Double(), nullable=True),
    sa.Column('last_score_scaled', sa.Double(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('first_activity_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_activity_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('passed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_statement_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['employee_id'], ['lms_cx_employee.id'], name=op.f('fk_lms_cx_progress_employee_id_lms_cx_employee'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_progress')),
    sa.UniqueConstraint('registration', 'actor_ifi', 'activity_id', name='uq_lms_cx_progress_key')
    )
    op.create_index('ix_lms_cx_progress_employee_activity', 'lms_cx_progress', ['employee_id', 'activity_id'], unique=False)
    op.create_table('lms_cx_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('pool_id', sa.Integer(), nullable=True),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=30), nullable=False),
    sa.Column('prompt', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('explanation', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('persona_id', sa.Integer(), nullable=True),
    sa.Column('weight', sa.Double(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("type IN ('single_choice', 'multiple_choice', 'true_false', 'ordering', 'scenario', 'short_answer', 'matching', 'numerical')", name=op.f('ck_lms_cx_question_type')),
    sa.CheckConstraint('weight >= 0', name=op.f('ck_lms_cx_question_weight')),
    sa.ForeignKeyConstraint(['bank_id'], ['lms_cx_question_bank.id'], name=op.f('fk_lms_cx_question_bank_id_lms_cx_question_bank'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['persona_id'], ['lms_cx_persona.id'], name=op.f('fk_lms_cx_question_persona_id_lms_cx_persona'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pool_id'], ['lms_cx_question_pool.id'], name=op.f('fk_lms_cx_question_pool_id_lms_cx_question_pool'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_question')),
    sa.UniqueConstraint('bank_id', 'slug', name=op.f('uq_lms_cx_question_bank_id_slug'))
    )
    op.create_index(op.f('ix_lms_cx_question_persona_id'), 'lms_cx_question', ['persona_id'], unique=False)
    op.create_index(op.f('ix_lms_cx_question_pool_id'), 'lms_cx_question', ['pool_id'], unique=False)
    op.create_table('lms_cx_remedial_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('track_id', sa.Integer(), nullable=False),
    sa.Column('min_negative_items', sa.Integer(), nullable=False),
    sa.Column('window_days', sa.Integer(), nullable=False),
    sa.Column('csat_max', sa.Integer(), nullable=True),
    sa.Column('nps_max', sa.Integer(), nullable=True),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('module_id', sa.Integer(), nullable=True),
    sa.Column('due_in_days', sa.Integer(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('course_id IS NOT NULL OR module_id IS NOT NULL', name=op.f('ck_lms_cx_remedial_rule_course_or_module')),
    sa.CheckConstraint('min_negative_items >= 1', name=op.f('ck_lms_cx_remedial_rule_min_negative_items')),
    sa.ForeignKeyConstraint(['course_id'], ['lms_cx_course.id'], name=op.f('fk_lms_cx_remedial_rule_course_id_lms_cx_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_id'], ['lms_cx_module.id'], name=op.f('fk_lms_cx_remedial_rule_module_id_lms_cx_module'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['track_id'], ['lms_cx_track.id'], name=op.f('fk_lms_cx_remedial_rule_track_id_lms_cx_track'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_remedial_rule'))
    )
    op.create_index(op.f('ix_lms_cx_remedial_rule_track_id'), 'lms_cx_remedial_rule', ['track_id'], unique=False)
    op.create_table('lms_cx_review_cycle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('population', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('previous_cycle_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'open', 'closed')", name=op.f('ck_lms_cx_review_cycle_status')),
    sa.CheckConstraint('period_end >= period_start', name=op.f('ck_lms_cx_review_cycle_period')),
    sa.ForeignKeyConstraint(['created_by_id'], ['lms_cx_employee.id'], name=op.f('fk_lms_cx_review_cycle_created_by_id_lms_cx_employee'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['previous_cycle_id'], ['lms_cx_review_cycle.id'], name=op.f('fk_lms_cx_review_cycle_previous_cycle_id_lms_cx_review_cycle'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_review_cycle'))
    )
    op.create_table('lms_cx_statement_activity',
    sa.Column('statement_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('activity_id', sa.String(length=500), nullable=False),
    sa.Column('relation', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['statement_seq'], ['lms_cx_statement.seq'], name=op.f('fk_lms_cx_statement_activity_statement_seq_lms_cx_statement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('statement_seq', 'activity_id', 'relation', name=op.f('pk_lms_cx_statement_activity'))
    )
    op.create_index('ix_lms_cx_statement_activity_activity_seq', 'lms_cx_statement_activity', ['activity_id', 'statement_seq'], unique=False)
    op.create_table('lms_cx_statement_agent',
    sa.Column('statement_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('agent_ifi', sa.String(length=500), nullable=False),
    sa.Column('relation', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['statement_seq'], ['lms_cx_statement.seq'], name=op.f('fk_lms_cx_statement_agent_statement_seq_lms_cx_statement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('statement_seq', 'agent_ifi', 'relation', name=op.f('pk_lms_cx_statement_agent'))
    )
    op.create_index('ix_lms_cx_statement_agent_agent_seq', 'lms_cx_statement_agent', ['agent_ifi', 'statement_seq'], unique=False)
    op.create_table('lms_cx_team_manager',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['lms_cx_employee.id'], name=op.f('fk_lms_cx_team_manager_employee_id_lms_cx_employee'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['lms_cx_team.id'], name=op.f('fk_lms_cx_team_manager_team_id_lms_cx_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('team_id', 'employee_id', name=op.f('pk_lms_cx_team_manager'))
    )
    op.create_index(op.f('ix_lms_cx_team_manager_employee_id'), 'lms_cx_team_manager', ['employee_id'], unique=False)
    op.create_table('lms_cx_assignment',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('module_id', sa.Integer(), nullable=True),
    sa.Column('course_version_id', sa.Integer(), nullable=True),
    sa.Column('module_version_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('reason_data', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=True),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.CheckConstraint("source IN ('manual', 'rule', 'remedial', 'self', 'onboarding', 'recertification')", name=op.f('ck_lms_cx_assignment_source')),
    sa.CheckConstraint("state IN ('open', 'completed', 'cancelled')", name=op.f('ck_lms_cx_assignment_state')),
    sa.CheckConstraint('course_id IS NOT NULL OR module_id IS NOT NULL', name=op.f('ck_lms_cx_assignment_course_or_module')),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['lms_cx_employee.id'], name=op.f('fk_lms_cx_assignment_assigned_by_id_lms_cx_employee'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['course_id'], ['lms_cx_course.id'], name=op.f('fk_lms_cx_assignment_course_id_lms_cx_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['course_version_id'], ['lms_cx_course_version.id'], name=op.f('fk_lms_cx_assignment_course_version_id_lms_cx_course_version')),
    sa.ForeignKeyConstraint(['employee_id'], ['lms_cx_employee.id'], name=op.f('fk_lms_cx_assignment_employee_id_lms_cx_employee'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_id'], ['lms_cx_module.id'], name=op.f('fk_lms_cx_assignment_module_id_lms_cx_module'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_version_id'], ['lms_cx_module_version.id'], name=op.f('fk_lms_cx_assignment_module_version_id_lms_cx_module_version')),
    sa.ForeignKeyConstraint(['rule_id'], ['lms_cx_assignment_rule.id'], name=op.f('fk_lms_cx_assignment_rule_id_lms_cx_assignment_rule'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_assignment'))
    )
    op.create_index(op.f('ix_lms_cx_assignment_course_id'), 'lms_cx_assignment', ['course_id'], unique=False)
    op.create_index(op.f('ix_lms_cx_assignment_due_at'), 'lms_cx_assignment', ['due_at'], unique=False)
    op.create_index('ix_lms_cx_assignment_employee_state', 'lms_cx_assignment', ['employee_id', 'state'], unique=False)
    op.create_index(op.f('ix_lms_cx_assignment_module_id'), 'lms_cx_assignment', ['module_id'], unique=False)
    op.create_index(op.f('ix_lms_cx_assignment_rule_id'), 'lms_cx_assignment', ['rule_id'], unique=False)
    op.create_table('lms_cx_feedback_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('channel', sa.String(length=40), nullable=True),
    sa.Column('csat', sa.Integer(), nullable=True),
    sa.Column('nps', sa.Integer(), nullable=True),
    sa.Column('ces', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=10), nullable=True),
    sa.Column('tags', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('source', sa.String(length=60), server_default='manual', nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=True),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ces IS NULL OR ces BETWEEN 1 AND 7', name=op.f('ck_lms_cx_feedback_item_ces')),
    sa.CheckConstraint('csat IS NULL OR csat BETWEEN 1 AND 5', name=op.f('ck_lms_cx_feedback_item_csat')),
    sa.CheckConstraint('nps IS NULL OR nps BETWEEN 0 AND 10', name=op.f('ck_lms_cx_feedback_item_nps')),
    sa.ForeignKeyConstraint(['employee_id'], ['lms_cx_employee.id'], name=op.f('fk_lms_cx_feedback_item_employee_id_lms_cx_employee'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['import_id'], ['lms_cx_feedback_import.id'], name=op.f('fk_lms_cx_feedback_item_import_id_lms_cx_feedback_import'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_feedback_item')),
    sa.UniqueConstraint('source', 'external_id', name=op.f('uq_lms_cx_feedback_item_source_external_id'))
    )
    op.create_index('ix_lms_cx_feedback_item_employee_occurred', 'lms_cx_feedback_item', ['employee_id', 'occurred_at'], unique=False)
    op.create_index(op.f('ix_lms_cx_feedback_item_import_id'), 'lms_cx_feedback_item', ['import_id'], unique=False)
    op.create_table('lms_cx_review_packet',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('readiness_index', sa.Double(), nullable=True),
    sa.Column('generated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finalized_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('employee_comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['cycle_id'], ['lms_cx_review_cycle.id'], name=op.f('fk_lms_cx_review_packet_cycle_id_lms_cx_review_cycle'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['employee_id'], ['lms_cx_employee.id'], name=op.f('fk_lms_cx_review_packet_employee_id_lms_cx_employee'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_review_packet')),
    sa.UniqueConstraint('cycle_id', 'employee_id', name=op.f('uq_lms_cx_review_packet_cycle_id_employee_id'))
    )
    op.create_index(op.f('ix_lms_cx_review_packet_employee_id'), 'lms_cx_review_packet', ['employee_id'], unique=False)
    op.create_table('lms_cx_assignment_feedback_item',
    sa.Column('assignment_id', sa.Uuid(), nullable=False),
    sa.Column('feedback_item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['lms_cx_assignment.id'], name='fk_lms_cx_assignment_feedback_item_assignment', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['feedback_item_id'], ['lms_cx_feedback_item.id'], name='fk_lms_cx_assignment_feedback_item_feedback_item', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assignment_id', 'feedback_item_id', name=op.f('pk_lms_cx_assignment_feedback_item'))
    )
    op.create_index(op.f('ix_lms_cx_assignment_feedback_item_feedback_item_id'), 'lms_cx_assignment_feedback_item', ['feedback_item_id'], unique=False)
    op.create_table('lms_cx_certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('course_version_id', sa.Integer(), nullable=True),
    sa.Column('assignment_id', sa.Uuid(), nullable=True),
    sa.Column('verification_code', sa.String(length=40), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('score_scaled', sa.Double(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['lms_cx_assignment.id'], name=op.f('fk_lms_cx_certificate_assignment_id_lms_cx_assignment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['course_id'], ['lms_cx_course.id'], name=op.f('fk_lms_cx_certificate_course_id_lms_cx_course')),
    sa.ForeignKeyConstraint(['course_version_id'], ['lms_cx_course_version.id'], name=op.f('fk_lms_cx_certificate_course_version_id_lms_cx_course_version')),
    sa.ForeignKeyConstraint(['employee_id'], ['lms_cx_employee.id'], name=op.f('fk_lms_cx_certificate_employee_id_lms_cx_employee'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['lms_cx_certificate.id'], name=op.f('fk_lms_cx_certificate_superseded_by_id_lms_cx_certificate'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_certificate')),
    sa.UniqueConstraint('verification_code', name=op.f('uq_lms_cx_certificate_verification_code'))
    )
    op.create_index(op.f('ix_lms_cx_certificate_assignment_id'), 'lms_cx_certificate', ['assignment_id'], unique=False)
    op.create_index(op.f('ix_lms_cx_certificate_course_id'), 'lms_cx_certificate', ['course_id'], unique=False)
    op.create_index('ix_lms_cx_certificate_employee_course', 'lms_cx_certificate', ['employee_id', 'course_id'], unique=False)
    op.create_index(op.f('ix_lms_cx_certificate_expires_at'), 'lms_cx_certificate', ['expires_at'], unique=False)
    op.create_table('lms_cx_feedback_theme',
    sa.Column('feedback_item_id', sa.Integer(), nullable=False),
    sa.Column('track_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['feedback_item_id'], ['lms_cx_feedback_item.id'], name=op.f('fk_lms_cx_feedback_theme_feedback_item_id_lms_cx_feedback_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['track_id'], ['lms_cx_track.id'], name=op.f('fk_lms_cx_feedback_theme_track_id_lms_cx_track'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('feedback_item_id', 'track_id', name=op.f('pk_lms_cx_feedback_theme'))
    )
    op.create_index(op.f('ix_lms_cx_feedback_theme_track_id'), 'lms_cx_feedback_theme', ['track_id'], unique=False)
    op.create_table('lms_cx_quiz_attempt',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('assignment_id', sa.Uuid(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('module_version_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('drawn', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('score_raw', sa.Double(), nullable=True),
    sa.Column('score_max', sa.Double(), nullable=True),
    sa.Column('score_scaled', sa.Double(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('submission_key', sa.String(length=100), nullable=True),
    sa.CheckConstraint("status IN ('in_progress', 'submitted', 'expired')", name=op.f('ck_lms_cx_quiz_attempt_status')),
    sa.CheckConstraint('number >= 1', name=op.f('ck_lms_cx_quiz_attempt_number')),
    sa.ForeignKeyConstraint(['assignment_id'], ['lms_cx_assignment.id'], name=op.f('fk_lms_cx_quiz_attempt_assignment_id_lms_cx_assignment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['employee_id'], ['lms_cx_employee.id'], name=op.f('fk_lms_cx_quiz_attempt_employee_id_lms_cx_employee'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_id'], ['lms_cx_module.id'], name=op.f('fk_lms_cx_quiz_attempt_module_id_lms_cx_module')),
    sa.ForeignKeyConstraint(['module_version_id'], ['lms_cx_module_version.id'], name=op.f('fk_lms_cx_quiz_attempt_module_version_id_lms_cx_module_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_quiz_attempt')),
    sa.UniqueConstraint('assignment_id', 'module_id', 'number', name=op.f('uq_lms_cx_quiz_attempt_assignment_id_module_id_number')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_lms_cx_quiz_attempt_submission_key'))
    )
    op.create_index(op.f('ix_lms_cx_quiz_attempt_employee_id'), 'lms_cx_quiz_attempt', ['employee_id'], unique=False)
    op.create_index(op.f('ix_lms_cx_quiz_attempt_module_id'), 'lms_cx_quiz_attempt', ['module_id'], unique=False)
    op.create_index(op.f('ix_lms_cx_quiz_attempt_module_version_id'), 'lms_cx_quiz_attempt', ['module_version_id'], unique=False)
    op.create_table('lms_cx_review_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('packet_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['lms_cx_employee.id'], name=op.f('fk_lms_cx_review_note_author_id_lms_cx_employee'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['packet_id'], ['lms_cx_review_packet.id'], name=op.f('fk_lms_cx_review_note_packet_id_lms_cx_review_packet'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_review_note'))
    )
    op.create_index(op.f('ix_lms_cx_review_note_packet_id'), 'lms_cx_review_note', ['packet_id'], unique=False)
    op.create_table('lms_cx_quiz_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Uuid(), nullable=False),
    sa.Column('question_key', sa.String(length=250), nullable=False),
    sa.Column('response', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('score', sa.Double(), nullable=True),
    sa.Column('max_score', sa.Double(), nullable=True),
    sa.Column('correct', sa.Boolean(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['lms_cx_quiz_attempt.id'], name=op.f('fk_lms_cx_quiz_response_attempt_id_lms_cx_quiz_attempt'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_cx_quiz_response')),
    sa.UniqueConstraint('attempt_id', 'question_key', name=op.f('uq_lms_cx_quiz_response_attempt_id_question_key'))
    )


def downgrade() -> None:
    # Children before parents; dropping a table drops its indexes with it.
    op.drop_table('lms_cx_quiz_response')
    op.drop_table('lms_cx_review_note')
    op.drop_table('lms_cx_quiz_attempt')
    op.drop_table('lms_cx_feedback_theme')
    op.drop_table('lms_cx_certificate')
    op.drop_table('lms_cx_assignment_feedback_item')
    op.drop_table('lms_cx_review_packet')
    op.drop_table('lms_cx_feedback_item')
    op.drop_table('lms_cx_assignment')
    op.drop_table('lms_cx_team_manager')
    op.drop_table('lms_cx_statement_agent')
    op.drop_table('lms_cx_statement_activity')
    op.drop_table('lms_cx_review_cycle')
    op.drop_table('lms_cx_remedial_rule')
    op.drop_table('lms_cx_question')
    op.drop_table('lms_cx_progress')
    op.drop_table('lms_cx_outbox_item')
    op.drop_table('lms_cx_notification')
    op.drop_table('lms_cx_module_version')
    op.drop_table('lms_cx_module_prerequisite')
    op.drop_table('lms_cx_module_persona')
    op.drop_table('lms_cx_lesson')
    op.drop_table('lms_cx_feedback_import')
    op.drop_table('lms_cx_employee_role')
    op.drop_table('lms_cx_course_version')
    op.drop_table('lms_cx_course_module')
    op.drop_table('lms_cx_assignment_rule')
    op.drop_table('lms_cx_api_token')
    op.drop_table('lms_cx_webhook_delivery')
    op.drop_table('lms_cx_tag_track_mapping')
    op.drop_table('lms_cx_statement')
    op.drop_table('lms_cx_question_pool')
    op.drop_table('lms_cx_module')
    op.drop_table('lms_cx_keyword_rule')
    op.drop_table('lms_cx_employee')
    op.drop_table('lms_cx_webhook')
    op.drop_table('lms_cx_track')
    op.drop_table('lms_cx_team')
    op.drop_table('lms_cx_state_document')
    op.drop_table('lms_cx_question_bank')
    op.drop_table('lms_cx_persona')
    op.drop_table('lms_cx_organisation_setting')
    op.drop_table('lms_cx_lrs_credential')
    op.drop_table('lms_cx_course')
    op.drop_table('lms_cx_attachment')
    op.drop_table('lms_cx_agent_profile')
    op.drop_table('lms_cx_activity_profile')
    op.drop_table('lms_cx_activity')
