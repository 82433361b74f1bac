package analytics

import (
	"context"
	"fmt"
)

// migrations is the schema, in order. A migration is never edited once it
// has shipped: a change is a new entry at the end. Each runs in its own
// transaction together with its row in schema_migrations.
var migrations = []string{
	// 1: the warehouse.
	`
CREATE TABLE areas (
	code     VARCHAR PRIMARY KEY,
	name     VARCHAR NOT NULL,
	name_en  VARCHAR NOT NULL,
	position INTEGER NOT NULL
);
CREATE TABLE indicators (
	code        VARCHAR PRIMARY KEY,
	area        VARCHAR NOT NULL,
	name        VARCHAR NOT NULL,
	name_en     VARCHAR NOT NULL,
	unit        VARCHAR NOT NULL,
	kind        VARCHAR NOT NULL CHECK (kind IN ('count', 'rate', 'amount')),
	polarity    VARCHAR NOT NULL CHECK (polarity IN ('higher', 'lower', 'neutral')),
	aggregate   VARCHAR NOT NULL CHECK (aggregate IN ('sum', 'ratio')),
	numerator   VARCHAR,
	denominator VARCHAR,
	position    INTEGER NOT NULL
);
CREATE TABLE orgs (
	code        VARCHAR PRIMARY KEY,
	name        VARCHAR NOT NULL,
	full_name   VARCHAR NOT NULL,
	kind        VARCHAR NOT NULL CHECK (kind IN ('province', 'city', 'district', 'bureau')),
	parent_code VARCHAR,
	bureau_type VARCHAR
);
CREATE TABLE sources (
	id           VARCHAR PRIMARY KEY, -- hex sha256 of content
	file_name    VARCHAR NOT NULL,
	title        VARCHAR,
	publisher    VARCHAR,
	publish_date DATE,
	url          VARCHAR,
	media_type   VARCHAR,
	size         BIGINT NOT NULL,
	content      BLOB,
	added_at     TIMESTAMPTZ NOT NULL
);
CREATE TABLE batches (
	id         VARCHAR PRIMARY KEY,
	created_by VARCHAR NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	method     VARCHAR NOT NULL CHECK (method IN ('upload', 'extracted', 'manual', 'sample')),
	status     VARCHAR NOT NULL CHECK (status IN ('loaded', 'rolled_back')),
	note       VARCHAR,
	total      INTEGER NOT NULL,
	new        INTEGER NOT NULL,
	updated    INTEGER NOT NULL,
	unchanged  INTEGER NOT NULL
);
-- One figure per (org, year, indicator, source): a source states a figure
-- once; several sources may state the same one (see current_observations).
-- The key is kept by LoadBatch, the only writer, which refuses duplicates
-- in a batch and merges one batch at a time; a PRIMARY KEY index would
-- double the time of a bulk load.
CREATE TABLE observations (
	org_code       VARCHAR NOT NULL,
	year           INTEGER NOT NULL CHECK (year BETWEEN 1949 AND 2100),
	indicator_code VARCHAR NOT NULL,
	source_id      VARCHAR NOT NULL,
	value          DOUBLE NOT NULL,
	unit           VARCHAR NOT NULL,
	qualifier      VARCHAR NOT NULL DEFAULT '',
	status         VARCHAR NOT NULL CHECK (status IN ('confirmed', 'pending', 'rejected')),
	method         VARCHAR NOT NULL CHECK (method IN ('upload', 'extracted', 'manual', 'sample')),
	batch_id       VARCHAR NOT NULL,
	quote          VARCHAR NOT NULL DEFAULT '',
	location       VARCHAR NOT NULL DEFAULT '',
	note           VARCHAR NOT NULL DEFAULT '',
	updated_at     TIMESTAMPTZ NOT NULL
);
-- The figure that counts for (org, year, indicator) when several sources
-- give one: only confirmed figures; then by method, an analyst's manual
-- entry before a bureau's own upload before a figure extracted from report
-- text before generated sample data; then the most recently loaded; then the
-- source id, so that the choice is always the same.
CREATE VIEW current_observations AS
SELECT *
FROM observations
WHERE status = 'confirmed'
QUALIFY row_number() OVER (
	PARTITION BY org_code, year, indicator_code
	ORDER BY CASE method WHEN 'manual' THEN 1 WHEN 'upload' THEN 2 WHEN 'extracted' THEN 3 ELSE 4 END,
	         updated_at DESC, source_id
) = 1;
`,
	// 2: published reports and the review queue of the figures read from them.
	`
-- A report read by the extractor: what it says about itself, and the org
-- and year an analyst confirmed when the text did not say.
CREATE TABLE documents (
	source_id    VARCHAR PRIMARY KEY,
	region       VARCHAR NOT NULL DEFAULT '',
	bureau       VARCHAR NOT NULL DEFAULT '',
	bureau_type  VARCHAR NOT NULL DEFAULT '',
	org_code     VARCHAR,
	year         INTEGER,
	encoding     VARCHAR NOT NULL DEFAULT '',
	meta         JSON,    -- the extractor's metadata with evidence spans
	removed      JSON,    -- spam and chrome spans left out of matching
	batch_id     VARCHAR NOT NULL,
	created_by   VARCHAR NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL
);
CREATE SEQUENCE extracted_figure_ids;
-- Every figure the extractor found, catalogued or not: the review queue.
-- An accepted figure also becomes a confirmed observation (method
-- extracted, or manual when the analyst corrected it).
CREATE TABLE extracted_figures (
	id          BIGINT PRIMARY KEY DEFAULT nextval('extracted_figure_ids'),
	source_id   VARCHAR NOT NULL,
	seq         INTEGER NOT NULL,
	indicator   VARCHAR,          -- catalogue code; NULL while uncatalogued
	label       VARCHAR NOT NULL,
	value       DOUBLE NOT NULL,
	unit        VARCHAR NOT NULL,
	qualifier   VARCHAR NOT NULL DEFAULT '',
	number      VARCHAR NOT NULL DEFAULT '',
	quote       VARCHAR NOT NULL,
	start_byte  INTEGER NOT NULL,
	end_byte    INTEGER NOT NULL,
	sentence    VARCHAR NOT NULL DEFAULT '',
	confidence  DOUBLE NOT NULL,
	status      VARCHAR NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'rejected')),
	org_code    VARCHAR,          -- set when the analyst assigns the figure to another org than the document's
	year        INTEGER,          -- likewise for the year
	decided_by  VARCHAR,
	decided_at  TIMESTAMPTZ
);
-- An analyst maps a label once; it applies to every document.
CREATE TABLE label_mappings (
	label      VARCHAR PRIMARY KEY,
	indicator  VARCHAR NOT NULL,
	created_by VARCHAR NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
);
-- Every review decision, append-only: who, when, before and after.
CREATE TABLE review_decisions (
	figure_id  BIGINT NOT NULL,
	action     VARCHAR NOT NULL CHECK (action IN ('accept', 'correct', 'reject', 'reopen', 'map_label', 'assign')),
	decided_by VARCHAR NOT NULL,
	decided_at TIMESTAMPTZ NOT NULL,
	before     JSON,
	after      JSON
);
`,
	// 3: composite-index methodologies. A methodology is saved, never
	// edited: a change is a new version of the same name, so that a
	// published ranking can always name the weights it used. A weight not
	// listed is 1 (equal weights).
	`
CREATE SEQUENCE methodology_ids START 1;
CREATE TABLE methodologies (
	id            INTEGER PRIMARY KEY DEFAULT nextval('methodology_ids'),
	name          VARCHAR NOT NULL,
	version       INTEGER NOT NULL,
	normalisation VARCHAR NOT NULL CHECK (normalisation IN ('minmax', 'percentile')),
	note          VARCHAR NOT NULL DEFAULT '',
	created_by    VARCHAR NOT NULL,
	created_at    TIMESTAMPTZ NOT NULL,
	UNIQUE (name, version)
);
CREATE TABLE methodology_weights (
	methodology_id INTEGER NOT NULL,
	kind           VARCHAR NOT NULL CHECK (kind IN ('area', 'indicator')),
	code           VARCHAR NOT NULL,
	weight         DOUBLE NOT NULL CHECK (weight >= 0 AND weight <= 100),
	PRIMARY KEY (methodology_id, kind, code)
);
`,
	// 4: the figures that count, materialised. The views filter them by
	// indicator, year and org on every page; through current_observations
	// each filter pays for the whole rule (a window over every candidate
	// with its wide provenance columns). This narrow table holds the result
	// of that rule, written in (year, indicator, org) order so that DuckDB's
	// zone maps skip most of it, and LoadBatch keeps it up to date in the
	// batch's own transaction (see refreshCurrent).
	`
CREATE TABLE current_figures (
	indicator_code VARCHAR NOT NULL,
	year           INTEGER NOT NULL,
	org_code       VARCHAR NOT NULL,
	value          DOUBLE NOT NULL,
	method         VARCHAR NOT NULL,
	source_id      VARCHAR NOT NULL
);
INSERT INTO current_figures
SELECT indicator_code, year, org_code, value, method, source_id
FROM current_observations
ORDER BY year, indicator_code, org_code;
`,
	// 5: accounts, their sessions and API tokens, and the audit log.
	`
CREATE SEQUENCE user_ids;
CREATE TABLE users (
	id            BIGINT PRIMARY KEY DEFAULT nextval('user_ids'),
	name          VARCHAR NOT NULL UNIQUE,
	display_name  VARCHAR NOT NULL DEFAULT '',
	role          VARCHAR NOT NULL CHECK (role IN ('viewer', 'reporter', 'analyst', 'admin')),
	org_code      VARCHAR,          -- a reporter's org: it sees that org and those below it
	password_hash VARCHAR NOT NULL, -- argon2id, PHC string format
	disabled      BOOLEAN NOT NULL DEFAULT false,
	created_by    VARCHAR NOT NULL,
	created_at    TIMESTAMPTZ NOT NULL,
	last_login    TIMESTAMPTZ
);
-- A signed-in browser. Only the sha256 of the cookie's value is stored, so
-- that a copy of the database does not let anyone in.
CREATE TABLE sessions (
	id_hash    VARCHAR PRIMARY KEY,
	user_id    BIGINT NOT NULL,
	csrf_token VARCHAR NOT NULL, -- the synchronizer token of this session's forms
	created_at TIMESTAMPTZ NOT NULL,
	last_seen  TIMESTAMPTZ NOT NULL,
	address    VARCHAR NOT NULL DEFAULT ''
);
-- Tokens for scripts (Authorization: Bearer), stored hashed likewise.
CREATE TABLE api_tokens (
	id_hash    VARCHAR PRIMARY KEY,
	user_id    BIGINT NOT NULL,
	label      VARCHAR NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL,
	last_used  TIMESTAMPTZ,
	revoked_at TIMESTAMPTZ
);
-- Every state change and every attempt at one, append-only: the warehouse
-- has no statement that updates or deletes a row of it.
CREATE SEQUENCE audit_ids;
CREATE TABLE audit_log (
	id          BIGINT PRIMARY KEY DEFAULT nextval('audit_ids'),
	occurred_at TIMESTAMPTZ NOT NULL,
	actor       VARCHAR NOT NULL,  -- user name; for a failed login, the name tried
	role        VARCHAR NOT NULL DEFAULT '',
	action      VARCHAR NOT NULL,
	target      VARCHAR NOT NULL DEFAULT '',
	outcome     VARCHAR NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
	status      INTEGER NOT NULL DEFAULT 0,
	detail      VARCHAR NOT NULL DEFAULT '',
	address     VARCHAR NOT NULL DEFAULT '',
	request_id  VARCHAR NOT NULL DEFAULT ''
);
`,
	// 6: imports — the file a batch came from, figures flagged for review,
	// the history of changed figures, and rollback.
	`
-- file_source_id, not source_id: queries join batches to observations
-- USING (…, source_id).
ALTER TABLE batches ADD COLUMN file_source_id VARCHAR;
ALTER TABLE batches ADD COLUMN flagged INTEGER DEFAULT 0;
ALTER TABLE batches ADD COLUMN rolled_back_by VARCHAR;
ALTER TABLE batches ADD COLUMN rolled_back_at TIMESTAMPTZ;
-- Every change a batch made to a stored figure: what it was before (old_*)
-- and what the batch made it. Who and when are the batch's. Rolling a batch
-- back restores the old values from here.
CREATE TABLE observation_history (
	batch_id       VARCHAR NOT NULL,
	org_code       VARCHAR NOT NULL,
	year           INTEGER NOT NULL,
	indicator_code VARCHAR NOT NULL,
	old_source_id  VARCHAR NOT NULL,
	old_value      DOUBLE NOT NULL,
	old_unit       VARCHAR NOT NULL,
	old_qualifier  VARCHAR NOT NULL,
	old_status     VARCHAR NOT NULL,
	old_method     VARCHAR NOT NULL,
	old_batch_id   VARCHAR NOT NULL,
	old_quote      VARCHAR NOT NULL,
	old_location   VARCHAR NOT NULL,
	old_note       VARCHAR NOT NULL,
	old_updated_at TIMESTAMPTZ NOT NULL,
	new_source_id  VARCHAR NOT NULL,
	new_value      DOUBLE NOT NULL,
	changed_by     VARCHAR NOT NULL,
	changed_at     TIMESTAMPTZ NOT NULL
);
-- Figures stored but flagged for review: more than ten times, or less than
-- a tenth of, the same bureau's figure of the previous year.
CREATE TABLE review_flags (
	batch_id       VARCHAR NOT NULL,
	org_code       VARCHAR NOT NULL,
	year           INTEGER NOT NULL,
	indicator_code VARCHAR NOT NULL,
	source_id      VARCHAR NOT NULL,
	value          DOUBLE NOT NULL,
	previous_value DOUBLE NOT NULL,
	location       VARCHAR NOT NULL,
	created_at     TIMESTAMPTZ NOT NULL
);
`,
}

// migrate applies the migrations not yet recorded in schema_migrations.
func (w *Warehouse) migrate(ctx context.Context) error {
	if _, err := w.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
	)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	var applied int
	if err := w.db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&applied); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	for i := applied; i < len(migrations); i++ {
		version := i + 1
		tx, err := w.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migration %d: %w", version, err)
		}
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", version, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version) VALUES (?)`, version); err != nil {
			tx.Rollback()
			return fmt.Errorf("record migration %d: %w", version, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("commit migration %d: %w", version, err)
		}
	}
	return nil
}

// SchemaVersion is the number of migrations applied to the file.
func (w *Warehouse) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := w.db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}
