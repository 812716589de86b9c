import Foundation

/// A generated system map for the diagram's tests and benchmarks: the largest readable case, 40 systems and
/// 150 interfaces, deterministic for a seed (SplitMix64), with vendor bands, cycles, parallel and long interfaces.
public enum SyntheticSystemMap {
    /// SplitMix64: a tiny, fixed pseudo-random generator, the same on every platform.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    /// 40 systems in 5 vendor groups, each on a hidden tier 0–7; 150 interfaces: mostly from a lower tier to a
    /// higher one, every tenth a repeat of an earlier pair, tier 0 → 7 long ones, and backward ones making cycles.
    public static func make(seed: UInt64 = 20_260_501) -> (systems: [SystemDiagram.System], interfaces: [SystemDiagram.Interface]) {
        typealias System = SystemDiagram.System
        typealias Interface = SystemDiagram.Interface
        var random = Random(state: seed)
        let vendors = ["株式会社アルファ情報", "Beta Systems Ltd.", "ガンマソリューションズ", "Delta Cloud Services", "自社 情報システム部"]
        let names = [
            ("顧客管理", "CRM"), ("請求管理", "BIL"), ("会計", "ACC"), ("在庫管理", "INV"), ("販売管理", "SAL"), ("人事給与", "HRP"),
            ("データ連携基盤", "HUB"), ("EDIゲートウェイ", "EDI"), ("Webポータル", "WEB"), ("コールセンターCTI", "CTI"),
            ("BIダッシュボード", "BI"), ("ワークフロー", "WFL"), ("文書管理", "DMS"), ("ID管理(SSO)", "IDM"), ("マスタ管理MDM", "MDM"),
            ("Billing Engine", "BLE"), ("Data Warehouse", "DWH"), ("Payment Gateway", "PAY"), ("Customer Portal", "POR"),
            ("Order Management", "OMS"), ("Logistics Tracker", "LOG"), ("Mobile App Backend", "MOB"), ("帳票出力", "RPT"),
            ("生産管理", "MES"), ("購買管理", "PUR"),
        ]
        let kinds = ["new", "changed", "changed", "external", "retired"]
        let methods = ["file", "api", "message_queue", "db_link", "screen"]
        var systems: [System] = [], tier: [Int] = []
        for i in 1...40 {
            let (name, code) = names[(i - 1) % names.count]
            tier.append(i <= 4 ? 0 : i > 36 ? 7 : random.below(8))
            systems.append(System(
                key: "S\(i)", reference: "PRJ-S\(i)", name: i > names.count ? "\(name) \(i)" : name, code: code,
                group: vendors[random.below(vendors.count)], kind: kinds[random.below(kinds.count)]))
        }
        func pick(_ ok: (Int, Int) -> Bool) -> (Int, Int) {
            while true {
                let a = random.below(40), b = random.below(40)
                if a != b && ok(a, b) { return (a, b) }
            }
        }
        var pairs: [(Int, Int)] = [], interfaces: [Interface] = []
        for k in 1...150 {
            let pair: (Int, Int)
            switch k % 10 {
            case 0: pair = pairs[random.below(pairs.count)]
            case 1: pair = (random.below(4), 36 + random.below(4))
            case 2, 7: pair = pick { tier[$0] > tier[$1] }
            default: pair = pick { tier[$0] < tier[$1] }
            }
            pairs.append(pair)
            interfaces.append(Interface(
                key: "F\(k)", reference: "PRJ-F\(k)", from: "S\(pair.0 + 1)", to: "S\(pair.1 + 1)",
                method: methods[random.below(methods.count)], status: SystemDiagram.statuses[random.below(6)],
                flagged: random.below(10) == 0, title: "\(systems[pair.0].name) → \(systems[pair.1].name) 連携"))
        }
        return (systems, interfaces)
    }
}
