import Testing
@testable import AlmanacSQLite

@Suite struct ContentDigestTests {
    @Test func fnv1aMatchesKnownVectors() {
        var digest = ContentDigest()
        #expect(digest.hex == "cbf29ce484222325")
        digest.add(byte: UInt8(ascii: "a"))
        #expect(digest.hex == "af63dc4c8601ec8c")
        #expect(digest.description == "fnv1a64:af63dc4c8601ec8c (0 rows)")
    }

    func model(insertionOrder rows: [[SQLValue]]) throws -> Database {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE obs(region TEXT COLLATE NOCASE, period TEXT, value, note BLOB)")
        let insert = try db.prepare("INSERT INTO obs VALUES (?, ?, ?, ?)")
        for row in rows { try insert.execute(row) }
        return db
    }

    static let rows: [[SQLValue]] = [
        ["VN-69", "2021-H1", 6.5, nil],
        ["vn-69", "2021-H1", 7, .blob([1, 2])],
        ["VN-HN", "2021-H1", 1.0, .blob([])],
        ["Thái Nguyên", "2021", 17_500, "x"],
    ]

    @Test func tableDigestIgnoresInsertionOrder() throws {
        let forward = try model(insertionOrder: Self.rows).digest(tables: ["obs"])
        let backward = try model(insertionOrder: Self.rows.reversed()).digest(tables: ["obs"])
        #expect(forward == backward)
        #expect(forward.rowCount == 4)
        #expect(forward.hex.count == 16)
    }

    @Test func digestChangesWithAnyValue() throws {
        let base = try model(insertionOrder: Self.rows).digest(tables: ["obs"])
        var edited = Self.rows
        edited[2][2] = 1  // integer 1 instead of real 1.0
        #expect(try model(insertionOrder: edited).digest(tables: ["obs"]) != base)
        edited = Self.rows
        edited[1][3] = .blob([1, 3])
        #expect(try model(insertionOrder: edited).digest(tables: ["obs"]) != base)
        edited = Self.rows
        edited[0][3] = .blob([])  // empty blob is not NULL
        #expect(try model(insertionOrder: edited).digest(tables: ["obs"]) != base)
    }

    @Test func queryDigestFollowsQueryOrderAndColumns() throws {
        let db = try model(insertionOrder: Self.rows)
        let ascending = try db.contentDigest(query: "SELECT region, value FROM obs ORDER BY value")
        let again = try db.contentDigest(query: "SELECT region, value FROM obs ORDER BY value")
        let descending = try db.contentDigest(query: "SELECT region, value FROM obs ORDER BY value DESC")
        let renamed = try db.contentDigest(query: "SELECT region AS r, value FROM obs ORDER BY value")
        #expect(ascending == again)
        #expect(ascending != descending)
        #expect(ascending != renamed)
        let filtered = try db.contentDigest(query: "SELECT value FROM obs WHERE period = ? ORDER BY value", arguments: ["2021"])
        #expect(filtered.rowCount == 1)
    }
}
