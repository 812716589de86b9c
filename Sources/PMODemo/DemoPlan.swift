import FluentKit
import Foundation
import PMOCore
import PMOSchedule
import PMOStore

/// The demo's master schedule: the CRM renewal as about two hundred activities over eight phases, done by the client
/// and its two vendors, with a baseline approved a month ago, a few slips since, and three weekly status dates whose
/// progress gives an earned-value trend a little behind schedule and a little over cost.
///
/// The plan starts on the project's start date (four months ago) and ends about five months from today. The WBS is
/// phase → work package per system → task; the CRM chain (requirements, design, build, tests) runs into the
/// migration and the release milestone and is the critical path. Everything is written through the store at a
/// back-dated clock, as `DemoRegisters` does, and nothing is random: the same day gives the same plan.
enum DemoPlan {
    enum Firm { case client, kaede, aoba }

    /// How a task's budget is set.
    enum Cost {
        /// Effort: hours per working day (people × 8), priced at the company's hourly rate.
        case hours(Double)
        /// A fixed amount in yen (fixed-price work).
        case fixed(Double)
    }

    /// A predecessor inside the same work package, by index.
    struct Pred {
        var index: Int
        var kind: Dependency.Kind
        var lagDays: Int
        static func fs(_ i: Int, _ lag: Int = 0) -> Pred { Pred(index: i, kind: .finishToStart, lagDays: lag) }
        static func ss(_ i: Int, _ lag: Int = 0) -> Pred { Pred(index: i, kind: .startToStart, lagDays: lag) }
        static func ff(_ i: Int, _ lag: Int = 0) -> Pred { Pred(index: i, kind: .finishToFinish, lagDays: lag) }
    }

    struct Task {
        var name: String
        var days: Int
        var firm: Firm
        var owner: Int
        var cost: Cost
        /// nil: finish-to-start from the task above (none for the first); empty: starts the package.
        var after: [Pred]?
    }

    struct Package {
        var system: String
        var firm: Firm
        var owner: Int
        var tasks: [Task]
    }

    enum MilestoneRole {
        /// Follows the packages above it in its phase and precedes those below it.
        case start
        /// Follows every package of its phase and precedes every package of the next one.
        case gate
        /// Linked by the explicit links only.
        case plain
    }

    enum Item {
        case package(Package)
        case milestone(String, owner: Int, role: MilestoneRole)
    }

    struct Phase {
        var name: String
        var definition: String
        var exitCriteria: String
        var items: [Item]
    }

    /// A link between two activities named "system/task" (or a milestone's name).
    struct Link {
        var from: String
        var to: String
        var kind: Dependency.Kind = .finishToStart
        var lagDays: Int = 0
    }

    // Who is who, by index in `DemoData`'s people.
    static let sato = 1, takahashi = 2, tanaka = 3, ito = 5, watanabe = 6, kim = 7, yamamoto = 8, nakamura = 9

    static func t(_ name: String, _ days: Int, _ firm: Firm, _ owner: Int, _ cost: Cost, after: [Pred]? = nil) -> Task {
        Task(name: name, days: days, firm: firm, owner: owner, cost: cost, after: after)
    }

    static func wp(_ system: String, _ firm: Firm, _ owner: Int, _ tasks: [Task]) -> Item {
        .package(Package(system: system, firm: firm, owner: owner, tasks: tasks))
    }

    // MARK: The plan

    // One constant per phase: as one literal the eight took 0.3 s to type-check.
    static let phases: [Phase] = [phase1, phase2, phase3, phase4, phase5, phase6, phase7, phase8]

    static let phase1 = Phase(name: "要件定義",
          definition: "業務要件・機能要件・非機能要件を定義し、要件定義書として合意する。(Define business, functional and non-functional requirements and agree them as the requirements document.)",
          exitCriteria: "要件定義書が業務オーナーに承認されている。(The requirements document is approved by the business owner.)",
          items: [
            wp("PMO", .client, sato, [
                t("プロジェクト計画書承認", 1, .client, takahashi, .hours(8)),
            ]),
            .milestone("キックオフ", owner: takahashi, role: .start),
            wp("CRM", .kaede, ito, [
                t("現行業務ヒアリング", 4, .kaede, ito, .hours(24)),
                t("To-Be業務フロー作成", 6, .kaede, watanabe, .hours(24)),
                t("機能要件定義", 6, .kaede, ito, .hours(32), after: [.fs(1), .fs(5)]),
                t("非機能要件定義", 4, .kaede, ito, .hours(16), after: [.ss(1, 2)]),
                t("要件定義書レビュー・承認", 4, .client, takahashi, .hours(16), after: [.fs(2), .fs(3)]),
                t("現行システム調査", 4, .kaede, watanabe, .hours(16), after: []),
            ]),
            wp("会員ポータル", .kaede, watanabe, [
                t("会員向け機能ヒアリング", 4, .kaede, watanabe, .fixed(800_000)),
                t("ポータル画面要件整理", 6, .kaede, watanabe, .fixed(1_200_000)),
                t("ポータル要件定義書作成", 5, .kaede, watanabe, .fixed(1_000_000)),
                t("ポータル要件レビュー", 3, .client, nakamura, .hours(8)),
            ]),
            wp("基幹連携", .aoba, kim, [
                t("現行IF棚卸し", 6, .aoba, kim, .hours(16)),
                t("連携要件定義", 8, .aoba, kim, .hours(16)),
                t("連携要件レビュー", 3, .client, tanaka, .hours(8)),
            ]),
            wp("CTI連携", .kaede, watanabe, [
                t("CTI連携要件定義", 5, .kaede, watanabe, .hours(16)),
            ]),
            wp("基盤", .aoba, yamamoto, [
                t("非機能要件（可用性・性能）整理", 5, .aoba, yamamoto, .hours(16)),
                t("基盤方式検討", 7, .aoba, yamamoto, .fixed(1_800_000)),
                t("調達計画・見積", 4, .aoba, kim, .fixed(600_000)),
            ]),
            wp("データ移行", .aoba, kim, [
                t("現行データ調査", 8, .aoba, yamamoto, .hours(16)),
                t("移行方針策定", 6, .aoba, kim, .hours(16)),
                t("移行方針レビュー", 3, .client, tanaka, .hours(8)),
            ]),
            wp("業務", .client, tanaka, [
                t("現行課題の整理", 6, .client, nakamura, .hours(16)),
                t("業務要件とりまとめ", 10, .client, tanaka, .hours(24)),
                t("業務部門合意", 4, .client, takahashi, .hours(8)),
            ]),
          ])

    static let phase2 = Phase(name: "基本設計",
          definition: "要件を画面・帳票・IF・データ・基盤の外部仕様に落とし込む。(Turn the requirements into the external design of screens, reports, interfaces, data and infrastructure.)",
          exitCriteria: "基本設計書のレビュー指摘が全てクローズし、設計凍結が宣言されている。(All review findings on the basic design are closed and the design freeze is declared.)",
          items: [
            wp("CRM", .kaede, ito, [
                t("画面設計（顧客管理）", 8, .kaede, ito, .hours(32)),
                t("画面設計（商談・キャンペーン）", 7, .kaede, watanabe, .hours(24)),
                t("データモデル設計", 6, .kaede, ito, .hours(16)),
                t("帳票設計", 5, .kaede, watanabe, .hours(16), after: [.ss(1, 3)]),
                t("権限設計", 3, .kaede, ito, .hours(8), after: [.fs(2)]),
                t("外部IF設計（CRM側）", 4, .kaede, ito, .hours(16), after: [.ss(2, 2)]),
                t("基本設計書レビュー", 4, .client, takahashi, .hours(16), after: [.fs(3), .fs(4), .fs(5)]),
            ]),
            wp("会員ポータル", .kaede, watanabe, [
                t("ポータル画面設計", 10, .kaede, watanabe, .fixed(2_400_000)),
                t("会員認証方式設計", 6, .kaede, watanabe, .fixed(1_200_000)),
                t("ポータル基本設計レビュー", 3, .client, nakamura, .hours(8), after: [.fs(1), .fs(3)]),
                t("ポータルIF設計", 4, .kaede, watanabe, .fixed(800_000), after: [.ss(0, 4)]),
            ]),
            wp("基幹連携", .aoba, kim, [
                t("IF方式設計", 6, .aoba, kim, .hours(16)),
                t("IF仕様書作成（受注連携）", 8, .aoba, kim, .hours(16)),
                t("IF仕様書作成（POS連携）", 6, .aoba, yamamoto, .hours(16), after: [.ss(1, 3)]),
                t("IF仕様レビュー", 3, .client, tanaka, .hours(8), after: [.fs(1), .fs(2)]),
            ]),
            wp("CTI連携", .kaede, watanabe, [
                t("CTI連携方式設計", 6, .kaede, watanabe, .hours(16)),
                t("CTI画面ポップアップ設計", 4, .kaede, watanabe, .hours(8)),
            ]),
            wp("基盤", .aoba, yamamoto, [
                t("基盤方式設計", 8, .aoba, yamamoto, .fixed(2_000_000)),
                t("ネットワーク設計", 5, .aoba, yamamoto, .fixed(1_000_000)),
                t("セキュリティ設計", 5, .aoba, kim, .fixed(1_000_000), after: [.ss(1, 2)]),
                t("運用設計", 6, .aoba, yamamoto, .hours(16), after: [.fs(1), .fs(2)]),
                t("基盤設計レビュー", 2, .client, sato, .hours(8)),
            ]),
            wp("データ移行", .aoba, kim, [
                t("名寄せルール設計", 10, .aoba, kim, .hours(16)),
                t("移行方式設計", 7, .aoba, yamamoto, .hours(16)),
                t("移行計画書作成", 5, .aoba, kim, .hours(8)),
            ]),
            wp("業務", .client, tanaka, [
                t("業務運用設計", 12, .client, tanaka, .hours(24)),
                t("業務運用レビュー", 4, .client, takahashi, .hours(8)),
            ]),
            .milestone("設計凍結", owner: takahashi, role: .gate),
          ])

    static let phase3 = Phase(name: "詳細設計",
          definition: "基本設計をもとにプログラム単位の内部仕様を作成する。(Write the internal, program-level specifications from the basic design.)",
          exitCriteria: "詳細設計書がレビュー済みで、製造に着手できる。(The detailed design is reviewed and build can start.)",
          items: [
            wp("CRM", .kaede, ito, [
                t("詳細設計（顧客管理）", 8, .kaede, ito, .hours(32)),
                t("詳細設計（商談・キャンペーン）", 7, .kaede, watanabe, .hours(24)),
                t("バッチ詳細設計", 4, .kaede, ito, .hours(16)),
                t("帳票詳細設計", 4, .kaede, watanabe, .hours(8), after: [.fs(0)]),
                t("詳細設計レビュー", 3, .kaede, ito, .hours(16), after: [.fs(2), .fs(3)]),
            ]),
            wp("会員ポータル", .kaede, watanabe, [
                t("ポータル詳細設計（画面）", 8, .kaede, watanabe, .fixed(1_600_000)),
                t("ポータル詳細設計（API）", 6, .kaede, watanabe, .fixed(1_200_000), after: [.ss(0, 3)]),
                t("ポータル詳細設計レビュー", 2, .kaede, watanabe, .fixed(300_000), after: [.fs(0), .fs(1)]),
            ]),
            wp("基幹連携", .aoba, kim, [
                t("IFプログラム詳細設計", 8, .aoba, kim, .hours(16)),
                t("IF詳細設計レビュー", 2, .client, tanaka, .hours(8)),
                t("連携テスト仕様書作成", 5, .aoba, kim, .hours(8), after: [.fs(0)]),
            ]),
            wp("CTI連携", .kaede, watanabe, [
                t("CTI詳細設計", 6, .kaede, watanabe, .hours(16)),
            ]),
            wp("基盤", .aoba, yamamoto, [
                t("構築手順書作成", 7, .aoba, yamamoto, .hours(16)),
                t("パラメータシート作成", 5, .aoba, yamamoto, .hours(8)),
                t("基盤詳細設計レビュー", 2, .client, sato, .hours(8)),
            ]),
            wp("データ移行", .aoba, kim, [
                t("移行ツール詳細設計", 9, .aoba, kim, .hours(16)),
                t("データマッピング定義", 7, .aoba, yamamoto, .hours(16), after: [.ss(0, 2)]),
                t("名寄せ候補確認手順作成", 4, .client, tanaka, .hours(8), after: [.fs(0), .fs(1)]),
            ]),
            wp("業務", .client, tanaka, [
                t("総合テスト計画", 6, .client, tanaka, .hours(16)),
                t("受入テスト計画", 6, .client, nakamura, .hours(16)),
            ]),
          ])

    static let phase4 = Phase(name: "製造・単体テスト",
          definition: "プログラムを製造し、単体テストで仕様どおり動くことを確認する。(Build the programs and show in unit tests that they work as specified.)",
          exitCriteria: "単体テストの消化率100%、重大バグ0件。(All unit tests run, no critical defects open.)",
          items: [
            wp("CRM", .kaede, ito, [
                t("画面製造（顧客管理）", 12, .kaede, ito, .hours(40)),
                t("画面製造（商談・キャンペーン）", 10, .kaede, watanabe, .hours(32)),
                t("バッチ製造", 7, .kaede, ito, .hours(24)),
                t("帳票製造", 8, .kaede, watanabe, .hours(16), after: [.fs(0)]),
                t("単体テスト（顧客管理）", 8, .kaede, watanabe, .hours(16), after: [.ss(0, 6)]),
                t("単体テスト（商談・バッチ・帳票）", 6, .kaede, watanabe, .hours(24), after: [.fs(2), .fs(3)]),
                t("結合テスト仕様書作成", 6, .kaede, watanabe, .hours(8), after: [.fs(1)]),
                t("製造完了判定", 2, .client, takahashi, .hours(8), after: [.fs(4), .fs(5), .fs(6)]),
            ]),
            wp("会員ポータル", .kaede, watanabe, [
                t("ポータル画面製造", 12, .kaede, watanabe, .fixed(3_600_000)),
                t("ポータルAPI製造", 10, .kaede, watanabe, .fixed(3_000_000), after: [.ss(0, 4)]),
                t("ポータル単体テスト", 6, .kaede, watanabe, .fixed(1_200_000), after: [.fs(0), .ff(1, 2)]),
            ]),
            wp("基幹連携", .aoba, kim, [
                t("IF製造（受注連携）", 10, .aoba, kim, .hours(24)),
                t("IF製造（POS連携）", 8, .aoba, yamamoto, .hours(16), after: [.ss(0, 3)]),
                t("IF単体テスト", 5, .aoba, kim, .hours(16), after: [.fs(0), .fs(1)]),
            ]),
            wp("CTI連携", .kaede, watanabe, [
                t("CTI連携製造", 8, .kaede, watanabe, .hours(16)),
                t("CTI単体テスト", 4, .kaede, watanabe, .hours(8)),
            ]),
            wp("基盤", .aoba, yamamoto, [
                t("結合テスト環境構築", 12, .aoba, yamamoto, .fixed(3_000_000)),
                t("本番環境構築", 12, .aoba, yamamoto, .fixed(4_500_000)),
                t("監視設定", 6, .aoba, yamamoto, .fixed(900_000), after: [.fs(0)]),
            ]),
            wp("データ移行", .aoba, kim, [
                t("移行ツール製造", 12, .aoba, kim, .hours(24)),
                t("名寄せロジック製造", 8, .aoba, yamamoto, .hours(16), after: [.ss(0, 4)]),
                t("移行ツール単体テスト", 6, .aoba, kim, .hours(16), after: [.fs(0), .fs(1)]),
            ]),
            wp("業務", .client, tanaka, [
                t("教育計画策定", 5, .client, sato, .hours(8)),
                t("テストデータ準備（マスキング）", 8, .client, tanaka, .hours(16), after: []),
            ]),
          ])

    static let phase5 = Phase(name: "結合テスト",
          definition: "機能間・システム間の連携をテストする。(Test how functions and systems work together.)",
          exitCriteria: "結合テスト項目の消化率100%、未解決の重大・高優先度バグ0件。(All integration test cases run, no open critical or high defects.)",
          items: [
            wp("CRM", .kaede, ito, [
                t("結合テスト（機能間）", 10, .kaede, watanabe, .hours(32)),
                t("システム間結合テスト", 8, .kaede, ito, .hours(24)),
                t("不具合修正・回帰テスト", 4, .kaede, ito, .hours(24)),
                t("結合テスト完了判定", 1, .client, takahashi, .hours(8)),
            ]),
            wp("会員ポータル", .kaede, watanabe, [
                t("ポータル結合テスト", 10, .kaede, watanabe, .fixed(2_000_000)),
                t("ポータル不具合修正", 4, .kaede, watanabe, .fixed(600_000)),
                t("ポータル回帰テスト", 3, .kaede, watanabe, .fixed(500_000)),
            ]),
            wp("基幹連携", .aoba, kim, [
                t("連携テスト（受注）", 6, .aoba, kim, .hours(16)),
                t("連携テスト（POS）", 6, .aoba, yamamoto, .hours(16), after: [.ss(0, 2)]),
                t("連携テスト（会員ポータル）", 5, .aoba, kim, .hours(16), after: [.ss(0, 3)]),
            ]),
            wp("CTI連携", .kaede, watanabe, [
                t("CTI結合テスト", 6, .kaede, watanabe, .hours(16)),
            ]),
            wp("基盤", .aoba, yamamoto, [
                t("性能試験環境準備", 6, .aoba, yamamoto, .fixed(1_200_000)),
                t("バックアップ・リストア試験", 4, .aoba, yamamoto, .hours(16)),
            ]),
            wp("データ移行", .aoba, kim, [
                t("移行リハーサル1回目", 8, .aoba, kim, .hours(24)),
                t("移行データ検証", 5, .client, tanaka, .hours(16)),
                t("リハーサル結果評価", 3, .client, tanaka, .hours(8)),
            ]),
          ])

    static let phase6 = Phase(name: "総合テスト",
          definition: "本番相当環境で業務シナリオ・性能・障害時運用を検証する。(Verify business scenarios, performance and failure operations in a production-like environment.)",
          exitCriteria: "性能要件（検索3秒以内）を含む全シナリオが合格している。(Every scenario passes, including the 3-second search response.)",
          items: [
            wp("CRM", .kaede, ito, [
                t("業務シナリオテスト", 10, .kaede, ito, .hours(32)),
                t("性能テスト", 5, .kaede, ito, .hours(16)),
                t("障害・運用テスト", 3, .aoba, yamamoto, .hours(16)),
                t("総合テスト完了判定", 1, .client, takahashi, .hours(8)),
            ]),
            wp("会員ポータル", .kaede, watanabe, [
                t("ポータル総合テスト", 8, .kaede, watanabe, .fixed(1_600_000)),
                t("ポータル性能テスト", 4, .kaede, watanabe, .fixed(800_000), after: [.ss(0, 4)]),
            ]),
            wp("CTI連携", .kaede, watanabe, [
                t("CTI総合テスト（コールセンター）", 4, .kaede, watanabe, .hours(16)),
            ]),
            wp("基盤", .aoba, yamamoto, [
                t("性能チューニング", 5, .aoba, yamamoto, .hours(16), after: []),
                t("運用リハーサル", 4, .aoba, yamamoto, .hours(16)),
            ]),
            wp("データ移行", .aoba, kim, [
                t("移行リハーサル2回目", 6, .aoba, kim, .hours(24)),
                t("移行手順書確定", 3, .aoba, kim, .hours(8)),
            ]),
            wp("業務", .client, tanaka, [
                t("業務マニュアル作成", 10, .client, nakamura, .hours(16)),
                t("ユーザー教育準備", 5, .client, sato, .hours(8)),
            ]),
          ])

    static let phase7 = Phase(name: "受入テスト",
          definition: "業務部門が実業務の観点で受け入れ可否を判定する。(The business departments decide, from real work, whether to accept the system.)",
          exitCriteria: "業務部門の受入判定書が承認されている。(The business departments' acceptance decision is signed off.)",
          items: [
            wp("業務", .client, tanaka, [
                t("受入テスト（店舗業務）", 10, .client, tanaka, .hours(32)),
                t("受入テスト（コールセンター）", 10, .client, nakamura, .hours(32), after: [.ss(0, 2)]),
                t("受入判定会議", 1, .client, takahashi, .hours(8), after: [.fs(0), .fs(1)]),
                t("ユーザー教育", 8, .client, sato, .hours(24), after: [.ss(0, 3)]),
            ]),
            wp("CRM", .kaede, ito, [
                t("受入テスト支援・不具合対応", 12, .kaede, ito, .hours(24)),
                t("本番リリース資材作成", 4, .kaede, watanabe, .hours(16), after: [.ss(0, 8)]),
            ]),
            wp("会員ポータル", .client, nakamura, [
                t("ポータル受入テスト", 6, .client, nakamura, .hours(16)),
            ]),
          ])

    static let phase8 = Phase(name: "移行・リリース",
          definition: "本番データ移行・切替・本番稼働と稼働後の安定化を行う。(Migrate the production data, cut over, go live and stabilise.)",
          exitCriteria: "Go/No-Go判定を経て本番稼働し、検収が完了している。(Live after the Go/No-Go decision, and accepted.)",
          items: [
            wp("データ移行", .aoba, kim, [
                t("本番移行判定（Go/No-Go）", 1, .client, takahashi, .hours(8)),
                t("本番データ移行", 3, .aoba, kim, .hours(32)),
                t("移行後データ検証", 2, .client, tanaka, .hours(16)),
                t("切替・稼働確認", 1, .aoba, yamamoto, .hours(24)),
            ]),
            wp("業務", .client, sato, [
                t("問い合わせ窓口開設", 3, .client, sato, .hours(8)),
                t("旧システム停止", 2, .client, tanaka, .hours(8), after: []),
            ]),
            .milestone("リリース", owner: takahashi, role: .plain),
            wp("CRM", .kaede, ito, [
                t("稼働後安定化（ハイパーケア）", 8, .kaede, ito, .hours(24)),
            ]),
            wp("基盤", .aoba, yamamoto, [
                t("本番監視開始", 1, .aoba, yamamoto, .hours(8)),
                t("運用引継ぎ", 5, .aoba, yamamoto, .hours(16)),
            ]),
            .milestone("検収", owner: takahashi, role: .plain),
          ])

    /// Links across packages that the same-system chaining and the milestones' roles do not give.
    static let links: [Link] = [
        Link(from: "基盤/結合テスト環境構築", to: "CRM/結合テスト（機能間）"),
        Link(from: "業務/テストデータ準備（マスキング）", to: "CRM/結合テスト（機能間）"),
        Link(from: "基幹連携/IF単体テスト", to: "CRM/システム間結合テスト"),
        Link(from: "CRM/結合テスト（機能間）", to: "基幹連携/連携テスト（受注）"),
        Link(from: "会員ポータル/ポータル単体テスト", to: "基幹連携/連携テスト（会員ポータル）"),
        Link(from: "CTI連携/CTI単体テスト", to: "CRM/システム間結合テスト"),
        Link(from: "基盤/結合テスト環境構築", to: "データ移行/移行リハーサル1回目"),
        Link(from: "基盤/性能試験環境準備", to: "CRM/性能テスト"),
        Link(from: "CRM/性能テスト", to: "基盤/性能チューニング", kind: .startToStart, lagDays: 2),
        Link(from: "データ移行/リハーサル結果評価", to: "データ移行/移行リハーサル2回目", lagDays: 5),
        Link(from: "CRM/障害・運用テスト", to: "業務/受入テスト（店舗業務）"),
        Link(from: "業務/受入テスト（店舗業務）", to: "CRM/受入テスト支援・不具合対応", kind: .startToStart),
        Link(from: "CRM/受入テスト支援・不具合対応", to: "業務/受入判定会議"),
        Link(from: "業務/受入判定会議", to: "データ移行/本番移行判定（Go/No-Go）"),
        Link(from: "会員ポータル/ポータル受入テスト", to: "データ移行/本番移行判定（Go/No-Go）"),
        Link(from: "データ移行/切替・稼働確認", to: "リリース"),
        Link(from: "業務/問い合わせ窓口開設", to: "リリース"),
        Link(from: "リリース", to: "CRM/稼働後安定化（ハイパーケア）"),
        Link(from: "リリース", to: "基盤/本番監視開始"),
        Link(from: "リリース", to: "業務/旧システム停止"),
        Link(from: "CRM/稼働後安定化（ハイパーケア）", to: "検収"),
        Link(from: "基盤/運用引継ぎ", to: "検収", kind: .finishToFinish),
        Link(from: "業務/旧システム停止", to: "検収"),
    ]

    // MARK: Loading

    /// Loads the plan into the demo project `key`. `users` are the demo people in `DemoData` order.
    static func load(into store: Store, key: String, users: [UserRecord], client: CompanyID, kaede: CompanyID, aoba: CompanyID,
                     today: CalendarDate) async throws {
        let now = store.now()
        func at(_ day: Int) -> Store {
            var s = store
            s.clock = { now.addingTimeInterval(Double(day) * 86_400) }
            return s
        }
        let pmo = try Caller(users[sato])
        let userIDs = try users.map { UserID(try $0.requireID()) }
        func company(_ f: Firm) -> CompanyID { f == .client ? client : f == .kaede ? kaede : aoba }
        let day = 480
        let created = -118

        // Phases, rates and the vendor's summer closure first: the activities refer to them.
        let phaseRecords = phases.map { PlanPhase(name: $0.name, definition: $0.definition, exitCriteria: $0.exitCriteria) }
        try await at(created).plans.setPhases(pmo, key: key, phaseRecords)
        let summer = (today.year - 1...today.year + 1).map { y in
            CalendarException(name: "夏季休暇（楓システムズ） / Summer closure", firstDay: CivilDate(year: y, month: 8, day: 13)!,
                              lastDay: CivilDate(year: y, month: 8, day: 16)!)
        }
        try await at(created).plans.setCompanyTerms(pmo, key: key, companyID: client.rawValue, hourlyRate: .yen(5_000), closures: nil)
        try await at(created).plans.setCompanyTerms(pmo, key: key, companyID: kaede.rawValue, hourlyRate: .yen(9_000), closures: summer)
        try await at(created).plans.setCompanyTerms(pmo, key: key, companyID: aoba.rawValue, hourlyRate: .yen(12_000), closures: nil)

        // The WBS, top down; uids by "system/task" (milestones by name).
        var uidOf: [String: Int] = [:]
        var entries: [[Int]] = []       // per phase: first tasks of its packages
        var exits: [[Int]] = []         // per phase: last tasks of its packages
        var startLinks: [(Int, Int)] = []  // a start milestone's links to the packages above and below it
        var packageEnds: [(phase: Int, system: String, entries: [Int], exits: [Int])] = []
        var milestones: [(uid: Int, phase: Int, role: MilestoneRole)] = []
        var internalLinks: [(Int, Int, Dependency.Kind, Int)] = []
        let s = at(created)
        var added = Set<[Int]>()
        /// Adds the links whose two ends exist by now (each phase's as soon as it is created, so that every
        /// addition reads a smaller plan): inside packages, package to the same system's next package, the
        /// milestones' roles, then the explicit ones (which win over a same-system link between the same two tasks).
        func addLinks(final: Bool) async throws {
            var links: [(Int, Int, Dependency.Kind, Int)] = internalLinks + startLinks.map { ($0.0, $0.1, .finishToStart, 0) }
            let gates = Set(milestones.filter { $0.role == .gate }.map(\.phase))
            var previous: [String: (phase: Int, exits: [Int])] = [:]
            for pkg in packageEnds {
                if let prev = previous[pkg.system], !(gates.contains(prev.phase) && pkg.phase == prev.phase + 1) {
                    for a in prev.exits { for b in pkg.entries { links.append((a, b, .finishToStart, 0)) } }
                }
                previous[pkg.system] = (pkg.phase, pkg.exits)
            }
            for m in milestones {
                switch m.role {
                case .gate:
                    for a in exits[m.phase] { links.append((a, m.uid, .finishToStart, 0)) }
                    if m.phase + 1 < entries.count { for b in entries[m.phase + 1] { links.append((m.uid, b, .finishToStart, 0)) } }
                case .start, .plain:
                    break
                }
            }
            for l in Self.links {
                guard let a = uidOf[l.from], let b = uidOf[l.to] else {
                    if final { assertionFailure("The demo plan has no activity \(l.from) or \(l.to).") }
                    continue
                }
                links.removeAll { $0.0 == a && $0.1 == b }
                links.append((a, b, l.kind, l.lagDays))
            }
            for (a, b, kind, lag) in links where added.insert([a, b]).inserted {
                _ = try await s.plans.addDependency(pmo, key: key, PlanDependencyInput(
                    predecessorUID: a, successorUID: b, kind: kind, lag: .working(minutes: lag * day)))
            }
        }
        for (p, phase) in phases.enumerated() {
            let phaseID = phaseRecords[p].id
            let phaseRow = try await s.plans.createActivity(pmo, key: key, parentUID: nil) { a in
                a.name = phase.name
                a.phaseID = phaseID
                a.ownerID = userIDs[takahashi]
            }
            var phaseEntries: [Int] = [], phaseExits: [Int] = []
            var startMilestone: Int?
            for item in phase.items {
                switch item {
                case .milestone(let name, let owner, let role):
                    let m = try await s.plans.createActivity(pmo, key: key, parentUID: phaseRow.uid) { a in
                        a.name = name
                        a.kind = .milestone
                        a.phaseID = phaseID
                        a.ownerID = userIDs[owner]
                        a.companyID = client
                    }
                    uidOf[name] = m.uid
                    milestones.append((m.uid, p, role))
                    if role == .start {
                        startMilestone = m.uid
                        for a in phaseExits { startLinks.append((a, m.uid)) }
                    }
                case .package(let pkg):
                    let cid = company(pkg.firm)
                    let wpRow = try await s.plans.createActivity(pmo, key: key, parentUID: phaseRow.uid) { a in
                        a.name = "\(pkg.system) \(phase.name)"
                        a.phaseID = phaseID
                        a.system = pkg.system
                        a.companyID = cid
                        a.ownerID = userIDs[pkg.owner]
                    }
                    var uids: [Int] = []
                    for task in pkg.tasks {
                        let tc = company(task.firm), owner = userIDs[task.owner], system = pkg.system
                        let row = try await s.plans.createActivity(pmo, key: key, parentUID: wpRow.uid) { a in
                            a.name = task.name
                            a.duration = .working(task.days * day)
                            a.phaseID = phaseID
                            a.system = system
                            a.companyID = tc
                            a.ownerID = owner
                            switch task.cost {
                            case .hours(let perDay):
                                a.costBasis = .effort
                                a.effortHours = perDay * Double(task.days)
                            case .fixed(let amount):
                                a.costBasis = .fixed
                                a.budgetAmount = Money(rounding: amount) ?? .zero
                            }
                        }
                        uids.append(row.uid)
                        assert(uidOf["\(pkg.system)/\(task.name)"] == nil, "Two demo tasks are named \(pkg.system)/\(task.name).")
                        uidOf["\(pkg.system)/\(task.name)"] = row.uid
                    }
                    var hasPred = Set<Int>(), isPred = Set<Int>()
                    for (i, task) in pkg.tasks.enumerated() {
                        let preds = task.after ?? (i == 0 ? [] : [.fs(i - 1)])
                        for pr in preds {
                            internalLinks.append((uids[pr.index], uids[i], pr.kind, pr.lagDays))
                            hasPred.insert(i)
                            isPred.insert(pr.index)
                        }
                    }
                    let first = uids.indices.filter { !hasPred.contains($0) }.map { uids[$0] }
                    let last = uids.indices.filter { !isPred.contains($0) }.map { uids[$0] }
                    phaseEntries += first
                    phaseExits += last
                    if let m = startMilestone { for b in first { startLinks.append((m, b)) } }
                    packageEnds.append((p, pkg.system, first, last))
                }
            }
            entries.append(phaseEntries)
            exits.append(phaseExits)
            try await addLinks(final: false)
        }

        try await addLinks(final: true)

        try await history(store: store, key: key, users: users, today: today, lengthen: [uidOf["基盤/結合テスト環境構築"]].compactMap { $0 })
    }
}

extension DemoPlan {
    /// The month since the plan was created: the approved baseline a month ago, slips since (a critical task and the
    /// test environment take longer, two vendor tasks start late), and progress at three weekly status dates.
    static func history(store: Store, key: String, users: [UserRecord], today: CalendarDate, lengthen: [Int]) async throws {
        let now = store.now()
        func at(_ day: Int) -> Store {
            var s = store
            s.clock = { now.addingTimeInterval(Double(day) * 86_400) }
            return s
        }
        let pmo = try Caller(users[sato]), pm = try Caller(users[takahashi])
        let day = 480
        _ = try await at(-30).plans.createBaseline(pm, key: key, number: 0, name: "承認済み計画 / Approved plan")

        // Slips: the critical task under way (or next) a little after the baseline takes five days more, and the
        // integration-test environment six (the demo's risk and issue about it).
        let slipDay = -25
        let before = try await at(slipDay).plans.view(pmo, key: key)
        let slipDate = today.adding(days: slipDay)
        let leaves = before.rows.filter { !$0.hasChildren && $0.activity.kind != .milestone }
        let scheduled = before.scheduledByUID
        let critical = leaves.compactMap { r -> (Int, LocalTime)? in
            guard let s = scheduled[r.activity.uid], s.isCritical, s.finish.date > slipDate else { return nil }
            return (r.activity.uid, s.start)
        }.min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
        var longer: [(Int, Int)] = lengthen.map { ($0, 6) }
        if let critical { longer.insert((critical, 5), at: 0) }
        for (uid, days) in longer {
            _ = try await at(slipDay).plans.updateActivity(pmo, key: key, uid: uid, expectedVersion: nil) { a in
                a.duration = .working(a.duration.minutes + days * day)
                a.notes = "ベースライン承認後に\(days)日延長（見積差異）。/ Lengthened by \(days) days after the baseline."
            }
        }

        // Three weekly status dates, ending on the last Friday before today.
        var friday = today.adding(days: -1)
        while friday.weekday != 5 { friday = friday.adding(days: -1) }
        let statusDates = [friday.adding(days: -14), friday.adding(days: -7), friday]

        // Two vendor tasks due to start in those weeks start three working days late.
        let current = try await at(slipDay).plans.view(pmo, key: key)
        let lengthened = Set(longer.map(\.0))
        var late = Set<Int>()
        let window = statusDates[0].adding(days: -3)...statusDates[2].adding(days: -4)
        let client = CompanyID(users[sato].companyID)
        var lateByCompany = Set<CompanyID>()
        let candidates = current.rows.compactMap { r -> (CivilDate, Int, CompanyID)? in
            let a = r.activity
            guard !r.hasChildren, a.kind != .milestone, !lengthened.contains(a.uid), let c = a.companyID,
                  c != client, let s = current.scheduled(a.uid), !s.isCritical, window.contains(s.start.date) else { return nil }
            return (s.start.date, a.uid, c)
        }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        for (_, uid, c) in candidates where late.count < 2 && lateByCompany.insert(c).inserted { late.insert(uid) }

        let byID = Dictionary(try users.map { (try $0.requireID(), $0) }, uniquingKeysWith: { a, _ in a })
        var lastPercent: [Int: Double] = [:]
        for statusDate in statusDates {
            let s = at(statusDate.dayNumber - today.dayNumber)
            try await s.plans.setStatusDate(pmo, key: key, statusDate)
            let view = try await s.plans.view(pmo, key: key)
            let calendars = Dictionary(view.snapshot.resolvedCalendars().map { ($0.id.rawValue, $0) }, uniquingKeysWith: { a, _ in a })
            for row in view.rows where !row.hasChildren {
                let a = row.activity
                guard lastPercent[a.uid] != 100, let sa = view.scheduled(a.uid) else { continue }
                let cal = calendars[view.snapshot.calendarUID(for: a)] ?? WorkCalendar.japan
                let total = max(1, a.duration.minutes / day)
                var start = a.progress.actualStart?.date ?? sa.start.date
                var finish = sa.finish.date
                if a.progress.actualStart == nil && late.contains(a.uid) {
                    start = workingDay(cal, after: start, count: 3)
                    finish = workingDay(cal, after: start, count: total - 1)
                }
                guard start <= statusDate else { continue }
                var input = ProgressInput(actualStart: start)
                let percent: Double
                if a.kind == .milestone {
                    percent = 100
                    input.actualFinish = start
                } else if finish <= statusDate {
                    percent = 100
                    input.actualFinish = finish
                } else {
                    let done = Double(workingDays(cal, from: start, through: statusDate)) / Double(total)
                    // Most work runs a little behind its elapsed time (the demo's SPI just under 1).
                    let pace = 0.80 + Double((a.uid * 7_919) % 19) / 100
                    percent = min(95, max(5, (100 * done * pace).rounded()))
                    input.percentComplete = percent
                }
                guard percent != lastPercent[a.uid] else { continue }
                // And costs a little more than budgeted (CPI just under 1).
                let overrun = 1.02 + Double((a.uid * 104_729) % 11) / 100
                if a.costBasis == .effort {
                    input.actualHours = (a.effortHours * percent / 100 * overrun).rounded()
                } else if a.budgetAmount > .zero {
                    input.actualCost = Money(rounding: (a.budgetAmount.approximate * percent / 100 * overrun / 1_000).rounded() * 1_000)
                }
                let caller = try a.ownerID.flatMap { byID[$0.rawValue] }.map(Caller.init) ?? pmo
                _ = try await s.plans.recordProgress(caller, key: key, uid: a.uid, expectedVersion: nil, input)
                lastPercent[a.uid] = percent
            }
        }
    }

    /// Working days of `calendar` from `first` through `last`, both counted.
    static func workingDays(_ calendar: WorkCalendar, from first: CivilDate, through last: CivilDate) -> Int {
        var n = 0
        var d = first
        while d <= last {
            if calendar.isWorkingDay(d) { n += 1 }
            d = d.adding(days: 1)
        }
        return n
    }

    /// The `count`-th working day of `calendar` after `date` (`date` itself when count is 0).
    static func workingDay(_ calendar: WorkCalendar, after date: CivilDate, count: Int) -> CivilDate {
        var d = date
        var n = 0
        while n < count {
            d = d.adding(days: 1)
            if calendar.isWorkingDay(d) { n += 1 }
        }
        return d
    }
}
