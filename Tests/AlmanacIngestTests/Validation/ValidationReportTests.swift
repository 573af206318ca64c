import AlmanacDomain
import AlmanacLog
import Testing
@testable import AlmanacIngest

/// `errors.json` and `errors.txt`.
@Suite struct ValidationReportTests {
    func sample() throws -> ValidationResult {
        try validateFile(nativeHeader + "budget.revenue,Thai Ngyen,2021,1\nbudget.revenue,19,2021,\"1,5\"\nbudget.revenue,19,2022,7\n",
                         name: "b.csv", options: ValidationOptions(maxIssues: 1))
    }

    @Test func jsonReportParsesAndCarriesEveryIssueField() throws {
        let result = try sample()
        let text = ValidationReport.json(file: "b.csv", sha256: "ab12", agency: "tn-stats", result: result)
        let json = try JSONParser.parse(text)
        #expect(json["file"]?.stringValue == "b.csv" && json["sha256"]?.stringValue == "ab12")
        #expect(json["agency"]?.stringValue == "tn-stats" && json["accepted"]?.boolValue == false)
        #expect(json["counts"]?["rowsRead"]?.intValue == 3 && json["counts"]?["observations"]?.intValue == 1)
        #expect(json["counts"]?["issues"]?.intValue == 2 && json["counts"]?["issuesListed"]?.intValue == 1)
        let issue = try #require(json["issues"]?[0])
        #expect(issue["line"]?.intValue == 2 && issue["column"]?.intValue == 2 && issue["field"]?.stringValue == "region")
        #expect(issue["value"]?.stringValue == "Thai Ngyen" && issue["code"]?.stringValue == "unknown_region")
        #expect(issue["message"]?.stringValue == "unknown region \"Thai Ngyen\"")
        #expect(issue["hint"]?.stringValue == "did you mean \"Thái Nguyên\" (19)?" && issue["path"]?.isNull == true)
    }

    @Test func jsonReportEscapesHostileText() throws {
        let result = try validateFile(nativeHeader + "budget.revenue,\"=A1\n\"\"x\",2021,1\n", name: "h\"\n.csv")
        let text = ValidationReport.json(file: "h\"\n.csv", sha256: "", agency: "a", result: result)
        let json = try JSONParser.parse(text)
        #expect(json["issues"]?[0]?["value"]?.stringValue == "=A1\n\"x")
        #expect(json["file"]?.stringValue == "h\"\n.csv")
        let empty = ValidationResult(observations: [], issues: [], issueCount: 0, rowsRead: 0, rowsSkipped: 0, isAccepted: true)
        #expect(try JSONParser.parse(ValidationReport.json(file: "e", sha256: "", agency: "a", result: empty))["issues"]?.arrayValue?.isEmpty == true)
    }

    @Test func textReportHasASummaryThenOneIssuePerLine() throws {
        let text = ValidationReport.text(file: "b.csv", sha256: "ab12", agency: "tn-stats", result: try sample())
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false) == [
            "b.csv: rejected: 2 issues in 3 rows (agency tn-stats, sha256 ab12)",
            "b.csv:2:2 (region): unknown region \"Thai Ngyen\"; did you mean \"Thái Nguyên\" (19)?",
            "… and 1 more issue not listed",
            "",
        ])
    }

    @Test func issueDescriptionsStayOnOneLine() {
        let issue = ValidationIssue(file: "a.csv", line: 3, column: 2, field: "region", value: "x\ny", code: "unknown_region",
                                    message: "unknown region \"x\ny\"", hint: "try\r\nagain")
        #expect(issue.description == "a.csv:3:2 (region): unknown region \"x\\ny\"; try\\r\\nagain")
        #expect(ValidationText.quote(String(repeating: "a", count: 70)) == "\"" + String(repeating: "a", count: 64) + "…\"")
        #expect(ValidationText.quote("a\u{202E}\"b\\") == "\"a\\u{202E}\\\"b\\\\\"")
    }
}
