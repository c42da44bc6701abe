extension Sequence where Element: Equatable {
    /// The elements with each once, in the order first met. For the few values of one case (its
    /// units, its topics): a linear look-up, no set to allocate.
    public func uniqued() -> [Element] {
        var result: [Element] = []
        for element in self where !result.contains(element) { result.append(element) }
        return result
    }
}
