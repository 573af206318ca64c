import AlmanacDomain
import AlmanacLog
import AlmanacSQLite
import Foundation

/// The flush: the buffered observation events written sorted by key, each key's last
/// version as its current row and the others into the history (see ``Projector``).
extension Projector {
    /// Writes the buffered observation events, sorted by key. Call before the checkpoint.
    func flush() throws {
        guard !pending.isEmpty else { return }
        let rows = pending
        pending.removeAll(keepingCapacity: true)
        let texts = self.texts
        let periods = self.periods
        // Rank periods by their bytes (SQLite's order for TEXT), so rows reach the B-trees
        // in key order.
        var byText = Array(0..<periods.count)
        byText.sort { periods[$0].text.utf8.lexicographicallyPrecedes(periods[$1].text.utf8) }
        var rank = [UInt64](repeating: 0, count: periods.count)
        var r: UInt64 = 0
        for (i, p) in byText.enumerated() {
            if i > 0 && periods[p].text != periods[byText[i - 1]].text { r += 1 }
            rank[p] = r
        }
        let order = Projector.sortedOrder(rows.count) { i in
            let r = rows[i]
            return (UInt64(bitPattern: r.series), rank[Int(r.period)])
        }

        // SQLite keeps a statement's bindings across resets: a parameter whose value is the
        // one bound for the previous row (the unit, status, times, submission... of a run
        // of rows) is not bound again. Rows are inserted `chunkRows` per statement (one
        // statement run, one cursor, for many rows), the rest one by one.
        var closeBound = BoundValues(5), retireBound = BoundValues(5), deleteBound = BoundValues(3)
        var versionBound = BoundValues(15), currentBound = BoundValues(14)
        var versionChunkBound = BoundValues(15 * Projector.chunkRows), currentChunkBound = BoundValues(14 * Projector.chunkRows)
        // History rows to insert: the row and the row that closes it (same key, next in order), or -1.
        var versions: [(row: Int32, next: Int32)] = []
        versions.reserveCapacity(Projector.chunkRows)
        var currents: [Int32] = []
        currents.reserveCapacity(Projector.chunkRows)

        func bindVersion(_ st: Statement, _ bound: inout BoundValues, _ base: Int, _ v: (row: Int32, next: Int32)) throws {
            let o = rows[Int(v.row)]
            let p = periods[Int(o.period)]
            try bound.int(st, base + 1, o.series)
            try bound.period(st, base + 2, o.period, p.text)
            try bound.int(st, base + 3, p.first)
            try bound.int(st, base + 4, p.last)
            try bound.int(st, base + 5, o.seq)
            if v.next >= 0 {
                try bound.int(st, base + 6, rows[Int(v.next)].seq)
                try bound.text(st, base + 14, rows[Int(v.next)].knownFrom, texts)
            } else {
                try bound.null(st, base + 6)
                try bound.null(st, base + 14)
            }
            try bound.kind(st, base + 7, o.kind)
            // A report without a value (only a hand-written log has one) keeps '' as its
            // current row does, so a version reads the same before and after it is closed.
            if let value = o.value ?? (o.kind == .retracted ? nil : "") {
                try st.bind(value, at: base + 8)
                bound.forget(base + 8)
            } else {
                try bound.null(st, base + 8)
            }
            if let n = o.numeric { try st.bind(n, at: base + 9); bound.forget(base + 9) } else { try bound.null(st, base + 9) }
            try bound.text(st, base + 10, o.unit, texts)
            try bound.text(st, base + 11, o.status, texts)
            try bound.int(st, base + 12, o.submission)
            try bound.text(st, base + 13, o.knownFrom, texts)
            try bound.text(st, base + 15, o.recordedAt, texts)
        }
        func bindCurrent(_ st: Statement, _ bound: inout BoundValues, _ base: Int, _ row: Int32) throws {
            let o = rows[Int(row)]
            let p = periods[Int(o.period)]
            try bound.int(st, base + 1, o.series)
            try bound.period(st, base + 2, o.period, p.text)
            try bound.int(st, base + 3, p.first)
            try bound.int(st, base + 4, p.last)
            try st.bind(o.value ?? "", at: base + 5)
            bound.forget(base + 5)
            if let n = o.numeric { try st.bind(n, at: base + 6); bound.forget(base + 6) } else { try bound.null(st, base + 6) }
            try bound.text(st, base + 7, o.unit, texts)
            try bound.text(st, base + 8, o.status, texts)
            try bound.int(st, base + 9, o.submission)
            try bound.int(st, base + 10, o.seq)
            try bound.text(st, base + 11, o.knownFrom, texts)
            if o.release >= 0 { try bound.text(st, base + 12, o.release, texts) } else { try bound.null(st, base + 12) }
            try bound.kind(st, base + 13, o.kind)
            try bound.text(st, base + 14, o.recordedAt, texts)
        }
        func writeVersions() throws {
            if versions.count == Projector.chunkRows {
                let st = try insertVersionChunk()
                st.reset()
                for (i, v) in versions.enumerated() { try bindVersion(st, &versionChunkBound, i * 15, v) }
                _ = try st.step()
            } else {
                for v in versions {
                    insertVersion.reset()
                    try bindVersion(insertVersion, &versionBound, 0, v)
                    _ = try insertVersion.step()
                }
            }
            versions.removeAll(keepingCapacity: true)
        }
        func writeCurrents() throws {
            if currents.count == Projector.chunkRows {
                let st = try upsertCurrentChunk()
                st.reset()
                for (i, row) in currents.enumerated() { try bindCurrent(st, &currentChunkBound, i * 14, row) }
                _ = try st.step()
            } else {
                for row in currents {
                    upsertCurrent.reset()
                    try bindCurrent(upsertCurrent, &currentBound, 0, row)
                    _ = try upsertCurrent.step()
                }
            }
            currents.removeAll(keepingCapacity: true)
        }

        var g = 0
        while g < order.count {
            let firstRow = order[g]
            let series = rows[Int(firstRow)].series
            let period = rows[Int(firstRow)].period
            let firstRank = rank[Int(period)]
            var end = g + 1
            while end < order.count, rows[Int(order[end])].series == series, rank[Int(rows[Int(order[end])].period)] == firstRank {
                end += 1
            }
            let p = periods[Int(period)]
            let keyHash = SeenKeys.hash(series: series, period: p.hash)
            if !freshSeries.contains(series) || seen.mayContain(keyHash) {
                // Close the version the model may have (its current row, moved into the
                // history, or an open retraction there); this key's rows are written after.
                // Both take (closing seq, closing known-from, series, period).
                func close(_ st: Statement, _ bound: inout BoundValues) throws {
                    st.reset()
                    try bound.int(st, 1, rows[Int(firstRow)].seq)
                    try bound.text(st, 2, rows[Int(firstRow)].knownFrom, texts)
                    try bound.int(st, 3, series)
                    try bound.period(st, 4, period, p.text)
                    _ = try st.step()
                }
                try close(retireCurrent, &retireBound)
                try close(closeVersion, &closeBound)
            }
            // Every version but the last goes to the history, closed by the next; the last
            // is the current row, or (a retraction) an open version of the history.
            let last = order[end - 1]
            let lastRetracted = rows[Int(last)].kind == .retracted
            for j in g..<(lastRetracted ? end : end - 1) {
                versions.append((order[j], j + 1 < end ? order[j + 1] : -1))
                if versions.count == Projector.chunkRows { try writeVersions() }
            }
            if remembersKeys { seen.insert(keyHash) }
            if lastRetracted {
                deleteCurrent.reset()
                try deleteBound.int(deleteCurrent, 1, series)
                try deleteBound.period(deleteCurrent, 2, period, p.text)
                _ = try deleteCurrent.step()
            } else {
                currents.append(last)
                if currents.count == Projector.chunkRows { try writeCurrents() }
            }
            g = end
        }
        try writeVersions()
        try writeCurrents()
        // The tables of texts and periods only need to live until the rows are written.
        if self.texts.count > 100_000 {
            textMap.removeAll()
            self.texts.removeAll(keepingCapacity: true)
            knownFromOfText.removeAll(keepingCapacity: true)
        }
        if self.periods.count > 100_000 {
            periodMap.removeAll()
            self.periods.removeAll(keepingCapacity: true)
        }
    }
}
