import AlmanacQuery
import Testing

@Suite("Output formats")
struct FormatterTests {
    let columns = [ResultColumn(name: "region_name", kind: .text), ResultColumn(name: "value", kind: .number),
                   ResultColumn(name: "rank", kind: .integer)]
    let rows: [[QueryValue]] = [
        [.text("Thái Nguyên"), .number("621"), .number("3")],
        [.text("=cmd, \"x\""), .number("-3.5"), .null],
        [.text("@home\nnext"), .number("12.25"), .number("10")],
    ]

    @Test func tableAlignsNumbersRight() {
        let text = ResultFormatter.table(columns: columns, rows: rows)
        #expect(text == """
            region_name  value  rank
            -----------  -----  ----
            Thái Nguyên    621     3
            =cmd, "x"     -3.5
            @home next   12.25    10

            """)
        #expect(ResultFormatter.table(columns: columns, rows: []).hasSuffix("(no rows)\n"))
    }

    @Test func csvQuotesAndNeutralisesFormulas() {
        let text = ResultFormatter.csv(columns: columns, rows: rows)
        #expect(text == "region_name,value,rank\r\nThái Nguyên,621,3\r\n\"'=cmd, \"\"x\"\"\",-3.5,\r\n\"'@home\nnext\",12.25,10\r\n")
    }

    @Test func jsonKeepsTypes() {
        let text = ResultFormatter.json(columns: columns, rows: rows)
        #expect(text == """
            [
              {"region_name": "Thái Nguyên", "value": 621, "rank": 3},
              {"region_name": "=cmd, \\"x\\"", "value": -3.5, "rank": null},
              {"region_name": "@home\\nnext", "value": 12.25, "rank": 10}
            ]

            """)
        #expect(ResultFormatter.json(columns: columns, rows: []) == "[]\n")
    }

    @Test("computed numbers are rounded for people", arguments: [
        (102.33333, "102.33"), (6.5, "6.5"), (0.012345, "0.0123"), (-0.0000001, "0"), (1398.0, "1398"), (-0.8000001, "-0.8"),
    ])
    func rounding(value: Double, expected: String) {
        #expect(QueryValue.display(value) == expected)
    }
}
