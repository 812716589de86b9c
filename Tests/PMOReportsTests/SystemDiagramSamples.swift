@testable import PMOReports

/// Deterministic inputs for the system diagram tests: a small hand-made case with Japanese names, and a generated
/// 40-system / 150-interface case (fixed seed) with vendor groups, cycles, parallel and long interfaces.
enum SystemDiagramSamples {
    typealias System = SystemDiagram.System
    typealias Interface = SystemDiagram.Interface

    static let words = SystemDiagram.Words(
        title: "システム構成図 — 基幹刷新プロジェクト",
        methods: ["file": "ファイル", "api": "API", "message_queue": "MQ", "db_link": "DBリンク", "screen": "画面"],
        statuses: [
            "identified": "識別済", "designing": "設計中", "agreed": "合意済", "built": "構築済",
            "connection_tested": "接続試験済", "accepted": "受入済",
        ],
        kinds: ["new": "新規", "changed": "改修", "retired": "廃止", "external": "外部"],
        flagged: "遅延・リスクあり", legend: "凡例")

    /// Seven systems in three vendor groups plus one ungrouped external partner; a cycle, merged parallel
    /// interfaces, a reverse pair, flagged ones, markup characters in a name, and one interface to an unknown system.
    static func small() -> (systems: [System], interfaces: [Interface]) {
        let alpha = "株式会社アルファ情報", beta = "Beta Systems Ltd.", gamma = "ガンマソリューションズ"
        let systems = [
            System(key: "S1", reference: "CRM-S1", name: "顧客管理システム", code: "CRM", group: alpha, kind: "new"),
            System(key: "S2", reference: "CRM-S2", name: "請求管理", code: "BIL", group: alpha, kind: "changed"),
            System(key: "S3", reference: "CRM-S3", name: "会計システム（SAP S/4HANA 連携モジュールを含む）", code: "ACC", group: beta, kind: "changed"),
            System(key: "S4", reference: "CRM-S4", name: "Data Warehouse", code: "DWH", group: beta, kind: "new"),
            System(key: "S5", reference: "CRM-S5", name: "旧販売管理", code: "", group: alpha, kind: "retired"),
            System(key: "S6", reference: "CRM-S6", name: "決済代行 <PayCo> & \"Partner\"", code: "PAY", group: "", kind: "external"),
            System(key: "S7", reference: "CRM-S7", name: "コールセンターCTI", code: "CTI", group: gamma, kind: "external"),
        ]
        func f(_ n: Int, _ from: String, _ to: String, _ method: String, _ status: String, _ title: String, flagged: Bool = false) -> Interface {
            Interface(key: "F\(n)", reference: "CRM-F\(n)", from: from, to: to, method: method, status: status, flagged: flagged, title: title)
        }
        let interfaces = [
            f(1, "S1", "S2", "api", "agreed", "顧客情報連携"),
            f(2, "S2", "S3", "file", "built", "請求データ"),
            f(3, "S1", "S2", "api", "designing", "契約情報"),
            f(4, "S1", "S2", "file", "accepted", "顧客マスタ一括"),
            f(5, "S3", "S4", "db_link", "connection_tested", "仕訳データ"),
            f(6, "S4", "S1", "message_queue", "identified", "分析結果の還元", flagged: true),
            f(7, "S2", "S6", "api", "accepted", "決済依頼"),
            f(8, "S6", "S2", "api", "accepted", "決済結果"),
            f(9, "S7", "S1", "screen", "built", "顧客照会画面"),
            f(10, "S5", "S3", "file", "agreed", "売上移行", flagged: true),
            f(11, "S1", "S4", "file", "agreed", "顧客属性"),
            f(12, "S9", "S1", "api", "agreed", "範囲外のシステム"),
            f(13, "S1", "S4", "api", "built", "顧客イベント"),
        ]
        return (systems, interfaces)
    }

    /// The generated 40-system / 150-interface case (`SyntheticSystemMap`, which the benchmarks draw too).
    static func large(seed: UInt64 = 20_260_501) -> (systems: [System], interfaces: [Interface]) {
        SyntheticSystemMap.make(seed: seed)
    }
}
