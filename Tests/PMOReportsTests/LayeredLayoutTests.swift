import Foundation
import Testing

@testable import PMOReports

@Suite struct LayeredLayoutTests {
    typealias Node = LayeredLayout.Node
    typealias Edge = LayeredLayout.Edge

    /// A random graph on `count` nodes (fixed seed): edges from a lower to a higher index when `acyclic`, else any way.
    static func graph(count: Int, edges: Int, groups: Int, acyclic: Bool, labels: Bool = false, seed: UInt64 = 7) -> ([Node], [Edge]) {
        var random = SyntheticSystemMap.Random(state: seed)
        let nodes = (0..<count).map { i in
            Node(id: "n\(i)", width: 60 + Double(random.below(80)), height: 30 + Double(random.below(20)), group: groups > 0 ? "lane \(random.below(groups))" : nil)
        }
        let list = (0..<edges).map { _ -> Edge in
            var a = random.below(count), b = random.below(count)
            while a == b { b = random.below(count) }
            if acyclic && a > b { swap(&a, &b) }
            let label = labels ? LayeredLayout.Size(width: 20 + Double(random.below(90)), height: 16 + Double(13 * random.below(2))) : nil
            return Edge(from: "n\(a)", to: "n\(b)", label: label)
        }
        return (nodes, list)
    }

    static func placed(_ result: LayeredLayout.Result) -> [String: LayeredLayout.PlacedNode] {
        Dictionary(uniqueKeysWithValues: result.nodes.map { ($0.id, $0) })
    }

    /// Crossings between edges joining adjacent layers, counted from the nodes' centres.
    static func crossings(_ result: LayeredLayout.Result, _ edges: [Edge]) -> Int {
        let at = placed(result)
        let spans = edges.compactMap { e -> (layer: Int, a: Double, b: Double)? in
            guard let f = at[e.from], let t = at[e.to], t.layer == f.layer + 1 else { return nil }
            return (f.layer, f.rect.midY, t.rect.midY)
        }
        var count = 0
        for i in spans.indices {
            for j in spans.indices where j > i && spans[i].layer == spans[j].layer {
                if (spans[i].a - spans[j].a) * (spans[i].b - spans[j].b) < 0 { count += 1 }
            }
        }
        return count
    }

    @Test func acyclicEdgesAlwaysPointToALaterLayer() {
        let (nodes, edges) = Self.graph(count: 30, edges: 70, groups: 3, acyclic: true)
        for mode in [LayeredLayout.CycleBreaking.greedy, .depthFirst] {
            var options = LayeredLayout.Options()
            options.cycleBreaking = mode
            let result = LayeredLayout.layout(nodes: nodes, edges: edges, options: options)
            let at = Self.placed(result)
            for (edge, route) in zip(edges, result.routes) {
                #expect(!route.reversed)
                #expect((at[edge.from]?.layer ?? 0) < (at[edge.to]?.layer ?? 0), "\(edge.from) → \(edge.to)")
                // Left to right: a forward route never turns back.
                #expect(zip(route.points, route.points.dropFirst()).allSatisfy { $0.x <= $1.x })
            }
        }
    }

    @Test func cyclesAreBrokenAndEveryRouteJoinsItsEnds() throws {
        let (nodes, edges) = Self.graph(count: 25, edges: 80, groups: 4, acyclic: false, labels: true)
        for mode in [LayeredLayout.CycleBreaking.greedy, .depthFirst] {
            var options = LayeredLayout.Options()
            options.cycleBreaking = mode
            let result = LayeredLayout.layout(nodes: nodes, edges: edges, options: options)
            let at = Self.placed(result)
            #expect(result.routes.contains { $0.reversed })
            for (edge, route) in zip(edges, result.routes) {
                let from = try #require(at[edge.from]).rect, to = try #require(at[edge.to]).rect
                let start = try #require(route.points.first), end = try #require(route.points.last)
                // Forward routes leave the right side and enter the left; reversed ones the other way round.
                #expect(start.x == (route.reversed ? from.x : from.maxX) && start.y >= from.y && start.y <= from.maxY)
                #expect(end.x == (route.reversed ? to.maxX : to.x) && end.y >= to.y && end.y <= to.maxY)
                // The layering is consistent with the turned-round edge.
                let a = try #require(at[edge.from]).layer, b = try #require(at[edge.to]).layer
                #expect(route.reversed ? a > b : a < b)
            }
        }
    }

    @Test func maxLayersPacksATangledGraphIntoFewColumns() throws {
        let (nodes, edges) = Self.graph(count: 40, edges: 150, groups: 5, acyclic: false, labels: true, seed: 5)
        var options = LayeredLayout.Options()
        options.maxLayers = 7
        let free = LayeredLayout.layout(nodes: nodes, edges: edges)
        let capped = LayeredLayout.layout(nodes: nodes, edges: edges, options: options)
        #expect(free.layerCount > 7)
        #expect(capped.layerCount <= 7)
        let at = Self.placed(capped)
        for (edge, route) in zip(edges, capped.routes) {
            let a = try #require(at[edge.from]).layer, b = try #require(at[edge.to]).layer
            #expect(a != b, "\(edge.from) and \(edge.to) share a column")
            #expect(route.reversed == (a > b))
        }
        // An acyclic graph that fits keeps its longest-path layers.
        let chain = (0..<5).map { Node(id: "c\($0)", width: 40, height: 20) }
        let links = (0..<4).map { Edge(from: "c\($0)", to: "c\($0 + 1)") }
        #expect(LayeredLayout.layout(nodes: chain, edges: links, options: options).nodes.map(\.layer) == [0, 1, 2, 3, 4])
    }

    @Test func isolatedNodesSpreadIntoAGrid() {
        let nodes = (0..<16).map { Node(id: "n\($0)", width: 40, height: 20, group: $0 < 8 ? "a" : "b") }
        var options = LayeredLayout.Options()
        options.maxLayers = 6
        let grid = LayeredLayout.layout(nodes: nodes, edges: [], options: options)
        #expect(grid.layerCount == 4)  // √16 columns, two nodes per lane in each
        for column in 0..<4 {
            for lane in 0..<2 { #expect(grid.nodes.filter { $0.layer == column && $0.lane == lane }.count == 2) }
        }
        #expect(LayeredLayout.layout(nodes: nodes, edges: []).layerCount == 1)  // no limit set: one column
    }

    @Test func crossingReductionUntanglesAReversedLadder() {
        // a1…a6 → b6…b1 in input order cross 15 times; b → c keeps the second gap consistent with the first.
        let nodes = (1...6).map { Node(id: "a\($0)", width: 40, height: 20) } + (1...6).map { Node(id: "b\($0)", width: 40, height: 20) }
            + (1...6).map { Node(id: "c\($0)", width: 40, height: 20) }
        let edges = (1...6).map { Edge(from: "a\($0)", to: "b\(7 - $0)") } + (1...6).map { Edge(from: "b\($0)", to: "c\($0)") }
        var initial = LayeredLayout.Options()
        initial.crossingPasses = 0
        let before = LayeredLayout.layout(nodes: nodes, edges: edges, options: initial)
        let after = LayeredLayout.layout(nodes: nodes, edges: edges)
        #expect(Self.crossings(before, edges) == 15)
        #expect(before.crossings == 15)
        #expect(Self.crossings(after, edges) == 0)
        #expect(after.crossings == 0)
    }

    @Test func crossingReductionNeverMakesARandomGraphWorse() {
        for seed: UInt64 in [1, 2, 3, 4, 5] {
            let (nodes, edges) = Self.graph(count: 30, edges: 60, groups: 3, acyclic: false, seed: seed)
            var initial = LayeredLayout.Options()
            initial.crossingPasses = 0
            let before = LayeredLayout.layout(nodes: nodes, edges: edges, options: initial)
            let after = LayeredLayout.layout(nodes: nodes, edges: edges)
            #expect(after.crossings <= before.crossings)
            #expect(after.crossings < before.crossings, "seed \(seed): sweeps should find something better than input order")
        }
    }

    @Test func lanesStackInOrderOfFirstAppearanceAndHoldTheirNodes() {
        let (nodes, edges) = Self.graph(count: 40, edges: 90, groups: 5, acyclic: false, labels: true)
        let result = LayeredLayout.layout(nodes: nodes, edges: edges)
        var order: [String] = []
        for node in nodes where !order.contains(node.group ?? "") { order.append(node.group ?? "") }
        #expect(result.lanes.map { $0.name ?? "" } == order)
        for (upper, lower) in zip(result.lanes, result.lanes.dropFirst()) { #expect(upper.rect.maxY <= lower.rect.y) }
        for node in result.nodes {
            let lane = result.lanes[node.lane]
            #expect(lane.name == nodes.first { $0.id == node.id }?.group)
            #expect(lane.rect.contains(node.rect), "\(node.id) outside its lane")
        }
    }

    @Test func nodesAndLabelsNeverOverlapAndRoutesAvoidOtherNodes() {
        let (nodes, edges) = Self.graph(count: 40, edges: 120, groups: 4, acyclic: false, labels: true, seed: 11)
        let result = LayeredLayout.layout(nodes: nodes, edges: edges)
        let rects = result.nodes.map(\.rect), labels = result.routes.compactMap(\.label)
        #expect(labels.count == edges.count)
        for (i, a) in rects.enumerated() {
            for b in rects[(i + 1)...] { #expect(!a.overlaps(b)) }
            for l in labels { #expect(!a.overlaps(l)) }
        }
        for (i, a) in labels.enumerated() { for b in labels[(i + 1)...] { #expect(!a.overlaps(b)) } }
        for r in rects + labels { #expect(r.x >= 0 && r.y >= 0 && r.maxX <= result.width && r.maxY <= result.height) }
        // Sample every curve: it may touch its own ends' boxes but never runs through another box.
        let at = Self.placed(result)
        for (edge, route) in zip(edges, result.routes) {
            var p = route.points[0]
            for c in route.curves {
                for k in 1...10 {
                    let t = Double(k) / 10, u = 1 - t
                    let x = u * u * u * p.x + 3 * u * u * t * c.c1.x + 3 * u * t * t * c.c2.x + t * t * t * c.to.x
                    let y = u * u * u * p.y + 3 * u * u * t * c.c1.y + 3 * u * t * t * c.c2.y + t * t * t * c.to.y
                    for node in result.nodes where node.id != edge.from && node.id != edge.to {
                        let r = node.rect
                        #expect(!(x > r.x + 1 && x < r.maxX - 1 && y > r.y + 1 && y < r.maxY - 1), "\(edge.from)→\(edge.to) crosses \(node.id)")
                    }
                }
                p = c.to
            }
            _ = at
        }
    }

    @Test func longEdgesRunThroughEveryLayerTheySpan() throws {
        // a → b → c → d → e and a long a → e: the long edge gets a bend point in each of the three columns between.
        let nodes = ["a", "b", "c", "d", "e"].map { Node(id: $0, width: 50, height: 30) }
        let edges = [Edge(from: "a", to: "b"), Edge(from: "b", to: "c"), Edge(from: "c", to: "d"), Edge(from: "d", to: "e"), Edge(from: "a", to: "e")]
        let result = LayeredLayout.layout(nodes: nodes, edges: edges)
        #expect(result.nodes.map(\.layer) == [0, 1, 2, 3, 4])
        let long = result.routes[4]
        #expect(long.points.count == 2 + 3 * 2)
        for middle in result.nodes[1...3] {
            let r = middle.rect
            #expect(long.points.contains { $0.x == r.x } && long.points.contains { $0.x == r.maxX })
            #expect(long.points.allSatisfy { !($0.y > r.y && $0.y < r.maxY) }, "the long edge passes \(middle.id) above or below")
        }
    }

    @Test func oddInputs() {
        let nodes = [Node(id: "a", width: 50, height: 30), Node(id: "a", width: 90, height: 90), Node(id: "b", width: 50, height: 30)]
        let edges = [Edge(from: "a", to: "zz"), Edge(from: "a", to: "a", label: .init(width: 30, height: 16)), Edge(from: "a", to: "b")]
        let result = LayeredLayout.layout(nodes: nodes, edges: edges)
        #expect(result.nodes.map(\.id) == ["a", "b"])
        #expect(result.nodes[0].rect.width == 50)
        #expect(result.routes[0].points.isEmpty)
        #expect(result.routes[1].points.count == 3)  // a small loop on a's right side, reaching its label
        #expect(result.routes[1].label.map { !$0.overlaps(result.nodes[0].rect) && !$0.overlaps(result.nodes[1].rect) } == true)
        #expect(result.routes[2].points.count >= 2)
        let empty = LayeredLayout.layout(nodes: [], edges: [Edge(from: "x", to: "y")])
        #expect(empty.nodes.isEmpty && empty.layerCount == 0 && empty.routes.count == 1)
    }

    @Test func sameInputGivesTheSameLayout() {
        let (nodes, edges) = Self.graph(count: 40, edges: 150, groups: 5, acyclic: false, labels: true, seed: 3)
        #expect(LayeredLayout.layout(nodes: nodes, edges: edges) == LayeredLayout.layout(nodes: nodes, edges: edges))
    }

    @Test func packKeepsOrderGapsAndBounds() {
        // Three boxes wanting the same top are spread evenly around it; bounds push the whole run.
        let tops = LayeredLayout.pack(desired: [50, 50, 50], heights: [10, 10, 10], gaps: [0, 5, 5], lower: 0, upper: 200)
        #expect(tops == [35, 50, 65])
        let clamped = LayeredLayout.pack(desired: [0, 0], heights: [10, 10], gaps: [0, 2], lower: 10, upper: 100)
        #expect(clamped == [10, 22])
        let bottom = LayeredLayout.pack(desired: [95, 99], heights: [10, 10], gaps: [0, 2], lower: 0, upper: 100)
        #expect(bottom == [78, 90])
        let apart = LayeredLayout.pack(desired: [0, 40], heights: [10, 10], gaps: [0, 2], lower: 0, upper: 100)
        #expect(apart == [0, 40])
    }
}
