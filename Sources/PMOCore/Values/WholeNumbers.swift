extension Int {
    /// The whole number nearest `value`, or nil when `value` is not finite or lies beyond ±2^53 (where a Double no
    /// longer holds every whole number; far beyond any count, minute or amount the product stores). `Int(Double)`
    /// traps on such values: a huge number in a request, a form or a file must be a clear error, never a crash.
    public init?(nearest value: Double) {
        guard value.isFinite, abs(value) <= 9_007_199_254_740_992 else { return nil }
        self = Int(value.rounded())
    }
}
