import AlmanacDomain
import Foundation
@testable import AlmanacIngest

/// Validates `bytes` written to a temporary file called `name`, with the standard catalogues.
func validateFile(_ bytes: [UInt8], name: String = "t.csv", agency: Agency? = nil, format: SourceFormat? = nil,
                  mapping: SourceMapping? = nil, options: ValidationOptions = .init(),
                  limits: CSVLimits = .default) throws -> ValidationResult {
    let path = try temporaryFile(bytes, name: name)
    let validator = SubmissionValidator(indicators: .standard, regions: .standard, agency: agency, options: options)
    return validator.validate(path: path, format: format, mapping: mapping, displayName: name, limits: limits)
}

/// Validates a text file (UTF-8).
func validateFile(_ text: String, name: String = "t.csv", agency: Agency? = nil, format: SourceFormat? = nil,
                  options: ValidationOptions = .init()) throws -> ValidationResult {
    try validateFile(Array(text.utf8), name: name, agency: agency, format: format, options: options)
}

/// The one-line descriptions of a result's issues.
func lines(_ result: ValidationResult) -> [String] { result.issues.map(\.description) }

/// The native CSV header most tests use.
let nativeHeader = "indicator,region,period,value\n"
