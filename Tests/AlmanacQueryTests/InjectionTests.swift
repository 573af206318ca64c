import AlmanacQuery
import AlmanacSQLite
import Foundation
import Testing

/// SQL injection through every place a query carries user text: the text always comes back
/// as data (no rows, or the text itself) or as a normal query error, and the read model is
/// unchanged afterwards.
@Suite("SQL injection")
struct InjectionTests {
    /// Classic payloads, written as they would be typed.
    static let basePayloads: [String] = [
        "'; DROP TABLE observations; --", "\"; DROP TABLE observations; --", "' OR 1=1 --", "\" OR 1=1 --", "' OR '1'='1",
        "\" OR \"1\"=\"1", "1' OR '1'='1' /*", "') OR ('a'='a", "\") OR (\"a\"=\"a", "' UNION SELECT * FROM observations --",
        "\" UNION SELECT code, name FROM regions --", "x' UNION ALL SELECT sql FROM sqlite_master --",
        "'; ATTACH DATABASE '/tmp/evil.db' AS evil; --", "ATTACH DATABASE 'file:evil?mode=memory' AS e",
        "'; PRAGMA writable_schema = 1; --", "PRAGMA writable_schema=ON", "'; PRAGMA query_only = 0; --",
        "' || load_extension('/tmp/evil.so') || '", "load_extension('libevil')", "'; SELECT load_extension('x'); --",
        "'; DELETE FROM observations; --", "'; UPDATE observations SET value = '0'; --", "'; INSERT INTO regions VALUES (1); --",
        "'; CREATE TABLE pwned (x); --", "'; VACUUM INTO '/tmp/copy.db'; --", "'; DETACH DATABASE main; --",
        "\u{2019}; DROP TABLE observations; --", "\u{2018} OR 1=1 --", "\u{201C} OR 1=1 --", "\u{201D}; DROP TABLE series; --",
        "\u{FF07} OR 1=1 --", "\u{02BC}; DROP TABLE regions; --", "abc\u{0}'; DROP TABLE observations; --", "\u{0}",
        "\u{0}\u{0}\u{0}", "%' OR '%'='", "_", "%", "*", "?1", "?", ":name", "@x", "$1", "\\'; DROP TABLE observations; --",
        "' AND (SELECT count(*) FROM sqlite_master) > 0 --", "1; SELECT randomblob(1000000000)", "' OR zeroblob(999999999) --",
        "'||(SELECT group_concat(name) FROM sqlite_master)||'", "0x27", "char(39)", "'); DROP TABLE meta; --",
        "Thai Nguyen'; --", "Hà Nội\"; DROP TABLE indicators; --", "\n; DROP TABLE observations", "\r\n' OR 1=1",
        "\t' OR ''='", "' OR json_extract('{}', '$') IS NULL --", "';WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM r) SELECT * FROM r; --",
        "=HYPERLINK(\"http://evil\")", "+cmd|' /C calc'!A0", "-1+1", "@SUM(1+1)",
    ]

    /// At least 200 payloads: each base payload, upper-cased, behind a plausible prefix, and
    /// with a trailing comment.
    static let payloads: [String] = {
        var all: [String] = []
        for base in basePayloads {
            for variant in [base, base.uppercased(), "food" + base, base + " /* */ --"] where !all.contains(variant) {
                all.append(variant)
            }
        }
        return all
    }()

    /// The payload as a string literal of the language (the printer's quoting).
    static func literal(_ text: String) -> String { QueryPrinter.quote(text) }

    /// Queries placing `p` (a literal) wherever user text goes.
    static func positions(_ p: String) -> [(name: String, query: String, echoes: Bool)] {
        [
            ("region name", "from budget.revenue | where region = \(p)", false),
            ("region list", "from budget.revenue | where region in (\"19\", \(p))", false),
            ("region group", "from budget.revenue | where region within \(p)", false),
            ("dimension value", "from budget.revenue(measure = \(p))", false),
            ("dimension list", "from cpi.index(group in (\"food\", \(p)))", false),
            ("region name text", "from gdp.grdp_growth | where region_name = \(p) or status = \(p)", false),
            ("derived text", "from gdp.grdp_growth | where region = \"19\" | during 2021-H1 | derive note = \(p)", true),
        ]
    }

    @Test func thereAreAtLeast200Payloads() {
        #expect(Self.payloads.count >= 200)
    }

    @Test func payloadsComeBackAsDataAndTheReadModelIsIntact() throws {
        let before = try ReadModelFixture.tableCounts(Dataset.path)
        let engine = try Dataset.engine()
        var runs = 0
        for payload in Self.payloads {
            for position in Self.positions(Self.literal(payload)) {
                runs += 1
                do {
                    let result = try engine.run(position.query, format: .json)
                    if position.echoes {
                        #expect(result.values(of: "note") == [.text(payload)], "\(position.name): \(payload)")
                    } else {
                        #expect(result.rows.isEmpty, "\(position.name) returned rows for \(payload)")
                    }
                } catch let error as QueryError {
                    #expect(error.kind == .unknownName || error.kind == .lexical, "\(position.name): \(error)")
                } catch {
                    Issue.record("\(position.name) failed at run time for \(payload): \(error)")
                }
            }
        }
        #expect(runs >= 1400)
        #expect(try ReadModelFixture.tableCounts(Dataset.path) == before)
    }

    @Test func compiledSQLNeverContainsThePayload() throws {
        let engine = try Dataset.engine()
        for payload in Self.payloads where payload.count > 3 {
            let compiled = try engine.compile("from gdp.grdp_growth | where region_name = \(Self.literal(payload))")
            #expect(!compiled.sql.contains(payload))
            #expect(compiled.parameters.contains(.text(payload)))
        }
    }

    @Test func theConnectionRefusesWritesEvenIfSQLGotThrough() throws {
        let engine = try Dataset.engine()
        for statement in ["DROP TABLE observations", "ATTACH DATABASE ':memory:' AS x", "PRAGMA writable_schema = 1",
                          "SELECT load_extension('x')", "DELETE FROM observations"] {
            #expect(throws: SQLiteError.self) { try engine.database.execute(statement) }
        }
    }
}
