import Foundation

/// A left-to-right layered (Sugiyama-style) layout of boxes and arrows, with optional horizontal swim lanes; generic,
/// so the system diagram and the organisation chart share it.
///
/// Steps: cycles are broken by turning edges round (greedy Eades–Lin–Smyth order, or a depth-first search); layers
/// are the longest path from a source, sources then moving right next to their nearest successor (with `maxLayers`,
/// a graph that needs more columns is instead packed into that many); an edge spanning several layers gets a dummy in
/// each layer it passes; barycenter sweeps plus neighbour swaps order the items inside each (lane, layer) cell,
/// keeping the order with the fewest crossings; cells are stacked in their lanes and nudged towards their neighbours.
///
/// Edge labels sit in the gap between two columns and their edge is routed through them, so a label never covers a
/// node, and the labels of one gap are stacked so they never cover each other. Edges cross columns only through
/// their dummies' free slots, so they never run through a node either. Pure and deterministic: the same input gives
/// the same result, whatever the hashing seed.
public enum LayeredLayout {
    /// A point in layout units (pixels at 1:1); origin top-left, y grows downwards.
    public struct Point: Sendable, Equatable {
        public var x: Double, y: Double
        public init(x: Double, y: Double) { (self.x, self.y) = (x, y) }
    }

    /// A size in layout units; both ≥ 0.
    public struct Size: Sendable, Equatable {
        public var width: Double, height: Double
        public init(width: Double, height: Double) { (self.width, self.height) = (width, height) }
    }

    /// An axis-aligned rectangle in layout units: `x`, `y` is the top-left corner; width and height ≥ 0.
    public struct Rect: Sendable, Equatable {
        public var x: Double, y: Double, width: Double, height: Double
        public init(x: Double, y: Double, width: Double, height: Double) {
            (self.x, self.y, self.width, self.height) = (x, y, width, height)
        }
        public var maxX: Double { x + width }
        public var maxY: Double { y + height }
        public var midX: Double { x + width / 2 }
        public var midY: Double { y + height / 2 }
        /// True when the rectangles share some area; rectangles that only touch do not overlap.
        public func overlaps(_ other: Rect) -> Bool { x < other.maxX && other.x < maxX && y < other.maxY && other.y < maxY }
        /// True when `other` lies wholly inside this rectangle (touching the border counts as inside).
        public func contains(_ other: Rect) -> Bool { other.x >= x && other.maxX <= maxX && other.y >= y && other.maxY <= maxY }
    }

    /// A box to place. Ids should be unique (a repeated id is ignored); width and height in layout units (≥ 0);
    /// `group` names the swim lane (nil: the lane of ungrouped nodes).
    public struct Node: Sendable, Equatable {
        public var id: String, width: Double, height: Double
        public var group: String?
        public init(id: String, width: Double, height: Double, group: String? = nil) {
            (self.id, self.width, self.height, self.group) = (id, width, height, group)
        }
    }

    /// A directed edge between two node ids; parallel edges are allowed. `label` reserves a box of that size
    /// (layout units) on the route. Edges naming an unknown node are skipped; an edge from a node to itself is
    /// drawn as a small loop on the node's right side.
    public struct Edge: Sendable, Equatable {
        public var from: String, to: String
        public var label: Size?
        public init(from: String, to: String, label: Size? = nil) { (self.from, self.to, self.label) = (from, to, label) }
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
        public var id: String, rect: Rect, layer: Int, lane: Int
    }

    /// A swim lane: its group name (nil for ungrouped nodes) and its band, as wide as the whole layout.
    public struct Lane: Sendable, Equatable {
        public var name: String?
        public var rect: Rect
    }

    /// One cubic Bézier segment: control points `c1`, `c2`, then the end point.
    public struct Bezier: Sendable, Equatable {
        public var c1: Point, c2: Point, to: Point
    }

    /// An edge's route from `from` to `to`: a polyline starting on the source's border and ending on the target's.
    /// `reversed` is true when the edge was turned round to break a cycle (it then runs right to left).
    /// `label` is the label's box on the route. Empty `points` means the edge was skipped.
    public struct Route: Sendable, Equatable {
        public var from: String, to: String, reversed: Bool, points: [Point]
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
        public var nodes: [PlacedNode], lanes: [Lane], routes: [Route]
        public var width: Double, height: Double, layerCount: Int
        /// Edge crossings between adjacent layers in the chosen order, counted on the layered graph (with dummies).
        public var crossings: Int
    }

    /// Lays out `nodes` and `edges`; lanes are stacked top to bottom in the order their group first appears, the lane
    /// of ungrouped nodes last.
    public static func layout(nodes: [Node], edges: [Edge], options: Options = Options()) -> Result {
        var engine = Engine(nodes: nodes, edges: edges, options: options)  // LayeredLayout+Engine.swift
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
