import Foundation

extension LayeredLayout {
    /// The working state of one layout. Items are the real nodes (0..<n) followed by the dummies; every list is
    /// indexed by item, edge or layer number, and nothing iterates a Set or Dictionary, so the result is stable.
    struct Engine {
        let options: Options
        let nodes: [Node]
        let edges: [Edge]
        var laneNames: [String?] = []
        var raw: [(Int, Int)?] = []  // per edge, its ends as given; nil when one is unknown
        var ends: [(tail: Int, head: Int)?] = []  // the same, turned round when reversed
        var reversed: [Bool] = []
        var chains: [[Int]] = []  // per edge, its items from tail to head; empty for skipped edges and loops
        var layer: [Int] = [], lane: [Int] = [], height: [Double] = []
        var leftOf: [[Int]] = [], rightOf: [[Int]] = []  // neighbour items in the previous / next layer
        var order: [[Int]] = []  // each layer's items, top to bottom
        var top: [Double] = []  // each item's top edge
        // Geometry: columns and the gap right of each, each labelled edge's gap, ports and label boxes.
        var colX: [Double] = [], colW: [Double] = [], gapWidth: [Double] = []
        var channel: [Int] = [], startY: [Double] = [], endY: [Double] = [], labelRect: [Rect?] = []

        init(nodes: [Node], edges: [Edge], options: Options) {
            var seen: Set<String> = []
            self.nodes = nodes.filter { seen.insert($0.id).inserted }
            self.edges = edges
            self.options = options
        }

        var n: Int { nodes.count }
        var layerCount: Int { order.count }

        mutating func run() -> Result {
            var index: [String: Int] = [:]
            for (i, node) in nodes.enumerated() { index[node.id] = i }
            for node in nodes where node.group != nil && !laneNames.contains(node.group) { laneNames.append(node.group) }
            if laneNames.isEmpty || nodes.contains(where: { $0.group == nil }) { laneNames.append(nil) }
            lane = nodes.map { node in laneNames.firstIndex(of: node.group) ?? 0 }
            height = nodes.map { max(0, $0.height) }
            raw = edges.map { e in index[e.from].flatMap { a in index[e.to].map { (a, $0) } } }
            setReversed(options.cycleBreaking == .greedy ? Self.greedyBackEdges(nodeCount: n, ends: raw) : Self.backEdges(nodeCount: n, ends: raw))
            assignLayers()
            if let cap = options.maxLayers, (layer.max() ?? 0) >= max(cap, 1) { capLayers(max(cap, 1)) }
            spreadIsolated()
            insertDummies()
            let crossings = reduceCrossings()
            assignY()
            chooseChannels()
            placeColumns()
            placePorts()
            let bottom = placeLabels()
            return result(crossings: crossings, bottom: bottom)
        }

        mutating func setReversed(_ flags: [Bool]) {
            reversed = flags
            ends = raw.enumerated().map { e, end in end.map { flags[e] ? (tail: $0.1, head: $0.0) : (tail: $0.0, head: $0.1) } }
        }

        // MARK: Cycles and layers

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
                    guard let (_, w) = ends[out[v][i]] else { continue }
                    if state[w] == 0 { state[w] = 1; stack.append((w, 0)) } else if state[w] == 1 { back[out[v][i]] = true }
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
                if let sink = left.first(where: { outdegree[$0] == 0 }) {
                    v = sink
                    back.append(v)
                } else {
                    // A source, else the node with the most more out- than in-edges (the first of equals).
                    v = left.first { indegree[$0] == 0 }
                        ?? left.max { (outdegree[$0] - indegree[$0], $1) < (outdegree[$1] - indegree[$1], $0) } ?? 0
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
            var queue = (0..<n).filter { indegree[$0] == 0 }, head = 0, remaining = indegree
            while head < queue.count {
                let v = queue[head]
                head += 1
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

        /// Greedy layering into `cap` columns, nodes in their longest-path order: each takes the column whose edges
        /// to already placed neighbours cost least (a column crossed: 1, an edge pointing left: 3 more), never a
        /// neighbour's column; past the cap only when every column inside is a neighbour's. Empty columns close up.
        mutating func capLayers(_ cap: Int) {
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
            layer = placed.map { used.firstIndex(of: $0) ?? 0 }
            setReversed(raw.map { end in end.map { layer[$0.0] > layer[$0.1] } ?? false })
        }

        /// Nodes without edges go to the column where their lane has fewest nodes (the leftmost of equals) instead of
        /// piling up in the first. With `maxLayers` set they may open columns up to √n (within the limit), so a
        /// diagram with few edges yet is a grid, not one tall column.
        mutating func spreadIsolated() {
            var connected = Array(repeating: false, count: n)
            for case let (a, b)? in raw where a != b { connected[a] = true; connected[b] = true }
            let used = (layer.max() ?? 0) + 1
            let columns = max(used, min(options.maxLayers ?? used, Int(Double(n).squareRoot().rounded(.up))))
            var count = Array(repeating: Array(repeating: 0, count: columns), count: laneNames.count)
            for v in 0..<n where connected[v] { count[lane[v]][layer[v]] += 1 }
            for v in 0..<n where !connected[v] {
                let row = count[lane[v]]
                let k = row.indices.min { (row[$0], $0) < (row[$1], $1) } ?? 0
                layer[v] = k
                count[lane[v]][k] += 1
            }
        }

        /// One dummy per layer an edge passes, its lane moving evenly from the tail's lane to the head's.
        mutating func insertDummies() {
            leftOf = Array(repeating: [], count: n)
            rightOf = leftOf
            chains = ends.map { end in
                guard let (t, h) = end, t != h else { return [] }
                var chain = [t]
                let span = layer[h] - layer[t]
                for step in 1..<max(span, 1) {
                    let drift = Double(lane[h] - lane[t]) * Double(step) / Double(span)
                    layer.append(layer[t] + step)
                    lane.append(lane[t] + Int(drift.rounded()))
                    height.append(options.edgeSpacing)
                    leftOf.append([])
                    rightOf.append([])
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

        // MARK: Order

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

        /// Alternating down and up barycenter sweeps, ordering items inside each lane, each pass followed by
        /// neighbour swaps; keeps the order with the fewest crossings seen (the input order included).
        mutating func reduceCrossings() -> Int {
            var best = order, fewest = crossings(order), pass = 0
            while pass < options.crossingPasses && fewest > 0 && layerCount > 1 {
                let down = pass % 2 == 0
                for l in down ? Array(1..<layerCount) : Array((0..<layerCount - 1).reversed()) {
                    let pos = positions(order), other = Double(order[down ? l - 1 : l + 1].count), count = Double(order[l].count)
                    let keys = order[l].enumerated().map { i, item -> (lane: Int, key: Double, i: Int, item: Int) in
                        let near = down ? leftOf[item] : rightOf[item]
                        // Positions as fractions of the layer, so an item without neighbours keeps its place.
                        let key = near.isEmpty
                            ? (Double(i) + 0.5) / count
                            : near.reduce(0.0) { $0 + (Double(pos[$1]) + 0.5) / other } / Double(near.count)
                        return (lane[item], key, i, item)
                    }
                    order[l] = keys.sorted { ($0.lane, $0.key, $0.i) < ($1.lane, $1.key, $1.i) }.map(\.item)
                }
                transpose()
                let c = crossings(order)
                if c < fewest { (best, fewest) = (order, c) }
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
                        (pos[u], pos[v]) = (i + 1, i)
                        improved = true
                    }
                }
            }
        }

        // MARK: Geometry

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

        /// Lane bands, each as tall as its fullest cell: (top, height) per lane.
        func laneBands() -> [(top: Double, height: Double)] {
            var inner = Array(repeating: 0.0, count: laneNames.count)
            for cell in order.flatMap(cells) {
                let stack = cell.reduce(0.0) { $0 + height[$1] } + zip(cell, cell.dropFirst()).reduce(0.0) { $0 + gap($1.0, $1.1) }
                inner[lane[cell[0]]] = max(inner[lane[cell[0]]], stack)
            }
            var bands: [(top: Double, height: Double)] = [], y = 0.0
            for h in inner {
                let band = max(options.minLaneHeight, h + 2 * options.lanePadding)
                bands.append((y, band))
                y += band + options.laneGap
            }
            return bands
        }

        /// Stacks every cell centred in its lane, then sweeps right and left pulling items towards their neighbours'
        /// centres, keeping their order and the gaps.
        mutating func assignY() {
            let bands = laneBands()
            top = Array(repeating: 0, count: layer.count)
            for pass in -1..<options.alignPasses {
                for l in pass % 2 == 0 ? Array(order.indices) : Array(order.indices.reversed()) {
                    for cell in cells(order[l]) {
                        let band = bands[lane[cell[0]]]
                        let desired = cell.map { item -> Double in
                            let near = leftOf[item] + rightOf[item]
                            guard pass >= 0, !near.isEmpty else { return band.top + band.height / 2 - height[item] / 2 }
                            return near.reduce(0.0) { $0 + top[$1] + height[$1] / 2 } / Double(near.count) - height[item] / 2
                        }
                        let tops = LayeredLayout.pack(
                            desired: desired, heights: cell.map { height[$0] }, gaps: [0] + zip(cell, cell.dropFirst()).map(gap),
                            lower: band.top + options.lanePadding, upper: band.top + band.height - options.lanePadding)
                        for (item, y) in zip(cell, tops) { top[item] = y }
                    }
                }
            }
        }

        /// Each label goes to the least crowded gap its edge crosses (ties: nearest the middle), a loop's to the gap
        /// right of its node; every gap is made wide enough for its widest label.
        mutating func chooseChannels() {
            channel = Array(repeating: -1, count: edges.count)
            var load = Array(repeating: 0, count: layerCount)
            for e in labelled.sorted(by: { (span($0), $0) < (span($1), $1) }) {
                guard let (t, h) = ends[e] else { continue }
                let candidates = t == h ? [layer[t]] : Array(layer[t]..<layer[h])
                let middle = Double(layer[t] + layer[h] - 1) / 2
                channel[e] = candidates.min { (load[$0], abs(Double($0) - middle)) < (load[$1], abs(Double($1) - middle)) } ?? 0
                load[channel[e]] += 1
            }
            // The gap after the last column is the right margin, unless loops' labels sit there.
            gapWidth = (0..<layerCount).map { $0 == layerCount - 1 ? options.lanePadding : options.layerGap }
            for e in labelled { gapWidth[channel[e]] = max(gapWidth[channel[e]], (edges[e].label?.width ?? 0) + 2 * options.labelMargin) }
        }

        var labelled: [Int] { edges.indices.filter { edges[$0].label != nil && ends[$0] != nil } }

        func span(_ e: Int) -> Int { ends[e].map { layer[$0.head] - layer[$0.tail] } ?? 0 }

        /// Columns as wide as their widest node, left to right after the lane titles.
        mutating func placeColumns() {
            var x = options.laneHeaderWidth + options.lanePadding
            for l in 0..<layerCount {
                colX.append(x)
                colW.append(max(1, order[l].filter { $0 < n }.map { nodes[$0].width }.max() ?? 0))
                x += colW[l] + gapWidth[l]
            }
        }

        var width: Double { (colX.last ?? options.laneHeaderWidth + options.lanePadding) + (colW.last ?? 0) + (gapWidth.last ?? 0) }

        func rect(_ v: Int) -> Rect {
            Rect(x: colX[layer[v]] + (colW[layer[v]] - nodes[v].width) / 2, y: top[v], width: nodes[v].width, height: height[v])
        }

        func mid(_ item: Int) -> Double { top[item] + height[item] / 2 }

        /// A node's outgoing edges leave its right side and incoming ones enter its left, spread evenly in the order
        /// of the item at their other end, so they leave without crossing.
        mutating func placePorts() {
            startY = Array(repeating: 0, count: edges.count)
            endY = startY
            var outgoing = Array(repeating: [Int](), count: n), incoming = outgoing
            for (e, chain) in chains.enumerated() where chain.count > 1 {
                outgoing[chain[0]].append(e)
                incoming[chain[chain.count - 1]].append(e)
            }
            for v in 0..<n {
                let r = rect(v)
                let out = outgoing[v].sorted { (mid(chains[$0][1]), $0) < (mid(chains[$1][1]), $1) }
                for (i, e) in out.enumerated() { startY[e] = r.y + r.height * Double(i + 1) / Double(out.count + 1) }
                let into = incoming[v].sorted { (mid(chains[$0][chains[$0].count - 2]), $0) < (mid(chains[$1][chains[$1].count - 2]), $1) }
                for (i, e) in into.enumerated() { endY[e] = r.y + r.height * Double(i + 1) / Double(into.count + 1) }
            }
        }

        /// Labels centred in their gap at the height their edge crosses it, then stacked apart; returns the lowest
        /// edge of lanes and labels.
        mutating func placeLabels() -> Double {
            labelRect = Array(repeating: nil, count: edges.count)
            var bottom = laneBands().last.map { $0.top + $0.height } ?? 0
            for c in 0..<layerCount {
                let here = labelled.filter { channel[$0] == c }.map { e -> (y: Double, e: Int) in
                    guard let (t, h) = ends[e], t != h else { return (mid(ends[e]?.tail ?? 0), e) }
                    let k = c - layer[t], chain = chains[e]
                    let a = k == 0 ? startY[e] : mid(chain[k]), b = k + 1 == chain.count - 1 ? endY[e] : mid(chain[k + 1])
                    return ((a + b) / 2, e)
                }.sorted { ($0.y, $0.e) < ($1.y, $1.e) }
                let sizes = here.map { edges[$0.e].label ?? Size(width: 0, height: 0) }
                let tops = LayeredLayout.pack(
                    desired: zip(here, sizes).map { $0.y - $1.height / 2 }, heights: sizes.map(\.height),
                    gaps: Array(repeating: options.labelGap, count: here.count), lower: options.labelGap, upper: .infinity)
                for (label, (size, y)) in zip(here, zip(sizes, tops)) {
                    labelRect[label.e] = Rect(x: colX[c] + colW[c] + (gapWidth[c] - size.width) / 2, y: y, width: size.width, height: size.height)
                    bottom = max(bottom, y + size.height + options.labelGap)
                }
            }
            return bottom
        }

        /// An edge's polyline: out of its tail's side, along its column to the gap, through each dummy's slot and
        /// its label, into its head; a loop leaves and re-enters its node's right side via its label.
        func route(_ e: Int) -> [Point] {
            guard let (t, h) = ends[e] else { return [] }
            if t == h {
                let r = rect(t)
                let tip = labelRect[e].map { Point(x: $0.x, y: $0.midY) } ?? Point(x: r.maxX + options.layerGap / 2, y: r.midY)
                return [Point(x: r.maxX, y: r.midY - 6), tip, Point(x: r.maxX, y: r.midY + 6)]
            }
            var points: [Point] = []
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
            return reversed[e] ? points.reversed() : points
        }

        func result(crossings: Int, bottom: Double) -> Result {
            let width = self.width
            let routes = edges.indices.map {
                Route(from: edges[$0].from, to: edges[$0].to, reversed: reversed[$0], points: route($0), label: labelRect[$0])
            }
            let placed = (0..<n).map { PlacedNode(id: nodes[$0].id, rect: rect($0), layer: layer[$0], lane: lane[$0]) }
            let lanes = zip(laneNames, laneBands()).map { Lane(name: $0, rect: Rect(x: 0, y: $1.top, width: width, height: $1.height)) }
            return Result(nodes: placed, lanes: lanes, routes: routes, width: width, height: bottom, layerCount: layerCount, crossings: crossings)
        }
    }
}
