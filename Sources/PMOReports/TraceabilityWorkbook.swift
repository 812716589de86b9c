import Foundation
import PMOCore
import PMOInterchange
import PMOWords

/// The traceability matrix as spreadsheet tables (`XLSXWriter.write`): requirements × systems (a ● where a system
/// realises the requirement, with the gaps), requirements × verification (one row per test that verifies each), and the
/// changes raised after a requirement was agreed.
public enum TraceabilityWorkbook {
    public static func tables(_ m: TraceabilityMatrix, projectKey: String, words w: Words) -> [SpreadsheetTable] {
        let ref = { (type: ItemType, n: Int) in type.reference(projectKey: projectKey, number: n) }
        let gapWords = { (row: TraceabilityMatrix.Row) in row.gaps.map { w["trace.gap.\($0.rawValue)"] }.joined(separator: ", ") }
        let status = { (kind: RegisterKind, s: String) in w["rs.\(kind.rawValue).\(s)"] }
        let choice = { (field: String, v: String?) in v.map { w[RegisterFieldSpec.choiceWordKey(field: field, value: $0)] } ?? "" }

        var columns = [SpreadsheetColumn(title: w["sheet.number"], width: 12), SpreadsheetColumn(title: w["title"], width: 40),
                       SpreadsheetColumn(title: w["status"], width: 12), SpreadsheetColumn(title: w["rf.moscow"], width: 14),
                       SpreadsheetColumn(title: w["rf.requirementType"], width: 16)]
        columns += m.systems.map { SpreadsheetColumn(title: $0.code.isEmpty ? $0.name : $0.code, width: 8) }
        columns += [SpreadsheetColumn(title: w["trace.col.activities"], width: 16), SpreadsheetColumn(title: w["trace.col.tests"], width: 14),
                    SpreadsheetColumn(title: w["trace.gaps"], width: 40)]
        let matrixRows = m.rows.map { r -> [SpreadsheetCell] in
            let realised = Set(r.systems)
            return [.text(ref(.requirement, r.number)), .text(r.title), .text(status(.requirement, r.status)), .text(choice("moscow", r.moscow)),
                    .text(r.nfrGroup.map { choice("nfrGroup", $0) } ?? choice("requirementType", r.requirementType))]
                + m.systems.map { realised.contains($0.number) ? .text(w["trace.realised"]) : .empty }
                + [.text(RegisterText.activities(r.activities)), .text("\(r.passedTests)/\(r.tests.count)"), .text(gapWords(r))]
        }

        var verification: [[SpreadsheetCell]] = []
        for r in m.rows {
            if r.tests.isEmpty {
                verification.append([.text(ref(.requirement, r.number)), .text(r.title), .empty, .empty, .empty, .empty, .empty])
            }
            for t in r.tests {
                verification.append([.text(ref(.requirement, r.number)), .text(r.title), .text(ref(.test, t.number)), .text(t.title),
                                     .text(choice("testLevel", t.level)), .text(status(.test, t.status)), t.executedOn.map(SpreadsheetCell.date) ?? .empty])
            }
        }

        var changes: [[SpreadsheetCell]] = []
        for r in m.rows {
            for c in r.changes where c.afterAgreement {
                changes.append([.text(ref(.requirement, r.number)), .text(r.title), r.agreedOn.map(SpreadsheetCell.date) ?? .empty,
                                .text(ref(.change, c.number)), .text(c.title), .text(status(.change, c.status)), .date(c.raisedOn)])
            }
        }

        return [
            SpreadsheetTable(name: w["trace.sheet.matrix"], columns: columns, rows: matrixRows),
            SpreadsheetTable(name: w["trace.sheet.verification"], columns: [
                SpreadsheetColumn(title: w["trace.col.requirement"], width: 12), SpreadsheetColumn(title: w["title"], width: 40),
                SpreadsheetColumn(title: w["trace.col.test"], width: 12), SpreadsheetColumn(title: w["title"], width: 40),
                SpreadsheetColumn(title: w["trace.col.level"], width: 14), SpreadsheetColumn(title: w["trace.col.result"], width: 12),
                SpreadsheetColumn(title: w["trace.col.run_on"], kind: .date, width: 12),
            ], rows: verification),
            SpreadsheetTable(name: w["trace.sheet.changes"], columns: [
                SpreadsheetColumn(title: w["trace.col.requirement"], width: 12), SpreadsheetColumn(title: w["title"], width: 40),
                SpreadsheetColumn(title: w["trace.col.agreed_on"], kind: .date, width: 12),
                SpreadsheetColumn(title: w["trace.col.changes"], width: 12), SpreadsheetColumn(title: w["title"], width: 40),
                SpreadsheetColumn(title: w["status"], width: 12), SpreadsheetColumn(title: w["trace.col.raised_on"], kind: .date, width: 12),
            ], rows: changes),
        ]
    }
}
