import AlmanacQuery
import Testing

@Suite("diagnostic rendering")
struct DiagnosticTests {
    @Test func theGutterWidensForTwoDigitLineNumbers() {
        let source = String(repeating: "\n", count: 11) + "from x | rnak"
        let error = QueryError(.syntax, at: SourceSpan(offset: 20, line: 12, column: 10, length: 4), "unknown step \"rnak\"",
                               hints: ["did you mean \"rank\"?"])
        #expect(error.rendered(in: source) == """
        error: unknown step "rnak"
           --> line 12, column 10
            |
         12 | from x | rnak
            |          ^^^^
            = hint: did you mean "rank"?
        """)
    }

    @Test func tabsAreShownAsOneSpaceSoCaretsLineUp() {
        let error = QueryError(.syntax, at: SourceSpan(offset: 2, line: 1, column: 3, length: 1), "here")
        #expect(error.rendered(in: "\t\tx") == """
        error: here
          --> line 1, column 3
           |
         1 |   x
           |   ^
        """)
    }

    @Test func aSpanLongerThanItsLineIsCutAtTheEndOfTheLine() {
        let error = QueryError(.syntax, at: SourceSpan(offset: 0, line: 1, column: 1, length: 50), "long")
        #expect(error.rendered(in: "abc\ndef").components(separatedBy: "\n")[4] == "   | ^^^")
    }

    @Test func spansOnLaterLinesShowThatLine() throws {
        let query = "from cpi.index\r\n  | during 2021-Q7"
        #expect {
            try Query.parse(query)
        } throws: { error in
            let lines = (error as! QueryError).rendered(in: query).components(separatedBy: "\n")
            return lines[1] == "  --> line 2, column 12" && lines[3] == " 2 |   | during 2021-Q7" && lines[4] == "   | " + String(repeating: " ", count: 11) + "^^^^^^^"
        }
    }
}
