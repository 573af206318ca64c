import Testing
import CSQLite
@testable import AlmanacSQLite

@Suite struct StatementTests {
    static let vietnamese = "Tỉnh Thái Nguyên: tổng sản phẩm trên địa bàn (GRDP) tăng 6,5%; thu ngân sách đạt 17.500 tỷ đồng"

    /// Values of every storage class, with edge cases, and their `typeof()`.
    static let samples: [(SQLValue, String)] = [
        (.null, "null"),
        (.integer(0), "integer"),
        (.integer(Int64.max), "integer"),
        (.integer(Int64.min), "integer"),
        (.integer(9_007_199_254_740_993), "integer"),  // 2^53 + 1: not representable as a Double
        (.real(3.141592653589793), "real"),
        (.real(-1.5e-300), "real"),
        (.real(.infinity), "real"),
        (.text(""), "text"),
        (.text(vietnamese), "text"),
        (.text("Đắk Lắk · Bà Rịa – Vũng Tàu · 🇻🇳"), "text"),
        (.blob([]), "blob"),
        (.blob([0, 1, 0xFF, 0, 0x80]), "blob"),
    ]

    @Test func valuesRoundTripThroughArrayBinding() throws {
        let db = try Database(path: ":memory:")
        let statement = try db.prepare("SELECT ?, typeof(?1)")
        for (value, type) in Self.samples {
            try statement.bind([value])
            let rows = try statement.rows()
            #expect(rows == [[value, .text(type)]], "\(value)")
        }
    }

    @Test func valuesRoundTripThroughTypedBindersAndReaders() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB, n)")
        let insert = try db.prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?)")
        try insert.bind(Int64.min, at: 1)
        try insert.bind(2.5, at: 2)
        try insert.bind(Self.vietnamese, at: 3)
        try insert.bind([0xDE, 0xAD, 0x00, 0xEF] as [UInt8], at: 4)
        try insert.bindNull(at: 5)
        #expect(try insert.step() == false)
        insert.reset()

        let select = try db.prepare("SELECT i, r, s, b, n FROM t")
        #expect(select.columnCount == 5)
        #expect(select.columnNames == ["i", "r", "s", "b", "n"])
        #expect(try select.step())
        #expect(select.columnType(at: 0) == .integer && select.int64(at: 0) == Int64.min)
        #expect(select.columnType(at: 1) == .real && select.double(at: 1) == 2.5)
        #expect(select.columnType(at: 2) == .text && select.text(at: 2) == Self.vietnamese)
        #expect(select.columnType(at: 3) == .blob && select.blob(at: 3) == [0xDE, 0xAD, 0x00, 0xEF])
        #expect(select.isNull(at: 4) && select.text(at: 4) == nil && select.blob(at: 4) == nil)
        #expect(select.int64(at: 4) == 0)
        #expect(!select.isNull(at: 0))
        #expect(try select.step() == false)
    }

    @Test func emptyTextAndBlobAreNotNull() throws {
        let db = try Database(path: ":memory:")
        let statement = try db.prepare("SELECT ? IS NULL, ? IS NULL, length(?2)")
        try statement.bind("", at: 1)
        try statement.bind([] as [UInt8], at: 2)
        #expect(try statement.rows() == [[.integer(0), .integer(0), .integer(0)]])
    }

    @Test func nanIsStoredAsNull() throws {
        let db = try Database(path: ":memory:")
        let statement = try db.prepare("SELECT ?")
        try statement.bind(Double.nan, at: 1)
        #expect(try statement.rows() == [[.null]])
    }

    @Test func preparedInsertsInOneTransaction() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE obs(series INTEGER, period TEXT, value REAL)")
        let insert = try db.prepare("INSERT INTO obs VALUES (?, ?, ?)", persistent: true)
        let count = 20_000
        try db.transaction {
            for row in 0..<count {
                try insert.bind(row % 63, at: 1)
                try insert.bind(row % 2 == 0 ? "2021-H1" : "2021-Q3", at: 2)
                try insert.bind(Double(row) * 0.5, at: 3)
                _ = try insert.step()
                insert.reset()
            }
        }
        #expect(try db.integer("SELECT count(*) FROM obs") == Int64(count))
        #expect(try db.firstValue("SELECT sum(value) FROM obs") == .real(Double(count * (count - 1)) / 4))
        var halves = 0
        try db.prepare("SELECT period FROM obs").forEachRow { row in
            row.withUnsafeUTF8(at: 0) { bytes in if bytes?.last == UInt8(ascii: "1") { halves += 1 } }
        }
        #expect(halves == count / 2)
    }

    @Test func wrongArgumentCountIsRefused() throws {
        let db = try Database(path: ":memory:")
        let statement = try db.prepare("SELECT ?, ?")
        let error = sqliteError { try statement.bind([1]) }
        #expect(error?.resultCode == SQLITE_RANGE)
        #expect(error?.message == "statement takes 2 argument(s), got 1")
        let outOfRange = sqliteError { try statement.bind(Int64(1), at: 3) }
        #expect(outOfRange?.message == "parameter index 3 out of range 1...2")
        #expect(outOfRange?.sql == "SELECT ?, ?")
    }

    @Test func clearBindingsResetsToNull() throws {
        let db = try Database(path: ":memory:")
        let statement = try db.prepare("SELECT ?1, ?2")
        try statement.bind(["a", 2])
        #expect(try statement.rows() == [["a", 2]])
        statement.clearBindings()
        #expect(try statement.rows() == [[.null, .null]])
    }

    @Test func statementIsReusableAfterReset() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3)")
        let statement = try db.prepare("SELECT x FROM t ORDER BY x")
        #expect(try statement.step() && statement.int(at: 0) == 1)
        // rows() starts over even after a partial run.
        #expect(try statement.rows() == [[1], [2], [3]])
        #expect(statement.isReadOnly)
        #expect(try !db.prepare("DELETE FROM t").isReadOnly)
    }

    @Test func statementKeepsItsDatabaseOpen() throws {
        var db: Database? = try Database(path: ":memory:")
        let statement = try db!.prepare("SELECT ? * 2")
        weak let weakDatabase = db
        db = nil
        #expect(weakDatabase != nil)
        try statement.bind([21])
        #expect(try statement.rows() == [[42]])
    }

    @Test func valueLiteralsAndDescriptions() {
        let values: [SQLValue] = [nil, 42, 1.5, "it's", .blob([0x00, 0xAB])]
        #expect(values.map(\.description) == ["NULL", "42", "1.5", "'it''s'", "X'00AB'"])
        #expect(values.map(\.type) == [.null, .integer, .real, .text, .blob])
        #expect(Set(values).count == 5)
    }
}
