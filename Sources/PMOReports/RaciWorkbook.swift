import Foundation
import PMOCore
import PMOInterchange
import PMOWords

/// The RACI table (役割分担表) as the familiar grid: one row per function or deliverable, one column per unit, each
/// cell R, A, C or I; a legend sheet says what the letters mean.
public enum RaciWorkbook {
    public static func tables(_ t: RaciTable, projectKey: String, words w: Words) -> [SpreadsheetTable] {
        let columns = [SpreadsheetColumn(title: w["sheet.number"], width: 10), SpreadsheetColumn(title: w["raci.col.item"], width: 36),
                       SpreadsheetColumn(title: w["rf.rowKind"], width: 12), SpreadsheetColumn(title: w["rf.phase"], width: 14)]
            + t.units.map { SpreadsheetColumn(title: $0.name, width: 12) }
        let rows = t.rows.map { r -> [SpreadsheetCell] in
            [.text(ItemType.raci.reference(projectKey: projectKey, number: r.number)), .text(r.title),
             .text(w[RegisterFieldSpec.choiceWordKey(field: "rowKind", value: r.rowKind)]), r.phase.isEmpty ? .empty : .text(r.phase)]
                + t.units.map { u in r.letters[u.number].map(SpreadsheetCell.text) ?? .empty }
        }
        let legend = ["R", "A", "C", "I"].map { [SpreadsheetCell.text($0), .text(w["raci.letter.\($0)"])] }
        return [SpreadsheetTable(name: w["raci.title"], columns: columns, rows: rows),
                SpreadsheetTable(name: w["sysmap.legend"], columns: [SpreadsheetColumn(title: "", width: 6), SpreadsheetColumn(title: "", width: 50)], rows: legend)]
    }
}
