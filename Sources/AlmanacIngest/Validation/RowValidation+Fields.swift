import AlmanacDomain

/// A value that passed its checks; `text` is nil for a retract row without a value.
struct CheckedValue {
    var text: String?
}

extension RowValidation {
    // MARK: - Action, status, release date

    mutating func checkAction() -> ObservationAction? {
        guard let text = source.action else { return .report }
        if let action = ObservationAction.parse(text) { return action }
        fail(.action, "bad_action", value: text, "unknown action \(q(text))",
             hint: "write report or retract, or leave the cell empty for report")
        return nil
    }

    mutating func checkStatus() -> ObservationStatus? {
        guard let text = source.status else { return .default }
        if let status = ObservationStatus.parse(text, sdmx: isSDMX) { return status }
        fail(.status, "bad_status", value: text, "unknown status \(q(text))",
             hint: ObservationStatus.acceptedSpellings(sdmx: isSDMX) + ", or leave the cell empty for final")
        return nil
    }

    /// The release date: `.some(nil)` when none is given, nil when it is bad.
    mutating func checkReleaseDate() -> CalendarDate?? {
        guard let text = source.releaseDate else { return .some(nil) }
        if let date = CalendarDate(text.trimmingCharacters(in: .whitespaces)) { return .some(date) }
        let slashed = text.range(of: "^[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{4}$", options: .regularExpression) != nil
        fail(.releaseDate, "bad_release_date", value: text, "release date \(q(text)) is not a date written YYYY-MM-DD",
             hint: slashed ? "day and month order is ambiguous; write e.g. 2016-02-01 for 1 February 2016"
                           : "write e.g. 2021-07-15")
        return nil
    }

    // MARK: - Value and unit

    /// Checks the value's spelling, then its plausibility when the indicator is known.
    mutating func checkValue(_ action: ObservationAction, _ indicator: IndicatorDefinition?) -> CheckedValue? {
        let text = source.value
        if action == .retract, text.trimmingCharacters(in: .whitespaces).isEmpty { return CheckedValue(text: nil) }
        let decimal: DecimalText
        do {
            decimal = try DecimalText(text)
        } catch {
            fail(.value, "bad_value", value: text, error.message, hint: error.hint)
            return nil
        }
        guard let indicator else { return CheckedValue(text: decimal.text) }
        let range = indicator.range
        let unitName = MeasureUnit.unit(code: indicator.unit)?.name ?? indicator.unit
        let number = decimal.doubleValue
        var problem: String?
        var hint = "check the unit and the decimal point: \(indicator.code) is in \(unitName)"
        if decimal.isNegative, !range.negativesAllowed {
            problem = "negative value \(decimal.text) is impossible for \(indicator.code)"
            hint = "check the sign; \(indicator.name.lowercased()) cannot be negative"
        } else if let min = range.min, number < min {
            problem = "value \(decimal.text) is below the plausible minimum \(RowValidation.show(min)) for \(indicator.code)"
        } else if let max = range.max, number > max {
            problem = "value \(decimal.text) is above the plausible maximum \(RowValidation.show(max)) for \(indicator.code)"
        }
        if let problem {
            fail(.value, "implausible_value", value: text, problem, hint: hint)
            return nil
        }
        return CheckedValue(text: decimal.text)
    }

    /// A bound without a useless `.0` (`100`, `0.5`, `30000000`).
    static func show(_ bound: Double) -> String {
        if bound == bound.rounded(), abs(bound) < 1e15 { return String(Int(bound)) }
        return String(bound)
    }

    /// Checks the unit column and SDMX `UNIT_MULT` against the indicator's unit.
    ///
    /// The unit given, scaled by 10^`UNIT_MULT`, must measure the same quantity at the
    /// same scale as the indicator's unit: `Bill. Dongs` is `bn_vnd`; `VND` with
    /// `UNIT_MULT` 9 is `bn_vnd` too; `bn_vnd` with `UNIT_MULT` 9 is not. Nothing is
    /// converted: a value in another scale is rejected with the factor to apply.
    mutating func checkUnit(_ indicator: IndicatorDefinition) -> Bool {
        var multiplier = 0
        if let text = source.unitMultiplier?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let m = Int(text), (-30...30).contains(m) else {
                fail(.unitMultiplier, "bad_unit_multiplier", value: text,
                     "UNIT_MULT \(q(text)) is not a power of ten between -30 and 30",
                     hint: "UNIT_MULT is the exponent: 0 for units, 3 for thousands, 6 for millions, 9 for billions")
                return false
            }
            multiplier = m
        }
        let text = source.unit?.trimmingCharacters(in: .whitespaces) ?? ""
        // The common case: the file writes the indicator's own unit code.
        if multiplier == 0 && (text.isEmpty || text == indicator.unit) { return true }
        guard let target = MeasureUnit.unit(code: indicator.unit) else {
            // An indicator whose unit Almanac has no scale for: only its own code matches.
            guard multiplier == 0, text.isEmpty || TextFolding.fold(text) == TextFolding.fold(indicator.unit) else {
                fail(text.isEmpty ? .unitMultiplier : .unit, "unit_mismatch", value: text.isEmpty ? source.unitMultiplier : text,
                     "unit \(q(text)) with UNIT_MULT \(multiplier) does not match \(indicator.code), which is in \(indicator.unit)",
                     hint: "write \(indicator.unit)")
                return false
            }
            return true
        }
        let quantity: String, scale: Int, label: String
        if text.isEmpty {
            if multiplier == 0 { return true }
            (quantity, scale, label) = (target.quantity, 0, "")
        } else if let given = MeasureUnit.resolve(text) {
            (quantity, scale, label) = (given.quantity, given.scaleExponent, given.name)
        } else if ["vnd", "dong", "usd"].contains(TextFolding.fold(text)) {
            let q = TextFolding.fold(text) == "usd" ? "USD" : "VND"
            (quantity, scale, label) = (q, 0, q)
        } else {
            let spellings = MeasureUnit.all.flatMap { [$0.code] + $0.aliases }
            let near = DidYouMean.suggestions(for: text, among: spellings)
            fail(.unit, "unknown_unit", value: text, "unknown unit \(q(text))",
                 hint: near.isEmpty ? "\(indicator.code) is in \(target.name): write \(target.code)"
                                    : "did you mean \(RowValidation.alternatives(near))? \(indicator.code) is in \(target.code)")
            return false
        }
        let effective = scale + multiplier
        if quantity == target.quantity, effective == target.scaleExponent { return true }
        let what = RowValidation.describe(quantity: quantity, scale: effective)
        let message: String
        if text.isEmpty {
            message = "UNIT_MULT \(multiplier) makes the values \(what), but \(indicator.code) is in \(target.name)"
        } else if multiplier != 0 {
            message = "unit \(q(text)) with UNIT_MULT \(multiplier) makes the values \(what), but \(indicator.code) is in \(target.name)"
        } else {
            let named = TextFolding.fold(label) == TextFolding.fold(text) ? "" : " (\(label))"
            message = "unit \(q(text))\(named) does not match \(indicator.code), which is in \(target.name)"
        }
        var hint = "write the values in \(target.name) (\(target.code)), or check the indicator"
        if quantity == target.quantity {
            let shift = effective - target.scaleExponent
            let factor = "1" + String(repeating: "0", count: abs(shift))
            hint = "\(shift > 0 ? "multiply" : "divide") the values by \(factor) and write \(target.code)"
        }
        fail(text.isEmpty ? .unitMultiplier : .unit, "unit_mismatch", value: text.isEmpty ? source.unitMultiplier : text,
             message, hint: hint)
        return false
    }

    /// `million USD`, or `VND × 10^12` when no unit has that scale.
    static func describe(quantity: String, scale: Int) -> String {
        if let unit = MeasureUnit.all.first(where: { $0.quantity == quantity && $0.scaleExponent == scale }) { return unit.name }
        return scale == 0 ? quantity : "\(quantity) × 10^\(scale)"
    }

    // MARK: - Dimensions

    /// Checks dimension names and values, fills defaults; nil when any is wrong.
    mutating func checkDimensions(_ indicator: IndicatorDefinition) -> [String: String]? {
        var given: [String: String] = [:]
        var ok = true
        let fields = source.location.fields
        let column = { (name: String) in fields[.dimension(name)]?.columnNumber ?? Int.max }
        for (name, value) in source.dimensions.sorted(by: { (column($0.key), $0.key) < (column($1.key), $1.key) }) {
            guard let dimension = indicator.dimension(name)
                    ?? indicator.dimensions.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                let near = DidYouMean.suggestions(for: name, among: indicator.dimensions.map(\.name))
                let hint = !near.isEmpty ? "did you mean \(RowValidation.alternatives(near))?"
                    : indicator.dimensions.isEmpty ? "\(indicator.code) has no dimensions; remove the column"
                    : "its dimensions are " + indicator.dimensions.map(\.name).joined(separator: ", ")
                fail(.dimension(name), "unknown_dimension", value: name, "\(indicator.code) has no dimension \(q(name))",
                     hint: hint)
                ok = false
                continue
            }
            if dimension.allows(value) {
                given[dimension.name] = value
                continue
            }
            let codes = dimension.values.map(\.code)
            let folded = TextFolding.fold(value)
            let matches = codes.filter { TextFolding.fold($0) == folded }
            guard let code = matches.count == 1 ? matches[0] : nil else {
                let near = DidYouMean.suggestions(for: value, among: codes)
                let listed = codes.prefix(12).joined(separator: ", ") + (codes.count > 12 ? ", …" : "")
                fail(.dimension(name), "bad_dimension_value", value: value,
                     "\(q(value)) is not a value of \(dimension.name) for \(indicator.code)",
                     hint: near.isEmpty ? "write one of \(listed)" : "did you mean \(RowValidation.alternatives(near))?")
                ok = false
                continue
            }
            given[dimension.name] = code
        }
        for dimension in indicator.dimensions where given[dimension.name] == nil && dimension.defaultValue == nil {
            fail(.dimension(dimension.name), "missing_dimension", value: nil,
                 "\(indicator.code) needs a value for \(dimension.name)",
                 hint: "add a \(dimension.name) column with one of " + dimension.values.map(\.code).joined(separator: ", "))
            ok = false
        }
        guard ok else { return nil }
        do {
            return try indicator.normalise(dimensions: given)
        } catch {
            fail(nil, "bad_dimension_value", value: nil, error.message, hint: error.hint)
            return nil
        }
    }
}
