import AlmanacQuery
import Testing

@Suite("lexer")
struct LexerTests {
    func kinds(_ text: String) throws -> [Token.Kind] {
        try Lexer.tokenize(text).map(\.kind).dropLast()
    }

    @Test func dottedNamesAndGlobs() throws {
        #expect(try kinds("cpi.index budget.* gdp.grdp_growth") == [
            .identifier("cpi.index"), .identifier("budget.*"), .identifier("gdp.grdp_growth"),
        ])
    }

    @Test func aStarWithoutADotIsMultiplication() throws {
        #expect(try kinds("a*b") == [.identifier("a"), .symbol(.star), .identifier("b")])
    }

    @Test func periodLiteralsInEverySpelling() throws {
        #expect(try kinds("2021 2021-H1 2021-S2 2021-q3 2021-07 2021-M12 2021-A1") == [
            .number("2021"), .period(.half(year: 2021, half: 1)), .period(.half(year: 2021, half: 2)),
            .period(.quarter(year: 2021, quarter: 3)), .period(.month(year: 2021, month: 7)),
            .period(.month(year: 2021, month: 12)), .period(.year(2021)),
        ])
    }

    @Test func datesKnowLeapYears() throws {
        #expect(try kinds("2020-02-29") == [.date(DateLiteral(year: 2020, month: 2, day: 29))])
        #expect(throws: QueryError.self) { try Lexer.tokenize("2021-02-29") }
        #expect(throws: QueryError.self) { try Lexer.tokenize("1900-02-29") }
        #expect(try kinds("2000-02-29") == [.date(DateLiteral(year: 2000, month: 2, day: 29))])
    }

    @Test func rangesBetweenNumbersAndPeriods() throws {
        #expect(try kinds("2015..2023") == [.number("2015"), .symbol(.range), .number("2023")])
        #expect(try kinds("2021-01..2021-06") == [
            .period(.month(year: 2021, month: 1)), .symbol(.range), .period(.month(year: 2021, month: 6)),
        ])
    }

    @Test func numbersKeepTheirExactText() throws {
        #expect(try kinds("6.50 0.1 100") == [.number("6.50"), .number("0.1"), .number("100")])
    }

    @Test func arithmeticOnNumbersThatAreNotYears() throws {
        #expect(try kinds("value-12") == [.identifier("value"), .symbol(.minus), .number("12")])
        #expect(try kinds("2021 - 7") == [.number("2021"), .symbol(.minus), .number("7")])
    }

    @Test func stringsDecodeEscapesAndKeepVietnamese() throws {
        #expect(try kinds(#""Thái Nguyên" "a\"b\\c" "\u{1EA1}\n\t""#) == [
            .string("Thái Nguyên"), .string("a\"b\\c"), .string("ạ\n\t"),
        ])
    }

    @Test func operatorsLongestFirst() throws {
        #expect(try kinds("= != < <= > >= + - * / | , ( ) ..") == Symbol.allCases.map { .symbol($0) })
    }

    @Test func keywordsAreReservedButStepNamesAreNot() throws {
        #expect(try kinds("from and or not in within group rank") == [
            .keyword(.from), .keyword(.and), .keyword(.or), .keyword(.not), .keyword(.in), .keyword(.within),
            .identifier("group"), .identifier("rank"),
        ])
    }

    @Test func logPositions() throws {
        #expect(try kinds("@12345") == [.position(12345)])
        #expect(throws: QueryError.self) { try Lexer.tokenize("@x") }
    }

    @Test func commentsAndNewlinesAreSkippedButCounted() throws {
        let tokens = try Lexer.tokenize("# a comment\nfrom cpi.index # another\r\n  | take 1")
        #expect(tokens.map(\.kind) == [
            .keyword(.from), .identifier("cpi.index"), .symbol(.pipe), .identifier("take"), .number("1"), .end,
        ])
        #expect(tokens[0].span == SourceSpan(offset: 12, line: 2, column: 1, length: 4))
        #expect(tokens[2].span == SourceSpan(offset: 39, line: 3, column: 3, length: 1))
    }

    @Test func spansCountCharactersNotBytes() throws {
        let tokens = try Lexer.tokenize("\"Thái Nguyên\" x")
        #expect(tokens[0].span == SourceSpan(offset: 0, line: 1, column: 1, length: 13))
        #expect(tokens[1].span == SourceSpan(offset: 14, line: 1, column: 15, length: 1))
    }

    @Test func decomposedTextIsOneCharacterPerLetter() throws {
        let decomposed = "\"Tha\u{0301}i\" x"
        let tokens = try Lexer.tokenize(decomposed)
        #expect(tokens[1].span.column == 8)
    }

    @Test func theEndTokenSitsAfterTheLastCharacter() throws {
        let tokens = try Lexer.tokenize("take 1\n")
        #expect(tokens.last == Token(.end, at: SourceSpan(offset: 7, line: 2, column: 1, length: 0)))
    }

    @Test("bad literals are lexical errors", arguments: [
        "2021-Q0", "2021-Q5", "2021-H0", "2021-S3", "2021-M13", "2021-00", "2021-13", "2021-X1",
        "2021-07-32", "2021-07-1", "2021-1", "2021H1", "\"open", "'single'", "a ! b", "1 == 1", "x && y", ".5",
    ])
    func badLiterals(text: String) {
        #expect {
            try Lexer.tokenize(text)
        } throws: { error in
            (error as? QueryError)?.kind == .lexical
        }
    }

    @Test func anOverlongQueryIsRefused() {
        let text = String(repeating: "x", count: Lexer.queryCharactersMax + 1)
        #expect(throws: QueryError.self) { try Lexer.tokenize(text) }
    }
}
