import Foundation

/// A left-to-right layered (Sugiyama-style) layout of boxes and arrows, with optional horizontal swim lanes.
///
/// Steps: cycles are broken by reversing the back edges of a depth-first search; layers are the longest path from a
/// source (sources then move right next to their nearest successor); edges spanning several layers get one dummy per
/// crossed layer; barycenter sweeps order the nodes inside each (lane, layer) cell, keeping the order with the fewest
/// crossings; finally the cells are stacked in their lanes and nudged towards their neighbours.
///
/// Edge labels sit in the gap ("channel") between two columns and the edge is routed through them, so a label can
/// never cover a node, and labels of one channel are stacked so they never cover each other. Pure and deterministic:
/// the same input gives the same result, whatever the hashing seed.
public enum LayeredLayout {
    /// A point in layout units (pixels at 1:1); origin top-left, y grows downwards.
    public struct Point: Sendable, Equatable {
        public var x: Double
        public var y: Double
        public init(x: Double, y: Double) { self.x = x; self.y = y }
    }

    /// A size in layout units; both ≥ 0.
    public struct Size: Sendable, Equatable {
        public var width: Double
        public var height: Double
        public init(width: Double, height: Double) { self.width = width; self.height = height }
    }

    /// An axis-aligned rectangle in layout units: `x`, `y` is the top-left corner; width and height ≥ 0.
    public struct Rect: Sendable, Equatable {
        public var x: Double
        public var y: Double
        public var width: Double
        public var height: Double
        public init(x: Double, y: Double, width: Double, height: Double) {
            self.x = x; self.y = y; self.width = width; self.height = height
        }
        public var maxX: Double { x + width }
        public var maxY: Double { y + height }
        public var midX: Double { x + width / 2 }
        public var midY: Double { y + height / 2 }
        /// True when the rectangles share some area; rectangles that only touch do not overlap.
        public func overlaps(_ other: Rect) -> Bool {
            x < other.maxX && other.x < maxX && y < other.maxY && other.y < maxY
        }
        /// True when `other` lies wholly inside this rectangle (touching the border counts as inside).
        public func contains(_ other: Rect) -> Bool {
            other.x >= x && other.maxX <= maxX && other.y >= y && other.maxY <= maxY
        }
    }

    /// A box to place. Ids should be unique (a repeated id is ignored); width and height in layout units (≥ 0);
    /// `group` names the swim lane (nil: the lane of ungrouped nodes).
    public struct Node: Sendable, Equatable {
        public var id: String
        public var width: Double
        public var height: Double
        public var group: String?
        public init(id: String, width: Double, height: Double, group: String? = nil) {
            self.id = id; self.width = width; self.height = height; self.group = group
        }
    }

    /// A directed edge between two node ids; parallel edges are allowed. `label` reserves a box of that size
    /// (layout units) on the route. Edges naming an unknown node are skipped; an edge from a node to itself is
    /// drawn as a small loop on the node's right side.
    public struct Edge: Sendable, Equatable {
        public var from: String
        public var to: String
        public var label: Size?
        public init(from: String, to: String, label: Size? = nil) { self.from = from; self.to = to; self.label = label }
    }

    /// Spacing and effort, all distances in layout units.
    public struct Options: Sendable, Equatable {
        /// Least horizontal gap between two columns.
        public var layerGap: Double = 56
        /// Room left and right of a label inside its gap, for the curves to reach it.
        public var labelMargin: Double = 22
        /// Vertical gap between two labels stacked in one gap.
        public var labelGap: Double = 4
        /// Vertical gap between two nodes of one cell (half of it between a node and a passing edge).
        public var nodeGap: Double = 16
        /// Vertical room a passing edge takes in a column (edges side by side are this far apart, plus 2).
        public var edgeSpacing: Double = 8
        /// Space inside a lane above and below its nodes, and left of the first column.
        public var lanePadding: Double = 14
        /// Gap between two lanes.
        public var laneGap: Double = 6
        /// Width kept free at the left of every lane, for its title.
        public var laneHeaderWidth: Double = 0
        /// Least height of a lane.
        public var minLaneHeight: Double = 0
        /// Barycenter sweeps for crossing reduction (0: keep the input order inside each cell).
        public var crossingPasses: Int = 12
        /// Sweeps nudging nodes towards their neighbours' height.
        public var alignPasses: Int = 6
        /// How cycles are broken before layering.
        public var cycleBreaking: CycleBreaking = .greedy
        /// Most columns wanted (nil: no limit). When the longest path needs more, nodes are instead placed one by one,
        /// left to right, each in the column (within the limit where possible) that keeps its edges to placed
        /// neighbours shortest and pointing right; edges left pointing left are drawn turned round. Keeps a deep or
        /// tangled graph printable on one page, at the price of more edges running right to left.
        public var maxLayers: Int? = nil
        public init() {}
    }

    /// Which edges of a cycle are turned round so the graph can be layered.
    public enum CycleBreaking: Sendable, Equatable {
        /// Eades–Lin–Smyth: sinks to the end, sources to the front, else the node with most more out- than in-edges;
        /// edges running backwards in that order are reversed. Usually few reversals and few layers.
        case greedy
        /// Back edges of a depth-first search (roots and out-edges in input order). Simple, but on dense cyclic
        /// graphs its deep search tree often gives many more layers.
        case depthFirst
    }

    /// A placed node: its rectangle, its layer (0 = leftmost column) and its lane (index into `Result.lanes`).
    public struct PlacedNode: Sendable, Equatable {
        public var id: String
        public var rect: Rect
        public var layer: Int
        public var lane: Int
    }

    /// A swim lane: its group name (nil for ungrouped nodes) and its band, as wide as the whole layout.
    public struct Lane: Sendable, Equatable {
        public var name: String?
        public var rect: Rect
    }

    /// One cubic Bézier segment: control points `c1`, `c2`, then the end point.
    public struct Bezier: Sendable, Equatable {
        public var c1: Point
        public var c2: Point
        public var to: Point
    }

    /// An edge's route from `from` to `to`: a polyline starting on the source's border and ending on the target's.
    /// `reversed` is true when the edge was turned round to break a cycle (it then runs right to left).
    /// `label` is the label's box on the route. Empty `points` means the edge was skipped.
    public struct Route: Sendable, Equatable {
        public var from: String
        public var to: String
        public var reversed: Bool
        public var points: [Point]
        public var label: Rect?
        /// The polyline smoothed: from `points[0]`, each step a Bézier whose tangents are horizontal at both ends,
        /// so a horizontal step stays straight and a rising one becomes an S-curve.
        public var curves: [Bezier] {
            zip(points, points.dropFirst()).map { p, q in
                let dx = (q.x - p.x) / 2
                return Bezier(c1: Point(x: p.x + dx, y: p.y), c2: Point(x: q.x - dx, y: q.y), to: q)
            }
        }
    }

    /// The layout: nodes in input order (repeated ids dropped), lanes top to bottom, one route per input edge.
    /// Every coordinate lies in 0...width × 0...height.
    public struct Result: Sendable, Equatable {
        public var nodes: [PlacedNode]
        public var lanes: [Lane]
        public var routes: [Route]
        public var width: Double
        public var height: Double
        public var layerCount: Int
        /// Edge crossings between adjacent layers in the chosen order, counted on the layered graph (with dummies).
        public var crossings: Int
    }

    /// Lays out `nodes` and `edges`; lanes are stacked top to bottom in the order their group first appears, the lane
    /// of ungrouped nodes last.
    public static func layout(nodes: [Node], edges: [Edge], options: Options = Options()) -> Result {
        var engine = Engine(nodes: nodes, edges: edges, options: options)
        return engine.run()
    }

    /// Tops for boxes kept in the given order, at least `gaps[i]` apart (the gap above box i), each as close as the
    /// others allow (least squares) to its desired top, and all within `lower...upper`: pool-adjacent-violators.
    static func pack(desired: [Double], heights: [Double], gaps: [Double], lower: Double, upper: Double) -> [Double] {
        var offsets: [Double] = []  // each box's top relative to the first box when packed tight
        var run = 0.0
        for i in desired.indices {
            if i > 0 { run += heights[i - 1] + gaps[i] }
            offsets.append(run)
        }
        let total = run + (heights.last ?? 0)
        var blocks: [(sum: Double, count: Double)] = []
        for i in desired.indices {
            blocks.append((desired[i] - offsets[i], 1))
            while blocks.count > 1, blocks[blocks.count - 2].sum / blocks[blocks.count - 2].count
                > blocks[blocks.count - 1].sum / blocks[blocks.count - 1].count {
                let last = blocks.removeLast()
                blocks[blocks.count - 1].sum += last.sum
                blocks[blocks.count - 1].count += last.count
            }
        }
        var tops: [Double] = []
        for block in blocks {
            let start = max(lower, min(block.sum / block.count, upper - total))
            for _ in 0..<Int(block.count) { tops.append(start + offsets[tops.count]) }
        }
        return tops
    }
}

/// The working state of one layout. Items are the real nodes (0..<n) followed by the dummies.
private struct Engine {
    typealias Point = LayeredLayout.Point
    typealias Rect = LayeredLayout.Rect

    let options: LayeredLayout.Options
    let nodes: [LayeredLayout.Node]
    let edges: [LayeredLayout.Edge]
    var laneNames: [String?] = []
    var ends: [(tail: Int, head: Int)?] = []  // per edge, turned round when reversed; nil when skipped
    var reversed: [Bool] = []
    var chains: [[Int]] = []  // per edge, the items from tail to head; empty for skipped edges and loops
    var layer: [Int] = [], lane: [Int] = [], height: [Double] = []
    var leftOf: [[Int]] = [], rightOf: [[Int]] = []  // neighbour items in the previous / next layer
    var order: [[Int]] = []  // items of each layer, top to bottom
    var top: [Double] = []  // each item's top edge

    init(nodes: [LayeredLayout.Node], edges: [LayeredLayout.Edge], options: LayeredLayout.Options) {
        var seen: Set<String> = []
        self.nodes = nodes.filter { seen.insert($0.id).inserted }
        self.edges = edges
        self.options = options
    }

    var n: Int { nodes.count }
    var layerCount: Int { order.count }

    mutating func run() -> LayeredLayout.Result {
        var index: [String: Int] = [:]
        for (i, node) in nodes.enumerated() { index[node.id] = i }
        for node in nodes where node.group != nil && !laneNames.contains(node.group) { laneNames.append(node.group) }
        if laneNames.isEmpty || nodes.contains(where: { $0.group == nil }) { laneNames.append(nil) }
        var laneIndex: [String?: Int] = [:]
        for (i, name) in laneNames.enumerated() { laneIndex[name] = i }
        lane = nodes.map { laneIndex[$0.group] ?? 0 }
        height = nodes.map { max(0, $0.height) }
        let raw: [(Int, Int)?] = edges.map { e in index[e.from].flatMap { a in index[e.to].map { (a, $0) } } }
        reversed = options.cycleBreaking == .greedy ? Self.greedyBackEdges(nodeCount: n, ends: raw) : Self.backEdges(nodeCount: n, ends: raw)
        ends = raw.enumerated().map { e, end in end.map { reversed[e] ? (tail: $0.1, head: $0.0) : (tail: $0.0, head: $0.1) } }
        assignLayers()
        if let cap = options.maxLayers, (layer.max() ?? 0) >= max(cap, 1) { capLayers(max(cap, 1), raw: raw) }
        spreadIsolated(raw: raw)
        insertDummies()
        let crossings = reduceCrossings()
        assignY()
        return place(crossings: crossings)
    }

    /// Back edges of a depth-first search (roots and out-edges in input order), to reverse so the graph is acyclic.
    static func backEdges(nodeCount: Int, ends: [(Int, Int)?]) -> [Bool] {
        var out = Array(repeating: [Int](), count: nodeCount)
        for (e, end) in ends.enumerated() { if let (a, b) = end, a != b { out[a].append(e) } }
        var state = Array(repeating: 0, count: nodeCount)  // 0 unseen, 1 on the stack, 2 finished
        var back = Array(repeating: false, count: ends.count)
        for root in 0..<nodeCount where state[root] == 0 {
            var stack = [(node: root, next: 0)]
            state[root] = 1
            while let (v, i) = stack.last {
                guard i < out[v].count else { state[v] = 2; stack.removeLast(); continue }
                stack[stack.count - 1].next += 1
                let e = out[v][i]
                guard let (_, w) = ends[e] else { continue }
                if state[w] == 0 { state[w] = 1; stack.append((w, 0)) } else if state[w] == 1 { back[e] = true }
            }
        }
        return back
    }

    /// Edges running backwards in the Eades–Lin–Smyth order (ties by input index), to reverse.
    static func greedyBackEdges(nodeCount: Int, ends: [(Int, Int)?]) -> [Bool] {
        var out = Array(repeating: [Int](), count: nodeCount), into = out
        for case let (a, b)? in ends where a != b { out[a].append(b); into[b].append(a) }
        var outdegree = out.map(\.count), indegree = into.map(\.count), removed = Array(repeating: false, count: nodeCount)
        var front: [Int] = [], back: [Int] = []  // back fills from the end, so it is read reversed
        for _ in 0..<nodeCount {
            let left = (0..<nodeCount).filter { !removed[$0] }
            let v: Int
            if let sink = left.first(where: { outdegree[$0] == 0 }) { v = sink; back.append(v) } else {
                v = left.first { indegree[$0] == 0 } ?? left.max { (outdegree[$0] - indegree[$0], $1) < (outdegree[$1] - indegree[$1], $0) } ?? 0
                front.append(v)
            }
            removed[v] = true
            for w in out[v] { indegree[w] -= 1 }
            for u in into[v] { outdegree[u] -= 1 }
        }
        var rank = Array(repeating: 0, count: nodeCount)
        for (i, v) in (front + back.reversed()).enumerated() { rank[v] = i }
        return ends.map { end in end.map { rank[$0.0] > rank[$0.1] } ?? false }
    }

    /// Longest path from the sources (Kahn's order, ties by input index), then each source moves right to just
    /// before its nearest successor, which shortens its edges without lengthening any other.
    mutating func assignLayers() {
        var succ = Array(repeating: [Int](), count: n), indegree = Array(repeating: 0, count: n)
        for case let (t, h)? in ends where t != h { succ[t].append(h); indegree[h] += 1 }
        layer = Array(repeating: 0, count: n)
        var queue = (0..<n).filter { indegree[$0] == 0 }, head = 0
        var remaining = indegree
        while head < queue.count {
            let v = queue[head]; head += 1
            for w in succ[v] {
                layer[w] = max(layer[w], layer[v] + 1)
                remaining[w] -= 1
                if remaining[w] == 0 { queue.append(w) }
            }
        }
        for v in 0..<n where indegree[v] == 0 {
            if let nearest = succ[v].map({ layer[$0] }).min() { layer[v] = nearest - 1 }
        }
    }

    /// Greedy layering into `cap` columns, nodes in their longest-path order: each takes the column whose edges to
    /// already placed neighbours cost least (a column crossed: 1, an edge pointing left: 3 more), never a neighbour's
    /// column; past the cap only when every column inside is a neighbour's. Then empty columns close up.
    mutating func capLayers(_ cap: Int, raw: [(Int, Int)?]) {
        var near = Array(repeating: [(other: Int, outgoing: Bool)](), count: n)
        for case let (a, b)? in raw where a != b { near[a].append((b, true)); near[b].append((a, false)) }
        var placed = Array(repeating: -1, count: n)
        for v in (0..<n).sorted(by: { (layer[$0], $0) < (layer[$1], $1) }) {
            var best = (cost: Double.infinity, column: 0)
            for k in 0..<(cap + near[v].count + 1) {
                var cost = k < cap ? 0 : 1000 * Double(k - cap + 1)
                for (w, outgoing) in near[v] where placed[w] >= 0 {
                    let d = outgoing ? placed[w] - k : k - placed[w]  // > 0: the edge points right
                    if d == 0 { cost = .infinity; break }
                    cost += d > 0 ? Double(d - 1) : Double(2 - d)
                }
                if cost < best.cost { best = (cost, k) }
            }
            placed[v] = best.column
        }
        let used = Array(Set(placed)).sorted()
        var renumber: [Int: Int] = [:]
        for (i, column) in used.enumerated() { renumber[column] = i }
        layer = placed.map { renumber[$0] ?? 0 }
        reversed = raw.map { end in end.map { layer[$0.0] > layer[$0.1] } ?? false }
        ends = raw.enumerated().map { e, end in end.map { reversed[e] ? (tail: $0.1, head: $0.0) : (tail: $0.0, head: $0.1) } }
    }

    /// Nodes without edges go to the column where their lane has fewest nodes (the leftmost of equals), rather than
    /// all piling up in the first column.
    mutating func spreadIsolated(raw: [(Int, Int)?]) {
        var connected = Array(repeating: false, count: n)
        for case let (a, b)? in raw where a != b { connected[a] = true; connected[b] = true }
        let columns = (layer.max() ?? 0) + 1
        var count = Array(repeating: Array(repeating: 0, count: columns), count: laneNames.count)
        for v in 0..<n where connected[v] { count[lane[v]][layer[v]] += 1 }
        for v in 0..<n where !connected[v] {
            let k = count[lane[v]].indices.min { (count[lane[v]][$0], $0) < (count[lane[v]][$1], $1) } ?? 0
            layer[v] = k
            count[lane[v]][k] += 1
        }
    }

    /// One dummy per layer an edge passes, its lane moving evenly from the tail's lane to the head's.
    mutating func insertDummies() {
        leftOf = Array(repeating: [], count: n); rightOf = Array(repeating: [], count: n)
        chains = ends.map { end in
            guard let (t, h) = end, t != h else { return [] }
            var chain = [t]
            let span = layer[h] - layer[t]
            for step in 1..<max(span, 1) {
                let drift = Double(lane[h] - lane[t]) * Double(step) / Double(span)
                layer.append(layer[t] + step); lane.append(lane[t] + Int(drift.rounded()))
                height.append(options.edgeSpacing); leftOf.append([]); rightOf.append([])
                chain.append(layer.count - 1)
            }
            chain.append(h)
            for (a, b) in zip(chain, chain.dropFirst()) { rightOf[a].append(b); leftOf[b].append(a) }
            return chain
        }
        order = Array(repeating: [], count: (layer.max() ?? -1) + 1)
        for item in layer.indices { order[layer[item]].append(item) }
        for l in order.indices { order[l].sort { (lane[$0], $0) < (lane[$1], $1) } }
    }

    /// Position of every item in its layer.
    func positions(_ order: [[Int]]) -> [Int] {
        var pos = Array(repeating: 0, count: layer.count)
        for column in order { for (i, item) in column.enumerated() { pos[item] = i } }
        return pos
    }

    /// Crossings between adjacent layers: inversions among the segments sorted by upper end (Fenwick tree).
    func crossings(_ order: [[Int]]) -> Int {
        let pos = positions(order)
        var total = 0
        for l in order.indices.dropLast() {
            let segments = order[l].flatMap { a in rightOf[a].map { (pos[a], pos[$0]) } }.sorted { $0 < $1 }
            var tree = Array(repeating: 0, count: order[l + 1].count + 1)
            for (k, s) in segments.enumerated() {
                var q = s.1 + 1, atMost = 0
                while q > 0 { atMost += tree[q]; q -= q & -q }
                total += k - atMost
                q = s.1 + 1
                while q < tree.count { tree[q] += 1; q += q & -q }
            }
        }
        return total
    }

    /// Alternating down and up barycenter sweeps, ordering items inside each lane; keeps the best order seen.
    mutating func reduceCrossings() -> Int {
        var best = order, fewest = crossings(order)
        var pass = 0
        while pass < options.crossingPasses && fewest > 0 && layerCount > 1 {
            let down = pass % 2 == 0
            for l in down ? Array(1..<layerCount) : Array((0..<layerCount - 1).reversed()) {
                let pos = positions(order), other = order[down ? l - 1 : l + 1].count
                let count = Double(order[l].count)
                let keys = order[l].enumerated().map { i, item -> (Int, Double, Int, Int) in
                    let near = down ? leftOf[item] : rightOf[item]
                    let bary = near.isEmpty
                        ? (Double(i) + 0.5) / count
                        : near.reduce(0.0) { $0 + (Double(pos[$1]) + 0.5) / Double(other) } / Double(near.count)
                    return (lane[item], bary, i, item)
                }
                order[l] = keys.sorted { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }.map(\.3)
            }
            transpose()
            let c = crossings(order)
            if c < fewest { best = order; fewest = c }
            pass += 1
        }
        order = best
        return fewest
    }

    /// Swaps neighbours of one cell while that removes crossings on either side (Gansner et al.'s "transpose").
    mutating func transpose() {
        var pos = positions(order)
        func crossings(_ upper: Int, _ lower: Int) -> Int {
            var c = 0
            for a in leftOf[upper] { for b in leftOf[lower] where pos[a] > pos[b] { c += 1 } }
            for a in rightOf[upper] { for b in rightOf[lower] where pos[a] > pos[b] { c += 1 } }
            return c
        }
        var improved = true, rounds = 0
        while improved && rounds < 8 {
            improved = false
            rounds += 1
            for l in order.indices {
                for i in order[l].indices.dropLast() {
                    let u = order[l][i], v = order[l][i + 1]
                    guard lane[u] == lane[v], crossings(v, u) < crossings(u, v) else { continue }
                    order[l].swapAt(i, i + 1)
                    pos[u] = i + 1; pos[v] = i
                    improved = true
                }
            }
        }
    }

    /// Lane bands: each lane as tall as its fullest cell. Returns (top, height) per lane.
    func laneBands() -> [(top: Double, height: Double)] {
        var inner = Array(repeating: 0.0, count: laneNames.count)
        for column in order {
            for cell in cells(column) {
                let stack = cell.reduce(0.0) { $0 + height[$1] } + zip(cell, cell.dropFirst()).reduce(0.0) { $0 + gap($1.0, $1.1) }
                inner[lane[cell[0]]] = max(inner[lane[cell[0]]], stack)
            }
        }
        var bands: [(top: Double, height: Double)] = [], y = 0.0
        for h in inner {
            let band = max(options.minLaneHeight, h + 2 * options.lanePadding)
            bands.append((y, band))
            y += band + options.laneGap
        }
        return bands
    }

    /// The runs of one layer's items that share a lane.
    func cells(_ column: [Int]) -> [[Int]] {
        var out: [[Int]] = []
        for item in column {
            if let last = out.last?.last, lane[last] == lane[item] { out[out.count - 1].append(item) } else { out.append([item]) }
        }
        return out
    }

    /// Gap kept between two items stacked in a cell: passing edges may run close together.
    func gap(_ a: Int, _ b: Int) -> Double {
        a >= n && b >= n ? 2 : (a >= n || b >= n ? options.nodeGap / 2 : options.nodeGap)
    }

    /// Stacks every cell in its lane, then sweeps left and right pulling items towards their neighbours' centres.
    mutating func assignY() {
        let bands = laneBands()
        top = Array(repeating: 0, count: layer.count)
        for pass in -1..<options.alignPasses {
            let columns = pass % 2 == 0 ? Array(order.indices) : Array(order.indices.reversed())
            for l in columns {
                for cell in cells(order[l]) {
                    let band = bands[lane[cell[0]]]
                    let desired = cell.map { item -> Double in
                        let near = leftOf[item] + rightOf[item]
                        // First pass (-1): no neighbour is placed yet, so everything starts centred in its lane.
                        guard pass >= 0, !near.isEmpty else { return band.top + band.height / 2 - height[item] / 2 }
                        return near.reduce(0.0) { $0 + top[$1] + height[$1] / 2 } / Double(near.count) - height[item] / 2
                    }
                    let gaps = [0] + zip(cell, cell.dropFirst()).map { gap($0, $1) }
                    let tops = LayeredLayout.pack(
                        desired: desired, heights: cell.map { height[$0] }, gaps: gaps,
                        lower: band.top + options.lanePadding, upper: band.top + band.height - options.lanePadding)
                    for (item, y) in zip(cell, tops) { top[item] = y }
                }
            }
        }
    }

    /// Columns, label channels, ports and routes.
    func place(crossings: Int) -> LayeredLayout.Result {
        let o = options
        let bands = laneBands()
        // Each label goes to the least crowded gap its edge crosses (ties: nearest the middle); loops to their right.
        var channel = Array(repeating: -1, count: edges.count)
        var load = Array(repeating: 0, count: layerCount + 1)
        let labelled = edges.indices.filter { edges[$0].label != nil && ends[$0] != nil }
        for e in labelled.sorted(by: { (span($0), $0) < (span($1), $1) }) {
            guard let (t, h) = ends[e] else { continue }
            let candidates = t == h ? [layer[t]] : Array(layer[t]..<layer[h])
            let middle = Double(layer[t] + layer[h] - 1) / 2
            channel[e] = candidates.min { (load[$0], abs(Double($0) - middle)) < (load[$1], abs(Double($1) - middle)) } ?? 0
            load[channel[e]] += 1
        }
        // gapWidth[l] is the gap right of column l; after the last one it is the right margin, unless loops' labels sit there.
        var gapWidth = (0..<layerCount).map { $0 == layerCount - 1 ? o.lanePadding : o.layerGap }
        for e in labelled { gapWidth[channel[e]] = max(gapWidth[channel[e]], (edges[e].label?.width ?? 0) + 2 * o.labelMargin) }
        var colX: [Double] = [], colW: [Double] = [], x = o.laneHeaderWidth + o.lanePadding
        for l in 0..<layerCount {
            colX.append(x)
            colW.append(max(1, order[l].filter { $0 < n }.map { nodes[$0].width }.max() ?? 0))
            x += colW[l] + gapWidth[l]
        }
        let width = x
        func rect(_ v: Int) -> Rect {
            Rect(x: colX[layer[v]] + (colW[layer[v]] - nodes[v].width) / 2, y: top[v], width: nodes[v].width, height: height[v])
        }
        func mid(_ item: Int) -> Double { top[item] + height[item] / 2 }

        // Ports: a node's outgoing edges leave its right side, incoming enter its left, spread in neighbour order.
        var startY = Array(repeating: 0.0, count: edges.count), endY = startY
        var outgoing = Array(repeating: [Int](), count: n), incoming = outgoing
        for (e, chain) in chains.enumerated() where chain.count > 1 {
            outgoing[chain[0]].append(e); incoming[chain[chain.count - 1]].append(e)
        }
        for v in 0..<n {
            let r = rect(v)
            for (list, isOut) in [(outgoing[v], true), (incoming[v], false)] {
                let sorted = list.sorted { a, b in
                    let ka = mid(isOut ? chains[a][1] : chains[a][chains[a].count - 2])
                    let kb = mid(isOut ? chains[b][1] : chains[b][chains[b].count - 2])
                    return (ka, a) < (kb, b)
                }
                for (i, e) in sorted.enumerated() {
                    let y = r.y + r.height * Double(i + 1) / Double(sorted.count + 1)
                    if isOut { startY[e] = y } else { endY[e] = y }
                }
            }
        }

        // Labels: centred in their gap at the height the edge crosses it, then stacked apart.
        var labelRect = [Rect?](repeating: nil, count: edges.count)
        var bottom = (bands.last.map { $0.top + $0.height }) ?? 0
        for c in 0..<layerCount {
            let here = labelled.filter { channel[$0] == c }.map { e -> (Double, Int) in
                guard let (t, h) = ends[e], t != h else { return (mid(ends[e]?.tail ?? 0), e) }
                let k = c - layer[t], chain = chains[e]
                let a = k == 0 ? startY[e] : mid(chain[k]), b = k + 1 == chain.count - 1 ? endY[e] : mid(chain[k + 1])
                return ((a + b) / 2, e)
            }.sorted { $0 < $1 }
            let sizes = here.map { edges[$0.1].label ?? LayeredLayout.Size(width: 0, height: 0) }
            let tops = LayeredLayout.pack(
                desired: zip(here, sizes).map { $0.0 - $1.height / 2 }, heights: sizes.map(\.height),
                gaps: Array(repeating: o.labelGap, count: here.count), lower: o.labelGap, upper: .infinity)
            let gapLeft = colX[c] + colW[c]
            for ((_, e), (size, y)) in zip(here, zip(sizes, tops)) {
                labelRect[e] = Rect(x: gapLeft + (gapWidth[c] - size.width) / 2, y: y, width: size.width, height: size.height)
                bottom = max(bottom, y + size.height + o.labelGap)
            }
        }

        var routes: [LayeredLayout.Route] = []
        for (e, edge) in edges.enumerated() {
            var points: [Point] = []
            if let (t, h) = ends[e], t == h {
                let r = rect(t), label = labelRect[e]
                let tip = label.map { Point(x: $0.x, y: $0.midY) } ?? Point(x: r.maxX + o.layerGap / 2, y: r.midY)
                points = [Point(x: r.maxX, y: r.midY - 6), tip, Point(x: r.maxX, y: r.midY + 6)]
            } else if ends[e] != nil {
                let chain = chains[e]
                for (k, item) in chain.enumerated() {
                    let l = layer[item], right = colX[l] + colW[l]
                    if k == 0 {
                        let r = rect(item)
                        points.append(Point(x: r.maxX, y: startY[e]))
                        if r.maxX < right { points.append(Point(x: right, y: startY[e])) }
                    } else if k == chain.count - 1 {
                        let r = rect(item)
                        if r.x > colX[l] { points.append(Point(x: colX[l], y: endY[e])) }
                        points.append(Point(x: r.x, y: endY[e]))
                    } else {
                        points += [Point(x: colX[l], y: mid(item)), Point(x: right, y: mid(item))]
                    }
                    if channel[e] == l, k < chain.count - 1, let label = labelRect[e] {
                        points += [Point(x: label.x, y: label.midY), Point(x: label.maxX, y: label.midY)]
                    }
                }
                if reversed[e] { points.reverse() }
            }
            routes.append(LayeredLayout.Route(from: edge.from, to: edge.to, reversed: reversed[e], points: points, label: labelRect[e]))
        }
        let placed = (0..<n).map { LayeredLayout.PlacedNode(id: nodes[$0].id, rect: rect($0), layer: layer[$0], lane: lane[$0]) }
        let lanes = zip(laneNames, bands).map { LayeredLayout.Lane(name: $0, rect: Rect(x: 0, y: $1.top, width: width, height: $1.height)) }
        return LayeredLayout.Result(
            nodes: placed, lanes: lanes, routes: routes, width: width, height: bottom, layerCount: layerCount, crossings: crossings)
    }

    func span(_ e: Int) -> Int { ends[e].map { layer[$0.head] - layer[$0.tail] } ?? 0 }
}
