/// The SQLite schema of the read models, documented in docs/read-models.md.
///
/// Bump `version` whenever the schema or the meaning of a projection changes: a store
/// whose read model carries another version is rebuilt from the log (blue/green) the next
/// time it is opened.
///
/// An observation's versions are kept in two tables: the open version of a key that has a
/// value is its row of `observations` (with the version's `kind` and `recorded_at`); every
/// other version (those closed by a later one, and an open retraction) is a row of
/// `observation_history`. A first report, by far the most common event, is one row; the
/// view `observation_versions` lists both as one table.
public enum ReadModelSchema {
    public static let version = 2

    /// Month ordinal used for period arithmetic: `year * 12 + month - 1`.
    public static func monthOrdinal(year: Int, month: Int) -> Int { year * 12 + month - 1 }

    public static let statements: [String] = [
        """
        CREATE TABLE meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE indicators (
            code        TEXT PRIMARY KEY,
            family      TEXT NOT NULL,
            name        TEXT NOT NULL,
            unit        TEXT NOT NULL,
            aggregation TEXT NOT NULL,
            additive    INTEGER NOT NULL,
            definition  TEXT NOT NULL,
            seq         INTEGER NOT NULL
        )
        """,
        """
        CREATE TABLE regions (
            code          TEXT PRIMARY KEY,
            official_code TEXT NOT NULL,
            name          TEXT NOT NULL,
            ascii_name    TEXT NOT NULL,
            folded_name   TEXT NOT NULL,
            level         TEXT NOT NULL,
            parent        TEXT,
            valid_from    TEXT,
            valid_to      TEXT,
            successor     TEXT,
            definition    TEXT NOT NULL,
            seq           INTEGER NOT NULL
        )
        """,
        "CREATE INDEX regions_by_parent ON regions(parent)",
        """
        CREATE TABLE region_lineage (
            unit        TEXT NOT NULL,
            predecessor TEXT NOT NULL,
            PRIMARY KEY (unit, predecessor)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE agencies (
            id          TEXT PRIMARY KEY,
            name        TEXT NOT NULL,
            families    TEXT,
            regions     TEXT,
            public_key  TEXT,
            definition  TEXT NOT NULL,
            seq         INTEGER NOT NULL
        )
        """,
        """
        CREATE TABLE submissions (
            seq           INTEGER PRIMARY KEY,
            status        TEXT NOT NULL,
            agency        TEXT NOT NULL,
            file          TEXT NOT NULL,
            sha256        TEXT NOT NULL,
            format        TEXT,
            bytes         INTEGER NOT NULL,
            rows          INTEGER,
            reported      INTEGER,
            revised       INTEGER,
            unchanged     INTEGER,
            retracted     INTEGER,
            rejected_rows INTEGER,
            issue_count   INTEGER,
            release_date  TEXT,
            archive       TEXT,
            quarantine    TEXT,
            recorded_at   TEXT NOT NULL
        )
        """,
        "CREATE INDEX submissions_by_file ON submissions(agency, sha256)",
        """
        CREATE TABLE series (
            id        INTEGER PRIMARY KEY,
            indicator TEXT NOT NULL,
            region    TEXT NOT NULL,
            dims      TEXT NOT NULL,
            dims_json TEXT NOT NULL,
            UNIQUE (indicator, region, dims)
        )
        """,
        """
        CREATE TABLE observations (
            series_id    INTEGER NOT NULL,
            period       TEXT NOT NULL,
            first_month  INTEGER NOT NULL,
            last_month   INTEGER NOT NULL,
            value        TEXT NOT NULL,
            value_num    REAL,
            unit         TEXT NOT NULL,
            status       TEXT NOT NULL,
            submission   INTEGER NOT NULL,
            seq          INTEGER NOT NULL,
            known_from   TEXT NOT NULL,
            release_date TEXT,
            kind         TEXT NOT NULL,
            recorded_at  TEXT NOT NULL,
            PRIMARY KEY (series_id, period)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE observation_history (
            series_id    INTEGER NOT NULL,
            period       TEXT NOT NULL,
            first_month  INTEGER NOT NULL,
            last_month   INTEGER NOT NULL,
            seq_from     INTEGER NOT NULL,
            seq_to       INTEGER,
            kind         TEXT NOT NULL,
            value        TEXT,
            value_num    REAL,
            unit         TEXT NOT NULL,
            status       TEXT NOT NULL,
            submission   INTEGER NOT NULL,
            known_from   TEXT NOT NULL,
            known_to     TEXT,
            recorded_at  TEXT NOT NULL,
            PRIMARY KEY (series_id, period, seq_from)
        ) WITHOUT ROWID
        """,
        // Every version of every observation: the open one of `observations` and those of
        // `observation_history`. For people and tools; the compiler reads the two tables.
        """
        CREATE VIEW observation_versions AS
            SELECT series_id, period, first_month, last_month, seq AS seq_from, NULL AS seq_to, kind, value, value_num,
                unit, status, submission, known_from, NULL AS known_to, recorded_at
              FROM observations
            UNION ALL
            SELECT series_id, period, first_month, last_month, seq_from, seq_to, kind, value, value_num,
                unit, status, submission, known_from, known_to, recorded_at
              FROM observation_history
        """,
    ]

    /// Tables whose content makes up the read model, for digests (order is fixed).
    public static let digestTables: [(table: String, orderBy: String)] = [
        ("indicators", "code"), ("regions", "code"), ("region_lineage", "unit, predecessor"),
        ("agencies", "id"), ("submissions", "seq"), ("series", "id"),
        ("observations", "series_id, period"), ("observation_history", "series_id, period, seq_from"),
    ]
}
